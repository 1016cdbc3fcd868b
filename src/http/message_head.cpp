// Shared HTTP/1.1 head machinery (see message_head.hpp). Runs on the
// connection's thread inside response_parser::feed and request_parser::feed.
#include "http/message_head.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#if defined(__SSSE3__)
#include <tmmintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/check.hpp"

namespace ef::http::detail {

const char* const too_many_headers = "too many headers";

// Handles the LF at in[j]: a bare LF or the blank line ends the feed (true);
// any other line end is noted and the scan goes on.
bool head_reader::on_lf(const char* in, size_t j, step& result, size_t& consumed) noexcept {
    const size_t at = len_ + j; // where this LF sits in the head
    const char prev = j > 0 ? in[j - 1] : (len_ > 0 ? buf_[len_ - 1] : '\0');
    if (prev != '\r') [[unlikely]] {
        consumed = j;
        result = step::bare_lf;
        return true;
    }
    if (at - 1 == line_start_) { // a line holding only CRLF ends the head
        std::memcpy(buf_ + len_, in, j + 1);
        len_ += j + 1;
        consumed = j + 1;
        result = step::complete;
        return true;
    }
    line_start_ = at + 1;
    return false;
}

head_reader::step head_reader::feed(std::string_view in, size_t& consumed) noexcept {
    const size_t avail = std::min(in.size(), cap_ - len_);
    const char* p = in.data();
    size_t i = 0;
    step result;
#if defined(__SSE2__)
    // Sixteen bytes per step, one bit per LF: a head has a dozen short
    // lines, and a memchr call per line cost more than the search itself.
    const __m128i lf = _mm_set1_epi8('\n');
    for (; i + 16 <= avail; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        for (unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf))); m;
             m &= m - 1)
            if (on_lf(p, i + static_cast<unsigned>(__builtin_ctz(m)), result, consumed))
                return result;
    }
#endif
    for (; i < avail; ++i)
        if (p[i] == '\n' && on_lf(p, i, result, consumed)) return result;
    if (avail) std::memcpy(buf_ + len_, p, avail);
    len_ += avail;
    consumed = avail;
    return len_ == cap_ ? step::too_large : step::need_more;
}

namespace {

// Calls f(element) for each non-empty, OWS-trimmed element of a
// comma-separated list (RFC 9110 5.6.1 lets senders leave empty elements).
template <typename F>
void for_each_element(std::string_view list, F&& f) noexcept {
    while (!list.empty()) {
        const size_t comma = list.find(',');
        std::string_view el = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        while (!el.empty() && is_ows(el.front()))
            el.remove_prefix(1);
        while (!el.empty() && is_ows(el.back()))
            el.remove_suffix(1);
        if (!el.empty()) f(el);
    }
}

// Case-insensitive match of a header name (already checked to be a token)
// against a lower-case name made of letters and '-', eight bytes per step.
// OR-ing 0x20 into each byte lowers A-Z and changes no other byte into a
// letter; the only other byte it maps onto '-' is CR, which a token cannot
// hold. iequals() costs a compare loop per byte.
bool name_is(std::string_view name, std::string_view lower) noexcept {
    const size_t n = lower.size();
    if (name.size() != n) return false;
    auto load = [](const char* p, size_t k) {
        uint64_t w = 0;
        std::memcpy(&w, p, k);
        return w;
    };
    constexpr uint64_t spaces = 0x2020202020202020u;
    if (n < 8) {
        const uint64_t mask = (uint64_t{1} << (8 * n)) - 1;
        return ((load(name.data(), n) | spaces) & mask) == load(lower.data(), n);
    }
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        if ((load(name.data() + i, 8) | spaces) != load(lower.data() + i, 8)) return false;
    // The last, partial word overlaps the previous one.
    return i == n || (load(name.data() + n - 8, 8) | spaces) == load(lower.data() + n - 8, 8);
}

// Records what RFC 9112 6 needs from the headers that decide framing and
// connection reuse. Dispatches on the name's length so most headers cost one
// switch.
const char* note_framing(const header& h, framing& f) noexcept {
    switch (h.name.size()) {
    case 4:
        if (name_is(h.name, "host")) ++f.host_headers;
        break;
    case 10:
        if (name_is(h.name, "connection")) {
            for_each_element(h.value, [&](std::string_view option) {
                f.connection_close |= iequals(option, "close");
                f.connection_keep_alive |= iequals(option, "keep-alive");
            });
        }
        break;
    case 14:
        if (name_is(h.name, "content-length")) {
            int64_t n = 0;
            if (const char* why = parse_content_length(h.value, n)) return why;
            // RFC 9112 6.3 item 5: differing lengths make the framing unknowable.
            if (f.content_length >= 0 && f.content_length != n)
                return "conflicting Content-Length headers";
            f.content_length = n;
        }
        break;
    case 17:
        if (name_is(h.name, "transfer-encoding")) {
            ++f.te_headers;
            for_each_element(h.value, [&](std::string_view coding) {
                ++f.te_codings;
                if (iequals(coding, "chunked")) f.te_chunked = true;
            });
        }
        break;
    default:
        break;
    }
    return nullptr;
}

} // namespace

static_assert(std::endian::native == std::endian::little,
              "find_non_field_char reads lanes low first");

