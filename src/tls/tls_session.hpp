// One TLS connection over memory buffers. The loop copies received ciphertext
// in (push), asks for plaintext (read), writes plaintext (write) and sends
// what pending_out() returns; wolfSSL never touches a socket. Reads follow the
// "progressive" rule from FIELD.md: wolfSSL_read is called only when a whole
// record is staged, because a read that ends in WANT_READ costs 100-300 ns
// while checking the 5-byte record header costs a few.
// Buffers are allocated once, at construction; nothing allocates per record.
#pragma once

#include "common/result.hpp"
#include "tls/tls_context.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ef::tls {

enum class [[nodiscard]] io_status : int8_t {
    ok,         // progress made / done
    want_more,  // needs more ciphertext from the peer
    want_room,  // the outbound buffer is full: send, then retry
    closed,     // the peer sent close_notify
    failed,     // see last_error()
};

class tls_session {
public:
    // staging_bytes: received ciphertext not yet decrypted (>= 2 records).
    // outbound_bytes: ciphertext waiting to be sent.
    tls_session(size_t staging_bytes, size_t outbound_bytes);
    ~tls_session();
    tls_session(const tls_session&) = delete;
    tls_session& operator=(const tls_session&) = delete;

    // Begins a new connection (any previous one is dropped). sni: empty for
    // none (IP literals must not be sent as SNI, RFC 6066 3). verify_name:
    // the name or IP the certificate must carry (client only).
    // resume: a session saved from an earlier connection, or nullptr.
    status start(const tls_context& ctx, std::string_view sni, std::string_view verify_name,
                 WOLFSSL_SESSION* resume);
    void reset() noexcept;

    // Copies received ciphertext in; returns how much fit (the rest must be
    // pushed again after read() drained some).
    size_t push(std::span<const uint8_t> ciphertext) noexcept;
    bool has_record() const noexcept; // a whole record is staged, or wolfSSL holds plaintext

    io_status handshake() noexcept;
    bool handshake_done() const noexcept { return handshake_done_; }
    bool resumed() const noexcept;

    // Decrypts one record into out; `n` gets the plaintext bytes (0 for a
    // record that carried no application data, e.g. a session ticket).
    io_status read(std::span<uint8_t> out, size_t& n) noexcept;
    // Encrypts all of `plain` into the outbound buffer, or nothing: want_room
    // when it may not fit (checked before calling wolfSSL, so wolfSSL never
    // has to buffer a partial write).
    io_status write(std::span<const uint8_t> plain) noexcept;
    size_t outbound_room() const noexcept;
    // Queues close_notify.
    void shutdown() noexcept;

    // Ciphertext to send. After a send completes, consume_out(bytes_sent).
    std::span<const uint8_t> pending_out() const noexcept {
        return {out_.get() + out_head_, out_tail_ - out_head_};
    }
    void consume_out(size_t n) noexcept;
    // Marks [head, head + n) as handed to the kernel: that range is not moved
    // by compaction until consume_out().
    void mark_in_flight(size_t n) noexcept { out_in_flight_ = n; }
    size_t in_flight() const noexcept { return out_in_flight_; }

    // A resumable copy of the session (allocates; call once per connection).
    WOLFSSL_SESSION* save_session() noexcept;
    const char* last_error() const noexcept { return last_error_; }
    int last_error_code() const noexcept { return last_error_code_; }
    const char* cipher() const noexcept;
    const char* version() const noexcept;

    // Called by the I/O callbacks.
    int on_recv(char* buf, int sz) noexcept;
    int on_send(const char* buf, int sz) noexcept;

private:
    io_status fail(int ret) noexcept;
    void compact_staging() noexcept;

    WOLFSSL* ssl_ = nullptr;
    std::unique_ptr<uint8_t[]> staging_;
    size_t staging_cap_, st_head_ = 0, st_tail_ = 0;
    std::unique_ptr<uint8_t[]> out_;
    size_t out_cap_, out_head_ = 0, out_tail_ = 0, out_in_flight_ = 0;
    bool handshake_done_ = false;
    int last_error_code_ = 0;
    char last_error_[160] = {}; // fixed: failures must not allocate either
};

} // namespace ef::tls
