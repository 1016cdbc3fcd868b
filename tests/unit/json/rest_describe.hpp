// Turns a parse of an OpenMarkets REST body into one line of text holding
// everything extracted (every iterator walked to its end), so the REST tests
// compare a variant's result with the canonical body's in one EXPECT_EQ. The
// input is always parsed from a guarded buffer with a scratch of exactly its
// size, the least the parsers promise to work with.
#pragma once

#include "tests/unit/json/describe.hpp"
#include "tests/unit/json/message_builder.hpp"
#include "json/contest_state.hpp"
#include "json/rest_catalog.hpp"
#include "json/rest_depth.hpp"
#include "json/rest_liquidity.hpp"

#include <string>

namespace ef::json::test {

inline std::string describe_failure(rest_status st, const rest_diag& d) {
    std::string out = to_string(st);
    if (*d.field) out += std::string(" field=") + d.field;
    if (st == rest_status::malformed) out += std::string(" syntax=") + to_string(d.syntax);
    if (d.time_status != timestamp_status::ok)
        out += std::string(" time=") + to_string(d.time_status);
    if (d.number_status != decimal_status::ok)
        out += std::string(" number=") + to_string(d.number_status);
    return out;
}

inline std::string describe_meta(const rest_meta& m) {
    std::string d = " meta=";
    d += m.has_timestamp ? std::to_string(m.timestamp_ns) : "-";
    if (!m.api_version.empty()) {
        d += '/'; // appended apart: gcc 12 warns (-Wrestrict) on "/" + string here
        d += m.api_version;
    }
    return d;
}

inline std::string describe_pagination(const rest_pagination& p) {
    if (!p.present) return " page=-";
    std::string d = std::string(" page=") + (p.has_more ? "more" : "last");
    if (p.has_next_cursor) d += " cursor=" + std::string(p.next_cursor);
    if (p.has_limit) d += " limit=" + std::to_string(p.limit);
    return d;
}

// "!status:field" for an item's error.
template <typename It>
std::string item_error(item_status st, const It& it) {
    return std::string("!") + to_string(st) + ":" + it.error_field();
}

// Walks `it` to its end; `one(out)` describes an ok item. A guard stops a
// walk that never ends, which is itself a failure the caller's EXPECT sees.
template <typename T, typename It, typename F>
std::string walk(It it, F&& one) {
    std::string d = "[";
    T out;
    item_status st;
    int guard = 0;
    while ((st = it.next(out)) != item_status::end) {
        if (++guard > 100000) return d + "!endless";
        if (d.size() > 1) d += "; ";
        d += st == item_status::ok ? one(out) : item_error(st, it);
    }
    return d + "]";
}

inline std::string e9(int64_t v) {
    return std::to_string(v);
}

inline std::string describe_liquidity(std::string_view body) {
    ef::test::guarded_buffer g(body);
    owned_scratch sc(body.size());
    liquidity_snapshot snap;
    rest_diag diag;
    const rest_status st = parse_liquidity_snapshot(g.view(), sc.s, snap, diag);
    if (st != rest_status::ok) return describe_failure(st, diag);
    std::string d = "ok" + describe_meta(snap.meta) + " positions=";
    d += walk<rest_position>(snap.positions(sc.s), [&](const rest_position& p) {
        std::string one = std::string(p.position_hash);
        if (!p.contest_id.empty()) one += " in " + std::string(p.contest_id);
        return one + " " + walk<rest_partner_liquidity>(p.partners(sc.s), [](const auto& q) {
                   return std::string(q.partner_id) + " " + e9(q.price_e9) + " " +
                          e9(q.available_e9);
               });
    });
    if (diag.timestamp_truncated) d += " truncated";
    return d;
}

inline std::string describe_contests(std::string_view body) {
    ef::test::guarded_buffer g(body);
    owned_scratch sc(body.size());
    contests_page page;
    rest_diag diag;
    const rest_status st = parse_contests_page(g.view(), sc.s, page, diag);
    if (st != rest_status::ok) return describe_failure(st, diag);
    contest_iterator it = page.contests(sc.s);
    std::string d = "ok" + describe_meta(page.meta) + describe_pagination(page.pagination) + " ";
    d += walk<rest_contest>(it, [](const rest_contest& c) {
        std::string one = std::string(c.id) + " " + std::string(c.league_id) + " " +
                          std::string(c.status);
        return one + " " + (c.has_starts_at ? std::to_string(c.starts_at_ns) : "-");
    });
    return d;
}

inline std::string describe_partners(std::string_view body) {
    ef::test::guarded_buffer g(body);
    owned_scratch sc(body.size());
    partners_list list;
    rest_diag diag;
    const rest_status st = parse_partners(g.view(), sc.s, list, diag);
    if (st != rest_status::ok) return describe_failure(st, diag);
    std::string d = "ok" + describe_meta(list.meta) + describe_pagination(list.pagination) + " ";
    d += walk<rest_partner>(list.partners(sc.s), [](const rest_partner& p) {
        return std::string(p.partner_id) + " " + std::string(p.name) + " " +
               std::string(p.status);
    });
    return d;
}

inline std::string describe_depth(std::string_view body) {
    ef::test::guarded_buffer g(body);
    owned_scratch sc(body.size());
    depth_answer a;
    rest_diag diag;
    const rest_status st = parse_depth(g.view(), sc.s, a, diag);
    if (st != rest_status::ok) return describe_failure(st, diag);
    std::string d = "ok" + describe_meta(a.meta) + " " + std::string(a.position_hash) + " at " +
                    std::to_string(a.fetched_at_ns) + " ";
    d += walk<rest_depth_partner>(a.partners(sc.s), [&](const rest_depth_partner& p) {
        std::string one = std::string(p.partner_id) + "/" + std::string(p.partner_name);
        one += " best=" + (p.has_best_price ? e9(p.best_price_e9) : "-");
        one += " total=" + (p.has_total_available ? e9(p.total_available_e9) : "-");
        one += " at " + std::to_string(p.fetched_at_ns) + " ";
        return one + walk<rest_depth_level>(p.levels(sc.s), [](const rest_depth_level& l) {
                   return e9(l.price_e9) + "x" + e9(l.available_e9);
               });
    });
    if (diag.timestamp_truncated) d += " truncated";
    return d;
}

inline std::string describe_state_fields(const contest_state& s) {
    std::string d = "flags=" + std::to_string(s.flags) + " game=" + std::to_string(s.game_status) +
                    "/" + std::string(s.game_status_text);
    if (s.flags & EF_STATE_HAS_CLOCK)
        d += " clock=" + std::string(s.clock_display) + "/" + std::to_string(s.clock_remaining_s) +
             ((s.flags & EF_STATE_CLOCK_RUNNING) ? "/running" : "/stopped");
    if (s.flags & EF_STATE_HAS_PERIOD)
        d += " period=" + std::to_string(s.period_number) + "/" + std::string(s.period_label) +
             "/" + std::string(s.period_type);
    if (!s.contest_result.empty()) d += " result=" + std::string(s.contest_result);
    if (s.flags & EF_STATE_HAS_WINNER) d += " winner=" + std::string(s.winner_participant_id);
    if (s.flags & EF_STATE_HAS_SCORES)
        d += " score=" + std::to_string(s.score_home) + "-" + std::to_string(s.score_away);
    return d;
}

inline std::string describe_state_object(std::string_view text) {
    ef::test::guarded_buffer g(text);
    owned_scratch sc(text.size());
    contest_state s;
    rest_diag diag;
    const rest_status st = parse_state_object(g.view(), sc.s, s, diag);
    if (st != rest_status::ok) return describe_failure(st, diag);
    return "ok " + describe_state_fields(s);
}

inline std::string describe_contest_state(std::string_view body) {
    ef::test::guarded_buffer g(body);
    owned_scratch sc(body.size());
    state_entry e;
    rest_diag diag;
    const rest_status st = parse_contest_state(g.view(), sc.s, e, diag);
    if (st != rest_status::ok) return describe_failure(st, diag);
    std::string d = "ok " + std::string(e.contest_id) + " at " +
                    std::to_string(e.refreshed_at_ns) + " " + describe_state_fields(e.state);
    if (diag.timestamp_truncated) d += " truncated";
    return d;
}

inline std::string describe_batch(std::string_view body) {
    ef::test::guarded_buffer g(body);
    owned_scratch sc(body.size());
    state_batch b;
    rest_diag diag;
    const rest_status st = parse_state_batch(g.view(), sc.s, b, diag);
    if (st != rest_status::ok) return describe_failure(st, diag);
    state_batch_iterator it = b.entries(sc.s);
    std::string d = "ok" + describe_meta(b.meta) + " [";
    state_entry e;
    item_status ist;
    int guard = 0;
    while ((ist = it.next(e)) != item_status::end && ++guard < 100000) {
        if (d.back() != '[') d += "; ";
        if (ist == item_status::ok)
            d += std::string(e.contest_id) + " at " + std::to_string(e.refreshed_at_ns) + " " +
                 describe_state_fields(e.state);
        else
            d += item_error(ist, it) + (e.contest_id.empty() ? "" : " id=" + std::string(e.contest_id));
    }
    d += "]";
    if (it.timestamp_truncated()) d += " truncated";
    return d;
}

inline std::string describe_error_body(std::string_view body) {
    ef::test::guarded_buffer g(body);
    owned_scratch sc(body.size());
    rest_error e;
    if (!parse_rest_error(g.view(), sc.s, e)) return "not an error body";
    return "error " + std::string(e.code) + ": " + std::string(e.message);
}

// The envelope around `data` (JSON text), with meta (and pagination when given).
inline std::string envelope(const std::string& data, style st = style::compact,
                            const std::string& timestamp = "2026-04-17T22:00:00Z",
                            const std::string& pagination = "") {
    std::vector<member> ms = {{"data", data}};
    if (!pagination.empty()) ms.push_back({"pagination", pagination});
    ms.push_back({"meta", render({{"timestamp", quoted(timestamp)}, {"api_version", quoted("v1")}},
                                 st)});
    return render(ms, st);
}

} // namespace ef::json::test
