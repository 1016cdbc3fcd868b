// Venue timestamps: ISO-8601 UTC text to Unix ns and back, exact to the
// nanosecond, with the calendar and int64 limits checked.
#include "tests/unit/json/test_util.hpp"
#include "json/timestamp.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace ef::json {
namespace {

constexpr int64_t i64_max = std::numeric_limits<int64_t>::max();
constexpr int64_t i64_min = std::numeric_limits<int64_t>::min();

struct parse_case {
    const char* text;
    timestamp_status status;
    int64_t ns; // for ok and excess_precision
    const char* why;
};

const parse_case parse_cases[] = {
    {"1970-01-01T00:00:00Z", timestamp_status::ok, 0, "the epoch"},
    {"1970-01-01T00:00:00.000Z", timestamp_status::ok, 0, "the epoch, milliseconds"},
    {"2026-04-17T22:00:01.234Z", timestamp_status::ok, 1776463201234000000, "seed, milliseconds"},
    {"2026-04-17T22:00:01.234567Z", timestamp_status::ok, 1776463201234567000, "microseconds"},
    {"2026-04-17T22:00:01.234567891Z", timestamp_status::ok, 1776463201234567891, "nanoseconds"},
    {"2026-04-17T22:00:01.2Z", timestamp_status::ok, 1776463201200000000, "one fractional digit"},
    {"2026-04-17T22:00:01Z", timestamp_status::ok, 1776463201000000000, "no fraction"},
    {"2026-04-17T22:00:01.2345678910Z", timestamp_status::ok, 1776463201234567891,
     "ten digits, tenth zero: kept"},
    {"2026-04-17T22:00:01.234567891000000Z", timestamp_status::ok, 1776463201234567891,
     "fifteen digits, zeros past ns"},
    {"2026-04-17T22:00:01.2345678915Z", timestamp_status::excess_precision, 1776463201234567891,
     "tenth digit non-zero: truncated and reported"},
    {"2026-04-17T22:00:01.234+00:00", timestamp_status::ok, 1776463201234000000, "+00:00 offset"},
    {"2026-04-17t22:00:01.234z", timestamp_status::ok, 1776463201234000000,
     "RFC 3339 5.6 lower case"},
    {"1969-12-31T23:59:59.999999999Z", timestamp_status::ok, -1, "one ns before the epoch"},
    {"2024-02-29T12:00:00Z", timestamp_status::ok, 1709208000000000000,
     "leap day, year divisible by 4"},
    {"2000-02-29T00:00:00Z", timestamp_status::ok, 951782400000000000,
     "leap day, year divisible by 400"},
    {"2262-04-11T23:47:16.854775807Z", timestamp_status::ok, i64_max, "last int64 ns"},
    {"2262-04-11T23:47:16.854775808Z", timestamp_status::out_of_range, 0, "one ns after int64"},
    {"2262-04-12T00:00:00Z", timestamp_status::out_of_range, 0, "the next day"},
    {"9999-12-31T23:59:59Z", timestamp_status::out_of_range, 0, "largest writable year"},
    {"1677-09-21T00:12:43.145224192Z", timestamp_status::ok, i64_min, "first int64 ns"},
    {"1677-09-21T00:12:43.145224191Z", timestamp_status::out_of_range, 0, "one ns before int64"},
    {"0000-01-01T00:00:00Z", timestamp_status::out_of_range, 0, "year zero"},
    {"2023-02-29T00:00:00Z", timestamp_status::invalid_date, 0, "not a leap year"},
    {"1900-02-29T00:00:00Z", timestamp_status::invalid_date, 0, "century, not divisible by 400"},
    {"2100-02-29T00:00:00Z", timestamp_status::invalid_date, 0, "century, not divisible by 400"},
    {"2026-04-31T00:00:00Z", timestamp_status::invalid_date, 0, "April has 30 days"},
    {"2026-00-10T00:00:00Z", timestamp_status::invalid_date, 0, "month zero"},
    {"2026-13-10T00:00:00Z", timestamp_status::invalid_date, 0, "month 13"},
    {"2026-01-00T00:00:00Z", timestamp_status::invalid_date, 0, "day zero"},
    {"2026-01-32T00:00:00Z", timestamp_status::invalid_date, 0, "day 32"},
    {"2026-01-01T24:00:00Z", timestamp_status::invalid_date, 0, "hour 24"},
    {"2026-01-01T00:60:00Z", timestamp_status::invalid_date, 0, "minute 60"},
    {"2016-12-31T23:59:60Z", timestamp_status::invalid_date, 0,
     "leap second: Unix time cannot name it"},
    {"", timestamp_status::malformed, 0, "empty"},
    {"2026-04-17", timestamp_status::malformed, 0, "date only"},
    {"2026-04-17T22:00:01", timestamp_status::malformed, 0, "no zone"},
    {"2026-04-17T22:00:01.Z", timestamp_status::malformed, 0, "dot without digits"},
    {"2026-04-17 22:00:01Z", timestamp_status::malformed, 0, "space instead of T"},
    {"2026-4-17T22:00:01Z", timestamp_status::malformed, 0, "one-digit month"},
    {"2026-04-17T22:00:01+01:00", timestamp_status::malformed, 0, "not UTC"},
    {"2026-04-17T22:00:01-00:00", timestamp_status::malformed, 0, "unknown offset is not taken"},
    {"2026-04-17T22:00:01ZZ", timestamp_status::malformed, 0, "trailing byte"},
    {"2026-04-17T22:00:01Z ", timestamp_status::malformed, 0, "trailing space"},
    {" 2026-04-17T22:00:01Z", timestamp_status::malformed, 0, "leading space"},
    {"2026/04/17T22:00:01Z", timestamp_status::malformed, 0, "slashes"},
    {"2026-04-17T22.00.01Z", timestamp_status::malformed, 0, "dots in the time"},
    {"+2026-04-17T22:00:01Z", timestamp_status::malformed, 0, "signed year"},
    {"2026-04-17T22:00:01,5Z", timestamp_status::malformed, 0, "comma fraction"},
    {"2026-04-17T22:00:01.5x", timestamp_status::malformed, 0, "bad zone after fraction"},
    {"2026-04-17T2a:00:01Z", timestamp_status::malformed, 0, "letter in the hour"},
    {"1776463201", timestamp_status::malformed, 0, "epoch seconds"},
};

TEST(json_timestamp, parses_every_case_of_the_table) {
    for (const parse_case& c : parse_cases) {
        ef::test::guarded_buffer g{std::string_view(c.text)};
        int64_t out = 777;
        const timestamp_status st = parse_timestamp_ns(g.view(), out);
        EXPECT_EQ(st, c.status) << c.text << ": " << c.why;
        if (c.status == timestamp_status::ok || c.status == timestamp_status::excess_precision)
            EXPECT_EQ(out, c.ns) << c.text << ": " << c.why;
        else
            EXPECT_EQ(out, 777) << c.text << ": out must be untouched";
    }
}

TEST(json_timestamp, rejects_every_proper_prefix_of_a_valid_timestamp) {
    for (const char* t : {"2026-04-17T22:00:01.234567891Z", "2026-04-17T22:00:01.234+00:00"}) {
        test::for_every_proper_prefix(t, [&](std::string_view in, size_t n) {
            int64_t out = 0;
            EXPECT_NE(parse_timestamp_ns(in, out), timestamp_status::ok) << n;
        });
    }
}

TEST(json_timestamp, days_from_civil_counts_leap_years) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(days_from_civil(1972, 3, 1) - days_from_civil(1972, 2, 28), 2); // leap
    EXPECT_EQ(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1); // not leap
    EXPECT_EQ(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2); // leap
    EXPECT_EQ(days_from_civil(2001, 1, 1) - days_from_civil(2000, 1, 1), 366);
    EXPECT_EQ(days_from_civil(2400, 1, 1) - days_from_civil(2000, 1, 1), 146097); // one era
}

