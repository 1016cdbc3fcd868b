// Tests for snapshot replacement (position_writer::begin_snapshot /
// replace_position / end_snapshot): a snapshot defines the whole book of its
// contest, so partners and positions it does not name vanish, other contests
// are untouched, and every change is journalled.
#include "book_test_support.hpp"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ef::book;
using ef::book::test::scoped_book;
using ef::book::test::scoped_region;
using ef::book::test::small_caps;

namespace {

constexpr int64_t e9(int64_t n) { return n * EF_SCALE_E9; }

ef_position_view read(const ef_book* b, uint32_t p) {
    ef_position_view v{};
    EXPECT_EQ(ef_book_read_position(b, p, &v), EF_OK);
    return v;
}

TEST(snapshot, replaces_the_partner_set_of_a_named_position) {
    scoped_region r(small_caps(), "sr");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    const uint32_t p = w.find_or_create_position("c1:m:s:v:p:t", 0);
    const uint32_t a = w.intern_partner("a"), b = w.intern_partner("b"), c = w.intern_partner("c");
    ASSERT_EQ(w.apply_level(p, a, e9(1) / 2, e9(10), 1, 1), apply_status::applied);
    ASSERT_EQ(w.apply_level(p, b, e9(1) / 4, e9(20), 2, 2), apply_status::applied);
    w.begin_snapshot(0);
    const level_change snap[] = {{b, e9(1) / 3, e9(5), 9}, {c, e9(1) / 5, e9(7), 9}};
    const batch_result res = w.replace_position(p, snap, 9, 3);
    EXPECT_EQ(res.applied, 2u);
    EXPECT_EQ(w.end_snapshot(0, 3), 0u);
    scoped_book bk(r.instance());
    const ef_position_view v = read(bk, p);
    ASSERT_EQ(v.level_count, 2u);
    EXPECT_EQ(v.best_partner, c) << "c is cheapest; a vanished";
    EXPECT_EQ(v.best_price_e9, e9(1) / 5);
    for (uint32_t k = 0; k < v.level_count; ++k) EXPECT_NE(v.levels[k].partner, a);
}

TEST(snapshot, empties_positions_the_snapshot_does_not_name_and_only_those) {
    scoped_region r(small_caps(), "ss");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    ASSERT_EQ(r->claim_contest("c2"), 1u);
    position_writer w = r.writer(0);
    const uint32_t kept = w.find_or_create_position("c1:m:s:v:p:keep", 0);
    const uint32_t gone = w.find_or_create_position("c1:m:s:v:p:gone", 0);
    const uint32_t other = w.find_or_create_position("c2:m:s:v:p:x", 1);
    const uint32_t a = w.intern_partner("a");
    for (uint32_t p : {kept, gone, other}) ASSERT_EQ(w.apply_level(p, a, e9(1) / 2, e9(1), 1, 1), apply_status::applied);
    const uint64_t appends = w.journal_appends();
    w.begin_snapshot(0);
    const level_change snap[] = {{a, e9(1) / 2, e9(3), 5}};
    (void)w.replace_position(kept, snap, 5, 2);
    EXPECT_EQ(w.end_snapshot(0, 2), 1u);
    EXPECT_EQ(w.journal_appends(), appends + 2) << "one entry per changed position";
    scoped_book bk(r.instance());
    EXPECT_EQ(read(bk, kept).level_count, 1u);
    EXPECT_EQ(read(bk, kept).best_available_e9, e9(3));
    EXPECT_EQ(read(bk, gone).level_count, 0u);
    EXPECT_EQ(read(bk, gone).best_partner, EF_NONE);
    EXPECT_EQ(read(bk, other).level_count, 1u) << "another contest is not swept";
}

TEST(snapshot, a_second_snapshot_sweeps_what_the_first_named) {
    scoped_region r(small_caps(), "s2");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    const uint32_t p = w.find_or_create_position("c1:m:s:v:p:t", 0);
    const uint32_t a = w.intern_partner("a");
    const level_change snap[] = {{a, e9(1) / 2, e9(3), 5}};
    w.begin_snapshot(0);
    (void)w.replace_position(p, snap, 5, 1);
    EXPECT_EQ(w.end_snapshot(0, 1), 0u);
    w.begin_snapshot(0);
    EXPECT_EQ(w.end_snapshot(0, 2), 1u) << "named by the first snapshot, not by the second";
    scoped_book bk(r.instance());
    EXPECT_EQ(read(bk, p).level_count, 0u);
}

TEST(snapshot, more_partners_than_slots_are_counted_not_written_past_capacity) {
    scoped_region r(small_caps(), "sf"); // 4 levels per position
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    const uint32_t p = w.find_or_create_position("c1:m:s:v:p:t", 0);
    std::vector<level_change> snap;
    for (int i = 0; i < 6; ++i)
        snap.push_back({w.intern_partner(std::string(1, char('a' + i))), e9(1) / (i + 2), e9(1), 1});
    w.begin_snapshot(0);
    const batch_result res = w.replace_position(p, snap, 1, 1);
    EXPECT_EQ(res.applied, 4u);
    EXPECT_EQ(res.levels_full, 2u);
    (void)w.end_snapshot(0, 1);
    scoped_book bk(r.instance());
    EXPECT_EQ(read(bk, p).level_count, 4u);
}

} // namespace
