// Venue URLs (wss:// stream, https:// REST) split into what the TCP, TLS and
// HTTP code put on the wire. Parsed once at start-up by config validation and
// by the feed when it builds requests; pure (text in, value or message out).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace ef::config {

inline constexpr uint16_t default_tls_port = 443;

struct url {
    std::string scheme;         // "wss" or "https", lower case
    std::string host;           // lower case; an IPv6 literal without its brackets
    bool is_ip_literal = false; // IPv4 or IPv6: no SNI (RFC 6066 3), check the IP SAN
    bool is_ipv6 = false;
    uint16_t port = default_tls_port;
    std::string path = "/"; // never empty; percent-encoding kept as written
    std::string query;      // after '?', without it; empty when absent

    // For the Host header and the default REST URL: "[::1]:8443", "example.com"
    // (the port is left out when it is 443, RFC 9110 7.2).
    std::string host_header() const;
    // The request target: path, then '?' and the query when there is one.
    std::string target() const;
    // The whole URL in normal form: scheme://host_header()target().
    std::string to_string() const;

    bool operator==(const url&) const = default;
};

// Accepts only wss and https (edgefeed speaks TLS only), a host (DNS name,
// dotted IPv4 or [IPv6]), an optional port 1..65535, a path and a query. Refuses
// user info (credentials do not belong in URLs), fragments, IPv6 zone ids, and
// any byte that is not visible ASCII, so nothing can smuggle a CR/LF into a
// request line. Messages never repeat the URL (it might carry a key).
result<url> parse_url(std::string_view text);

// `text` as one percent-encoded path segment or query value
// (http::percent_encode_segment): for building REST targets and the
// api_key parameter on the control path.
std::string percent_encoded(std::string_view text);

// A DNS name (letters, digits, '-', '_' in dot-separated labels of 1..63 bytes,
// 253 bytes at most, a last label that is not all digits) or an IP literal
// (IPv6 without brackets). For server_name and URL hosts.
status check_host(std::string_view host);

} // namespace ef::config
