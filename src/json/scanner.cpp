// Out-of-line parts of the JSON scanner: the iterative container skipper (it
// validates everything the message parsers do not look at), escape checking
// and decoding, whole-document validation, string escaping for the writers,
// and the status texts. Driven by the message parsers; see scanner.hpp.
#include "json/scanner.hpp"

#include "common/hex.hpp"

namespace ef::json {

namespace {

// Hex digit values, 0x10 for anything else: one load a digit, and one test
// for all four (OR them: any 0x10 bit means a non-digit).
constexpr auto hex_table = [] {
    struct table {
        uint8_t v[256];
    } t{};
    for (int c = 0; c < 256; ++c)
        t.v[c] = static_cast<uint8_t>(
            hex_digit_value(static_cast<char>(c)) < 0 ? 0x10 : hex_digit_value(static_cast<char>(c)));
    return t;
}();

// Four hex digits at p (the caller checked they are in bounds).
inline bool read_hex4(const char* p, unsigned& out) noexcept {
    const auto h = [p](int i) -> unsigned { return hex_table.v[static_cast<unsigned char>(p[i])]; };
    const unsigned a = h(0), b = h(1), c = h(2), d = h(3);
    if ((a | b | c | d) & 0x10) return false;
    out = a << 12 | b << 8 | c << 4 | d;
    return true;
}

// The input ends inside "\uXXXX" at p: a truncation if what is there could
// still become one, a bad escape otherwise.
syntax_error partial_unicode(const char* p, const char* end) noexcept {
    for (ptrdiff_t i = 0; p + i != end; ++i) {
        const char c = p[i];
        const bool fits = i == 0 ? c == '\\' : i == 1 ? c == 'u' : hex_digit_value(c) >= 0;
        if (!fits) return syntax_error::bad_unicode;
    }
    return syntax_error::unexpected_end;
}

constexpr bool is_high_surrogate(unsigned u) noexcept {
    return u >= 0xD800 && u <= 0xDBFF;
}
constexpr bool is_low_surrogate(unsigned u) noexcept {
    return u >= 0xDC00 && u <= 0xDFFF;
}

char* put_utf8(char* o, unsigned cp) noexcept {
    if (cp < 0x80) {
        *o++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
        *o++ = static_cast<char>(0xC0 | (cp >> 6));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = static_cast<char>(0xE0 | (cp >> 12));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        *o++ = static_cast<char>(0xF0 | (cp >> 18));
        *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return o;
}

// Copies bytes from p up to the first backslash (or end) to o, advancing
// both; returns the new p. Sixteen at a time while sixteen remain: the store
// may write past the copied run, but never past out + raw.size(), because
// o - out <= p - raw.data() (decoding never grows) and p + 16 <= end.
const char* copy_to_backslash(const char* p, const char* end, char*& o) noexcept {
#if defined(__SSE2__)
    const __m128i backslash = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(o), v);
        const unsigned mask =
            static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)));
        if (mask != 0) {
            const int n = __builtin_ctz(mask);
            o += n;
            return p + n;
        }
        p += 16;
        o += 16;
    }
#endif
    while (p != end && *p != '\\')
        *o++ = *p++;
    return p;
}

} // namespace

