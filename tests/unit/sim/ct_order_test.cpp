// Unit tests of the simulator's Connect Trade order API (order_book_ct):
// fills against the quote for each order type and time in force, the
// normalized order it answers, strict bodies (400), credentials (401),
// foreign accounts (404), cl_order_id reuse within a UTC day (409), the
// modify/cancel state machine and GET /orders filters and pagination. Run by
// meson (suite unit).
#include "edgesim/order_book_ct.hpp"
#include "edgesim/sim_json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using ef::sim::ct_order;
using ef::sim::ct_reply;
using ef::sim::ct_venue;
using ef::sim::jnode;

using ef::sim::one_e9;
constexpr int64_t day_ns = 86'400 * one_e9;
constexpr int64_t t0 = 1'795'320'000 * one_e9; // 2026-11-22T04:00:00Z

ef::sim::ct_config two_users() {
    ef::sim::ct_config c;
    c.users = ef::sim::parse_ct_users("u1:s1:acct-1,acct-2;u2:s2:acct-9").value();
    return c;
}

class ct_orders : public ::testing::Test {
protected:
    ct_orders() : venue_(two_users()) {
        // Fixed quotes so the tests do not follow the seeded table.
        venue_.set_quote("AAPL", {190'010'000'000, 300 * one_e9, 190'030'000'000, 200 * one_e9});
        venue_.set_quote("BTC-USD", {67'000 * one_e9, 2 * one_e9, 67'001 * one_e9, 1'750'000'000});
    }
    ef::sim::ct_credentials user(const char* id = "u1", const char* secret = "s1") {
        return {"sim-client", "sim-client-secret", id, secret};
    }
    ct_reply call(std::string_view method, std::string_view path, std::string_view body = {},
                  std::string_view query = {}, int64_t now = t0, const char* uid = "u1",
                  const char* secret = "s1") {
        return venue_.handle(method, path, query, user(uid, secret), body, now);
    }
    // POST /orders with the usual fields plus `extra` (a JSON members tail).
    ct_reply place(const std::string& cl, const std::string& extra, const char* account = "acct-1",
                   int64_t now = t0, const char* uid = "u1", const char* secret = "s1") {
        const std::string body = std::string(R"({"account_id":")") + account +
                                 R"(","cl_order_id":")" + cl +
                                 R"(","broker":"alpaca","instrument":"EQUITY",)" + extra + "}";
        return call("POST", "/orders", body, {}, now, uid, secret);
    }
    static jnode tree(const ct_reply& r) {
        jnode n;
        std::string why;
        EXPECT_TRUE(ef::sim::parse_json(r.body, n, why)) << why << r.body;
        return n;
    }
    static std::string field(const ct_reply& r, const char* key) {
        const jnode n = tree(r);
        const jnode* v = n.find(key);
        return v ? (v->type == jnode::kind::null_value ? "null" : v->text) : "<absent>";
    }
    static const char* buy_mkt(const char* tif, const char* qty) {
        static std::string s;
        s = std::string(R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":")") + tif +
            R"(","order_qty":")" + qty + "\"";
        return s.c_str();
    }

    ct_venue venue_;
};

TEST_F(ct_orders, a_market_buy_fills_at_the_ask_up_to_its_size_and_the_rest_works) {
    const ct_reply r = place("ef20261122-1", buy_mkt("DAY", "250"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "status"), "partially_filled");
    EXPECT_EQ(field(r, "filled_qty"), "200");
    EXPECT_EQ(field(r, "avg_fill_price"), "190.03");
    const jnode fills = *tree(r).find("fills");
    ASSERT_EQ(fills.items.size(), 1u);
    EXPECT_EQ(fills.items[0].find("qty")->text, "200");
    EXPECT_EQ(fills.items[0].find("price")->text, "190.03");
    EXPECT_EQ(fills.items[0].find("time")->text, "2026-11-22T04:00:00.000000Z");
    EXPECT_EQ(venue_.quote("AAPL")->ask_size_e9, 0) << "the fill took the ask";
}

