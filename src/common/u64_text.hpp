// Unsigned integers as decimal text into a caller's buffer, without
// allocating or formatting machinery: the order path writes sequence numbers
// (cl_order_id, journal file names) with it on its hot and warm paths.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ef {

// Writes v's decimal digits (no NUL) to out, which has room for 20; returns how many.
inline size_t write_u64_text(char* out, uint64_t v) noexcept {
    char tmp[20];
    size_t n = 0;
    do tmp[n++] = static_cast<char>('0' + v % 10);
    while ((v /= 10) != 0);
    for (size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
    return n;
}

} // namespace ef
