// Connect Trade order requests: the bodies of POST /orders and PATCH
// /accounts/{account_id}/orders/{order_id}, the target of PATCH and DELETE,
// and the GET /orders target that reconciliation pages through
// (orders_common.md, PROTOCOL.md "Connect Trade", seed 003). Written by the
// order loop into preallocated buffers; pure, no allocation. Every writer
// returns the bytes written, or 0 when the text does not fit in `out` (never
// a partial body or target).
#pragma once

#include "edgefeed/orders.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ef::orders {

// {"account_id","cl_order_id","broker","side","order_type","order_tif",
// "instrument","symbol", "order_qty"|"order_notional", ["order_limit_price"]
// (LMT, STPLMT), ["stop_price"] (STP, STPLMT)}: exactly that key set, in that
// order, numbers as JSON strings of their exact decimal. The request must
// have passed check_request() (kind EF_ORDER_CT_NEW).
size_t write_ct_new_body(std::span<char> out, const ef_order_request& r,
                         std::string_view cl_order_id) noexcept;

// {"new_cl_order_id","broker"[,"order_qty"][,"order_notional"]
// [,"order_limit_price"][,"stop_price"]}: each optional number only when > 0.
// The request must have passed check_request() (kind EF_ORDER_CT_MODIFY).
size_t write_ct_modify_body(std::span<char> out, const ef_order_request& r,
                            std::string_view new_cl_order_id) noexcept;

// /accounts/<account_id>/orders/<order_id>, both percent-encoded as path
// segments (RFC 3986: every byte but ALPHA DIGIT - . _ ~ as %XX).
size_t write_ct_order_target(std::span<char> out, std::string_view account_id,
                             std::string_view order_id) noexcept;

// /orders?status=all&symbols=<sym>&side=<buy|sell>&start_time=<ISO-8601 UTC>
// &limit=500[&next_cursor=<cursor>]: symbol and cursor percent-encoded, the
// cursor only when non-empty (it is opaque: passed back as received). An
// empty symbol or a side other than EF_SIDE_BUY / EF_SIDE_SELL leaves that
// filter out. start_unix_ns must be in the range of a timestamp (>= 1970).
size_t write_ct_list_target(std::span<char> out, std::string_view symbol, uint8_t side,
                            int64_t start_unix_ns, std::string_view cursor) noexcept;

} // namespace ef::orders
