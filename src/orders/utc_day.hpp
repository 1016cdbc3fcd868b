// UTC days since the epoch: the daily notional limit, the cl_order_id date and
// the journal's file per day all roll over at the same instant.
#pragma once

#include <cstdint>

namespace ef::orders {

inline constexpr int64_t utc_day_ns = 86'400'000'000'000;

// Floor division, so instants before 1970 fall on the right day too.
constexpr int64_t utc_day_of(int64_t unix_ns) noexcept {
    return unix_ns / utc_day_ns - (unix_ns % utc_day_ns < 0 ? 1 : 0);
}

} // namespace ef::orders
