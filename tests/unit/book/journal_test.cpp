// Tests for the update journal: ordered delivery, wrap-around, lapped readers
// (Agrona-style jump to the newest), round-robin over shards, stale cursors.
#include "book_test_support.hpp"

#include <gtest/gtest.h>
#include <vector>

using namespace ef::book;
using ef::book::test::scoped_book;
using ef::book::test::scoped_region;
using ef::book::test::small_caps;

namespace {

// A region with one contest and one position per shard's writer, and a
// helper that appends n journal entries with publish_mono_ns = a running count.
class journal : public ::testing::Test {
protected:
    journal() : r_(small_caps(), "jr") {
        EXPECT_EQ(r_->claim_contest("c1"), 0u);
        w0_.emplace(r_.writer(0));
        w1_.emplace(r_.writer(1));
        p0_ = w0_->find_or_create_position("c1:zero", 0);
        p1_ = w1_->find_or_create_position("c1:one", 0);
        b_.emplace(r_.instance());
    }

    void append(position_writer& w, uint32_t p, int n) {
        for (int i = 0; i < n; ++i) {
            ++stamp_;
            ASSERT_EQ(w.apply_level(p, 0, stamp_, 1 + (stamp_ & 1), stamp_, stamp_),
                      apply_status::applied);
        }
    }
    const ef_book* b() { return b_->b; }

    scoped_region r_;
    std::optional<position_writer> w0_, w1_;
    uint32_t p0_ = 0, p1_ = 0;
    std::optional<scoped_book> b_;
    int64_t stamp_ = 0;
};

TEST_F(journal, delivers_entries_in_order_with_their_fields) {
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_oldest(b(), &c), EF_OK);
    append(*w0_, p0_, 10);
    ef_journal_entry e;
    for (uint64_t s = 0; s < 10; ++s) {
        ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
        EXPECT_EQ(e.seq, s);
        EXPECT_EQ(e.position, p0_);
        EXPECT_EQ(e.contest, 0u);
        EXPECT_EQ(e.publish_mono_ns, int64_t(s + 1));
        EXPECT_EQ(e.venue_ns, int64_t(s + 1));
        EXPECT_EQ(c.last_shard, 0u);
    }
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), 0);
    EXPECT_EQ(c.lapped_count, 0u);
}

TEST_F(journal, a_newest_cursor_skips_what_was_published_before_it) {
    append(*w0_, p0_, 5);
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_newest(b(), &c), EF_OK);
    ef_journal_entry e;
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), 0);
    append(*w0_, p0_, 1);
    ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
    EXPECT_EQ(e.seq, 5u);
}

TEST_F(journal, wraps_around_the_ring_without_losing_a_reader_that_keeps_up) {
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_newest(b(), &c), EF_OK);
    ef_journal_entry e;
    uint64_t want = 0;
    for (int round = 0; round < 5; ++round) { // 5 x 50 entries through a 64-entry ring
        append(*w0_, p0_, 50);
        for (int i = 0; i < 50; ++i) {
            ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
            EXPECT_EQ(e.seq, want);
            EXPECT_EQ(e.publish_mono_ns, int64_t(want + 1));
            ++want;
        }
        EXPECT_EQ(ef_cursor_next(b(), &c, &e), 0);
    }
    EXPECT_EQ(c.laps, 0u);
}

TEST_F(journal, a_lapped_reader_counts_what_it_missed_and_continues_from_the_newest) {
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_newest(b(), &c), EF_OK);
    ef_journal_entry e;
    append(*w0_, p0_, 5);
    for (int i = 0; i < 5; ++i) ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
    append(*w0_, p0_, 100); // entries 5..104; the ring holds only 41..104
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), EF_LAPPED);
    EXPECT_EQ(c.lapped_count, 100u);
    EXPECT_EQ(c.laps, 1u);
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), 0) << "it jumped to the newest";
    append(*w0_, p0_, 3);
    for (uint64_t s = 105; s < 108; ++s) {
        ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
        EXPECT_EQ(e.seq, s);
        EXPECT_EQ(e.publish_mono_ns, int64_t(s + 1));
    }
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), 0);
    EXPECT_EQ(c.lapped_count, 100u);
}

TEST_F(journal, a_reader_exactly_one_ring_behind_is_not_lapped) {
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_newest(b(), &c), EF_OK);
    append(*w0_, p0_, 64); // fills the ring exactly: entry 0 still held
    ef_journal_entry e;
    for (uint64_t s = 0; s < 64; ++s) {
        ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1) << s;
        EXPECT_EQ(e.seq, s);
    }
    append(*w0_, p0_, 65); // now one past: entry 64 was overwritten by 128
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), EF_LAPPED);
    EXPECT_EQ(c.lapped_count, 65u);
}

TEST_F(journal, an_oldest_cursor_starts_at_the_oldest_entry_the_ring_still_holds) {
    append(*w0_, p0_, 100);
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_oldest(b(), &c), EF_OK);
    ef_journal_entry e;
    for (uint64_t s = 36; s < 100; ++s) {
        ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
        EXPECT_EQ(e.seq, s);
    }
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), 0);
    EXPECT_EQ(c.laps, 0u);
}

TEST_F(journal, visits_shards_round_robin) {
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_newest(b(), &c), EF_OK);
    append(*w0_, p0_, 3);
    append(*w1_, p1_, 3);
    ef_journal_entry e;
    std::vector<uint32_t> shards, positions;
    while (ef_cursor_next(b(), &c, &e) == 1) {
        shards.push_back(c.last_shard);
        positions.push_back(e.position);
    }
    EXPECT_EQ(shards, (std::vector<uint32_t>{0, 1, 0, 1, 0, 1}));
    EXPECT_EQ(positions, (std::vector<uint32_t>{p0_, p1_, p0_, p1_, p0_, p1_}));
}

TEST_F(journal, a_lap_in_one_shard_leaves_the_others_alone) {
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_newest(b(), &c), EF_OK);
    append(*w0_, p0_, 70);
    append(*w1_, p1_, 2);
    ef_journal_entry e;
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), EF_LAPPED);
    EXPECT_EQ(c.last_shard, 0u);
    ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
    EXPECT_EQ(c.last_shard, 1u);
    EXPECT_EQ(e.seq, 0u);
    ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
    EXPECT_EQ(e.seq, 1u);
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), 0);
    EXPECT_EQ(c.lapped_count, 70u);
}

TEST_F(journal, a_cursor_from_another_region_is_refused) {
    scoped_region other(small_caps(), "jo");
    scoped_book ob(other.instance());
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_newest(ob, &c), EF_OK);
    ef_journal_entry e;
    EXPECT_EQ(ef_cursor_next(b(), &c, &e), EF_ESTALE);
    EXPECT_EQ(ef_cursor_next(b(), nullptr, &e), EF_EINVAL);
}

TEST_F(journal, a_writer_made_again_for_a_shard_continues_its_sequence) {
    append(*w0_, p0_, 3);
    w0_.reset();
    w0_.emplace(r_.writer(0));
    w0_->adopt_contest(0);
    append(*w0_, p0_, 1);
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_oldest(b(), &c), EF_OK);
    ef_journal_entry e;
    for (uint64_t s = 0; s < 4; ++s) {
        ASSERT_EQ(ef_cursor_next(b(), &c, &e), 1);
        EXPECT_EQ(e.seq, s);
    }
}

} // namespace