const char* find_non_field_char(const char* p, const char* end) noexcept {
    // Eight bytes at a time. A byte below 0x20 or equal to 0x7f sets the high
    // bit of its lane in `hit` (Bit Twiddling Hacks' hasless and haszero;
    // bytes from 0x80 are obs-text and allowed). Lanes above the first hit
    // may be false alarms from borrows, but the lowest set lane is always a
    // real one, and that is all we look at. HTAB is the one such byte a value
    // may hold: step over it and go on.
    constexpr uint64_t ones = 0x0101010101010101u;
    constexpr uint64_t highs = 0x8080808080808080u;
    while (end - p >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        const uint64_t del = w ^ (ones * 0x7f);
        const uint64_t hit = ((w - ones * 0x20) & ~w & highs) | ((del - ones) & ~del & highs);
        if (hit == 0) {
            p += 8;
            continue;
        }
        p += static_cast<unsigned>(__builtin_ctzll(hit)) / 8; // little-endian: lowest lane first
        if (*p != '\t') return p;
        ++p;
    }
    while (p < end && is_field_char(*p))
        ++p;
    return p;
}

#if defined(__SSSE3__)
// tchar as two 16-entry tables for PSHUFB (simdjson classifies bytes this
// way): byte c is a tchar iff lo[c & 15] & hi[c >> 4] != 0. hi gives each
// high nibble 0-7 its own bit (and 8-15 none: no tchar is above 0x7f); lo
// sets, for each low nibble, the bits of the high nibbles that make a tchar.
struct nibble_tables {
    uint8_t lo[16];
    uint8_t hi[16];
};
consteval nibble_tables make_tchar_nibbles() {
    nibble_tables t{};
    for (int h = 0; h < 8; ++h)
        t.hi[h] = static_cast<uint8_t>(1 << h);
    for (int c = 0; c < 128; ++c)
        if (tchar_table.v[c]) t.lo[c & 15] = static_cast<uint8_t>(t.lo[c & 15] | 1 << (c >> 4));
    return t;
}
alignas(16) constexpr nibble_tables tchar_nibbles = make_tchar_nibbles();
#endif

const char* skip_tchars(const char* p, const char* end) noexcept {
#if defined(__SSSE3__)
    const __m128i lo = _mm_load_si128(reinterpret_cast<const __m128i*>(tchar_nibbles.lo));
    const __m128i hi = _mm_load_si128(reinterpret_cast<const __m128i*>(tchar_nibbles.hi));
    const __m128i low4 = _mm_set1_epi8(0x0f);
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i class_lo = _mm_shuffle_epi8(lo, _mm_and_si128(v, low4));
        const __m128i class_hi = _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(v, 4), low4));
        const __m128i none = _mm_cmpeq_epi8(_mm_and_si128(class_lo, class_hi), _mm_setzero_si128());
        const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(none));
        if (m != 0) return p + __builtin_ctz(m);
        p += 16;
    }
#else
    (void)end;
#endif
    while (is_tchar(*p))
        ++p;
    return p;
}

// RFC 9112 5: field-line = field-name ":" OWS field-value OWS, the name a
// token with nothing between it and the colon (5.1), no obs-fold (5.2).
// One pass per line: the value scan stops at the first byte that is not a
// field byte, which must be the CR of the line's CRLF, so no separate search
// for line ends is needed. head_reader guarantees the head ends in
// "\r\n\r\n" and every LF follows a CR, so scans stop before `end`.
const char* parse_fields(std::string_view fields, header* headers, size_t max_headers,
                         size_t& count, framing& f) noexcept {
    count = 0;
    const char* p = fields.data();
    const char* const end = p + fields.size();
    for (;;) {
        EF_ASSERT(end - p >= 2);
        if (p[0] == '\r' && p[1] == '\n') return nullptr; // the blank line ending the head
        if (count == max_headers) return too_many_headers;
        const char* const name = p;
        p = skip_tchars(p, end);
        if (*p != ':') {
            if (is_ows(*p))
                return p == name ? "obs-fold (header line starting with whitespace)"
                                 : "whitespace between header name and colon";
            return *p == '\r' && p[1] == '\n' ? "header line without a colon"
                                              : "invalid character in header name";
        }
        if (p == name) return "empty header name";
        header& h = headers[count++];
        h.name = {name, static_cast<size_t>(p - name)};
        ++p;
        while (is_ows(*p))
            ++p;
        const char* const value = p;
        p = find_non_field_char(p, end);
        if (p[0] != '\r' || p[1] != '\n') [[unlikely]]
            return "invalid character in header value";
        const char* ve = p;
        while (ve > value && is_ows(ve[-1]))
            --ve;
        h.value = {value, static_cast<size_t>(ve - value)};
        p += 2;
        if (const char* why = note_framing(h, f)) return why;
    }
}

const char* parse_content_length(std::string_view value, int64_t& out) noexcept {
    if (value.empty()) return "empty Content-Length";
    int64_t n = 0;
    for (char c : value) {
        if (!is_digit(c)) return "Content-Length not a decimal number";
        const int d = c - '0';
        if (n > (INT64_MAX - d) / 10) return "Content-Length overflows";
        n = n * 10 + d;
    }
    out = n;
    return nullptr;
}

void error_text::set(const char* prefix, uint64_t n, const char* suffix) noexcept {
    char* out = buf_;
    char* const end = buf_ + sizeof buf_ - 1;
    auto put = [&](std::string_view s) {
        const size_t k = std::min(s.size(), static_cast<size_t>(end - out));
        std::memcpy(out, s.data(), k);
        out += k;
    };
    put(prefix);
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, n);
    put({digits, static_cast<size_t>(r.ptr - digits)});
    put(suffix);
    *out = '\0';
    formatted_ = true;
}

} // namespace ef::http::detail
