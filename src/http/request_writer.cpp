// Request and response writers (see request_writer.hpp). The size is summed
// first and checked once, so the copy loop itself has no bounds tests.
#include "http/request_writer.hpp"

#include <charconv>
#include <cstring>

#include "common/check.hpp"
#include "http/message_head.hpp"

namespace ef::http {

namespace {

// Appends without bounds checks: callers have checked the total size.
struct cursor {
    char* p;
    void put(std::string_view s) noexcept {
        if (!s.empty()) std::memcpy(p, s.data(), s.size());
        p += s.size();
    }
    void put_decimal(uint64_t n) noexcept { p = std::to_chars(p, p + 20, n).ptr; }
    void put_hex(uint64_t n) noexcept { p = std::to_chars(p, p + 16, n, 16).ptr; }
};

size_t decimal_digits(uint64_t n) noexcept {
    size_t d = 1;
    while (n >= 10)
        n /= 10, ++d;
    return d;
}

size_t hex_digits(uint64_t n) noexcept {
    size_t d = 1;
    while (n >= 16)
        n >>= 4, ++d;
    return d;
}

size_t headers_size(std::span<const header> headers) noexcept {
    size_t n = 0;
    for (const header& h : headers) {
        EF_ASSERT(is_token(h.name) && is_field_value(h.value));
        n += h.name.size() + 2 + h.value.size() + 2; // "name: value\r\n"
    }
    return n;
}

void put_headers(cursor& c, std::span<const header> headers) noexcept {
    for (const header& h : headers) {
        c.put(h.name);
        c.put(": ");
        c.put(h.value);
        c.put("\r\n");
    }
}

constexpr std::string_view content_length_prefix = "Content-Length: ";
constexpr std::string_view chunked_header = "Transfer-Encoding: chunked\r\n";

} // namespace

bool is_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (!detail::is_tchar(c)) return false;
    return true;
}

bool is_field_value(std::string_view s) noexcept {
    if (!s.empty() && (detail::is_ows(s.front()) || detail::is_ows(s.back()))) return false;
    return detail::find_non_field_char(s.data(), s.data() + s.size()) == s.data() + s.size();
}

bool is_origin_form(std::string_view target) noexcept {
    if (target.empty() || target[0] != '/') return false;
    for (char c : target) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view("-._~%!$&'()*+,;=:@/?").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

size_t write_request(std::span<char> out, std::string_view method, std::string_view target,
                     std::string_view host, std::span<const header> headers,
                     std::optional<std::string_view> body) noexcept {
    EF_ASSERT(is_token(method) && is_origin_form(target) && is_field_value(host));
    size_t need = method.size() + 1 + target.size() + sizeof(" HTTP/1.1\r\nHost: ") - 1 +
                  host.size() + 2 + headers_size(headers) + 2;
    if (body)
        need += content_length_prefix.size() + decimal_digits(body->size()) + 2 + body->size();
    if (need > out.size()) return 0;
    cursor c{out.data()};
    c.put(method);
    c.put(" ");
    c.put(target);
    c.put(" HTTP/1.1\r\nHost: ");
    c.put(host);
    c.put("\r\n");
    put_headers(c, headers);
    if (body) {
        c.put(content_length_prefix);
        c.put_decimal(body->size());
        c.put("\r\n\r\n");
        c.put(*body);
    } else {
        c.put("\r\n");
    }
    EF_ASSERT(static_cast<size_t>(c.p - out.data()) == need);
    return need;
}

size_t write_response(std::span<char> out, int status, std::string_view reason,
                      std::span<const header> headers, std::string_view body,
                      size_t chunk_bytes) noexcept {
    EF_ASSERT(status >= 100 && status <= 599 && is_field_value(reason));
    const bool framed = status >= 200 && status != 204 && status != 304;
    EF_ASSERT(framed || body.empty());
    // Sized from the value, not assumed to be 3 digits: EF_ASSERT is off in release.
    size_t need = sizeof("HTTP/1.1  \r\n") - 1 + decimal_digits(static_cast<uint64_t>(status)) +
                  reason.size() + headers_size(headers) + 2;
    if (framed && chunk_bytes == 0) {
        need += content_length_prefix.size() + decimal_digits(body.size()) + 2 + body.size();
    } else if (framed) {
        need += chunked_header.size() + sizeof("0\r\n\r\n") - 1;
        const size_t full = body.size() / chunk_bytes;
        const size_t tail = body.size() % chunk_bytes;
        need += full * (hex_digits(chunk_bytes) + 4) + body.size(); // "<hex>\r\n" data "\r\n"
        if (tail) need += hex_digits(tail) + 4;
    }
    if (need > out.size()) return 0;
    cursor c{out.data()};
    c.put("HTTP/1.1 ");
    c.put_decimal(static_cast<uint64_t>(status));
    c.put(" ");
    c.put(reason);
    c.put("\r\n");
    put_headers(c, headers);
    if (framed && chunk_bytes == 0) {
        c.put(content_length_prefix);
        c.put_decimal(body.size());
        c.put("\r\n\r\n");
        c.put(body);
    } else if (framed) {
        c.put(chunked_header);
        c.put("\r\n");
        for (size_t at = 0; at < body.size(); at += chunk_bytes) {
            const std::string_view piece = body.substr(at, chunk_bytes);
            c.put_hex(piece.size());
            c.put("\r\n");
            c.put(piece);
            c.put("\r\n");
        }
        c.put("0\r\n\r\n");
    } else {
        c.put("\r\n");
    }
    EF_ASSERT(static_cast<size_t>(c.p - out.data()) == need);
    return need;
}

} // namespace ef::http
