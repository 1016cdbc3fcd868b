// Exact decimal <-> int64 e9 conversion for prices and sizes. Driven by the
// stream message parser (hot: every liquidity entry) and the book output.
// The common wire forms ("0.49", "5400", "5400.0") take a one-pass fast path;
// anything else (exponents, long fractions, huge integers) goes through the
// general path, which is exact for every input and never uses a float.
#include "json/decimal.hpp"

namespace ef::json {

namespace {

using detail::pow10_u64;

using detail::is_decimal_digit;
constexpr bool is_digit(char c) noexcept {
    return is_decimal_digit(c);
}

// Exponents beyond this are saturated: with fewer than 2^40 digits of input the
// answer is already decided (0, inexact or out_of_range) long before.
constexpr int64_t exponent_cap = int64_t{1} << 40;

// The number's parts as located by the grammar pass.
struct number_parts {
    const char* int_begin;
    const char* int_end;
    const char* frac_begin;
    const char* frac_end;
    int64_t exponent;
};

// Value = digits(int ++ frac) * 10^(exponent - frac_len). Exact in all cases.
[[gnu::noinline]] decimal_status general_path(const number_parts& n, bool negative,
                                              int64_t& out) noexcept {
    const int64_t int_len = n.int_end - n.int_begin;
    const int64_t frac_len = n.frac_end - n.frac_begin;
    const int64_t total = int_len + frac_len;
    auto digit_at = [&](int64_t i) -> char {
        return i < int_len ? n.int_begin[i] : n.frac_begin[i - int_len];
    };
    int64_t first = 0;
    while (first < total && digit_at(first) == '0')
        ++first;
    if (first == total) { // zero, whatever the exponent
        out = 0;
        return decimal_status::ok;
    }
    int64_t last = total - 1;
    while (digit_at(last) == '0')
        --last;
    const int64_t significant = last - first + 1;
    // value * 1e9 = D * 10^shift, D = the significant digits, no trailing zero
    const int64_t shift = n.exponent - frac_len + (total - 1 - last) + 9;
    // D >= 10^(significant-1), so the product is >= 10^19 > INT64_MAX.
    if (significant + shift > 19) return decimal_status::out_of_range;
    const uint64_t limit = negative ? (uint64_t{1} << 63) : (uint64_t{1} << 63) - 1;
    if (shift < 0) {
        // D ends in a non-zero digit, so there is a fraction: inexact, unless
        // the whole part already reaches the limit (then the value is past it).
        uint64_t whole = 0;
        for (int64_t i = first; i < first + significant + shift; ++i)
            whole = whole * 10 + static_cast<uint64_t>(digit_at(i) - '0');
        return whole >= limit ? decimal_status::out_of_range : decimal_status::inexact;
    }
    uint64_t d = 0;
    for (int64_t i = first; i <= last; ++i)
        d = d * 10 + static_cast<uint64_t>(digit_at(i) - '0');
    const uint64_t magnitude = d * pow10_u64[shift]; // < 10^19: no wrap
    if (magnitude > limit) return decimal_status::out_of_range;
    out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    return decimal_status::ok;
}

} // namespace

const char* to_string(decimal_status s) noexcept {
    switch (s) {
    case decimal_status::ok:
        return "ok";
    case decimal_status::not_a_number:
        return "not_a_number";
    case decimal_status::inexact:
        return "inexact";
    case decimal_status::out_of_range:
        return "out_of_range";
    }
    return "unknown";
}

// The full grammar, for what the inline short path in decimal.hpp declined.
decimal_status detail::scan_decimal_e9_full(const char*& p, const char* end,
                                            int64_t& out) noexcept {
    bool negative = false;
    if (p != end && *p == '-') {
        negative = true;
        ++p;
    }
    if (p == end) return decimal_status::not_a_number;
    number_parts n;
    n.int_begin = p;
    if (*p == '0') {
        ++p;
        if (p != end && is_digit(*p)) return decimal_status::not_a_number; // "01"
    } else if (is_digit(*p)) {
        do
            ++p;
        while (p != end && is_digit(*p));
    } else {
        return decimal_status::not_a_number;
    }
    n.int_end = p;
    n.frac_begin = n.frac_end = p;
    if (p != end && *p == '.') {
        n.frac_begin = ++p;
        while (p != end && is_digit(*p))
            ++p;
        if (p == n.frac_begin)
            return decimal_status::not_a_number; // RFC 8259: "1." is not a number
        n.frac_end = p;
    }
    n.exponent = 0;
    if (p != end && (*p == 'e' || *p == 'E')) {
        ++p;
        bool exp_negative = false;
        if (p != end && (*p == '+' || *p == '-')) exp_negative = *p++ == '-';
        if (p == end || !is_digit(*p)) return decimal_status::not_a_number;
        do {
            if (n.exponent < exponent_cap) n.exponent = n.exponent * 10 + (*p - '0');
            ++p;
        } while (p != end && is_digit(*p));
        if (exp_negative) n.exponent = -n.exponent;
    }

    return general_path(n, negative, out);
}

decimal_status parse_decimal_e9(std::string_view text, int64_t& out) noexcept {
    const char* p = text.data();
    const char* const end = p + text.size();
    int64_t v;
    const decimal_status st = scan_decimal_e9(p, end, v);
    if (st != decimal_status::not_a_number && p != end) return decimal_status::not_a_number;
    if (st == decimal_status::ok) out = v;
    return st;
}

decimal_status parse_decimal_e9_token(std::string_view token, int64_t& out) noexcept {
    if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
        token = token.substr(1, token.size() - 2);
        if (token.find('\\') != std::string_view::npos) return decimal_status::not_a_number;
    }
    return parse_decimal_e9(token, out);
}

size_t format_decimal_e9(int64_t v, std::span<char> out) noexcept {
    // Two's complement negate in unsigned arithmetic handles INT64_MIN.
    const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    uint64_t int_part = magnitude / pow10_u64[9];
    uint64_t frac_part = magnitude % pow10_u64[9];
    char buf[decimal_e9_max_chars];
    size_t n = 0;
    if (v < 0) buf[n++] = '-';
    char digits[20];
    size_t nd = 0;
    do {
        digits[nd++] = static_cast<char>('0' + int_part % 10);
        int_part /= 10;
    } while (int_part != 0);
    while (nd != 0)
        buf[n++] = digits[--nd];
    if (frac_part != 0) {
        buf[n++] = '.';
        int width = 9;
        while (frac_part % 10 == 0) {
            frac_part /= 10;
            --width;
        }
        for (int i = width - 1; i >= 0; --i) {
            buf[n + static_cast<size_t>(i)] = static_cast<char>('0' + frac_part % 10);
            frac_part /= 10;
        }
        n += static_cast<size_t>(width);
    }
    if (n > out.size()) return 0;
    for (size_t i = 0; i < n; ++i)
        out[i] = buf[i];
    return n;
}

} // namespace ef::json
