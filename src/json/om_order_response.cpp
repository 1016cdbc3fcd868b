// OpenMarkets buy answer (see om_order_response.hpp): one validating pass
// over the whole body, then the first leg's members read by name. Driven by
// the order loop per OpenMarkets answer; no allocation.
#include "json/om_order_response.hpp"

namespace ef::json {

namespace {

using namespace order_detail;
namespace proto = orders::protocol;

constexpr std::string_view top_names[] = {proto::om_answer_data};
constexpr std::string_view data_names[] = {proto::om_answer_orders};

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

} // namespace

json_status parse_om_buy_response(std::string_view body, om_buy_leg& out) noexcept {
    reset(out);
    members top;
    if (const json_status st = open_body(body, top_names, top); st != json_status::ok) return st;
    members data;
    if (const json_status st = open_member(top, top_names, 0, 2, data_names, data, out.bad_field);
        st != json_status::ok)
        return st;
    out.bad_field = "orders";
    if (!data.has(0)) return json_status::missing_field;
    if (data.v[0].kind != value_kind::array) return json_status::wrong_type;
    // The array is validated: walk it for the first leg and the count.
    const std::string_view arr = data.v[0].text;
    const char* p = arr.data();
    const char* const end = p + arr.size();
    bool well_formed = true;
    json_status first = json_status::missing_field; // an empty array has no leg
    for (bool more = first_element(p, end, well_formed); more;
         more = next_element(p, end, well_formed)) {
        if (out.legs++ != 0) {
            value v;
            if (scan_value(p, end, 4, v) != syntax_error::none) return json_status::malformed;
            continue;
        }
        members leg;
        bool is_object = false;
        if (detail::scan_record(p, end, 4, proto::om_leg_fields, leg, is_object) !=
            syntax_error::none)
            return json_status::malformed;
        first = is_object ? read_leg(leg, out) : json_status::wrong_type;
        if (first != json_status::ok) return first;
    }
    if (first == json_status::ok) out.bad_field = "";
    return first;
}

} // namespace ef::json