TEST_F(ct_orders, the_answer_is_the_normalized_order_with_numbers_as_strings) {
    const ct_reply r = place("ef20261122-1", buy_mkt("DAY", "10"));
    EXPECT_EQ(r.body,
              R"({"order_id":"ord_000001","cl_order_id":"ef20261122-1","account_id":"acct-1","broker":"alpaca","symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY","instrument":"EQUITY","order_qty":"10","order_notional":null,"order_limit_price":null,"stop_price":null,"status":"filled","filled_qty":"10","avg_fill_price":"190.03","fills":[{"qty":"10","price":"190.03","time":"2026-11-22T04:00:00.000000Z"}],"broker_message":null,"created_at":"2026-11-22T04:00:00.000000Z"})");
    EXPECT_EQ(r.order_id, "ord_000001");
    EXPECT_TRUE(r.executed);
}

TEST_F(ct_orders, a_market_sell_fills_at_the_bid) {
    const ct_reply r =
        place("s1", R"("symbol":"AAPL","side":"sell","order_type":"MKT","order_tif":"GTC","order_qty":"300")");
    EXPECT_EQ(field(r, "status"), "filled");
    EXPECT_EQ(field(r, "avg_fill_price"), "190.01");
    EXPECT_EQ(venue_.quote("AAPL")->bid_size_e9, 0);
}

TEST_F(ct_orders, ioc_cancels_the_unfilled_remainder_and_keeps_the_fill) {
    const ct_reply r = place("i1", buy_mkt("IOC", "250"));
    EXPECT_EQ(field(r, "status"), "cancelled");
    EXPECT_EQ(field(r, "filled_qty"), "200");
    EXPECT_NE(field(r, "broker_message"), "null");
}

TEST_F(ct_orders, fok_that_cannot_fill_whole_is_cancelled_without_a_fill) {
    const ct_reply r = place("f1", buy_mkt("FOK", "250"));
    EXPECT_EQ(field(r, "status"), "cancelled");
    EXPECT_EQ(field(r, "filled_qty"), "0");
    EXPECT_EQ(tree(r).find("fills")->items.size(), 0u);
    EXPECT_EQ(venue_.quote("AAPL")->ask_size_e9, 200 * one_e9) << "nothing taken";
}

TEST_F(ct_orders, fok_that_can_fill_whole_is_filled) {
    EXPECT_EQ(field(place("f1", buy_mkt("FOK", "200")), "status"), "filled");
}

TEST_F(ct_orders, a_limit_below_the_ask_works_and_a_marketable_one_fills_at_the_ask) {
    const ct_reply low = place(
        "l1", R"("symbol":"AAPL","side":"buy","order_type":"LMT","order_tif":"DAY","order_qty":"5","order_limit_price":"190.02")");
    EXPECT_EQ(field(low, "status"), "working");
    EXPECT_EQ(field(low, "order_limit_price"), "190.02");
    const ct_reply high = place(
        "l2", R"("symbol":"AAPL","side":"buy","order_type":"LMT","order_tif":"DAY","order_qty":"5","order_limit_price":"191")");
    EXPECT_EQ(field(high, "status"), "filled");
    EXPECT_EQ(field(high, "avg_fill_price"), "190.03") << "price improvement: the ask, not the limit";
}

TEST_F(ct_orders, a_stop_works_until_crossed_and_fills_once_crossed) {
    const ct_reply waiting = place(
        "p1", R"("symbol":"AAPL","side":"buy","order_type":"STP","order_tif":"DAY","order_qty":"5","stop_price":"195")");
    EXPECT_EQ(field(waiting, "status"), "working");
    const ct_reply crossed = place(
        "p2", R"("symbol":"AAPL","side":"buy","order_type":"STP","order_tif":"DAY","order_qty":"5","stop_price":"190")");
    EXPECT_EQ(field(crossed, "status"), "filled");
    const ct_reply stop_limit = place(
        "p3", R"("symbol":"AAPL","side":"sell","order_type":"STPLMT","order_tif":"DAY","order_qty":"5","stop_price":"191","order_limit_price":"190.5")");
    EXPECT_EQ(field(stop_limit, "status"), "working") << "triggered, but the bid is below the limit";
}

