// Unit tests of the simulator's OpenMarkets buy endpoint (order_routes_om):
// the fill walk over the truth book, exact in one_e9 (cheapest first, ties in the
// venue's partner order, shares and amount, partial, unfilled, paper), the
// liquidity a real fill consumes, the strict body (400 unknown_parameter /
// invalid_parameter / invalid_json) and the 401/403 checks. Run by meson
// (suite unit).
#include "edgesim/order_routes_om.hpp"
#include "edgesim/sim_json.hpp"
#include "edgesim/venue_book.hpp"
#include <cstdlib> // guarded_buffer.hpp calls std::abort without including it
#include "tests/support/guarded_buffer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using ef::sim::jnode;
using ef::sim::om_buy;
using ef::sim::om_config;
using ef::sim::om_outcome;
using ef::sim::venue_book;

using ef::sim::one_e9;
const std::string hash = "ct_sim_0001:mk_ml:side_home:var_0:p_x:tf_full";
constexpr const char* ts = "2026-11-22T04:00:00.000000000Z";

ef::sim::venue_options empty_venue() {
    ef::sim::venue_options o;
    o.contests = 1;
    o.positions_per_contest = 0;
    o.fill_pct = 0;
    o.partners = {"kalshi", "polymarket", "novig"};
    return o;
}

class om_orders : public ::testing::Test {
protected:
    om_orders() : book_(empty_venue()) {}
    void level(const char* partner, int64_t price_e9, int64_t available_e9) {
        book_.apply("ct_sim_0001", {partner, hash, price_e9, available_e9});
    }
    // partner -> (price, available) now in the truth; {0,0} when gone.
    std::pair<int64_t, int64_t> truth(const char* partner) const {
        const auto* lv = book_.find_position(hash);
        if (!lv || !lv->count(partner)) return {0, 0};
        return lv->at(partner);
    }
    om_outcome buy(std::string_view body, const char* key = "sim-key",
                   const char* account = "demo-user") {
        return om_buy(book_, cfg_, key, account, body, sor_, ts);
    }
    std::string leg(const std::string& fields) {
        return R"({"orders":[{"position_hash":")" + hash + "\"," + fields + "}]}";
    }
    // The answer's first leg as a tree.
    jnode answer_leg(const om_outcome& o) {
        jnode root;
        std::string why;
        EXPECT_TRUE(ef::sim::parse_json(o.body, root, why)) << why << o.body;
        const jnode* data = root.find("data");
        if (!data || !data->find("orders") || data->find("orders")->items.empty()) {
            ADD_FAILURE() << o.body;
            return {};
        }
        return data->find("orders")->items[0];
    }

    venue_book book_;
    om_config cfg_;
    uint64_t sor_ = 0;
};

TEST_F(om_orders, shares_walk_the_cheapest_levels_first_and_consume_them) {
    level("kalshi", 400'000'000, 100 * one_e9);
    level("polymarket", 350'000'000, 50 * one_e9);
    level("novig", 450'000'000, 1000 * one_e9);
    const om_outcome o = buy(leg(R"("shares":120,"max_price":0.42)"));
    ASSERT_EQ(o.status, 200) << o.body;
    ASSERT_EQ(o.legs.size(), 1u);
    EXPECT_EQ(o.legs[0].status, "filled");
    EXPECT_EQ(o.legs[0].filled_shares_e9, 120 * one_e9);
    EXPECT_EQ(o.legs[0].filled_notional_e9, 45'500'000'000); // 50*0.35 + 70*0.40
    EXPECT_EQ(o.legs[0].avg_price_e9, 379'166'667);          // 45.5/120, half up
    EXPECT_EQ(o.legs[0].partner_id, "kalshi") << "kalshi filled 70 of 120";
    EXPECT_EQ(truth("polymarket"), std::make_pair(int64_t{0}, int64_t{0}));
    EXPECT_EQ(truth("kalshi"), std::make_pair(int64_t{400'000'000}, 30 * one_e9));
    EXPECT_EQ(truth("novig").second, 1000 * one_e9) << "above max_price: untouched";
    ASSERT_EQ(o.changes.size(), 1u);
    EXPECT_EQ(o.changes[0].first, "ct_sim_0001");
    EXPECT_EQ(o.changes[0].second.size(), 2u) << "one entry per level changed";
}

TEST_F(om_orders, the_answer_writes_exact_json_numbers) {
    level("kalshi", 400'000'000, 100 * one_e9);
    level("polymarket", 350'000'000, 50 * one_e9);
    const om_outcome o = buy(leg(R"("shares":120,"max_price":0.42)"));
    EXPECT_EQ(o.body,
              R"({"data":{"orders":[{"position_hash":")" + hash +
                  R"(","partner_id":"kalshi","status":"filled","filled_shares":120,"filled_notional":45.5,"avg_price":0.379166667,"sor_decision_id":"sor_1"}]},"meta":{"timestamp":"2026-11-22T04:00:00.000000000Z","api_version":"v1"}})");
}

