// The simulated OpenMarkets venue: one io_uring loop serving TLS on one port,
// speaking the stream protocol (upgrade with API-key check, greeting,
// subscribe to the liquidity and contest_state channels, updates, pings,
// close), the REST read API (rest_routes.cpp), injected faults (faults.hpp)
// and a small control API under /_sim/ that tests and the demo use to start
// bursts, change the rate, inject faults and read the truth. It reuses the
// project's own TLS, HTTP and WebSocket code in their server roles; the peer
// tests against a server we did not write keep that reuse from hiding shared
// bugs. sim_session.cpp holds the per-connection side, sim_server.cpp the
// venue-wide one, fault_actions.cpp how faults are carried out.
#pragma once

#include "edgesim/faults.hpp"
#include "edgesim/order_routes.hpp"
#include "edgesim/venue_book.hpp"
#include "http/request_parser.hpp"
#include "json/scanner.hpp"
#include "net/event_loop.hpp"
#include "net/tls_stream.hpp"
#include "tls/tls_context.hpp"
#include "ws/frame_parser.hpp"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ef::sim {

struct sim_options {
    std::string api_key = "sim-key";     // the key clients must present
    int64_t ping_interval_ns = 25'000'000'000; // seed: server pings every 25 s
    double rate_per_second = 0;          // steady updates across subscribed contests
    unsigned entries_per_message = 3;
    // Off: the client takes a REST snapshot (PROTOCOL.md); on: also stream a
    // contest's liquidity as updates when it is subscribed.
    bool replay_on_subscribe = false;
    unsigned max_sessions = 32;
    size_t max_message_bytes = 1 << 20;
    int timestamp_digits = 9;                  // fractional digits in venue timestamps (3..9)
    bool rest_chunked = false;                 // every REST answer chunked, not every second one
    int64_t state_interval_ns = 1'000'000'000; // game state tick; 0: frozen
    uint64_t seed = 1;                         // state ticks and chaos draw from it
    // A plain HTTP connection with nothing received or sent for this long is
    // closed (0: never); WebSocket sessions have pings instead.
    int64_t idle_timeout_ns = 60'000'000'000;
    order_desk_options orders; // om.api_key is set from api_key
};

class sim_server;
class sim_session;

// The decoder's handler (see stream_ws_events in the daemon for why).
struct sim_ws_events {
    sim_session* session;
    void on_message(ws::opcode op, std::span<const uint8_t> payload) noexcept;
    void on_ping(std::span<const uint8_t> payload) noexcept;
    void on_pong(std::span<const uint8_t> payload) noexcept;
    void on_close(uint16_t code, std::string_view reason) noexcept;
};

class sim_session final : public net::completion_owner, public net::stream_handler {
public:
    sim_session(sim_server& server, net::event_loop& loop, uint32_t index);

    bool free() const noexcept { return !active_ && stream_->is_idle(); }
    bool is_ws() const noexcept { return ws_; }
    // A WebSocket session still taking messages (not closing).
    bool is_live_ws() const noexcept { return active_ && ws_ && !closing_; }
    const std::set<std::string>& contests() const noexcept { return contests_; }
    const std::set<std::string>& state_contests() const noexcept { return state_contests_; }
    status adopt(int fd);

    // Appends a WebSocket text frame (server frames are unmasked).
    void send_text(std::string_view text);
    // Appends ready-made frames (header included) and sends them.
    void send_raw(std::string_view frames);
    void send_ping();
    size_t backlog_bytes() const noexcept { return backlog_.size() - backlog_off_; }
    bool awaiting_pong() const noexcept { return awaiting_pong_; }
    void drop(const char* why);
    // Faults: an abrupt close with RST (SO_LINGER 0); nothing sent until
    // `until` (mono ns), socket left open; bytes, then a TCP close.
    void drop_rst();
    void stall_until(int64_t until_mono_ns);
    bool stalled(int64_t now_mono_ns) const noexcept { return now_mono_ns < stalled_until_; }
    void send_then_close(std::string_view bytes);
    // Delayed REST answers and stall ends; returns the session's next due time.
    int64_t tick(int64_t now_mono_ns) noexcept;

    void on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept override;
    int64_t on_deadline(int64_t) noexcept override { return net::no_deadline; }
    void on_tls_ready() noexcept override {}
    void on_plaintext(std::span<uint8_t> bytes) noexcept override;
    void on_stream_closed(net::stream_end why, const char* text) noexcept override;

    void on_message(ws::opcode op, std::span<const uint8_t> payload) noexcept;
    void on_ping(std::span<const uint8_t> payload) noexcept;
    void on_pong(std::span<const uint8_t> payload) noexcept;
    void on_close(uint16_t code, std::string_view reason) noexcept;

    void pump() noexcept;

private:
    void on_request();
    void on_control();
    void on_rest();
    void on_order();
    void upgrade();
    void respond(int status, std::string_view reason, std::string_view content_type,
                 std::string_view body, bool chunked = false);
    void send_frame(ws::opcode op, std::string_view payload, bool fin = true);
    void handle_client_text(std::string_view text);
    void release();
    // Stops reading requests (a REST answer is delayed or hung): bytes that
    // arrive meanwhile wait in inbox_, so pipelined answers keep their order.
    void hold_input(std::span<uint8_t> rest);