TEST_F(ct_orders, auction_time_in_force_is_pending) {
    EXPECT_EQ(field(place("o1", buy_mkt("OPEN", "5")), "status"), "pending");
    EXPECT_EQ(field(place("o2", buy_mkt("CLOSE", "5")), "status"), "pending");
}

TEST_F(ct_orders, a_notional_order_buys_a_fraction_cut_to_1e9) {
    const ct_reply r = place(
        "n1", R"("symbol":"BTC-USD","side":"buy","order_type":"MKT","order_tif":"DAY","order_notional":"100")");
    EXPECT_EQ(field(r, "status"), "filled");
    EXPECT_EQ(field(r, "filled_qty"), "0.001492515"); // 100 / 67001 = 0.00149251503...
    EXPECT_EQ(field(r, "order_notional"), "100");
    EXPECT_EQ(field(r, "order_qty"), "null");
}

TEST_F(ct_orders, an_unknown_symbol_is_a_rejected_order_with_a_broker_message) {
    const ct_reply r =
        place("x1", R"("symbol":"NOPE","side":"buy","order_type":"MKT","order_tif":"DAY","order_qty":"1")");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(field(r, "status"), "rejected");
    EXPECT_EQ(field(r, "broker_message"), "unknown symbol NOPE");
}

struct bad_body {
    const char* extra;
    const char* message_part;
    const char* why;
};

TEST_F(ct_orders, strict_bodies_are_400_with_a_message_and_create_nothing) {
    const bad_body cases[] = {
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY","order_qty":"1","note":"x")",
         "unknown field: note", "an unknown key"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY","order_qty":"1","legs":[])",
         "unknown field: legs", "legs are not taken"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_qty":"1")", "missing field: order_tif",
         "a required key missing"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY")", "exactly one of",
         "neither qty nor notional"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY","order_qty":"1","order_notional":"5")",
         "exactly one of", "both qty and notional"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY","order_qty":"1","order_limit_price":"1")",
         "not allowed for MKT", "a limit on a market order"},
        {R"("symbol":"AAPL","side":"buy","order_type":"LMT","order_tif":"DAY","order_qty":"1")",
         "required for LMT", "a limit order without its limit"},
        {R"("symbol":"AAPL","side":"buy","order_type":"STPLMT","order_tif":"DAY","order_qty":"1","order_limit_price":"1")",
         "stop_price is required", "a stop-limit without its stop"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY","order_qty":1)",
         "must be a string", "a number not in a string"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY","order_qty":"-1")",
         "invalid order_qty", "a negative quantity"},
        {R"("symbol":"AAPL","side":"hold","order_type":"MKT","order_tif":"DAY","order_qty":"1")",
         "invalid side", "a bad side"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MOC","order_tif":"DAY","order_qty":"1")",
         "invalid order_type", "a bad order type"},
        {R"("symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"GTD","order_qty":"1")",
         "invalid order_tif", "a bad time in force"},
    };
    for (const bad_body& c : cases) {
        const ct_reply r = place("b1", c.extra);
        EXPECT_EQ(r.status, 400) << c.why << ": " << r.body;
        EXPECT_NE(field(r, "message").find(c.message_part), std::string::npos) << c.why << ": " << r.body;
        EXPECT_FALSE(r.executed) << c.why;
    }
    EXPECT_TRUE(venue_.orders().empty());
    EXPECT_EQ(place("b1", buy_mkt("DAY", "1")).status, 200) << "a refused cl_order_id stays free";
}

