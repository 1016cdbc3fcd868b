// A strict, allocation-free JSON scanner specialised for venue messages: walk
// the members of an object, compare keys, and either take a value's text or
// skip it while still validating it. Driven by the stream and client message
// parsers (stream_message.cpp, client_message.cpp) on the connection's loop;
// pure: bytes in, views out, no allocation, no logging.
//
// Strictness is RFC 8259 throughout: every skipped value is checked (escapes,
// control characters, number grammar, literals, bracket balance, no trailing
// commas), nesting is capped at max_depth, and a top-level value must be the
// whole input. The scanner never reads outside [begin, end) and never assumes
// the input is valid UTF-8 for its memory safety (it only inspects bytes).
//
// Hot pieces are inline here so the message parsers get them inlined; the
// container skipper, the unescaper and the status texts are in scanner.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ef::json {

// Deepest nesting accepted; the top-level value is depth 1. Venue messages
// need 4; the cap keeps a hostile document from costing more than a bit stack.
inline constexpr int max_depth = 64;

enum class [[nodiscard]] syntax_error : uint8_t{
    none,
    unexpected_end,    // input ended inside a value: every proper prefix of an object
    unexpected_char,   // a byte that cannot start or continue what is expected there
    control_in_string, // raw U+0000..U+001F inside a string (RFC 8259 section 7)
    bad_escape,        // backslash not followed by one of "\/bfnrtu
    bad_unicode,       // \u without 4 hex digits, or an unpaired UTF-16 surrogate
    bad_number,        // "-", "01", "1.", "1e", "1e+" (RFC 8259 section 6)
    bad_literal,       // t/f/n that does not spell true/false/null
    too_deep,          // containers nested deeper than max_depth
    trailing_content,  // non-whitespace after the top-level value
};

const char* to_string(syntax_error e) noexcept;

enum class value_kind : uint8_t {
    string,
    number,
    object,
    array,
    true_value,
    false_value,
    null_value
};

const char* to_string(value_kind k) noexcept;

// One scanned value, as a view into the input.
struct value {
    // string: the bytes between the quotes, undecoded; number: its text;
    // object/array: the whole text including the brackets; literal: its text.
    std::string_view text;
    value_kind kind = value_kind::null_value;
    bool escaped = false; // a string with at least one backslash: decode before use
};

// Where decoded strings go: a caller-owned buffer, carved up front to back and
// reset per message. Decoding never grows a string, so a scratch at least as
// large as the message never runs out while parsing one message.
class scratch {
public:
    scratch() noexcept = default;
    explicit scratch(std::span<char> storage) noexcept : buf_(storage) {}
    void reset() noexcept { used_ = 0; }
    size_t capacity() const noexcept { return buf_.size(); }
    size_t used() const noexcept { return used_; }
    char* free_begin() noexcept { return buf_.data() + used_; }
    size_t free_bytes() const noexcept { return buf_.size() - used_; }
    void commit(size_t n) noexcept { used_ += n; }

private:
    std::span<char> buf_;
    size_t used_ = 0;
};

// Outcome of pulling one element from a lazy array iterator.
enum class [[nodiscard]] item_status : uint8_t{
    ok,
    end,           // no more elements
    missing_field, // element lacks a required member (the iterator names it)
    wrong_type,    // element, or one of its members, has the wrong JSON type
    bad_number,    // a number (or numeric string) that is not number grammar
    inexact,       // a number with non-zero digits below 1e-9
    out_of_range,  // a number whose e9 value does not fit int64
    scratch_full,  // no room left to decode an escaped string; iteration stops
    malformed,     // the array text is not valid JSON; iteration stops
    bad_value,     // a member of the right type with bad content (a timestamp)
};

const char* to_string(item_status s) noexcept;

namespace detail {

// Bytes that end the fast run inside a string: quote, backslash, controls.
inline constexpr auto string_stop = [] {
    struct table {
        bool v[256] = {};
    } t;
    for (int c = 0; c < 0x20; ++c)
        t.v[c] = true;
    t.v[static_cast<unsigned char>('"')] = true;
    t.v[static_cast<unsigned char>('\\')] = true;
    return t;
}();

inline constexpr bool is_ws(char c) noexcept {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t'; // RFC 8259 section 2
}

inline constexpr bool is_digit(char c) noexcept {
    return static_cast<unsigned char>(c - '0') < 10;
}

// First quote, backslash or control byte in [p, end), or end. Sixteen bytes
// a step while sixteen remain; never loads a byte at or past end.
inline const char* find_string_stop(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i ctl_max = _mm_set1_epi8(0x1f);
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // min_epu8(v, 0x1f) == v exactly when v <= 0x1f as an unsigned byte.
        const __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                         _mm_cmpeq_epi8(_mm_min_epu8(v, ctl_max), v));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
        if (mask != 0) return p + __builtin_ctz(mask);
        p += 16;
    }
