// Builders shared by the risk tests: limits that let everything through but
// the one under test, and requests for each kind of order.
#pragma once

#include "orders/risk.hpp"

#include <cstring>
#include <string>

namespace ef::orders::test {

constexpr int64_t e9 = 1'000'000'000;
constexpr int64_t sec = 1'000'000'000;
// 2026-11-22T04:00:00Z: a plain day, far from midnight.
constexpr int64_t noon_ish = 1'795'320'000 * sec;

inline risk_limits wide_limits() {
    risk_limits l{};
    l.max_order_qty_e9 = 1'000'000 * e9;
    l.max_order_notional_e9 = 1'000'000 * e9;
    l.max_open_notional_e9 = 10'000'000 * e9;
    l.max_daily_notional_e9 = 100'000'000 * e9;
    l.max_orders_per_s = 1000;
    l.fat_finger_bps = 0;
    l.max_price_e9 = 0;
    l.require_reference = false;
    return l;
}

inline void set(char* dst, size_t cap, const std::string& s) {
    std::memset(dst, 0, cap);
    std::memcpy(dst, s.data(), std::min(s.size(), cap - 1));
}

inline ef_order_request om_buy(int64_t amount_e9, int64_t shares_e9, int64_t max_price_e9,
                               const std::string& account = "u-1") {
    ef_order_request r{};
    r.kind = EF_ORDER_OM_BUY;
    set(r.account, sizeof r.account, account);
    set(r.position_hash, sizeof r.position_hash, "ph-1");
    r.position_hash_len = 4;
    r.amount_e9 = amount_e9;
    r.shares_e9 = shares_e9;
    r.max_price_e9 = max_price_e9;
    return r;
}

inline ef_order_request ct_order(uint32_t kind, uint8_t type, int64_t qty_e9, int64_t notional_e9,
                                 int64_t limit_e9, int64_t stop_e9,
                                 const std::string& account = "acct-1") {
    ef_order_request r{};
    r.kind = kind;
    set(r.account, sizeof r.account, account);
    set(r.symbol, sizeof r.symbol, "AAPL");
    r.side = EF_SIDE_BUY;
    r.order_type = type;
    r.tif = EF_TIF_DAY;
    r.qty_e9 = qty_e9;
    r.notional_e9 = notional_e9;
    r.limit_price_e9 = limit_e9;
    r.stop_price_e9 = stop_e9;
    return r;
}

inline ef_order_request ct_limit(int64_t qty_e9, int64_t limit_e9,
                                 const std::string& account = "acct-1") {
    return ct_order(EF_ORDER_CT_NEW, EF_TYPE_LMT, qty_e9, 0, limit_e9, 0, account);
}

inline strategy_risk strategy(const std::string& name, risk_limits l,
                              std::vector<std::string> accounts = {"*"}) {
    return strategy_risk{name, std::move(accounts), l};
}

} // namespace ef::orders::test
