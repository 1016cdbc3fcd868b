// `edgestat orders` on journals written by the journal writer: one line (or
// one JSON object) per order with its whole life, filters, and a torn tail
// reported without losing the records before it. Runs the real edgestat
// binary (meson passes its path in $EDGESTAT).
#include "tests/support/run_command.hpp"
#include "tests/unit/orders/journal_support.hpp"
#include "tests/unit/orders/temp_dir.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sys/wait.h>

namespace ef::orders {
namespace {

using namespace test;

ef::test::command_result edgestat(const std::string& args) {
    return ef::test::run_command(std::string(std::getenv("EDGESTAT")) + " " + args);
}

void copy(char* dst, size_t cap, const char* s) {
    std::memset(dst, 0, cap);
    std::strncpy(dst, s, cap - 1);
}

// Two orders: an OM buy that times out (UNKNOWN) and is later settled by a
// note and a RECONCILED response; a CT limit order rejected by risk.
void write_day(const std::string& dir) {
    journal_writer w(dir, "main", 64, 8192);
    ASSERT_TRUE(w.start().ok());
    ef_order_request om{};
    om.request_id = 11;
    om.kind = EF_ORDER_OM_BUY;
    copy(om.account, sizeof om.account, "user-7");
    copy(om.position_hash, sizeof om.position_hash, "0xabc");
    om.position_hash_len = 5;
    om.amount_e9 = 50'000'000'000;
    om.max_price_e9 = 420'000'000;
    om.submit_mono_ns = 1'000;
    ASSERT_TRUE(w.append_request(0, "alpha", om, "ef20261122-1", jt0, 1'000));
    ASSERT_TRUE(w.append_wire_out(0, journal::venue::openmarkets, "ef20261122-1", "POST",
                                  "/flow/v1/auth/orders/buy",
                                  R"({"orders":[{"position_hash":"0xabc","amount":50,"max_price":0.42}]})",
                                  jt0 + 10, 1'010));
    ef_order_response unknown{};
    unknown.request_id = 11;
    unknown.kind = EF_ORDER_OM_BUY;
    unknown.outcome = EF_OUTCOME_UNKNOWN;
    copy(unknown.cl_order_id, sizeof unknown.cl_order_id, "ef20261122-1");
    copy(unknown.reason, sizeof unknown.reason, "timeout after 5 s");
    unknown.submit_mono_ns = 1'000;
    unknown.done_mono_ns = 5'001'000;
    ASSERT_TRUE(w.append_response(0, unknown, jt0 + 5'000'000'000, 5'001'000));
    ASSERT_TRUE(w.append_note(0, "ef20261122-1", "late answer on the old connection", jt0 + 6'000'000'000, 6'000'000));
    ASSERT_TRUE(w.append_wire_in(0, "ef20261122-1", 200, R"({"data":{"orders":[{"status":"filled"}]}})",
                                 jt0 + 6'000'000'001, 6'000'001));
    ef_order_response rec = unknown;
    rec.outcome = EF_OUTCOME_RECONCILED;
    rec.final_ = 1;
    rec.filled_qty_e9 = 119'000'000'000;
    rec.filled_notional_e9 = 49'980'000'000;
    copy(rec.venue_status, sizeof rec.venue_status, "filled");
    ASSERT_TRUE(w.append_response(0, rec, jt0 + 6'000'000'002, 6'000'002));

    ef_order_request ct{};
    ct.request_id = 12;
    ct.kind = EF_ORDER_CT_NEW;
    copy(ct.account, sizeof ct.account, "acct-1");
    copy(ct.symbol, sizeof ct.symbol, "AAPL");
    ct.side = EF_SIDE_BUY;
    ct.order_type = EF_TYPE_LMT;
    ct.tif = EF_TIF_DAY;
    ct.qty_e9 = 10'000'000'000;
    ct.limit_price_e9 = 190'010'000'000;
    ASSERT_TRUE(w.append_request(1, "beta", ct, "", jt0 + 7'000'000'000, 7'000'000'000));
    ef_order_response rej{};
    rej.request_id = 12;
    rej.kind = EF_ORDER_CT_NEW;
    rej.outcome = EF_OUTCOME_REJECTED;
    rej.reject_source = EF_REJECT_RISK;
    rej.reject_code = EF_RISK_ORDER_NOTIONAL;
    rej.final_ = 1;
    copy(rej.reason, sizeof rej.reason, "max_order_notional: 1900.1 > 1000 (strategy beta)");
    ASSERT_TRUE(w.append_reject(1, rej, jt0 + 7'000'000'100, 7'000'000'100));
    ASSERT_TRUE(w.append_note(UINT32_MAX, "", "venue connect_trade reconnected", jt0 + 8'000'000'000, 8'000'000'000));
    w.stop();
}

class edgestat_orders : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::getenv("EDGESTAT")) GTEST_SKIP() << "EDGESTAT not set (meson sets it)";
        write_day(dir_.path());
    }
    std::string args(const std::string& more) const {
        return "orders --journal-dir " + dir_.path() + " --instance main --date 20261122 " + more;
    }
    temp_dir dir_;
};

TEST_F(edgestat_orders, table_has_one_line_per_order_with_its_outcome_chain) {
    const ef::test::command_result r = edgestat(args(""));
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("ef20261122-1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("unknown>reconciled (filled)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("$50 <=0.42"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("buy AAPL LMT"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("10 @190.01"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("rejected (risk: max_order_notional: 1900.1 > 1000 (strategy beta))"),
              std::string::npos) << r.out;
    EXPECT_NE(r.out.find("venue connect_trade reconnected"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("04:00:00.000"), std::string::npos) << r.out;
}

TEST_F(edgestat_orders, json_lines_carry_every_event_of_an_order_in_order) {
    const ef::test::command_result r = edgestat(args("--json --order ef20261122-1"));
    ASSERT_EQ(r.status, 0) << r.out;
    ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    const char* in_order[] = {"\"type\":\"request\"", "\"type\":\"wire_out\"",
                              "\"target\":\"/flow/v1/auth/orders/buy\"", "\"outcome\":\"unknown\"",
                              "late answer on the old connection", "\"type\":\"wire_in\"",
                              "\"outcome\":\"reconciled\""};
    size_t at = 0;
    for (const char* s : in_order) {
        const size_t found = r.out.find(s, at);
        ASSERT_NE(found, std::string::npos) << s << " after " << at << "\n" << r.out;
        at = found;
    }
    EXPECT_NE(r.out.find("\"filled_qty\":\"119\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"max_price\":\"0.42\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"time\":\"2026-11-22T04:00:00.000Z\""), std::string::npos) << r.out;
}

TEST_F(edgestat_orders, strategy_filter_keeps_only_that_strategys_orders) {
    const ef::test::command_result r = edgestat(args("--json --strategy beta"));
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    EXPECT_NE(r.out.find("\"strategy\":\"beta\""), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("ef20261122-1"), std::string::npos) << r.out;
}

TEST_F(edgestat_orders, a_torn_tail_is_reported_and_the_records_before_it_are_shown) {
    const std::string path = dir_.path() + "/" + jfile;
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 7);
    const ef::test::command_result r = edgestat("orders --file " + path);
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("torn record at offset"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("unknown>reconciled"), std::string::npos) << r.out;
}

TEST_F(edgestat_orders, a_missing_journal_fails_with_its_path) {
    const ef::test::command_result r = edgestat("orders --journal-dir " + dir_.path() + " --instance other --date 20261122");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("other-orders-20261122.journal"), std::string::npos) << r.out;
}

} // namespace
} // namespace ef::orders