#endif
    while (p != end && !string_stop.v[static_cast<unsigned char>(*p)])
        ++p;
    return p;
}

// p at a backslash inside a string; validates one escape and moves past it.
syntax_error scan_escape(const char*& p, const char* end) noexcept;

} // namespace detail

inline const char* skip_ws(const char* p, const char* end) noexcept {
    // One compare for the usual case, a byte that is not whitespace.
    while (p != end && static_cast<unsigned char>(*p) <= ' ' && detail::is_ws(*p))
        ++p;
    return p;
}

namespace detail {
inline bool above_space(char c) noexcept {
    return static_cast<unsigned char>(c) > ' ';
}
} // namespace detail

// p just past a member's key: takes whitespace, ':' and whitespace, leaving p
// at the value (never at end). The compact (":") and the pretty-printed
// (": ") spellings are tried first, without a loop.
inline syntax_error take_colon(const char*& p, const char* end) noexcept {
    if (end - p >= 3 && p[0] == ':') [[likely]] {
        if (detail::above_space(p[1])) {
            p += 1;
            return syntax_error::none;
        }
        if (p[1] == ' ' && detail::above_space(p[2])) {
            p += 2;
            return syntax_error::none;
        }
    }
    p = skip_ws(p, end);
    if (p == end) return syntax_error::unexpected_end;
    if (*p != ':') return syntax_error::unexpected_char;
    p = skip_ws(p + 1, end);
    if (p == end) return syntax_error::unexpected_end;
    return syntax_error::none;
}

// p just past a value inside a container that `close` ends. Either takes ','
// and whitespace and sets more (p at the next element, never at end), or
// takes `close` and clears more (p past it). A trailing comma is left for the
// caller to refuse: what follows ',' must be a key or a value, and `close` is
// neither.
inline syntax_error take_separator(const char*& p, const char* end, char close,
                                   bool& more) noexcept {
    if (end - p >= 3) [[likely]] {
        if (p[0] == ',') {
            if (detail::above_space(p[1])) {
                p += 1;
                more = true;
                return syntax_error::none;
            }
            if (p[1] == ' ' && detail::above_space(p[2])) {
                p += 2;
                more = true;
                return syntax_error::none;
            }
        } else if (p[0] == close) {
            p += 1;
            more = false;
            return syntax_error::none;
        }
    }
    p = skip_ws(p, end);
    if (p == end) return syntax_error::unexpected_end;
    if (*p == ',') {
        p = skip_ws(p + 1, end);
        if (p == end) return syntax_error::unexpected_end;
        more = true;
        return syntax_error::none;
    }
    if (*p != close) return syntax_error::unexpected_char;
    ++p;
    more = false;
    return syntax_error::none;
}

// p at the opening quote. On success p is past the closing quote.
inline syntax_error scan_string(const char*& p, const char* end, value& out) noexcept {
    const char* const begin = ++p;
    bool escaped = false;
    for (;;) {
        p = detail::find_string_stop(p, end);
        if (p == end) [[unlikely]]
            return syntax_error::unexpected_end;
        if (*p == '"') break;
        if (*p != '\\') [[unlikely]]
            return syntax_error::control_in_string;
        escaped = true;
        // Through a copy: handing p itself to an out-of-line function would
        // pin the caller's cursor to memory for the whole of its loop.
        const char* q = p;
        const syntax_error e = detail::scan_escape(q, end);
        p = q;
        if (e != syntax_error::none) return e;
    }
    out.text = std::string_view(begin, static_cast<size_t>(p - begin));
    out.kind = value_kind::string;
    out.escaped = escaped;
    ++p;
    return syntax_error::none;
}

// p at '-' or a digit. Checks RFC 8259 section 6 grammar; the text is taken
// raw, for parse_decimal_e9 to convert exactly.
inline syntax_error scan_number(const char*& p, const char* end, value& out) noexcept {
    using detail::is_digit;
    const char* const begin = p;
    if (*p == '-') ++p;
    if (p == end) return syntax_error::unexpected_end;
    if (*p == '0') {
        ++p;
    } else if (is_digit(*p)) {
        do
            ++p;
        while (p != end && is_digit(*p));
    } else {
        return syntax_error::bad_number;
    }
    if (p != end && *p == '.') {
        ++p;
        if (p == end) return syntax_error::unexpected_end;
        if (!is_digit(*p)) return syntax_error::bad_number;
        do
            ++p;
        while (p != end && is_digit(*p));
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p != end && (*p == '+' || *p == '-')) ++p;
        if (p == end) return syntax_error::unexpected_end;
        if (!is_digit(*p)) return syntax_error::bad_number;
        do
            ++p;
        while (p != end && is_digit(*p));
    }
    if (p != end && is_digit(*p)) return syntax_error::bad_number; // "01": leading zero
    out.text = std::string_view(begin, static_cast<size_t>(p - begin));
    out.kind = value_kind::number;
    out.escaped = false;
    return syntax_error::none;
}

