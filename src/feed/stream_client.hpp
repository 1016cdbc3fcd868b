// One OpenMarkets stream connection (wss://HOST/flow/v1/stream), from TCP
// connect to live updates and back: TLS with verification, the RFC 6455
// upgrade, greeting, subscribe, liquidity.update into the book, pings both
// ways, the close handshake, and reconnection with backoff and jitter. Every
// failure is counted, logged rate-limited, and ends in a reconnect; the
// contests it serves are marked stale until it is live again.
// Owned and driven by one feed loop thread; allocates only at construction
// (and in wolfSSL's handshake when it reconnects).
#pragma once

#include "book/region.hpp"
#include "book/writer.hpp"
#include "feed/book_applier.hpp"
#include "feed/conn_report.hpp"
#include "feed/contest_sync.hpp"
#include "http/response_parser.hpp"
#include "json/scanner.hpp"
#include "json/stream_message.hpp"
#include "net/event_loop.hpp"
#include "net/https_client.hpp"
#include "net/tls_stream.hpp"
#include "ws/frame_parser.hpp"
#include "ws/mask_source.hpp"

#include <memory>
#include <string>
#include <vector>

namespace ef::feed {

struct stream_client_options {
    std::string name;              // "openmarkets#0": logs and edgestat
    uint32_t conn_index = 0;       // its slot in the stats section
    uint32_t loop_index = 0;
    net::endpoint endpoint;
    std::string host_header;       // "127.0.0.1:8443"
    std::string target;            // path (+ "?api_key=..." in query mode: never logged)
    std::string sni;               // empty for IP literals
    std::string verify_name;       // certificate name or IP to verify
    std::string_view api_key;      // header mode: X-API-Key; the daemon owns the secret; never logged
    bool key_in_header = true;
    std::vector<std::pair<std::string, uint32_t>> contests; // id, book index
    size_t max_message_bytes = 1 << 20;
    net::stream_buffers buffers;
    int64_t connect_timeout_ns = 3'000'000'000;
    int64_t tls_timeout_ns = 5'000'000'000;
    int64_t upgrade_timeout_ns = 5'000'000'000;
    int64_t heartbeat_timeout_ns = 60'000'000'000;
    int64_t app_ping_interval_ns = 15'000'000'000;
    int64_t backoff_initial_ns = 1'000'000'000;
    int64_t backoff_max_ns = 30'000'000'000;
    int jitter_pct = 20;
    int64_t healthy_after_ns = 30'000'000'000;
    uint64_t seed = 0;             // jitter PRNG
    contest_sync_options sync;     // snapshots, hold buffer, contest state
};

class stream_client;

// The WebSocket decoder's handler. A separate type because the decoder's
// concept check needs a complete type, and stream_client is not complete
// where its decoder member is declared.
struct stream_ws_events {
    stream_client* client;
    void on_message(ws::opcode op, std::span<const uint8_t> payload) noexcept;
    void on_ping(std::span<const uint8_t> payload) noexcept;
    void on_pong(std::span<const uint8_t> payload) noexcept;
    void on_close(uint16_t code, std::string_view reason) noexcept;
};

class stream_client final : public net::completion_owner, public net::stream_handler {
public:
    stream_client(net::event_loop& loop, const tls::tls_context& tls, book::book_region& region,
                  book::position_writer& writer, ef_conn_stats& stats,
                  stream_client_options opts, net::https_client* rest);
    ~stream_client() override;

    void start() noexcept;    // first connect, now
    // Discovery: serve one more contest / stop serving one (closed by the
    // venue). Resubscribes at once when live (the venue replaces the list).
    // No allocation: ids and messages live in buffers sized at construction.
    bool add_contest(std::string_view id, uint32_t index) noexcept;
    void remove_contest(uint32_t index, bool closed) noexcept;
    uint32_t conn_index() const noexcept { return opts_.conn_index; }
    void shutdown() noexcept; // close 1001 "going away" and stop reconnecting
    bool stopped() const noexcept;
    bool live() const noexcept { return report_.state() == EF_CONN_live; }

    // completion_owner
    void on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept override;
    int64_t on_deadline(int64_t now) noexcept override;

    // stream_handler
    void on_tcp_connected() noexcept override;
    void on_tls_ready() noexcept override;
    void on_plaintext(std::span<uint8_t> bytes) noexcept override;
    void on_stream_closed(net::stream_end why, const char* text) noexcept override;

    // ws::message_decoder handler
    void on_message(ws::opcode op, std::span<const uint8_t> payload) noexcept;
    void on_ping(std::span<const uint8_t> payload) noexcept;
    void on_pong(std::span<const uint8_t> payload) noexcept;
    void on_close(uint16_t code, std::string_view reason) noexcept;

private:
    void connect_now(int64_t now) noexcept;
    void on_upgrade_bytes(std::span<uint8_t> bytes) noexcept;
    void on_ws_bytes(std::span<uint8_t> bytes) noexcept;
    void handle_text(std::string_view text) noexcept;
    void on_greeting() noexcept;
    void on_subscribed(const json::subscription_message& m) noexcept;
    void on_update(const json::liquidity_update& u, std::string_view raw) noexcept;
    void on_state_update(const json::contest_state_update& u) noexcept;
    bool send_frame(ws::opcode op, std::span<const uint8_t> payload) noexcept;
    void begin_close(uint16_t code, const char* why) noexcept;
    void lost(int64_t now) noexcept; // connection gone: stale, schedule reconnect
    int64_t backoff_delay() noexcept;
    void set_state(ef_conn_state s) noexcept;
    void build_subscribe() noexcept;
    void send_subscribe() noexcept;

    net::event_loop& loop_;
    const tls::tls_context& tls_ctx_;
    book::book_region& region_;
    stream_client_options opts_;
    conn_report report_;
    book_applier applier_;
    contest_sync sync_;
    uint32_t slot_;
    net::tls_stream stream_;
    WOLFSSL_SESSION* resume_ = nullptr;

    // Upgrade
    std::unique_ptr<char[]> http_head_;
    std::unique_ptr<char[]> http_body_;
    http::response_parser http_;
    std::array<char, 24> ws_key_{};
    std::unique_ptr<char[]> request_;
    size_t request_len_ = 0;

    // WebSocket
    std::unique_ptr<uint8_t[]> message_buf_;
    ws::message_decoder<stream_ws_events> decoder_;
    stream_ws_events events_{this};
    ws::mask_source masks_;
    std::unique_ptr<uint8_t[]> frame_buf_;
    size_t frame_buf_len_;
    std::string subscribe_json_;
    std::string subscribe_state_json_; // empty: contest state not followed
    std::unique_ptr<uint32_t[]> confirmed_; // contests of one "subscribed" answer

    // JSON
    std::unique_ptr<char[]> scratch_mem_;
    json::scratch scratch_;
    json::stream_message msg_;

    // Timing
    int64_t phase_deadline_ = net::no_deadline; // connect/TLS/upgrade/close grace
    int64_t reconnect_at_ = net::no_deadline;
    int64_t next_app_ping_ = net::no_deadline;
    int64_t last_rx_ = 0;
    int64_t live_since_ = 0;
    int64_t decrypted_at_ = 0;
    int64_t unix_offset_ns_ = 0; // unix_ns() - mono_ns(), for venue latency
    unsigned retry_ = 0;
    uint64_t rng_;
    bool shutting_down_ = false;
    bool close_sent_ = false;
    bool ever_connected_ = false;
};

} // namespace ef::feed
