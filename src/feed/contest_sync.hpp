// Keeps one stream connection's contests in sync with the venue: the REST
// snapshot on subscribe, on refresh_required, after an update we could not
// apply and after every reconnect; the hold-and-re-apply of stream updates
// that arrive while a snapshot is in flight (PROTOCOL.md, rule in
// protocol_rules.hpp); retries with backoff when a snapshot fails; and the
// live contest state (POST /contest-state/batch on (re)sync, then the
// contest_state channel). Until a contest's snapshot is applied its record
// says STALE with the reason, so readers never trust a book that is not the
// venue's.
//
// Driven by the stream_client that owns it, on that connection's loop thread;
// the REST answers come from the loop's https_client. Every buffer is sized at
// construction: nothing here allocates afterwards.
#pragma once

#include "book/region.hpp"
#include "book/writer.hpp"
#include "feed/book_applier.hpp"
#include "feed/conn_report.hpp"
#include "json/contest_state.hpp"
#include "json/scanner.hpp"
#include "json/stream_message.hpp"
#include "net/event_loop.hpp"
#include "net/https_client.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ef::feed {

struct contest_sync_options {
    std::string rest_base = "/flow/v1"; // path of the REST base URL
    size_t hold_bytes = 4 << 20;         // raw updates held while snapshots are in flight
    unsigned max_snapshots_in_flight = 8; // per connection: a reconnect does not flood REST
    int64_t retry_initial_ns = 250'000'000;
    int64_t retry_max_ns = 10'000'000'000;
    bool contest_state = true;           // fetch and follow live contest state
    size_t max_rest_body_bytes = 8 << 20; // scratch for parsing one answer
    uint64_t seed = 0;                   // retry jitter
};

class contest_sync final : public net::https_handler {
public:
    // What the connection does with a stream update.
    enum class route : uint8_t {
        apply,   // the contest is in sync: apply it now
        held,    // a snapshot is pending: kept for re-application on top of it
        skipped, // older than the applied snapshot, which already has it
        ignored, // a contest this connection does not serve (now)
    };

    contest_sync(net::event_loop& loop, net::https_client* rest, book::book_region& region,
                 book::position_writer& writer, book_applier& applier, conn_report& report,
                 uint32_t conn_index, contest_sync_options opts);
    ~contest_sync() override;

    // The connection went down: every contest waits for the next subscribe,
    // answers still in flight will be ignored, held updates are dropped.
    void on_connection_lost() noexcept;
    // The venue confirmed `contest` on the liquidity channel: fetch its snapshot.
    void on_subscribed(uint32_t contest) noexcept;
    // The venue confirmed the contest_state channel: hydrate these contests.
    void on_state_subscribed(std::span<const uint32_t> contests) noexcept;
    // The contest left this connection (discovery dropped it).
    void on_removed(uint32_t contest) noexcept;

    // A liquidity.update for `contest` (raw is the whole message text).
    route route_update(uint32_t contest, int64_t venue_ns, std::string_view raw) noexcept;
    // refresh_required, or an update we could not apply: snapshot again.
    void resync(uint32_t contest, ef_stale_reason why) noexcept;
    // Every contest of the connection (a message we could not even parse).
    void resync_all(ef_stale_reason why) noexcept;
    // A contest_state.update.
    void on_state_update(uint32_t contest, int64_t venue_ns, std::string_view state_json) noexcept;

    // Retries and queued snapshots; the owner calls it from its on_deadline.
    int64_t on_deadline(int64_t now) noexcept;

    bool in_sync(uint32_t contest) const noexcept;
    unsigned snapshots_in_flight() const noexcept { return in_flight_; }

    // net::https_handler
    void on_https_response(uint64_t tag, int status, std::string_view body,
                           int64_t round_trip_ns) noexcept override;
    void on_https_failure(uint64_t tag, net::https_failure why, const char* text) noexcept override;

private:
    enum class phase : uint8_t {
        idle,      // not subscribed on this connection
        wanted,    // needs a snapshot; waits for a free slot
        in_flight, // snapshot requested
        retry,     // the last snapshot failed; waiting for retry_at
        synced,
    };
    struct contest_slot {
        phase ph = phase::idle;
        bool again = false;      // snapshot again once the one in flight is applied
        uint32_t gen = 0;        // answers carrying another generation are stale
        uint32_t failures = 0;
        uint32_t held = 0;       // updates held for the pending snapshot
        int64_t retry_at = 0;
        int64_t snapshot_ns = 0; // meta.timestamp of the applied snapshot
        int64_t state_ns = 0;    // newest contest state written
    };

    void want(uint32_t contest, ef_stale_reason why) noexcept;
    void pump() noexcept; // sends wanted snapshots while slots are free
    bool request_snapshot(uint32_t contest) noexcept;
    void snapshot_failed(uint32_t contest, const char* what) noexcept;
    // Returns false when the snapshot could not be applied entirely.
    bool apply_snapshot(uint32_t contest, std::string_view body, int64_t& snapshot_ns) noexcept;
    uint32_t replay_held(uint32_t contest, int64_t snapshot_ns) noexcept;
    bool hold(uint32_t contest, std::string_view raw) noexcept;
    void drop_all_held() noexcept;
    void apply_state_batch(std::string_view body) noexcept;
    void write_state(uint32_t contest, int64_t venue_ns, std::string_view state_json,
                     int64_t refreshed_ns) noexcept;
    void store_state(uint32_t contest, const json::contest_state& st, int64_t refreshed_ns) noexcept;
    std::string_view contest_id(uint32_t contest) const noexcept;

    net::event_loop& loop_;
    net::https_client* rest_;
    book::book_region& region_;
    book::position_writer& writer_;
    book_applier& applier_;
    conn_report& report_;
    uint32_t conn_index_;
    contest_sync_options opts_;
    std::unique_ptr<contest_slot[]> slots_; // by book contest index
    uint32_t max_contests_;
    unsigned in_flight_ = 0;
    int64_t next_retry_at_ = net::no_deadline; // earliest retry_at of a slot in phase::retry
    uint32_t state_gen_ = 0;
    uint64_t rng_;

    // Hold ring: records [u32 contest][u32 length][bytes, padded to 8].
    std::unique_ptr<uint8_t[]> hold_;
    size_t hold_used_ = 0;
    uint32_t hold_records_ = 0;

    // Parsing: one answer or one held message at a time.
    std::unique_ptr<char[]> scratch_mem_;
    json::scratch scratch_;
    std::unique_ptr<json::stream_message> replay_msg_;
    std::unique_ptr<book::level_change[]> levels_;
    uint32_t levels_cap_;
    std::unique_ptr<char[]> target_; // request target / batch body being built
    size_t target_cap_;
};

} // namespace ef::feed
