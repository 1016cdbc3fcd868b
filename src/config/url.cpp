// URL parsing for the venue endpoints (see url.hpp). Strict on purpose: a URL
// here ends up in a TCP connect, a TLS server name and an HTTP request line,
// so anything unusual is refused at start-up rather than guessed at.
#include "config/url.hpp"

#include "http/uri.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

namespace ef::config {
namespace {

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

// RFC 3986 3.3 pchar (unreserved, sub-delims, ':' and '@'), '%' of a
// pct-encoded triple (checked by the caller), and '/'; the query also allows '?'.
bool is_path_char(char c) {
    constexpr std::string_view others = "-._~!$&'()*+,;=:@%/";
    return is_alpha(c) || is_digit(c) || others.find(c) != std::string_view::npos;
}

status check_path_part(std::string_view part, std::string_view what, bool is_query) {
    for (size_t i = 0; i < part.size(); ++i) {
        const char c = part[i];
        if (!is_path_char(c) && !(is_query && c == '?'))
            return make_error(fmt::format("character '{}' is not allowed in the {}", c, what));
        if (c == '%' && (i + 2 >= part.size() || !is_hex(part[i + 1]) || !is_hex(part[i + 2])))
            return make_error(fmt::format("'%' in the {} is not followed by two hex digits", what));
    }
    return ok();
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

result<uint16_t> parse_port(std::string_view s) {
    if (s.empty()) return make_error("empty port after ':'");
    if (!all_digits(s) || s.size() > 5) return make_error("port must be a number from 1 to 65535");
    uint32_t v = 0;
    for (char c : s)
        v = v * 10 + static_cast<uint32_t>(c - '0');
    if (v < 1 || v > 65535) return make_error(fmt::format("port {} is out of range 1..65535", v));
    return static_cast<uint16_t>(v);
}

} // namespace

status check_host(std::string_view host) {
    if (host.empty()) return make_error("host is missing");
    if (host.find(':') != std::string_view::npos) {
        if (host.find('%') != std::string_view::npos)
            return make_error("IPv6 zone ids (%...) are not supported");
        in6_addr a6;
        const std::string z(host);
        if (inet_pton(AF_INET6, z.c_str(), &a6) != 1)
            return make_error("host is not a valid IPv6 address");
        return ok();
    }
    if (host.size() > 253) return make_error("host is longer than 253 bytes");
    size_t label_start = 0;
    std::string_view last_label;
    for (size_t i = 0; i <= host.size(); ++i) {
        if (i < host.size() && host[i] != '.') {
            const char c = host[i];
            if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '_')
                return make_error(fmt::format("character '{}' is not allowed in a host name", c));
            continue;
        }
        const std::string_view label = host.substr(label_start, i - label_start);
        if (label.empty())
            return make_error("host has an empty label (\"..\" or a leading/trailing '.')");
        if (label.size() > 63) return make_error("host has a label longer than 63 bytes");
        if (label.front() == '-' || label.back() == '-')
            return make_error("a host label starts or ends with '-'");
        last_label = label;
        label_start = i + 1;
    }
    // WHATWG URL: a last label of digits makes the host an IPv4 address, so
    // "1.2.3" or "999.1.1.1" is a typo, never a name.
    if (all_digits(last_label)) {
        in_addr a4;
        const std::string z(host);
        if (inet_pton(AF_INET, z.c_str(), &a4) != 1)
            return make_error("host looks like an IPv4 address but is not a valid one");
    }
    return ok();
}

result<url> parse_url(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b <= 0x20 || b >= 0x7f)
            return make_error(fmt::format(
                "byte {} is a space, control or non-ASCII character (percent-encode it)", i));
    }
    if (text.empty()) return make_error("URL is empty");
    const size_t sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0)
        return make_error("missing scheme (expected wss:// or https://)");
    url u;
    u.scheme = lowered(text.substr(0, sep));
    if (u.scheme == "ws" || u.scheme == "http")
        return make_error(fmt::format("scheme '{}' is not supported: edgefeed only speaks TLS "
                                      "(use {}s)",
                                      u.scheme, u.scheme));
    if (u.scheme != "wss" && u.scheme != "https") return make_error("scheme must be wss or https");
    std::string_view rest = text.substr(sep + 3);
    if (rest.find('#') != std::string_view::npos)
        return make_error("a fragment ('#') is never sent to the server: remove it");

    const size_t auth_end = rest.find_first_of("/?");
    const std::string_view authority = rest.substr(0, auth_end);
    rest = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
    if (authority.find('@') != std::string_view::npos)
        return make_error("user info (user:password@) is not supported: the API key comes from "
                          "api_key_file or api_key_env");

    std::string_view host, port;
    bool has_port = false;
    if (!authority.empty() && authority.front() == '[') {
        const size_t close = authority.find(']');
        if (close == std::string_view::npos) return make_error("'[' without a closing ']'");
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return make_error("unexpected text after ']'");
            port = after.substr(1);
            has_port = true;
        }
        if (host.find(':') == std::string_view::npos)
            return make_error("brackets hold an IPv6 address, and this is not one");
    } else {
        const size_t colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
            has_port = true;
            if (port.find(':') != std::string_view::npos)
                return make_error("IPv6 addresses must be written in brackets: [::1]");
        }
    }
    if (status s = check_host(host); !s) return std::move(s).err();
    u.host = lowered(host);
    u.is_ipv6 = host.find(':') != std::string_view::npos;
    in_addr a4;
    u.is_ip_literal = u.is_ipv6 || inet_pton(AF_INET, u.host.c_str(), &a4) == 1;
    if (has_port) {
        auto p = parse_port(port);
        if (!p) return std::move(p).err();
        u.port = p.value();
    }

    const size_t q = rest.find('?');
    const std::string_view path = rest.substr(0, q);
    if (q != std::string_view::npos) u.query = std::string(rest.substr(q + 1));
    if (status s = check_path_part(path, "path", false); !s) return std::move(s).err();
    if (status s = check_path_part(u.query, "query", true); !s) return std::move(s).err();
    u.path = path.empty() ? std::string("/") : std::string(path);
    return u;
}

std::string url::host_header() const {
    std::string out = is_ipv6 ? fmt::format("[{}]", host) : host;
    if (port != default_tls_port) out += fmt::format(":{}", port);
    return out;
}

std::string url::target() const {
    return query.empty() ? path : path + "?" + query;
}

std::string url::to_string() const {
    return scheme + "://" + host_header() + target();
}

std::string percent_encoded(std::string_view text) {
    std::string out(text.size() * 3, '\0'); // every byte at most %XX
    std::string_view encoded;
    (void)http::percent_encode_segment(text, out, encoded); // cannot run out of room
    out.resize(encoded.size());
    return out;
}

} // namespace ef::config
