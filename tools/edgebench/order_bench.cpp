// See order_bench.hpp. Ours first, with the daemon up; then the daemon stops
// and libcurl runs on the core the order loop had, against the same
// simulator: running curl beside a spinning order loop on two cores would
// measure the contention, not curl.
#include "edgebench/order_bench.hpp"

#include "edgebench/bench_process.hpp"
#include "edgebench/send_probe.hpp"
#include "platform/shm.hpp"

#include <edgefeed/edgefeed.h>
#include <edgefeed/order_channel.h>
#include <edgefeed/orders.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <curl/curl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/stat.h>

namespace ef::bench {

namespace {

// e9 fixed point as the order body writes it (orders_common.md): plain
// decimal, no exponent, trailing zeros trimmed.
std::string decimal_e9(int64_t v) {
    std::string s = fmt::format("{}", v / EF_SCALE_E9);
    int64_t frac = v % EF_SCALE_E9;
    if (frac == 0) return s;
    std::string f = fmt::format("{:09}", frac);
    while (f.back() == '0') f.pop_back();
    return s + "." + f;
}

// The first position of the contest's liquidity snapshot that has a partner
// quoting it; empty if none.
std::string position_with_liquidity(const std::string& snapshot) {
    constexpr std::string_view key = "\"position_hash\":\"", partners = "\"partner_liquidities\":[";
    for (size_t p = snapshot.find(key); p != std::string::npos; p = snapshot.find(key, p)) {
        p += key.size();
        const size_t end = snapshot.find('"', p);
        const size_t list = snapshot.find(partners, p);
        if (end == std::string::npos || list == std::string::npos) break;
        if (snapshot[list + partners.size()] != ']') return snapshot.substr(p, end - p);
    }
    return {};
}

std::string daemon_config(const order_bench_options& o, const std::string& dir) {
    return fmt::format(R"(# edgebench's order run: the feed idles, the order loop spins on its own core.
[orders]
core = {}
journal_dir = "{}/journal"

[[orders.strategies]]
name = "bench"
accounts = ["*"]
max_order_notional = "1000000"
max_open_notional = "100000000"
max_daily_notional = "1000000000"
max_orders_per_s = 100000
fat_finger_bps = 0
require_reference = false
)",
                       o.order_core, dir);
}

// What one series of ours saw besides the samples.
struct ours_tally {
    std::array<uint64_t, 16> outcomes{};
};

// Places one order and waits for its final response. The samples come from
// the daemon's own stamps (submit, first byte to the kernel, response
// written), not from when this thread noticed, so polling with a short
// sleep costs the figures nothing and leaves the simulator its core.
bool one_order(ef_order_channel* ch, const order_bench_options& o, const std::string& hash, uint64_t id,
               latency_samples* into, series_result& r, ours_tally& t) {
    ef_order_request req{};
    ef_order_init_om_buy(&req, id, o.account.c_str(), hash.c_str(), o.amount_e9, 0, o.max_price_e9, nullptr, 1);
    // Past the daemon's own request timeout, so its UNKNOWN arrives first.
    const int64_t deadline = mono_ns() + 15'000'000'000;
    int rc;
    while ((rc = ef_order_submit(ch, &req)) == EF_EAGAIN && mono_ns() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(10));
    if (rc != EF_OK) {
        if (r.failures++ == 0) r.first_failure = fmt::format("ef_order_submit returned {}", rc);
        return false;
    }
    ef_order_response res{};
    for (;;) {
        while (ef_order_poll(ch, &res) == 1) {
            if (res.request_id != id || !res.final_) continue;
            ++t.outcomes[std::min<size_t>(res.outcome, t.outcomes.size() - 1)];
            if (res.outcome == EF_OUTCOME_REJECTED || res.outcome == EF_OUTCOME_UNKNOWN) {
                if (r.failures++ == 0)
                    r.first_failure = fmt::format("outcome {} (source {}, code {}, HTTP {}): {}", res.outcome,
                                                  res.reject_source, res.reject_code, res.http_status,
                                                  std::string_view(res.reason, strnlen(res.reason, sizeof res.reason)));
                return true;
            }
            if (!into) return true;
            if (res.sent_mono_ns > 0) into->to_kernel_ns.push_back(res.sent_mono_ns - res.submit_mono_ns);
            else ++r.unstamped;
            into->round_trip_ns.push_back(res.done_mono_ns - res.submit_mono_ns);
            return true;
        }
        if (mono_ns() > deadline) {
            if (r.failures++ == 0) r.first_failure = fmt::format("no final response to request {} in 15 s", id);
            return false;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
}

// The same plan as run_curl_series, on the order channel.
bool run_ours_series(ef_order_channel* ch, const order_bench_options& o, const std::string& hash, series_result& r,
                     ours_tally& t) {
    const series_plan& plan = o.plan;
    r.hot.to_kernel_ns.reserve(plan.count);
    r.hot.round_trip_ns.reserve(plan.count);
    gap_source gaps(plan);
    uint64_t id = 0;
    for (unsigned i = 0; i < plan.warmup; ++i) {
        spin_for_ns(gaps.next_ns());
        if (!one_order(ch, o, hash, ++id, nullptr, r, t)) return false;
    }
    for (unsigned i = 0; i < plan.count; ++i) {
        spin_for_ns(gaps.next_ns());
        if (!one_order(ch, o, hash, ++id, &r.hot, r, t)) return false;
    }
    for (unsigned i = 0; i < plan.cold_count; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(plan.cold_gap_ms));
        if (!one_order(ch, o, hash, ++id, &r.cold, r, t)) return false;
    }
    return true;
}

// libcurl's request head against the one the daemon writes (http/request_writer:
// request line, Host, the fixed headers, the order's, Content-Type,
// Content-Length): the same lines, whatever their order.
bool same_head(const std::string& sent, const http_request& req, const std::string& host) {
    auto lines = [](const std::string& head) {
        std::vector<std::string> v;
        for (size_t p = 0; p < head.size();) {
            const size_t e = head.find("\r\n", p);
            const size_t end = e == std::string::npos ? head.size() : e;
            if (end > p) v.emplace_back(head, p, end - p);
            p = end + 2;
        }
        std::sort(v.begin(), v.end());
        return v;
    };
    const size_t path = req.url.find('/', req.url.find("//") + 2);
    std::string ours = fmt::format("{} {} HTTP/1.1\r\nHost: {}\r\n", req.method, req.url.substr(path), host);
    for (const auto& [name, value] : req.headers) ours += fmt::format("{}: {}\r\n", name, value);
    ours += fmt::format("Content-Length: {}\r\n\r\n", req.body.size());
    return lines(sent) == lines(ours);
}

void compare_row(FILE* out, const char* label, const std::vector<int64_t>& ours, const std::vector<int64_t>& curl) {
    auto us = [](const std::vector<int64_t>& v, double p) { return static_cast<double>(percentile_ns(v, p)) / 1e3; };
    auto ratio = [&](double p) {
        const double a = us(ours, p), b = us(curl, p);
        return a > 0 ? fmt::format("{:5.1f}x", b / a) : std::string("    -");
    };
    fmt::print(out, "  {:<26} ours {:8.2f} {:8.2f} {:8.2f} {:9.2f}   curl {:8.2f} {:8.2f} {:8.2f} {:9.2f}   {} {} {}\n",
               label, us(ours, 50), us(ours, 99), us(ours, 99.9), us(ours, 100), us(curl, 50), us(curl, 99),
               us(curl, 99.9), us(curl, 100), ratio(50), ratio(99), ratio(99.9));
}

} // namespace

int run_order_bench(FILE* out, const order_bench_options& o) {
    const std::string dir = proc::make_scratch_dir(out, "orders");
    if (dir.empty()) return 1;
    proc::sim sim;
    if (!proc::start_sim(sim, out, o.edgesim, dir, o.sim_core)) return 1;
    std::string hash;
    for (const std::string& c : sim.contests) {
        hash = position_with_liquidity(
            proc::rest_get(sim.base + "/flow/v1/contests/" + c + "/liquidity", sim.ca, proc::sim::api_key));
        if (!hash.empty()) break;
    }
    if (hash.empty()) {
        fmt::print(out, "edgebench: the simulator lists no position with liquidity ({})\n", dir);
        return 1;
    }
    { std::ofstream(dir + "/key") << proc::sim::api_key << "\n"; }
    chmod((dir + "/key").c_str(), 0600);
    { std::ofstream(dir + "/edgefeed.toml") << daemon_config(o, dir); }
    const std::string instance = fmt::format("bench-orders-{}", getpid());
    // The daemon leaves its objects for readers when it stops; a benchmark's
    // are of no use to anyone afterwards.
    struct region_remover {
        std::string name;
        ~region_remover() {
            (void)platform::shm_remove(name + ".orders");
            (void)platform::shm_remove(name);
        }
    } remove_region{instance};
    proc::child daemon;
    if (!proc::spawn(daemon, {o.edgefeed, "--config", dir + "/edgefeed.toml", "--instance", instance, "--venue",
                              "wss://127.0.0.1:" + sim.port + "/flow/v1/stream", "--ca-file", sim.ca,
                              "--api-key-file", dir + "/key", "--contest", sim.contests.front(), "--cores",
                              std::to_string(o.feed_core), "--idle", "sleep"},
                     dir + "/edgefeed.log")) {
        fmt::print(out, "edgebench: cannot start {}\n", o.edgefeed);
        return 1;
    }
    ef_order_channel* ch = nullptr;
    if (!proc::wait_for("the order channel", out, 20,
                        [&] { return ef_orders_attach(instance.c_str(), "bench", &ch) == EF_OK; }) ||
        !proc::wait_for("the order loop's venue connections", out, 20, [&] { return ef_orders_ready(ch) > 0; })) {
        fmt::print(out, "{}", proc::read_file(dir + "/edgefeed.log"));
        if (ch) ef_orders_detach(ch);
        return 1;
    }

    // Ours: this thread shares the simulator's core and sleeps while it waits.
    const proc::affinity_guard restore;
    if (!proc::pin_self(o.sim_core)) fmt::print(out, "edgebench: cannot pin to core {}\n", o.sim_core);
    series_result ours;
    ours_tally tally;
    const bool ours_ran = run_ours_series(ch, o, hash, ours, tally);
    ef_orders_detach(ch);
    const int daemon_status = daemon.stop();

    // libcurl: the same request, on the core the order loop spun on.
    http_request req;
    req.method = "POST";
    req.url = sim.base + "/flow/v1/auth/orders/buy";
    req.headers = {{"X-API-Key", proc::sim::api_key},
                   {"Accept", "application/json"},
                   {"X-OpenMarkets-Account", o.account},
                   {"Content-Type", "application/json"}};
    req.body = fmt::format(R"({{"orders":[{{"position_hash":"{}","amount":{},"max_price":{}}}],"mode":"paper"}})",
                           hash, decimal_e9(o.amount_e9), decimal_e9(o.max_price_e9));
    if (!proc::pin_self(o.order_core)) fmt::print(out, "edgebench: cannot pin to core {}\n", o.order_core);
    const uint64_t hits_before = send_probe::hits();
    const series_result curl = run_curl_series(req, sim.ca, o.plan);
    const uint64_t hits = send_probe::hits() - hits_before;
    (void)sim.process.stop();

    const series_plan& p = o.plan;
    fmt::print(out, "\n== orders: OpenMarkets paper buys (POST /flow/v1/auth/orders/buy), one at a time, same simulator\n");
    fmt::print(out, "  {} warm-up, {} measured with 0-{} µs gaps (same draws both sides), then {} cold {} ms apart\n",
               p.warmup, p.count, p.max_gap_us, p.cold_count, p.cold_gap_ms);
    fmt::print(out, "  ours: edgebench as strategy \"bench\" (core {}) -> shm ring -> order loop (core {}, spinning)"
                    " -> wolfSSL -> edgesim (core {}); feed loop core {}, idle sleep\n",
               o.sim_core, o.order_core, o.sim_core, o.feed_core);
    fmt::print(out, "  libcurl {}: one easy handle reused, HTTP/1.1, {}; run after the daemon stopped, on core {}\n",
               curl_version_info(CURLVERSION_NOW)->version, curl.tls.empty() ? "TLS not reported" : curl.tls,
               o.order_core);
    fmt::print(out, "  {:<26}      {:>8} {:>8} {:>8} {:>9}        {:>8} {:>8} {:>8} {:>9}   curl/ours\n", "µs", "p50",
               "p99", "p99.9", "max", "p50", "p99", "p99.9", "max");
    compare_row(out, "submit -> first byte out", ours.hot.to_kernel_ns, curl.hot.to_kernel_ns);
    compare_row(out, "submit -> answer", ours.hot.round_trip_ns, curl.hot.round_trip_ns);
    compare_row(out, "cold: submit -> byte out", ours.cold.to_kernel_ns, curl.cold.to_kernel_ns);
    compare_row(out, "cold: submit -> answer", ours.cold.round_trip_ns, curl.cold.round_trip_ns);
    fmt::print(out, "  ours: filled {}, partial {}, unfilled {}, rejected {}, unknown {}; failures {}{}{}; no sent stamp {}\n",
               tally.outcomes[EF_OUTCOME_FILLED], tally.outcomes[EF_OUTCOME_PARTIAL],
               tally.outcomes[EF_OUTCOME_UNFILLED], tally.outcomes[EF_OUTCOME_REJECTED],
               tally.outcomes[EF_OUTCOME_UNKNOWN], ours.failures, ours.failures ? ", first: " : "",
               ours.first_failure, ours.unstamped);
    fmt::print(out, "  curl: failures {}{}{}; connections opened {} (1: kept alive); probe saw {} writes, {} answers unstamped\n",
               curl.failures, curl.failures ? ", first: " : "", curl.first_failure, curl.connections, hits,
               curl.unstamped);
    fmt::print(out, "  request bytes: {}\n",
               same_head(curl.wire_head, req, "127.0.0.1:" + sim.port)
                   ? "libcurl sent the daemon's head lines (order may differ) and the same body"
                   : "libcurl's head differs from the daemon's: see " + dir + "/curl_head.txt");
    { std::ofstream(dir + "/curl_head.txt") << curl.wire_head; }
    fmt::print(out, "  caveats: ours spans two processes (strategy -> shared memory -> order loop); both first-byte\n"
                    "  figures are stamped as the call that hands the bytes to the kernel starts (ours: the\n"
                    "  io_uring_enter that sends them; curl's: the entry of its write/send call). Round\n"
                    "  trips: ours ends when the daemon wrote the response to the ring, curl's when perform returned.\n"
                    "  libcurl ran after the daemon stopped: beside the spinning order loop it would have had to\n"
                    "  share a core on this 2-core machine, which would measure the contention, not libcurl.\n");
    if (!ours_ran || daemon_status != 0) {
        fmt::print(out, "edgebench: ours did not complete (daemon exit status {}); logs in {}\n", daemon_status, dir);
        return 1;
    }
    if (curl.failures == 0 && ours.failures == 0) std::filesystem::remove_all(dir);
    return 0;
}

} // namespace ef::bench
