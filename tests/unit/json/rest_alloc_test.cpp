// The REST parsers allocate nothing: parsing every body kind and walking all
// of its iterators, nested ones included, makes no call to operator new after
// warm-up. Counts through a replaced global operator new, so it is a binary
// of its own (json_rest_alloc_test).
#include "json/contest_state.hpp"
#include "json/rest_catalog.hpp"
#include "json/rest_depth.hpp"
#include "json/rest_liquidity.hpp"

#include "tests/support/counting_new.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

namespace ef::json {
namespace {

// Walks every iterator of every body; returns a sum so nothing is optimised out.
uint64_t parse_and_walk(const std::string (&bodies)[6], scratch& s) {
    uint64_t sum = 0;
    rest_diag diag;
    liquidity_snapshot snap;
    if (parse_liquidity_snapshot(bodies[0], s, snap, diag) == rest_status::ok) {
        position_iterator it = snap.positions(s);
        rest_position p;
        while (it.next(p) == item_status::ok) {
            partner_liquidity_iterator q = p.partners(s);
            rest_partner_liquidity pl;
            while (q.next(pl) == item_status::ok)
                sum += static_cast<uint64_t>(pl.price_e9);
        }
    }
    contests_page page;
    if (parse_contests_page(bodies[1], s, page, diag) == rest_status::ok) {
        contest_iterator it = page.contests(s);
        rest_contest c;
        while (it.next(c) == item_status::ok)
            sum += static_cast<uint64_t>(c.starts_at_ns);
    }
    partners_list list;
    if (parse_partners(bodies[2], s, list, diag) == rest_status::ok) {
        partner_iterator it = list.partners(s);
        rest_partner p;
        while (it.next(p) == item_status::ok)
            sum += p.partner_id.size();
    }
    depth_answer depth;
    if (parse_depth(bodies[3], s, depth, diag) == rest_status::ok) {
        depth_partner_iterator it = depth.partners(s);
        rest_depth_partner p;
        while (it.next(p) == item_status::ok) {
            depth_level_iterator l = p.levels(s);
            rest_depth_level level;
            while (l.next(level) == item_status::ok)
                sum += static_cast<uint64_t>(level.available_e9);
        }
    }
    state_entry entry;
    if (parse_contest_state(bodies[4], s, entry, diag) == rest_status::ok)
        sum += static_cast<uint64_t>(entry.state.score_home);
    state_batch batch;
    if (parse_state_batch(bodies[5], s, batch, diag) == rest_status::ok) {
        state_batch_iterator it = batch.entries(s);
        state_entry e;
        while (it.next(e) == item_status::ok)
            sum += e.state.flags;
    }
    rest_error err;
    sum += parse_rest_error(R"({"error":{"code":"not_found","message":"m"}})", s, err);
    return sum;
}

TEST(json_rest_allocations, parsing_and_walking_every_rest_body_allocates_nothing) {
    std::string positions = "[";
    for (int i = 0; i < 40; ++i)
        positions += std::string(i ? "," : "") + R"({"position_hash":"ct\u005f1:mk:s:v:p)" +
                     std::to_string(i) +
                     R"(","partner_liquidities":[{"partner_id":"kalshi","price":"0.49","available":5400},{"partner_id":"poly","price":4.9e-1,"available":1}]})";
    positions += "]";
    const std::string bodies[6] = {
        R"({"data":)" + positions + R"(,"meta":{"timestamp":"2026-04-17T22:00:00.123456789Z","api_version":"v1"}})",
        R"({"data":[{"id":"c\u005f1","starts_at":"2026-09-07T20:20:00Z"},{"id":"c2"}],"pagination":{"next_cursor":"x","has_more":true,"limit":50}})",
        R"({"data":[{"partner_id":"p_kalshi","name":"Kalshi","status":"active"}]})",
        R"({"data":{"position_hash":"h","fetched_at":"2026-04-17T22:00:00Z","partners":[{"partner_id":"k","fetched_at":"2026-04-17T22:00:00Z","best_price":0.49,"levels":[{"price":0.49,"available":2100},{"price":0.48,"available":3300}]}]}})",
        R"({"data":{"contest_id":"c","state":{"game_status":"in_progress","clock":{"display":"7:42","remaining_seconds":462,"is_running":true},"scores":{"home":71,"away":68}},"refreshed_at":"2026-05-26T02:14:30Z"}})",
        R"({"data":{"ct_a":{"state":{"game_status":"final","winner_participant_id":"p"},"refreshed_at":"2026-05-26T02:14:30Z"}}})",
    };
    std::vector<char> buf(1 << 16);
    scratch s(buf);
    uint64_t sum = parse_and_walk(bodies, s); // warm-up
    const uint64_t before = ef::test::operator_new_calls();
    for (int i = 0; i < 100; ++i)
        sum += parse_and_walk(bodies, s);
    EXPECT_EQ(ef::test::operator_new_calls() - before, 0u);
    EXPECT_GT(sum, 0u);
}

} // namespace
} // namespace ef::json
