// Exact fixed-point conversion: every JSON number form the venue may send, the
// int64 limits, exactness at 1e-9, and the formatter the book output uses.
#include "tests/unit/json/test_util.hpp"
#include "json/decimal.hpp"
#include "json/scanner.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace ef::json {
namespace {

struct parse_case {
    const char* text;
    decimal_status status;
    int64_t value; // meaningful when status is ok
    const char* why;
};

constexpr int64_t i64_max = std::numeric_limits<int64_t>::max();
constexpr int64_t i64_min = std::numeric_limits<int64_t>::min();

const parse_case parse_cases[] = {
    {"0.49", decimal_status::ok, 490000000, "seed price"},
    {"4.9e-1", decimal_status::ok, 490000000, "exponent form of the same price"},
    {"4.9E-1", decimal_status::ok, 490000000, "upper-case exponent"},
    {"49e-2", decimal_status::ok, 490000000, "integer mantissa, negative exponent"},
    {"0.490", decimal_status::ok, 490000000, "trailing zero"},
    {"0.4900000000000", decimal_status::ok, 490000000, "trailing zeros past 1e-9 are exact"},
    {"5400", decimal_status::ok, 5400000000000, "seed size"},
    {"5400.0", decimal_status::ok, 5400000000000, "integer written with a fraction"},
    {"5.4e3", decimal_status::ok, 5400000000000, "positive exponent"},
    {"5.4e+3", decimal_status::ok, 5400000000000, "explicit plus in exponent"},
    {"54e2", decimal_status::ok, 5400000000000, "integer mantissa, positive exponent"},
    {"0", decimal_status::ok, 0, "zero"},
    {"-0", decimal_status::ok, 0, "negative zero is zero"},
    {"0.0", decimal_status::ok, 0, "zero with fraction"},
    {"0e0", decimal_status::ok, 0, "zero with exponent"},
    {"0e999999999999", decimal_status::ok, 0, "zero with a huge exponent is still zero"},
    {"0.000e-99999999999999999999", decimal_status::ok, 0, "zero with a huge negative exponent"},
    {"1e-9", decimal_status::ok, 1, "smallest unit"},
    {"0.000000001", decimal_status::ok, 1, "smallest unit, written out"},
    {"-0.000000001", decimal_status::ok, -1, "negative smallest unit"},
    {"1.5e-10", decimal_status::inexact, 0, "below 1e-9"},
    {"0.0000000001", decimal_status::inexact, 0, "ten fractional digits, last non-zero"},
    {"0.1234567891", decimal_status::inexact, 0, "tenth digit non-zero"},
    {"0.1234567890", decimal_status::ok, 123456789, "tenth digit zero"},
    {"123456789.123456789", decimal_status::ok, 123456789123456789, "nine and nine digits"},
    {"9223372036.854775807", decimal_status::ok, i64_max, "INT64_MAX exactly"},
    {"9223372036.854775808", decimal_status::out_of_range, 0, "INT64_MAX + 1"},
    {"-9223372036.854775808", decimal_status::ok, i64_min, "INT64_MIN exactly"},
    {"-9223372036.854775809", decimal_status::out_of_range, 0, "INT64_MIN - 1"},
    {"9223372036854775807e-9", decimal_status::ok, i64_max, "INT64_MAX as an integer mantissa"},
    {"9223372037", decimal_status::out_of_range, 0, "integer just above the range"},
    {"9223372036.8547758065", decimal_status::inexact, 0, "fraction just below INT64_MAX"},
    {"9223372036.8547758075", decimal_status::out_of_range, 0, "fraction just past INT64_MAX"},
    {"-9223372036.8547758075", decimal_status::inexact, 0, "fraction just inside INT64_MIN"},
    {"-9223372036.8547758085", decimal_status::out_of_range, 0, "fraction just past INT64_MIN"},
    {"1e10", decimal_status::out_of_range, 0, "1e10 * 1e9 does not fit"},
    {"1e9", decimal_status::ok, 1000000000000000000, "1e9 * 1e9 fits"},
    {"99999999999999999999999", decimal_status::out_of_range, 0, "many integer digits"},
    {"1e999999999999999999999", decimal_status::out_of_range, 0, "huge exponent"},
    {"1e-999999999999999999999", decimal_status::inexact, 0, "huge negative exponent"},
    {"123456789012345678901234567.5", decimal_status::out_of_range, 0,
     "out of range wins over inexact"},
    {"1000000000000000000000e-21", decimal_status::ok, 1000000000,
     "big mantissa, compensating exponent"},
    {"0.00000000100000000000000000", decimal_status::ok, 1, "long zero tail"},
    {"-5400", decimal_status::ok, -5400000000000, "negative integer"},
    {"1E+0", decimal_status::ok, 1000000000, "exponent +0"},
    {"10e-1", decimal_status::ok, 1000000000, "mantissa trailing zero cancels exponent"},
    {"9.2e9", decimal_status::ok, 9200000000000000000, "short exponent form near the top"},
    {"9.3e9", decimal_status::out_of_range, 0, "short exponent form past the top"},
    {"-9.3e9", decimal_status::out_of_range, 0, "short exponent form past the bottom"},
    {"5e-10", decimal_status::inexact, 0, "short exponent form below 1e-9"},
    {"50e-10", decimal_status::ok, 5, "short exponent form, exact after division"},
    {"1.0e-9", decimal_status::ok, 1, "fraction and exponent meet at 1e-9"},
    {"1e+05", decimal_status::ok, 100000000000000, "exponent with a leading zero"},
    {"1e005", decimal_status::ok, 100000000000000, "three exponent digits"},
    {"1e99", decimal_status::out_of_range, 0, "two exponent digits, far out"},
    {"0e99", decimal_status::ok, 0, "zero, two exponent digits"},
    {"0.000000000e-99", decimal_status::ok, 0, "zero with fraction and negative exponent"},
    {"123456789.123456789e-18", decimal_status::inexact, 0, "long mantissa shifted below 1e-9"},
    {"", decimal_status::not_a_number, 0, "empty"},
    {"-", decimal_status::not_a_number, 0, "sign only"},
    {"+1", decimal_status::not_a_number, 0, "JSON has no plus sign"},
    {"01", decimal_status::not_a_number, 0, "leading zero"},
    {"-01", decimal_status::not_a_number, 0, "negative leading zero"},
    {"00", decimal_status::not_a_number, 0, "double zero"},
    {"1.", decimal_status::not_a_number, 0, "dot without digits"},
    {".5", decimal_status::not_a_number, 0, "no integer part"},
    {"1e", decimal_status::not_a_number, 0, "exponent without digits"},
    {"1e+", decimal_status::not_a_number, 0, "signed exponent without digits"},
    {"1e-", decimal_status::not_a_number, 0, "signed exponent without digits"},
    {"1.5.2", decimal_status::not_a_number, 0, "two dots"},
    {"1,5", decimal_status::not_a_number, 0, "comma decimal separator"},
    {" 1", decimal_status::not_a_number, 0, "leading space"},
    {"1 ", decimal_status::not_a_number, 0, "trailing space"},
    {"0x10", decimal_status::not_a_number, 0, "hex"},
    {"NaN", decimal_status::not_a_number, 0, "not JSON"},
    {"Infinity", decimal_status::not_a_number, 0, "not JSON"},
    {"1e5.5", decimal_status::not_a_number, 0, "fractional exponent"},
    {"--1", decimal_status::not_a_number, 0, "double sign"},
    {"1_000", decimal_status::not_a_number, 0, "digit separator"},
    {"\"0.49\"", decimal_status::not_a_number, 0, "quotes are for parse_decimal_e9_token"},
};

TEST(json_decimal, parses_every_case_of_the_table_exactly) {
    for (const parse_case& c : parse_cases) {
        ef::test::guarded_buffer g{std::string_view(c.text)};
        int64_t out = 12345;
        const decimal_status st = parse_decimal_e9(g.view(), out);
        EXPECT_EQ(st, c.status) << c.text << ": " << c.why;
        if (c.status == decimal_status::ok)
            EXPECT_EQ(out, c.value) << c.text << ": " << c.why;
        else
            EXPECT_EQ(out, 12345) << c.text << ": out must be untouched on failure";
    }
}

TEST(json_decimal, never_reads_past_any_prefix_of_the_table_inputs) {
    for (const parse_case& c : parse_cases) {
        test::for_every_proper_prefix(c.text, [&](std::string_view in, size_t) {
            int64_t out = 0;
            (void)parse_decimal_e9(in, out);
        });
    }
}

TEST(json_decimal, token_form_accepts_bare_numbers_and_quoted_numbers) {
    int64_t out = 0;
    EXPECT_EQ(parse_decimal_e9_token("0.49", out), decimal_status::ok);
    EXPECT_EQ(out, 490000000);
    EXPECT_EQ(parse_decimal_e9_token("\"4.9e-1\"", out), decimal_status::ok);
    EXPECT_EQ(out, 490000000);
}

TEST(json_decimal, token_form_refuses_escapes_spaces_and_bad_quotes) {
    int64_t out = 0;
    EXPECT_EQ(parse_decimal_e9_token("\"\\u0030.5\"", out), decimal_status::not_a_number);
    EXPECT_EQ(parse_decimal_e9_token("\" 0.5\"", out), decimal_status::not_a_number);
    EXPECT_EQ(parse_decimal_e9_token("\"0.5", out), decimal_status::not_a_number);
    EXPECT_EQ(parse_decimal_e9_token("\"\"", out), decimal_status::not_a_number);
    EXPECT_EQ(parse_decimal_e9_token("\"", out), decimal_status::not_a_number);
    EXPECT_EQ(parse_decimal_e9_token("\"1.5e-10\"", out), decimal_status::inexact);
}

TEST(json_decimal, scan_stops_at_the_first_byte_after_the_number) {
    const struct {
        const char* text;
        size_t consumed;
        decimal_status status;
    } cases[] = {
        {"0.49,", 4, decimal_status::ok},
        {"5400}", 4, decimal_status::ok},
        {"4.9e-1 ", 6, decimal_status::ok},
        {"1.5e-10]", 7, decimal_status::inexact},
        {"1e30,", 4, decimal_status::out_of_range},
        {"0.1234567891234,", 15, decimal_status::inexact},
    };
    for (const auto& c : cases) {
        const std::string_view t(c.text);
        const char* p = t.data();
        int64_t out = 0;
        EXPECT_EQ(scan_decimal_e9(p, t.data() + t.size(), out), c.status) << c.text;
        EXPECT_EQ(static_cast<size_t>(p - t.data()), c.consumed) << c.text;
    }
}

TEST(json_decimal, scan_reports_where_the_grammar_failed) {
    const struct {
        const char* text;
        size_t at;
    } cases[] = {{"01", 1}, {"1.x", 2}, {"1e}", 2}, {"-a", 1}, {"1.", 2}, {"-", 1}};
    for (const auto& c : cases) {
        const std::string_view t(c.text);
        const char* p = t.data();
        int64_t out = 0;
        EXPECT_EQ(scan_decimal_e9(p, t.data() + t.size(), out), decimal_status::not_a_number)
            << c.text;
        EXPECT_EQ(static_cast<size_t>(p - t.data()), c.at) << c.text;
    }
}

struct format_case {
    int64_t value;
    const char* text;
};

const format_case format_cases[] = {
    {490000000, "0.49"},
    {5400000000000, "5400"},
    {-1, "-0.000000001"},
    {1, "0.000000001"},
    {0, "0"},
    {1000000000, "1"},
    {-1000000000, "-1"},
    {123456789123456789, "123456789.123456789"},
    {100000000, "0.1"},
    {i64_max, "9223372036.854775807"},
    {i64_min, "-9223372036.854775808"},
    {-490000000, "-0.49"},
    {2100500000000, "2100.5"},
};

TEST(json_decimal, formats_the_shortest_exact_text) {
    for (const format_case& c : format_cases) {
        char buf[decimal_e9_max_chars];
        const size_t n = format_decimal_e9(c.value, buf);
        EXPECT_EQ(std::string_view(buf, n), c.text) << c.value;
    }
}

TEST(json_decimal, format_returns_zero_when_the_buffer_is_too_small) {
    char buf[4];
    EXPECT_EQ(format_decimal_e9(490000000, std::span<char>(buf, 3)), 0u); // "0.49" needs 4
    EXPECT_EQ(format_decimal_e9(490000000, std::span<char>(buf, 4)), 4u);
}

TEST(json_decimal, format_then_parse_gives_back_every_value) {
    std::mt19937_64 rng(7);
    std::vector<int64_t> values = {i64_min, i64_max, 0, 1, -1, i64_min + 1, i64_max - 1};
    for (int i = 0; i < 20000; ++i) {
        int64_t v = static_cast<int64_t>(rng());
        v >>= rng() % 63; // all magnitudes
        values.push_back(v);
    }
    for (const int64_t v : values) {
        char buf[decimal_e9_max_chars];
        const size_t n = format_decimal_e9(v, buf);
        ASSERT_GT(n, 0u);
        int64_t back = 0;
        ASSERT_EQ(parse_decimal_e9(std::string_view(buf, n), back), decimal_status::ok)
            << std::string_view(buf, n);
        ASSERT_EQ(back, v) << std::string_view(buf, n);
    }
}

TEST(json_decimal, equal_values_in_every_number_form_parse_equal) {
    // 12.5 in mantissa/exponent forms: m * 10^e for every split that is exact.
    const char* forms[] = {"12.5",       "125e-1",   "1.25e1", "1.25E+1",
                           "0.125e2",    "12500e-3", "12.50",  "1250000000000e-11",
                           "0.0000125e6"};
    for (const char* f : forms) {
        int64_t out = 0;
        EXPECT_EQ(parse_decimal_e9(f, out), decimal_status::ok) << f;
        EXPECT_EQ(out, 12500000000) << f;
    }
}

TEST(json_decimal, status_texts_are_short_names) {
    EXPECT_STREQ(to_string(decimal_status::ok), "ok");
    EXPECT_STREQ(to_string(decimal_status::not_a_number), "not_a_number");
    EXPECT_STREQ(to_string(decimal_status::inexact), "inexact");
    EXPECT_STREQ(to_string(decimal_status::out_of_range), "out_of_range");
}

} // namespace
} // namespace ef::json
