// Unit tests of the venue simulator's pure parts: the game state machine the
// contest_state channel and REST /state print, how fault requests are read
// from the control API and --fault, and the truth book's per-contest
// timestamps, lookups and new contests. Run by meson (suite unit).
#include "edgesim/contest_state.hpp"
#include "edgesim/faults.hpp"
#include "edgesim/venue_book.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using ef::sim::fault_kind;
using ef::sim::game_state;
using ef::sim::game_status;

TEST(game_state, kicks_off_after_its_scheduled_ticks) {
    game_state s;
    s.ticks_to_start = 2;
    EXPECT_FALSE(s.tick(0));
    EXPECT_FALSE(s.tick(0));
    EXPECT_EQ(s.status, game_status::scheduled);
    EXPECT_TRUE(s.tick(0));
    EXPECT_EQ(s.status, game_status::in_progress);
    EXPECT_EQ(s.period, 1u);
    EXPECT_EQ(s.remaining_seconds, game_state::period_seconds);
}

TEST(game_state, runs_four_periods_then_is_final_and_stops_changing) {
    game_state s;
    unsigned ticks = 0;
    while (s.status != game_status::final && ticks < 10000) {
        s.tick(ticks * 7919u);
        ++ticks;
        ASSERT_GE(s.remaining_seconds, 0);
        ASSERT_LE(s.period, game_state::periods);
    }
    const unsigned per_period = game_state::period_seconds / game_state::seconds_per_tick;
    EXPECT_EQ(ticks, 1 + per_period * game_state::periods); // kick-off + the clock
    const game_state before = s;
    EXPECT_FALSE(s.tick(0));
    EXPECT_EQ(s.home, before.home);
    EXPECT_EQ(s.away, before.away);
}

TEST(game_state, scores_only_grow) {
    game_state s;
    s.tick(0);
    unsigned home = 0, away = 0;
    for (uint64_t i = 0; i < 100; ++i) {
        s.tick(i * 0x9E3779B97F4A7C15ULL);
        EXPECT_GE(s.home, home);
        EXPECT_GE(s.away, away);
        home = s.home;
        away = s.away;
    }
    EXPECT_GT(home + away, 0u) << "some ticks must score";
}

TEST(game_state, json_names_status_scores_and_the_final_result) {
    game_state s;
    s.home = 3;
    s.away = 1;
    EXPECT_NE(state_json(s).find(R"("game_status":"scheduled")"), std::string::npos);
    EXPECT_TRUE(s.finish());
    const std::string j = state_json(s);
    EXPECT_NE(j.find(R"("game_status":"final")"), std::string::npos) << j;
    EXPECT_NE(j.find(R"("scores":{"home":3,"away":1})"), std::string::npos) << j;
    EXPECT_NE(j.find(R"("contest_result":"home")"), std::string::npos) << j;
    EXPECT_FALSE(s.finish()) << "finishing twice changes nothing";
}

struct fault_case {
    const char* query;
    bool ok;
    fault_kind kind;
    const char* contest;
    uint64_t count;
    int64_t ms;
    const char* why;
};

TEST(fault_request, is_read_from_the_control_query_and_the_command_line_form) {
    const fault_case cases[] = {
        {"kind=drop", true, fault_kind::drop, "", 1, -1, "defaults: one, no ms"},
        {"drop", true, fault_kind::drop, "", 1, -1, "--fault form without kind="},
        {"stall&ms=500", true, fault_kind::stall, "", 1, 500, "--fault form with a parameter"},
        {"kind=refresh_required&contest=ct_1&count=3", true, fault_kind::refresh_required, "ct_1",
         3, -1, "contest and count"},
        {"kind=rest_slow&ms=0", true, fault_kind::rest_slow, "", 1, 0, "ms 0 turns rest_slow off"},
        {"kind=fragment&count=0", true, fault_kind::fragment, "", 0, -1,
         "count 0 turns fragment off"},
        {"kind=contest_close&contest=ct%5F1", true, fault_kind::contest_close, "ct_1", 1, -1,
         "values are percent-decoded"},
        {"kind=nonsense", false, fault_kind::drop, "", 0, 0, "unknown kind"},
        {"kind=drop&count=-1", false, fault_kind::drop, "", 0, 0, "negative count"},
        {"kind=stall&ms=1x", false, fault_kind::stall, "", 0, 0, "ms not a number"},
        {"", false, fault_kind::drop, "", 0, 0, "no kind at all"},
    };
    for (const auto& c : cases) {
        auto r = ef::sim::parse_fault_request(c.query);
        ASSERT_EQ(static_cast<bool>(r), c.ok) << c.query << ": " << c.why;
        if (!c.ok) continue;
        EXPECT_EQ(r->kind, c.kind) << c.why;
        EXPECT_EQ(r->contest, c.contest) << c.why;
        EXPECT_EQ(r->count, c.count) << c.why;
        EXPECT_EQ(r->ms, c.ms) << c.why;
    }
}

struct order_fault_case {
    const char* query;
    bool ok;
    fault_kind kind;
    uint64_t count;
    int64_t ms;
    bool after;
    int status;
    const char* why;
};

