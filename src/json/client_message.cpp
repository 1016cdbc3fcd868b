// Parses what a stream client sends (subscribe / unsubscribe / ping). Driven
// by the venue simulator per client text message; cold compared with the
// server-side path, so it favours plain code over speed.
#include "json/client_message.hpp"

namespace ef::json {

namespace {

client_status invalid(client_message& out, const char* field) noexcept {
    out.field = field;
    return client_status::invalid;
}

bool all_strings(std::string_view arr) noexcept {
    const char* p = arr.data();
    const char* const end = p + arr.size();
    bool well_formed = true;
    for (bool more = first_element(p, end, well_formed); more;
         more = next_element(p, end, well_formed)) {
        value v;
        if (scan_value(p, end, 3, v) != syntax_error::none || v.kind != value_kind::string)
            return false;
    }
    return well_formed;
}

} // namespace

client_status parse_client_message(std::string_view in, client_message& out, scratch& s) noexcept {
    out.field = "";
    out.syntax = syntax_error::none;
    out.error_offset = 0;
    out.channel = {};
    out.contest_ids_json = {};
    s.reset();
    if (s.capacity() < in.size()) return client_status::scratch_full;

    const char* const begin = in.data();
    const char* const end = begin + in.size();
    const char* p = skip_ws(begin, end);
    size_t offset = 0;
    if (p == end || *p != '{') {
        const syntax_error e = validate_json(in, &offset);
        if (e == syntax_error::none) return invalid(out, "");
        out.syntax = e;
        out.error_offset = offset;
        return client_status::malformed;
    }
    value action, channel, ids;
    bool has_action = false, has_channel = false, has_ids = false;
    syntax_error e = scan_object(p, end, 1, [&](const value& key, const value& v) {
        char buf[key_buffer_bytes];
        const std::string_view k = key_text(key, buf);
        if (k == "action")
            action = v, has_action = true;
        else if (k == "channel")
            channel = v, has_channel = true;
        else if (k == "contest_ids")
            ids = v, has_ids = true;
    });
    if (e == syntax_error::none) {
        p = skip_ws(p, end);
        if (p != end) e = syntax_error::trailing_content;
    }
    if (e != syntax_error::none) {
        out.syntax = e;
        out.error_offset = static_cast<size_t>(p - begin);
        return client_status::malformed;
    }

    std::string_view action_text;
    if (!has_action || action.kind != value_kind::string) return invalid(out, "action");
    if (!string_text(action, s, action_text)) return client_status::scratch_full;
    if (action_text == "ping") {
        out.action = client_action::ping;
        return client_status::ok;
    }
    if (action_text == "subscribe")
        out.action = client_action::subscribe;
    else if (action_text == "unsubscribe")
        out.action = client_action::unsubscribe;
    else
        return invalid(out, "action");

    if (!has_channel || channel.kind != value_kind::string) return invalid(out, "channel");
    if (!string_text(channel, s, out.channel)) return client_status::scratch_full;
    if (!has_ids || ids.kind != value_kind::array || !all_strings(ids.text))
        return invalid(out, "contest_ids");
    out.contest_ids_json = ids.text;
    return client_status::ok;
}

const char* to_string(client_action a) noexcept {
    switch (a) {
    case client_action::subscribe:
        return "subscribe";
    case client_action::unsubscribe:
        return "unsubscribe";
    case client_action::ping:
        return "ping";
    }
    return "unknown";
}

const char* to_string(client_status s) noexcept {
    switch (s) {
    case client_status::ok:
        return "ok";
    case client_status::malformed:
        return "malformed";
    case client_status::invalid:
        return "invalid";
    case client_status::scratch_full:
        return "scratch_full";
    }
    return "unknown";
}

} // namespace ef::json
