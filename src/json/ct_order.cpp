// Connect Trade normalized order and order list (see ct_order.hpp). One
// validating pass over the whole body, then the members read by name; the
// list is walked element by element, reading only cl_order_id until it
// matches. Driven by the order loop per Connect Trade answer; no allocation.
#include "json/ct_order.hpp"

#include <cstring>

namespace ef::json {

namespace {

using namespace order_detail;
namespace proto = orders::protocol;

void reset(ct_order& out) noexcept {
    out.order_id = out.cl_order_id = out.account_id = out.symbol = {};
    out.side_text = out.status_text = out.broker_message = {};
    out.side = 0;
    out.status = proto::ct_order_status::unknown;
    out.filled_qty_e9 = out.avg_fill_price_e9 = 0;
    out.order_qty_e9 = out.order_notional_e9 = out.limit_price_e9 = out.stop_price_e9 = 0;
    out.broker_message_truncated = out.time_truncated = false;
    out.fills_total = out.fills_count = 0;
    out.bad_field = "";
}

#define EF_TAKE(expr, names, field)                                                                \
    do {                                                                                           \
        if (const json_status st_ = from_field((expr), (names)[field], out.bad_field);             \
            st_ != json_status::ok)                                                                \
            return st_;                                                                            \
    } while (0)

// The fills array (already validated) at `depth`: every element checked,
// the first EF_ORDER_FILLS_MAX kept.
json_status read_fills(std::string_view arr, int depth, scratch& s, ct_order& out) noexcept {
    using namespace proto;
    const char* p = arr.data();
    const char* const end = p + arr.size();
    bool well_formed = true;
    for (bool more = first_element(p, end, well_formed); more;
         more = next_element(p, end, well_formed)) {
        members m;
        bool is_object = false;
        if (detail::scan_record(p, end, depth + 1, ct_fill_fields, m, is_object) !=
            syntax_error::none)
            return json_status::malformed;
        if (!is_object) {
            out.bad_field = "fills";
            return json_status::wrong_type;
        }
        ef_order_fill f{};
        EF_TAKE(detail::read_amount(m, ct_fill_qty, s, f.qty_e9), ct_fill_fields, ct_fill_qty);
        EF_TAKE(detail::read_amount(m, ct_fill_price, s, f.price_e9), ct_fill_fields,
                ct_fill_price);
        const detail::field_result t = detail::read_timestamp(m, ct_fill_time, s, f.time_unix_ns);
        EF_TAKE(t, ct_fill_fields, ct_fill_time);
        out.time_truncated |= t.truncated;
        if (out.fills_count < EF_ORDER_FILLS_MAX) out.fills[out.fills_count++] = f;
        ++out.fills_total;
    }
    return json_status::ok;
}

// The members of one order object at `depth`, as recorded by scan_record.
json_status read_order(const members& m, int depth, scratch& s, ct_order& out) noexcept {
    using namespace proto;
    const name_list names = ct_order_fields;
    bool given = false;
    // Identifiers first, so that free text cannot take their room.
    EF_TAKE(detail::read_string(m, ct_f_order_id, s, out.order_id), names, ct_f_order_id);
    EF_TAKE(detail::read_string(m, ct_f_cl_order_id, s, out.cl_order_id), names, ct_f_cl_order_id);
    EF_TAKE(detail::read_string(m, ct_f_status, s, out.status_text), names, ct_f_status);
    EF_TAKE(detail::read_string(m, ct_f_account_id, s, out.account_id, &given), names,
            ct_f_account_id);
    EF_TAKE(detail::read_string(m, ct_f_symbol, s, out.symbol, &given), names, ct_f_symbol);
    EF_TAKE(detail::read_string(m, ct_f_side, s, out.side_text, &given), names, ct_f_side);
    EF_TAKE(detail::read_amount(m, ct_f_filled_qty, s, out.filled_qty_e9), names, ct_f_filled_qty);
    EF_TAKE(detail::read_amount(m, ct_f_avg_fill_price, s, out.avg_fill_price_e9, &given), names,
            ct_f_avg_fill_price);
    EF_TAKE(detail::read_amount(m, ct_f_order_qty, s, out.order_qty_e9, &given), names,
            ct_f_order_qty);
    EF_TAKE(detail::read_amount(m, ct_f_order_notional, s, out.order_notional_e9, &given), names,
            ct_f_order_notional);
    EF_TAKE(detail::read_amount(m, ct_f_order_limit_price, s, out.limit_price_e9, &given), names,
            ct_f_order_limit_price);
    EF_TAKE(detail::read_amount(m, ct_f_stop_price, s, out.stop_price_e9, &given), names,
            ct_f_stop_price);
    out.status = static_cast<ct_order_status>(word_index(ct_order_status_words, out.status_text));
    out.side = word_index(ct_side_words, out.side_text);
    if (m.given(ct_f_fills)) {
        if (m.v[ct_f_fills].kind != value_kind::array) {
            out.bad_field = "fills";
            return json_status::wrong_type;
        }
        if (const json_status st = read_fills(m.v[ct_f_fills].text, depth + 1, s, out);
            st != json_status::ok)
            return st;
    }
    return read_free_text(m, ct_f_broker_message, names, s, out.broker_message,
                          out.broker_message_truncated, out.bad_field);
}

#undef EF_TAKE

// An element's cl_order_id, compared with `want` (decoded first if escaped).
bool cl_order_id_is(const value& v, std::string_view want) noexcept {
    if (v.kind != value_kind::string) return false;
    if (!v.escaped) return v.text == want;
    char buf[EF_CL_ORDER_ID_MAX * 6]; // \uXXXX is 6 bytes for 1
    if (v.text.size() > sizeof buf) return false;
    const size_t n = unescape(v.text, buf);
    return n != unescape_failed && std::string_view(buf, n) == want;
}

} // namespace

json_status parse_ct_order(std::string_view body, ct_order& out) noexcept {
    reset(out);
    members m;
    if (const json_status st = open_body(body, proto::ct_order_fields, m); st != json_status::ok)
        return st;
    scratch s({out.text_, sizeof out.text_});
    return read_order(m, 1, s, out);
}

json_status find_ct_order(std::string_view list_body, std::string_view cl_order_id,
                          ct_order& out, bool& found, std::string_view& next_cursor) noexcept {
    using namespace proto;
    reset(out);
    found = false;
    next_cursor = {};
    members top;
    if (const json_status st = open_body(list_body, ct_list_fields, top); st != json_status::ok)
        return st;
    if (!top.has(ct_list_orders)) {
        out.bad_field = "orders";
        return json_status::missing_field;
    }
    if (top.v[ct_list_orders].kind != value_kind::array) {
        out.bad_field = "orders";
        return json_status::wrong_type;
    }
    // Elements at depth 3: the body's object is 1, the orders array 2.
    const std::string_view arr = top.v[ct_list_orders].text;
    const char* p = arr.data();
    const char* const end = p + arr.size();
    bool well_formed = true;
    scratch s({out.text_, sizeof out.text_}); // the order's text, then the cursor's
    constexpr std::string_view id_name[] = {"cl_order_id"};
    static_assert(proto::ct_order_fields[ct_f_cl_order_id] == "cl_order_id");
    for (bool more = first_element(p, end, well_formed); more && !found;
         more = next_element(p, end, well_formed)) {
        const char* const element = p;
        members m;
        bool is_object = false;
        if (detail::scan_record(p, end, 3, id_name, m, is_object) != syntax_error::none)
            return json_status::malformed;
        if (!is_object) {
            out.bad_field = "orders";
            return json_status::wrong_type;
        }
        if (!m.has(0) || !cl_order_id_is(m.v[0], cl_order_id)) continue;
        const char* q = element;
        members all;
        if (detail::scan_record(q, end, 3, ct_order_fields, all, is_object) != syntax_error::none)
            return json_status::malformed;
        if (const json_status st = read_order(all, 3, s, out); st != json_status::ok) return st;
        found = true;
    }
    bool given = false;
    const detail::field_result r =
        detail::read_string(top, ct_list_next_cursor_field, s, next_cursor, &given);
    if (const json_status st = from_field(r, ct_list_fields[ct_list_next_cursor_field],
                                          out.bad_field);
        st != json_status::ok) {
        found = false;
        return st;
    }
    return json_status::ok;
}

} // namespace ef::json
