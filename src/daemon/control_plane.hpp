// The daemon's slow side: one thread off the loop cores, with its own io_uring
// loop and keep-alive HTTPS connection, for everything the feed loops must not
// wait for — the partner catalog (GET /partners, the "p_" rule), full depth
// for the configured positions (GET /depth/:hash, one hash at a time, on an
// interval and soon after the position's liquidity changes), and contest
// discovery (GET /contests by league and status, following next_cursor).
// It is the single writer of the partner info and the depth records.
// Created by the daemon before the feed loops; every buffer is sized then.
#pragma once

#include "book/region.hpp"
#include "common/result.hpp"
#include "feed/conn_report.hpp"
#include "feed/feed_loop.hpp"
#include "net/event_loop.hpp"
#include "net/https_client.hpp"
#include "platform/uring_loop.hpp"
#include "tls/tls_context.hpp"
#include "tls/tls_memory.hpp"

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ef::daemon {

struct control_plane_options {
    net::https_client_options rest; // one connection is plenty: requests are sequential
    uint32_t rest_conn_index = 0;
    std::string rest_base = "/flow/v1";
    int64_t partners_refresh_ns = 300'000'000'000;
    std::vector<std::string> depth_positions;
    int64_t depth_refresh_ns = 1'000'000'000;
    // After a position's liquidity changes, its depth is fetched again, but
    // not more often than this (the venue serves one hash per request).
    int64_t depth_min_gap_ns = 100'000'000;
    size_t max_rest_body_bytes = 8 << 20;
    size_t tls_pool_bytes = size_t{8} << 20;
};

// The contests discovery selects: ids with their status as the venue lists
// them. Filled by discover() before the loops start.
struct discovered_contest {
    std::string id;
    std::string status;
};

// Periodic discovery after start: which loop serves which connection, and
// which contest each connection serves now.
struct discovery_plan {
    std::vector<std::string> leagues;
    std::string status = "open";
    int64_t refresh_ns = 60'000'000'000;
    uint32_t per_connection = 200;
    struct connection {
        uint32_t conn_index;
        feed::feed_loop* loop;
        uint32_t contests;
    };
    std::vector<connection> connections;
    std::unordered_map<std::string, uint32_t> assigned; // contest id -> position in connections
};

class control_plane final : public net::https_handler, public net::completion_owner {
public:
    control_plane(control_plane_options opts, book::book_region& region,
                  const tls::tls_context& tls);
    ~control_plane() override;

    // Start-up, on the calling thread before start(): lists the contests of
    // each league with the given status (every page). Bounded by the REST
    // timeout per page.
    result<std::vector<discovered_contest>> discover(const std::vector<std::string>& leagues,
                                                     const std::string& status);

    // Before start(): refresh the selection every plan.refresh_ns, adding new
    // contests to the least-loaded connection and closing vanished ones.
    void set_discovery(discovery_plan plan) { discovery_ = std::move(plan); }

    status start(const std::atomic<bool>& stop);
    void join();

    // net::https_handler
    void on_https_response(uint64_t tag, int status, std::string_view body,
                           int64_t round_trip_ns) noexcept override;
    void on_https_failure(uint64_t tag, net::https_failure why, const char* text) noexcept override;
    // net::completion_owner: only deadlines (the REST client owns the sockets)
    void on_completion(const io_uring_cqe&, platform::op_tag) noexcept override {}
    int64_t on_deadline(int64_t now) noexcept override;

private:
    struct depth_slot {
        uint32_t record = EF_NONE;   // depth record index
        std::string hash;
        std::string target;          // "/flow/v1/depth/<percent-encoded hash>"
        uint64_t seen_updates = 0;   // the position's update count at the last fetch
        int64_t fetched_at = 0;      // mono
        bool in_flight = false;
    };

    status set_up();
    void thread_main(const std::atomic<bool>* stop, std::promise<status>* ready);
    void request_partners(int64_t now) noexcept;
    void request_depth(size_t i, int64_t now) noexcept;
    void apply_partners(std::string_view body) noexcept;
    void apply_depth(size_t i, std::string_view body) noexcept;
    void request_contests_page() noexcept;
    void reconcile() noexcept;

    control_plane_options opts_;
    book::book_region& region_;
    const tls::tls_context& tls_;
    ef_conn_stats dummy_stats_{};
    feed::conn_report report_;
    std::thread thread_;
    std::optional<tls::tls_memory::pool> tls_pool_;
    std::unique_ptr<platform::uring_loop> ring_;
    std::unique_ptr<net::event_loop> loop_;
    std::unique_ptr<net::https_client> rest_;

    std::vector<depth_slot> depth_;
    int64_t next_partners_ = 0;
    int64_t partners_retry_ns_ = 1'000'000'000;
    bool partners_in_flight_ = false;
    size_t depth_cursor_ = 0;        // round-robin over depth_ for the interval refresh
    bool depth_busy_ = false;        // one depth request at a time

    std::unique_ptr<char[]> scratch_mem_;
    std::vector<book::depth_partner_values> partner_values_;
    std::vector<ef_depth_level> levels_;
    uint32_t depth_partners_ = 0, depth_levels_ = 0;

    // Discovery: pages of GET /contests land in listing_.
    discovery_plan discovery_;
    std::string partners_target_;
    std::vector<discovered_contest> listing_;
    std::string next_cursor_;
    bool page_done_ = false, page_more_ = false, page_ok_ = false;
    std::string page_error_;
    bool listing_in_flight_ = false;
    size_t listing_league_ = 0;
    int64_t next_discovery_ = 0;
};

} // namespace ef::daemon
