// Tests for book_region: the layout computed from capacities, the header a
// new region publishes, the contest table and the partner table.
#include "book_test_support.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace ef::book;
using ef::book::test::cat;
using ef::book::test::scoped_book;
using ef::book::test::scoped_region;
using ef::book::test::small_caps;

namespace {

// ---------------------------------------------------------------- spec

TEST(region_spec, aligns_every_section_to_128_bytes_in_header_order_without_overlap) {
    auto s = region_spec::make(small_caps());
    ASSERT_TRUE(s) << s.err().message;
    const capacities& c = s->caps;
    const uint64_t offs[] = {s->off_contests, s->off_partners, s->off_positions, s->off_index,
                             s->off_journals, s->off_stats};
    const uint64_t ends[] = {s->off_contests + c.max_contests * sizeof(ef_contest),
                             s->off_partners + c.max_partners * sizeof(ef_partner),
                             s->off_positions + uint64_t{c.max_positions} * s->position_stride,
                             s->off_index + s->index_slots * sizeof(uint64_t),
                             s->off_journals + c.journal_shards * s->journal_shard_stride,
                             s->total_bytes};
    EXPECT_GE(s->off_contests, sizeof(ef_region_header));
    for (size_t i = 0; i < std::size(offs); ++i) {
        EXPECT_EQ(offs[i] % 128, 0u) << "section " << i;
        EXPECT_LE(ends[i], i + 1 < std::size(offs) ? offs[i + 1] : s->total_bytes) << i;
    }
    EXPECT_EQ(s->position_stride % 128, 0u);
    EXPECT_GE(s->position_stride, EF_POSITION_LEVELS_OFFSET + c.levels_per_position * sizeof(ef_level));
    EXPECT_EQ(s->journal_shard_stride % 128, 0u);
    EXPECT_EQ(s->total_bytes % 4096, 0u);
    EXPECT_GE(s->total_bytes, s->off_stats + sizeof(ef_stats_section) +
                                  c.max_loops * EF_STRIDE64(struct ef_loop_stats) +
                                  c.max_connections * EF_STRIDE64(struct ef_conn_stats));
}

TEST(region_spec, sizes_the_index_as_a_power_of_two_at_most_half_full) {
    for (uint32_t positions : {1u, 2u, 3u, 64u, 65u, 1000u, 65536u}) {
        capacities c = small_caps();
        c.max_positions = positions;
        auto s = region_spec::make(c);
        ASSERT_TRUE(s);
        EXPECT_EQ(s->index_slots & (s->index_slots - 1), 0u) << positions;
        EXPECT_GE(s->index_slots, 2u * positions) << positions;
        EXPECT_LT(s->index_slots, 4u * positions + 1) << "not wastefully large: " << positions;
    }
}

TEST(region_spec, rejects_capacities_the_layout_or_the_consumer_cannot_hold) {
    struct bad {
        void (*edit)(capacities&);
        const char* needle;
    } cases[] = {
        {[](capacities& c) { c.max_positions = 0; }, "max_positions"},
        {[](capacities& c) { c.max_contests = 0; }, "max_contests"},
        {[](capacities& c) { c.max_partners = (1u << 30) + 1; }, "max_partners"},
        {[](capacities& c) { c.levels_per_position = 0; }, "levels_per_position"},
        {[](capacities& c) { c.levels_per_position = EF_VIEW_MAX_LEVELS + 1; }, "levels_per_position"},
        {[](capacities& c) { c.journal_capacity = 100; }, "power of two"},
        {[](capacities& c) { c.journal_capacity = 2; }, "power of two"},
        {[](capacities& c) { c.journal_shards = EF_CURSOR_MAX_SHARDS + 1; }, "journal_shards"},
        {[](capacities& c) { c.max_connections = 0; }, "max_connections"},
    };
    for (const auto& b : cases) {
        capacities c = small_caps();
        b.edit(c);
        auto s = region_spec::make(c);
        ASSERT_FALSE(s) << b.needle;
        EXPECT_NE(s.err().message.find(b.needle), std::string::npos) << s.err().message;
    }
}

// ---------------------------------------------------------------- header

TEST(book_region, publishes_a_header_a_consumer_accepts) {
    scoped_region r(small_caps(), "hdr");
    const ef_region_header* h = r->header();
    EXPECT_EQ(h->magic, EF_REGION_MAGIC);
    EXPECT_EQ(h->layout_major, EF_LAYOUT_MAJOR);
    EXPECT_NE(h->epoch, 0u);
    EXPECT_EQ(h->region_bytes, r->spec().total_bytes);
    EXPECT_EQ(h->daemon_state, uint32_t{EF_DAEMON_STARTING});
    EXPECT_EQ(h->pid, static_cast<uint32_t>(::getpid()));
    EXPECT_STREQ(h->instance, r.instance().c_str());

    scoped_book b(r.instance());
    ASSERT_NE(b.b, nullptr);
    struct ef_book_info info;
    ASSERT_EQ(ef_book_info(b, &info), EF_OK);
    EXPECT_EQ(info.epoch, h->epoch);
    EXPECT_EQ(info.max_positions, 64u);
    EXPECT_EQ(info.levels_per_position, 4u);
    EXPECT_EQ(info.journal_shards, 2u);
    EXPECT_EQ(info.journal_capacity, 64u);
    EXPECT_EQ(info.index_slots, r->spec().index_slots);
    EXPECT_STREQ(info.instance, r.instance().c_str());
    EXPECT_EQ(info.daemon_pid, static_cast<uint32_t>(::getpid()));
}

TEST(book_region, gives_each_start_a_new_epoch) {
    scoped_region a(small_caps(), "ep");
    scoped_region b(small_caps(), "ep");
    EXPECT_NE(a->epoch(), b->epoch());
}

TEST(book_region, starts_every_position_empty_with_no_partner) {
    scoped_region r(small_caps(), "init");
    for (uint32_t p = 0; p < 64; ++p) {
        EXPECT_EQ(r->position(p)->contest, EF_NONE);
        EXPECT_EQ(r->position(p)->best_partner, EF_NONE);
        for (uint32_t l = 0; l < 4; ++l) EXPECT_EQ(r->levels(p)[l].partner, EF_NONE);
    }
}

TEST(book_region, state_and_heartbeat_reach_the_consumer) {
    scoped_region r(small_caps(), "hb");
    scoped_book b(r.instance());
    r->set_state(EF_DAEMON_RUNNING);
    r->heartbeat(123456789);
    struct ef_book_info info;
    ASSERT_EQ(ef_book_info(b, &info), EF_OK);
    EXPECT_EQ(info.daemon_state, uint32_t{EF_DAEMON_RUNNING});
    EXPECT_EQ(info.heartbeat_mono_ns, 123456789);
}

// ---------------------------------------------------------------- contests

TEST(book_region, claims_contests_in_order_and_returns_the_same_index_for_a_known_id) {
    scoped_region r(small_caps(), "ct");
    EXPECT_EQ(r->claim_contest("c-1"), 0u);
    EXPECT_EQ(r->claim_contest("c-2"), 1u);
    EXPECT_EQ(r->claim_contest("c-1"), 0u);
    EXPECT_EQ(r->contests_used(), 2u);
    EXPECT_EQ(r->find_contest("c-2"), 1u);
    EXPECT_EQ(r->find_contest("c-3"), EF_NONE);
    EXPECT_EQ(r->find_contest("c-"), EF_NONE) << "prefix of an id is not the id";
}

TEST(book_region, rejects_contest_ids_that_do_not_fit_and_reports_a_full_table) {
    scoped_region r(small_caps(), "ctf");
    EXPECT_EQ(r->claim_contest(""), rejected);
    EXPECT_EQ(r->claim_contest(std::string(EF_CONTEST_ID_MAX, 'x')), rejected);
    EXPECT_EQ(r->claim_contest(std::string(EF_CONTEST_ID_MAX - 1, 'x')), 0u) << "47 bytes fit";
    for (uint32_t i = 1; i < 8; ++i) EXPECT_EQ(r->claim_contest(cat("c", i)), i);
    EXPECT_EQ(r->claim_contest("one-too-many"), full);
    EXPECT_EQ(r->contests_used(), 8u);
}

TEST(book_region, a_new_contest_reads_stale_not_subscribed_with_its_id) {
    scoped_region r(small_caps(), "cts");
    ASSERT_EQ(r->claim_contest("nba-2025-01"), 0u);
    scoped_book b(r.instance());
    ef_contest_view v;
    ASSERT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
    EXPECT_STREQ(v.id, "nba-2025-01");
    EXPECT_EQ(v.flags, uint32_t{EF_CONTEST_STALE});
    EXPECT_EQ(v.stale_reason, uint32_t{EF_STALE_NOT_SUBSCRIBED});
    EXPECT_EQ(v.connection, EF_NONE);
    EXPECT_EQ(ef_book_read_contest(b, 1, &v), EF_ENOENT);
    EXPECT_EQ(ef_book_read_contest(b, 8, &v), EF_EINVAL);
    uint32_t idx = 99;
    ASSERT_EQ(ef_book_find_contest(b, "nba-2025-01", &idx), EF_OK);
    EXPECT_EQ(idx, 0u);
    EXPECT_EQ(ef_book_find_contest(b, "nba-2025-0", &idx), EF_ENOENT);
}

TEST(book_region, contest_state_writes_reach_the_consumer) {
    scoped_region r(small_caps(), "ctw");
    ASSERT_EQ(r->claim_contest("c"), 0u);
    r->set_contest_status(0, EF_CONTEST_SUBSCRIBED, EF_STALE_NONE);
    r->set_contest_connection(0, 1);
    r->set_contest_synced(0, 1'700'000'000'000'000'000, 1'699'999'999'900'000'000, 3);
    r->note_contest_update(0, 3, 1'700'000'000'500'000'000);
    r->note_contest_update(0, 2, 1'700'000'000'400'000'000); // older: time stays
    scoped_book b(r.instance());
    ef_contest_view v;
    ASSERT_EQ(ef_book_read_contest(b, 0, &v), EF_OK);
    EXPECT_EQ(v.flags, uint32_t{EF_CONTEST_SUBSCRIBED});
    EXPECT_EQ(v.stale_reason, uint32_t{EF_STALE_NONE});
    EXPECT_EQ(v.connection, 1u);
    EXPECT_EQ(v.last_sync_unix_ns, 1'700'000'000'000'000'000);
    EXPECT_EQ(v.last_update_venue_ns, 1'700'000'000'500'000'000);
    EXPECT_EQ(v.entries_applied, 5u);
    EXPECT_EQ(r->contest(0)->seq, 10u) << "five seqlock writes, each +2";
}

// ---------------------------------------------------------------- partners

TEST(book_region, interns_partners_once_each) {
    scoped_region r(small_caps(), "pt");
    EXPECT_EQ(r->intern_partner("kalshi"), 0u);
    EXPECT_EQ(r->intern_partner("polymarket"), 1u);
    EXPECT_EQ(r->intern_partner("kalshi"), 0u);
    EXPECT_EQ(r->partners_used(), 2u);
    EXPECT_EQ(r->find_partner("polymarket"), 1u);
    EXPECT_EQ(r->find_partner("poly"), EF_NONE);
    scoped_book b(r.instance());
    EXPECT_EQ(ef_book_partner_count(b), 2u);
    ef_partner_view v;
    ASSERT_EQ(ef_book_read_partner(b, 1, &v), EF_OK);
    EXPECT_STREQ(v.id, "polymarket");
    uint32_t idx = 0;
    ASSERT_EQ(ef_book_find_partner(b, "kalshi", &idx), EF_OK);
    EXPECT_EQ(idx, 0u);
    EXPECT_EQ(ef_book_read_partner(b, 2, &v), EF_ENOENT);
}

TEST(book_region, rejects_partner_ids_that_do_not_fit_and_reports_a_full_table) {
    scoped_region r(small_caps(), "ptf");
    EXPECT_EQ(r->intern_partner(""), rejected);
    EXPECT_EQ(r->intern_partner(std::string(EF_PARTNER_ID_MAX, 'p')), rejected);
    EXPECT_EQ(r->intern_partner(std::string("a\0b", 3)), rejected);
    for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(r->intern_partner(cat("p", i)), i);
    EXPECT_EQ(r->intern_partner("p-new"), full);
    EXPECT_EQ(r->intern_partner("p3"), 3u) << "a known id is still found when full";
}

TEST(book_region, partner_status_and_name_reach_the_consumer) {
    scoped_region r(small_caps(), "ptn");
    ASSERT_EQ(r->intern_partner("kalshi"), 0u);
    r->set_partner_info(0, 1, "Kalshi Exchange");
    scoped_book b(r.instance());
    ef_partner_view v;
    ASSERT_EQ(ef_book_read_partner(b, 0, &v), EF_OK);
    EXPECT_EQ(v.status, 1u);
    EXPECT_STREQ(v.name, "Kalshi Exchange");
    r->set_partner_info(0, 2, std::string(100, 'n')); // truncated to 63 bytes
    ASSERT_EQ(ef_book_read_partner(b, 0, &v), EF_OK);
    EXPECT_EQ(v.status, 2u);
    EXPECT_EQ(std::string(v.name), std::string(EF_PARTNER_NAME_MAX - 1, 'n'));
    EXPECT_EQ(r->intern_partner("kalshi"), 0u) << "name updates do not disturb interning";
}

TEST(book_region, two_threads_interning_the_same_new_ids_get_one_index_per_id) {
    capacities c = small_caps();
    c.max_partners = 64;
    for (int round = 0; round < 20; ++round) {
        scoped_region r(c, "ptc");
        std::vector<std::string> ids;
        for (int i = 0; i < 48; ++i) ids.push_back(cat("partner-", i));
        std::vector<uint32_t> got[2];
        std::atomic<int> ready{0};
        auto work = [&](int t) {
            ready.fetch_add(1);
            while (ready.load() < 2) {
            }
            // Opposite orders maximise same-slot races.
            for (int i = 0; i < 48; ++i) {
                const int k = t == 0 ? i : 47 - i;
                got[t].push_back(r->intern_partner(ids[k]));
            }
        };
        std::thread a(work, 0), b(work, 1);
        a.join();
        b.join();
        std::reverse(got[1].begin(), got[1].end());
        EXPECT_EQ(got[0], got[1]) << "both threads see the same index for each id";
        std::set<uint32_t> distinct(got[0].begin(), got[0].end());
        EXPECT_EQ(distinct.size(), 48u) << "no id got two records";
        EXPECT_EQ(r->partners_used(), 48u);
        for (int i = 0; i < 48; ++i) EXPECT_TRUE(r->partner_id_equals(got[0][i], ids[i]));
    }
}

} // namespace
