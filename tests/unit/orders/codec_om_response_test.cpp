// The OpenMarkets order answers: the buy answer's first leg and the error
// body. Tables of (input, expected, why) over reordered keys, unknown
// members, escapes, number forms and nulls; every valid input also at every
// prefix and split point, ending at a guard page; malformed input gives an
// error, never a crash.
#include "json/om_order_response.hpp"
#include "tests/unit/orders/codec_test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ef::json {
namespace {

using orders::protocol::om_leg_status;
using ef::orders::test::for_every_proper_prefix;
using ef::orders::test::for_every_split;

struct leg_expect {
    const char* position_hash;
    const char* partner_id;
    const char* status_text;
    om_leg_status status;
    int64_t shares_e9, notional_e9, avg_e9;
    const char* sor;
    const char* reason;
    uint32_t legs;
};

struct om_case {
    std::string body;
    json_status status;
    leg_expect leg; // meaningful when ok
    const char* why;
};

const std::string meta = R"("meta":{"timestamp":"2026-11-22T04:00:00Z","api_version":"v1"})";
const std::string filled_leg =
    R"({"position_hash":"c1:m2:yes:v0:p17:full","partner_id":"kalshi","status":"filled","filled_shares":119.047619,"filled_notional":49.99999998,"avg_price":0.42,"sor_decision_id":"sor_1"})";

const om_case om_cases[] = {
    {R"({"data":{"orders":[)" + filled_leg + "]}," + meta + "}",
     json_status::ok,
     {"c1:m2:yes:v0:p17:full", "kalshi", "filled", om_leg_status::filled, 119'047'619'000,
      49'999'999'980, 420'000'000, "sor_1", "", 1},
     "the agreed shape, fully filled"},
    {std::string("{") + meta +
         R"(,"data":{"x":[1,{"y":null}],"orders":[{"reason":"only 20 available","avg_price":"4.1e-1","sor_decision_id":"sor_2","filled_notional":8.2,"filled_shares":20,"status":"partially_filled","partner_id":"polymarket","position_hash":"h","extra":{"a":[true,false]}}]}})",
     json_status::ok,
     {"h", "polymarket", "partially_filled", om_leg_status::partially_filled, 20'000'000'000,
      8'200'000'000, 410'000'000, "sor_2", "only 20 available", 1},
     "keys in reverse order, unknown members of every type, number as a string with exponent"},
    {R"({"data":{"orders":[{"position_hash":"h","partner_id":null,"status":"unfilled","filled_shares":0,"filled_notional":0E5,"avg_price":null,"sor_decision_id":"s","reason":"no liquidity at or below max_price"}]}})",
     json_status::ok,
     {"h", "", "unfilled", om_leg_status::unfilled, 0, 0, 0, "s",
      "no liquidity at or below max_price", 1},
     "unfilled: null partner and price, no meta"},
    {R"({"data":{"orders":[{"position_hash":"h\u003a1","status":"rej\u0065cted","filled_shares":0,"filled_notional":0,"reason":"price \"too\" high\n"}]}})",
     json_status::ok,
     {"h:1", "", "rejected", om_leg_status::rejected, 0, 0, 0, "", "price \"too\" high\n", 1},
     "escapes decoded into the leg's text area"},
    {R"( {"data" : {"orders" : [ {"position_hash" : "h", "status" : "filled", "filled_shares" : 1.0, "filled_notional" : 0.5, "avg_price" : 5e-1}, {"position_hash":"h2"} ] } } )",
     json_status::ok,
     {"h", "", "filled", om_leg_status::filled, 1'000'000'000, 500'000'000, 500'000'000, "", "", 2},
     "whitespace everywhere; a second leg is counted and not read"},
    {R"({"data":{"orders":[{"position_hash":"h","status":"settled","filled_shares":0,"filled_notional":0}]}})",
     json_status::ok,
     {"h", "", "settled", om_leg_status::unknown, 0, 0, 0, "", "", 1},
     "an unknown status word is kept as text, status unknown"},
    {R"({"data":{"orders":[]}})", json_status::missing_field, {}, "no leg"},
    {R"({"data":{}})", json_status::missing_field, {}, "no orders"},
    {R"({"meta":{}})", json_status::missing_field, {}, "no data"},
    {R"({"data":null})", json_status::wrong_type, {}, "null data"},
    {R"({"data":{"orders":{}}})", json_status::wrong_type, {}, "orders not an array"},
    {R"({"data":{"orders":[7]}})", json_status::wrong_type, {}, "leg not an object"},
    {R"({"data":{"orders":[{"status":"filled","filled_shares":1,"filled_notional":1}]}})",
     json_status::missing_field, {}, "leg without position_hash"},
    {R"({"data":{"orders":[{"position_hash":"h","filled_shares":1,"filled_notional":1}]}})",
     json_status::missing_field, {}, "leg without status"},
    {R"({"data":{"orders":[{"position_hash":"h","status":"filled","filled_notional":1}]}})",
     json_status::missing_field, {}, "leg without filled_shares"},
    {R"({"data":{"orders":[{"position_hash":"h","status":null,"filled_shares":1,"filled_notional":1}]}})",
     json_status::wrong_type, {}, "null status"},
    {R"({"data":{"orders":[{"position_hash":"h","status":"filled","filled_shares":true,"filled_notional":1}]}})",
     json_status::wrong_type, {}, "boolean shares"},
    {R"({"data":{"orders":[{"position_hash":"h","status":"filled","filled_shares":1e-10,"filled_notional":1}]}})",
     json_status::bad_number, {}, "shares not exact in 1e-9"},
    {R"({"data":{"orders":[{"position_hash":"h","status":"filled","filled_shares":"1x","filled_notional":1}]}})",
     json_status::bad_number, {}, "a string that is not a number"},
    {R"({"data":{"orders":[{"position_hash":"h","status":"filled","filled_shares":1,"filled_notional":1e300}]}})",
     json_status::bad_number, {}, "notional out of range"},
    {R"({"data":{"orders":[{"position_hash":"h","status":"filled","filled_shares":1,"filled_notional":1,"reason":5}]}})",
     json_status::wrong_type, {}, "reason a number"},
    {R"([{"data":1}])", json_status::not_an_object, {}, "an array at the top"},
    {R"("data")", json_status::not_an_object, {}, "a string at the top"},
    {R"({"data":{"orders":[{"position_hash":"h",}]}})", json_status::malformed, {},
     "trailing comma"},
    {R"({"data":{"orders":[]}} x)", json_status::malformed, {}, "trailing bytes"},
    {R"({"data":{"orders":[{"position_hash":"h\x"}]}})", json_status::malformed, {},
     "bad escape"},
    {std::string("{\"data\":{\"orders\":[{\"position_hash\":\"h\x01\"}]}}"), json_status::malformed,
     {}, "raw control byte in a string"},
    {"", json_status::malformed, {}, "empty body"},
};

