// Tests for the issue-3 sections of the books: the sync fields of a contest,
// the live contest states and the full depth records, written through
// book_region and read back through the consumer C ABI and its C++ wrapper
// (ef_book_read_state, ef_book_find_depth, ef_book_read_depth).
#include "book_test_support.hpp"
#include "common/clock.hpp"
#include "edgefeed/edgefeed.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

using namespace ef::book;
using ef::book::test::cat;
using ef::book::test::scoped_book;
using ef::book::test::scoped_region;
using ef::book::test::small_caps;

namespace {

capacities depth_caps() {
    capacities c = small_caps();
    c.max_depth = 2;
    c.depth_partners = 2;
    c.depth_levels = 3;
    return c;
}

// Holds a record's seqlock odd, as a writer preempted mid-write would.
void hold_odd(uint64_t& seq) { std::atomic_ref<uint64_t>(seq).fetch_add(1); }

contest_state_values sample_state() {
    contest_state_values v;
    v.flags = EF_STATE_PRESENT | EF_STATE_HAS_CLOCK | EF_STATE_CLOCK_RUNNING | EF_STATE_HAS_PERIOD |
              EF_STATE_HAS_SCORES;
    v.game_status = EF_GAME_IN_PROGRESS;
    v.clock_remaining_s = 462;
    v.period_number = 3;
    v.score_home = 71;
    v.score_away = 68;
    v.refreshed_unix_ns = 1'700'000'000'123'000'000;
    v.updated_mono_ns = 42;
    v.game_status_text = "in_progress";
    v.contest_result = "pending";
    v.clock_display = "7:42";
    v.period_label = "3rd Quarter";
    v.period_type = "quarter";
    return v;
}

// ---------------------------------------------------------------- spec

TEST(region_spec, places_states_and_depth_after_the_stats_without_overlap) {
    auto s = region_spec::make(depth_caps());
    ASSERT_TRUE(s) << s.err().message;
    const capacities& c = s->caps;
    const uint64_t stats_end = s->off_stats + sizeof(ef_stats_section) +
                               c.max_loops * s->loop_stats_stride +
                               c.max_connections * s->conn_stats_stride;
    EXPECT_GE(s->off_states, stats_end);
    EXPECT_EQ(s->off_states % 128, 0u);
    EXPECT_GE(s->off_depth, s->off_states + c.max_contests * sizeof(ef_contest_state));
    EXPECT_EQ(s->off_depth % 128, 0u);
    EXPECT_EQ(s->depth_stride, 384u) << "192 + 2 * (32 + 3 * 16) = 352, rounded up to 64";
    EXPECT_LE(s->off_depth + uint64_t{c.max_depth} * s->depth_stride, s->total_bytes);
}

TEST(region_spec, rejects_depth_records_a_consumer_view_cannot_hold) {
    struct edit {
        void (*apply)(capacities&);
        const char* why;
    } cases[] = {
        {[](capacities& c) { c.depth_partners = 0; }, "no partner slot"},
        {[](capacities& c) { c.depth_partners = EF_VIEW_MAX_DEPTH_PARTNERS + 1; }, "partners"},
        {[](capacities& c) { c.depth_levels = 0; }, "no level"},
        {[](capacities& c) { c.depth_levels = EF_VIEW_MAX_DEPTH_LEVELS + 1; }, "levels"},
        {[](capacities& c) { c.max_depth = (1u << 30) + 1; }, "max_depth"},
    };
    for (const edit& e : cases) {
        capacities c = small_caps();
        e.apply(c);
        EXPECT_FALSE(region_spec::make(c)) << e.why;
    }
    capacities none = small_caps();
    none.max_depth = 0;
    EXPECT_TRUE(region_spec::make(none)) << "a region may keep no depth at all";
}

TEST(region_spec, defaults_keep_64_depth_records_of_16_partners_by_16_levels) {
    const capacities c;
    EXPECT_EQ(c.max_depth, 64u);
    EXPECT_EQ(c.depth_partners, 16u);
    EXPECT_EQ(c.depth_levels, 16u);
}

// ---------------------------------------------------------- contest sync

TEST(contest_sync, each_snapshot_counts_a_resync_and_records_its_venue_time_and_held_updates) {
    scoped_region r(small_caps(), "sy");
    ASSERT_EQ(r->claim_contest("c"), 0u);
    r->set_contest_synced(0, 1'700'000'000'000'000'000, 1'699'999'999'990'000'000, 4);
    r->set_contest_synced(0, 1'700'000'005'000'000'000, 1'700'000'004'990'000'000, 0);
    scoped_book b(r.instance());
    ef_contest_view v;
    ASSERT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
    EXPECT_EQ(v.resyncs, 2u);
    EXPECT_EQ(v.held_updates, 0u) << "the last snapshot's count, not a sum";
    EXPECT_EQ(v.last_sync_unix_ns, 1'700'000'005'000'000'000);
    EXPECT_EQ(v.snapshot_venue_ns, 1'700'000'004'990'000'000);
}

TEST(contest_sync, status_since_moves_only_when_flags_or_reason_change) {
    scoped_region r(small_caps(), "ss");
    ASSERT_EQ(r->claim_contest("c"), 0u);
    scoped_book b(r.instance());
    ef_contest_view v;
    ASSERT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
    const int64_t claimed = v.status_since_mono_ns;
    EXPECT_GT(claimed, 0);
    EXPECT_LE(claimed, ef::mono_ns());

    r->set_contest_status(0, EF_CONTEST_STALE, EF_STALE_NOT_SUBSCRIBED); // same as claimed
    ASSERT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
    EXPECT_EQ(v.status_since_mono_ns, claimed);

    const int64_t before = ef::mono_ns();
    r->set_contest_status(0, EF_CONTEST_SUBSCRIBED, EF_STALE_NONE);
    ASSERT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
    const int64_t fresh_since = v.status_since_mono_ns;
    EXPECT_GE(fresh_since, before);

    r->set_contest_status(0, EF_CONTEST_SUBSCRIBED, EF_STALE_NONE);
    ASSERT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
    EXPECT_EQ(v.status_since_mono_ns, fresh_since) << "a repeated status is not a change";

    r->set_contest_status(0, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, EF_STALE_AWAITING_SNAPSHOT);
    r->set_contest_status(0, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, EF_STALE_SNAPSHOT_FAILED);
    ASSERT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
    EXPECT_GE(v.status_since_mono_ns, fresh_since) << "a new reason alone is a change";
    EXPECT_EQ(v.stale_reason, uint32_t{EF_STALE_SNAPSHOT_FAILED});
}

TEST(contest_sync, a_contest_read_returns_ebusy_while_a_write_stays_open) {
    scoped_region r(small_caps(), "sb");
    ASSERT_EQ(r->claim_contest("c"), 0u);
    scoped_book b(r.instance());
    hold_odd(r->contest(0)->seq);
    ef_contest_view v;
    EXPECT_EQ(ef_book_read_contest(b, 0, &v), EF_EBUSY);
    hold_odd(r->contest(0)->seq); // the write ends
    EXPECT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
}

// --------------------------------------------------------- contest state

TEST(contest_state, every_field_written_reaches_the_consumer) {
    scoped_region r(small_caps(), "st");
    ASSERT_EQ(r->claim_contest("c0"), 0u);
    ASSERT_EQ(r->claim_contest("c1"), 1u);
    contest_state_values in = sample_state();
    in.flags |= EF_STATE_HAS_WINNER;
    in.winner_participant_id = "team-home";
    r->write_contest_state(1, in);
    scoped_book b(r.instance());
    ef_state_view v;
    ASSERT_EQ(ef_book_read_state(b, 1, &v), EF_OK);
    EXPECT_EQ(v.contest, 1u);
    EXPECT_EQ(v.seq, 2u);
    EXPECT_EQ(v.flags, in.flags);
    EXPECT_EQ(v.game_status, uint32_t{EF_GAME_IN_PROGRESS});
    EXPECT_EQ(v.clock_remaining_s, 462);
    EXPECT_EQ(v.period_number, 3);
    EXPECT_EQ(v.score_home, 71);
    EXPECT_EQ(v.score_away, 68);
    EXPECT_EQ(v.refreshed_unix_ns, 1'700'000'000'123'000'000);
    EXPECT_EQ(v.updated_mono_ns, 42);
    EXPECT_EQ(v.updates, 1u);
    EXPECT_STREQ(v.game_status_text, "in_progress");
    EXPECT_STREQ(v.contest_result, "pending");
    EXPECT_STREQ(v.clock_display, "7:42");
    EXPECT_STREQ(v.period_label, "3rd Quarter");
    EXPECT_STREQ(v.period_type, "quarter");
    EXPECT_STREQ(v.winner_participant_id, "team-home");
    EXPECT_EQ(ef_book_read_state(b, 0, &v), EF_ENOENT) << "contest 0 never got a state";
}

TEST(contest_state, a_rewrite_replaces_shorter_texts_whole_and_counts_updates) {
    scoped_region r(small_caps(), "st2");
    ASSERT_EQ(r->claim_contest("c"), 0u);
    r->write_contest_state(0, sample_state());
    contest_state_values in;
    in.flags = EF_STATE_PRESENT;
    in.game_status = EF_GAME_FINAL;
    in.game_status_text = "final";
    r->write_contest_state(0, in);
    scoped_book b(r.instance());
    ef_state_view v;
    ASSERT_EQ(ef_book_read_state(b, 0, &v), EF_OK);
    EXPECT_EQ(v.updates, 2u);
    EXPECT_EQ(v.seq, 4u);
    EXPECT_STREQ(v.game_status_text, "final") << "no tail of in_progress left";
    EXPECT_STREQ(v.period_label, "");
    EXPECT_EQ(v.score_home, 0);
}

TEST(contest_state, long_texts_are_cut_at_a_utf8_character_boundary) {
    struct row {
        std::string in;
        std::string want;
        const char* why;
    } rows[] = {
        {std::string(40, 'a'), std::string(31, 'a'), "ascii: 31 bytes and the NUL"},
        {std::string(30, 'a') + "\xC3\xA9", std::string(30, 'a') + "", "2-byte char across the cut"},
        {std::string(29, 'a') + "\xC3\xA9", std::string(29, 'a') + "\xC3\xA9", "fits exactly"},
        {std::string(29, 'a') + "\xE2\x82\xAC", std::string(29, 'a'), "3-byte char across"},
        {std::string("ab\0cd", 5), "ab", "an embedded NUL ends the text"},
    };
    scoped_region r(small_caps(), "stu");
    ASSERT_EQ(r->claim_contest("c"), 0u);
    scoped_book b(r.instance());
    for (const row& w : rows) {
        contest_state_values in;
        in.period_label = w.in; // 32-byte field
        r->write_contest_state(0, in);
        ef_state_view v;
        ASSERT_EQ(ef_book_read_state(b, 0, &v), EF_OK);
        EXPECT_EQ(std::string(v.period_label), w.want) << w.why;
    }
}

TEST(contest_state, reads_refuse_unknown_contests_and_busy_records) {
    scoped_region r(small_caps(), "stb");
    scoped_book b(r.instance());
    ef_state_view v;
    EXPECT_EQ(ef_book_read_state(b, 0, &v), EF_ENOENT) << "no contest claimed";
    EXPECT_EQ(ef_book_read_state(b, 8, &v), EF_EINVAL) << "beyond max_contests";
    EXPECT_EQ(ef_book_read_state(b, 0, nullptr), EF_EINVAL);
    EXPECT_EQ(ef_book_read_state(nullptr, 0, &v), EF_EINVAL);
    ASSERT_EQ(r->claim_contest("c"), 0u);
    r->write_contest_state(0, sample_state());
    hold_odd(r->contest_state(0)->seq);
    EXPECT_EQ(ef_book_read_state(b, 0, &v), EF_EBUSY);
    hold_odd(r->contest_state(0)->seq);
    EXPECT_EQ(ef_book_read_state(b, 0, &v), EF_OK);
}

// ----------------------------------------------------------------- depth

// Levels price = 10 * (level + 1) + partner, available = price + 1000; the
// ones a depth record holds are checked against this rule.
std::vector<ef_depth_level> levels_for(uint32_t partner, uint32_t n) {
    std::vector<ef_depth_level> v;
    for (uint32_t l = 0; l < n; ++l) {
        const int64_t px = 10 * int64_t(l + 1) + partner;
        v.push_back({px, px + 1000});
    }
    return v;
}

TEST(depth, claims_one_record_per_hash_and_reports_bad_and_full) {
    scoped_region r(depth_caps(), "dc");
    EXPECT_EQ(r->claim_depth("h0"), 0u);
    EXPECT_EQ(r->claim_depth("h1"), 1u);
    EXPECT_EQ(r->claim_depth("h0"), 0u) << "the existing record";
    EXPECT_EQ(r->claim_depth("h2"), full);
    EXPECT_EQ(r->claim_depth(""), rejected);
    EXPECT_EQ(r->claim_depth(std::string(EF_POSITION_HASH_MAX + 1, 'h')), rejected);
    EXPECT_EQ(r->find_depth("h1"), 1u);
    EXPECT_EQ(r->find_depth("h"), EF_NONE);
    scoped_book b(r.instance());
    EXPECT_EQ(ef_book_depth_count(b), 2u);
    uint32_t idx = 99;
    ASSERT_EQ(ef_book_find_depth(b, "h1", 2, &idx), EF_OK);
    EXPECT_EQ(idx, 1u);
    EXPECT_EQ(ef_book_find_depth(b, "h", 1, &idx), EF_ENOENT);
    EXPECT_EQ(ef_book_find_depth(b, "h1", 0, &idx), EF_EINVAL);
    EXPECT_EQ(ef_book_find_depth(b, nullptr, 2, &idx), EF_EINVAL);
    struct ef_book_info info;
    ASSERT_EQ(ef_book_info(b, &info), EF_OK);
    EXPECT_EQ(info.max_depth, 2u);
    EXPECT_EQ(info.depth_partners, 2u);
    EXPECT_EQ(info.depth_levels, 3u);
    EXPECT_EQ(info.depth_used, 2u);
}

TEST(depth, a_claimed_record_reads_never_fetched_with_its_hash) {
    scoped_region r(depth_caps(), "dn");
    ASSERT_EQ(r->claim_depth("pos-hash"), 0u);
    scoped_book b(r.instance());
    auto v = std::make_unique<ef_depth_view>();
    ASSERT_EQ(ef_book_read_depth(b, 0, v.get()), EF_OK);
    EXPECT_EQ(v->status, uint32_t{EF_DEPTH_NEVER});
    EXPECT_EQ(v->position, EF_NONE);
    EXPECT_EQ(v->partner_count, 0u);
    EXPECT_EQ(v->refreshes, 0u);
    EXPECT_STREQ(v->hash, "pos-hash");
    EXPECT_EQ(v->hash_len, 8u);
    EXPECT_EQ(ef_book_read_depth(b, 1, v.get()), EF_ENOENT) << "not claimed";
    EXPECT_EQ(ef_book_read_depth(b, 2, v.get()), EF_EINVAL) << "beyond max_depth";
}

TEST(depth, a_write_reaches_the_consumer_partner_by_partner_and_level_by_level) {
    scoped_region r(depth_caps(), "dw");
    ASSERT_EQ(r->intern_partner("p0"), 0u);
    ASSERT_EQ(r->intern_partner("p1"), 1u);
    ASSERT_EQ(r->claim_depth("h"), 0u);
    const auto l0 = levels_for(0, 3), l1 = levels_for(1, 1);
    const depth_partner_values ps[] = {{0, 10, 3000, 111, l0}, {1, 11, 1011, 222, l1}};
    ASSERT_EQ(r->write_depth(0, 5, 999, EF_DEPTH_OK, ps), depth_write::written);
    scoped_book b(r.instance());
    auto v = std::make_unique<ef_depth_view>();
    ASSERT_EQ(ef_book_read_depth(b, 0, v.get()), EF_OK);
    EXPECT_EQ(v->status, uint32_t{EF_DEPTH_OK});
    EXPECT_EQ(v->position, 5u);
    EXPECT_EQ(v->fetched_unix_ns, 999);
    EXPECT_EQ(v->refreshes, 1u);
    EXPECT_GT(v->updated_mono_ns, 0);
    ASSERT_EQ(v->partner_count, 2u);
    EXPECT_EQ(v->partners[0].partner, 0u);
    EXPECT_EQ(v->partners[0].best_price_e9, 10);
    EXPECT_EQ(v->partners[0].total_available_e9, 3000);
    EXPECT_EQ(v->partners[0].fetched_unix_ns, 111);
    ASSERT_EQ(v->partners[0].level_count, 3u);
    for (uint32_t l = 0; l < 3; ++l) {
        EXPECT_EQ(v->partners[0].levels[l].price_e9, l0[l].price_e9) << l;
        EXPECT_EQ(v->partners[0].levels[l].available_e9, l0[l].available_e9) << l;
    }
    EXPECT_EQ(v->partners[1].partner, 1u);
    ASSERT_EQ(v->partners[1].level_count, 1u);
    EXPECT_EQ(v->partners[1].levels[0].price_e9, 11);
}

TEST(depth, a_shorter_answer_empties_the_slots_and_levels_it_lacks) {
    scoped_region r(depth_caps(), "ds");
    ASSERT_EQ(r->intern_partner("p0"), 0u);
    ASSERT_EQ(r->intern_partner("p1"), 1u);
    ASSERT_EQ(r->claim_depth("h"), 0u);
    const auto l3 = levels_for(0, 3), l1 = levels_for(1, 1);
    const depth_partner_values two[] = {{0, 10, 0, 0, l3}, {1, 11, 0, 0, l3}};
    ASSERT_EQ(r->write_depth(0, 5, 1, EF_DEPTH_OK, two), depth_write::written);
    const depth_partner_values one[] = {{1, 11, 0, 0, l1}};
    ASSERT_EQ(r->write_depth(0, 5, 2, EF_DEPTH_OK, one), depth_write::written);
    scoped_book b(r.instance());
    auto v = std::make_unique<ef_depth_view>();
    ASSERT_EQ(ef_book_read_depth(b, 0, v.get()), EF_OK);
    ASSERT_EQ(v->partner_count, 1u);
    EXPECT_EQ(v->partners[0].partner, 1u);
    EXPECT_EQ(v->partners[0].level_count, 1u);
    EXPECT_EQ(v->refreshes, 2u);
    // The shared record, past the counts: nothing of the first answer is left.
    EXPECT_EQ(r->depth_partner(0, 1)->partner, EF_NONE);
    EXPECT_EQ(r->depth_levels(0, 1)[2].price_e9, 0);
    EXPECT_EQ(r->depth_levels(0, 0)[1].price_e9, 0);
}

TEST(depth, keeps_the_first_partners_and_levels_and_says_depth_full_when_cut) {
    scoped_region r(depth_caps(), "df");
    for (int i = 0; i < 3; ++i) ASSERT_EQ(r->intern_partner(cat("p", i)), uint32_t(i));
    ASSERT_EQ(r->claim_depth("h"), 0u);
    const auto l5 = levels_for(0, 5), l1 = levels_for(1, 1);
    const depth_partner_values too_deep[] = {{0, 10, 0, 0, l5}};
    EXPECT_EQ(r->write_depth(0, 5, 1, EF_DEPTH_OK, too_deep), depth_write::depth_full);
    scoped_book b(r.instance());
    auto v = std::make_unique<ef_depth_view>();
    ASSERT_EQ(ef_book_read_depth(b, 0, v.get()), EF_OK);
    ASSERT_EQ(v->partners[0].level_count, 3u);
    EXPECT_EQ(v->partners[0].levels[2].price_e9, l5[2].price_e9) << "best first survive";
    const depth_partner_values too_many[] = {{0, 10, 0, 0, l1}, {1, 11, 0, 0, l1}, {2, 12, 0, 0, l1}};
    EXPECT_EQ(r->write_depth(0, 5, 2, EF_DEPTH_OK, too_many), depth_write::depth_full);
    ASSERT_EQ(ef_book_read_depth(b, 0, v.get()), EF_OK);
    ASSERT_EQ(v->partner_count, 2u);
    EXPECT_EQ(v->partners[1].partner, 1u);
}

TEST(depth, refuses_unclaimed_records_unknown_partners_and_statuses_writing_nothing) {
    scoped_region r(depth_caps(), "di");
    ASSERT_EQ(r->claim_depth("h"), 0u);
    const auto l1 = levels_for(0, 1);
    const depth_partner_values bad_partner[] = {{8, 10, 0, 0, l1}}; // max_partners is 8
    EXPECT_EQ(r->write_depth(0, 5, 1, EF_DEPTH_OK, bad_partner), depth_write::invalid);
    const depth_partner_values good[] = {{0, 10, 0, 0, l1}};
    EXPECT_EQ(r->write_depth(1, 5, 1, EF_DEPTH_OK, good), depth_write::invalid) << "unclaimed";
    EXPECT_EQ(r->write_depth(0, 5, 1, static_cast<ef_depth_status>(7), good), depth_write::invalid);
    EXPECT_FALSE(r->mark_depth_failed(1));
    EXPECT_EQ(r->depth(0)->seq, 0u) << "no write began";
}

TEST(depth, a_failed_refresh_keeps_the_previous_data) {
    scoped_region r(depth_caps(), "dfl");
    ASSERT_EQ(r->intern_partner("p0"), 0u);
    ASSERT_EQ(r->claim_depth("h"), 0u);
    const auto l2 = levels_for(0, 2);
    const depth_partner_values ps[] = {{0, 10, 2020, 7, l2}};
    ASSERT_EQ(r->write_depth(0, 5, 77, EF_DEPTH_OK, ps), depth_write::written);
    ASSERT_TRUE(r->mark_depth_failed(0));
    scoped_book b(r.instance());
    auto v = std::make_unique<ef_depth_view>();
    ASSERT_EQ(ef_book_read_depth(b, 0, v.get()), EF_OK);
    EXPECT_EQ(v->status, uint32_t{EF_DEPTH_FAILED});
    EXPECT_EQ(v->fetched_unix_ns, 77);
    EXPECT_EQ(v->refreshes, 1u) << "a failure is not a refresh";
    ASSERT_EQ(v->partner_count, 1u);
    EXPECT_EQ(v->partners[0].level_count, 2u);
    EXPECT_EQ(v->partners[0].total_available_e9, 2020);
    EXPECT_EQ(v->seq, 4u);
}

TEST(depth, a_read_returns_ebusy_while_a_write_stays_open) {
    scoped_region r(depth_caps(), "db");
    ASSERT_EQ(r->claim_depth("h"), 0u);
    scoped_book b(r.instance());
    auto v = std::make_unique<ef_depth_view>();
    hold_odd(r->depth(0)->seq);
    EXPECT_EQ(ef_book_read_depth(b, 0, v.get()), EF_EBUSY);
    hold_odd(r->depth(0)->seq);
    EXPECT_EQ(ef_book_read_depth(b, 0, v.get()), EF_OK);
}

// ------------------------------------------------------------ C++ wrapper

TEST(consumer_cpp, wraps_state_and_depth_reads) {
    scoped_region r(depth_caps(), "cpl");
    ASSERT_EQ(r->claim_contest("c"), 0u);
    r->write_contest_state(0, sample_state());
    ASSERT_EQ(r->intern_partner("p0"), 0u);
    ASSERT_EQ(r->claim_depth("hash-a"), 0u);
    const auto l1 = levels_for(0, 1);
    const depth_partner_values ps[] = {{0, 10, 1010, 0, l1}};
    ASSERT_EQ(r->write_depth(0, EF_NONE, 5, EF_DEPTH_OK, ps), depth_write::written);
    auto b = edgefeed::book::open(r.instance());
    ASSERT_TRUE(b) << b.err().message;
    auto st = b->read_state(0);
    ASSERT_TRUE(st) << st.err().message;
    EXPECT_EQ(st->score_home, 71);
    EXPECT_EQ(b->read_state(1).code(), EF_ENOENT);
    EXPECT_EQ(b->depth_count(), 1u);
    const auto idx = b->find_depth("hash-a");
    ASSERT_TRUE(idx);
    EXPECT_FALSE(b->find_depth("hash-b"));
    auto d = std::make_unique<ef_depth_view>();
    ASSERT_EQ(b->read_depth(*idx, *d), EF_OK);
    EXPECT_EQ(d->partners[0].total_available_e9, 1010);
    EXPECT_EQ(b->read_depth(1).code(), EF_ENOENT);
}

} // namespace
