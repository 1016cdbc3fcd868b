// The journal's append() allocates nothing: after the writer opened its file,
// appending every kind of record while the writer thread drains and writes
// makes no call to operator new in any thread of the process.
#include "tests/unit/orders/journal_support.hpp"
#include "tests/unit/orders/temp_dir.hpp"

#include "tests/support/counting_new.hpp"

#include <gtest/gtest.h>

namespace ef::orders {
namespace {

using namespace test;

TEST(journal_allocations, appending_records_allocates_nothing) {
    temp_dir dir;
    journal_writer w(dir.path(), "main", 4096, 8192);
    ASSERT_TRUE(w.start().ok());
    ASSERT_TRUE(w.append_note(0, "", "warm-up", jt0, 0));
    ASSERT_TRUE(wait_written(w, 1));
    ef_order_request req{};
    ef_order_response resp{};
    const std::string_view body = R"({"orders":[{"position_hash":"ph","amount":50,"max_price":0.42}]})";
    const uint64_t before = ef::test::operator_new_calls();
    for (int i = 0; i < 2000; ++i) {
        const int64_t wall = jt0 + i;
        w.append_request(1, "alpha", req, "ef20261122-1", wall, i);
        w.append_wire_out(1, journal::venue::openmarkets, "ef20261122-1", "POST",
                          "/flow/v1/auth/orders/buy", body, wall, i);
        w.append_wire_in(1, "ef20261122-1", 200, body, wall, i);
        w.append_response(1, resp, wall, i);
        w.append_reject(1, resp, wall, i);
        w.append_note(1, "ef20261122-1", "reconciled", wall, i);
    }
    ASSERT_TRUE(wait_written(w, 1 + 6 * 2000 - w.dropped()));
    EXPECT_EQ(ef::test::operator_new_calls() - before, 0u);
    w.stop();
}

} // namespace
} // namespace ef::orders
