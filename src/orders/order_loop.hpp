// The order loop: one pinned thread with its own io_uring that polls every
// strategy's request ring, checks each order (well-formed, pre-trade risk),
// writes it from templates into preallocated buffers and sends it over warm
// keep-alive TLS connections to the venue's REST order endpoint, turns the
// venue's answer into responses on the strategy's response ring, and
// reconciles orders whose outcome is unknown. It never re-sends an order.
// Everything is allocated before ready(); the journal thread writes what the
// loop hands it. Created and started by the daemon.
#pragma once

#include "book/region.hpp"
#include "common/result.hpp"
#include "config/secret.hpp"
#include "net/event_loop.hpp"
#include "net/https_client.hpp"
#include "orders/cl_order_id.hpp"
#include "orders/journal_writer.hpp"
#include "orders/order_channel.hpp"
#include "orders/risk.hpp"
#include "platform/uring_loop.hpp"
#include "tls/tls_context.hpp"
#include "tls/tls_memory.hpp"

#include <edgefeed/orders.h>

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ef::json {
struct ct_order;
}

namespace ef::orders {

// A Connect Trade account the daemon may trade, with its user's credentials.
struct ct_account {
    std::string account_id;
    std::string user_id;
    config::secret user_secret;
};

struct order_loop_options {
    int core = -1;             // -1: not pinned
    uint32_t loop_index = 0;   // its ef_loop_stats slot
    net::idle_policy idle;
    platform::uring_options uring;
    size_t tls_pool_bytes = size_t{8} << 20;
    uint32_t max_in_flight = 256;
    uint32_t max_open_orders = 4096;    // Connect Trade orders working at the venue
    uint32_t deferred_responses = 4096; // held while a strategy's response ring is full
    int64_t warm_interval_ns = 100'000'000;
    int64_t reconcile_interval_ns = 500'000'000;
    uint32_t reconcile_attempts = 20;
    // OpenMarkets: POST <om_orders_target>; connections use stats slots
    // om_conn_index.. (the client's fixed headers carry the API key).
    bool om_enabled = false;
    std::string om_orders_target;
    net::https_client_options om;
    uint32_t om_conn_index = 0;
    // Connect Trade (fixed headers: client-id, client-secret).
    bool ct_enabled = false;
    net::https_client_options ct;
    uint32_t ct_conn_index = 0;
    std::vector<ct_account> ct_accounts;
    std::vector<strategy_risk> strategies; // index = channel slot
    std::vector<bool> start_halted;        // per strategy: kill switch on at start
    std::vector<account_risk> accounts;
    int64_t shutdown_grace_ns = 500'000'000;
};

class order_loop final : public net::completion_owner, public net::https_handler {
public:
    order_loop(order_loop_options opts, book::book_region& region, const tls::tls_context& om_tls,
               const tls::tls_context& ct_tls, order_channel_region& channel, journal_writer& journal,
               cl_order_id_source& ids);
    ~order_loop();
    order_loop(const order_loop&) = delete;
    order_loop& operator=(const order_loop&) = delete;

    // Starts the thread; the status says whether it came up (pinning, ring,
    // pools). It then runs until stop is set, and drains before returning.
    status start(const std::atomic<bool>& stop);
    void join();

    // completion_owner: the loop's own timers (warm-up, reconciliation).
    void on_completion(const io_uring_cqe&, platform::op_tag) noexcept override {}
    int64_t on_deadline(int64_t now) noexcept override;

    // https_handler: answers from either venue. Tags: (order index << 1) | purpose.
    void on_https_response(uint64_t tag, int status, std::string_view body,
                           int64_t round_trip_ns) noexcept override;
    void on_https_failure(uint64_t tag, net::https_failure why, const char* text) noexcept override;
    void on_https_sent(uint64_t tag, int64_t mono_ns) noexcept override;

    // Internals (order_loop.cpp, order_answers.cpp).
    struct live_order;
    struct open_order;

private:
    void thread_main(const std::atomic<bool>* stop, std::promise<status>* ready);
    status set_up();
    unsigned poll_strategies() noexcept;
    void take(uint32_t slot, const ef_order_request& req) noexcept;
    bool send_order(live_order& o) noexcept;
    void send_reconcile(live_order& o) noexcept;
    void warm() noexcept;

    // Answers (order_answers.cpp).
    void answer_om(live_order& o, int status, std::string_view body) noexcept;
    void answer_ct(live_order& o, int status, std::string_view body) noexcept;
    void answer_reconcile(live_order& o, int status, std::string_view body) noexcept;
    void unknown(live_order& o, const char* why) noexcept;

    // Responses and bookkeeping.
    ef_order_response response_for(const live_order& o, uint32_t outcome) const noexcept;
    void respond(uint32_t slot, const ef_order_response& r, bool journal_as_reject = false) noexcept;
    void reject(uint32_t slot, const ef_order_request& req, uint32_t source, uint32_t code,
                const char* reason) noexcept;
    void finish(live_order& o) noexcept;
    void flush_deferred() noexcept;
    void release(const ef_order_request& req, open_order* target, reservation& res,
                 const reservation& before) noexcept;
    open_order* open_at(uint32_t i) noexcept; // nullptr for UINT32_MAX
    live_order* claim_order() noexcept;
    open_order* find_open(std::string_view order_id) noexcept;
    bool add_open(const live_order& o, std::string_view order_id) noexcept;
    void apply_ct_state(live_order& o, const json::ct_order& c, bool reconciled) noexcept;
    void drop_open(open_order* e) noexcept;
    int ct_account_index(std::string_view account) const noexcept;
    void note(uint32_t slot, std::string_view text) noexcept;

    order_loop_options opts_;
    book::book_region& region_;
    const tls::tls_context& om_tls_;
    const tls::tls_context& ct_tls_;
    order_channel_region& channel_;
    journal_writer& journal_;
    cl_order_id_source& ids_;
    std::thread thread_;
    std::optional<tls::tls_memory::pool> tls_pool_;
    std::unique_ptr<platform::uring_loop> ring_;
    std::unique_ptr<net::event_loop> loop_;
    std::unique_ptr<net::https_client> om_, ct_;
    std::unique_ptr<risk_engine> risk_;
    ef_loop_stats* stats_ = nullptr;

    std::unique_ptr<live_order[]> orders_;
    std::vector<uint32_t> free_orders_;      // reserved: never reallocates
    std::unique_ptr<open_order[]> open_;
    struct deferred { uint32_t slot; ef_order_response r; };
    std::unique_ptr<deferred[]> deferred_;   // ring of opts_.deferred_responses
    uint32_t deferred_head_ = 0, deferred_count_ = 0;
    uint64_t deferred_lost_ = 0;
    std::unique_ptr<char[]> body_, target_, wire_; // one request being written
    std::unique_ptr<char[]> sink_;                 // warm-up writes land here
    int64_t next_warm_ = 0;
    uint32_t reconciling_ = 0;
};

} // namespace ef::orders
