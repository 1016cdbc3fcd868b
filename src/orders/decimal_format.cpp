// e9 -> decimal text for the order writers (see decimal_format.hpp). Digits
// are written two at a time from a table, straight into the caller's buffer:
// a price such as 0.42 costs one division by 1e9 and two table loads.
#include "orders/decimal_format.hpp"

#include <cstring>

namespace ef::orders {

namespace {

constexpr char digit_pairs[201] =
    "00010203040506070809"
    "10111213141516171819"
    "20212223242526272829"
    "30313233343536373839"
    "40414243444546474849"
    "50515253545556575859"
    "60616263646566676869"
    "70717273747576777879"
    "80818283848586878889"
    "90919293949596979899";

unsigned count_digits(uint64_t v) noexcept {
    unsigned n = 1;
    while (v >= 100) {
        v /= 100;
        n += 2;
    }
    return n + (v >= 10);
}

// Writes v as exactly `width` digits ending at `end` (leading zeros kept).
void put_digits(char* end, uint64_t v, unsigned width) noexcept {
    while (width >= 2) {
        end -= 2;
        std::memcpy(end, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
        width -= 2;
    }
    if (width) *--end = static_cast<char>('0' + v % 10);
}

} // namespace

size_t format_e9(char* out, int64_t v) noexcept {
    // Unsigned negate: INT64_MIN has no positive int64.
    const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    const uint64_t int_part = magnitude / 1'000'000'000u;
    uint64_t frac_part = magnitude % 1'000'000'000u;
    char* o = out;
    if (v < 0) *o++ = '-';
    const unsigned int_width = count_digits(int_part);
    o += int_width;
    put_digits(o, int_part, int_width);
    if (frac_part == 0) return static_cast<size_t>(o - out);
    unsigned width = 9;
    while (frac_part % 10 == 0) {
        frac_part /= 10;
        --width;
    }
    *o++ = '.';
    o += width;
    put_digits(o, frac_part, width);
    return static_cast<size_t>(o - out);
}

} // namespace ef::orders
