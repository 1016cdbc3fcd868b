// Pre-trade risk: each limit passes an order exactly at it and rejects one
// 1e-9 past it, the checks run in their fixed order, reservations settle
// exactly, the rate window slides and the day rolls at UTC midnight.
#include "tests/unit/orders/risk_support.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace ef::orders {
namespace {

using namespace test;

struct engine_fixture {
    risk_engine eng;
    int64_t mono = 1'000 * sec;
    int64_t wall = noon_ish;

    explicit engine_fixture(risk_limits l, std::vector<account_risk> accounts = {})
        : eng({strategy("alpha", l)}, std::move(accounts)) {}

    risk_verdict check(const ef_order_request& r, int64_t best = 0, bool halt_all = false,
                       bool halt_strategy = false) {
        reservation res;
        return eng.check_and_reserve(0, r, best, mono, wall, halt_all, halt_strategy, res);
    }
    risk_verdict check(const ef_order_request& r, reservation& res, int64_t best = 0) {
        return eng.check_and_reserve(0, r, best, mono, wall, false, false, res);
    }
};

struct limit_case {
    const char* why;
    risk_limits limits;
    ef_order_request at_limit;
    ef_order_request past_limit;
    int64_t best_e9;
    uint32_t code;
};

risk_limits with(void (*edit)(risk_limits&)) {
    risk_limits l = wide_limits();
    edit(l);
    return l;
}

TEST(risk_engine, each_per_order_limit_passes_at_the_limit_and_rejects_one_nano_past_it) {
    const limit_case cases[] = {
        {"OM max_price may be 1 but not above", wide_limits(), om_buy(50 * e9, 0, e9),
         om_buy(50 * e9, 0, e9 + 1), 0, EF_RISK_PRICE_BOUNDS},
        {"OM max_price must be above 0", wide_limits(), om_buy(1, 0, 1),
         om_buy(1, 0, 0), 0, EF_RISK_PRICE_BOUNDS},
        {"CT limit price ceiling", with([](risk_limits& l) { l.max_price_e9 = 190 * e9; }),
         ct_limit(1 * e9, 190 * e9), ct_limit(1 * e9, 190 * e9 + 1), 0, EF_RISK_PRICE_BOUNDS},
        {"CT stop price ceiling", with([](risk_limits& l) { l.max_price_e9 = 190 * e9; }),
         ct_order(EF_ORDER_CT_NEW, EF_TYPE_STP, e9, 0, 0, 190 * e9),
         ct_order(EF_ORDER_CT_NEW, EF_TYPE_STP, e9, 0, 0, 190 * e9 + 1), 0, EF_RISK_PRICE_BOUNDS},
        {"OM shares", with([](risk_limits& l) { l.max_order_qty_e9 = 100 * e9; }),
         om_buy(0, 100 * e9, e9 / 2), om_buy(0, 100 * e9 + 1, e9 / 2), 0, EF_RISK_ORDER_SIZE},
        {"OM amount orders are sized as amount / max_price",
         with([](risk_limits& l) { l.max_order_qty_e9 = 100 * e9; }), om_buy(50 * e9, 0, e9 / 2),
         om_buy(50 * e9 + 1, 0, e9 / 2), 0, EF_RISK_ORDER_SIZE},
        {"CT quantity", with([](risk_limits& l) { l.max_order_qty_e9 = 10 * e9; }),
         ct_limit(10 * e9, e9), ct_limit(10 * e9 + 1, e9), 0, EF_RISK_ORDER_SIZE},
        {"OM amount", with([](risk_limits& l) { l.max_order_notional_e9 = 1000 * e9; }),
         om_buy(1000 * e9, 0, e9 / 2), om_buy(1000 * e9 + 1, 0, e9 / 2), 0,
         EF_RISK_ORDER_NOTIONAL},
        {"OM shares x max_price", with([](risk_limits& l) { l.max_order_notional_e9 = 21 * e9; }),
         om_buy(0, 50 * e9, 420'000'000), om_buy(0, 50 * e9, 420'000'001), 0,
         EF_RISK_ORDER_NOTIONAL},
        {"CT qty x limit price", with([](risk_limits& l) { l.max_order_notional_e9 = 1900 * e9; }),
         ct_limit(10 * e9, 190 * e9), ct_limit(10 * e9, 190 * e9 + 1), 0, EF_RISK_ORDER_NOTIONAL},
        {"CT order_notional", with([](risk_limits& l) { l.max_order_notional_e9 = 500 * e9; }),
         ct_order(EF_ORDER_CT_NEW, EF_TYPE_MKT, 0, 500 * e9, 0, 0),
         ct_order(EF_ORDER_CT_NEW, EF_TYPE_MKT, 0, 500 * e9 + 1, 0, 0), 0,
         EF_RISK_ORDER_NOTIONAL},
        {"fat finger 500 bps over a best of 0.40 allows 0.42",
         with([](risk_limits& l) { l.fat_finger_bps = 500; }), om_buy(10 * e9, 0, 420'000'000),
         om_buy(10 * e9, 0, 420'000'001), 400'000'000, EF_RISK_FAT_FINGER},
    };
    for (const limit_case& c : cases) {
        engine_fixture at(c.limits);
        const risk_verdict pass = at.check(c.at_limit, c.best_e9);
        EXPECT_EQ(pass.limit, 0u) << c.why << ": " << pass.reason;
        engine_fixture past(c.limits);
        const risk_verdict fail = past.check(c.past_limit, c.best_e9);
        EXPECT_EQ(fail.limit, c.code) << c.why << ": " << fail.reason;
        EXPECT_NE(fail.reason[0], '\0') << c.why;
        EXPECT_EQ(past.eng.open_notional(0), 0) << c.why << ": a reject reserves nothing";
    }
}

TEST(risk_engine, reject_reason_names_the_limit_values_and_strategy_in_exact_decimals) {
    engine_fixture f(with([](risk_limits& l) { l.max_order_notional_e9 = 1000 * e9; }));
    const risk_verdict v = f.check(om_buy(1500 * e9, 0, e9 / 2));
    EXPECT_EQ(v.limit, uint32_t{EF_RISK_ORDER_NOTIONAL});
    EXPECT_STREQ(v.reason, "max_order_notional: 1500 > 1000 (strategy alpha)");
    const risk_verdict w = f.check(om_buy(1000 * e9 + 1, 0, e9 / 2));
    EXPECT_STREQ(w.reason, "max_order_notional: 1000.000000001 > 1000 (strategy alpha)");
}

TEST(risk_engine, open_notional_passes_up_to_the_limit_and_rejects_one_nano_past_it) {
    engine_fixture f(with([](risk_limits& l) { l.max_open_notional_e9 = 100 * e9; }));
    EXPECT_EQ(f.check(om_buy(60 * e9, 0, e9 / 2)).limit, 0u);
    const risk_verdict past = f.check(om_buy(40 * e9 + 1, 0, e9 / 2));
    EXPECT_EQ(past.limit, uint32_t{EF_RISK_OPEN_NOTIONAL});
    EXPECT_STREQ(past.reason, "max_open_notional: 100.000000001 > 100 (strategy alpha)");
    EXPECT_EQ(f.check(om_buy(40 * e9, 0, e9 / 2)).limit, 0u);
    EXPECT_EQ(f.eng.open_notional(0), 100 * e9);
}

TEST(risk_engine, daily_notional_keeps_executed_notional_after_the_order_is_done) {
    engine_fixture f(with([](risk_limits& l) { l.max_daily_notional_e9 = 100 * e9; }));
    reservation res;
    ASSERT_EQ(f.check(om_buy(70 * e9, 0, e9 / 2), res).limit, 0u);
    f.eng.settle(res, 0, 70 * e9); // OM: filled, done
    EXPECT_EQ(f.eng.open_notional(0), 0);
    EXPECT_EQ(f.eng.daily_notional(0), 70 * e9);
    EXPECT_EQ(f.check(om_buy(30 * e9 + 1, 0, e9 / 2)).limit, uint32_t{EF_RISK_DAILY_NOTIONAL});
    EXPECT_EQ(f.check(om_buy(30 * e9, 0, e9 / 2)).limit, 0u);
}

TEST(risk_engine, account_limits_apply_across_strategies) {
    const std::vector<account_risk> accts = {{"acct-1", 100 * e9, 150 * e9}};
    risk_engine eng({strategy("alpha", wide_limits()), strategy("beta", wide_limits())}, accts);
    reservation a, b, c;
    const int64_t mono = 5 * sec;
    ASSERT_EQ(eng.check_and_reserve(0, ct_limit(6 * e9, 10 * e9), 0, mono, noon_ish, false, false, a).limit, 0u);
    const risk_verdict over = eng.check_and_reserve(1, ct_limit(4 * e9 + 1, 10 * e9), 0, mono,
                                                    noon_ish, false, false, b);
    EXPECT_EQ(over.limit, uint32_t{EF_RISK_ACCOUNT_OPEN_NOTIONAL});
    EXPECT_STREQ(over.reason, "account max_open_notional: 100.00000001 > 100 (account acct-1)");
    ASSERT_EQ(eng.check_and_reserve(1, ct_limit(4 * e9, 10 * e9), 0, mono, noon_ish, false, false, b).limit, 0u);
    EXPECT_EQ(eng.account_open_notional(eng.account_index("acct-1")), 100 * e9);
    eng.settle(a, 0, 60 * e9);
    eng.settle(b, 0, 40 * e9);
    // 100 executed today: 50 more reaches the daily limit, 1e-9 more passes it.
    EXPECT_EQ(eng.check_and_reserve(0, ct_limit(5 * e9, 10 * e9 + 1), 0, mono, noon_ish, false, false, c).limit,
              uint32_t{EF_RISK_ACCOUNT_DAILY_NOTIONAL});
    EXPECT_EQ(eng.check_and_reserve(0, ct_limit(5 * e9, 10 * e9), 0, mono, noon_ish, false, false, c).limit, 0u);
}

TEST(risk_engine, checks_run_in_their_fixed_order) {
    // An order that breaks every limit; each step lifts the limit that fired
    // and the next one in the documented order must fire.
    risk_limits l{};
    l.max_order_qty_e9 = 1;
    l.max_order_notional_e9 = 1;
    l.max_open_notional_e9 = 1;
    l.max_daily_notional_e9 = 1;
    l.max_orders_per_s = 0;
    l.fat_finger_bps = 1;
    l.require_reference = true;
    std::vector<std::string> may_trade = {"u-1"};
    account_risk acct{"u-2", 1, 1};
    ef_order_request r = om_buy(50 * e9, 0, 2 * e9, "u-2");
    int64_t best = 0;
    bool halt_all = true, halt_strategy = true;
    const uint32_t order[] = {EF_RISK_HALT_ALL, EF_RISK_HALT_STRATEGY, EF_RISK_ACCOUNT,
                              EF_RISK_PRICE_BOUNDS, EF_RISK_ORDER_SIZE, EF_RISK_ORDER_NOTIONAL,
                              EF_RISK_NO_REFERENCE, EF_RISK_FAT_FINGER, EF_RISK_ORDER_RATE,
                              EF_RISK_OPEN_NOTIONAL, EF_RISK_DAILY_NOTIONAL,
                              EF_RISK_ACCOUNT_OPEN_NOTIONAL, EF_RISK_ACCOUNT_DAILY_NOTIONAL, 0};
    for (const uint32_t expected : order) {
        risk_engine eng({strategy("alpha", l, may_trade)}, {acct});
        reservation res;
        ASSERT_EQ(eng.check_and_reserve(0, r, best, 10 * sec, noon_ish, halt_all, halt_strategy, res).limit,
                  expected);
        switch (expected) {
        case EF_RISK_HALT_ALL: halt_all = false; break;
        case EF_RISK_HALT_STRATEGY: halt_strategy = false; break;
        case EF_RISK_ACCOUNT: may_trade.push_back("u-2"); break;
        case EF_RISK_PRICE_BOUNDS: r.max_price_e9 = e9 / 2; break;
        case EF_RISK_ORDER_SIZE: l.max_order_qty_e9 = 1000 * e9; break;
        case EF_RISK_ORDER_NOTIONAL: l.max_order_notional_e9 = 1000 * e9; break;
        case EF_RISK_NO_REFERENCE: best = e9 / 4; break;
        case EF_RISK_FAT_FINGER: l.fat_finger_bps = 10'000; break; // 0.5 <= 0.25 x 2
        case EF_RISK_ORDER_RATE: l.max_orders_per_s = 10; break;
        case EF_RISK_OPEN_NOTIONAL: l.max_open_notional_e9 = 1000 * e9; break;
        case EF_RISK_DAILY_NOTIONAL: l.max_daily_notional_e9 = 1000 * e9; break;
        case EF_RISK_ACCOUNT_OPEN_NOTIONAL: acct.max_open_notional_e9 = 1000 * e9; break;
        case EF_RISK_ACCOUNT_DAILY_NOTIONAL: acct.max_daily_notional_e9 = 1000 * e9; break;
        }
    }
}

TEST(risk_engine, settle_after_a_partial_fill_then_a_cancel_frees_the_rest_and_keeps_the_fill) {
    engine_fixture f(wide_limits());
    reservation res;
    // 100 x 2.00 = 200 working.
    ASSERT_EQ(f.check(ct_limit(100 * e9, 2 * e9), res).limit, 0u);
    EXPECT_EQ(f.eng.open_notional(0), 200 * e9);
    f.eng.settle(res, 120 * e9, 80 * e9); // 40 filled: 80 executed, 120 still working
    EXPECT_EQ(f.eng.open_notional(0), 120 * e9);
    EXPECT_EQ(f.eng.daily_notional(0), 200 * e9);
    f.eng.settle(res, 120 * e9, 80 * e9); // the same answer again changes nothing
    EXPECT_EQ(f.eng.open_notional(0), 120 * e9);
    EXPECT_EQ(f.eng.daily_notional(0), 200 * e9);
    f.eng.settle(res, 0, 80 * e9); // cancelled
    EXPECT_EQ(f.eng.open_notional(0), 0);
    EXPECT_EQ(f.eng.daily_notional(0), 80 * e9);
    EXPECT_EQ(res.open_e9, 0);
    EXPECT_EQ(res.daily_e9, 80 * e9);
}

TEST(risk_engine, settle_never_takes_totals_below_zero_or_executed_backwards) {
    engine_fixture f(wide_limits());
    reservation res;
    ASSERT_EQ(f.check(om_buy(10 * e9, 0, e9 / 2), res).limit, 0u);
    f.eng.settle(res, -5 * e9, 4 * e9);
    EXPECT_EQ(f.eng.open_notional(0), 0);
    EXPECT_EQ(f.eng.daily_notional(0), 4 * e9);
    f.eng.settle(res, 0, 1 * e9); // a lower executed figure is not a refund
    EXPECT_EQ(f.eng.daily_notional(0), 4 * e9);
}

TEST(risk_engine, rate_window_slides_over_exactly_one_second) {
    engine_fixture f(with([](risk_limits& l) { l.max_orders_per_s = 3; }));
    const int64_t t0 = f.mono;
    for (int i = 0; i < 3; ++i) {
        f.mono = t0 + i * 100'000'000;
        ASSERT_EQ(f.check(om_buy(e9, 0, e9 / 2)).limit, 0u) << i;
    }
    f.mono = t0 + sec - 1; // the first is still inside the window
    const risk_verdict v = f.check(om_buy(e9, 0, e9 / 2));
    EXPECT_EQ(v.limit, uint32_t{EF_RISK_ORDER_RATE});
    EXPECT_STREQ(v.reason, "max_orders_per_s: 4 in 1 s > 3 (strategy alpha)");
    f.mono = t0 + sec; // now it has left
    EXPECT_EQ(f.check(om_buy(e9, 0, e9 / 2)).limit, 0u);
    f.mono = t0 + sec + 1; // the second is still in
    EXPECT_EQ(f.check(om_buy(e9, 0, e9 / 2)).limit, uint32_t{EF_RISK_ORDER_RATE});
    f.mono = t0 + sec + 100'000'000;
    EXPECT_EQ(f.check(om_buy(e9, 0, e9 / 2)).limit, 0u);
}

TEST(risk_engine, rejected_orders_do_not_count_toward_the_rate) {
    engine_fixture f(with([](risk_limits& l) {
        l.max_orders_per_s = 1;
        l.max_order_notional_e9 = 10 * e9;
    }));
    EXPECT_EQ(f.check(om_buy(11 * e9, 0, e9 / 2)).limit, uint32_t{EF_RISK_ORDER_NOTIONAL});
    EXPECT_EQ(f.check(om_buy(10 * e9, 0, e9 / 2)).limit, 0u);
}

TEST(risk_engine, utc_midnight_resets_daily_to_what_is_still_open) {
    const int64_t midnight = (noon_ish / (86'400 * sec) + 1) * 86'400 * sec;
    engine_fixture f(with([](risk_limits& l) { l.max_daily_notional_e9 = 100 * e9; }));
    reservation open_order, done_order;
    f.wall = midnight - 1;
    ASSERT_EQ(f.check(ct_limit(10 * e9, 3 * e9), open_order).limit, 0u); // 30 working
    ASSERT_EQ(f.check(ct_limit(10 * e9, 7 * e9), done_order).limit, 0u); // 70
    f.eng.settle(done_order, 0, 70 * e9);
    EXPECT_EQ(f.check(ct_limit(1, 1 * e9)).limit, uint32_t{EF_RISK_DAILY_NOTIONAL});
    f.wall = midnight;
    // Yesterday's 70 executed is gone; the 30 still working counts today.
    EXPECT_EQ(f.check(ct_limit(70 * e9 + 1, 1 * e9)).limit, uint32_t{EF_RISK_DAILY_NOTIONAL});
    EXPECT_EQ(f.eng.daily_notional(0), 30 * e9);
    // The open order fills 10 after midnight: today holds 20 working + 10 executed.
    f.eng.settle(open_order, 20 * e9, 10 * e9);
    EXPECT_EQ(f.eng.daily_notional(0), 30 * e9);
    EXPECT_EQ(f.eng.open_notional(0), 20 * e9);
    f.eng.settle(open_order, 0, 10 * e9);
    EXPECT_EQ(f.eng.daily_notional(0), 10 * e9);
    EXPECT_EQ(f.check(ct_limit(90 * e9, 1 * e9)).limit, 0u);
}

TEST(risk_engine, a_clock_stepping_back_over_midnight_does_not_reset_the_day_again) {
    const int64_t midnight = (noon_ish / (86'400 * sec) + 1) * 86'400 * sec;
    engine_fixture f(wide_limits());
    f.wall = midnight + 5;
    reservation res;
    ASSERT_EQ(f.check(om_buy(10 * e9, 0, e9 / 2), res).limit, 0u);
    f.eng.settle(res, 0, 10 * e9);
    f.wall = midnight - 5;
    EXPECT_EQ(f.check(om_buy(e9, 0, e9 / 2)).limit, 0u);
    f.wall = midnight + 10;
    EXPECT_EQ(f.check(om_buy(e9, 0, e9 / 2)).limit, 0u);
    EXPECT_EQ(f.eng.daily_notional(0), 12 * e9);
}

TEST(risk_engine, halts_reject_new_orders_and_modifies_but_let_cancels_through) {
    engine_fixture f(wide_limits());
    const ef_order_request cancel = ct_order(EF_ORDER_CT_CANCEL, 0, 0, 0, 0, 0);
    const ef_order_request modify = ct_order(EF_ORDER_CT_MODIFY, EF_TYPE_LMT, e9, 0, e9, 0);
    EXPECT_EQ(f.check(ct_limit(e9, e9), 0, true, false).limit, uint32_t{EF_RISK_HALT_ALL});
    EXPECT_EQ(f.check(ct_limit(e9, e9), 0, false, true).limit, uint32_t{EF_RISK_HALT_STRATEGY});
    EXPECT_EQ(f.check(modify, 0, false, true).limit, uint32_t{EF_RISK_HALT_STRATEGY});
    EXPECT_EQ(f.check(cancel, 0, true, true).limit, 0u);
    EXPECT_EQ(f.eng.open_notional(0), 0);
    const risk_verdict v = f.check(ct_limit(e9, e9), 0, false, true);
    EXPECT_STREQ(v.reason, "halt_strategy: strategy alpha is halted");
}

TEST(risk_engine, a_strategy_may_trade_only_its_accounts) {
    risk_engine eng({strategy("alpha", wide_limits(), {"acct-1", "acct-2"})}, {});
    reservation res;
    EXPECT_EQ(eng.check_and_reserve(0, ct_limit(e9, e9, "acct-2"), 0, sec, noon_ish, false, false, res).limit, 0u);
    const risk_verdict v =
        eng.check_and_reserve(0, ct_limit(e9, e9, "acct-3"), 0, sec, noon_ish, false, false, res);
    EXPECT_EQ(v.limit, uint32_t{EF_RISK_ACCOUNT});
    EXPECT_STREQ(v.reason, "account: strategy alpha may not trade account 'acct-3'");
    EXPECT_EQ(eng.check_and_reserve(0, ct_limit(e9, e9, "acct-"), 0, sec, noon_ish, false, false, res).limit,
              uint32_t{EF_RISK_ACCOUNT});
}

TEST(risk_engine, modify_checks_only_its_rise_in_notional_against_the_totals) {
    engine_fixture f(with([](risk_limits& l) { l.max_open_notional_e9 = 100 * e9; }));
    reservation res;
    ASSERT_EQ(f.check(ct_limit(10 * e9, 8 * e9), res).limit, 0u); // 80
    // To 10 x 10 = 100: a rise of 20, exactly to the limit.
    reservation tried = res;
    const ef_order_request up = ct_order(EF_ORDER_CT_MODIFY, EF_TYPE_LMT, 10 * e9, 0, 10 * e9, 0);
    ef_order_request past = up;
    past.limit_price_e9 += 1;
    EXPECT_EQ(f.check(past, tried).limit, uint32_t{EF_RISK_OPEN_NOTIONAL});
    EXPECT_EQ(tried.open_e9, res.open_e9) << "a reject leaves the reservation as it was";
    ASSERT_EQ(f.check(up, tried).limit, 0u);
    EXPECT_EQ(tried.open_e9, 100 * e9);
    EXPECT_EQ(f.eng.open_notional(0), 100 * e9);
    // Down to 10 x 5: nothing more reserved; the venue's answer releases 50.
    reservation down_res = tried;
    ASSERT_EQ(f.check(ct_order(EF_ORDER_CT_MODIFY, EF_TYPE_LMT, 10 * e9, 0, 5 * e9, 0), down_res).limit, 0u);
    EXPECT_EQ(f.eng.open_notional(0), 100 * e9);
    f.eng.settle(down_res, 50 * e9, 0);
    EXPECT_EQ(f.eng.open_notional(0), 50 * e9);
}

TEST(risk_engine, modify_new_values_still_pass_the_per_order_limits) {
    engine_fixture f(with([](risk_limits& l) { l.max_order_qty_e9 = 10 * e9; }));
    reservation res;
    ASSERT_EQ(f.check(ct_limit(10 * e9, e9), res).limit, 0u);
    EXPECT_EQ(f.check(ct_order(EF_ORDER_CT_MODIFY, EF_TYPE_LMT, 10 * e9 + 1, 0, e9, 0), res).limit,
              uint32_t{EF_RISK_ORDER_SIZE});
}

TEST(risk_engine, connect_trade_market_order_by_quantity_is_refused_for_want_of_a_price) {
    engine_fixture f(wide_limits());
    const risk_verdict v = f.check(ct_order(EF_ORDER_CT_NEW, EF_TYPE_MKT, e9, 0, 0, 0));
    EXPECT_EQ(v.limit, uint32_t{EF_RISK_NO_REFERENCE});
    EXPECT_EQ(std::string_view(v.reason).substr(0, 13), "no_reference:");
}

TEST(risk_engine, connect_trade_has_no_fat_finger_check) {
    engine_fixture f(with([](risk_limits& l) {
        l.fat_finger_bps = 1;
        l.require_reference = true;
    }));
    EXPECT_EQ(f.check(ct_limit(e9, 500 * e9), 1 * e9).limit, 0u);
}

TEST(risk_engine, fat_finger_is_off_at_zero_bps_and_without_a_required_reference) {
    engine_fixture f(wide_limits());
    EXPECT_EQ(f.check(om_buy(e9, 0, e9), 1).limit, 0u);
    EXPECT_EQ(f.check(om_buy(e9, 0, e9), 0).limit, 0u);
}

TEST(risk_engine, zero_limits_fail_closed) {
    risk_limits l{};
    engine_fixture f(l);
    EXPECT_NE(f.check(om_buy(e9, 0, e9 / 2)).limit, 0u);
}

TEST(risk_engine, a_sell_counts_toward_open_notional_like_a_buy) {
    engine_fixture f(with([](risk_limits& l) { l.max_open_notional_e9 = 10 * e9; }));
    ef_order_request sell = ct_limit(10 * e9, e9);
    sell.side = EF_SIDE_SELL;
    EXPECT_EQ(f.check(sell).limit, 0u);
    EXPECT_EQ(f.check(sell).limit, uint32_t{EF_RISK_OPEN_NOTIONAL});
}

} // namespace
} // namespace ef::orders
