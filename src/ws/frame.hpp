// The RFC 6455 wire vocabulary that the decoder (frame_parser.hpp) and the
// encoder (frame_writer.hpp) share: opcodes, roles, close codes and masking.
// Pure and header-only so the masking loop inlines into both hot paths.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ef::ws {

// RFC 6455 5.2. Other values (3-7, 11-15) are reserved and never valid here.
enum class opcode : uint8_t {
    continuation = 0,
    text = 1,
    binary = 2,
    close = 8,
    ping = 9,
    pong = 10,
};

// Which end of the connection this side is. RFC 6455 5.1: a client masks every
// frame it sends and receives only unmasked frames; a server the reverse.
enum class role : uint8_t { client, server };

// RFC 6455 5.5: control frames carry at most 125 payload bytes.
inline constexpr size_t max_control_payload = 125;

// Close codes this codebase sends or reports (RFC 6455 7.4.1).
namespace close_code {
inline constexpr uint16_t normal = 1000;
inline constexpr uint16_t going_away = 1001;
inline constexpr uint16_t protocol_error = 1002;
inline constexpr uint16_t no_status = 1005; // never on the wire: "close frame had no body"
inline constexpr uint16_t invalid_payload = 1007;
inline constexpr uint16_t message_too_big = 1009;
inline constexpr uint16_t internal_error = 1011;
} // namespace close_code

// Whether a close frame may carry this code. RFC 6455 7.4.1/7.4.2: 0-999 are
// unused; 1004 is reserved; 1005, 1006 and 1015 are for reporting only and
// never sent; of 1016-2999 (reserved for the RFC and its extensions) only the
// IANA-registered 1012-1014 are defined; 3000-3999 (registered) and 4000-4999
// (private use) are open; nothing above 4999 is defined.
constexpr bool is_valid_wire_close_code(uint16_t code) noexcept {
    if (code >= 3000) return code <= 4999;
    if (code < 1000 || code > 1014) return false;
    return code != 1004 && code != 1005 && code != 1006;
}

namespace detail {

static_assert(std::endian::native == std::endian::little,
              "the masking word trick below assumes a little-endian host");

// XORs n bytes with the masking key (RFC 6455 5.3), as if the first of them
// were byte `offset` of the frame's payload, so a payload that arrives in
// pieces is unmasked piece by piece. `key_mem` is the key's four wire bytes
// loaded as they lie in memory. Any alignment of p: loads and stores go
// through memcpy / unaligned intrinsics.
inline void xor_mask(uint8_t* p, size_t n, uint32_t key_mem, uint64_t offset) noexcept {
    const unsigned shift = static_cast<unsigned>(offset & 3) * 8;
    // Byte j of the rotated key is wire key byte (offset + j) % 4.
    const uint32_t k = shift ? (key_mem >> shift) | (key_mem << (32 - shift)) : key_mem;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i k128 = _mm_set1_epi32(static_cast<int>(k));
    for (; i + 32 <= n; i += 32) {
        __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p + i), _mm_xor_si128(a, k128));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p + i + 16), _mm_xor_si128(b, k128));
    }
#endif
    const uint64_t k64 = (static_cast<uint64_t>(k) << 32) | k;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        w ^= k64;
        std::memcpy(p + i, &w, 8);
    }
    // i is a multiple of 8 here, so i & 3 indexes the rotated key directly.
    for (; i < n; ++i)
        p[i] ^= static_cast<uint8_t>(k >> ((i & 3) * 8));
}

// The wire key as a number, most significant byte first on the wire
// (0x37fa213d is sent as 37 fa 21 3d, as in RFC 6455 5.7).
constexpr uint32_t key_to_mem(uint32_t mask_key) noexcept {
    return __builtin_bswap32(mask_key);
}

} // namespace detail

// Masks (or unmasks: XOR is its own inverse) bytes in place as payload bytes
// offset .. offset + bytes.size() - 1 of a frame masked with mask_key, written
// most significant byte first on the wire. Lets a caller build a payload in
// place behind a header from encode_frame_header() and mask it there, in as
// many pieces as it likes.
inline void mask_in_place(std::span<uint8_t> bytes, uint32_t mask_key, uint64_t offset) noexcept {
    detail::xor_mask(bytes.data(), bytes.size(), detail::key_to_mem(mask_key), offset);
}

} // namespace ef::ws
