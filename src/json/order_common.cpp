// Shared pieces of the order answer parsers (see order_common.hpp): the
// top-level validating pass, member reading with statuses, free-text cutting
// and the two venues' error bodies. Driven by the order loop per answer.
#include "json/order_common.hpp"

#include "orders/order_protocol.hpp"

namespace ef::json {

namespace order_detail {

json_status open_body(std::string_view body, name_list names, members& m) noexcept {
    const char* const end = body.data() + body.size();
    const char* p = skip_ws(body.data(), end);
    if (p == end || *p != '{')
        return validate_json(body) == syntax_error::none ? json_status::not_an_object
                                                          : json_status::malformed;
    bool is_object = false;
    if (detail::scan_record(p, end, 1, names, m, is_object) != syntax_error::none)
        return json_status::malformed;
    return skip_ws(p, end) == end ? json_status::ok : json_status::malformed;
}

json_status open_member(const members& outer, name_list outer_names, unsigned i, int depth,
                        name_list names, members& m, const char*& bad_field) noexcept {
    bad_field = outer_names[i].data();
    if (!outer.has(i)) return json_status::missing_field;
    const value& v = outer.v[i];
    if (v.kind != value_kind::object) return json_status::wrong_type;
    const char* p = v.text.data();
    bool is_object = false;
    if (detail::scan_record(p, p + v.text.size(), depth, names, m, is_object) !=
        syntax_error::none)
        return json_status::malformed; // not reached: the whole body was validated
    bad_field = "";
    return json_status::ok;
}

json_status from_field(const detail::field_result& r, std::string_view name,
                       const char*& bad_field) noexcept {
    if (r.status == item_status::ok) return json_status::ok;
    bad_field = name.data(); // the names are literals: NUL-terminated
    switch (r.status) {
    case item_status::missing_field:
        return json_status::missing_field;
    case item_status::wrong_type:
        return json_status::wrong_type;
    case item_status::bad_number:
    case item_status::inexact:
    case item_status::out_of_range:
        return json_status::bad_number;
    case item_status::scratch_full:
        return json_status::text_too_long;
    default:
        return json_status::bad_value;
    }
}

size_t cut_escaped(std::string_view raw, size_t room) noexcept {
    size_t i = 0;
    while (i < raw.size()) {
        const auto c = static_cast<unsigned char>(raw[i]);
        size_t step = 1;
        if (c == '\\') {
            step = i + 1 < raw.size() && raw[i + 1] == 'u' ? 6 : 2;
            // A high surrogate (\uD800..\uDBFF) and its low half are one character.
            if (step == 6 && i + 3 < raw.size() && (raw[i + 2] == 'd' || raw[i + 2] == 'D') &&
                std::string_view("89abAB").find(raw[i + 3]) != std::string_view::npos)
                step = 12;
        } else if (c >= 0xF0) {
            step = 4;
        } else if (c >= 0xE0) {
            step = 3;
        } else if (c >= 0xC0) {
            step = 2;
        }
        if (step > raw.size() - i) step = raw.size() - i;
        if (i + step > room) break;
        i += step;
    }
    return i;
}

json_status read_free_text(const members& m, unsigned i, name_list names, scratch& s,
                           std::string_view& out, bool& truncated,
                           const char*& bad_field) noexcept {
    out = {};
    if (!m.given(i)) return json_status::ok;
    const value& v = m.v[i];
    if (v.kind != value_kind::string) {
        bad_field = names[i].data();
        return json_status::wrong_type;
    }
    if (!v.escaped) {
        out = v.text;
        return json_status::ok;
    }
    std::string_view raw = v.text;
    if (raw.size() > s.free_bytes()) {
        raw = raw.substr(0, cut_escaped(raw, s.free_bytes()));
        truncated = true;
    }
    const size_t n = unescape(raw, s.free_begin());
    if (n == unescape_failed) { // not reached: scanned text has good escapes
        bad_field = names[i].data();
        return json_status::bad_value;
    }
    out = {s.free_begin(), n};
    s.commit(n);
    return json_status::ok;
}

} // namespace order_detail

namespace {

using namespace order_detail;
namespace proto = orders::protocol;

void reset(venue_error& out) noexcept {
    out.code = {};
    out.message = {};
    out.message_truncated = false;
    out.bad_field = "";
}

} // namespace

json_status parse_om_error(std::string_view body, venue_error& out) noexcept {
    reset(out);
    constexpr std::string_view top_names[] = {proto::om_error_key};
    members top;
    if (const json_status st = open_body(body, top_names, top); st != json_status::ok) return st;
    members m;
    if (const json_status st =
            open_member(top, top_names, 0, 2, proto::om_error_fields, m, out.bad_field);
        st != json_status::ok)
        return st;
    scratch s({out.text_, sizeof out.text_});
    if (const json_status e =
            from_field(detail::read_string(m, 0, s, out.code), proto::om_error_fields[0],
                       out.bad_field);
        e != json_status::ok)
        return e;
    return read_free_text(m, 1, proto::om_error_fields, s, out.message, out.message_truncated,
                          out.bad_field);
}

json_status parse_ct_error(std::string_view body, venue_error& out) noexcept {
    reset(out);
    members top;
    if (const json_status st = open_body(body, proto::ct_error_fields, top); st != json_status::ok)
        return st;
    if (!top.has(0)) {
        out.bad_field = "message";
        return json_status::missing_field;
    }
    if (top.v[0].kind != value_kind::string) {
        out.bad_field = "message";
        return json_status::wrong_type;
    }
    scratch s({out.text_, sizeof out.text_});
    return read_free_text(top, 0, proto::ct_error_fields, s, out.message, out.message_truncated,
                          out.bad_field);
}

const char* to_string(json_status s) noexcept {
    switch (s) {
    case json_status::ok:
        return "ok";
    case json_status::malformed:
        return "malformed";
    case json_status::not_an_object:
        return "not_an_object";
    case json_status::missing_field:
        return "missing_field";
    case json_status::wrong_type:
        return "wrong_type";
    case json_status::bad_number:
        return "bad_number";
    case json_status::bad_value:
        return "bad_value";
    case json_status::text_too_long:
        return "text_too_long";
    }
    return "unknown";
}

} // namespace ef::json
