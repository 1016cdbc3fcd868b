// Pre-trade risk allocates nothing per order: checks, rejects (with their
// reasons) and settlements after construction make no call to operator new.
// Its own binary with the other order-core allocation tests: it replaces the
// global operator new to count calls.
#include "tests/unit/orders/risk_support.hpp"

#include "tests/support/counting_new.hpp"

#include <gtest/gtest.h>

namespace ef::orders {
namespace {

using namespace test;

TEST(risk_allocations, checking_rejecting_and_settling_orders_allocates_nothing) {
    risk_limits l = wide_limits();
    l.max_order_notional_e9 = 100 * e9;
    l.max_orders_per_s = 50;
    l.fat_finger_bps = 100;
    risk_engine eng({strategy("alpha", l, {"u-1", "acct-1"}), strategy("beta", l)},
                    {{"acct-1", 1'000'000 * e9, 1'000'000 * e9}});
    const ef_order_request orders[] = {
        om_buy(10 * e9, 0, e9 / 2), om_buy(1000 * e9, 0, e9 / 2), ct_limit(e9, 3 * e9),
        ct_limit(e9, 3 * e9, "nope"), ct_order(EF_ORDER_CT_CANCEL, 0, 0, 0, 0, 0),
        ct_order(EF_ORDER_CT_MODIFY, EF_TYPE_LMT, 2 * e9, 0, 3 * e9, 0),
        ct_order(EF_ORDER_CT_NEW, EF_TYPE_MKT, e9, 0, 0, 0)};
    int64_t mono = sec, wall = noon_ish;
    uint64_t passed = 0, rejected = 0;
    auto run = [&](int n) {
        for (int i = 0; i < n; ++i) {
            reservation res;
            const risk_verdict v = eng.check_and_reserve(i % 2, orders[i % 7], e9 / 2, mono, wall,
                                                         false, i % 11 == 0, res);
            (v.limit == 0 ? passed : rejected) += 1;
            if (v.limit == 0) eng.settle(res, 0, res.open_e9 / 2);
            mono += 3'000'000;
            wall += 60 * sec; // crosses several UTC midnights
        }
    };
    run(100);
    const uint64_t before = ef::test::operator_new_calls();
    run(10'000);
    EXPECT_EQ(ef::test::operator_new_calls() - before, 0u);
    EXPECT_GT(passed, 0u);
    EXPECT_GT(rejected, 0u);
}

} // namespace
} // namespace ef::orders
