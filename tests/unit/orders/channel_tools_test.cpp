// edgeorder and edgestat halt/resume as an operator runs them: the test plays
// the daemon (creates the region, keeps the heartbeat, answers requests from
// a thread) and runs the real executables, whose paths meson passes in
// EDGEORDER and EDGESTAT. Checks exit statuses, output lines and the halt words.
#include "tests/support/run_command.hpp"
#include "channel_support.hpp"
#include "common/clock.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>
#include <sys/wait.h>
#include <thread>

using namespace ef::orders;
using namespace ef::orders::test;

namespace {

using run_result = ef::test::command_result;
inline run_result run(const std::string& command) { return ef::test::run_command(command); }

const char* tool(const char* env) {
    const char* path = std::getenv(env);
    return path && *path ? path : nullptr;
}

// The order loop: heartbeats, and answers every request with `script`.
class fake_loop {
public:
    using script_fn = void (*)(order_channel_region&, const ef_order_request&);
    fake_loop(order_channel_region& r, script_fn script) : r_(r), script_(script) {
        r_.heartbeat(ef::mono_ns());
        r_.set_loop_state(1);
        thread_ = std::thread([this] {
            ef_order_request req;
            while (!stop_.load(std::memory_order_relaxed)) {
                r_.heartbeat(ef::mono_ns());
                if (r_.pop_request(0, req)) script_(r_, req);
                std::this_thread::sleep_for(std::chrono::microseconds(100));
            }
        });
    }
    ~fake_loop() {
        stop_.store(true);
        thread_.join();
    }

private:
    order_channel_region& r_;
    script_fn script_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

ef_order_response reply(const ef_order_request& req, uint32_t outcome, uint32_t final_) {
    ef_order_response resp{};
    resp.request_id = req.request_id;
    resp.kind = req.kind;
    resp.outcome = outcome;
    resp.final_ = final_;
    resp.submit_mono_ns = req.submit_mono_ns;
    resp.done_mono_ns = ef::mono_ns();
    std::snprintf(resp.cl_order_id, sizeof resp.cl_order_id, "ef20261122-1");
    return resp;
}

const std::string om_args =
    " om-buy --account u1 --position c1:ml:home --amount 50 --max-price 0.42";

TEST(channel_tools, edgeorder_prints_every_response_until_the_final_one_and_exits_0) {
    const char* edgeorder = tool("EDGEORDER");
    if (!edgeorder) GTEST_SKIP() << "run through meson test (EDGEORDER names the executable)";
    const std::string inst = unique_instance("eo");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    fake_loop loop(*r, [](order_channel_region& rr, const ef_order_request& req) {
        // An unknown outcome is not final: the reconciled truth follows.
        (void)rr.push_response(0, reply(req, EF_OUTCOME_UNKNOWN, 0));
        ef_order_response done = reply(req, EF_OUTCOME_RECONCILED, 1);
        done.filled_qty_e9 = req.amount_e9 * 2; // the request arrived intact
        (void)rr.push_response(0, done);
    });
    const run_result res = run(std::string(edgeorder) + " --instance " + inst +
                               " --strategy alpha" + om_args + " --json");
    EXPECT_EQ(res.status, 0) << res.out;
    EXPECT_NE(res.out.find("\"outcome\":\"unknown\",\"final\":false"), std::string::npos)
        << res.out;
    EXPECT_NE(res.out.find("\"outcome\":\"reconciled\",\"final\":true"), std::string::npos)
        << res.out;
    EXPECT_NE(res.out.find("\"filled_qty\":\"100\""), std::string::npos) << res.out;
}

TEST(channel_tools, edgeorder_exits_2_on_a_reject_and_3_without_a_final_answer) {
    const char* edgeorder = tool("EDGEORDER");
    if (!edgeorder) GTEST_SKIP() << "run through meson test (EDGEORDER names the executable)";
    const std::string inst = unique_instance("eo2");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    {
        fake_loop loop(*r, [](order_channel_region& rr, const ef_order_request& req) {
            ef_order_response resp = reply(req, EF_OUTCOME_REJECTED, 1);
            resp.reject_source = EF_REJECT_RISK;
            resp.reject_code = EF_RISK_HALT_STRATEGY;
            (void)rr.push_response(0, resp);
        });
        const run_result res =
            run(std::string(edgeorder) + " --instance " + inst + " --strategy alpha" + om_args);
        EXPECT_EQ(res.status, 2) << res.out;
        EXPECT_NE(res.out.find("rejected"), std::string::npos) << res.out;
        EXPECT_NE(res.out.find("limit=halt_strategy"), std::string::npos) << res.out;
    }
    {
        fake_loop loop(*r, [](order_channel_region& rr, const ef_order_request& req) {
            (void)rr.push_response(0, reply(req, EF_OUTCOME_UNKNOWN, 0));
        });
        const run_result res = run(std::string(edgeorder) + " --instance " + inst +
                                   " --strategy alpha --timeout-ms 300" + om_args);
        EXPECT_EQ(res.status, 3) << res.out;
        EXPECT_NE(res.out.find("last outcome: unknown"), std::string::npos) << res.out;
    }
    const run_result busy =
        run(std::string(edgeorder) + " --instance " + inst + " --strategy beta" + om_args);
    EXPECT_EQ(busy.status, 1) << busy.out;
    EXPECT_NE(busy.out.find("no strategy \"beta\""), std::string::npos) << busy.out;
}

TEST(channel_tools, edgestat_halt_and_resume_flip_the_words_the_loop_reads) {
    const char* edgestat = tool("EDGESTAT");
    if (!edgestat) GTEST_SKIP() << "run through meson test (EDGESTAT names the executable)";
    const std::string inst = unique_instance("es");
    auto r = make_region(inst, {"alpha", "beta"});
    ASSERT_TRUE(r);
    const std::string base = std::string(edgestat) + " ";
    run_result res = run(base + "halt --instance " + inst + " --strategy beta");
    EXPECT_EQ(res.status, 0) << res.out;
    EXPECT_TRUE(r->halted(1));
    EXPECT_FALSE(r->halted_all());
    res = run(base + "halt --instance " + inst);
    EXPECT_EQ(res.status, 0) << res.out;
    EXPECT_TRUE(r->halted_all());
    res = run(base + "resume --instance " + inst);
    EXPECT_EQ(res.status, 0) << res.out;
    EXPECT_FALSE(r->halted_all());
    EXPECT_NE(res.out.find("strategy beta is still halted"), std::string::npos) << res.out;
    res = run(base + "resume --instance " + inst + " --strategy beta");
    EXPECT_EQ(res.status, 0) << res.out;
    EXPECT_FALSE(r->halted(1));
    res = run(base + "halt --instance " + inst + " --strategy gamma");
    EXPECT_EQ(res.status, 1) << res.out;
    EXPECT_NE(res.out.find("gamma"), std::string::npos) << res.out;
    res = run(base + "halt --instance " + unique_instance("none"));
    EXPECT_EQ(res.status, 1) << res.out;
    EXPECT_NE(res.out.find("No such file"), std::string::npos) << res.out;
}

} // namespace
