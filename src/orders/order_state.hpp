// What the order loop keeps per order: the orders in flight (sent, awaiting an
// answer or being reconciled) and the Connect Trade orders working at the
// venue (their reservation of open notional, and what modify, cancel and
// reconciliation need). Fixed-size tables allocated at start. Order loop only.
#pragma once

#include "orders/order_loop.hpp"

namespace ef::orders {

// An HTTPS request's tag: the live order's index, shifted, and in bit 0 what
// the request is for (the order itself, or a reconciliation search).
inline constexpr uint64_t purpose_order = 0, purpose_reconcile = 1;
constexpr uint64_t request_tag(uint32_t index, uint64_t purpose) noexcept { return (uint64_t{index} << 1) | purpose; }

struct order_loop::live_order {
    enum class phase : uint8_t {
        free,
        sending,        // handed to a connection, not yet written
        awaiting,       // written: the venue may act on it from here on
        reconcile_wait, // outcome unknown: the next query is due at next_ns
        reconciling,    // a query is in flight
    };
    phase ph = phase::free;
    uint32_t slot = 0;       // strategy
    uint32_t ct_account = 0; // index into opts.ct_accounts
    uint32_t open_index = UINT32_MAX; // modify / cancel: the order they act on
    ef_order_request req{};    // as the strategy sent it
    ef_order_request merged{}; // modify: the order as it will be (risk's view)
    char cl_order_id[EF_CL_ORDER_ID_MAX] = {};
    reservation res{};         // what the order holds now
    reservation before{};      // modify: the order's reservation before it
    int64_t sent_ns = 0;      // first byte handed to the kernel
    int64_t sent_unix_ns = 0; // reconciliation searches from shortly before
    uint32_t attempts = 0;
    int64_t next_ns = 0;
    char cursor[256] = {};    // next page of GET /orders while searching
    size_t cursor_len = 0;
};

struct order_loop::open_order {
    bool used = false;
    uint32_t slot = 0;
    uint32_t ct_account = 0;
    uint8_t side = 0;
    char order_id[EF_ORDER_ID_MAX] = {};
    char cl_order_id[EF_CL_ORDER_ID_MAX] = {};
    ef_order_request req{};   // its values (a modify's merged in)
    reservation res{};        // what it holds of open and daily notional
};

} // namespace ef::orders
