// Connect Trade's normalized order and the GET /orders list that
// reconciliation scans. Tables of (input, expected, why) over reordered keys,
// unknown members, escapes, numbers as strings and as JSON numbers, nulls;
// every valid input also at every prefix and split point, ending at a guard
// page; malformed input gives an error, never a crash.
#include "json/ct_order.hpp"
#include "tests/unit/orders/codec_test_util.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ef::json {
namespace {

using orders::protocol::ct_order_status;
using ef::orders::test::for_every_proper_prefix;
using ef::orders::test::for_every_split;

struct order_expect {
    const char* order_id;
    const char* cl_order_id;
    const char* account_id;
    const char* symbol;
    uint8_t side;
    ct_order_status status;
    int64_t filled_qty_e9, avg_fill_price_e9, order_qty_e9, order_notional_e9, limit_e9, stop_e9;
    const char* broker_message;
    uint32_t fills_total;
    std::vector<ef_order_fill> fills;
};

struct ct_case {
    std::string body;
    json_status status;
    order_expect order;
    const char* why;
};

// 2026-11-22T04:00:00.123456Z
constexpr int64_t t0 = 1'795'320'000'123'456'000;

const std::string working =
    R"({"order_id":"o-1","cl_order_id":"ef20261122-17","account_id":"acc-1","broker":"ALPACA","symbol":"AAPL","side":"buy","order_type":"LMT","order_tif":"DAY","instrument":"EQUITY","order_qty":"10","order_notional":null,"order_limit_price":"190.01","stop_price":null,"status":"working","filled_qty":"0","avg_fill_price":null,"fills":[],"broker_message":null,"created_at":"2026-11-22T04:00:00.123456Z"})";

std::string fills_json(int n) {
    std::string s = "[";
    for (int i = 0; i < n; ++i) {
        if (i) s += ",";
        s += R"({"qty":"1","price":"190.0)" + std::to_string(i) +
             R"(","time":"2026-11-22T04:00:00.123456Z"})";
    }
    return s + "]";
}

std::vector<ef_order_fill> fills_expect(int n) {
    std::vector<ef_order_fill> v;
    for (int i = 0; i < n && i < EF_ORDER_FILLS_MAX; ++i)
        v.push_back({1'000'000'000, 190'000'000'000 + i * 10'000'000, t0});
    return v;
}

