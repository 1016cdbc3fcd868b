// The OpenMarkets order body: one buy leg as the exact JSON that
// POST /flow/v1/auth/orders/buy takes (PROTOCOL.md "OpenMarkets orders",
// orders_common.md). Written by the order loop into the connection's
// preallocated request buffer; pure, no allocation.
#pragma once

#include "edgefeed/orders.h"

#include <cstddef>
#include <span>

namespace ef::orders {

// Writes {"orders":[{"position_hash":"…","amount":50|"shares":100,
// "max_price":0.42[,"partner_id":"kalshi"]}][,"mode":"paper"]}: keys in that
// order, numbers as JSON numbers written exactly from e9 (no exponent,
// trailing zeros trimmed), strings escaped, nothing else (the venue answers
// any other field with 400 unknown_parameter). "amount" when amount_e9 > 0,
// else "shares"; partner_id only when non-empty; mode only with
// EF_ORDER_PAPER. The request must have passed check_request().
// Returns the body's length, or 0 when it does not fit in `out` (then out's
// contents are unspecified: never a partial body to send).
size_t write_om_buy_body(std::span<char> out, const ef_order_request& r) noexcept;

} // namespace ef::orders
