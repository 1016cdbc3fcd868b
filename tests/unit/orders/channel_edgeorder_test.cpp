// edgeorder's pure parts (tools/edgeorder/args.hpp): which command lines
// become which request, which are refused and why, the exit status of each
// outcome and the output lines.
#include "edgeorder/args.hpp"

#include <cstring>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using ef::edgeorder::parse_args;
using ef::edgeorder::parse_result;

namespace {

using args = std::vector<std::string>;

args with(args head, const args& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

const args om = {"--strategy", "alpha",      "om-buy",      "--account", "u1",
                 "--position", "c1:ml:home", "--max-price", "0.42"};
const args ct = {"--strategy", "alpha",        "ct-new", "--account", "a1",
                 "--broker",   "alpaca",       "--side", "buy",       "--tif",
                 "DAY+",       "--instrument", "EQUITY", "--symbol",  "AAPL"};

TEST(edgeorder_args, om_buy_builds_the_request_with_exact_decimals) {
    const parse_result p =
        parse_args(with(om, {"--amount", "50.5", "--partner", "kalshi", "--paper"}));
    ASSERT_EQ(p.what, parse_result::status::ok) << p.message;
    const ef_order_request& r = p.opts.request;
    EXPECT_EQ(p.opts.command, "om-buy");
    EXPECT_EQ(p.opts.strategy, "alpha");
    EXPECT_EQ(p.opts.timeout_ms, 10000);
    EXPECT_EQ(r.kind, uint32_t{EF_ORDER_OM_BUY});
    EXPECT_EQ(r.amount_e9, 50'500'000'000);
    EXPECT_EQ(r.shares_e9, 0);
    EXPECT_EQ(r.max_price_e9, 420'000'000);
    EXPECT_EQ(r.flags, uint32_t{EF_ORDER_PAPER});
    EXPECT_STREQ(r.partner_id, "kalshi");
    EXPECT_EQ(std::string(r.position_hash, r.position_hash_len), "c1:ml:home");
}

TEST(edgeorder_args, ct_commands_build_their_requests) {
    parse_result p = parse_args(with(ct, {"--type", "STPLMT", "--qty", "10", "--limit", "190.01",
                                          "--stop", "189.5", "--json", "--timeout-ms", "500"}));
    ASSERT_EQ(p.what, parse_result::status::ok) << p.message;
    EXPECT_TRUE(p.opts.json);
    EXPECT_EQ(p.opts.timeout_ms, 500);
    EXPECT_EQ(p.opts.request.tif, EF_TIF_DAY_EXT);
    EXPECT_EQ(p.opts.request.order_type, EF_TYPE_STPLMT);
    EXPECT_EQ(p.opts.request.limit_price_e9, 190'010'000'000);
    EXPECT_EQ(p.opts.request.stop_price_e9, 189'500'000'000);
    EXPECT_EQ(p.opts.request.qty_e9, 10'000'000'000);

    p = parse_args({"--strategy", "s", "ct-modify", "--account", "a", "--broker", "b", "--order-id",
                    "o-1", "--limit", "0.000000001"});
    ASSERT_EQ(p.what, parse_result::status::ok) << p.message;
    EXPECT_EQ(p.opts.request.kind, uint32_t{EF_ORDER_CT_MODIFY});
    EXPECT_EQ(p.opts.request.limit_price_e9, 1);
    EXPECT_STREQ(p.opts.request.order_id, "o-1");

    p = parse_args({"--instance", "i2", "--strategy", "s", "ct-cancel", "--account", "a",
                    "--order-id", "o-1"});
    ASSERT_EQ(p.what, parse_result::status::ok) << p.message;
    EXPECT_EQ(p.opts.instance, "i2");
    EXPECT_EQ(p.opts.request.kind, uint32_t{EF_ORDER_CT_CANCEL});
    EXPECT_EQ(p.opts.request.broker[0], '\0');
}

TEST(edgeorder_args, refuses_what_the_venue_would_refuse_or_we_cannot_hold_exactly) {
    const struct {
        args argv;
        const char* message_has;
        const char* why;
    } cases[] = {
        {om, "exactly one of --amount and --shares", "neither amount nor shares"},
        {with(om, {"--amount", "1", "--shares", "2"}), "exactly one", "both amount and shares"},
        {with(om, {"--amount", "0"}), "greater than 0", "zero is 'not given' in the request"},
        {with(om, {"--amount", "0.0000000001"}), "not an exact decimal", "below 1e-9"},
        {with(om, {"--amount", "1,5"}), "not an exact decimal", "not a number"},
        {with(om, {"--amount", "99999999999"}), "not an exact decimal", "does not fit int64 e9"},
        {{"--strategy", "s", "om-buy", "--account", "u", "--position", std::string(125, 'h'),
          "--max-price", "1", "--shares", "1"},
         "too long",
         "hash too long"},
        {with(ct, {"--type", "MKT"}), "exactly one of --qty and --notional", "no quantity"},
        {with(ct, {"--type", "LMT", "--qty", "1"}), "--limit is required", "LMT without a limit"},
        {with(ct, {"--type", "MKT", "--qty", "1", "--limit", "5"}), "--limit is not allowed",
         "MKT with a limit"},
        {with(ct, {"--type", "STP", "--notional", "100"}), "--stop is required",
         "STP without a stop"},
        {with(ct, {"--type", "LMT", "--qty", "1", "--limit", "5", "--stop", "4"}),
         "--stop is not allowed", "LMT with a stop"},
        {with(ct, {"--type", "lmt", "--qty", "1"}), "want one of MKT", "type in lower case"},
        {{"--strategy", "s", "ct-new", "--account", "a", "--broker", "b", "--side", "short",
          "--type", "MKT", "--tif", "DAY", "--instrument", "EQUITY", "--symbol", "S", "--qty", "1"},
         "want one of buy, sell",
         "unknown side"},
        {{"--strategy", "s", "ct-modify", "--account", "a", "--broker", "b", "--order-id", "o"},
         "at least one of",
         "a modify that changes nothing"},
        {{"om-buy", "--account", "u", "--position", "h", "--max-price", "1", "--amount", "1"},
         "--strategy",
         "no strategy"},
        {{"--strategy", "s"}, "subcommand", "no command"},
        {with(om, {"--amount", "1", "--timeout-ms", "0"}), "timeout", "zero timeout"},
    };
    for (const auto& c : cases) {
        const parse_result p = parse_args(c.argv);
        EXPECT_EQ(p.what, parse_result::status::usage_error) << c.why;
        EXPECT_NE(p.message.find(c.message_has), std::string::npos) << c.why << ": " << p.message;
    }
}

TEST(edgeorder_args, help_is_not_an_error) {
    const parse_result p = parse_args({"--help"});
    EXPECT_EQ(p.what, parse_result::status::help);
    EXPECT_NE(p.message.find("om-buy"), std::string::npos);
}

TEST(edgeorder_output, exit_status_follows_the_outcome) {
    const struct {
        uint32_t outcome;
        int want;
    } cases[] = {{EF_OUTCOME_ACCEPTED, 0},   {EF_OUTCOME_FILLED, 0},    {EF_OUTCOME_PARTIAL, 0},
                 {EF_OUTCOME_UNFILLED, 0},   {EF_OUTCOME_CANCELLED, 0}, {EF_OUTCOME_MODIFIED, 0},
                 {EF_OUTCOME_RECONCILED, 0}, {EF_OUTCOME_REJECTED, 2},  {EF_OUTCOME_UNKNOWN, 3}};
    for (const auto& c : cases)
        EXPECT_EQ(ef::edgeorder::exit_code_for(c.outcome), c.want) << c.outcome;
}

ef_order_response risk_reject() {
    ef_order_response r{};
    r.request_id = 1795000000000000123ull;
    r.kind = EF_ORDER_OM_BUY;
    r.outcome = EF_OUTCOME_REJECTED;
    r.reject_source = EF_REJECT_RISK;
    r.reject_code = EF_RISK_ORDER_NOTIONAL;
    r.final_ = 1;
    std::strcpy(r.reason, "max_order_notional: 1500 > 1000 (strategy \"alpha\")");
    r.submit_mono_ns = 1000;
    r.done_mono_ns = 3500;
    return r;
}

TEST(edgeorder_output, a_json_line_has_stable_keys_and_decimals_as_strings) {
    ef_order_response r = risk_reject();
    r.filled_qty_e9 = 1'500'000'000;
    r.fills_count = 1;
    r.fills[0] = {1'500'000'000, 420'000'000, 7};
    const std::string line = ef::edgeorder::format_response(r, true);
    EXPECT_EQ(line.back(), '\n');
    for (const char* want :
         {"\"request_id\":\"1795000000000000123\"", "\"outcome\":\"rejected\"", "\"final\":true",
          "\"filled_qty\":\"1.5\"", "\"reject_source\":\"risk\"",
          "\"risk_limit\":\"max_order_notional\"",
          "\"reason\":\"max_order_notional: 1500 > 1000 (strategy \\\"alpha\\\")\"",
          "\"fills\":[{\"qty\":\"1.5\",\"price\":\"0.42\",\"time_unix_ns\":7}]",
          "\"submit_to_sent_ns\":null", "\"submit_to_done_ns\":2500"})
        EXPECT_NE(line.find(want), std::string::npos) << want << "\n" << line;
}

TEST(edgeorder_output, a_human_line_names_the_outcome_limit_and_latency) {
    ef_order_response r = risk_reject();
    std::string line = ef::edgeorder::format_response(r, false);
    EXPECT_EQ(line.rfind("rejected cl_order_id=- order_id=-", 0), 0u) << line;
    EXPECT_NE(line.find("reject=risk limit=max_order_notional"), std::string::npos) << line;
    EXPECT_NE(line.find("submit_to_sent=-"), std::string::npos) << line;
    r = {};
    r.outcome = EF_OUTCOME_UNKNOWN;
    std::strcpy(r.cl_order_id, "ef20261122-17");
    r.submit_mono_ns = 1000;
    r.sent_mono_ns = 13'500;
    line = ef::edgeorder::format_response(r, false);
    EXPECT_EQ(line.rfind("unknown (more to come) cl_order_id=ef20261122-17", 0), 0u) << line;
    EXPECT_NE(line.find("submit_to_sent=12.5us"), std::string::npos) << line;
}

} // namespace