const ct_case ct_cases[] = {
    {working,
     json_status::ok,
     {"o-1", "ef20261122-17", "acc-1", "AAPL", EF_SIDE_BUY, ct_order_status::working, 0, 0,
      10'000'000'000, 0, 190'010'000'000, 0, "", 0, {}},
     "the agreed shape: a working limit order"},
    {R"({"fills":[{"time":"2026-11-22T04:00:00.123456Z","price":190.5,"qty":2.5},{"qty":"0.5","price":"190.25","time":"2026-11-22T04:00:00.123456789Z"}],"created_at":"x","status":"filled","filled_qty":3,"avg_fill_price":190.458333333,"side":"sell","symbol":"MSFT","order_id":"o-2","cl_order_id":"ef20261122-18","order_notional":"570.5","new":{"deep":[[],{}]}})",
     json_status::ok,
     {"o-2", "ef20261122-18", "", "MSFT", EF_SIDE_SELL, ct_order_status::filled, 3'000'000'000,
      190'458'333'333, 0, 570'500'000'000, 0, 0, "", 2,
      {{2'500'000'000, 190'500'000'000, t0}, {500'000'000, 190'250'000'000, t0 + 789}}},
     "reordered keys, JSON numbers, unknown members, fills with nanoseconds"},
    {R"({"order_id":"o-3","cl_order_id":"c","status":"rejected","filled_qty":"0","broker_message":"insufficient \"buying\" power\u00e9","stop_price":"1e2","order_limit_price":"101.5"})",
     json_status::ok,
     {"o-3", "c", "", "", 0, ct_order_status::rejected, 0, 0, 0, 0, 101'500'000'000,
      100'000'000'000, "insufficient \"buying\" power\xc3\xa9", 0, {}},
     "rejected with an escaped broker message; number strings with exponent"},
    {R"({"order_id":"o\/4","cl_order_id":"ef\u002d1","status":"pending_replace","filled_qty":"0","fills":null,"side":"short"})",
     json_status::ok,
     {"o/4", "ef-1", "", "", 0, ct_order_status::pending_replace, 0, 0, 0, 0, 0, 0, "", 0, {}},
     "escaped ids decoded; null fills; an unknown side word is 0"},
    {R"({"order_id":"o-5","cl_order_id":"c","status":"partially_filled","filled_qty":"9","fills":)" +
         fills_json(9) + "}",
     json_status::ok,
     {"o-5", "c", "", "", 0, ct_order_status::partially_filled, 9'000'000'000, 0, 0, 0, 0, 0,
      "", 9, fills_expect(9)},
     "more fills than a response carries: all counted, the first eight kept"},
    {R"({"order_id":"o-6","cl_order_id":"c","status":"held","filled_qty":"0"})",
     json_status::ok,
     {"o-6", "c", "", "", 0, ct_order_status::unknown, 0, 0, 0, 0, 0, 0, "", 0, {}},
     "a status word outside the seed's ten: unknown, kept as text"},
    {R"({"cl_order_id":"c","status":"working","filled_qty":"0"})", json_status::missing_field,
     {}, "no order_id"},
    {R"({"order_id":"o","status":"working","filled_qty":"0"})", json_status::missing_field, {},
     "no cl_order_id"},
    {R"({"order_id":"o","cl_order_id":"c","filled_qty":"0"})", json_status::missing_field, {},
     "no status"},
    {R"({"order_id":"o","cl_order_id":"c","status":"working"})", json_status::missing_field, {},
     "no filled_qty"},
    {R"({"order_id":"o","cl_order_id":"c","status":"working","filled_qty":null})",
     json_status::wrong_type, {}, "null filled_qty"},
    {R"({"order_id":7,"cl_order_id":"c","status":"working","filled_qty":"0"})",
     json_status::wrong_type, {}, "numeric order_id"},
    {R"({"order_id":"o","cl_order_id":"c","status":"working","filled_qty":"0","fills":{}})",
     json_status::wrong_type, {}, "fills an object"},
    {R"({"order_id":"o","cl_order_id":"c","status":"working","filled_qty":"0","fills":[1]})",
     json_status::wrong_type, {}, "a fill not an object"},
    {R"({"order_id":"o","cl_order_id":"c","status":"filled","filled_qty":"1","fills":[{"qty":"1","price":"2"}]})",
     json_status::missing_field, {}, "a fill without time"},
    {R"({"order_id":"o","cl_order_id":"c","status":"filled","filled_qty":"1","fills":[{"qty":"1","price":"2","time":"yesterday"}]})",
     json_status::bad_value, {}, "a fill time that is not ISO-8601"},
    {R"({"order_id":"o","cl_order_id":"c","status":"filled","filled_qty":"0.0000000001"})",
     json_status::bad_number, {}, "a quantity finer than 1e-9"},
    {R"({"order_id":"o","cl_order_id":"c","status":"filled","filled_qty":" 1"})",
     json_status::bad_number, {}, "a number string with a space"},
    {R"({"order_id":"o","cl_order_id":"c","status":"working","filled_qty":"0","broker_message":false})",
     json_status::wrong_type, {}, "broker_message a boolean"},
    {R"(null)", json_status::not_an_object, {}, "null body"},
    {R"({"order_id":"o" "cl_order_id":"c"})", json_status::malformed, {}, "missing comma"},
    {R"({"order_id":"o","cl_order_id":"c","status":"working","filled_qty":"0"}})",
     json_status::malformed, {}, "extra brace"},
    {R"({"order_id":"\ud800","cl_order_id":"c","status":"working","filled_qty":"0"})",
     json_status::malformed, {}, "lone surrogate"},
};

void expect_order(const ct_order& got, const order_expect& want, const char* why) {
    EXPECT_EQ(got.order_id, want.order_id) << why;
    EXPECT_EQ(got.cl_order_id, want.cl_order_id) << why;
    EXPECT_EQ(got.account_id, want.account_id) << why;
    EXPECT_EQ(got.symbol, want.symbol) << why;
    EXPECT_EQ(got.side, want.side) << why;
    EXPECT_EQ(got.status, want.status) << why;
    EXPECT_EQ(got.filled_qty_e9, want.filled_qty_e9) << why;
    EXPECT_EQ(got.avg_fill_price_e9, want.avg_fill_price_e9) << why;
    EXPECT_EQ(got.order_qty_e9, want.order_qty_e9) << why;
    EXPECT_EQ(got.order_notional_e9, want.order_notional_e9) << why;
    EXPECT_EQ(got.limit_price_e9, want.limit_e9) << why;
    EXPECT_EQ(got.stop_price_e9, want.stop_e9) << why;
    EXPECT_EQ(got.broker_message, want.broker_message) << why;
    EXPECT_EQ(got.fills_total, want.fills_total) << why;
    ASSERT_EQ(got.fills_count, want.fills.size()) << why;
    for (size_t i = 0; i < want.fills.size(); ++i) {
        EXPECT_EQ(got.fills[i].qty_e9, want.fills[i].qty_e9) << why << " fill " << i;
        EXPECT_EQ(got.fills[i].price_e9, want.fills[i].price_e9) << why << " fill " << i;
        EXPECT_EQ(got.fills[i].time_unix_ns, want.fills[i].time_unix_ns) << why << " fill " << i;
    }
}

TEST(ct_order, reads_every_table_body) {
    for (const ct_case& c : ct_cases) {
        ef::test::guarded_buffer g(c.body);
        ct_order o;
        EXPECT_EQ(parse_ct_order(g.view(), o), c.status) << c.why;
        if (c.status == json_status::ok) {
            expect_order(o, c.order, c.why);
        } else if (c.status != json_status::malformed && c.status != json_status::not_an_object) {
            EXPECT_STRNE(o.bad_field, "") << c.why << ": a refused member is named";
        }
    }
}

TEST(ct_order, refuses_every_proper_prefix_of_a_valid_body) {
    for (const ct_case& c : ct_cases) {
        if (c.status != json_status::ok) continue;
        for_every_proper_prefix(c.body, [&](std::string_view prefix) {
            ct_order o;
            EXPECT_EQ(parse_ct_order(prefix, o), json_status::malformed)
                << c.why << " at " << prefix.size();
        });
    }
}

TEST(ct_order, judges_each_part_of_a_split_body_alone_without_reading_past_it) {
    for (const ct_case& c : ct_cases) {
        if (c.status != json_status::ok) continue;
        for_every_split(c.body, [&](std::string_view head, std::string_view tail) {
            ct_order o;
            EXPECT_NE(parse_ct_order(head, o), json_status::ok) << c.why;
            EXPECT_NE(parse_ct_order(tail, o), json_status::ok) << c.why;
        });
    }
}

TEST(ct_order, flags_a_fill_time_cut_to_nanoseconds) {
    const std::string body =
        R"({"order_id":"o","cl_order_id":"c","status":"filled","filled_qty":"1","fills":[{"qty":"1","price":"2","time":"2026-11-22T04:00:00.1234567891Z"}]})";
    ct_order o;
    ASSERT_EQ(parse_ct_order(body, o), json_status::ok);
    EXPECT_TRUE(o.time_truncated);
    EXPECT_EQ(o.fills[0].time_unix_ns, 1'795'320'000'123'456'789);
}

// ------------------------------------------------------------------ list

std::string list_of(const std::vector<std::string>& orders, const char* next_cursor) {
    std::string s = R"({"orders":[)";
    for (size_t i = 0; i < orders.size(); ++i)
        s += (i ? "," : "") + orders[i];
    return s + R"(],"next_cursor":)" + next_cursor + R"(,"prev_cursor":null})";
}

std::string order_with(const char* cl, const char* status) {
    return std::string(R"({"order_id":"o-)") + cl + R"(","cl_order_id":")" + cl +
           R"(","status":")" + status + R"(","filled_qty":"0"})";
}

