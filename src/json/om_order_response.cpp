// OpenMarkets buy answer (see om_order_response.hpp): one validating pass
// over the whole body that records the first leg's members on the way, then
// those members read by name. Driven by the order loop per OpenMarkets
// answer; no allocation.
#include "json/om_order_response.hpp"

namespace ef::json {

namespace {

using namespace order_detail;
namespace proto = orders::protocol;

void reset(om_buy_leg& out) noexcept {
    out.position_hash = out.partner_id = out.status_text = {};
    out.sor_decision_id = out.reason = {};
    out.status = proto::om_leg_status::unknown;
    out.filled_shares_e9 = out.filled_notional_e9 = out.avg_price_e9 = 0;
    out.reason_truncated = false;
    out.legs = 0;
    out.bad_field = "";
}

#define EF_TAKE(expr, field)                                                                       \
    do {                                                                                           \
        if (const json_status st_ = from_field((expr), names[field], out.bad_field);               \
            st_ != json_status::ok)                                                                \
            return st_;                                                                            \
    } while (0)

json_status read_leg(const members& m, om_buy_leg& out) noexcept {
    using namespace proto;
    const name_list names = om_leg_fields;
    scratch s({out.text_, sizeof out.text_});
    bool given = false;
    // Identifiers first, so that free text cannot take their room.
    EF_TAKE(detail::read_string(m, om_leg_position_hash, s, out.position_hash),
            om_leg_position_hash);
    EF_TAKE(detail::read_string(m, om_leg_status_field, s, out.status_text), om_leg_status_field);
    EF_TAKE(detail::read_string(m, om_leg_partner_id, s, out.partner_id, &given),
            om_leg_partner_id);
    EF_TAKE(detail::read_string(m, om_leg_sor_decision_id, s, out.sor_decision_id, &given),
            om_leg_sor_decision_id);
    EF_TAKE(detail::read_amount(m, om_leg_filled_shares, s, out.filled_shares_e9),
            om_leg_filled_shares);
    EF_TAKE(detail::read_amount(m, om_leg_filled_notional, s, out.filled_notional_e9),
            om_leg_filled_notional);
    EF_TAKE(detail::read_amount(m, om_leg_avg_price, s, out.avg_price_e9, &given),
            om_leg_avg_price);
    out.status = static_cast<om_leg_status>(word_index(om_leg_status_words, out.status_text));
    return read_free_text(m, om_leg_reason, names, s, out.reason, out.reason_truncated,
                          out.bad_field);
}

#undef EF_TAKE

// What the single pass over the body records: where data and orders were,
// and the first leg's members. The last duplicate of data or orders wins.
struct pass_state {
    bool has_data = false, data_is_object = false;
    bool has_orders = false, orders_is_array = false;
    members leg;
    bool leg_is_object = false;
    uint32_t legs = 0;
};

bool key_is_name(const value& key, std::string_view name) noexcept {
    char buf[key_buffer_bytes];
    return key_text(key, buf) == name;
}

// p at the '[' of data.orders, at `depth`: records the first leg's members,
// validates and counts the rest.
syntax_error scan_orders(const char*& p, const char* end, int depth, pass_state& s) noexcept {
    if (depth > max_depth) return syntax_error::too_deep;
    p = skip_ws(p + 1, end);
    if (p == end) return syntax_error::unexpected_end;
    if (*p == ']') {
        ++p;
        return syntax_error::none;
    }
    for (bool more = true; more;) {
        if (s.legs++ == 0) {
            const syntax_error e =
                detail::scan_record(p, end, depth + 1, proto::om_leg_fields, s.leg, s.leg_is_object);
            if (e != syntax_error::none) return e;
        } else {
            value v;
            if (const syntax_error e = scan_value(p, end, depth + 1, v); e != syntax_error::none)
                return e;
        }
        if (const syntax_error e = take_separator(p, end, ']', more); e != syntax_error::none)
            return e;
    }
    return syntax_error::none;
}

syntax_error skip(const char*& p, const char* end, int depth) noexcept {
    value v;
    return scan_value(p, end, depth, v);
}

// One pass over the whole body: validates every byte and records the leg on
// the way, so the leg's bytes are scanned once (the nested re-reads of
// rest_common would scan them three times).
syntax_error scan_answer(const char*& p, const char* end, pass_state& s) noexcept {
    return scan_members(p, end, 1, [&](const value& key, const char*& q, const char* e, int d) {
        if (!key_is_name(key, proto::om_answer_data)) return skip(q, e, d);
        s = pass_state{};
        s.has_data = true;
        s.data_is_object = *q == '{';
        if (!s.data_is_object) return skip(q, e, d);
        return scan_members(q, e, d, [&](const value& k2, const char*& q2, const char* e2, int d2) {
            if (!key_is_name(k2, proto::om_answer_orders)) return skip(q2, e2, d2);
            s.leg.present = 0;
            s.leg_is_object = false;
            s.legs = 0;
            s.has_orders = true;
            s.orders_is_array = *q2 == '[';
            if (!s.orders_is_array) return skip(q2, e2, d2);
            return scan_orders(q2, e2, d2, s);
        });
    });
}

} // namespace

json_status parse_om_buy_response(std::string_view body, om_buy_leg& out) noexcept {
    reset(out);
    const char* const end = body.data() + body.size();
    const char* p = skip_ws(body.data(), end);
    if (p == end || *p != '{')
        return validate_json(body) == syntax_error::none ? json_status::not_an_object
                                                          : json_status::malformed;
    pass_state s;
    syntax_error e = scan_answer(p, end, s);
    if (e == syntax_error::none && skip_ws(p, end) != end) e = syntax_error::trailing_content;
    if (e != syntax_error::none) return json_status::malformed;
    out.bad_field = proto::om_answer_data.data();
    if (!s.has_data) return json_status::missing_field;
    if (!s.data_is_object) return json_status::wrong_type;
    out.bad_field = proto::om_answer_orders.data();
    if (!s.has_orders) return json_status::missing_field;
    if (!s.orders_is_array) return json_status::wrong_type;
    if (s.legs == 0) return json_status::missing_field; // an empty array has no leg
    if (!s.leg_is_object) return json_status::wrong_type;
    out.legs = s.legs;
    out.bad_field = "";
    return read_leg(s.leg, out);
}

} // namespace ef::json
