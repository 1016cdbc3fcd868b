// Turns a parse of a stream or client message into one line of text holding
// everything extracted (iterators walked to the end), so tests can compare a
// variant's result with the canonical message's in one EXPECT_EQ. The input
// is always parsed from a guarded buffer.
#pragma once

#include "tests/unit/json/test_util.hpp"
#include "json/client_message.hpp"
#include "json/stream_message.hpp"

#include <string>

namespace ef::json::test {

// JSON text with the whitespace outside strings removed, for comparing
// validated-but-uninterpreted spans (contest_state's `state`) across styles.
inline std::string compact_json(std::string_view s) {
    std::string out;
    bool in_string = false;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < s.size())
                out += s[++i];
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
            out += c;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            out += c;
        }
    }
    return out;
}

inline std::string describe_ids(string_iterator it) {
    std::string d = "[";
    std::string_view v;
    item_status st;
    while ((st = it.next(v)) != item_status::end) {
        if (d.size() > 1) d += ",";
        d += st == item_status::ok ? std::string(v) : std::string("!") + to_string(st);
    }
    return d + "]";
}

inline std::string describe_entries(entry_iterator it) {
    std::string d = "[";
    liquidity_entry e;
    item_status st;
    int guard = 0;
    while ((st = it.next(e)) != item_status::end && ++guard < 100000) {
        if (d.size() > 1) d += "; ";
        if (st == item_status::ok) {
            d += std::string(e.liquidity_hash) + " " + std::string(e.partner_id) + " " +
                 std::to_string(e.price_e9) + " " + std::to_string(e.available_e9);
        } else {
            d += std::string("!") + to_string(st) + ":" + it.error_field();
            if (!e.liquidity_hash.empty()) d += " hash=" + std::string(e.liquidity_hash);
        }
    }
    return d + "]";
}

inline std::string describe(const stream_message& m, message_status st, scratch& s) {
    std::string d = to_string(st);
    if (st != message_status::ok) {
        if (*m.field) d += std::string(" field=") + m.field;
        if (st == message_status::malformed) d += std::string(" syntax=") + to_string(m.syntax);
        if (m.time_status != timestamp_status::ok)
            d += std::string(" time=") + to_string(m.time_status);
        return d;
    }
    d += std::string(" ") + to_string(m.type);
    switch (m.type) {
    case message_type::connected:
        d += " org=" + std::string(m.connected.organization_id) +
             " key=" + std::string(m.connected.api_key_id) +
             " time=" + std::to_string(m.connected.server_time_ns);
        break;
    case message_type::subscribed:
    case message_type::unsubscribed:
        d += " channel=" + std::string(m.subscription.channel) +
             " ids=" + describe_ids(m.subscription.contest_ids(s));
        break;
    case message_type::liquidity_update:
        d += " contest=" + std::string(m.liquidity.contest_id) +
             " time=" + std::to_string(m.liquidity.timestamp_ns) +
             " refresh=" + (m.liquidity.refresh_required ? "1" : "0") +
             " entries=" + describe_entries(m.liquidity.entries(s));
        break;
    case message_type::pong:
        d += " time=" + std::to_string(m.pong.server_time_ns);
        break;
    case message_type::error:
        d += " code=" + std::string(m.error.code) + " message=" + std::string(m.error.message);
        break;
    case message_type::contest_state_update:
        d += " contest=" + std::string(m.contest_state.contest_id) +
             " time=" + std::to_string(m.contest_state.timestamp_ns) +
             " state=" + compact_json(m.contest_state.state_json);
        break;
    case message_type::unknown:
        d += " type=" + std::string(m.type_text);
        break;
    }
    if (m.timestamp_truncated) d += " truncated";
    return d;
}

// Parses `in` from a guarded buffer with a scratch of exactly in.size() bytes.
inline std::string describe(std::string_view in) {
    ef::test::guarded_buffer g(in);
    owned_scratch sc(in.size());
    stream_message m;
    const message_status st = parse_stream_message(g.view(), m, sc.s);
    return describe(m, st, sc.s);
}

inline std::string describe_client(std::string_view in) {
    ef::test::guarded_buffer g(in);
    owned_scratch sc(in.size());
    client_message m;
    const client_status st = parse_client_message(g.view(), m, sc.s);
    std::string d = to_string(st);
    if (st == client_status::ok) {
        d += std::string(" ") + to_string(m.action);
        if (m.action != client_action::ping)
            d += " channel=" + std::string(m.channel) + " ids=" + describe_ids(m.contest_ids(sc.s));
    } else if (*m.field) {
        d += std::string(" field=") + m.field;
    }
    if (st == client_status::malformed) d += std::string(" syntax=") + to_string(m.syntax);
    return d;
}

} // namespace ef::json::test