struct list_case {
    std::string body;
    const char* want;
    json_status status;
    bool found;
    const char* order_id;
    const char* next_cursor;
    const char* why;
};

const list_case list_cases[] = {
    {list_of({order_with("a", "working"), order_with("b", "filled")}, "\"cur1\""), "b",
     json_status::ok, true, "o-b", "cur1", "found on this page, more pages"},
    {list_of({order_with("a", "working")}, "null"), "b", json_status::ok, false, "", "",
     "not here, last page"},
    {list_of({}, "\"c\\/2\""), "b", json_status::ok, false, "", "c/2",
     "empty page; escaped cursor decoded"},
    {R"({"next_cursor":null,"orders":[{"cl_order_id":"x","bad":1},{"cl_order_id":"e\u0066-1","order_id":"o","status":"cancelled","filled_qty":"0"}]})",
     "ef-1", json_status::ok, true, "o", "",
     "escaped cl_order_id matches; other elements only need a cl_order_id to be skipped"},
    {list_of({order_with("a", "replaced"), order_with("a", "working")}, "null"), "a",
     json_status::ok, true, "o-a", "", "the first match wins"},
    {R"({"orders":[{"cl_order_id":"b","status":"working"}],"next_cursor":null})", "b",
     json_status::missing_field, false, "", "", "the match lacks order_id"},
    {R"({"orders":[1],"next_cursor":null})", "b", json_status::wrong_type, false, "", "",
     "an element not an object"},
    {R"({"next_cursor":null})", "b", json_status::missing_field, false, "", "", "no orders"},
    {R"({"orders":{},"next_cursor":null})", "b", json_status::wrong_type, false, "", "",
     "orders not an array"},
    {R"({"orders":[],"next_cursor":5})", "b", json_status::wrong_type, false, "", "",
     "numeric cursor"},
    {R"({"orders":[],"next_cursor":null,})", "b", json_status::malformed, false, "", "",
     "trailing comma"},
};

