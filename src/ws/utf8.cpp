// UTF-8 validation for the WebSocket decoder: an ASCII fast path that checks
// 64 or 16 bytes at a time (8 without SSE2), and a small DFA over byte classes for the rest.
// Driven by message_decoder for every text frame, so it sits on the hot path.
#include "ws/utf8.hpp"

#include <array>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ef::ws {
namespace {

// Byte classes: the lead and continuation ranges of Unicode table 3-7
// ("Well-Formed UTF-8 Byte Sequences").
enum : uint8_t {
    c_ascii,   // 00..7F
    c_cont_lo, // 80..8F
    c_cont_mi, // 90..9F
    c_cont_hi, // A0..BF
    c_never,   // C0..C1 (overlong 2-byte), F5..FF (above U+10FFFF)
    c_lead2,   // C2..DF
    c_e0,      // E0: second byte A0..BF, else overlong
    c_lead3,   // E1..EC, EE..EF
    c_ed,      // ED: second byte 80..9F, else a surrogate
    c_f0,      // F0: second byte 90..BF, else overlong
    c_lead4,   // F1..F3
    c_f4,      // F4: second byte 80..8F, else above U+10FFFF
};
constexpr size_t n_classes = c_f4 + 1;

// States: how many continuation bytes are still owed, and for the second byte
// of E0/ED/F0/F4 sequences, which narrower range it must fall in.
enum : uint8_t {
    s_accept = utf8_validator::accept_state,
    s_need1,
    s_need2,
    s_need3,
    s_e0,
    s_ed,
    s_f0,
    s_f4,
    s_reject,
};
constexpr size_t n_states = s_reject + 1;

constexpr std::array<uint8_t, 256> make_classes() {
    std::array<uint8_t, 256> c{};
    for (int b = 0; b < 256; ++b) {
        uint8_t k = c_never;
        if (b <= 0x7F) k = c_ascii;
        else if (b <= 0x8F) k = c_cont_lo;
        else if (b <= 0x9F) k = c_cont_mi;
        else if (b <= 0xBF) k = c_cont_hi;
        else if (b <= 0xC1) k = c_never;
        else if (b <= 0xDF) k = c_lead2;
        else if (b == 0xE0) k = c_e0;
        else if (b == 0xED) k = c_ed;
        else if (b <= 0xEF) k = c_lead3;
        else if (b == 0xF0) k = c_f0;
        else if (b <= 0xF3) k = c_lead4;
        else if (b == 0xF4) k = c_f4;
        c[static_cast<size_t>(b)] = k;
    }
    return c;
}

constexpr std::array<uint8_t, n_states * n_classes> make_transitions() {
    std::array<uint8_t, n_states * n_classes> t{};
    for (auto& x : t) x = s_reject;
    auto set = [&t](uint8_t from, uint8_t cls, uint8_t to) { t[from * n_classes + cls] = to; };
    set(s_accept, c_ascii, s_accept);
    set(s_accept, c_lead2, s_need1);
    set(s_accept, c_e0, s_e0);
    set(s_accept, c_lead3, s_need2);
    set(s_accept, c_ed, s_ed);
    set(s_accept, c_f0, s_f0);
    set(s_accept, c_lead4, s_need3);
    set(s_accept, c_f4, s_f4);
    for (uint8_t cls : {c_cont_lo, c_cont_mi, c_cont_hi}) {
        set(s_need1, cls, s_accept);
        set(s_need2, cls, s_need1);
        set(s_need3, cls, s_need2);
    }
    set(s_e0, c_cont_hi, s_need1);
    set(s_ed, c_cont_lo, s_need1);
    set(s_ed, c_cont_mi, s_need1);
    set(s_f0, c_cont_mi, s_need2);
    set(s_f0, c_cont_hi, s_need2);
    set(s_f4, c_cont_lo, s_need2);
    return t;
}

constexpr std::array<uint8_t, 256> byte_class = make_classes();
constexpr std::array<uint8_t, n_states * n_classes> transition = make_transitions();

// First byte at or after p that is not ASCII, or end; begin..p has been
// validated already (it may hold multi-byte sequences). JSON is almost all
// ASCII, so this is where a text message spends its validation time: 64
// bytes a step, then 16, and the last partial 16 as one load that overlaps
// bytes already validated, whose bits are then dropped from the mask (when
// the span is long enough to allow it: never reading before begin or past end).
inline const uint8_t* skip_ascii(const uint8_t* begin, const uint8_t* p,
                                 const uint8_t* end) noexcept {
#if defined(__SSE2__)
    auto load = [](const uint8_t* at) {
        return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    };
    if (end - begin >= 16) {
        while (end - p >= 64) {
            const __m128i any = _mm_or_si128(_mm_or_si128(load(p), load(p + 16)),
                                             _mm_or_si128(load(p + 32), load(p + 48)));
            if (_mm_movemask_epi8(any) != 0) break;
            p += 64;
        }
        while (end - p >= 16) {
            const int m = _mm_movemask_epi8(load(p));
            if (m != 0) return p + std::countr_zero(static_cast<unsigned>(m));
            p += 16;
        }
        if (p == end) return end;
        const uint8_t* const last = end - 16;
        const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(load(last))) >> (p - last);
        return m != 0 ? p + std::countr_zero(m) : end;
    }
#endif
    constexpr uint64_t high_bits = 0x8080808080808080ull;
    while (end - p >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        if (w & high_bits) return p + std::countr_zero(w & high_bits) / 8;
        p += 8;
    }
    while (p != end && *p < 0x80) ++p;
    return p;
}

} // namespace

bool utf8_validator::feed(std::span<const uint8_t> bytes) noexcept {
    const uint8_t* const begin = bytes.data();
    const uint8_t* const end = begin + bytes.size();
    const uint8_t* p = begin;
    uint8_t s = state_;
    while (p != end) {
        if (s == s_accept) {
            p = skip_ascii(begin, p, end);
            if (p == end) break;
        }
        s = transition[s * n_classes + byte_class[*p++]];
        if (s == s_reject) [[unlikely]]
            break;
    }
    state_ = s;
    return s != s_reject;
}

bool utf8_validator::is_valid(std::span<const uint8_t> bytes) noexcept {
    utf8_validator v;
    return v.feed(bytes) && v.at_boundary();
}

} // namespace ef::ws
