// Counts heap allocations on the hot paths after warm-up: the writer's
// create-or-find, intern, apply, batch, clear and journal, and the consumer's
// find, reads and cursor. Replaces the global operator new for this test
// binary; the library code under test allocates with nothing else.
#include "book_test_support.hpp"

#include <atomic>
#include <cstdlib>
#include <gtest/gtest.h>
#include <new>

namespace {
std::atomic<uint64_t> g_allocs{0};
}

// All out of line: once one side is inlined, GCC sees malloc's pointer reach
// operator delete (or new's reach free) and warns (-Wmismatched-new-delete),
// though they pair correctly here.

[[gnu::noinline]] void* operator new(std::size_t n) {
    g_allocs.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t n) { return operator new(n); }
[[gnu::noinline]] void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    g_allocs.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n ? n : 1);
}
[[gnu::noinline]] void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace ef::book;
using ef::book::test::scoped_book;
using ef::book::test::scoped_region;
using ef::book::test::small_caps;

namespace {

TEST(book_allocations, the_hot_paths_allocate_nothing_after_warm_up) {
    scoped_region r(small_caps(), "al");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    scoped_book b(r.instance());
    ef_cursor cur;
    ASSERT_EQ(ef_cursor_init_newest(b, &cur), EF_OK);
    const std::string_view h = "c1:moneyline:home:main:team-a:full";
    const std::string_view partner = "kalshi";
    uint64_t sink = 0;
    auto round = [&](int64_t i) {
        const uint32_t p = w.find_or_create_position(h, 0);
        const uint32_t k = w.intern_partner(partner);
        sink += static_cast<uint64_t>(w.apply_level(p, k, 10 + i, 20 + i, i, i));
        const level_change batch[] = {{k, 5, 1, i}, {k + 1, 6, 0, i}};
        sink += w.apply_levels(p, batch, i).applied;
        if (i % 16 == 0) sink += w.clear_contest(0, i);
        uint32_t found = 0;
        sink += static_cast<uint64_t>(ef_book_find(b, h.data(), h.size(), &found));
        ef_position_view v;
        sink += static_cast<uint64_t>(ef_book_read_position(b, found, &v));
        ef_best_view bv;
        sink += static_cast<uint64_t>(ef_book_read_best(b, found, &bv));
        ef_journal_entry e;
        while (ef_cursor_next(b, &cur, &e) == 1) sink += e.seq;
    };
    for (int64_t i = 0; i < 100; ++i) round(i); // warm-up: the position and partner exist now
    const uint64_t before = g_allocs.load();
    for (int64_t i = 100; i < 10'100; ++i) round(i);
    EXPECT_EQ(g_allocs.load() - before, 0u);
    EXPECT_NE(sink, 0u);
}

TEST(book_allocations, the_counter_sees_an_allocation) {
    const uint64_t before = g_allocs.load();
    auto* p = new int(3);
    EXPECT_EQ(g_allocs.load() - before, 1u) << "else the test above proves nothing";
    delete p;
}

} // namespace
