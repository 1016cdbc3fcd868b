// The daemon's side of the order channel (include/edgefeed/orders.h): creates
// /edgefeed.<instance>.orders with one slot per configured strategy, takes
// requests off the strategies' request rings and writes responses into their
// response rings. The control thread creates it and sets the start-up kill
// switch; afterwards the order loop, on its pinned core, is the one consumer
// of every request ring and the one producer of every response ring.
#pragma once

#include "common/result.hpp"
#include "edgefeed/orders.h"
#include "platform/shm.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ef::orders {

// [A-Za-z0-9_.-]{1,31}: the name is shown by tools and matched by attach.
bool valid_strategy_name(std::string_view name) noexcept;

// Every text field of a request ends with a NUL inside its array and
// position_hash_len fits its array. The channel hands requests over as the
// strategy wrote them: the order loop checks this before using any string
// (a request that fails it is EF_REJECT_INVALID).
bool request_strings_terminated(const ef_order_request& r) noexcept;

// Limits create() enforces.
inline constexpr uint32_t max_strategies = 1024;
inline constexpr uint32_t max_ring_capacity = 1u << 20;

class order_channel_region {
public:
    // Creates (replacing a stale one) /edgefeed.<instance>.orders, mode 0660,
    // with one slot per strategy name (valid_strategy_name, unique, 1 to
    // max_strategies) and rings of the given power-of-two capacities (1 to
    // max_ring_capacity). loop_state starts at 0 (starting). Marks the region
    // stopped and unlinks it on destruction.
    static result<std::unique_ptr<order_channel_region>>
    create(std::string_view instance, std::span<const std::string> strategies,
           uint32_t request_capacity, uint32_t response_capacity);

    ~order_channel_region();
    order_channel_region(const order_channel_region&) = delete;
    order_channel_region& operator=(const order_channel_region&) = delete;

    uint32_t slot_count() const noexcept { return slot_count_; }
    std::string_view slot_name(uint32_t slot) const noexcept;
    uint64_t epoch() const noexcept { return header()->epoch; }
    size_t region_bytes() const noexcept { return map_.size(); }
    // The mapping, for tests that read it through the C ABI in this process.
    uint8_t* base() const noexcept { return base_; }

    // Order loop only: the one consumer of requests. Copies the oldest request
    // of `slot` into `out`; false when there is none. On an empty ring this is
    // one acquire load of the shared tail.
    bool pop_request(uint32_t slot, ef_order_request& out) noexcept;
    // Order loop only: the one producer of responses. false when the ring is
    // full (the strategy is not polling): keep the response and try later.
    bool push_response(uint32_t slot, const ef_order_response& r) noexcept;

    // Kill switch words, written by edgestat (ef_orders_set_halt).
    bool halted_all() const noexcept;
    bool halted(uint32_t slot) const noexcept;
    void set_halted(uint32_t slot, bool on) noexcept; // start-up, from the config
    void set_halted_all(bool on) noexcept;

    // The slot's counters, for the order loop, which is their one writer:
    // store them with relaxed atomics (edgestat reads them concurrently).
    ef_order_slot_stats& stats(uint32_t slot) noexcept;
    // Attached strategy process, 0 when none (relaxed: for reports).
    uint32_t owner_pid(uint32_t slot) const noexcept;

    // 0 starting, 1 running (venue connections warm), 2 stopping; release, so
    // a strategy that sees "running" also sees everything written before.
    void set_loop_state(uint32_t state) noexcept;
    void heartbeat(int64_t mono_ns) noexcept;

private:
    order_channel_region() = default;

    // The consumer's and producer's own counters, kept out of shared memory
    // so that polling reads the shared line only when the cached value says
    // it must (FIELD.md: ~9 ns vs ~60 ns for a seqlock writer).
    struct alignas(64) local_slot {
        ef_order_slot* shared = nullptr;
        ef_order_request* requests = nullptr;
        ef_order_response* responses = nullptr;
        uint64_t request_head = 0;       // next request to take (ours)
        uint64_t request_tail_seen = 0;  // last shared tail loaded
        uint64_t response_tail = 0;      // next response to write (ours)
        uint64_t response_head_seen = 0; // last shared head loaded
    };

    ef_orders_header* header() const noexcept { return reinterpret_cast<ef_orders_header*>(base_); }

    platform::shm_mapping map_;
    uint8_t* base_ = nullptr;
    uint32_t slot_count_ = 0;
    uint32_t request_mask_ = 0;
    uint32_t response_mask_ = 0;
    std::unique_ptr<local_slot[]> slots_;
};

} // namespace ef::orders
