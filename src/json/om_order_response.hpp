// The OpenMarkets answer to POST /flow/v1/auth/orders/buy (200):
// {"data":{"orders":[{"position_hash","partner_id","status","filled_shares",
// "filled_notional","avg_price","sor_decision_id","reason"?}]},"meta":{…}}
// (ours, PROTOCOL.md "OpenMarkets orders"). Driven by the order loop once per
// answer; pure, no allocation. Error answers: parse_om_error (order_common.hpp).
#pragma once

#include "json/order_common.hpp"
#include "orders/order_protocol.hpp"

#include <cstdint>
#include <string_view>

namespace ef::json {

// The first leg of the answer (edgefeed sends one leg per order). Strings
// view the body, or text_ when escaped: valid while both live; not copyable.
struct om_buy_leg {
    om_buy_leg() noexcept = default;
    om_buy_leg(const om_buy_leg&) = delete;
    om_buy_leg& operator=(const om_buy_leg&) = delete;

    std::string_view position_hash;
    std::string_view partner_id;      // "" when null or absent (nothing filled)
    std::string_view status_text;     // the word as sent
    orders::protocol::om_leg_status status = orders::protocol::om_leg_status::unknown;
    int64_t filled_shares_e9 = 0;
    int64_t filled_notional_e9 = 0;
    int64_t avg_price_e9 = 0;         // 0 when null or absent
    std::string_view sor_decision_id; // "" when null or absent
    std::string_view reason;          // "" when null or absent
    bool reason_truncated = false;
    uint32_t legs = 0;                // legs in the answer
    const char* bad_field = "";       // on failure: the member at fault
    char text_[order_text_bytes];
};

// Reads the first leg. Required: data (object), data.orders (a non-empty
// array of objects), and in the leg position_hash and status (strings),
// filled_shares and filled_notional (numbers in any JSON form, or strings
// holding one, exact in 1e-9 units). Optional (null or absent): partner_id,
// avg_price, sor_decision_id, reason. Unknown members are ignored; the last
// of duplicate members wins. A status word outside the four gives status
// unknown with status_text set, and ok: the caller decides (the order loop
// reports such an answer as UNKNOWN).
json_status parse_om_buy_response(std::string_view body, om_buy_leg& out) noexcept;

} // namespace ef::json
