// What the HTTP/1.1 response and request parsers share: byte classes from
// RFC 9110/9112, the accumulator that copies a head into its fixed buffer and
// finds the blank line that ends it, and field-line syntax. Internal to
// src/http (namespace detail); driven only by response_parser and
// request_parser, on whatever thread owns the connection. Pure: no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "http/header.hpp"

namespace ef::http {

// Result of feeding bytes to a parser (STYLE.md "How errors flow"): `need_more`
// always means every byte offered was consumed; `bad` is sticky until reset().
enum class [[nodiscard]] parse_status : int8_t{done, need_more, bad};

namespace detail {

struct char_table {
    bool v[256];
};

// RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" /
// "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
consteval char_table make_tchar_table() {
    char_table t{};
    for (int c = '0'; c <= '9'; ++c)
        t.v[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t.v[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        t.v[c] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~"))
        t.v[static_cast<unsigned char>(c)] = true;
    return t;
}

// RFC 9110 5.5: field-value bytes are VCHAR / obs-text / SP / HTAB; the same
// set serves reason-phrase (RFC 9112 4). CR, LF, NUL and other CTLs are out.
consteval char_table make_field_table() {
    char_table t{};
    for (int c = 0x20; c <= 0x7e; ++c)
        t.v[c] = true;
    for (int c = 0x80; c <= 0xff; ++c)
        t.v[c] = true;
    t.v[static_cast<unsigned char>('\t')] = true;
    return t;
}

inline constexpr char_table tchar_table = make_tchar_table();
inline constexpr char_table field_table = make_field_table();

inline bool is_tchar(char c) noexcept {
    return tchar_table.v[static_cast<unsigned char>(c)];
}
inline bool is_field_char(char c) noexcept {
    return field_table.v[static_cast<unsigned char>(c)];
}
inline bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
inline bool is_ows(char c) noexcept {
    return c == ' ' || c == '\t';
}

// Copies a head (start line, field lines, blank line) into a caller-provided
// buffer as it arrives and stops at the blank line, so bytes after the head
// (a body, the next message, WebSocket frames after a 101) stay with the
// caller. RFC 9112 2.2: every line must end in CRLF; a bare LF is refused here
// rather than waiting for a "\r\n\r\n" that a LF-only peer never sends.
class head_reader {
public:
    enum class step : uint8_t { complete, need_more, bare_lf, too_large };

    explicit head_reader(std::span<char> buffer) noexcept
        : buf_(buffer.data()), cap_(buffer.size()) {}

    // `consumed` is how many bytes of `in` now belong to the head: all of
    // them on need_more, up to and including the blank line on complete.
    step feed(std::string_view in, size_t& consumed) noexcept;

    // The whole head, CRLFs included; valid once feed() said complete.
    std::string_view text() const noexcept { return {buf_, len_}; }
    size_t capacity() const noexcept { return cap_; }
    void reset() noexcept { len_ = line_start_ = 0; }

private:
    bool on_lf(const char* in, size_t j, step& result, size_t& consumed) noexcept;

    char* buf_;
    size_t cap_;
    size_t len_ = 0;        // bytes of head copied so far
    size_t line_start_ = 0; // where the line being received begins, in buf_
};

// Framing-relevant facts gathered while parsing field lines (RFC 9112 6).
struct framing {
    int64_t content_length = -1;
    uint16_t te_headers = 0; // Transfer-Encoding field lines seen
    uint16_t te_codings = 0; // transfer codings listed, over all those lines
    bool te_chunked = false; // "chunked" is among them
    bool connection_close = false;
    bool connection_keep_alive = false;
    uint16_t host_headers = 0;
};

// Parses the field lines that follow the start line. `fields` starts just
// after the start line's CRLF and ends with the blank line's CRLF (as
// head_reader leaves it). Fills headers[0..count) with views into `fields`.
// Returns nullptr, or a static text saying why the head is bad; "too many
// headers" is reported by returning `too_many_headers`.
extern const char* const too_many_headers;
const char* parse_fields(std::string_view fields, header* headers, size_t max_headers,
                         size_t& count, framing& f) noexcept;

// RFC 9110 8.6: Content-Length = 1*DIGIT; we take no list form ("5, 5").
// Returns nullptr, or why the value is bad (not digits, overflows int64).
const char* parse_content_length(std::string_view value, int64_t& out) noexcept;

// Skips the tchars at p and returns the first other byte, which must exist
// before `end` (a head ends in CRLF). 16 bytes a step: names are a third of
// a head's bytes.
const char* skip_tchars(const char* p, const char* end) noexcept;

// The first byte in [p, end) that may not appear in a field value (RFC 9110
// 5.5), or `end`. Scans a word at a time: values are most of a head's bytes.
const char* find_non_field_char(const char* p, const char* end) noexcept;

// Error text: static for fixed reasons, or formatted into a member buffer
// when it names a limit ("headers larger than 8192 bytes"), so reporting an
// error allocates nothing.
// A flag, not a pointer, marks the formatted case, so a parser that is moved
// does not keep pointing into the buffer of the object it was moved from.
class error_text {
public:
    void clear() noexcept {
        text_ = nullptr;
        formatted_ = false;
    }
    void set(const char* text) noexcept {
        text_ = text;
        formatted_ = false;
    }
    // "<prefix><n><suffix>", truncated to the buffer.
    [[gnu::cold]] void set(const char* prefix, uint64_t n, const char* suffix) noexcept;
    const char* get() const noexcept { return formatted_ ? buf_ : text_ ? text_ : ""; }

private:
    const char* text_ = nullptr;
    bool formatted_ = false;
    char buf_[96];
};

} // namespace detail
} // namespace ef::http
