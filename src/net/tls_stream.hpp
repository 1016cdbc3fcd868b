// One TCP connection carrying TLS, driven entirely by io_uring: connect (with
// a linked timeout), a multishot receive into the loop's provided buffers,
// sends straight from the TLS session's outbound buffer, and close of the
// fixed file. Decrypted bytes go to a stream_handler (the WebSocket client in
// the daemon, the venue's server side in the simulator). Used by one loop
// thread; buffers are allocated once at construction.
#pragma once

#include "net/event_loop.hpp"
#include "net/socket_ops.hpp"
#include "tls/tls_session.hpp"

#include <cstdint>
#include <memory>
#include <span>

namespace ef::net {

enum class stream_end : uint8_t {
    peer_closed,       // TCP FIN or TLS close_notify
    io_error,          // a socket error (ECONNRESET, ...)
    connect_failed,    // refused / unreachable / timed out
    tls_failed,
    tls_verify_failed, // certificate or name not trusted
    local_close,       // we closed it
};
const char* to_string(stream_end e) noexcept;

class stream_handler {
public:
    virtual ~stream_handler() = default;
    virtual void on_tcp_connected() noexcept {}
    virtual void on_tls_ready() noexcept = 0;
    // Decrypted application bytes, mutable (a server unmasks frames in
    // place) and valid only during the call. The handler may close() or
    // write() from here.
    virtual void on_plaintext(std::span<uint8_t> bytes) noexcept = 0;
    // The stream is closed when this runs; `text` explains for logs.
    virtual void on_stream_closed(stream_end why, const char* text) noexcept = 0;
};

// Operation codes packed into io_uring user_data by op_tag.
enum stream_op : uint8_t {
    op_connect = 1,
    op_connect_timeout = 2,
    op_recv = 3,
    op_send = 4,
    op_close = 5,
    op_cancel = 6,
    op_accept = 7, // listeners
};

struct stream_buffers {
    size_t staging_bytes = 65536;  // ciphertext awaiting decryption (> 1 record)
    size_t outbound_bytes = 65536; // ciphertext awaiting send
    size_t plain_bytes = 16384 + 1024; // one record's plaintext
};

class tls_stream {
public:
    tls_stream(event_loop& loop, stream_handler& handler, uint32_t owner_slot,
               const stream_buffers& sizes);
    ~tls_stream();

    // Client: opens a socket and connects; the TLS handshake starts when the
    // TCP connection is up. Errors here are immediate (socket, fixed table).
    status connect(const endpoint& ep, const tls::tls_context& ctx, std::string_view sni,
                   std::string_view verify_name, WOLFSSL_SESSION* resume,
                   int64_t timeout_ns);
    // Server: takes an accepted socket and waits for the ClientHello.
    status adopt(int fd, const tls::tls_context& ctx);

    // Routes a completion of this stream; stale ones (an earlier socket of
    // the same stream) only give their receive buffer back.
    void on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept;

    // Encrypts and queues plaintext; want_room when the outbound buffer is full.
    tls::io_status write(std::span<const uint8_t> plain) noexcept;
    size_t outbound_room() const noexcept { return tls_.outbound_room(); }
    // Sends close_notify (best effort) and closes. No handler callback.
    void close() noexcept;
    // Closes at once, with no close_notify: what a crashing peer looks like.
    void abort() noexcept;
    // Closes once everything queued (e.g. a WebSocket close frame) has been
    // handed to the kernel; the caller bounds the wait with its own deadline.
    void close_after_flush() noexcept;

    bool is_open() const noexcept { return state_ == state::open; }
    bool is_idle() const noexcept { return state_ == state::closed && !close_pending_; }
    bool resumed() const noexcept { return tls_.resumed(); }
    tls::tls_session& session() noexcept { return tls_; }
    uint64_t bytes_in() const noexcept { return bytes_in_; }
    uint64_t bytes_out() const noexcept { return bytes_out_; }
    uint64_t records_in() const noexcept { return records_in_; }

private:
    enum class state : uint8_t { closed, connecting, handshaking, open };

    void arm_recv() noexcept;
    void flush() noexcept;
    void drain() noexcept;
    void on_recv(const io_uring_cqe& cqe) noexcept;
    void on_send(const io_uring_cqe& cqe) noexcept;
    void on_connect(const io_uring_cqe& cqe) noexcept;
    void fail(stream_end why, const char* text) noexcept;
    void release_socket(bool send_close_notify) noexcept;
    uint64_t tag(uint8_t op) const noexcept {
        return platform::op_tag::pack(op, owner_slot_, generation_);
    }

    event_loop& loop_;
    stream_handler& handler_;
    uint32_t owner_slot_;
    uint32_t generation_ = 1;
    state state_ = state::closed;
    int fixed_ = -1;
    bool close_pending_ = false; // a close_direct is in flight for fixed_
    bool recv_armed_ = false;
    bool close_when_flushed_ = false;
    tls::tls_session tls_;
    std::unique_ptr<uint8_t[]> plain_;
    size_t plain_bytes_;
    uint64_t bytes_in_ = 0, bytes_out_ = 0, records_in_ = 0;
    char error_text_[200] = {};
    __kernel_timespec connect_timeout_{};
};

} // namespace ef::net