struct format_case {
    int64_t ns;
    const char* text;
};

const format_case format_cases[] = {
    {0, "1970-01-01T00:00:00.000Z"},
    {1776463201234000000, "2026-04-17T22:00:01.234Z"},
    {1776463201234567000, "2026-04-17T22:00:01.234567Z"},
    {1776463201234567891, "2026-04-17T22:00:01.234567891Z"},
    {1776463201000000000, "2026-04-17T22:00:01.000Z"},
    {1776463201000001000, "2026-04-17T22:00:01.000001Z"},
    {-1, "1969-12-31T23:59:59.999999999Z"},
    {-1000000, "1969-12-31T23:59:59.999Z"},
    {i64_max, "2262-04-11T23:47:16.854775807Z"},
    {i64_min, "1677-09-21T00:12:43.145224192Z"},
    {951782400000000000, "2000-02-29T00:00:00.000Z"},
};

TEST(json_timestamp, formats_with_the_fewest_of_3_6_9_digits_that_are_exact) {
    for (const format_case& c : format_cases) {
        char buf[timestamp_max_chars];
        const size_t n = format_timestamp_ns(c.ns, buf);
        EXPECT_EQ(std::string_view(buf, n), c.text) << c.ns;
    }
}

TEST(json_timestamp, format_returns_zero_when_the_buffer_is_too_small) {
    char buf[timestamp_max_chars];
    EXPECT_EQ(format_timestamp_ns(0, std::span<char>(buf, 23)), 0u);
    EXPECT_EQ(format_timestamp_ns(0, std::span<char>(buf, 24)), 24u);
    EXPECT_EQ(format_timestamp_ns(1, std::span<char>(buf, 29)), 0u);
}

TEST(json_timestamp, format_then_parse_gives_back_every_instant) {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 20000; ++i) {
        int64_t v = static_cast<int64_t>(rng());
        if (i % 3 == 0) v -= v % 1000000; // also milli- and microsecond values
        if (i % 3 == 1) v -= v % 1000;
        char buf[timestamp_max_chars];
        const size_t n = format_timestamp_ns(v, buf);
        ASSERT_GT(n, 0u);
        int64_t back = 0;
        ASSERT_EQ(parse_timestamp_ns(std::string_view(buf, n), back), timestamp_status::ok)
            << std::string_view(buf, n);
        ASSERT_EQ(back, v) << std::string_view(buf, n);
    }
}

TEST(json_timestamp, status_texts_are_short_names) {
    EXPECT_STREQ(to_string(timestamp_status::excess_precision), "excess_precision");
    EXPECT_STREQ(to_string(timestamp_status::invalid_date), "invalid_date");
}

} // namespace
} // namespace ef::json
