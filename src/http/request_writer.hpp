// Writes HTTP/1.1 messages into caller buffers without allocating: requests
// for the REST client (JSON snapshot GETs, order POSTs on warm keep-alive
// connections) and responses for the venue simulator. Called on the thread
// that owns the connection, right before the bytes go to TLS.
//
// The writers trust their inputs: method, header names and values, target and
// reason come from our own code and configuration, so they are checked once at
// start-up with is_token / is_field_value / is_origin_form (and by EF_ASSERT in
// debug and sanitizer builds), not on every order. Anything built from venue
// data goes through percent_encode_segment (uri.hpp) first.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "http/header.hpp"
#include "http/uri.hpp" // percent_encode_segment, for building targets

namespace ef::http {

// RFC 9110 5.6.2: a non-empty run of tchar (methods, header names).
bool is_token(std::string_view s) noexcept;
// RFC 9110 5.5: no CR, LF, NUL or other CTL except HTAB, and no leading or
// trailing whitespace (a parser would trim it, so it would not round-trip).
bool is_field_value(std::string_view s) noexcept;
// RFC 9112 3.2.1: "/" then path and query bytes, all legal unencoded.
bool is_origin_form(std::string_view target) noexcept;

// Writes "METHOD target HTTP/1.1", Host, `headers` in order, then, when
// `body` is given (even empty), Content-Length and the body. Give a body for
// POST/PATCH: RFC 9110 8.6 wants Content-Length: 0 rather than none there.
// Returns the bytes written, or 0 when the request does not fit in `out`
// (out's contents are then unspecified).
size_t write_request(std::span<char> out, std::string_view method, std::string_view target,
                     std::string_view host, std::span<const header> headers,
                     std::optional<std::string_view> body = std::nullopt) noexcept;

// Writes "HTTP/1.1 status reason", `headers`, then the body framed by
// Content-Length, or, when chunk_bytes > 0, by Transfer-Encoding: chunked in
// chunks of at most chunk_bytes (so tests can make the client cross chunk
// boundaries). 1xx, 204 and 304 get no framing header and must have no body
// (RFC 9110 8.6, 15.3.5); a 101 thus ends at its blank line. `headers` must
// not hold Content-Length or Transfer-Encoding. Returns the bytes written, or
// 0 when the response does not fit.
size_t write_response(std::span<char> out, int status, std::string_view reason,
                      std::span<const header> headers, std::string_view body,
                      size_t chunk_bytes = 0) noexcept;

} // namespace ef::http
