// The body writer behind the order request writers: copies a body's constant
// parts (literals, by memcpy) and formats only its variable fields (escaped
// strings, exact e9 numbers) into a caller buffer. Used by om_request.cpp and
// ct_request.cpp on the order loop; never allocates, never writes past the
// buffer, and reports a body that did not fit as 0 bytes (never a partial one).
#pragma once

#include "json/scanner.hpp" // escape_json_string
#include "orders/decimal_format.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace ef::orders::detail {

// The text of a fixed char array of the C ABI: up to its first NUL, or all of
// it (check_request refuses the latter before anything is written).
template <size_t N>
inline std::string_view c_field(const char (&a)[N]) noexcept {
    return {a, strnlen(a, N)};
}

class json_out {
public:
    explicit json_out(std::span<char> out) noexcept
        : begin_(out.data()), p_(out.data()), end_(out.data() + out.size()) {}

    // A literal: the compiler knows its length, so this is one memcpy.
    template <size_t N>
    void lit(const char (&s)[N]) noexcept {
        put(s, N - 1);
    }
    void raw(std::string_view s) noexcept { put(s.data(), s.size()); }

    // The body of a JSON string (no quotes). Ids and symbols never need an
    // escape, so they are checked and copied; anything else is escaped
    // (RFC 8259 section 7: '"', '\\' and U+0000..U+001F).
    void str(std::string_view s) noexcept {
        for (const char c : s)
            if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') [[unlikely]]
                return escaped(s);
        put(s.data(), s.size());
    }

    // v / 1e9 as a JSON number's text.
    void e9(int64_t v) noexcept {
        if (static_cast<size_t>(end_ - p_) >= format_e9_room) [[likely]] {
            p_ += format_e9(p_, v);
            return;
        }
        char tmp[format_e9_room]; // near the end: format aside, copy if it fits
        put(tmp, format_e9(tmp, v));
    }

    // For writers that format in place (percent-encoding): the free bytes,
    // then how many of them they used, or that it did not fit.
    std::span<char> room() const noexcept { return {p_, static_cast<size_t>(end_ - p_)}; }
    void skip(size_t n) noexcept { p_ += n; }
    void fail() noexcept {
        ok_ = false;
        p_ = end_;
    }

    // Bytes written, or 0 when anything did not fit.
    size_t done() const noexcept { return ok_ ? static_cast<size_t>(p_ - begin_) : 0; }

private:
    void put(const char* s, size_t n) noexcept {
        if (n == 0) return; // memcpy wants non-null pointers even for 0 bytes
        if (static_cast<size_t>(end_ - p_) < n) [[unlikely]] {
            ok_ = false;
            p_ = end_;
            return;
        }
        std::memcpy(p_, s, n);
        p_ += n;
    }

    [[gnu::cold]] void escaped(std::string_view s) noexcept {
        const size_t room = static_cast<size_t>(end_ - p_);
        const size_t n = json::escape_json_string(s, {p_, room});
        if (n > room) {
            ok_ = false;
            p_ = end_;
            return;
        }
        p_ += n;
    }

    char* begin_;
    char* p_;
    char* end_;
    bool ok_ = true;
};

} // namespace ef::orders::detail
