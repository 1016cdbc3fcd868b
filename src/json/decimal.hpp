// Exact fixed point for venue prices and sizes: JSON number text <-> int64
// count of 1e-9 units (EF_SCALE_E9 in include/edgefeed/layout.h). Called by the
// stream message parser on every liquidity entry and by the book output; pure
// integer arithmetic, no binary float anywhere, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ef::json {

enum class [[nodiscard]] decimal_status : uint8_t{
    ok,
    not_a_number, // text is not RFC 8259 number grammar
    inexact,      // non-zero digits below 1e-9: cannot be held exactly
    out_of_range, // |value| * 1e9 does not fit in int64
};

// Short, stable text for logs and counters ("inexact").
const char* to_string(decimal_status s) noexcept;

// Parses the whole of `text` as an RFC 8259 section 6 number
// (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?) and stores the exact value
// times 1e9 in `out`. "4.9e-1" -> 490000000, "1e-9" -> 1, "0.4900000000000" ->
// 490000000, "1.5e-10" -> inexact. out_of_range means |value * 1e9| is past
// INT64_MAX (INT64_MIN when negative), fraction included, and wins over
// inexact: "9223372036.8547758075" is out of range, "...8065" inexact. `out` is written only on ok.
// Any exponent is accepted ("0e999999" is 0) since the answer is exact or a status, never an
// approximation.
decimal_status parse_decimal_e9(std::string_view text, int64_t& out) noexcept;

// Same, for a raw JSON token that is either a bare number or a string holding
// one ("\"0.49\""): some venues send numbers as strings. A string with a
// backslash is not_a_number here (there is no buffer to decode into); the
// stream parser decodes such strings first and calls parse_decimal_e9. Surrounding
// whitespace inside the quotes is not a number either.
decimal_status parse_decimal_e9_token(std::string_view token, int64_t& out) noexcept;

// For scanners: reads the number that starts at p, converting as it checks
// the grammar, and stops at the first byte that cannot continue it (leaving p
// there). not_a_number: the grammar failed at p (p == end: the input ended
// inside the number); "01" fails at the '1'. Otherwise p is past the number
// and the status is about its value, as for parse_decimal_e9.
inline decimal_status scan_decimal_e9(const char*& p, const char* end, int64_t& out) noexcept;

// Longest text format_decimal_e9 writes: "-9223372036.854775808".
inline constexpr size_t decimal_e9_max_chars = 21;

// Writes the shortest exact decimal text of v / 1e9 ("0.49", "5400",
// "-0.000000001"): no exponent, no trailing fractional zeros, no "-0". Returns
// the bytes written, or 0 if `out` is smaller than the text (it never is with
// decimal_e9_max_chars bytes). No NUL is written.
size_t format_decimal_e9(int64_t v, std::span<char> out) noexcept;

namespace detail {

inline constexpr uint64_t pow10_u64[20] = {
    1ull,
    10ull,
    100ull,
    1000ull,
    10000ull,
    100000ull,
    1000000ull,
    10000000ull,
    100000000ull,
    1000000000ull,
    10000000000ull,
    100000000000ull,
    1000000000000ull,
    10000000000000ull,
    100000000000000ull,
    1000000000000000ull,
    10000000000000000ull,
    100000000000000000ull,
    1000000000000000000ull,
    10000000000000000000ull,
};

inline constexpr bool is_decimal_digit(char c) noexcept {
    return static_cast<unsigned char>(c - '0') < 10;
}

// Everything scan_decimal_e9's inline part does not take (decimal.cpp).
decimal_status scan_decimal_e9_full(const char*& p, const char* end, int64_t& out) noexcept;

} // namespace detail

// Inline, so that the scanners get the wire's usual shapes,
// [-]d{1,9}[.d{1,9}][e[+-]d{1,2}], in one pass over locals; anything longer
// or odder goes to the full scan, which is exact for every input.
inline decimal_status scan_decimal_e9(const char*& p_ref, const char* end, int64_t& out) noexcept {
    using detail::is_decimal_digit;
    using detail::pow10_u64;
    const char* p = p_ref;
    const bool negative = p != end && *p == '-';
    p += negative;
    const char* const int_begin = p;
    uint64_t int_value = 0;
    while (p != end && is_decimal_digit(*p))
        int_value = int_value * 10 + static_cast<uint64_t>(*p++ - '0');
    const auto int_len = p - int_begin;
    if (int_len == 0 || int_len > 9 || (int_len > 1 && *int_begin == '0')) [[unlikely]]
        return detail::scan_decimal_e9_full(p_ref, end, out);
    uint64_t frac_value = 0;
    ptrdiff_t frac_len = 0;
    if (p != end && *p == '.') {
        const char* const frac_begin = ++p;
        while (p != end && is_decimal_digit(*p))
            frac_value = frac_value * 10 + static_cast<uint64_t>(*p++ - '0');
        frac_len = p - frac_begin;
        if (frac_len == 0 || frac_len > 9) [[unlikely]]
            return detail::scan_decimal_e9_full(p_ref, end, out);
    }
    uint64_t magnitude;
    if (p == end || (*p != 'e' && *p != 'E')) [[likely]] {
        magnitude = int_value * pow10_u64[9] + frac_value * pow10_u64[9 - frac_len]; // < 1e18
    } else {
        // value * 1e9 = mantissa * 10^shift, mantissa < 1e18.
        ++p;
        const bool exp_negative = p != end && *p == '-';
        p += p != end && (*p == '-' || *p == '+');
        if (p == end || !is_decimal_digit(*p)) return detail::scan_decimal_e9_full(p_ref, end, out);
        int exponent = *p++ - '0';
        if (p != end && is_decimal_digit(*p)) exponent = exponent * 10 + (*p++ - '0');
        if (p != end && is_decimal_digit(*p)) return detail::scan_decimal_e9_full(p_ref, end, out);
        const uint64_t mantissa = int_value * pow10_u64[frac_len] + frac_value;
        const int shift = 9 - static_cast<int>(frac_len) + (exp_negative ? -exponent : exponent);
        if (shift >= 0 && shift <= 18) {
            // 2^63 (INT64_MIN) has no factor 10, so the limit is INT64_MAX
            // for either sign; the full scan decides what lies beyond.
            if (__builtin_mul_overflow(mantissa, pow10_u64[shift], &magnitude) ||
                magnitude > uint64_t{INT64_MAX})
                return detail::scan_decimal_e9_full(p_ref, end, out);
        } else if (shift < 0 && shift >= -18 && mantissa % pow10_u64[-shift] == 0) {
            magnitude = mantissa / pow10_u64[-shift];
        } else {
            return detail::scan_decimal_e9_full(p_ref, end, out);
        }
    }
    out = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
    p_ref = p;
    return decimal_status::ok;
}

} // namespace ef::json
