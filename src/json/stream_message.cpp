// Parses OpenMarkets stream messages (server -> client) in two steps: one
// validating pass over the top-level object that records the members we know,
// then per-type checks (liquidity_entries.cpp parses changed_entries). Driven
// by the feed's connection handler for every text message; no allocation.
#include "json/stream_message.hpp"

#include "json/liquidity_entries.hpp"

namespace ef::json {

namespace {

// Every top-level member any message type uses. The type may come last, so
// the pass records all of them and the type decides afterwards which count.
enum slot : uint8_t {
    s_type,
    s_contest_id,
    s_changed_entries,
    s_refresh_required,
    s_timestamp,
    s_organization_id,
    s_api_key_id,
    s_server_time,
    s_channel,
    s_contest_ids,
    s_code,
    s_message,
    s_state,
    slot_count,
    s_none,
};

constexpr const char* slot_name[slot_count] = {
    "type",
    "contest_id",
    "changed_entries",
    "refresh_required",
    "timestamp",
    "organization_id",
    "api_key_id",
    "server_time",
    "channel",
    "contest_ids",
    "code",
    "message",
    "state",
};

// Length first: one compare for almost every key, and unknown keys of a
// length we do not use cost nothing more.
inline slot find_slot(std::string_view k) noexcept {
    switch (k.size()) {
    case 4:
        return key_is(k, "type") ? s_type : key_is(k, "code") ? s_code : s_none;
    case 5:
        return key_is(k, "state") ? s_state : s_none;
    case 7:
        return key_is(k, "channel") ? s_channel : key_is(k, "message") ? s_message : s_none;
    case 9:
        return key_is(k, "timestamp") ? s_timestamp : s_none;
    case 10:
        return key_is(k, "contest_id")   ? s_contest_id
               : key_is(k, "api_key_id") ? s_api_key_id
                                         : s_none;
    case 11:
        return key_is(k, "server_time")   ? s_server_time
               : key_is(k, "contest_ids") ? s_contest_ids
                                          : s_none;
    case 15:
        return key_is(k, "changed_entries")   ? s_changed_entries
               : key_is(k, "organization_id") ? s_organization_id
                                              : s_none;
    case 16:
        return key_is(k, "refresh_required") ? s_refresh_required : s_none;
    default:
        return s_none;
    }
}

// v[s] is read only when bit s of `present` is set, so the array is left
// uninitialised (in a union): zeroing it cost more than the rest of a pong.
struct members {
    members() noexcept {}
    union {
        value v[slot_count];
    };
    uint32_t present = 0;
    bool has(slot s) const noexcept { return (present >> s) & 1u; }
};

// Carries the failure detail into `out` and returns the status.
message_status fail(stream_message& out, message_status st, slot s) noexcept {
    out.field = slot_name[s];
    return st;
}

message_status require(const members& m, slot s, value_kind kind, stream_message& out) noexcept {
    if (!m.has(s)) return fail(out, message_status::missing_field, s);
    if (m.v[s].kind != kind) return fail(out, message_status::wrong_type, s);
    return message_status::ok;
}

message_status take_string(const members& m, slot s, scratch& sc, stream_message& out,
                           std::string_view& dst) noexcept {
    if (const message_status st = require(m, s, value_kind::string, out); st != message_status::ok)
        return st;
    if (!string_text(m.v[s], sc, dst)) return fail(out, message_status::scratch_full, s);
    return message_status::ok;
}

message_status take_timestamp(const members& m, slot s, scratch& sc, stream_message& out,
                              int64_t& dst) noexcept {
    std::string_view text;
    if (const message_status st = take_string(m, s, sc, out, text); st != message_status::ok)
        return st;
    const timestamp_status ts = parse_timestamp_ns(text, dst);
    if (ts == timestamp_status::ok) [[likely]]
        return message_status::ok;
    if (ts == timestamp_status::excess_precision) {
        out.timestamp_truncated = true;
        return message_status::ok;
    }
    out.time_status = ts;
    return fail(out, message_status::bad_value, s);
}

message_status take_bool(const members& m, slot s, stream_message& out, bool& dst) noexcept {
    if (!m.has(s)) return fail(out, message_status::missing_field, s);
    const value_kind k = m.v[s].kind;
    if (k != value_kind::true_value && k != value_kind::false_value)
        return fail(out, message_status::wrong_type, s);
    dst = k == value_kind::true_value;
    return message_status::ok;
}

// contest_ids must be an array of strings: checked here once, so iterating
// it later cannot meet a wrong type.
message_status take_string_array(const members& m, slot s, stream_message& out,
                                 std::string_view& dst) noexcept {
    if (const message_status st = require(m, s, value_kind::array, out); st != message_status::ok)
        return st;
    const std::string_view arr = m.v[s].text;
    const char* p = arr.data();
    const char* const end = p + arr.size();
    bool well_formed = true;
    for (bool more = first_element(p, end, well_formed); more;
         more = next_element(p, end, well_formed)) {
        value v;
        if (scan_value(p, end, 3, v) != syntax_error::none || v.kind != value_kind::string)
            return fail(out, message_status::wrong_type, s);
    }
    dst = arr;
    return message_status::ok;
}

// Each required member either fills its field or ends the parse with the
// status that names it; a macro keeps the per-type lists one line a member.
#define EF_TAKE(expr)                                                                              \
    do {                                                                                           \
        if (const message_status st_ = (expr); st_ != message_status::ok) return st_;              \
    } while (0)

message_status finish_liquidity(const members& m, scratch& sc, stream_message& out) noexcept {
    liquidity_update& u = out.liquidity;
    EF_TAKE(take_string(m, s_contest_id, sc, out, u.contest_id));
    EF_TAKE(take_bool(m, s_refresh_required, out, u.refresh_required));
    EF_TAKE(take_timestamp(m, s_timestamp, sc, out, u.timestamp_ns));
    EF_TAKE(require(m, s_changed_entries, value_kind::array, out));
    u.changed_entries_json = m.v[s_changed_entries].text;
    return message_status::ok;
}

[[gnu::cold]] message_status finish_other(const members& m, scratch& sc,
                                          stream_message& out) noexcept {
    switch (out.type) {
    case message_type::connected:
        EF_TAKE(take_string(m, s_organization_id, sc, out, out.connected.organization_id));
        EF_TAKE(take_string(m, s_api_key_id, sc, out, out.connected.api_key_id));
        EF_TAKE(take_timestamp(m, s_server_time, sc, out, out.connected.server_time_ns));
        return message_status::ok;
    case message_type::subscribed:
    case message_type::unsubscribed:
        EF_TAKE(take_string(m, s_channel, sc, out, out.subscription.channel));
        EF_TAKE(take_string_array(m, s_contest_ids, out, out.subscription.contest_ids_json));
        return message_status::ok;
    case message_type::pong:
        EF_TAKE(take_timestamp(m, s_server_time, sc, out, out.pong.server_time_ns));
        return message_status::ok;
    case message_type::error:
        EF_TAKE(take_string(m, s_code, sc, out, out.error.code));
        out.error.message = {};
        if (m.has(s_message)) EF_TAKE(take_string(m, s_message, sc, out, out.error.message));
        return message_status::ok;
    case message_type::contest_state_update:
        EF_TAKE(take_string(m, s_contest_id, sc, out, out.contest_state.contest_id));
        EF_TAKE(take_timestamp(m, s_timestamp, sc, out, out.contest_state.timestamp_ns));
        EF_TAKE(require(m, s_state, value_kind::object, out));
        out.contest_state.state_json = m.v[s_state].text;
        return message_status::ok;
    case message_type::liquidity_update:
    case message_type::unknown:
        break;
    }
    return message_status::ok;
}

message_type classify(std::string_view t) noexcept {
    switch (t.size()) {
    case 4:
        return t == "pong" ? message_type::pong : message_type::unknown;
    case 5:
        return t == "error" ? message_type::error : message_type::unknown;
    case 9:
        return t == "connected" ? message_type::connected : message_type::unknown;
    case 10:
        return t == "subscribed" ? message_type::subscribed : message_type::unknown;
    case 12:
        return t == "unsubscribed" ? message_type::unsubscribed : message_type::unknown;
    case 16:
        return t == "liquidity.update" ? message_type::liquidity_update : message_type::unknown;
    case 20:
        return t == "contest_state.update" ? message_type::contest_state_update
                                           : message_type::unknown;
    default:
        return message_type::unknown;
    }
}

[[gnu::cold]] message_status fail_syntax(const char* begin, const char* p, syntax_error e,
                                         stream_message& out) noexcept {
    out.syntax = e;
    out.error_offset = static_cast<size_t>(p - begin);
    return message_status::malformed;
}

// The usual top-level keys, matched in place (see take_key); false sends
// the key down the general path (escaped, unknown, or not at hand).
inline bool top_key(const char*& p, const char* end, slot& sl) noexcept {
    if (p == end) return false;
    const auto hit = [&sl](slot s) { return sl = s, true; };
    switch (*p) {
    case 't':
        if (take_key(p, end, "type")) return hit(s_type);
        if (take_key(p, end, "timestamp")) return hit(s_timestamp);
        return false;
    case 'c':
        if (take_key(p, end, "contest_id")) return hit(s_contest_id);
        if (take_key(p, end, "changed_entries")) return hit(s_changed_entries);
        return false;
    case 'r':
        if (take_key(p, end, "refresh_required")) return hit(s_refresh_required);
        return false;
    default:
        return false;
    }
}

// The top-level object at p ('{'), recording the members we know; parses
// changed_entries on the way (scan_entries) and validates everything else.
syntax_error scan_top(const char*& p, const char* end, scratch& sc, members& m,
                      detail::entry_cache& cache) noexcept {
    p = skip_ws(p + 1, end);
    if (p == end) return syntax_error::unexpected_end;
    if (*p == '}') {
        ++p;
        return syntax_error::none;
    }
    for (bool more = true; more;) {
        if (*p != '"') return syntax_error::unexpected_char; // also ",}"
        ++p;
        slot sl;
        if (!top_key(p, end, sl)) {
            --p;
            value key;
            if (const syntax_error e = scan_string(p, end, key); e != syntax_error::none) return e;
            char buf[key_buffer_bytes];
            sl = find_slot(key_text(key, buf));
        }
        if (const syntax_error e = take_colon(p, end); e != syntax_error::none) return e;
        value v;
        syntax_error e;
        if (*p == '"') {
            e = scan_string(p, end, v);
        } else {
            const char* q = p; // a copy: both scanners are out of line
            if (sl == s_changed_entries && *q == '[')
                e = detail::scan_entries(q, end, 2, sc, cache, v);
            else
                e = scan_value(q, end, 2, v);
            p = q;
        }
        if (e != syntax_error::none) return e;
        if (sl != s_none) {
            m.v[sl] = v;
            m.present |= 1u << sl;
        }
        if (const syntax_error e2 = take_separator(p, end, '}', more); e2 != syntax_error::none)
            return e2;
    }
    return syntax_error::none;
}

} // namespace

message_status parse_stream_message(std::string_view in, stream_message& out, scratch& s) noexcept {
    out.type = message_type::unknown;
    out.type_text = {};
    out.timestamp_truncated = false;
    out.field = "";
    out.syntax = syntax_error::none;
    out.error_offset = 0;
    out.time_status = timestamp_status::ok;
    s.reset();
    if (s.capacity() < in.size()) return message_status::scratch_full;

    const char* const begin = in.data();
    const char* const end = begin + in.size();
    const char* p = skip_ws(begin, end);
    if (p == end || *p != '{') [[unlikely]] {
        size_t offset = 0;
        const syntax_error e = validate_json(in, &offset);
        if (e == syntax_error::none) return message_status::not_an_object;
        return fail_syntax(begin, begin + offset, e, out);
    }
    members m;
    syntax_error e = scan_top(p, end, s, m, out.liquidity.cache);
    if (e == syntax_error::none) {
        p = skip_ws(p, end);
        if (p != end) e = syntax_error::trailing_content;
    }
    if (e != syntax_error::none) [[unlikely]]
        return fail_syntax(begin, p, e, out);

    EF_TAKE(take_string(m, s_type, s, out, out.type_text));
    out.type = classify(out.type_text);
    if (out.type == message_type::liquidity_update) [[likely]]
        return finish_liquidity(m, s, out);
    return finish_other(m, s, out);
}

#undef EF_TAKE

const char* to_string(message_type t) noexcept {
    switch (t) {
    case message_type::connected:
        return "connected";
    case message_type::subscribed:
        return "subscribed";
    case message_type::unsubscribed:
        return "unsubscribed";
    case message_type::liquidity_update:
        return "liquidity.update";
    case message_type::pong:
        return "pong";
    case message_type::error:
        return "error";
    case message_type::contest_state_update:
        return "contest_state.update";
    case message_type::unknown:
        return "unknown";
    }
    return "unknown";
}

const char* to_string(message_status s) noexcept {
    switch (s) {
    case message_status::ok:
        return "ok";
    case message_status::malformed:
        return "malformed";
    case message_status::not_an_object:
        return "not_an_object";
    case message_status::missing_field:
        return "missing_field";
    case message_status::wrong_type:
        return "wrong_type";
    case message_status::bad_value:
        return "bad_value";
    case message_status::scratch_full:
        return "scratch_full";
    }
    return "unknown";
}

} // namespace ef::json