// p at 't', 'f' or 'n'.
inline syntax_error scan_literal(const char*& p, const char* end, value& out) noexcept {
    std::string_view word;
    switch (*p) {
    case 't':
        word = "true", out.kind = value_kind::true_value;
        break;
    case 'f':
        word = "false", out.kind = value_kind::false_value;
        break;
    default:
        word = "null", out.kind = value_kind::null_value;
        break;
    }
    const auto avail = static_cast<size_t>(end - p);
    if (avail < word.size()) {
        // A prefix of the word is a truncated literal, anything else is wrong.
        return std::memcmp(p, word.data(), avail) == 0 ? syntax_error::unexpected_end
                                                       : syntax_error::bad_literal;
    }
    if (std::memcmp(p, word.data(), word.size()) != 0) return syntax_error::bad_literal;
    out.text = std::string_view(p, word.size());
    out.escaped = false;
    p += word.size();
    return syntax_error::none;
}

// A string, number or literal at p (not at end).
inline syntax_error scan_scalar(const char*& p, const char* end, value& out) noexcept {
    switch (*p) {
    case '"':
        return scan_string(p, end, out);
    case 't':
    case 'f':
    case 'n':
        return scan_literal(p, end, out);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        return scan_number(p, end, out);
    default:
        return syntax_error::unexpected_char;
    }
}

// p at '{' or '['; `depth` is that container's own depth. Validates the whole
// container without recursion and sets out to its span.
syntax_error skip_container(const char*& p, const char* end, int depth, value& out) noexcept;

// Any value at p; `depth` is the depth it has if it is a container.
inline syntax_error scan_value(const char*& p, const char* end, int depth, value& out) noexcept {
    if (p == end) return syntax_error::unexpected_end;
    if (*p == '{' || *p == '[') {
        const char* q = p; // a copy, as in scan_string
        const syntax_error e = skip_container(q, end, depth, out);
        p = q;
        return e;
    }
    return scan_scalar(p, end, out);
}

// p at '{' of an object at `depth`. For each member in document order, calls
// on_member(const value& key, const char*& p, const char* end, int depth)
// with p at the member's value; it must consume that value (scan_value, or a
// schema-specific parser that validates as strictly) and return its error.
// Leaves p past the '}'. Duplicate keys are all passed on: a caller that
// stores by key keeps the last, which is our rule.
template <typename F>
inline syntax_error scan_members(const char*& p, const char* end, int depth,
                                 F&& on_member) noexcept {
    if (depth > max_depth) return syntax_error::too_deep;
    p = skip_ws(p + 1, end);
    if (p == end) return syntax_error::unexpected_end;
    if (*p == '}') {
        ++p;
        return syntax_error::none;
    }
    for (bool more = true; more;) {
        if (*p != '"') return syntax_error::unexpected_char; // also ",}": no trailing comma
        value key;
        if (const syntax_error e = scan_string(p, end, key); e != syntax_error::none) return e;
        if (const syntax_error e = take_colon(p, end); e != syntax_error::none) return e;
        if (const syntax_error e = on_member(key, p, end, depth + 1); e != syntax_error::none)
            return e;
        if (const syntax_error e = take_separator(p, end, '}', more); e != syntax_error::none)
            return e;
    }
    return syntax_error::none;
}

// scan_members for callers that only look at values: calls on_member(const
// value& key, const value& v) after validating each value.
template <typename F>
inline syntax_error scan_object(const char*& p, const char* end, int depth,
                                F&& on_member) noexcept {
    return scan_members(p, end, depth,
                        [&](const value& key, const char*& q, const char* e, int d) noexcept {
                            value v;
                            const syntax_error err = scan_value(q, e, d, v);
                            if (err == syntax_error::none) on_member(key, v);
                            return err;
                        });
}

// Speculative key match, for parsers that know which keys to expect: p just
// past a key's opening quote. If the key is exactly `lit` (so it has no
// escape), moves p past its closing quote and returns true; otherwise leaves
// p alone, for the general path (scan_string, key_text) to take the key.
template <size_t N>
inline bool take_key(const char*& p, const char* end, const char (&lit)[N]) noexcept {
    if (static_cast<size_t>(end - p) < N || std::memcmp(p, lit, N - 1) != 0 || p[N - 1] != '"')
        return false;
    p += N;
    return true;
}

