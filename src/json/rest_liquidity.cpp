// Parses the liquidity snapshot body (GET /contests/:id/liquidity): the
// envelope in one validating pass, then positions and partner quotes one per
// next(). Driven by the daemon's contest resync; no allocation.
#include "json/rest_liquidity.hpp"

namespace ef::json {

namespace {

constexpr std::string_view position_names[] = {"position_hash", "contest_id",
                                               "partner_liquidities"};
enum : unsigned { pos_hash, pos_contest_id, pos_partners };

constexpr std::string_view quote_names[] = {"partner_id", "price", "available"};
enum : unsigned { q_partner_id, q_price, q_available };

} // namespace

// Each member read either succeeds or ends the element with the status that
// names it; fixed order, so one bad element always names the same member.
#define EF_ITEM(expr, name)                                                                        \
    do {                                                                                           \
        if (const detail::field_result r_ = (expr); r_.status != item_status::ok) {                \
            field_ = name;                                                                         \
            return r_.status;                                                                      \
        }                                                                                          \
    } while (0)

item_status partner_liquidity_iterator::next(rest_partner_liquidity& out) noexcept {
    field_ = "";
    out = rest_partner_liquidity{};
    return cur_.next([&](const char*& p, const char* end, int depth, item_status& st) noexcept {
        return detail::parse_element(p, end, depth, quote_names, st,
                                     [&](const detail::members& m) noexcept -> item_status {
                                         EF_ITEM(detail::read_string(m, q_partner_id, *scratch_,
                                                                     out.partner_id),
                                                 "partner_id");
                                         EF_ITEM(detail::read_amount(m, q_price, *scratch_,
                                                                     out.price_e9),
                                                 "price");
                                         EF_ITEM(detail::read_amount(m, q_available, *scratch_,
                                                                     out.available_e9),
                                                 "available");
                                         return item_status::ok;
                                     });
    });
}

item_status position_iterator::next(rest_position& out) noexcept {
    field_ = "";
    out = rest_position{};
    return cur_.next([&](const char*& p, const char* end, int depth, item_status& st) noexcept {
        return detail::parse_element(
            p, end, depth, position_names, st,
            [&](const detail::members& m) noexcept -> item_status {
                EF_ITEM(detail::read_string(m, pos_hash, *scratch_, out.position_hash),
                        "position_hash");
                if (!m.has(pos_partners)) {
                    field_ = "partner_liquidities";
                    return item_status::missing_field;
                }
                if (m.v[pos_partners].kind != value_kind::array) {
                    field_ = "partner_liquidities";
                    return item_status::wrong_type;
                }
                out.partner_liquidities_json = m.v[pos_partners].text;
                bool given = false;
                EF_ITEM(detail::read_string(m, pos_contest_id, *scratch_, out.contest_id, &given),
                        "contest_id");
                return item_status::ok;
            });
    });
}

#undef EF_ITEM

rest_status parse_liquidity_snapshot(std::string_view body, scratch& s, liquidity_snapshot& out,
                                     rest_diag& diag) noexcept {
    out = liquidity_snapshot{};
    value data;
    if (const rest_status st = detail::parse_envelope(body, s, out.meta, nullptr, data, diag);
        st != rest_status::ok)
        return st;
    if (data.kind != value_kind::array) {
        diag.field = "data";
        return rest_status::wrong_type;
    }
    // The snapshot is ordered against stream updates by this time alone.
    if (!out.meta.has_timestamp) {
        diag.field = "meta.timestamp";
        return rest_status::missing_field;
    }
    out.data_json = data.text;
    return rest_status::ok;
}

} // namespace ef::json