namespace detail {

syntax_error scan_escape(const char*& p, const char* end) noexcept {
    if (end - p < 2) return syntax_error::unexpected_end;
    switch (p[1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        p += 2;
        return syntax_error::none;
    case 'u':
        break;
    default:
        return syntax_error::bad_escape;
    }
    unsigned unit;
    if (end - p < 6) return partial_unicode(p, end);
    if (!read_hex4(p + 2, unit)) return syntax_error::bad_unicode;
    p += 6;
    // RFC 8259 section 7: a character outside the BMP is a surrogate pair; a
    // lone half names no character, so we refuse it rather than pass on
    // text no UTF-8 consumer can hold.
    if (is_low_surrogate(unit)) return syntax_error::bad_unicode;
    if (!is_high_surrogate(unit)) return syntax_error::none;
    if (end - p < 6) return partial_unicode(p, end);
    unsigned low;
    if (p[0] != '\\' || p[1] != 'u' || !read_hex4(p + 2, low) || !is_low_surrogate(low))
        return syntax_error::bad_unicode;
    p += 6;
    return syntax_error::none;
}

} // namespace detail

// Iterative so that depth costs a bit, not a stack frame: bit 0 of
// object_bits says whether the innermost open container is an object. The
// labels are the states of the grammar (simdjson's stage 2 is built the same
// way); each one is entered with p not at end unless it checks itself.
syntax_error skip_container(const char*& p, const char* end, int depth, value& out) noexcept {
    const char* const begin = p;
    const value_kind kind = *p == '{' ? value_kind::object : value_kind::array;
    uint64_t object_bits = 0;
    int open = 0;
    value scalar;
open_container: // p at '{' or '['
    if (depth + open > max_depth) return syntax_error::too_deep;
    object_bits = (object_bits << 1) | (*p == '{' ? 1u : 0u);
    ++open;
    p = skip_ws(p + 1, end);
    if (p == end) return syntax_error::unexpected_end;
    if (*p == ((object_bits & 1) ? '}' : ']')) {
        ++p;
        goto close_container;
    }
    if (!(object_bits & 1)) goto element;
member_key: // p at where a key must start
    if (*p != '"') return syntax_error::unexpected_char;
    if (const syntax_error e = scan_string(p, end, scalar); e != syntax_error::none) return e;
    if (const syntax_error e = take_colon(p, end); e != syntax_error::none) return e;
element: // p at a value
    if (*p == '{' || *p == '[') goto open_container;
    if (const syntax_error e = scan_scalar(p, end, scalar); e != syntax_error::none) return e;
after_value : {
    bool more;
    if (const syntax_error e = take_separator(p, end, (object_bits & 1) ? '}' : ']', more);
        e != syntax_error::none)
        return e;
    if (more) {
        if (object_bits & 1) goto member_key;
        goto element; // "[1,]": ']' is not a value, so scan_scalar refuses it
    }
}
close_container:
    object_bits >>= 1;
    if (--open != 0) goto after_value;
    out.text = std::string_view(begin, static_cast<size_t>(p - begin));
    out.kind = kind;
    out.escaped = false;
    return syntax_error::none;
}

syntax_error validate_json(std::string_view doc, size_t* error_offset) noexcept {
    const char* const begin = doc.data();
    const char* const end = begin + doc.size();
    const char* p = skip_ws(begin, end);
    value v;
    syntax_error e = scan_value(p, end, 1, v);
    if (e == syntax_error::none) {
        p = skip_ws(p, end);
        if (p != end) e = syntax_error::trailing_content;
    }
    if (e != syntax_error::none && error_offset) *error_offset = static_cast<size_t>(p - begin);
    return e;
}

size_t unescape(std::string_view raw, char* out) noexcept {
    const char* p = raw.data();
    const char* const end = p + raw.size();
    char* o = out;
    while (p != end) {
        p = copy_to_backslash(p, end, o);
        if (p == end) break;
        if (end - p < 2) return unescape_failed;
        char c;
        switch (p[1]) {
        case '"':
            c = '"';
            break;
        case '\\':
            c = '\\';
            break;
        case '/':
            c = '/';
            break;
        case 'b':
            c = '\b';
            break;
        case 'f':
            c = '\f';
            break;
        case 'n':
            c = '\n';
            break;
        case 'r':
            c = '\r';
            break;
        case 't':
            c = '\t';
            break;
        case 'u':
            c = 'u';
            break;
        default:
            return unescape_failed;
        }
        if (c != 'u') {
            *o++ = c;
            p += 2;
            continue;
        }
        unsigned cp;
        if (end - p < 6 || !read_hex4(p + 2, cp)) return unescape_failed;
        p += 6;
        if (is_low_surrogate(cp)) return unescape_failed;
        if (is_high_surrogate(cp)) {
            unsigned low;
            if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !read_hex4(p + 2, low) ||
                !is_low_surrogate(low))
                return unescape_failed;
            p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        o = put_utf8(o, cp); // at most 4 bytes for 12 read, 3 for 6: never grows
    }
    return static_cast<size_t>(o - out);
}

string_iterator::string_iterator(std::string_view array_json, scratch& s) noexcept
    : p_(array_json.data()), end_(array_json.data() + array_json.size()), scratch_(&s) {
    first_element(p_, end_, well_formed_);
}

item_status string_iterator::next(std::string_view& out) noexcept {
    if (p_ == end_) {
        if (well_formed_) return item_status::end;
        well_formed_ = true; // reported once; the next call says end
        return item_status::malformed;
    }
    value v;
    if (scan_value(p_, end_, 3, v) != syntax_error::none) {
        p_ = end_;
        return item_status::malformed;
    }
    next_element(p_, end_, well_formed_);
    if (v.kind != value_kind::string) return item_status::wrong_type;
    if (!string_text(v, *scratch_, out)) {
        p_ = end_;
        well_formed_ = true;
        return item_status::scratch_full;
    }
    return item_status::ok;
}

size_t escape_json_string(std::string_view in, std::span<char> out) noexcept {
    static constexpr char hex[] = "0123456789abcdef";
    size_t n = 0;
    auto put = [&](char c) {
        if (n < out.size()) out[n] = c;
        ++n;
    };
    for (const char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && ch != '"' && ch != '\\') {
            put(ch);
            continue;
        }
        put('\\');
        switch (ch) {
        case '"':
            put('"');
            break;
        case '\\':
            put('\\');
            break;
        case '\b':
            put('b');
            break;
        case '\f':
            put('f');
            break;
        case '\n':
            put('n');
            break;
        case '\r':
            put('r');
            break;
        case '\t':
            put('t');
            break;
        default:
            put('u');
            put('0');
            put('0');
            put(hex[c >> 4]);
            put(hex[c & 0xF]);
        }
    }
    return n;
}