void expect_leg(const om_buy_leg& got, const leg_expect& want, const char* why) {
    EXPECT_EQ(got.position_hash, want.position_hash) << why;
    EXPECT_EQ(got.partner_id, want.partner_id) << why;
    EXPECT_EQ(got.status_text, want.status_text) << why;
    EXPECT_EQ(got.status, want.status) << why;
    EXPECT_EQ(got.filled_shares_e9, want.shares_e9) << why;
    EXPECT_EQ(got.filled_notional_e9, want.notional_e9) << why;
    EXPECT_EQ(got.avg_price_e9, want.avg_e9) << why;
    EXPECT_EQ(got.sor_decision_id, want.sor) << why;
    EXPECT_EQ(got.reason, want.reason) << why;
    EXPECT_EQ(got.legs, want.legs) << why;
}

TEST(om_buy_response, reads_the_first_leg_of_every_table_body) {
    for (const om_case& c : om_cases) {
        ef::test::guarded_buffer g(c.body);
        om_buy_leg leg;
        EXPECT_EQ(parse_om_buy_response(g.view(), leg), c.status) << c.why;
        if (c.status == json_status::ok) {
            expect_leg(leg, c.leg, c.why);
        } else if (c.status != json_status::malformed && c.status != json_status::not_an_object) {
            EXPECT_STRNE(leg.bad_field, "") << c.why << ": a refused member is named";
        }
    }
}

TEST(om_buy_response, refuses_every_proper_prefix_of_a_valid_body) {
    for (const om_case& c : om_cases) {
        if (c.status != json_status::ok) continue;
        for_every_proper_prefix(c.body, [&](std::string_view prefix) {
            om_buy_leg leg;
            const json_status st = parse_om_buy_response(prefix, leg);
            // A prefix that only drops trailing whitespace is the whole body.
            if (prefix.find_last_not_of(' ') + 1 == c.body.find_last_not_of(' ') + 1) return;
            EXPECT_EQ(st, json_status::malformed) << c.why << " at " << prefix.size();
        });
    }
}

