// Connect Trade's normalized order (ours, orders_common.md): the answer of
// POST /orders, PATCH and DELETE /accounts/{account_id}/orders/{order_id},
// and each element of GET /orders ({"orders":[…],"next_cursor","prev_cursor"}),
// which reconciliation scans for a cl_order_id. Driven by the order loop per
// answer; pure, no allocation.
#pragma once

#include "edgefeed/orders.h"
#include "json/order_common.hpp"
#include "orders/order_protocol.hpp"

#include <cstdint>
#include <string_view>

namespace ef::json {

// Strings view the body, or text_ when escaped: valid while both live; not
// copyable. Numbers are exact e9; null or absent optional numbers are 0.
struct ct_order {
    ct_order() noexcept = default;
    ct_order(const ct_order&) = delete;
    ct_order& operator=(const ct_order&) = delete;

    std::string_view order_id;
    std::string_view cl_order_id;
    std::string_view account_id;  // "" when null or absent
    std::string_view symbol;      // "" when null or absent
    std::string_view side_text;   // "" when null or absent
    uint8_t side = 0;             // enum ef_ct_side; 0 for any other word
    std::string_view status_text; // the word as sent
    orders::protocol::ct_order_status status = orders::protocol::ct_order_status::unknown;
    int64_t filled_qty_e9 = 0;
    int64_t avg_fill_price_e9 = 0;
    int64_t order_qty_e9 = 0;
    int64_t order_notional_e9 = 0;
    int64_t limit_price_e9 = 0;
    int64_t stop_price_e9 = 0;
    std::string_view broker_message; // "" when null or absent
    bool broker_message_truncated = false;
    bool time_truncated = false;  // a fill time had digits below 1 ns (cut, used)
    uint32_t fills_total = 0;     // fills in the answer
    uint32_t fills_count = 0;     // of them, copied below
    ef_order_fill fills[EF_ORDER_FILLS_MAX] = {};
    const char* bad_field = "";   // on failure: the member at fault
    char text_[order_text_bytes];
};

// One normalized order as the whole body. Required: order_id, cl_order_id,
// status (strings), filled_qty (number). Optional (null or absent): account_id,
// symbol, side, avg_fill_price, order_qty, order_notional, order_limit_price,
// stop_price, fills (an array of {qty, price, time}, all three required),
// broker_message. Numbers are JSON strings (Connect Trade) or JSON numbers,
// exact in 1e-9 units. Unknown members are ignored; an unknown status word
// gives status unknown with status_text set, and ok.
json_status parse_ct_order(std::string_view body, ct_order& out) noexcept;

// Scans a GET /orders answer for the order whose cl_order_id is `cl_order_id`
// (the first, if several). The whole body is validated first. On ok, `found`
// says whether it was there (then `out` holds it, parsed as parse_ct_order
// does; an element that does not parse makes the status), and next_cursor is
// the next page's cursor ("" when null or absent: the last page), decoded
// into out.text_ if escaped.
json_status find_ct_order(std::string_view list_body, std::string_view cl_order_id,
                          ct_order& out, bool& found, std::string_view& next_cursor) noexcept;

} // namespace ef::json