TEST_F(ct_orders, multi_leg_options_are_refused) {
    const std::string body =
        R"({"account_id":"acct-1","cl_order_id":"m1","broker":"alpaca","instrument":"MLEG_OPT","symbol":"AAPL","side":"buy","order_type":"MKT","order_tif":"DAY","order_qty":"1"})";
    EXPECT_EQ(call("POST", "/orders", body).status, 400);
}

TEST_F(ct_orders, non_json_is_400) {
    EXPECT_EQ(call("POST", "/orders", R"({"account_id":)").status, 400);
}

TEST_F(ct_orders, missing_or_wrong_credentials_are_401) {
    const std::string body = R"({"account_id":"acct-1"})";
    EXPECT_EQ(call("POST", "/orders", body, {}, t0, "u1", "wrong").status, 401);
    EXPECT_EQ(call("POST", "/orders", body, {}, t0, "", "").status, 401);
    EXPECT_EQ(venue_.handle("POST", "/orders", {}, {"sim-client", "bad", "u1", "s1"}, body, t0).status,
              401);
    EXPECT_EQ(venue_.handle("GET", "/orders", {}, {"", "", "u1", "s1"}, {}, t0).status, 401);
}

TEST_F(ct_orders, another_users_account_is_404_account_not_found) {
    const ct_reply r = place("a1", buy_mkt("DAY", "1"), "acct-9");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(field(r, "message"), "account not found");
    const ct_reply mine = place("a1", buy_mkt("DAY", "1"), "acct-9", t0, "u2", "s2");
    EXPECT_EQ(mine.status, 200) << "u2 owns acct-9";
}

TEST_F(ct_orders, a_cl_order_id_reused_by_the_same_user_on_the_same_utc_day_is_409) {
    ASSERT_EQ(place("dup", buy_mkt("DAY", "1")).status, 200);
    EXPECT_EQ(place("dup", buy_mkt("DAY", "1"), "acct-2", t0 + 3600 * one_e9).status, 409)
        << "per user: another account of the same user counts";
    EXPECT_EQ(place("dup", buy_mkt("DAY", "1"), "acct-9", t0, "u2", "s2").status, 200)
        << "another user has its own ids";
    const int64_t next_day = t0 - t0 % day_ns + day_ns;
    EXPECT_EQ(place("dup", buy_mkt("DAY", "1"), "acct-1", next_day).status, 200) << "a new UTC day";
}

class ct_lifecycle : public ct_orders {
protected:
    // A working limit buy, not marketable.
    std::string working(const std::string& cl) {
        const ct_reply r = place(
            cl, R"("symbol":"AAPL","side":"buy","order_type":"LMT","order_tif":"GTC","order_qty":"10","order_limit_price":"150")");
        EXPECT_EQ(field(r, "status"), "working");
        return r.order_id;
    }
    ct_reply patch(const std::string& id, const std::string& body, const char* account = "acct-1") {
        return call("PATCH", std::string("/accounts/") + account + "/orders/" + id, body);
    }
    ct_reply cancel(const std::string& id, const char* account = "acct-1") {
        return call("DELETE", std::string("/accounts/") + account + "/orders/" + id);
    }
};