TEST(fault_request, order_faults_read_in_the_long_and_the_short_form) {
    const order_fault_case cases[] = {
        {"order_latency_ms=250", true, fault_kind::order_latency, 1, 250, false, 0, "short latency"},
        {"kind=order_latency&ms=0", true, fault_kind::order_latency, 1, 0, false, 0, "off"},
        {"order_drop=before", true, fault_kind::order_drop, 1, -1, false, 0, "short drop before"},
        {"kind=order_drop=after&count=2", true, fault_kind::order_drop, 2, -1, true, 0,
         "short form after kind= with a count"},
        {"kind=order_drop&when=after", true, fault_kind::order_drop, 1, -1, true, 0, "long drop"},
        {"order_hang", true, fault_kind::order_hang, 1, -1, false, 0, "--fault hang"},
        {"order_status=503", true, fault_kind::order_status, 1, -1, false, 503, "short status"},
        {"kind=order_status&status=409&count=3", true, fault_kind::order_status, 3, -1, false, 409,
         "long status"},
        {"order_drop=sideways", false, fault_kind::order_drop, 0, 0, false, 0, "bad when"},
        {"order_status=200", false, fault_kind::order_status, 0, 0, false, 0, "not an error status"},
        {"kind=order_status", false, fault_kind::order_status, 0, 0, false, 0, "no status"},
    };
    for (const auto& c : cases) {
        auto r = ef::sim::parse_fault_request(c.query);
        ASSERT_EQ(static_cast<bool>(r), c.ok) << c.query << ": " << c.why;
        if (!c.ok) continue;
        EXPECT_EQ(r->kind, c.kind) << c.why;
        EXPECT_EQ(r->count, c.count) << c.why;
        EXPECT_EQ(r->ms, c.ms) << c.why;
        EXPECT_EQ(r->after, c.after) << c.why;
        EXPECT_EQ(r->http_status, c.status) << c.why;
    }
}

TEST(fault_request, control_queries_are_told_from_status_reads) {
    EXPECT_TRUE(ef::sim::is_fault_query("kind=drop"));
    EXPECT_TRUE(ef::sim::is_fault_query("order_drop=after&count=2"));
    EXPECT_TRUE(ef::sim::is_fault_query("order_latency_ms=5"));
    EXPECT_TRUE(ef::sim::is_fault_query("order_hang"));
    EXPECT_TRUE(ef::sim::is_fault_query("order_hang&count=2"));
    EXPECT_FALSE(ef::sim::is_fault_query(""));
    EXPECT_FALSE(ef::sim::is_fault_query("verbose=1"));
}

TEST(fault_request, every_kind_round_trips_through_its_name) {
    for (size_t i = 0; i < ef::sim::fault_kinds; ++i) {
        const auto k = static_cast<fault_kind>(i);
        fault_kind back = fault_kind::drop;
        ASSERT_TRUE(ef::sim::parse_fault_kind(to_string(k), back)) << to_string(k);
        EXPECT_EQ(back, k);
    }
}

ef::sim::venue_options small_venue() {
    ef::sim::venue_options o;
    o.contests = 3;
    o.positions_per_contest = 4;
    o.start_unix_ns = 1'795'000'000'123'456'789;
    return o;
}

TEST(venue_book, stamps_strictly_increase_per_contest_even_within_one_unit) {
    ef::sim::venue_book b(small_venue());
    const std::string c = b.contest_ids()[0];
    const int64_t now = 1'795'000'001'000'000'000;
    const int64_t ms = 1'000'000;
    const int64_t t1 = b.stamp(c, now + 10, ms);
    const int64_t t2 = b.stamp(c, now + 20, ms);     // same millisecond
    const int64_t t3 = b.stamp(c, now - 5 * ms, ms); // clock stepped back
    EXPECT_EQ(t1, now);
    EXPECT_EQ(t2, now + ms);
    EXPECT_EQ(t3, now + 2 * ms);
    EXPECT_EQ(b.info(c)->last_change_ns, t3);
    EXPECT_EQ(b.stamp(b.contest_ids()[1], now + 10, ms), now)
        << "other contests have their own sequence";
}

TEST(venue_book, finds_positions_by_hash_and_applies_changes_to_them) {
    ef::sim::venue_book b(small_venue());
    const std::string c = b.contest_ids()[1];
    const auto entries = b.initial_entries(c);
    ASSERT_FALSE(entries.empty());
    const auto& e = entries.front();
    const ef::sim::partner_levels* lv = b.find_position(e.position_hash);
    ASSERT_NE(lv, nullptr);
    EXPECT_EQ(lv->at(e.partner).first, e.price_e9);
    b.apply(c, {e.partner, e.position_hash, 420'000'000, 0});
    EXPECT_EQ(b.find_position(e.position_hash)->count(e.partner), 0u)
        << "available 0 removes the level";
    EXPECT_EQ(b.find_position(c + ":no:such:hash:at:all"), nullptr);
    EXPECT_EQ(b.find_position("ct_unknown:a:b:c:d:e"), nullptr);
}

TEST(venue_book, a_new_contest_is_open_listed_last_and_has_liquidity) {
    ef::sim::venue_book b(small_venue());
    const std::string id = b.add_contest(1'795'100'000'000'000'000);
    EXPECT_EQ(b.contest_ids().back(), id);
    EXPECT_TRUE(b.is_open(id));
    EXPECT_EQ(b.info(id)->starts_at_ns, 1'795'100'000'000'000'000);
    EXPECT_FALSE(b.truth_lines(id).empty());
    EXPECT_EQ(b.truth_lines(id).find(b.contest_ids()[0] + ":"), std::string::npos)
        << "truth for one contest holds only that contest";
}

TEST(venue_book, partner_names_are_capitalised_for_the_catalog) {
    EXPECT_EQ(ef::sim::venue_book::partner_name("kalshi"), "Kalshi");
    EXPECT_EQ(ef::sim::venue_book::partner_name("prophetx"), "ProphetX");
}

} // namespace