TEST(om_buy_response, judges_each_part_of_a_split_body_alone_without_reading_past_it) {
    for (const om_case& c : om_cases) {
        if (c.status != json_status::ok) continue;
        for_every_split(c.body, [&](std::string_view head, std::string_view tail) {
            om_buy_leg leg;
            if (head.find_first_not_of(' ') != std::string_view::npos &&
                tail.find_first_not_of(' ') != std::string_view::npos) {
                EXPECT_NE(parse_om_buy_response(head, leg), json_status::ok) << c.why;
                EXPECT_NE(parse_om_buy_response(tail, leg), json_status::ok) << c.why;
            }
        });
    }
}

TEST(om_buy_response, cuts_an_escaped_reason_too_long_for_the_text_area_and_says_so) {
    std::string reason;
    for (int i = 0; i < 400; ++i)
        reason += "\\u00e9"; // 6 bytes raw, 2 decoded: 2400 raw bytes
    const std::string body =
        R"({"data":{"orders":[{"position_hash":"h","status":"rejected","filled_shares":0,"filled_notional":0,"reason":")" +
        reason + "\"}]}}";
    ef::test::guarded_buffer g(body);
    om_buy_leg leg;
    ASSERT_EQ(parse_om_buy_response(g.view(), leg), json_status::ok);
    EXPECT_TRUE(leg.reason_truncated);
    EXPECT_GT(leg.reason.size(), 0u);
    EXPECT_EQ(leg.reason.size() % 2, 0u) << "never half a character";
    EXPECT_EQ(leg.reason.substr(0, 2), "\xc3\xa9");
    EXPECT_EQ(leg.status, om_leg_status::rejected) << "the answer is still read";
}

struct error_case {
    std::string body;
    json_status status;
    const char* code;
    const char* message;
    const char* why;
};

const error_case om_error_cases[] = {
    {R"({"error":{"code":"unknown_parameter","message":"unknown field: foo"}})", json_status::ok,
     "unknown_parameter", "unknown field: foo", "400 for a stray field"},
    {R"({"error":{"message":"not your user","code":"forbidden","status":403}})", json_status::ok,
     "forbidden", "not your user", "reordered, unknown member"},
    {R"({"error":{"code":"unauthorized","message":null}})", json_status::ok, "unauthorized", "",
     "null message"},
    {R"({"error":{"code":"in\u0076alid_parameter"}})", json_status::ok, "invalid_parameter", "",
     "escaped code, no message"},
    {R"({"error":{"message":"x"}})", json_status::missing_field, "", "", "no code"},
    {R"({"error":"forbidden"})", json_status::wrong_type, "", "", "error not an object"},
    {R"({"data":{}})", json_status::missing_field, "", "", "a success body is not an error"},
    {R"({"error":{"code":"x")", json_status::malformed, "", "", "cut"},
};

TEST(om_error, reads_code_and_message_of_every_table_body) {
    for (const error_case& c : om_error_cases) {
        ef::test::guarded_buffer g(c.body);
        venue_error e;
        EXPECT_EQ(parse_om_error(g.view(), e), c.status) << c.why;
        if (c.status != json_status::ok) continue;
        EXPECT_EQ(e.code, c.code) << c.why;
        EXPECT_EQ(e.message, c.message) << c.why;
        for_every_proper_prefix(c.body, [&](std::string_view prefix) {
            venue_error p;
            EXPECT_EQ(parse_om_error(prefix, p), json_status::malformed) << c.why;
        });
    }
}

const error_case ct_error_cases[] = {
    {R"({"message":"account not found"})", json_status::ok, "", "account not found",
     "404 for a foreign account"},
    {R"({"code":409,"message":"duplicate cl_order_id"})", json_status::ok, "",
     "duplicate cl_order_id", "unknown member"},
    {R"({"message":"tab\tthere"})", json_status::ok, "", "tab\tthere", "escaped tab"},
    {R"({"message":null})", json_status::wrong_type, "", "", "null message"},
    {R"({"error":"x"})", json_status::missing_field, "", "", "other shape"},
    {R"(["message"])", json_status::not_an_object, "", "", "array"},
    {R"({"message":"x)", json_status::malformed, "", "", "cut"},
};

TEST(ct_error, reads_the_message_of_every_table_body) {
    for (const error_case& c : ct_error_cases) {
        ef::test::guarded_buffer g(c.body);
        venue_error e;
        EXPECT_EQ(parse_ct_error(g.view(), e), c.status) << c.why;
        if (c.status != json_status::ok) continue;
        EXPECT_EQ(e.code, c.code) << c.why;
        EXPECT_EQ(e.message, c.message) << c.why;
        for_every_proper_prefix(c.body, [&](std::string_view prefix) {
            venue_error p;
            EXPECT_EQ(parse_ct_error(prefix, p), json_status::malformed) << c.why;
        });
    }
}

} // namespace
} // namespace ef::json