TEST_F(ct_lifecycle, modify_replaces_the_old_order_with_a_new_one) {
    const std::string old = working("w1");
    const ct_reply r = patch(old, R"({"new_cl_order_id":"w1b","broker":"alpaca","order_limit_price":"151"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.order_id, old);
    EXPECT_EQ(field(r, "cl_order_id"), "w1b");
    EXPECT_EQ(field(r, "status"), "working");
    EXPECT_EQ(field(r, "order_limit_price"), "151");
    EXPECT_EQ(field(r, "order_qty"), "10");
    EXPECT_EQ(venue_.find(old)->status, "replaced");
}

TEST_F(ct_lifecycle, a_modify_that_makes_the_order_marketable_fills_it) {
    const std::string old = working("w1");
    const ct_reply r = patch(old, R"({"new_cl_order_id":"w1b","broker":"alpaca","order_limit_price":"190.03","order_qty":"4"})");
    EXPECT_EQ(field(r, "status"), "filled");
    EXPECT_EQ(field(r, "filled_qty"), "4");
}

TEST_F(ct_lifecycle, modifying_a_closed_order_is_400_order_not_open) {
    const std::string old = working("w1");
    ASSERT_EQ(patch(old, R"({"new_cl_order_id":"w1b","broker":"alpaca"})").status, 200);
    const ct_reply r = patch(old, R"({"new_cl_order_id":"w1c","broker":"alpaca"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(field(r, "message"), "order not open");
}

TEST_F(ct_lifecycle, a_modify_reusing_a_cl_order_id_is_409_and_changes_nothing) {
    const std::string old = working("w1");
    working("w2");
    EXPECT_EQ(patch(old, R"({"new_cl_order_id":"w2","broker":"alpaca"})").status, 409);
    EXPECT_EQ(venue_.find(old)->status, "working");
}

TEST_F(ct_lifecycle, modify_bodies_are_strict) {
    const std::string old = working("w1");
    EXPECT_EQ(patch(old, R"({"new_cl_order_id":"x","broker":"alpaca","side":"sell"})").status, 400);
    EXPECT_EQ(patch(old, R"({"broker":"alpaca"})").status, 400);
    EXPECT_EQ(patch(old, R"({"new_cl_order_id":"x","broker":"alpaca","stop_price":"1"})").status, 400)
        << "no stop on a limit order";
    EXPECT_EQ(venue_.find(old)->status, "working");
}

TEST_F(ct_lifecycle, modify_or_cancel_of_an_unknown_order_is_404) {
    EXPECT_EQ(patch("ord_999999", R"({"new_cl_order_id":"x","broker":"alpaca"})").status, 404);
    EXPECT_EQ(cancel("ord_999999").status, 404);
}

TEST_F(ct_lifecycle, an_order_in_another_users_account_is_404) {
    const std::string id = working("w1");
    EXPECT_EQ(cancel(id, "acct-9").status, 404) << "acct-9 is u2's";
    EXPECT_EQ(cancel(id, "acct-2").status, 404) << "u1's, but not the order's account";
    EXPECT_EQ(venue_.find(id)->status, "working");
}

TEST_F(ct_lifecycle, cancel_closes_an_open_order_once) {
    const std::string id = working("w1");
    const ct_reply r = cancel(id);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(field(r, "status"), "cancelled");
    const ct_reply again = cancel(id);
    EXPECT_EQ(again.status, 400);
    EXPECT_EQ(field(again, "message"), "order not open");
}

TEST_F(ct_lifecycle, a_resting_order_fills_when_the_market_moves_to_it) {
    const std::string id = working("w1"); // buy 10 @ 150
    venue_.move_market("AAPL", {149 * one_e9, 100 * one_e9, 150 * one_e9, 4 * one_e9}, t0 + one_e9);
    EXPECT_EQ(venue_.find(id)->status, "partially_filled");
    EXPECT_EQ(venue_.find(id)->filled_qty_e9, 4 * one_e9);
    venue_.move_market("AAPL", {149 * one_e9, 100 * one_e9, 149'500'000'000, 100 * one_e9}, t0 + 2 * one_e9);
    const ct_order& o = *venue_.find(id);
    EXPECT_EQ(o.status, "filled");
    ASSERT_EQ(o.fills.size(), 2u);
    EXPECT_EQ(o.fills[1].qty_e9, 6 * one_e9) << "only what was left";
    EXPECT_EQ(o.fills[1].price_e9, 149'500'000'000);
    EXPECT_EQ(venue_.quote("AAPL")->ask_size_e9, 94 * one_e9);
}

TEST_F(ct_lifecycle, a_resting_stop_triggers_when_the_market_crosses_it) {
    const ct_reply r = place(
        "st", R"("symbol":"AAPL","side":"sell","order_type":"STP","order_tif":"GTC","order_qty":"5","stop_price":"180")");
    ASSERT_EQ(field(r, "status"), "working");
    venue_.move_market("AAPL", {185 * one_e9, 100 * one_e9, 186 * one_e9, 100 * one_e9}, t0 + one_e9);
    EXPECT_EQ(venue_.find(r.order_id)->status, "working") << "bid above the sell stop";
    venue_.move_market("AAPL", {179 * one_e9, 100 * one_e9, 180 * one_e9, 100 * one_e9}, t0 + 2 * one_e9);
    EXPECT_EQ(venue_.find(r.order_id)->status, "filled");
    EXPECT_EQ(venue_.find(r.order_id)->fills.at(0).price_e9, 179 * one_e9);
}

TEST_F(ct_lifecycle, a_resting_notional_order_spends_only_what_is_left) {
    const ct_reply r = place(
        "nt", R"("symbol":"AAPL","side":"buy","order_type":"LMT","order_tif":"DAY","order_notional":"1000","order_limit_price":"100")");
    ASSERT_EQ(field(r, "status"), "working");
    venue_.move_market("AAPL", {99 * one_e9, 100 * one_e9, 100 * one_e9, 4 * one_e9}, t0 + one_e9); // 400 spent
    EXPECT_EQ(venue_.find(r.order_id)->status, "partially_filled");
    venue_.move_market("AAPL", {99 * one_e9, 100 * one_e9, 80 * one_e9, 100 * one_e9}, t0 + 2 * one_e9);
    const ct_order& o = *venue_.find(r.order_id);
    EXPECT_EQ(o.status, "filled");
    EXPECT_EQ(o.fills.at(1).qty_e9, 7'500'000'000) << "600 left at 80";
}

TEST_F(ct_lifecycle, a_filled_order_cannot_be_cancelled) {
    const ct_reply r = place("f", buy_mkt("DAY", "1"));
    EXPECT_EQ(cancel(r.order_id).status, 400);
}

// Walks GET /orders page by page, forwards; returns the cl_order_ids.
std::vector<std::string> walk(ct_orders* t, ct_venue& v, const std::string& filters, unsigned limit,
                              unsigned* pages) {
    std::vector<std::string> ids;
    std::string cursor;
    *pages = 0;
    for (int guard = 0; guard < 100; ++guard) {
        std::string q = filters + "&limit=" + std::to_string(limit);
        if (!cursor.empty()) q += "&next_cursor=" + cursor;
        const ct_reply r = v.handle("GET", "/orders", q, {"sim-client", "sim-client-secret", "u1", "s1"},
                                    {}, t0);
        EXPECT_EQ(r.status, 200) << r.body;
        jnode n;
        std::string why;
        EXPECT_TRUE(ef::sim::parse_json(r.body, n, why));
        ++*pages;
        for (const jnode& o : n.find("orders")->items)
            ids.push_back(o.find("cl_order_id")->text);
        EXPECT_LE(n.find("orders")->items.size(), limit);
        const jnode* next = n.find("next_cursor");
        if (next->type == jnode::kind::null_value) break;
        cursor = next->text;
    }
    (void)t;
    return ids;
}

TEST_F(ct_lifecycle, the_list_pages_with_an_opaque_cursor_and_honours_limit) {
    for (char i = '1'; i <= '7'; ++i)
        working(std::string{'c', i});
    unsigned pages = 0;
    const auto ids = walk(this, venue_, "status=all", 3, &pages);
    EXPECT_EQ(ids, (std::vector<std::string>{"c1", "c2", "c3", "c4", "c5", "c6", "c7"}));
    EXPECT_EQ(pages, 3u);
    const auto exact = walk(this, venue_, "status=all", 7, &pages);
    EXPECT_EQ(pages, 1u) << "a last full page has no next_cursor";
}

TEST_F(ct_lifecycle, prev_cursor_goes_back_one_page) {
    for (char i = '1'; i <= '5'; ++i)
        working(std::string{'c', i});
    const ct_reply p1 = call("GET", "/orders", {}, "limit=2");
    const std::string next = field(p1, "next_cursor");
    EXPECT_EQ(field(p1, "prev_cursor"), "null");
    const ct_reply p2 = call("GET", "/orders", {}, "limit=2&next_cursor=" + next);
    const ct_reply back = call("GET", "/orders", {}, "limit=2&prev_cursor=" + field(p2, "prev_cursor"));
    EXPECT_EQ(tree(back).find("orders")->items.at(0).find("cl_order_id")->text, "c1");
    EXPECT_EQ(tree(back).find("orders")->items.size(), 2u);
}

TEST_F(ct_lifecycle, the_list_filters_by_status_symbol_side_and_time) {
    const std::string w = working("w1");
    place("f1", buy_mkt("DAY", "1"));
    place("s1", R"("symbol":"BTC-USD","side":"sell","order_type":"MKT","order_tif":"DAY","order_qty":"1")", "acct-1",
          t0 + 10 * one_e9);
    place("other", buy_mkt("DAY", "1"), "acct-9", t0, "u2", "s2");
    unsigned pages = 0;
    EXPECT_EQ(walk(this, venue_, "status=open", 50, &pages), (std::vector<std::string>{"w1"}));
    EXPECT_EQ(walk(this, venue_, "status=filled", 50, &pages), (std::vector<std::string>{"f1", "s1"}));
    EXPECT_EQ(walk(this, venue_, "status=closed&side=sell", 50, &pages), (std::vector<std::string>{"s1"}));
    EXPECT_EQ(walk(this, venue_, "symbols=BTC-USD%2CMSFT", 50, &pages), (std::vector<std::string>{"s1"}));
    EXPECT_EQ(walk(this, venue_, "start_time=2026-11-22T04%3A00%3A05Z", 50, &pages),
              (std::vector<std::string>{"s1"}));
    EXPECT_EQ(walk(this, venue_, "end_time=2026-11-22T04:00:05Z&status=all", 50, &pages),
              (std::vector<std::string>{"w1", "f1"}))
        << "only u1's orders, never u2's";
}

TEST_F(ct_lifecycle, bad_list_queries_are_400) {
    for (const char* q : {"limit=0", "limit=501", "limit=x", "status=done", "side=up", "start_time=yesterday",
                          "next_cursor=zz", "foo=1", "status=all&status=open"})
        EXPECT_EQ(call("GET", "/orders", {}, q).status, 400) << q;
    EXPECT_EQ(call("GET", "/orders", {}, "limit=500").status, 200);
}

TEST(ct_config, users_and_quotes_parse_from_their_flags) {
    auto u = ef::sim::parse_ct_users("a:sa:x,y;b:sb:z");
    ASSERT_TRUE(u);
    ASSERT_EQ(u->size(), 2u);
    EXPECT_EQ((*u)[0].accounts, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ((*u)[1].secret, "sb");
    EXPECT_FALSE(ef::sim::parse_ct_users("a:sa"));
    EXPECT_FALSE(ef::sim::parse_ct_users("a:sa:"));
    auto q = ef::sim::parse_ct_quote("TSLA:250.5:10:250.6:12.5");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->first, "TSLA");
    EXPECT_EQ(q->second.ask_size_e9, 12'500'000'000);
    EXPECT_FALSE(ef::sim::parse_ct_quote("TSLA:1:2:3"));
    EXPECT_FALSE(ef::sim::parse_ct_quote("TSLA:1:2:3:0.0000000001"));
}

} // namespace
