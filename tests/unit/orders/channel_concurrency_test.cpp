// The order channel under load, with the two sides running at once: a
// strategy submits numbered requests while the daemon side pops them and
// pushes answers. Invariant: every request arrives once, in order, intact
// (checksum), and every answer comes back, in order. Threads in one process
// (on one mapping, so TSan sees both sides: run it in the 'tsan' suite) and
// two processes (fork, each with its own mapping, as in production), plus a
// ping-pong that measures the cross-process submit -> pop latency.
#include "channel_support.hpp"
#include "common/clock.hpp"
#include "consumer/orders.hpp"

#include <algorithm>
#include <atomic>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace ef::orders;
using namespace ef::orders::test;

namespace {

#if defined(EF_SANITIZED) || defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr uint64_t request_count = 20'000;
constexpr uint64_t ping_count = 2'000;
#else
constexpr uint64_t request_count = 50'000;
constexpr uint64_t ping_count = 20'000;
#endif
constexpr int64_t deadline_ns = 60'000'000'000; // a stuck side fails instead of hanging

// The strategy's side: submits request_count numbered requests (retrying on
// a full ring) and polls every answer. Returns "" or what went wrong.
std::string run_strategy(ef_order_channel* ch) {
    const int64_t end = ef::mono_ns() + deadline_ns;
    uint64_t submitted = 0, answered = 0;
    ef_order_request req;
    ef_order_response resp;
    numbered_request(0, req);
    while (answered < request_count) {
        if (ef::mono_ns() > end) return "timed out at " + std::to_string(answered) + " answers";
        if (submitted < request_count) {
            const int rc = ef_order_submit(ch, &req);
            if (rc == EF_OK && ++submitted < request_count) numbered_request(submitted, req);
            if (rc != EF_OK && rc != EF_EAGAIN) return "submit: " + std::string(ef_strerror(rc));
        }
        while (ef_order_poll(ch, &resp) == 1) {
            if (!answer_matches(answered, resp))
                return "answer " + std::to_string(answered) + " is wrong (request_id " +
                       std::to_string(resp.request_id) + ")";
            ++answered;
        }
    }
    return {};
}

// The order loop's side: pops request_count requests of slot 0, checks them
// and answers each (holding the answer while the response ring is full).
std::string run_loop(order_channel_region& r) {
    const int64_t end = ef::mono_ns() + deadline_ns;
    ef_order_request got;
    ef_order_response resp;
    for (uint64_t i = 0; i < request_count; ++i) {
        while (!r.pop_request(0, got))
            if (ef::mono_ns() > end) return "timed out at request " + std::to_string(i);
        if (got.request_id != i)
            return "request " + std::to_string(i) + " came as " + std::to_string(got.request_id);
        if (!request_intact(got)) return "request " + std::to_string(i) + " is torn";
        answer(got, resp);
        while (!r.push_response(0, resp))
            if (ef::mono_ns() > end) return "response ring stayed full at " + std::to_string(i);
    }
    if (r.pop_request(0, got)) return "a request beyond the last one arrived";
    return {};
}

TEST(orders_channel_concurrency, threads_pass_every_request_and_answer_once_in_order) {
    const std::string inst = unique_instance("thr");
    auto r = make_region(inst, {"alpha"}, 16, 8);
    ASSERT_TRUE(r);
    ef_order_channel* ch = nullptr;
    ASSERT_EQ(ef::consumer::orders_attach_memory(r->base(), r->region_bytes(), "alpha", &ch), EF_OK)
        << ef_orders_last_error();
    std::string strategy_error;
    std::thread strategy([&] { strategy_error = run_strategy(ch); });
    const std::string loop_error = run_loop(*r);
    strategy.join();
    ef_orders_detach(ch);
    EXPECT_EQ(loop_error, "");
    EXPECT_EQ(strategy_error, "");
}

// Child: attaches by name through the C ABI and runs the strategy; the exit
// code says what failed.
[[noreturn]] void strategy_process(const std::string& inst, void (*body)(ef_order_channel*)) {
    ef_order_channel* ch = nullptr;
    const int64_t end = ef::mono_ns() + 10'000'000'000;
    int rc;
    while ((rc = ef_orders_attach(inst.c_str(), "alpha", &ch)) != EF_OK && ef::mono_ns() < end) {
    }
    if (rc != EF_OK) {
        std::fprintf(stderr, "child attach: %s\n", ef_orders_last_error());
        ::_exit(10);
    }
    body(ch);
    ef_orders_detach(ch);
    ::_exit(0);
}

int wait_child(pid_t pid) {
    int st = 0;
    if (::waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

TEST(orders_channel_concurrency, two_processes_pass_every_request_and_answer_once_in_order) {
    const std::string inst = unique_instance("fork");
    auto r = make_region(inst, {"alpha"}, 64, 32);
    ASSERT_TRUE(r);
    r->set_loop_state(1);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0)
        strategy_process(inst, [](ef_order_channel* ch) {
            const std::string e = run_strategy(ch);
            if (!e.empty()) {
                std::fprintf(stderr, "child: %s\n", e.c_str());
                ::_exit(11);
            }
        });
    const std::string loop_error = run_loop(*r);
    EXPECT_EQ(loop_error, "");
    if (!loop_error.empty()) ::kill(pid, SIGKILL);
    EXPECT_EQ(wait_child(pid), 0);
}

// Child of the ping-pong: one request at a time, the next after its answer.
void ping_pong(ef_order_channel* ch) {
    ef_order_request req;
    ef_order_response resp;
    const int64_t end = ef::mono_ns() + deadline_ns;
    for (uint64_t i = 0; i < ping_count; ++i) {
        numbered_request(i, req);
        if (ef_order_submit(ch, &req) != EF_OK) ::_exit(12);
        while (ef_order_poll(ch, &resp) != 1)
            if (ef::mono_ns() > end) ::_exit(13);
        if (!answer_matches(i, resp)) ::_exit(14);
    }
}

int64_t percentile(std::vector<int64_t>& v, double p) {
    const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
    std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
    return v[k];
}

TEST(orders_channel_concurrency, submit_to_pop_across_processes_is_measured) {
    const std::string inst = unique_instance("lat");
    auto r = make_region(inst, {"alpha"}, 64, 64);
    ASSERT_TRUE(r);
    std::vector<int64_t> submit_to_pop;
    submit_to_pop.reserve(ping_count);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) strategy_process(inst, ping_pong);
    ef_order_request got;
    ef_order_response resp;
    const int64_t end = ef::mono_ns() + deadline_ns;
    bool timed_out = false;
    for (uint64_t i = 0; i < ping_count && !timed_out; ++i) {
        while (!r->pop_request(0, got))
            if (ef::mono_ns() > end) {
                timed_out = true;
                break;
            }
        if (timed_out) break;
        submit_to_pop.push_back(ef::mono_ns() - got.submit_mono_ns);
        ASSERT_EQ(got.request_id, i);
        answer(got, resp);
        ASSERT_TRUE(r->push_response(0, resp));
    }
    if (timed_out) ::kill(pid, SIGKILL);
    ASSERT_EQ(wait_child(pid), 0);
    ASSERT_FALSE(timed_out);
    ASSERT_EQ(submit_to_pop.size(), ping_count);
    const int64_t p50 = percentile(submit_to_pop, 0.50);
    const int64_t p99 = percentile(submit_to_pop, 0.99);
    const int64_t p999 = percentile(submit_to_pop, 0.999);
    std::printf("order channel submit -> pop across processes, %llu round trips: p50 %lld ns, "
                "p99 %lld ns, p99.9 %lld ns\n",
                static_cast<unsigned long long>(ping_count), static_cast<long long>(p50),
                static_cast<long long>(p99), static_cast<long long>(p999));
    RecordProperty("submit_to_pop_p50_ns", std::to_string(p50));
    RecordProperty("submit_to_pop_p99_ns", std::to_string(p99));
    EXPECT_GT(p50, 0) << "the stamp is taken before the copy the daemon reads";
}

} // namespace
