// Exact e9 fixed point -> decimal text for the order bodies ("0.42", "50",
// "190.01"). Called by the request writers on the order loop for every
// variable number of a body; pure integer arithmetic, no float, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ef::orders {

// Bytes format_e9 may write: "-9223372036.854775808" is 21; the writers keep
// a 24-byte window so the digits can be stored without a bounds test each.
inline constexpr size_t format_e9_max_chars = 21;
inline constexpr size_t format_e9_room = 24;

// Writes the shortest exact decimal text of v / 1e9: no exponent, no trailing
// fractional zeros, no "-0" ("0.42", "50", "-1.5", "0.000000001", "0").
// `out` must have format_e9_room bytes. Returns the bytes written; no NUL.
// The same text as json::format_decimal_e9, which it is tested against; this
// one writes in place with two digits a step, for the order path.
size_t format_e9(char* out, int64_t v) noexcept;

} // namespace ef::orders
