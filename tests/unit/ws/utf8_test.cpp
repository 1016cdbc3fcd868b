// utf8_validator: a table of well-formed and ill-formed sequences fed whole,
// split anywhere and byte by byte; exhaustive code point checks; and random
// inputs compared against a slow reference decoder written from Unicode
// table 3-7.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/support/guarded_buffer.hpp"
#include "ws/utf8.hpp"

namespace ef::ws {
namespace {

using bytes = std::vector<uint8_t>;

bytes B(std::string_view s) { return bytes(s.begin(), s.end()); }

// The reference: decode one code point at a time the obvious way.
bool reference_valid(const bytes& b) {
    size_t i = 0;
    while (i < b.size()) {
        const uint8_t c = b[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > b.size()) return false;
        for (size_t k = 1; k < len; ++k) {
            if ((b[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (b[i + k] & 0x3F);
        }
        const uint32_t min_cp = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

bytes encode(uint32_t cp) {
    if (cp < 0x80) return {static_cast<uint8_t>(cp)};
    if (cp < 0x800) return {static_cast<uint8_t>(0xC0 | cp >> 6), static_cast<uint8_t>(0x80 | (cp & 0x3F))};
    if (cp < 0x10000)
        return {static_cast<uint8_t>(0xE0 | cp >> 12), static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F)),
                static_cast<uint8_t>(0x80 | (cp & 0x3F))};
    return {static_cast<uint8_t>(0xF0 | cp >> 18), static_cast<uint8_t>(0x80 | ((cp >> 12) & 0x3F)),
            static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F)), static_cast<uint8_t>(0x80 | (cp & 0x3F))};
}

// Validity of the whole text, however it is cut: whole, two pieces at every
// split, byte by byte. Each piece ends on a guard page.
void expect_verdict(const bytes& b, bool valid, const std::string& why) {
    SCOPED_TRACE(why);
    {
        ef::test::guarded_buffer g{b};
        utf8_validator v;
        EXPECT_EQ(v.feed(g.span()) && v.at_boundary(), valid) << "whole";
        EXPECT_EQ(utf8_validator::is_valid(g.span()), valid);
    }
    for (size_t k = 1; k < b.size(); ++k) {
        ef::test::guarded_buffer g1{std::span<const uint8_t>(b.data(), k)};
        ef::test::guarded_buffer g2{std::span<const uint8_t>(b.data() + k, b.size() - k)};
        utf8_validator v;
        const bool first = v.feed(g1.span());
        const bool ok = first && v.feed(g2.span()) && v.at_boundary();
        EXPECT_EQ(ok, valid) << "split at " << k;
    }
    utf8_validator v;
    bool ok = true;
    for (uint8_t c : b) {
        ef::test::guarded_buffer g{std::span<const uint8_t>(&c, 1)};
        ok = v.feed(g.span()) && ok;
    }
    EXPECT_EQ(ok && v.at_boundary(), valid) << "byte at a time";
}

TEST(ws_utf8, accepts_well_formed_and_rejects_ill_formed_sequences_however_split) {
    struct row {
        std::string_view in;
        bool valid;
        const char* why;
    };
    const row rows[] = {
        {"", true, "empty"},
        {"plain ASCII", true, "ASCII"},
        {"\x7F", true, "U+007F, largest 1-byte"},
        {"\xC2\x80", true, "U+0080, smallest 2-byte"},
        {"\xDF\xBF", true, "U+07FF, largest 2-byte"},
        {"\xE0\xA0\x80", true, "U+0800, smallest 3-byte"},
        {"\xED\x9F\xBF", true, "U+D7FF, just below the surrogates"},
        {"\xEE\x80\x80", true, "U+E000, just above the surrogates"},
        {"\xEF\xBF\xBF", true, "U+FFFF"},
        {"\xF0\x90\x80\x80", true, "U+10000, smallest 4-byte"},
        {"\xF4\x8F\xBF\xBF", true, "U+10FFFF, largest code point"},
        {"\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5", true, "Greek kosme"},
        {"\xC0\x80", false, "overlong NUL"},
        {"\xC1\xBF", false, "overlong U+007F"},
        {"\xE0\x80\x80", false, "overlong 3-byte NUL"},
        {"\xE0\x9F\xBF", false, "overlong U+07FF"},
        {"\xF0\x80\x80\x80", false, "overlong 4-byte NUL"},
        {"\xF0\x8F\xBF\xBF", false, "overlong U+FFFF"},
        {"\xED\xA0\x80", false, "U+D800"},
        {"\xED\xAF\xBF", false, "U+DBFF"},
        {"\xED\xB0\x80", false, "U+DC00"},
        {"\xED\xBF\xBF", false, "U+DFFF"},
        {"\xED\xA0\x80\xED\xB0\x80", false, "surrogate pair encoded as CESU-8"},
        {"\xF4\x90\x80\x80", false, "U+110000"},
        {"\xF5\x80\x80\x80", false, "lead F5"},
        {"\xF7\xBF\xBF\xBF", false, "lead F7"},
        {"\xF8\x88\x80\x80\x80", false, "5-byte form"},
        {"\xFC\x84\x80\x80\x80\x80", false, "6-byte form"},
        {"\xFE", false, "FE"},
        {"\xFF", false, "FF"},
        {"\x80", false, "lone continuation"},
        {"\xBF", false, "lone continuation BF"},
        {"a\x80\x80", false, "continuations after ASCII"},
        {"\xC2", false, "2-byte lead at the end"},
        {"\xE2\x82", false, "3-byte sequence cut short"},
        {"\xF0\x9F\x98", false, "4-byte sequence cut short"},
        {"\xC2\x41", false, "lead then ASCII"},
        {"\xE2\x28\xA1", false, "3-byte with a bad second byte"},
        {"\xE2\x82\x28", false, "3-byte with a bad third byte"},
        {"\xF0\x28\x8C\xBC", false, "4-byte with a bad second byte"},
        {"\xF0\x90\x28\xBC", false, "4-byte with a bad third byte"},
        {"\xF0\x90\x8C\x28", false, "4-byte with a bad fourth byte"},
    };
    for (const row& r : rows) expect_verdict(B(r.in), r.valid, r.why);
}

TEST(ws_utf8, finds_a_bad_byte_at_every_position_of_an_ascii_run) {
    // Covers each stage of the ASCII fast path (32, 16, 8 bytes, then single).
    for (size_t len = 1; len <= 80; ++len) {
        for (size_t pos = 0; pos < len; ++pos) {
            bytes b(len, 'x');
            b[pos] = 0xFF;
            ef::test::guarded_buffer g{b};
            utf8_validator v;
            ASSERT_FALSE(v.feed(g.span())) << "len " << len << " pos " << pos;
        }
        bytes good(len, 'y');
        ef::test::guarded_buffer g{good};
        ASSERT_TRUE(utf8_validator::is_valid(g.span())) << len;
    }
}

TEST(ws_utf8, checks_multi_byte_characters_between_ascii_runs_of_every_length) {
    // The fast path resumes after each multi-byte character; its last load may
    // overlap bytes the DFA has already taken.
    const std::string_view chars[] = {"\xC3\xBC", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
    for (std::string_view c : chars) {
        for (size_t before = 0; before <= 40; ++before) {
            for (size_t after = 0; after <= 70; ++after) {
                std::string s = std::string(before, 'a') + std::string(c) + std::string(after, 'b');
                ef::test::guarded_buffer good{s};
                ASSERT_TRUE(utf8_validator::is_valid(good.span())) << before << " " << after;
                s += std::string(c.substr(0, c.size() - 1)) + std::string(after, 'c');
                ef::test::guarded_buffer cut{s};
                ASSERT_FALSE(utf8_validator::is_valid(cut.span())) << before << " " << after;
            }
        }
    }
}

TEST(ws_utf8, accepts_every_scalar_value_and_rejects_every_surrogate) {
    for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        const bytes b = encode(cp);
        const bool scalar = cp < 0xD800 || cp > 0xDFFF;
        ASSERT_EQ(utf8_validator::is_valid(b), scalar) << std::hex << cp;
    }
}

TEST(ws_utf8, rejects_the_overlong_form_of_every_code_point_that_has_one) {
    for (uint32_t cp = 0; cp < 0x10000; ++cp) {
        // Encode cp in one more byte than it needs.
        bytes b;
        if (cp < 0x80) {
            b = {static_cast<uint8_t>(0xC0 | cp >> 6), static_cast<uint8_t>(0x80 | (cp & 0x3F))};
        } else if (cp < 0x800) {
            b = {0xE0, static_cast<uint8_t>(0x80 | cp >> 6), static_cast<uint8_t>(0x80 | (cp & 0x3F))};
        } else {
            b = {0xF0, static_cast<uint8_t>(0x80 | cp >> 12), static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F)),
                 static_cast<uint8_t>(0x80 | (cp & 0x3F))};
        }
        ASSERT_FALSE(utf8_validator::is_valid(b)) << std::hex << cp;
    }
}

TEST(ws_utf8, agrees_with_a_reference_decoder_on_random_input_split_at_random) {
    std::mt19937 rng(12345);
    // Bias towards bytes that form near-valid sequences, so most inputs are
    // interesting rather than failing on the first byte.
    const uint8_t interesting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1,
                                   0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3,
                                   0xF4, 0xF5, 0xFF};
    size_t valid_seen = 0;
    for (int trial = 0; trial < 200000; ++trial) {
        bytes b(rng() % 12);
        for (auto& x : b) {
            const uint32_t r = rng();
            x = (r & 3) == 0 ? static_cast<uint8_t>(r >> 8) : interesting[(r >> 8) % sizeof(interesting)];
        }
        // ASCII runs at random places, so the fast path hands over to the
        // DFA and back mid-input.
        for (int runs = static_cast<int>(rng() % 3); runs > 0; --runs)
            b.insert(b.begin() + static_cast<long>(rng() % (b.size() + 1)), rng() % 40, 'a');
        const bool want = reference_valid(b);
        valid_seen += want;
        utf8_validator v;
        size_t at = 0;
        bool ok = true;
        while (at < b.size()) {
            const size_t n = 1 + rng() % (b.size() - at);
            ok = v.feed(std::span<const uint8_t>(b.data() + at, n)) && ok;
            at += n;
        }
        ASSERT_EQ(ok && v.at_boundary(), want) << "trial " << trial;
    }
    EXPECT_GT(valid_seen, 10000u); // the generator did exercise the valid side
}

TEST(ws_utf8, stays_failed_until_reset) {
    utf8_validator v;
    const bytes bad = {0xFF};
    const bytes good = B("fine");
    EXPECT_FALSE(v.feed(bad));
    EXPECT_FALSE(v.feed(good));
    EXPECT_FALSE(v.feed({}));
    EXPECT_FALSE(v.at_boundary());
    v.reset();
    EXPECT_TRUE(v.feed(good));
    EXPECT_TRUE(v.at_boundary());
}

TEST(ws_utf8, is_not_at_a_boundary_inside_a_code_point) {
    utf8_validator v;
    const bytes first = {'a', 0xF0, 0x9F};
    const bytes rest = {0x98, 0x80};
    EXPECT_TRUE(v.feed(first));
    EXPECT_FALSE(v.at_boundary());
    EXPECT_TRUE(v.feed(rest));
    EXPECT_TRUE(v.at_boundary());
}

} // namespace
} // namespace ef::ws
