// cl_order_id allocation allocates nothing per id: next() across many blocks
// (the helper thread persisting block ends meanwhile) and across a UTC
// midnight makes no call to operator new, in any thread of the process.
#include "orders/cl_order_id.hpp"
#include "tests/unit/orders/temp_dir.hpp"

#include "tests/support/counting_new.hpp"

#include <gtest/gtest.h>

namespace ef::orders {
namespace {

constexpr int64_t sec = 1'000'000'000;
constexpr int64_t t0 = 1'795'320'000 * sec; // 2026-11-22T04:00:00Z

TEST(clid_allocations, handing_out_ids_across_blocks_and_days_allocates_nothing) {
    test::temp_dir dir;
    auto r = cl_order_id_source::open(dir.path(), "main", "ef", 64, t0);
    ASSERT_TRUE(r.ok()) << r.err().message;
    cl_order_id_source& src = r.value();
    char buf[EF_CL_ORDER_ID_MAX];
    for (int i = 0; i < 10; ++i) ASSERT_GT(src.next(buf, t0), 0u);
    const uint64_t before = ef::test::operator_new_calls();
    int64_t now = t0;
    size_t handed = 0;
    for (int i = 0; i < 2000; ++i) {
        handed += src.next(buf, now) > 0;
        now += 36 * sec; // 20 hours: crosses one midnight
    }
    EXPECT_EQ(ef::test::operator_new_calls() - before, 0u);
    EXPECT_EQ(handed, 2000u) << src.last_error();
    EXPECT_GT(src.blocks_persisted(), 20u);
}

} // namespace
} // namespace ef::orders
