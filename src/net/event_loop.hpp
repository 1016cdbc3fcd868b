// The run loop of one pinned thread: drains io_uring completions to their
// owners (connections, listeners), fires deadlines, and idles the way the
// config says. It measures its own utilisation (busy vs idle time) because a
// spinning loop shows 100% CPU whatever it does. Owned and run by one thread.
#pragma once

#include "platform/uring_loop.hpp"

#include <edgefeed/layout.h>

#include <atomic>
#include <cstdint>
#include <vector>

namespace ef::net {

enum class idle_mode : uint8_t { spin = 0, spin_then_sleep = 1, sleep = 2 };

struct idle_policy {
    idle_mode mode = idle_mode::spin;
    int64_t spin_before_sleep_ns = 200'000;
    int64_t sleep_max_ns = 1'000'000;
};

constexpr int64_t no_deadline = INT64_MAX;

class completion_owner {
public:
    virtual ~completion_owner() = default;
    virtual void on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept = 0;
    // Called once its deadline has passed; returns the next one (or no_deadline).
    virtual int64_t on_deadline(int64_t now_mono_ns) noexcept = 0;
};

class event_loop {
public:
    // stats may be null (tools that do not publish stats).
    event_loop(platform::uring_loop& ring, idle_policy idle, ef_loop_stats* stats,
               size_t max_owners);

    // Start-up only: returns the owner's slot for op_tag packing.
    uint32_t add_owner(completion_owner* owner);
    // An owner whose next deadline moved earlier says so here.
    void schedule(int64_t deadline_mono_ns) noexcept {
        if (deadline_mono_ns < next_deadline_) next_deadline_ = deadline_mono_ns;
    }

    void run(const std::atomic<bool>& stop) noexcept;
    // One iteration; returns completions handled. `block` lets it sleep per
    // the idle policy when there is nothing to do.
    unsigned poll_once(bool block) noexcept;

    // Time at the start of the current batch of completions: one clock read
    // serves every message of the batch as its receive time.
    int64_t batch_time() const noexcept { return batch_ns_; }
    platform::uring_loop& ring() noexcept { return ring_; }
    ef_loop_stats* stats() noexcept { return stats_; }

private:
    void run_deadlines(int64_t now) noexcept;
    void idle(int64_t now) noexcept;

    platform::uring_loop& ring_;
    idle_policy idle_;
    ef_loop_stats* stats_;
    std::vector<completion_owner*> owners_;
    int64_t next_deadline_ = no_deadline;
    int64_t batch_ns_ = 0;
    int64_t idle_since_ = 0;
    int64_t last_tick_ = 0;
};

} // namespace ef::net
