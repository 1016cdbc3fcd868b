// Keep-alive HTTPS/1.1 requests on an io_uring loop: a small pool of warm TLS
// connections to one host, a fixed-capacity request queue, one request in
// flight per connection (no pipelining: a timed-out request poisons only its
// own connection), timeouts, reconnection with backoff. Responses are parsed
// in place (Content-Length or chunked) and handed to the requester as a view.
// Everything is allocated at construction; a request allocates nothing.
// Owned and driven by one loop thread.
#pragma once

#include "http/header.hpp"
#include "http/response_parser.hpp"
#include "net/event_loop.hpp"
#include "net/tls_stream.hpp"

#include <edgefeed/layout.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ef::net {

enum class https_failure : uint8_t {
    timeout,     // no complete answer within the request's timeout
    connection,  // the connection failed or closed before the answer
    malformed,   // the answer was not valid HTTP
    too_large,   // the answer's headers or body exceed the buffers
    queue_full,  // never sent: the request queue was full
    not_sent,    // never written: no connection took it in time, or the write was refused
};
const char* to_string(https_failure f) noexcept;

// Whoever asked gets exactly one callback per accepted request.
class https_handler {
public:
    virtual ~https_handler() = default;
    // body is valid only during the call.
    virtual void on_https_response(uint64_t tag, int status, std::string_view body,
                                   int64_t round_trip_ns) noexcept = 0;
    virtual void on_https_failure(uint64_t tag, https_failure why, const char* text) noexcept = 0;
    // The request's bytes were handed to the kernel at mono_ns (orders time
    // their submit-to-wire latency from it; a failure after this point means
    // the venue may have acted on the request).
    virtual void on_https_sent(uint64_t /*tag*/, int64_t /*mono_ns*/) noexcept {}
};

struct https_client_options {
    std::string name;              // "openmarkets-rest#0"; connection k is name + "." + k
    endpoint ep;
    std::string host_header;
    std::string sni;               // empty for IP literals
    std::string verify_name;
    std::vector<http::header> headers; // sent with every request (views must outlive the client)
    unsigned connections = 2;
    unsigned queue = 64;           // requests waiting for a connection
    size_t max_target_bytes = 1024;
    size_t max_request_body_bytes = 16384;
    size_t head_bytes = 16384;
    size_t body_bytes = 8 << 20;   // largest response body
    int64_t request_timeout_ns = 5'000'000'000;
    int64_t connect_timeout_ns = 3'000'000'000;
    int64_t backoff_initial_ns = 250'000'000;
    int64_t backoff_max_ns = 10'000'000'000;
    // A connection idle this long is replaced by a fresh one (0: never), so
    // that it is never the server's idle timeout that closes it under a
    // request. One connection is recycled at a time while another is live.
    int64_t recycle_idle_ns = 0;
    uint64_t seed = 0;
};

class https_client {
public:
    // conn_stats: one ef_conn_stats per pooled connection (empty: none
    // published); round_trip may be null.
    https_client(event_loop& loop, const tls::tls_context& tls, https_client_options opts,
                 std::vector<ef_conn_stats*> conn_stats, ef_histogram* round_trip);
    ~https_client();
    https_client(const https_client&) = delete;
    https_client& operator=(const https_client&) = delete;

    // Opens the pool's connections now, so the first request finds them warm.
    void start() noexcept;
    void stop() noexcept;

    // Queues a request; false (and nothing queued) when the queue is full or
    // the target/body exceed their buffers. A queued request waits at most
    // request_timeout_ns for a connection, then fails with `timeout`. The
    // handler may be called from inside these calls (a connection that
    // refuses the write fails the request at once), so callers set their
    // state before asking.
    bool get(https_handler& h, uint64_t tag, std::string_view target) noexcept;
    bool post(https_handler& h, uint64_t tag, std::string_view target,
              std::string_view json_body) noexcept;
    // Any method, with up to max_extra_headers headers of its own (copied,
    // at most extra_header_bytes in all) after the client's fixed ones. A
    // non-empty body is sent as JSON. `submit_now` hands the bytes to the
    // kernel at once instead of at the loop's next poll (orders).
    static constexpr unsigned max_extra_headers = 4;
    static constexpr size_t extra_header_bytes = 512;
    bool send(https_handler& h, uint64_t tag, std::string_view method, std::string_view target,
              std::span<const http::header> extra_headers, std::string_view json_body,
              bool submit_now) noexcept;

    unsigned queued() const noexcept { return queued_; }
    unsigned in_flight() const noexcept;
    unsigned live_connections() const noexcept;
    uint64_t recycled() const noexcept { return recycled_; } // idle connections replaced
    const https_client_options& options() const noexcept { return opts_; }

    // Internals shared with the pooled connections (https_client.cpp).
    struct request;
    class connection;

private:
    friend class connection;
    bool enqueue(https_handler& h, uint64_t tag, std::string_view method, std::string_view target,
                 std::span<const http::header> extra_headers, std::string_view body,
                 bool has_body, bool submit_now) noexcept;
    void dispatch() noexcept;            // hands queued requests to idle live connections
    request* pop_request() noexcept;
    void release(request* r) noexcept;
    // Fails queued requests older than the timeout; returns the oldest one's deadline.
    int64_t expire_queued(int64_t now) noexcept;

    event_loop& loop_;
    const tls::tls_context& tls_;
    https_client_options opts_;
    ef_histogram* round_trip_;
    std::vector<std::unique_ptr<connection>> conns_;
    std::unique_ptr<request[]> requests_;
    std::unique_ptr<char[]> storage_; // every request's target and body buffers
    std::vector<request*> free_;   // reserved at construction: push/pop never allocate
    std::vector<request*> fifo_;   // ring over reserved storage
    unsigned head_ = 0, queued_ = 0;
    uint64_t recycled_ = 0;
    bool stopped_ = false;
};

} // namespace ef::net