TEST_F(om_orders, shares_beyond_the_eligible_liquidity_fill_partially) {
    level("kalshi", 400'000'000, 100 * one_e9);
    level("polymarket", 350'000'000, 50 * one_e9);
    const om_outcome o = buy(leg(R"("shares":200,"max_price":0.42)"));
    EXPECT_EQ(o.legs.at(0).status, "partially_filled");
    EXPECT_EQ(o.legs[0].filled_shares_e9, 150 * one_e9);
    EXPECT_EQ(o.legs[0].filled_notional_e9, 57'500'000'000);
    EXPECT_EQ(book_.find_position(hash)->size(), 0u) << "both levels taken whole";
}

TEST_F(om_orders, nothing_at_or_below_max_price_is_unfilled_and_changes_nothing) {
    level("kalshi", 500'000'000, 100 * one_e9);
    const om_outcome o = buy(leg(R"("shares":10,"max_price":0.49)"));
    EXPECT_EQ(o.legs.at(0).status, "unfilled");
    EXPECT_EQ(o.legs[0].filled_shares_e9, 0);
    EXPECT_TRUE(o.changes.empty());
    EXPECT_EQ(truth("kalshi").second, 100 * one_e9);
    EXPECT_EQ(answer_leg(o).find("partner_id")->type, jnode::kind::null_value);
}

TEST_F(om_orders, a_level_exactly_at_max_price_is_eligible) {
    level("kalshi", 490'000'000, 100 * one_e9);
    EXPECT_EQ(buy(leg(R"("shares":10,"max_price":0.49)")).legs.at(0).status, "filled");
}

TEST_F(om_orders, an_amount_is_spent_across_levels_to_the_cent) {
    level("kalshi", 400'000'000, 100 * one_e9);
    level("polymarket", 350'000'000, 50 * one_e9);
    const om_outcome o = buy(leg(R"("amount":20,"max_price":0.42)"));
    EXPECT_EQ(o.legs.at(0).status, "filled");
    EXPECT_EQ(o.legs[0].filled_notional_e9, 20 * one_e9); // 17.50 + 2.50
    EXPECT_EQ(o.legs[0].filled_shares_e9, 56'250'000'000); // 50 + 6.25
    EXPECT_EQ(truth("kalshi").second, 93'750'000'000);
}

TEST_F(om_orders, amount_shares_round_down_to_1e9_and_the_cost_rounds_half_up) {
    level("kalshi", 300'000'000, 1000 * one_e9);
    const om_outcome o = buy(leg(R"("amount":1,"max_price":0.3)"));
    EXPECT_EQ(o.legs.at(0).status, "filled");
    EXPECT_EQ(o.legs[0].filled_shares_e9, 3'333'333'333); // 1 / 0.3 cut to 1e-9
    EXPECT_EQ(o.legs[0].filled_notional_e9, 1'000'000'000); // 0.9999999999 half up
    EXPECT_EQ(o.legs[0].avg_price_e9, 300'000'000);
    EXPECT_EQ(truth("kalshi").second, 1000 * one_e9 - 3'333'333'333);
}

TEST_F(om_orders, an_amount_larger_than_the_liquidity_fills_partially) {
    level("kalshi", 500'000'000, 10 * one_e9);
    const om_outcome o = buy(leg(R"("amount":50,"max_price":1)"));
    EXPECT_EQ(o.legs.at(0).status, "partially_filled");
    EXPECT_EQ(o.legs[0].filled_notional_e9, 5 * one_e9);
}

TEST_F(om_orders, equal_prices_fill_in_the_venues_partner_order) {
    level("novig", 400'000'000, 100 * one_e9);
    level("kalshi", 400'000'000, 5 * one_e9);
    const om_outcome o = buy(leg(R"("shares":10,"max_price":0.4)"));
    EXPECT_EQ(truth("kalshi").second, 0) << "kalshi comes before novig";
    EXPECT_EQ(truth("novig").second, 95 * one_e9);
    EXPECT_EQ(o.legs.at(0).partner_id, "kalshi") << "5 each: the tie goes to the first filled";
}

TEST_F(om_orders, a_partner_id_limits_the_walk_to_that_partner) {
    level("kalshi", 300'000'000, 100 * one_e9);
    level("novig", 400'000'000, 100 * one_e9);
    const om_outcome o = buy(leg(R"("shares":10,"max_price":0.5,"partner_id":"novig")"));
    EXPECT_EQ(o.legs.at(0).partner_id, "novig");
    EXPECT_EQ(o.legs[0].filled_notional_e9, 4 * one_e9);
    EXPECT_EQ(truth("kalshi").second, 100 * one_e9);
}

TEST_F(om_orders, a_paper_fill_reports_the_fill_and_leaves_the_book_alone) {
    level("kalshi", 400'000'000, 100 * one_e9);
    const om_outcome o = buy(R"({"orders":[{"position_hash":")" + hash +
                             R"(","shares":30,"max_price":0.5}],"mode":"paper"})");
    EXPECT_TRUE(o.paper);
    EXPECT_EQ(o.legs.at(0).status, "filled");
    EXPECT_EQ(o.legs[0].filled_shares_e9, 30 * one_e9);
    EXPECT_EQ(truth("kalshi").second, 100 * one_e9);
    EXPECT_TRUE(o.changes.empty());
}

TEST_F(om_orders, an_unknown_position_is_a_rejected_leg_with_its_reason) {
    const om_outcome o = buy(R"({"orders":[{"position_hash":"ct_sim_0001:nope","shares":1,"max_price":0.5}]})");
    ASSERT_EQ(o.status, 200);
    EXPECT_EQ(o.legs.at(0).status, "rejected");
    EXPECT_EQ(answer_leg(o).find("reason")->text, "unknown position");
}

TEST_F(om_orders, each_leg_gets_the_next_sor_decision_id) {
    level("kalshi", 400'000'000, 100 * one_e9);
    const std::string l = R"({"position_hash":")" + hash + R"(","shares":1,"max_price":0.5})";
    const om_outcome a = buy("{\"orders\":[" + l + "," + l + "]}");
    const om_outcome b = buy("{\"orders\":[" + l + "]}");
    ASSERT_EQ(a.legs.size(), 2u);
    EXPECT_EQ(a.legs[0].sor_decision_id, "sor_1");
    EXPECT_EQ(a.legs[1].sor_decision_id, "sor_2");
    EXPECT_EQ(b.legs.at(0).sor_decision_id, "sor_3");
    EXPECT_EQ(truth("kalshi").second, 97 * one_e9) << "legs fill one after another";
}

TEST_F(om_orders, a_wrong_api_key_is_401_unauthorized) {
    const om_outcome o = buy(leg(R"("shares":1,"max_price":0.5)"), "other-key");
    EXPECT_EQ(o.status, 401);
    EXPECT_NE(o.body.find(R"("code":"unauthorized")"), std::string::npos) << o.body;
    EXPECT_FALSE(o.executed);
}

TEST_F(om_orders, a_user_that_is_not_ours_is_403_forbidden) {
    for (const char* who : {"someone-else", ""}) {
        const om_outcome o = buy(leg(R"("shares":1,"max_price":0.5)"), "sim-key", who);
        EXPECT_EQ(o.status, 403) << who;
        EXPECT_NE(o.body.find(R"("code":"forbidden")"), std::string::npos) << o.body;
    }
}

struct strict_case {
    const char* fields; // inside the one leg, or a whole body when it starts with '{'
    const char* code;
    const char* why;
};

TEST_F(om_orders, strict_bodies_are_refused_with_the_right_code) {
    level("kalshi", 400'000'000, 100 * one_e9);
    const strict_case cases[] = {
        {R"("shares":1,"max_price":0.5,"side":"buy")", "unknown_parameter", "unknown leg key"},
        {R"({"orders":[],"client_ref":"x"})", "unknown_parameter", "unknown top-level key"},
        {R"("shares":1,"max_price":2,"limit":1)", "unknown_parameter", "unknown key wins over a bad value"},
        {R"("shares":1,"amount":1,"max_price":0.5)", "invalid_parameter", "both amount and shares"},
        {R"("max_price":0.5)", "invalid_parameter", "neither amount nor shares"},
        {R"("shares":1)", "invalid_parameter", "no max_price"},
        {R"("shares":1,"max_price":0)", "invalid_parameter", "max_price 0"},
        {R"("shares":1,"max_price":1.01)", "invalid_parameter", "max_price above 1"},
        {R"("shares":-1,"max_price":0.5)", "invalid_parameter", "negative shares"},
        {R"("shares":0,"max_price":0.5)", "invalid_parameter", "zero shares"},
        {R"("amount":"50","max_price":0.5)", "invalid_parameter", "a number as a string"},
        {R"("shares":1e-10,"max_price":0.5)", "invalid_parameter", "below 1e-9: inexact"},
        {R"("shares":1,"max_price":0.5,"partner_id":"")", "invalid_parameter", "empty partner_id"},
        {R"("shares":1,"max_price":0.5,"shares":2)", "invalid_parameter", "a repeated key"},
        {R"({"orders":[]})", "invalid_parameter", "no legs"},
        {R"({"orders":{}})", "invalid_parameter", "orders not an array"},
        {R"({"orders":[1]})", "invalid_parameter", "a leg not an object"},
        {R"([])", "invalid_parameter", "a body that is not an object"},
        {R"({"orders":[{"position_hash":"h","shares":1,"max_price":0.5}],"mode":"live"})",
         "invalid_parameter", "mode other than paper"},
        {R"({"orders":[)", "invalid_json", "not JSON"},
        {"{}x", "invalid_json", "trailing bytes"},
    };
    for (const strict_case& c : cases) {
        const std::string body = c.fields[0] == '{' || c.fields[0] == '[' ? c.fields : leg(c.fields);
        const om_outcome o = buy(body);
        EXPECT_EQ(o.status, 400) << c.why;
        EXPECT_NE(o.body.find(std::string("\"code\":\"") + c.code + "\""), std::string::npos)
            << c.why << ": " << o.body;
        EXPECT_FALSE(o.executed) << c.why;
    }
    EXPECT_EQ(truth("kalshi").second, 100 * one_e9) << "no refused body filled anything";
}

TEST_F(om_orders, unknown_parameter_names_the_key) {
    const om_outcome o = buy(leg(R"("shares":1,"max_price":0.5,"tag":"x")"));
    EXPECT_NE(o.body.find("orders[0].tag"), std::string::npos) << o.body;
}

TEST_F(om_orders, every_proper_prefix_of_a_body_is_invalid_json_and_fills_nothing) {
    level("kalshi", 400'000'000, 100 * one_e9);
    const std::string body = leg(R"("shares":1,"max_price":0.5,"partner_id":"kalshi")");
    for (size_t n = 0; n < body.size(); ++n) {
        ef::test::guarded_buffer g(std::string_view(body).substr(0, n));
        const om_outcome o = buy(g.view()); // parsed in place, right before PROT_NONE
        EXPECT_EQ(o.status, 400) << n;
        EXPECT_NE(o.body.find("invalid_json"), std::string::npos) << n << ": " << o.body;
    }
    EXPECT_EQ(truth("kalshi").second, 100 * one_e9);
    EXPECT_EQ(buy(body).legs.at(0).status, "filled") << "the whole body is good";
}

} // namespace