TEST(find_ct_order, finds_the_order_by_cl_order_id_and_the_next_cursor) {
    for (const list_case& c : list_cases) {
        ef::test::guarded_buffer g(c.body);
        ct_order o;
        bool found = !c.found;
        std::string_view cursor = "stale";
        EXPECT_EQ(find_ct_order(g.view(), c.want, o, found, cursor), c.status) << c.why;
        if (c.status != json_status::ok) continue;
        EXPECT_EQ(found, c.found) << c.why;
        EXPECT_EQ(cursor, c.next_cursor) << c.why;
        if (found) {
            EXPECT_EQ(o.order_id, c.order_id) << c.why;
        }
    }
}

TEST(find_ct_order, refuses_every_proper_prefix_and_each_split_part_of_a_valid_list) {
    for (const list_case& c : list_cases) {
        if (c.status != json_status::ok) continue;
        for_every_proper_prefix(c.body, [&](std::string_view prefix) {
            ct_order o;
            bool found = false;
            std::string_view cursor;
            EXPECT_EQ(find_ct_order(prefix, c.want, o, found, cursor), json_status::malformed)
                << c.why;
            EXPECT_FALSE(found) << c.why;
        });
        for_every_split(c.body, [&](std::string_view head, std::string_view tail) {
            ct_order o;
            bool found = false;
            std::string_view cursor;
            EXPECT_NE(find_ct_order(head, c.want, o, found, cursor), json_status::ok) << c.why;
            EXPECT_NE(find_ct_order(tail, c.want, o, found, cursor), json_status::ok) << c.why;
        });
    }
}

} // namespace
} // namespace ef::json