const char* to_string(syntax_error e) noexcept {
    switch (e) {
    case syntax_error::none:
        return "none";
    case syntax_error::unexpected_end:
        return "unexpected_end";
    case syntax_error::unexpected_char:
        return "unexpected_char";
    case syntax_error::control_in_string:
        return "control_in_string";
    case syntax_error::bad_escape:
        return "bad_escape";
    case syntax_error::bad_unicode:
        return "bad_unicode";
    case syntax_error::bad_number:
        return "bad_number";
    case syntax_error::bad_literal:
        return "bad_literal";
    case syntax_error::too_deep:
        return "too_deep";
    case syntax_error::trailing_content:
        return "trailing_content";
    }
    return "unknown";
}

const char* to_string(value_kind k) noexcept {
    switch (k) {
    case value_kind::string:
        return "string";
    case value_kind::number:
        return "number";
    case value_kind::object:
        return "object";
    case value_kind::array:
        return "array";
    case value_kind::true_value:
        return "true";
    case value_kind::false_value:
        return "false";
    case value_kind::null_value:
        return "null";
    }
    return "unknown";
}

const char* to_string(item_status s) noexcept {
    switch (s) {
    case item_status::ok:
        return "ok";
    case item_status::end:
        return "end";
    case item_status::missing_field:
        return "missing_field";
    case item_status::wrong_type:
        return "wrong_type";
    case item_status::bad_number:
        return "bad_number";
    case item_status::inexact:
        return "inexact";
    case item_status::out_of_range:
        return "out_of_range";
    case item_status::scratch_full:
        return "scratch_full";
    case item_status::malformed:
        return "malformed";
    case item_status::bad_value:
        return "bad_value";
    }
    return "unknown";
}

} // namespace ef::json
