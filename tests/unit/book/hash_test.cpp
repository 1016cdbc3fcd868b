// Tests for ef_hash64 (layout.h), the hash both the daemon and every consumer
// use to probe the shared index: they must agree bit for bit, so its values
// are pinned, and its fast word loads must equal the byte-by-byte definition.
#include "edgefeed/layout.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

// The definition, byte by byte (layout.h's portable branch).
uint64_t reference_hash64(const char* s, size_t n) {
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ static_cast<uint64_t>(n);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = 0;
        for (int b = 0; b < 8; ++b) w |= static_cast<uint64_t>(static_cast<uint8_t>(s[i + b])) << (8 * b);
        w *= UINT64_C(0x87C37B91114253D5);
        w = (w << 31) | (w >> 33);
        h ^= w;
        h = ((h << 27) | (h >> 37)) * 5 + 0x52DCE729;
    }
    uint64_t t = 0;
    for (int b = 0; i + static_cast<size_t>(b) < n; ++b)
        t |= static_cast<uint64_t>(static_cast<uint8_t>(s[i + b])) << (8 * b);
    h ^= t * UINT64_C(0x4CF5AD432745937F);
    h ^= h >> 33;
    h *= UINT64_C(0xFF51AFD7ED558CCD);
    h ^= h >> 33;
    h *= UINT64_C(0xC4CEB9FE1A85EC53);
    h ^= h >> 33;
    return h;
}

TEST(ef_hash64, equals_the_byte_by_byte_definition_at_every_length_and_alignment) {
    std::vector<char> buf(300);
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (char& c : buf) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = static_cast<char>(x); // high bytes too: no sign extension may leak in
    }
    for (size_t off = 0; off < 8; ++off)
        for (size_t n = 0; n <= EF_POSITION_HASH_MAX + 8; ++n)
            ASSERT_EQ(ef_hash64(buf.data() + off, n), reference_hash64(buf.data() + off, n))
                << "offset " << off << " length " << n;
}

TEST(ef_hash64, keeps_its_published_values) {
    // Consumers built against older headers probe with these values.
    const std::string h = "nba-1:moneyline:home:main:lakers:full";
    EXPECT_EQ(ef_hash64("", 0), reference_hash64("", 0));
    EXPECT_EQ(ef_hash64(h.data(), h.size()), UINT64_C(0x485debec0f6488db));
    EXPECT_EQ(ef_hash64("kalshi", 6), UINT64_C(0x2a5320359c32e61e));
}

} // namespace
