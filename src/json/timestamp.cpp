// ISO-8601 UTC <-> Unix ns for venue timestamps. Driven by the stream message
// parser once per update, so the parse is fixed-position digit reads and a
// handful of multiplications; formatting is for tools and logs.
#include "json/timestamp.hpp"

#include <cstring>

namespace ef::json {

namespace {

constexpr int64_t ns_per_s = 1'000'000'000;
constexpr int64_t s_per_day = 86'400;

constexpr uint32_t pow10[10] = {1,      10,      100,      1000,      10000,
                                100000, 1000000, 10000000, 100000000, 1000000000};

constexpr bool is_digit(char c) noexcept {
    return static_cast<unsigned char>(c - '0') < 10;
}

// Digit values at fixed offsets; `bad` collects any byte that is not a digit
// so the whole layout is checked with one branch.
inline unsigned digit(const char* p, int i, unsigned& bad) noexcept {
    const unsigned d = static_cast<unsigned char>(p[i]) - unsigned{'0'};
    bad |= d > 9;
    return d;
}
inline unsigned two(const char* p, int i, unsigned& bad) noexcept {
    return digit(p, i, bad) * 10 + digit(p, i + 1, bad);
}

constexpr bool is_leap(unsigned y) noexcept {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned days_in_month(unsigned y, unsigned m) noexcept {
    constexpr unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

struct civil {
    int64_t y;
    unsigned m, d;
};

// Inverse of days_from_civil, same March-based era arithmetic.
constexpr civil civil_from_days(int64_t z) noexcept {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const auto d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const auto m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(11017).y == 2000 && civil_from_days(11017).m == 3);

void put2(char* p, unsigned v) noexcept {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

} // namespace

const char* to_string(timestamp_status s) noexcept {
    switch (s) {
    case timestamp_status::ok:
        return "ok";
    case timestamp_status::malformed:
        return "malformed";
    case timestamp_status::invalid_date:
        return "invalid_date";
    case timestamp_status::out_of_range:
        return "out_of_range";
    case timestamp_status::excess_precision:
        return "excess_precision";
    }
    return "unknown";
}

timestamp_status parse_timestamp_ns(std::string_view text, int64_t& out) noexcept {
    // "YYYY-MM-DDTHH:MM:SS" is 19 bytes, and a zone designator follows.
    if (text.size() < 20) return timestamp_status::malformed;
    const char* p = text.data();
    unsigned bad = 0;
    const unsigned year = two(p, 0, bad) * 100 + two(p, 2, bad);
    const unsigned month = two(p, 5, bad);
    const unsigned day = two(p, 8, bad);
    const unsigned hour = two(p, 11, bad);
    const unsigned minute = two(p, 14, bad);
    const unsigned second = two(p, 17, bad);
    if (bad || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != 't') || p[13] != ':' ||
        p[16] != ':')
        return timestamp_status::malformed;
    const char* q = p + 19;
    const char* const end = p + text.size();
    int64_t frac_ns = 0;
    bool excess = false;
    if (*q == '.') {
        ++q;
        const char* const digits = q;
        const char* const ns_end = end - q > 9 ? q + 9 : end;
        while (q != ns_end && is_digit(*q))
            frac_ns = frac_ns * 10 + (*q++ - '0');
        if (q == digits) return timestamp_status::malformed; // RFC 3339: time-secfrac needs a digit
        frac_ns *= static_cast<int64_t>(pow10[9 - (q - digits)]);
        for (; q != end && is_digit(*q); ++q)
            excess |= *q != '0'; // below 1 ns
    }
    const auto zone_len = end - q;
    const bool utc = (zone_len == 1 && (*q == 'Z' || *q == 'z')) ||
                     (zone_len == 6 && std::memcmp(q, "+00:00", 6) == 0);
    if (!utc) return timestamp_status::malformed;

    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
        minute > 59 || second > 59)
        return timestamp_status::invalid_date;
    const int64_t days = days_from_civil(year, month, day);
    const int64_t secs = days * s_per_day + hour * 3600 + minute * 60 + second; // |secs| < 2^39
    // Before 1970 the whole seconds alone can pass INT64_MIN while the
    // instant does not (1677-09-21T00:12:43.145224192Z): borrow a second.
    const bool borrow = secs < 0 && frac_ns > 0;
    int64_t ns;
    if (__builtin_mul_overflow(secs + borrow, ns_per_s, &ns) ||
        __builtin_add_overflow(ns, frac_ns - (borrow ? ns_per_s : 0), &ns))
        return timestamp_status::out_of_range;
    out = ns;
    return excess ? timestamp_status::excess_precision : timestamp_status::ok;
}

size_t format_timestamp_ns(int64_t unix_ns, std::span<char> out) noexcept {
    // Floor division, so instants before 1970 get a fraction in [0, 1 s).
    int64_t secs = unix_ns / ns_per_s;
    int64_t frac = unix_ns % ns_per_s;
    if (frac < 0) {
        frac += ns_per_s;
        --secs;
    }
    int64_t days = secs / s_per_day;
    int64_t sod = secs % s_per_day;
    if (sod < 0) {
        sod += s_per_day;
        --days;
    }
    const civil c = civil_from_days(days);
    int frac_digits = 9;
    if (frac % 1'000'000 == 0) {
        frac /= 1'000'000;
        frac_digits = 3;
    } else if (frac % 1'000 == 0) {
        frac /= 1'000;
        frac_digits = 6;
    }
    const size_t n = 20 + static_cast<size_t>(frac_digits) + 1;
    if (out.size() < n) return 0;
    char* p = out.data();
    // int64 ns spans years 1677..2262: always four digits, never negative.
    const auto y = static_cast<unsigned>(c.y);
    put2(p, y / 100);
    put2(p + 2, y % 100);
    p[4] = '-';
    put2(p + 5, c.m);
    p[7] = '-';
    put2(p + 8, c.d);
    p[10] = 'T';
    put2(p + 11, static_cast<unsigned>(sod / 3600));
    p[13] = ':';
    put2(p + 14, static_cast<unsigned>(sod / 60 % 60));
    p[16] = ':';
    put2(p + 17, static_cast<unsigned>(sod % 60));
    p[19] = '.';
    for (int i = frac_digits - 1; i >= 0; --i) {
        p[20 + i] = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    p[n - 1] = 'Z';
    return n;
}

} // namespace ef::json