// Key comparison against a literal of known length: with the length a
// constant the compiler emits two or three loads instead of a memcmp call.
template <size_t N>
inline bool key_is(std::string_view k, const char (&lit)[N]) noexcept {
    return k.size() == N - 1 && std::memcmp(k.data(), lit, N - 1) == 0;
}

// Checks that `doc` is exactly one JSON value with optional surrounding
// whitespace. On failure, *error_offset (if given) is where it was found.
syntax_error validate_json(std::string_view doc, size_t* error_offset = nullptr) noexcept;

// Decodes the body of a JSON string (what value::text holds) into out, which
// must have room for raw.size() bytes (decoding never grows a string). \uXXXX
// becomes UTF-8, surrogate pairs one 4-byte sequence. Returns the bytes
// written, or unescape_failed on a bad escape (never for scanner-accepted text).
inline constexpr size_t unescape_failed = static_cast<size_t>(-1);
size_t unescape(std::string_view raw, char* out) noexcept;

// A string value as text: the raw view when it has no backslash, else decoded
// into the scratch. False when the scratch has no room (or the escapes are
// bad, which scanned text never has).
inline bool string_text(const value& v, scratch& s, std::string_view& out) noexcept {
    if (!v.escaped) [[likely]] {
        out = v.text;
        return true;
    }
    if (s.free_bytes() < v.text.size()) return false;
    const size_t n = unescape(v.text, s.free_begin());
    if (n == unescape_failed) return false;
    out = std::string_view(s.free_begin(), n);
    s.commit(n);
    return true;
}

// Room for a decoded key: \uXXXX is 6 bytes for 1, and no key we look for is
// longer than 21 bytes, so a longer escaped key cannot match any of them.
inline constexpr size_t key_buffer_bytes = 128;

// A key as text for comparison: raw when unescaped, else decoded into buf.
// An escaped key too long to decode is returned raw: it still holds a
// backslash, which none of our keys has, so it matches nothing.
inline std::string_view key_text(const value& key, char (&buf)[key_buffer_bytes]) noexcept {
    if (!key.escaped) [[likely]]
        return key.text;
    if (key.text.size() > key_buffer_bytes) return key.text;
    const size_t n = unescape(key.text, buf);
    return n == unescape_failed ? key.text : std::string_view(buf, n);
}

// Moves p from the '[' of an array to its first element. Returns true with p
// at the element, or false with p == end for an empty (or malformed) array.
inline bool first_element(const char*& p, const char* end, bool& well_formed) noexcept {
    if (p == end || *p != '[') {
        well_formed = false;
        p = end;
        return false;
    }
    p = skip_ws(p + 1, end);
    if (p != end && *p != ']') return true;
    well_formed = p != end && p + 1 == end;
    p = end;
    return false;
}

// Moves p from just past an array element to the next element. Returns true
// with p at the element, or false with p == end at the closing ']' (or on
// text that is not a well-formed array, which the caller must have ruled out).
inline bool next_element(const char*& p, const char* end, bool& well_formed) noexcept {
    p = skip_ws(p, end);
    if (p != end && *p == ',') {
        p = skip_ws(p + 1, end);
        if (p != end && *p != ']') return true;
    } else if (p != end && *p == ']' && p + 1 == end) {
        p = end;
        return false;
    }
    well_formed = false;
    p = end;
    return false;
}

// Pull-style walk over an array of strings (contest_ids), decoding escaped
// ones into the scratch. Views live as long as the input and the scratch.
class string_iterator {
public:
    string_iterator() noexcept = default;
    // array_json: the whole array text, "[...]", as scanned.
    string_iterator(std::string_view array_json, scratch& s) noexcept;
    // ok with out set; end; wrong_type for a non-string element (skipped);
    // scratch_full or malformed stop the walk.
    item_status next(std::string_view& out) noexcept;

private:
    const char* p_ = nullptr;
    const char* end_ = nullptr;
    scratch* scratch_ = nullptr;
    bool well_formed_ = true; // false: report malformed once the walk reaches end_
};

// Writes `in` as the body of a JSON string (no surrounding quotes): '"', '\\'
// and U+0000..U+001F escaped (\n, \t... where JSON has a short form, else
// \u00XX); other bytes, UTF-8 included, copied. Returns the escaped length;
// the text is complete only when that is <= out.size() (snprintf's contract).
size_t escape_json_string(std::string_view in, std::span<char> out) noexcept;

} // namespace ef::json
