// HTTP/1.1 response parser (RFC 9112) for the client side: the daemon's
// WebSocket upgrade (a 101, after which the rest of the bytes belong to the
// WebSocket stream) and the keep-alive REST client (JSON snapshots and order
// answers with Content-Length or chunked bodies, several responses possibly
// back to back in one TLS read). Driven by the connection's owner on its core,
// with decrypted bytes as they arrive. Pure: no socket, clock or logging, and
// no allocation after construction.
//
// Strict by design: CRLF line endings only, no obs-fold, no whitespace before
// a header's colon, Content-Length digits only (duplicates must agree), the
// only transfer coding accepted is "chunked". A peer that needs leniency gets
// `bad` and error_text() says why.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "http/header.hpp"
#include "http/message_head.hpp"

namespace ef::http {

struct response_head {
    int status = 0;
    int minor_version = 1;
    std::string_view reason;
    std::span<const header> headers; // views into the parser's head buffer
    // The Content-Length header's value, -1 when absent. When `chunked` is
    // also set the body is read chunked and this value is ignored
    // (RFC 9112 6.3 item 3).
    int64_t content_length = -1;
    bool chunked = false;
    // May the connection carry another request after this response? HTTP/1.1
    // defaults to yes, HTTP/1.0 to no (RFC 9112 9.3); "Connection: close" says
    // no, as do bodies delimited by the close and ambiguous framing.
    bool keep_alive = true;
};

class response_parser {
public:
    // head_buffer receives the status line and headers as they arrive; its
    // size is the head limit. body_buffer receives the decoded body; its size
    // is the body limit. Both are the caller's and must outlive the parser
    // and every view it hands out. max_headers is fixed here (the only
    // allocation the parser makes).
    response_parser(std::span<char> head_buffer, std::span<char> body_buffer,
                    size_t max_headers = 64);

    // Consumes bytes of `in`, which need not outlive the call. Returns
    //   need_more: every byte was consumed (consumed == in.size());
    //   done:      a whole response is here; `consumed` stops at its last
    //              byte and what follows belongs to the next response or, after
    //              a 101, to the WebSocket stream. Further feeds return done and
    //              consume nothing until reset().
    //   bad:       error_text() says why; sticky until reset().
    // A 1xx other than 101 (e.g. 100 Continue) is a whole response too: reset
    // and feed the rest to read the final one.
    parse_status feed(std::string_view in, size_t& consumed) noexcept;

    // For a body delimited by the connection closing (no Content-Length, not
    // chunked; RFC 9112 6.3 item 8): call when the peer closed. Returns done
    // if that completes the response, bad if the close cut it short.
    parse_status finish() noexcept;

    // Valid once head_complete(); the views live until reset().
    const response_head& head() const noexcept { return head_; }
    std::string_view body() const noexcept { return {body_, body_len_}; }
    bool head_complete() const noexcept {
        return phase_ != phase::head && phase_ != phase::bad_head;
    }
    const char* error_text() const noexcept { return error_.get(); }

    // Ready for the next response on the same connection (keep-alive).
    void reset() noexcept;
    // The request was HEAD (or CONNECT): the next response has no body
    // whatever its headers say (RFC 9112 6.3 item 1). Call after reset(),
    // before feeding; reset() clears it.
    void expect_no_body() noexcept { no_body_expected_ = true; }

private:
    enum class phase : uint8_t {
        head,
        bad_head, // failed before the head was whole: head() is not usable
        length_body,
        chunk_size,
        chunk_ext_ws,
        chunk_ext,
        chunk_size_lf,
        chunk_data,
        chunk_data_cr,
        chunk_data_lf,
        trailer_line,
        trailer_name,
        trailer_value,
        trailer_lf,
        last_lf,
        close_body,
        done,
        bad,
    };

    [[gnu::cold]] parse_status fail(const char* why) noexcept;
    [[gnu::cold]] parse_status fail_limit(const char* prefix, uint64_t n,
                                          const char* suffix) noexcept;
    [[gnu::cold]] parse_status fail_head(const char* why) noexcept;
    parse_status on_head() noexcept;
    const char* parse_status_line(std::string_view line) noexcept;
    parse_status feed_length(const char*& p, const char* end) noexcept;
    parse_status feed_chunked(const char*& p, const char* end) noexcept;
    parse_status feed_close(const char*& p, const char* end) noexcept;

    detail::head_reader reader_;
    char* body_;
    size_t body_cap_;
    size_t body_len_ = 0;
    std::unique_ptr<header[]> headers_;
    size_t max_headers_;
    response_head head_;
    uint64_t remaining_ = 0;    // body bytes left: Content-Length or current chunk
    uint64_t chunk_size_ = 0;   // being read from the chunk-size line
    size_t extra_bytes_ = 0;    // chunk-extension or trailer bytes, bounded by the head limit
    bool chunk_digits_ = false; // at least one hex digit read
    bool no_body_expected_ = false;
    phase phase_ = phase::head;
    detail::error_text error_;
};

} // namespace ef::http
