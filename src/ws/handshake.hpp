// The RFC 6455 opening handshake (section 4): the client's upgrade request and
// the check of the server's answer, as the daemon's connection setup uses
// them; and the server's side of it, for the venue simulator. Pure: the
// caller supplies randomness and parsed headers (ef::http::header) and gets
// bytes or a verdict back. Runs once per connection, off the hot path.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "http/header.hpp"

namespace ef::ws {

// RFC 6455 4.1: Sec-WebSocket-Key is the base64 of 16 random bytes.
std::array<char, 24> make_client_key(std::span<const uint8_t, 16> random) noexcept;

// RFC 6455 4.2.2: base64(SHA-1(client_key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::array<char, 28> compute_accept(std::string_view client_key) noexcept;

// Writes the GET upgrade request: Host, Upgrade: websocket, Connection:
// Upgrade, Sec-WebSocket-Key, Sec-WebSocket-Version: 13, then extra_headers
// in order (e.g. X-API-Key). Offers no extension (no permessage-deflate,
// PROTOCOL.md) and no subprotocol. An empty path_and_query writes "/".
// Returns the request's size, or 0 if out is too small or a field would
// change the request's shape (CR, LF or NUL anywhere; a header name that is
// empty or holds ':', space or tab).
size_t write_upgrade_request(std::span<char> out, std::string_view host_header,
                             std::string_view path_and_query, std::string_view client_key,
                             std::span<const http::header> extra_headers) noexcept;

// Verdict on the server's answer, RFC 6455 4.1 (client requirements 1-6).
enum class upgrade_check : uint8_t {
    ok,
    not_101,              // status other than 101 Switching Protocols
    missing_upgrade,      // no "Upgrade: websocket" (any case)
    missing_connection,   // no "upgrade" token in Connection
    bad_accept,           // Sec-WebSocket-Accept missing or not compute_accept(key)
    unexpected_extension, // Sec-WebSocket-Extensions names one we did not offer (any)
    unexpected_protocol,  // Sec-WebSocket-Protocol names one we did not offer (any)
};
upgrade_check check_upgrade_response(int status, std::span<const http::header> headers,
                                     std::string_view client_key) noexcept;
const char* to_string(upgrade_check c) noexcept;

// Server side: verdict on a client's upgrade request, RFC 6455 4.2.1. The
// request line (GET, HTTP/1.1 or later) is the HTTP parser's to check.
enum class request_check : uint8_t {
    ok,
    missing_host,
    missing_upgrade,    // no "websocket" token in Upgrade
    missing_connection, // no "upgrade" token in Connection
    bad_version,        // Sec-WebSocket-Version is not 13 (answer 426 with "Sec-WebSocket-Version: 13")
    bad_key,            // Sec-WebSocket-Key missing, or not 24 chars of base64 of 16 bytes
};
struct upgrade_request {
    request_check check;
    std::string_view client_key; // a view into the headers' storage when check == ok
};
upgrade_request check_upgrade_request(std::span<const http::header> headers) noexcept;
const char* to_string(request_check c) noexcept;

// Writes "HTTP/1.1 101 Switching Protocols" with Upgrade, Connection and
// Sec-WebSocket-Accept: accept. Returns its size, or 0 if out is too small.
size_t write_upgrade_response(std::span<char> out, std::string_view accept) noexcept;

} // namespace ef::ws
