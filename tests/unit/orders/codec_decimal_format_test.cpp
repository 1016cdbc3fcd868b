// format_e9: the exact, shortest decimal text of an e9 value that every
// order body's numbers are written with. Checked by table, against the
// book output's formatter and by reading the text back exactly.
#include "json/decimal.hpp"
#include "orders/decimal_format.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace ef::orders {
namespace {

std::string text(int64_t v) {
    char buf[format_e9_room + 8];
    std::memset(buf, '#', sizeof buf);
    const size_t n = format_e9(buf, v);
    EXPECT_LE(n, format_e9_max_chars);
    EXPECT_EQ(buf[n], '#') << "no byte past the text (not even a NUL)";
    return {buf, n};
}

struct format_case {
    int64_t value;
    const char* text;
    const char* why;
};

const format_case format_cases[] = {
    {420'000'000, "0.42", "OpenMarkets max_price: trailing zeros trimmed"},
    {50'000'000'000, "50", "whole amount: no fraction, no point"},
    {-1'500'000'000, "-1.5", "negative"},
    {1, "0.000000001", "smallest step: leading fractional zeros kept, no exponent"},
    {-1, "-0.000000001", "smallest negative"},
    {0, "0", "zero, never -0"},
    {190'010'000'000, "190.01", "Connect Trade seed price"},
    {1'000'000'000, "1", "one"},
    {10'000'000'000, "10", "a power of ten keeps its zeros"},
    {100'000'000, "0.1", "a tenth"},
    {123'456'789, "0.123456789", "all nine fractional digits"},
    {99'999'999'999, "99.999999999", "digit pairs across the boundary"},
    {std::numeric_limits<int64_t>::max(), "9223372036.854775807", "int64 max"},
    {std::numeric_limits<int64_t>::min(), "-9223372036.854775808", "int64 min"},
};

TEST(format_e9, writes_the_shortest_exact_decimal) {
    for (const format_case& c : format_cases)
        EXPECT_EQ(text(c.value), c.text) << c.why;
}

TEST(format_e9, agrees_with_the_book_formatter_and_reads_back_exactly) {
    std::mt19937_64 rng(20261122);
    for (int i = 0; i < 200'000; ++i) {
        int64_t v = static_cast<int64_t>(rng());
        // Also small values and round ones, where trimming matters most.
        if (i % 3 == 1) v %= 1'000'000'000'000;
        if (i % 3 == 2) v = (v % 100'000) * static_cast<int64_t>(rng() % 2 ? 1'000'000 : 10'000);
        const std::string ours = text(v);
        char theirs[json::decimal_e9_max_chars];
        const size_t n = json::format_decimal_e9(v, theirs);
        ASSERT_EQ(ours, std::string(theirs, n)) << v;
        int64_t back = 0;
        ASSERT_EQ(json::parse_decimal_e9(ours, back), json::decimal_status::ok) << ours;
        ASSERT_EQ(back, v) << ours;
    }
}

} // namespace
} // namespace ef::orders
