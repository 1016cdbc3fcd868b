// Parses the live contest state: the state object (shared by the REST state
// endpoint, the batch and the stream's contest_state.update), and the two
// REST bodies that carry it. Driven by the daemon when it writes contest
// state records; no allocation.
#include "json/contest_state.hpp"

namespace ef::json {

namespace {

using detail::field_result;
using detail::members;

constexpr std::string_view state_names[] = {"game_status",    "clock",
                                            "period",         "contest_result",
                                            "winner_participant_id", "scores"};
enum : unsigned { st_game_status, st_clock, st_period, st_result, st_winner, st_scores };

constexpr std::string_view clock_names[] = {"display", "remaining_seconds", "is_running"};
enum : unsigned { ck_display, ck_remaining, ck_running };

constexpr std::string_view period_names[] = {"number", "label", "type"};
enum : unsigned { pd_number, pd_label, pd_type };

constexpr std::string_view score_names[] = {"home", "away"};
enum : unsigned { sc_home, sc_away };

constexpr std::string_view entry_names[] = {"contest_id", "state", "refreshed_at"};
enum : unsigned { en_contest_id, en_state, en_refreshed_at };

// A state member's path, spelled from the top of each thing parsed: the
// bare state object, a batch entry, the state body.
enum state_field : uint8_t {
    f_none,
    f_game_status,
    f_clock,
    f_clock_display,
    f_clock_remaining,
    f_clock_running,
    f_period,
    f_period_number,
    f_period_label,
    f_period_type,
    f_result,
    f_winner,
    f_scores_home,
    f_scores_away,
    state_field_count,
};

#define EF_STATE_PATHS(P)                                                                          \
    {                                                                                              \
        "", P "game_status", P "clock", P "clock.display", P "clock.remaining_seconds",            \
            P "clock.is_running", P "period", P "period.number", P "period.label",                 \
            P "period.type", P "contest_result", P "winner_participant_id", P "scores.home",       \
            P "scores.away",                                                                       \
    }
constexpr const char* bare_paths[state_field_count] = EF_STATE_PATHS("");
constexpr const char* entry_paths[state_field_count] = EF_STATE_PATHS("state.");
constexpr const char* body_paths[state_field_count] = EF_STATE_PATHS("data.state.");
#undef EF_STATE_PATHS

// Re-reads an object the whole-text pass has validated.
bool reread(const value& v, int depth, detail::name_list names, members& m) noexcept {
    const char* p = v.text.data();
    bool is_object = false;
    return detail::scan_record(p, p + v.text.size(), depth, names, m, is_object) ==
               syntax_error::none &&
           is_object;
}

// An int32 member. Whole, except the clock's seconds, whose fraction (down to
// 1e-9) is cut toward zero: the venue's display shows whole seconds too.
field_result read_int32(const members& m, unsigned i, bool cut_fraction, int32_t& out) noexcept {
    field_result r;
    if (!m.given(i)) return r;
    if (m.v[i].kind != value_kind::number) {
        r.status = item_status::wrong_type;
        return r;
    }
    int64_t value_e9 = 0;
    r.number = parse_decimal_e9(m.v[i].text, value_e9);
    switch (r.number) {
    case decimal_status::ok:
        break;
    case decimal_status::not_a_number:
        r.status = item_status::bad_number;
        return r;
    case decimal_status::inexact:
        r.status = item_status::inexact;
        return r;
    case decimal_status::out_of_range:
        r.status = item_status::out_of_range;
        return r;
    }
    const int64_t whole = value_e9 / 1'000'000'000; // toward zero
    if (!cut_fraction && whole * 1'000'000'000 != value_e9) {
        r.status = item_status::bad_value;
        return r;
    }
    if (whole < INT32_MIN || whole > INT32_MAX) {
        r.number = decimal_status::out_of_range;
        r.status = item_status::out_of_range;
        return r;
    }
    out = static_cast<int32_t>(whole);
    return r;
}

// A member that must be an object when given: ok with *sub read, or ok and
// false for absent/null, or wrong_type.
field_result read_object(const members& m, unsigned i, int depth, detail::name_list names,
                         members& sub, bool& given) noexcept {
    field_result r;
    given = false;
    if (!m.given(i)) return r;
    if (m.v[i].kind != value_kind::object || !reread(m.v[i], depth, names, sub)) {
        r.status = item_status::wrong_type;
        return r;
    }
    given = true;
    return r;
}

// The first member that fails ends the state, with its field named.
#define EF_STATE(expr, f)                                                                          \
    do {                                                                                           \
        if (const field_result r_ = (expr); r_.status != item_status::ok) {                        \
            field = f;                                                                             \
            return r_;                                                                             \
        }                                                                                          \
    } while (0)

field_result read_clock(const members& top, int depth, scratch& s, contest_state& out,
                        uint8_t& field) noexcept {
    members m;
    bool given = false;
    EF_STATE(read_object(top, st_clock, depth + 1, clock_names, m, given), f_clock);
    if (!given) return {};
    out.flags |= EF_STATE_HAS_CLOCK;
    bool running = false, have = false;
    EF_STATE(detail::read_string(m, ck_display, s, out.clock_display, &have), f_clock_display);
    EF_STATE(read_int32(m, ck_remaining, true, out.clock_remaining_s), f_clock_remaining);
    EF_STATE(detail::read_bool(m, ck_running, running, &have), f_clock_running);
    if (running) out.flags |= EF_STATE_CLOCK_RUNNING;
    return {};
}

field_result read_period(const members& top, int depth, scratch& s, contest_state& out,
                         uint8_t& field) noexcept {
    members m;
    bool given = false;
    EF_STATE(read_object(top, st_period, depth + 1, period_names, m, given), f_period);
    if (!given) return {};
    out.flags |= EF_STATE_HAS_PERIOD;
    bool have = false;
    EF_STATE(read_int32(m, pd_number, false, out.period_number), f_period_number);
    EF_STATE(detail::read_string(m, pd_label, s, out.period_label, &have), f_period_label);
    EF_STATE(detail::read_string(m, pd_type, s, out.period_type, &have), f_period_type);
    return {};
}

// Scores only in the {home, away} shape of numbers; a leaderboard or any
// other shape is a sport we do not map, not an error. Numbers of that shape
// must be whole and in range.
field_result read_scores(const members& top, int depth, contest_state& out,
                         uint8_t& field) noexcept {
    if (!top.given(st_scores) || top.v[st_scores].kind != value_kind::object) return {};
    members m;
    if (!reread(top.v[st_scores], depth + 1, score_names, m)) return {};
    if (!m.has(sc_home) || !m.has(sc_away) || m.v[sc_home].kind != value_kind::number ||
        m.v[sc_away].kind != value_kind::number)
        return {};
    EF_STATE(detail::read_integer(m, sc_home, out.score_home), f_scores_home);
    EF_STATE(detail::read_integer(m, sc_away, out.score_away), f_scores_away);
    out.flags |= EF_STATE_HAS_SCORES;
    return {};
}

// The state object whose members are in `top` (at `depth`).
field_result read_state(const members& top, int depth, scratch& s, contest_state& out,
                        uint8_t& field) noexcept {
    out = contest_state{};
    field = f_none;
    bool have = false;
    EF_STATE(detail::read_string(top, st_game_status, s, out.game_status_text, &have),
             f_game_status);
    out.game_status = have ? game_status_of(out.game_status_text) : uint32_t{EF_GAME_UNKNOWN};
    if (const field_result r = read_clock(top, depth, s, out, field); r.status != item_status::ok)
        return r;
    if (const field_result r = read_period(top, depth, s, out, field); r.status != item_status::ok)
        return r;
    EF_STATE(detail::read_string(top, st_result, s, out.contest_result, &have), f_result);
    EF_STATE(detail::read_string(top, st_winner, s, out.winner_participant_id, &have), f_winner);
    if (have) out.flags |= EF_STATE_HAS_WINNER;
    if (const field_result r = read_scores(top, depth, out, field); r.status != item_status::ok)
        return r;
    out.flags |= EF_STATE_PRESENT;
    return {};
}

#undef EF_STATE

// A state member of an entry or a body: must be an object.
field_result read_state_member(const members& m, unsigned i, int depth, scratch& s,
                               contest_state& out, uint8_t& field) noexcept {
    field = f_none;
    members top;
    field_result r;
    if (!m.has(i)) {
        r.status = item_status::missing_field;
        return r;
    }
    if (m.v[i].kind != value_kind::object || !reread(m.v[i], depth, state_names, top)) {
        r.status = item_status::wrong_type;
        return r;
    }
    return read_state(top, depth, s, out, field);
}

} // namespace

uint32_t game_status_of(std::string_view t) noexcept {
    if (t == "in_progress" || t == "live") return EF_GAME_IN_PROGRESS;
    if (t == "scheduled") return EF_GAME_SCHEDULED;
    if (t == "final" || t == "closed" || t == "complete") return EF_GAME_FINAL;
    if (t == "postponed") return EF_GAME_POSTPONED;
    if (t == "cancelled" || t == "canceled") return EF_GAME_CANCELLED;
    return EF_GAME_OTHER;
}

rest_status parse_state_object(std::string_view json, scratch& s, contest_state& out,
                               rest_diag& diag) noexcept {
    diag = rest_diag{};
    out = contest_state{};
    const char* const begin = json.data();
    const char* const end = begin + json.size();
    const char* p = skip_ws(begin, end);
    if (p == end || *p != '{') {
        size_t offset = 0;
        const syntax_error e = validate_json(json, &offset);
        if (e == syntax_error::none) return rest_status::not_an_object;
        diag.syntax = e;
        diag.error_offset = offset;
        return rest_status::malformed;
    }
    members top;
    bool is_object = false;
    syntax_error e = detail::scan_record(p, end, 1, state_names, top, is_object);
    if (e == syntax_error::none) {
        p = skip_ws(p, end);
        if (p != end) e = syntax_error::trailing_content;
    }
    if (e != syntax_error::none) {
        diag.syntax = e;
        diag.error_offset = static_cast<size_t>(p - begin);
        return rest_status::malformed;
    }
    uint8_t field = f_none;
    const field_result r = read_state(top, 1, s, out, field);
    if (r.status != item_status::ok) return detail::fail_field(r, bare_paths[field], diag);
    return rest_status::ok;
}

rest_status parse_contest_state(std::string_view body, scratch& s, state_entry& out,
                                rest_diag& diag) noexcept {
    out = state_entry{};
    rest_meta meta;
    value data;
    if (const rest_status st = detail::parse_envelope(body, s, meta, nullptr, data, diag);
        st != rest_status::ok)
        return st;
    members m;
    if (data.kind != value_kind::object || !reread(data, detail::data_depth, entry_names, m)) {
        diag.field = "data";
        return rest_status::wrong_type;
    }
    if (const field_result r = detail::read_string(m, en_contest_id, s, out.contest_id);
        r.status != item_status::ok)
        return detail::fail_field(r, "data.contest_id", diag);
    uint8_t field = f_none;
    if (const field_result r =
            read_state_member(m, en_state, detail::data_depth + 1, s, out.state, field);
        r.status != item_status::ok)
        return detail::fail_field(r, field == f_none ? "data.state" : body_paths[field], diag);
    const field_result r = detail::read_timestamp(m, en_refreshed_at, s, out.refreshed_at_ns);
    if (r.status != item_status::ok) return detail::fail_field(r, "data.refreshed_at", diag);
    if (r.truncated) diag.timestamp_truncated = true;
    return rest_status::ok;
}

item_status state_batch_iterator::next(state_entry& out) noexcept {
    field_ = "";
    out = state_entry{};
    bool truncated = false;
    const item_status st = cur_.next([&](const value& key, const char*& p, const char* end,
                                         int depth, item_status& item) noexcept {
        return detail::parse_element(
            p, end, depth, entry_names, item, [&](const members& m) noexcept -> item_status {
                // The entry's own contest_id wins; the key names it otherwise.
                bool given = false;
                if (const field_result r =
                        detail::read_string(m, en_contest_id, *scratch_, out.contest_id, &given);
                    r.status != item_status::ok) {
                    field_ = "contest_id";
                    return r.status;
                }
                if (!given && !string_text(key, *scratch_, out.contest_id))
                    return item_status::scratch_full;
                uint8_t field = f_none;
                if (const field_result r =
                        read_state_member(m, en_state, depth + 1, *scratch_, out.state, field);
                    r.status != item_status::ok) {
                    field_ = field == f_none ? "state" : entry_paths[field];
                    return r.status;
                }
                const field_result r =
                    detail::read_timestamp(m, en_refreshed_at, *scratch_, out.refreshed_at_ns);
                if (r.status != item_status::ok) {
                    field_ = "refreshed_at";
                    return r.status;
                }
                truncated = r.truncated;
                return item_status::ok;
            });
    });
    if (st == item_status::ok && truncated) truncated_ = true;
    return st;
}

rest_status parse_state_batch(std::string_view body, scratch& s, state_batch& out,
                              rest_diag& diag) noexcept {
    out = state_batch{};
    value data;
    if (const rest_status st = detail::parse_envelope(body, s, out.meta, nullptr, data, diag);
        st != rest_status::ok)
        return st;
    if (data.kind != value_kind::object) {
        diag.field = "data";
        return rest_status::wrong_type;
    }
    out.data_json = data.text;
    return rest_status::ok;
}

} // namespace ef::json
