// HTTP/1.1 request parser (RFC 9112) for the server side: the venue
// simulator reads GET/POST/PATCH/DELETE requests from the REST client, on
// keep-alive connections and pipelined. Driven by the simulator's connection
// loop with bytes as they arrive. Pure: no socket, clock or logging, and no
// allocation after construction.
//
// Strict by design, as response_parser: CRLF only, no obs-fold, no
// whitespace before a colon, Content-Length digits only (duplicates must
// agree), exactly one Host in HTTP/1.1 (RFC 9112 3.2), request targets in
// origin-form ("/path?query") or "*" only. Bodies must be delimited by
// Content-Length: a request carrying Transfer-Encoding, chunked or not, is
// rejected as bad ("Transfer-Encoding in requests is not supported"), which
// also closes the CL/TE smuggling door (RFC 9112 6.3 item 3). Empty lines
// before a request line are not skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "http/header.hpp"
#include "http/message_head.hpp"
#include "http/uri.hpp" // percent_decode, find_query_param: what handlers need next

namespace ef::http {

struct request_head {
    std::string_view method; // case-sensitive token (RFC 9110 9.1)
    std::string_view target; // as sent: path, then "?query" if any
    std::string_view path;   // target up to the first '?', still percent-encoded
    std::string_view query;  // after the '?', without it; empty when none
    int minor_version = 1;
    std::span<const header> headers; // views into the parser's head buffer
    int64_t content_length = -1;     // -1 when absent (the body is then empty)
    // May another request follow on this connection (RFC 9112 9.3)?
    bool keep_alive = true;
};

class request_parser {
public:
    // As response_parser: head_buffer bounds the request line plus headers,
    // body_buffer the body; both are the caller's and must outlive the parser
    // and the views it hands out.
    request_parser(std::span<char> head_buffer, std::span<char> body_buffer,
                   size_t max_headers = 64);

    // need_more: all of `in` consumed. done: one whole request; `consumed`
    // stops at its last byte and the rest is the next (pipelined) request;
    // feeds return done consuming nothing until reset(). bad: sticky;
    // error_text() says why (answer 400, or 413/431 for the size limits, and close).
    parse_status feed(std::string_view in, size_t& consumed) noexcept;

    const request_head& head() const noexcept { return head_; }
    std::string_view body() const noexcept { return {body_, body_len_}; }
    bool head_complete() const noexcept { return phase_ == phase::body || phase_ == phase::done; }
    const char* error_text() const noexcept { return error_.get(); }
    void reset() noexcept;

private:
    enum class phase : uint8_t { head, body, done, bad };

    [[gnu::cold]] parse_status fail(const char* why) noexcept;
    [[gnu::cold]] parse_status fail_limit(const char* prefix, uint64_t n,
                                          const char* suffix) noexcept;
    parse_status on_head() noexcept;
    const char* parse_request_line(std::string_view line) noexcept;

    detail::head_reader reader_;
    char* body_;
    size_t body_cap_;
    size_t body_len_ = 0;
    std::unique_ptr<header[]> headers_;
    size_t max_headers_;
    request_head head_;
    uint64_t remaining_ = 0;
    phase phase_ = phase::head;
    detail::error_text error_;
};

} // namespace ef::http
