// Helpers shared by the order codec tests: requests built field by field,
// and the guarded prefix / split ladders (inputs end right at a PROT_NONE
// page, so a parser reading one byte past its input faults).
#pragma once

#include "edgefeed/orders.h"

#include <cstdlib> // guarded_buffer.hpp calls std::abort

#include "tests/support/guarded_buffer.hpp"

#include <cstring>
#include <string>
#include <string_view>

namespace ef::orders::test {

template <size_t N>
void set(char (&field)[N], std::string_view s) {
    std::memset(field, 0, N);
    std::memcpy(field, s.data(), s.size() < N ? s.size() : N);
}

inline constexpr int64_t e9 = EF_SCALE_E9;
inline constexpr std::string_view hash6 = "c1:m2:yes:v0:p17:full";

inline ef_order_request om_buy(int64_t amount_e9, int64_t shares_e9, int64_t max_price_e9,
                               std::string_view partner = "", uint32_t flags = 0,
                               std::string_view hash = hash6) {
    ef_order_request r{};
    r.kind = EF_ORDER_OM_BUY;
    r.flags = flags;
    set(r.account, "user-123");
    r.position_hash_len = static_cast<uint32_t>(hash.size());
    std::memcpy(r.position_hash, hash.data(), hash.size());
    r.amount_e9 = amount_e9;
    r.shares_e9 = shares_e9;
    r.max_price_e9 = max_price_e9;
    set(r.partner_id, partner);
    return r;
}

inline ef_order_request ct_new(uint8_t type, int64_t qty_e9, int64_t notional_e9,
                               int64_t limit_e9 = 0, int64_t stop_e9 = 0,
                               uint8_t tif = EF_TIF_DAY, uint8_t side = EF_SIDE_BUY) {
    ef_order_request r{};
    r.kind = EF_ORDER_CT_NEW;
    set(r.account, "acc-1");
    set(r.broker, "ALPACA");
    set(r.instrument, "EQUITY");
    set(r.symbol, "AAPL");
    r.side = side;
    r.order_type = type;
    r.tif = tif;
    r.qty_e9 = qty_e9;
    r.notional_e9 = notional_e9;
    r.limit_price_e9 = limit_e9;
    r.stop_price_e9 = stop_e9;
    return r;
}

inline ef_order_request ct_modify(int64_t qty_e9, int64_t notional_e9, int64_t limit_e9,
                                  int64_t stop_e9) {
    ef_order_request r{};
    r.kind = EF_ORDER_CT_MODIFY;
    set(r.account, "acc-1");
    set(r.broker, "ALPACA");
    set(r.order_id, "ord-9");
    r.qty_e9 = qty_e9;
    r.notional_e9 = notional_e9;
    r.limit_price_e9 = limit_e9;
    r.stop_price_e9 = stop_e9;
    return r;
}

inline ef_order_request ct_cancel() {
    ef_order_request r{};
    r.kind = EF_ORDER_CT_CANCEL;
    set(r.account, "acc-1");
    set(r.broker, "ALPACA");
    set(r.order_id, "ord-9");
    return r;
}

// f(view) for every proper prefix of s, each ending at a guard page.
template <typename F>
void for_every_proper_prefix(std::string_view s, F&& f) {
    for (size_t n = 0; n < s.size(); ++n) {
        ef::test::guarded_buffer g(s.substr(0, n));
        f(g.view());
    }
}

// f(head, tail) for every split point of s, each part ending at its own
// guard page: a body that reaches the parser in two reads must be judged
// on the whole, never on either part (each part is a different text).
template <typename F>
void for_every_split(std::string_view s, F&& f) {
    for (size_t n = 1; n < s.size(); ++n) {
        ef::test::guarded_buffer head(s.substr(0, n));
        ef::test::guarded_buffer tail(s.substr(n));
        f(head.view(), tail.view());
    }
}

} // namespace ef::orders::test
