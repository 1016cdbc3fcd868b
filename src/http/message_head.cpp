// Shared HTTP/1.1 head machinery (see message_head.hpp). Runs on the
// connection's thread inside response_parser::feed and request_parser::feed.
#include "http/message_head.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "common/check.hpp"

namespace ef::http::detail {

const char* const too_many_headers = "too many headers";

head_reader::step head_reader::feed(std::string_view in, size_t& consumed) noexcept {
    const size_t avail = std::min(in.size(), cap_ - len_);
    const char* p = in.data();
    size_t i = 0;
    while (i < avail) {
        const void* hit = std::memchr(p + i, '\n', avail - i);
        if (!hit) break;
        const size_t j = static_cast<size_t>(static_cast<const char*>(hit) - p);
        const size_t at = len_ + j; // where this LF sits in the head
        const char prev = j > 0 ? p[j - 1] : (len_ > 0 ? buf_[len_ - 1] : '\0');
        if (prev != '\r') [[unlikely]] {
            consumed = j;
            return step::bare_lf;
        }
        if (at - 1 == line_start_) { // a line holding only CRLF ends the head
            std::memcpy(buf_ + len_, p, j + 1);
            len_ += j + 1;
            consumed = j + 1;
            return step::complete;
        }
        line_start_ = at + 1;
        i = j + 1;
    }
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
        while (!el.empty() && is_ows(el.front())) el.remove_prefix(1);
        while (!el.empty() && is_ows(el.back())) el.remove_suffix(1);
        if (!el.empty()) f(el);
    }
}

// RFC 9112 5: field-line = field-name ":" OWS field-value OWS, name a token
// with nothing between it and the colon (5.1), no obs-fold (5.2).
const char* parse_field_line(std::string_view line, header& h) noexcept {
    const char* p = line.data();
    const char* end = p + line.size();
    if (is_ows(*p)) return "obs-fold (header line starting with whitespace)";
    const char* name_end = p;
    while (name_end < end && is_tchar(*name_end)) ++name_end;
    if (name_end == end) return "header line without a colon";
    if (*name_end != ':') {
        return is_ows(*name_end) ? "whitespace between header name and colon"
                                 : "invalid character in header name";
    }
    if (name_end == p) return "empty header name";
    const char* v = name_end + 1;
    while (v < end && is_ows(*v)) ++v;
    const char* ve = end;
    while (ve > v && is_ows(ve[-1])) --ve;
    for (const char* q = v; q < ve; ++q)
        if (!is_field_char(*q)) [[unlikely]]
            return "invalid character in header value";
    h.name = {p, static_cast<size_t>(name_end - p)};
    h.value = {v, static_cast<size_t>(ve - v)};
    return nullptr;
}

// Records what RFC 9112 6 needs from the headers that decide framing and
// connection reuse. Dispatches on the name's length so most headers cost one
// switch.
const char* note_framing(const header& h, framing& f) noexcept {
    switch (h.name.size()) {
    case 4:
        if (iequals(h.name, "host")) ++f.host_headers;
        break;
    case 10:
        if (iequals(h.name, "connection")) {
            if (list_has_token(h.value, "close")) f.connection_close = true;
            if (list_has_token(h.value, "keep-alive")) f.connection_keep_alive = true;
        }
        break;
    case 14:
        if (iequals(h.name, "content-length")) {
            int64_t n = 0;
            if (const char* why = parse_content_length(h.value, n)) return why;
            // RFC 9112 6.3 item 5: differing lengths make the framing unknowable.
            if (f.content_length >= 0 && f.content_length != n)
                return "conflicting Content-Length headers";
            f.content_length = n;
        }
        break;
    case 17:
        if (iequals(h.name, "transfer-encoding")) {
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

const char* parse_fields(std::string_view fields, header* headers, size_t max_headers,
                         size_t& count, framing& f) noexcept {
    count = 0;
    const char* p = fields.data();
    const char* const end = p + fields.size();
    for (;;) {
        // head_reader guarantees each LF follows a CR and the last line is
        // empty, so this finds a line and stops at the blank one.
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        EF_ASSERT(nl != nullptr && nl > p && nl[-1] == '\r');
        const std::string_view line(p, static_cast<size_t>(nl - 1 - p));
        p = nl + 1;
        if (line.empty()) return nullptr;
        if (count == max_headers) return too_many_headers;
        header& h = headers[count++];
        if (const char* why = parse_field_line(line, h)) return why;
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

bool list_has_token(std::string_view list, std::string_view token) noexcept {
    bool found = false;
    for_each_element(list, [&](std::string_view el) { found |= iequals(el, token); });
    return found;
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
    text_ = buf_;
}

} // namespace ef::http::detail