    sim_server& server_;
    net::event_loop& loop_;
    uint32_t index_;
    uint32_t slot_;
    std::unique_ptr<char[]> head_buf_, body_buf_;
    http::request_parser http_;
    std::unique_ptr<uint8_t[]> msg_buf_;
    ws::message_decoder<sim_ws_events> decoder_;
    sim_ws_events events_{this};
    std::unique_ptr<char[]> scratch_mem_;
    json::scratch scratch_;
    std::unique_ptr<net::tls_stream> stream_;
    std::string backlog_;
    size_t backlog_off_ = 0;
    std::set<std::string> contests_;       // liquidity channel
    std::set<std::string> state_contests_; // contest_state channel
    std::string key_;
    int sock_fd_ = -1;          // our own reference to the socket, for SO_LINGER
    int64_t stalled_until_ = 0; // mono ns
    int64_t last_active_ = 0;   // mono ns of the last byte in or answer out
    std::string delayed_;       // a REST answer waiting for delayed_due_
    int64_t delayed_due_ = 0;
    bool holding_ = false; // delayed_ or hung: input waits in inbox_
    bool hung_ = false;
    std::string inbox_;
    bool active_ = false;
    bool ws_ = false;
    bool closing_ = false;
    bool awaiting_pong_ = false;
};

struct sim_stats {
    uint64_t sessions_accepted = 0;
    uint64_t upgrades = 0;
    uint64_t rejected_401 = 0;
    uint64_t rejected_429 = 0;
    uint64_t messages_sent = 0;
    uint64_t entries_sent = 0;
    uint64_t pongs_received = 0;
    uint64_t pings_sent = 0;
    uint64_t client_pings = 0;
    uint64_t snapshots_served = 0;
    uint64_t rest_requests = 0;
    uint64_t rest_chunked = 0;
    uint64_t state_updates_sent = 0;
};

class sim_server final : public net::completion_owner {
public:
    sim_server(sim_options opts, venue_book& book, const tls::tls_context& tls,
               net::event_loop& loop);

    status listen(const std::string& host, uint16_t port);
    uint16_t port() const noexcept { return port_; }

    void on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept override;
    int64_t on_deadline(int64_t now) noexcept override;

    // Control (also reachable over /_sim/ from a session).
    void start_burst(uint64_t messages, unsigned entries);
    void set_rate(double per_second);
    unsigned drop_websockets();
    // Benchmarks: generate a burst ahead (truth updated), then release it at
    // once, so sending costs only framing already done plus TLS.
    void prepare(uint64_t messages, unsigned entries);
    uint64_t release_prepared();
    std::string status_json() const;

    // Faults (faults.hpp, fault_actions.cpp). apply_fault answers with a
    // short JSON note ({"contest_id":...} for contest_open) or an error.
    result<std::string> apply_fault(const fault_request& r);
    fault_book& faults() noexcept { return faults_; }
    // Random stream faults every ~period (0: off), drawn from `seed`.
    void set_chaos(int64_t period_ms, uint64_t seed);
    // A REST snapshot of `contest` is about to be built (snapshot_change).
    void before_snapshot(const std::string& contest);
    // Should the next REST answer be chunked? (every second one, or all)
    bool next_rest_chunked() noexcept;
    // One JSON line per contest: status, league, start, last change, state.
    std::string contests_truth() const;

    const sim_options& options() const noexcept { return opts_; }
    venue_book& book() noexcept { return book_; }
    const tls::tls_context& tls() const noexcept { return tls_; }
    sim_stats& stats() noexcept { return stats_; }
    std::string timestamp_now() const;
    // Venue timestamps: always timestamp_digits fractional digits.
    std::string timestamp_text(int64_t unix_ns) const;
    // The next timestamp of a change of `contest` (strictly increasing).
    std::string stamp_text(const std::string& contest);
    int64_t start_unix_ns() const noexcept { return start_unix_ns_; }
    unsigned sessions_with_key(const std::string& key) const;
    // A session subscribed: replay the contests' liquidity if configured.
    void on_subscribed(sim_session& s, const std::vector<std::string>& added);
    void wake() noexcept { loop_.schedule(0); }
    order_desk& orders() noexcept { return orders_; }
    // Executes one order request (order_routes.hpp) and streams the
    // liquidity a real OpenMarkets fill consumed.
    order_answer answer_order(const http::request_head& h, std::string_view body);
    // Streams changes already applied to the truth as one liquidity.update.
    void publish_changes(const std::string& contest, const std::vector<sim_entry>& entries);
    bool any_subscribed() const { return !subscribed_contests().empty(); }

private:
    void arm_accept();
    void generate(uint64_t messages, unsigned entries);
    // Open contests some session takes liquidity for.
    std::vector<std::string> subscribed_contests() const;
    void tick_states();
    void send_state(const std::string& contest);
    void run_fault_queue(int64_t now);
    bool run_stream_fault(const fault_request& r, int64_t now);
    void run_chaos(int64_t now);
    std::string pick_contest(const std::string& wanted);
    uint64_t next_random() noexcept;

    sim_options opts_;
    venue_book& book_;
    const tls::tls_context& tls_;
    net::event_loop& loop_;
    uint32_t slot_;
    int listen_fd_ = -1;
    uint16_t port_ = 0;
    std::vector<std::unique_ptr<sim_session>> sessions_;
    sim_stats stats_;
    uint64_t burst_remaining_ = 0;
    unsigned burst_entries_ = 3;
    double rate_ = 0;
    int64_t rate_start_ns_ = 0;
    uint64_t rate_sent_ = 0;
    int64_t next_ping_ = 0;
    size_t rr_ = 0; // round-robin over subscribed contests
    std::vector<std::pair<std::string, std::string>> prepared_; // contest, whole frame
    int64_t start_unix_ns_ = 0;
    int64_t next_state_tick_ = 0;
    uint64_t rng_ = 0; // state ticks, fault choices (not the book's)
    uint64_t rest_answers_ = 0;
    fault_book faults_;
    order_desk orders_;
    int64_t chaos_period_ns_ = 0;
    int64_t chaos_next_ = 0;
    uint64_t chaos_rng_ = 0;
};

} // namespace ef::sim
