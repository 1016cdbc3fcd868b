// edgeorder: submits one order of any kind as a named strategy through the
// order channel's C ABI (exactly what a strategy process does), prints every
// response to it until the final one, and exits with a status that scripts
// can test: 0 the venue took or answered it, 2 rejected, 3 unknown when time
// ran out, 1 usage or attach errors.
#include "edgeorder/args.hpp"

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace {

int64_t clock_ns(clockid_t id) {
    timespec ts;
    clock_gettime(id, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// A tool, not a strategy: a short sleep between polls costs it nothing that
// matters (the daemon stamps the latencies it prints) and spares the CPU.
void pause_50us() {
    const timespec ts{0, 50'000};
    nanosleep(&ts, nullptr);
}

struct channel_guard {
    ef_order_channel* ch = nullptr;
    ~channel_guard() { ef_orders_detach(ch); }
};

int run(const ef::edgeorder::options& o) {
    channel_guard g;
    const char* instance = o.instance.empty() ? nullptr : o.instance.c_str();
    if (const int rc = ef_orders_attach(instance, o.strategy.c_str(), &g.ch); rc != EF_OK) {
        std::fprintf(stderr, "edgeorder: %s\n", ef_orders_last_error());
        return 1;
    }
    const int64_t deadline = clock_ns(CLOCK_MONOTONIC) + o.timeout_ms * 1'000'000;
    while (ef_orders_ready(g.ch) != 1) {
        if (clock_ns(CLOCK_MONOTONIC) >= deadline) {
            std::fprintf(stderr,
                         "edgeorder: the order loop is not running (no fresh heartbeat) after %lld "
                         "ms; nothing was submitted\n",
                         static_cast<long long>(o.timeout_ms));
            return 1;
        }
        pause_50us();
    }
    ef_order_request req = o.request;
    // Unique per slot: nanoseconds of the wall clock, which no earlier run of
    // this tool can have used.
    req.request_id = static_cast<uint64_t>(clock_ns(CLOCK_REALTIME));
    for (;;) {
        const int rc = ef_order_submit(g.ch, &req);
        if (rc == EF_OK) break;
        if (rc != EF_EAGAIN || clock_ns(CLOCK_MONOTONIC) >= deadline) {
            std::fprintf(stderr, "edgeorder: submit: %s; nothing was submitted\n", ef_strerror(rc));
            return 1;
        }
        pause_50us(); // the ring is full: the loop is behind
    }
    uint32_t last_outcome = 0;
    ef_order_response resp;
    while (clock_ns(CLOCK_MONOTONIC) < deadline) {
        if (ef_order_poll(g.ch, &resp) != 1) {
            pause_50us();
            continue;
        }
        if (resp.request_id != req.request_id) continue; // an earlier holder's
        const std::string line = ef::edgeorder::format_response(resp, o.json);
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fflush(stdout);
        last_outcome = resp.outcome;
        if (resp.final_) return ef::edgeorder::exit_code_for(resp.outcome);
    }
    std::fprintf(stderr,
                 "edgeorder: no final answer for request %llu within %lld ms (last outcome: %s); "
                 "the order may have executed: check `edgestat orders`\n",
                 static_cast<unsigned long long>(req.request_id),
                 static_cast<long long>(o.timeout_ms),
                 last_outcome ? ef_order_outcome_name(last_outcome) : "none");
    return 3;
}

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    const ef::edgeorder::parse_result p = ef::edgeorder::parse_args(args);
    if (p.what == ef::edgeorder::parse_result::status::help) {
        std::fputs(p.message.c_str(), stdout);
        return 0;
    }
    if (p.what != ef::edgeorder::parse_result::status::ok) {
        std::fprintf(stderr, "edgeorder: %s%s", p.message.c_str(),
                     !p.message.empty() && p.message.back() == '\n' ? "" : "\n");
        return 1;
    }
    return run(p.opts);
}
