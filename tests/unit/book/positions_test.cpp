// Tests for positions: creation and lookup through the shared index (with
// forced collisions), level changes and best-offer recomputation, capacity
// limits, batches, clearing a contest and hand-over between writers.
#include "book_test_support.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <tuple>
#include <vector>

using namespace ef::book;
using ef::book::test::cents;
using ef::book::test::cat;
using ef::book::test::scoped_book;
using ef::book::test::scoped_region;
using ef::book::test::small_caps;

namespace {

constexpr int64_t shares(int64_t n) { return n * EF_SCALE_E9; }

ef_position_view read(const ef_book* b, uint32_t p) {
    ef_position_view v{};
    EXPECT_EQ(ef_book_read_position(b, p, &v), EF_OK);
    return v;
}

// ---------------------------------------------------------------- create/find

TEST(positions, creates_a_position_once_and_finds_it_from_both_sides) {
    scoped_region r(small_caps(), "pc");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    const std::string h = "c1:moneyline:home:main:team-a:full";
    const uint32_t p = w.find_or_create_position(h, 0);
    ASSERT_TRUE(is_index(p));
    EXPECT_EQ(w.find_or_create_position(h, 0), p);
    EXPECT_EQ(r->find_position(h), p);
    EXPECT_EQ(r->positions_used(), 1u);
    scoped_book b(r.instance());
    uint32_t found = EF_NONE;
    ASSERT_EQ(ef_book_find(b, h.data(), h.size(), &found), EF_OK);
    EXPECT_EQ(found, p);
    EXPECT_EQ(ef_book_find(b, h.data(), h.size() - 1, &found), EF_ENOENT);
    const ef_position_view v = read(b, p);
    EXPECT_EQ(v.contest, 0u);
    EXPECT_EQ(std::string(v.hash, v.hash_len), h);
    EXPECT_EQ(v.hash[v.hash_len], '\0');
    EXPECT_EQ(v.level_count, 0u);
    EXPECT_EQ(v.best_partner, EF_NONE);
    ef_contest_view cv;
    ASSERT_EQ(ef_book_read_contest(b, 0, &cv), EF_OK);
    EXPECT_EQ(cv.positions, 1u);
}

TEST(positions, rejects_hashes_that_do_not_fit_and_unknown_contests) {
    scoped_region r(small_caps(), "pr");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    EXPECT_EQ(w.find_or_create_position("", 0), rejected);
    EXPECT_EQ(w.find_or_create_position(std::string(EF_POSITION_HASH_MAX + 1, 'h'), 0), rejected);
    EXPECT_EQ(w.find_or_create_position("c2:x", 1), rejected) << "contest 1 is not claimed";
    const std::string longest(EF_POSITION_HASH_MAX, 'h');
    const uint32_t p = w.find_or_create_position(longest, 0);
    ASSERT_TRUE(is_index(p));
    scoped_book b(r.instance());
    const ef_position_view v = read(b, p);
    EXPECT_EQ(v.hash_len, uint32_t{EF_POSITION_HASH_MAX});
    EXPECT_EQ(std::string(v.hash), longest);
    uint32_t found = 0;
    EXPECT_EQ(ef_book_find(b, longest.data(), longest.size(), &found), EF_OK);
    EXPECT_EQ(ef_book_find(b, "", 0, &found), EF_EINVAL);
}

TEST(positions, refuses_a_known_hash_offered_for_another_contest) {
    scoped_region r(small_caps(), "px");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    ASSERT_EQ(r->claim_contest("c2"), 1u);
    position_writer w = r.writer(0);
    const uint32_t p = w.find_or_create_position("c1:m:s:v:p:t", 0);
    ASSERT_TRUE(is_index(p));
    EXPECT_EQ(w.find_or_create_position("c1:m:s:v:p:t", 1), rejected)
        << "contest c2's writer must not reach c1's record";
    EXPECT_EQ(w.find_or_create_position("c1:m:s:v:p:t", 0), p);
}

TEST(positions, reports_full_when_every_record_is_used_and_still_finds_existing_ones) {
    capacities c = small_caps();
    c.max_positions = 4;
    scoped_region r(c, "pf");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(w.find_or_create_position(cat("c1:", i), 0), uint32_t(i));
    EXPECT_EQ(w.find_or_create_position("c1:4", 0), full);
    EXPECT_EQ(w.find_or_create_position("c1:2", 0), 2u);
    EXPECT_EQ(r->positions_used(), 4u) << "a failed claim does not move the count past the end";
}

TEST(positions, a_claimed_record_not_yet_created_reads_as_absent) {
    scoped_region r(small_caps(), "pa");
    scoped_book b(r.instance());
    ef_position_view v;
    EXPECT_EQ(ef_book_read_position(b, 5, &v), EF_ENOENT);
    EXPECT_EQ(ef_book_read_position(b, 64, &v), EF_EINVAL);
    ef_best_view bv;
    EXPECT_EQ(ef_book_read_best(b, 5, &bv), EF_ENOENT);
}

// Strings that all start probing at the same slot of an 8-slot index.
std::vector<std::string> same_start_slot(size_t want, uint32_t mask) {
    std::vector<std::string> out;
    uint64_t first_slot = ~uint64_t{0};
    for (int i = 0; out.size() < want; ++i) {
        std::string s = cat("c1:m:s:v:p:", i);
        const uint64_t slot = ef_hash64(s.data(), s.size()) & mask;
        if (first_slot == ~uint64_t{0}) first_slot = slot;
        if (slot == first_slot) out.push_back(std::move(s));
    }
    return out;
}

TEST(positions, probes_linearly_past_colliding_start_slots) {
    capacities c = small_caps();
    c.max_positions = 4; // 8 index slots
    scoped_region r(c, "pcol");
    ASSERT_EQ(r->spec().index_slots, 8u);
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    const auto hashes = same_start_slot(4, 7);
    std::vector<uint32_t> ps;
    for (const auto& h : hashes) ps.push_back(w.find_or_create_position(h, 0));
    for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(ps[i], i);
    // Four consecutive slots (mod 8) from the shared start are filled.
    const uint32_t start = ef_hash64(hashes[0].data(), hashes[0].size()) & 7;
    for (uint32_t k = 0; k < 4; ++k)
        EXPECT_EQ(static_cast<uint32_t>(r->index()[(start + k) & 7]) - 1, k) << k;
    scoped_book b(r.instance());
    for (uint32_t i = 0; i < 4; ++i) {
        uint32_t found = EF_NONE;
        ASSERT_EQ(ef_book_find(b, hashes[i].data(), hashes[i].size(), &found), EF_OK);
        EXPECT_EQ(found, i);
        EXPECT_EQ(r->find_position(hashes[i]), i);
    }
    const std::string absent = same_start_slot(5, 7).back();
    uint32_t found = 0;
    EXPECT_EQ(ef_book_find(b, absent.data(), absent.size(), &found), EF_ENOENT);
    EXPECT_EQ(r->find_position(absent), EF_NONE);
}

TEST(positions, tells_apart_two_hashes_with_the_same_tag_and_start_slot) {
    // Birthday search for a full 32-bit tag collision that also shares the
    // 3-bit start slot: ~1M candidates give several such pairs.
    std::vector<std::pair<uint64_t, uint32_t>> keys;
    keys.reserve(1u << 20);
    auto make = [](uint32_t i) { return cat("c1:moneyline:home:main:p:", i); };
    for (uint32_t i = 0; i < (1u << 20); ++i) {
        const std::string s = make(i);
        const uint64_t h = ef_hash64(s.data(), s.size());
        keys.emplace_back(((h >> 32) << 3) | (h & 7), i);
    }
    std::sort(keys.begin(), keys.end());
    std::string a, b2;
    for (size_t k = 1; k < keys.size() && a.empty(); ++k)
        if (keys[k].first == keys[k - 1].first) {
            a = make(keys[k - 1].second);
            b2 = make(keys[k].second);
        }
    ASSERT_FALSE(a.empty()) << "no collision found among 2^20 candidates";
    const uint64_t ha = ef_hash64(a.data(), a.size()), hb = ef_hash64(b2.data(), b2.size());
    ASSERT_EQ(ha >> 32, hb >> 32);
    ASSERT_EQ(ha & 7, hb & 7);

    capacities c = small_caps();
    c.max_positions = 4;
    scoped_region r(c, "ptag");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    scoped_book b(r.instance());
    uint32_t found = 0;
    ASSERT_EQ(w.find_or_create_position(a, 0), 0u);
    EXPECT_EQ(ef_book_find(b, b2.data(), b2.size(), &found), EF_ENOENT)
        << "same tag, different text: not a match";
    EXPECT_EQ(r->find_position(b2), EF_NONE);
    ASSERT_EQ(w.find_or_create_position(b2, 0), 1u) << "a new record, not the colliding one";
    ASSERT_EQ(ef_book_find(b, a.data(), a.size(), &found), EF_OK);
    EXPECT_EQ(found, 0u);
    ASSERT_EQ(ef_book_find(b, b2.data(), b2.size(), &found), EF_OK);
    EXPECT_EQ(found, 1u);
}

// ---------------------------------------------------------------- levels

struct op {
    uint32_t partner;
    int64_t price;
    int64_t available;
    apply_status want;
};
struct level {
    uint32_t partner;
    int64_t price;
    int64_t available;
    bool operator==(const level&) const = default;
};
struct apply_case {
    const char* why;
    std::vector<op> ops;
    uint32_t best_partner;
    int64_t best_price;
    int64_t best_available;
    std::vector<level> slots; // used slots in slot order
};

constexpr auto ok = apply_status::applied;

const apply_case apply_cases[] = {
    {"the first offer becomes the best", {{0, cents(49), shares(100), ok}}, 0, cents(49),
     shares(100), {{0, cents(49), shares(100)}}},
    {"a cheaper offer from another partner takes the best",
     {{0, cents(49), shares(100), ok}, {1, cents(45), shares(10), ok}}, 1, cents(45), shares(10),
     {{0, cents(49), shares(100)}, {1, cents(45), shares(10)}}},
    {"a dearer offer leaves the best alone",
     {{0, cents(49), shares(100), ok}, {1, cents(55), shares(10), ok}}, 0, cents(49), shares(100),
     {{0, cents(49), shares(100)}, {1, cents(55), shares(10)}}},
    {"a partner's new offer replaces its old one in place",
     {{0, cents(49), shares(100), ok}, {1, cents(50), shares(1), ok}, {0, cents(60), shares(5), ok}},
     1, cents(50), shares(1), {{0, cents(60), shares(5)}, {1, cents(50), shares(1)}}},
    {"removing the best promotes the next cheapest; the last slot fills the hole",
     {{0, cents(49), shares(100), ok},
      {1, cents(45), shares(10), ok},
      {2, cents(47), shares(3), ok},
      {1, cents(45), 0, ok}},
     2, cents(47), shares(3), {{0, cents(49), shares(100)}, {2, cents(47), shares(3)}}},
    {"removing a partner that has nothing is a no-op",
     {{0, cents(49), shares(100), ok}, {3, cents(10), 0, apply_status::unchanged}}, 0, cents(49),
     shares(100), {{0, cents(49), shares(100)}}},
    {"equal prices: the lower partner index wins (arrival order 2 then 1)",
     {{2, cents(50), shares(1), ok}, {1, cents(50), shares(2), ok}}, 1, cents(50), shares(2),
     {{2, cents(50), shares(1)}, {1, cents(50), shares(2)}}},
    {"equal prices: the lower partner index wins (arrival order 1 then 2)",
     {{1, cents(50), shares(2), ok}, {2, cents(50), shares(1), ok}}, 1, cents(50), shares(2),
     {{1, cents(50), shares(2)}, {2, cents(50), shares(1)}}},
    {"removing the only level leaves no best",
     {{0, cents(49), 1, ok}, {0, cents(49), 0, ok}}, EF_NONE, 0, 0, {}},
    {"removing the first of four keeps used slots first",
     {{0, 1, 1, ok}, {1, 2, 2, ok}, {2, 3, 3, ok}, {3, 4, 4, ok}, {0, 0, 0, ok}}, 1, 2, 2,
     {{3, 4, 4}, {1, 2, 2}, {2, 3, 3}}},
    {"a fifth partner with four slots is levels_full and changes nothing",
     {{0, 10, 1, ok}, {1, 20, 1, ok}, {2, 30, 1, ok}, {3, 40, 1, ok}, {4, 5, 1, apply_status::levels_full}},
     0, 10, 1, {{0, 10, 1}, {1, 20, 1}, {2, 30, 1}, {3, 40, 1}}},
    {"a full position still takes changes from partners it holds",
     {{0, 10, 1, ok}, {1, 20, 1, ok}, {2, 30, 1, ok}, {3, 40, 1, ok}, {2, 5, 7, ok}}, 2, 5, 7,
     {{0, 10, 1}, {1, 20, 1}, {2, 5, 7}, {3, 40, 1}}},
    {"a removal frees a slot for a new partner",
     {{0, 10, 1, ok}, {1, 20, 1, ok}, {2, 30, 1, ok}, {3, 40, 1, ok}, {1, 20, 0, ok}, {4, 15, 2, ok}},
     0, 10, 1, {{0, 10, 1}, {3, 40, 1}, {2, 30, 1}, {4, 15, 2}}},
    {"negative available is invalid and changes nothing",
     {{0, 10, 1, ok}, {1, 5, -1, apply_status::invalid}}, 0, 10, 1, {{0, 10, 1}}},
    {"a partner index beyond the table is invalid", {{8, 10, 1, apply_status::invalid}}, EF_NONE, 0,
     0, {}},
    {"a price of zero is a price", {{0, 0, 5, ok}, {1, 1, 5, ok}}, 0, 0, 5, {{0, 0, 5}, {1, 1, 5}}},
};

TEST(positions, applies_level_changes_and_recomputes_the_best_offer) {
    for (const apply_case& c : apply_cases) {
        scoped_region r(small_caps(), "lv");
        ASSERT_EQ(r->claim_contest("c1"), 0u);
        position_writer w = r.writer(1);
        const uint32_t p = w.find_or_create_position("c1:m:s:v:p:t", 0);
        ASSERT_TRUE(is_index(p));
        uint64_t applied = 0;
        int64_t venue = 1000;
        for (const op& o : c.ops) {
            ++venue;
            EXPECT_EQ(w.apply_level(p, o.partner, o.price, o.available, venue, 5000 + venue), o.want)
                << c.why;
            applied += o.want == ok;
        }
        scoped_book b(r.instance());
        const ef_position_view v = read(b, p);
        EXPECT_EQ(v.best_partner, c.best_partner) << c.why;
        if (c.best_partner != EF_NONE) {
            EXPECT_EQ(v.best_price_e9, c.best_price) << c.why;
            EXPECT_EQ(v.best_available_e9, c.best_available) << c.why;
        }
        std::vector<level> slots;
        for (uint32_t k = 0; k < v.level_count; ++k)
            slots.push_back({v.levels[k].partner, v.levels[k].price_e9, v.levels[k].available_e9});
        EXPECT_EQ(slots, c.slots) << c.why;
        for (uint32_t k = v.level_count; k < 4; ++k)
            EXPECT_EQ(r->levels(p)[k].partner, EF_NONE) << c.why << ": unused slots are empty";
        EXPECT_EQ(v.updates, applied) << c.why;
        EXPECT_EQ(v.seq, 2 + 2 * applied) << c.why << ": creation, then one window per change";
        EXPECT_EQ(w.journal_appends(), applied) << c.why << ": one journal entry per change";
        if (applied) {
            EXPECT_EQ(v.publish_mono_ns, 5000 + v.venue_ns) << c.why;
        }
    }
}

TEST(positions, keeps_the_newest_venue_time_and_per_level_times) {
    scoped_region r(small_caps(), "vt");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    const uint32_t p = w.find_or_create_position("c1:x", 0);
    ASSERT_EQ(w.apply_level(p, 0, 10, 1, 2000, 1), apply_status::applied);
    ASSERT_EQ(w.apply_level(p, 1, 20, 1, 1500, 2), apply_status::applied); // late, older stamp
    scoped_book b(r.instance());
    const ef_position_view v = read(b, p);
    EXPECT_EQ(v.venue_ns, 2000);
    EXPECT_EQ(v.publish_mono_ns, 2);
    EXPECT_EQ(v.levels[0].venue_ns, 2000);
    EXPECT_EQ(v.levels[1].venue_ns, 1500);
    ef_best_view bv;
    ASSERT_EQ(ef_book_read_best(b, p, &bv), EF_OK);
    EXPECT_EQ(bv.best_partner, 0u);
    EXPECT_EQ(bv.best_price_e9, 10);
    EXPECT_EQ(bv.seq, v.seq);
}

TEST(positions, applies_a_batch_in_one_window_and_one_journal_entry) {
    scoped_region r(small_caps(), "bt");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    const uint32_t p = w.find_or_create_position("c1:b", 0);
    const level_change changes[] = {
        {0, 30, 1, 10}, {1, 20, 1, 11}, {2, 25, 1, 12}, {3, 40, 1, 13},
        {4, 5, 1, 14},  // no slot left
        {1, 20, 0, 15}, // remove
        {5, 1, 0, 16},  // nothing to remove
        {9, 1, 1, 17},  // partner index beyond the table
    };
    const batch_result br = w.apply_levels(p, changes, 777);
    EXPECT_EQ(br.applied, 5u);
    EXPECT_EQ(br.levels_full, 1u);
    EXPECT_EQ(br.unchanged, 1u);
    EXPECT_EQ(br.invalid, 1u);
    EXPECT_EQ(w.journal_appends(), 1u);
    scoped_book b(r.instance());
    const ef_position_view v = read(b, p);
    EXPECT_EQ(v.seq, 4u);
    EXPECT_EQ(v.level_count, 3u);
    EXPECT_EQ(v.best_partner, 2u);
    EXPECT_EQ(v.best_price_e9, 25);
    EXPECT_EQ(v.venue_ns, 15);
    EXPECT_EQ(v.updates, 5u);
    ef_cursor cur;
    ASSERT_EQ(ef_cursor_init_oldest(b, &cur), EF_OK);
    ef_journal_entry e;
    ASSERT_EQ(ef_cursor_next(b, &cur, &e), 1);
    EXPECT_EQ(e.position, p);
    EXPECT_EQ(e.publish_mono_ns, 777);
    EXPECT_EQ(ef_cursor_next(b, &cur, &e), 0);
}

TEST(positions, clearing_a_contest_empties_its_positions_only_and_journals_each_change) {
    scoped_region r(small_caps(), "clr");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    ASSERT_EQ(r->claim_contest("c2"), 1u);
    position_writer w = r.writer(0);
    const uint32_t a = w.find_or_create_position("c1:a", 0);
    const uint32_t b1 = w.find_or_create_position("c1:b", 0);
    const uint32_t empty = w.find_or_create_position("c1:empty", 0);
    const uint32_t other = w.find_or_create_position("c2:a", 1);
    ASSERT_EQ(w.apply_level(a, 0, 10, 1, 1, 1), apply_status::applied);
    ASSERT_EQ(w.apply_level(a, 1, 11, 1, 1, 1), apply_status::applied);
    ASSERT_EQ(w.apply_level(b1, 0, 12, 1, 1, 1), apply_status::applied);
    ASSERT_EQ(w.apply_level(other, 0, 13, 1, 1, 1), apply_status::applied);
    scoped_book b(r.instance());
    ef_cursor cur;
    ASSERT_EQ(ef_cursor_init_newest(b, &cur), EF_OK);
    EXPECT_EQ(w.clear_contest(0, 99), 2u);
    for (uint32_t p : {a, b1, empty}) {
        const ef_position_view v = read(b, p);
        EXPECT_EQ(v.level_count, 0u);
        EXPECT_EQ(v.best_partner, EF_NONE);
        for (uint32_t k = 0; k < 4; ++k) EXPECT_EQ(r->levels(p)[k].partner, EF_NONE);
    }
    EXPECT_EQ(read(b, other).level_count, 1u);
    std::vector<uint32_t> journalled;
    ef_journal_entry e;
    while (ef_cursor_next(b, &cur, &e) == 1) {
        journalled.push_back(e.position);
        EXPECT_EQ(e.contest, 0u);
        EXPECT_EQ(e.publish_mono_ns, 99);
    }
    std::sort(journalled.begin(), journalled.end());
    EXPECT_EQ(journalled, (std::vector<uint32_t>{a, b1}));
    EXPECT_EQ(w.apply_level(a, 2, 50, 3, 2, 2), apply_status::applied) << "usable after clearing";
}

TEST(positions, a_contest_handed_to_another_writer_continues_its_seqlock) {
    scoped_region r(small_caps(), "ho");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    uint32_t p = 0;
    {
        position_writer first = r.writer(0);
        p = first.find_or_create_position("c1:h", 0);
        ASSERT_EQ(first.apply_level(p, 0, 10, 1, 1, 1), apply_status::applied);
    }
    position_writer second = r.writer(1);
    second.adopt_contest(0);
    ASSERT_EQ(second.apply_level(p, 1, 5, 1, 2, 2), apply_status::applied);
    EXPECT_EQ(r->position(p)->seq, 6u);
    EXPECT_EQ(second.clear_contest(0, 3), 1u) << "the new writer knows the contest's positions";
}

TEST(positions, one_writer_per_shard) {
    scoped_region r(small_caps(), "sh");
    auto a = position_writer::make(*r, 0);
    ASSERT_TRUE(a);
    auto again = position_writer::make(*r, 0);
    ASSERT_FALSE(again);
    EXPECT_NE(again.err().message.find("already has a writer"), std::string::npos);
    auto out = position_writer::make(*r, 2);
    ASSERT_FALSE(out);
    EXPECT_NE(out.err().message.find("out of range"), std::string::npos);
}

TEST(positions, the_writer_partner_cache_agrees_with_the_shared_table) {
    scoped_region r(small_caps(), "pcache");
    position_writer w0 = r.writer(0);
    position_writer w1 = r.writer(1);
    EXPECT_EQ(w0.intern_partner("kalshi"), 0u);
    EXPECT_EQ(w1.intern_partner("novig"), 1u);
    EXPECT_EQ(w1.intern_partner("kalshi"), 0u);
    EXPECT_EQ(w0.intern_partner("kalshi"), 0u);
    EXPECT_EQ(w0.intern_partner("novig"), 1u);
    EXPECT_EQ(w0.intern_partner(""), rejected);
    for (int i = 2; i < 8; ++i) EXPECT_EQ(w0.intern_partner(cat("p", i)), uint32_t(i));
    EXPECT_EQ(w1.intern_partner("p9"), full);
    EXPECT_EQ(w1.intern_partner("p7"), 7u);
}

} // namespace
