// Venue timestamps: ISO-8601 / RFC 3339 UTC text <-> int64 Unix nanoseconds,
// exact to the nanosecond. Driven by the stream message parser (every update
// carries one) and by the tools that print books. Proleptic Gregorian
// days-from-civil arithmetic; no libc time zone code, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ef::json {

enum class [[nodiscard]] timestamp_status : uint8_t{
    ok,
    malformed,        // not YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)
    invalid_date,     // a field out of its range: month 13, Feb 30, hour 24, second 60
    out_of_range,     // a real instant, but outside int64 ns (1677-09-21 .. 2262-04-11)
    excess_precision, // non-zero digits below 1 ns; `out` holds the value cut to ns
};

const char* to_string(timestamp_status s) noexcept;

// Parses `text` (the whole of it) as YYYY-MM-DDTHH:MM:SS, then optionally '.'
// and one or more fractional digits, then 'Z' or "+00:00". RFC 3339 5.6 allows
// lower-case 't' and 'z', so they are accepted; other offsets are not (the
// venues send UTC). Every fractional digit up to 9 is kept; more than 9 are
// accepted when the extra ones are zeros, otherwise the status is
// excess_precision and `out` still receives the value truncated to whole
// nanoseconds (the caller decides whether to count and use it). Leap second 60
// is invalid_date: Unix time cannot name it. `out` is untouched on other errors.
timestamp_status parse_timestamp_ns(std::string_view text, int64_t& out) noexcept;

// Longest text format_timestamp_ns writes: "2262-04-11T23:47:16.854775807Z".
inline constexpr size_t timestamp_max_chars = 30;

// Writes unix_ns as "YYYY-MM-DDTHH:MM:SS.fffZ" with 3, 6 or 9 fractional
// digits, the fewest that are exact. Returns the bytes written, or 0 if `out`
// is smaller than the text. No NUL is written.
size_t format_timestamp_ns(int64_t unix_ns, std::span<char> out) noexcept;

// Days since 1970-01-01 of a proleptic Gregorian date (negative before 1970).
// The date must be valid; exposed for tests and the REST snapshot parser.
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept {
    // Shift the year to start in March so the leap day is the last day of it;
    // 400-year eras of 146097 days make the rest integer arithmetic.
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;                         // [0, 399]
    const int64_t mp = m > 2 ? m - 3 : m + 9;                  // [0, 11], March = 0
    const int64_t doy = (153 * mp + 2) / 5 + d - 1;            // [0, 365]
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    return era * 146097 + doe - 719468;                        // 719468: 0000-03-01 to 1970-01-01
}

} // namespace ef::json
