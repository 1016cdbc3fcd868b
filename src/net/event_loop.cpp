// See event_loop.hpp.
#include "net/event_loop.hpp"

#include "common/clock.hpp"
#include "common/counter.hpp"

namespace ef::net {

namespace {
constexpr unsigned max_batch = 256;
}

event_loop::event_loop(platform::uring_loop& ring, idle_policy idle, ef_loop_stats* stats,
                       size_t max_owners)
    : ring_(ring), idle_(idle), stats_(stats) {
    owners_.reserve(max_owners);
    last_tick_ = idle_since_ = batch_ns_ = mono_ns();
}

uint32_t event_loop::add_owner(completion_owner* owner) {
    owners_.push_back(owner);
    return static_cast<uint32_t>(owners_.size() - 1);
}

void event_loop::run_deadlines(int64_t now) noexcept {
    int64_t next = no_deadline;
    next_deadline_ = no_deadline; // owners may schedule() while we walk them
    for (completion_owner* o : owners_) {
        const int64_t d = o->on_deadline(now);
        if (d < next) next = d;
    }
    if (next < next_deadline_) next_deadline_ = next;
}

unsigned event_loop::poll_once(bool block) noexcept {
    const int64_t start = last_tick_;
    // Spinning must enter the kernel: with DEFER_TASKRUN completions are only
    // posted when this thread asks for events (FIELD.md: ~35 us otherwise).
    ring_.submit_and_poll();
    io_uring_cqe* cqes[max_batch];
    unsigned n = ring_.peek(cqes, max_batch);
    int64_t handled_from = 0;
    if (n) {
        batch_ns_ = handled_from = mono_ns();
        for (unsigned i = 0; i < n; ++i) {
            const platform::op_tag tag = platform::op_tag::unpack(cqes[i]->user_data);
            if (tag.slot < owners_.size()) [[likely]]
                owners_[tag.slot]->on_completion(*cqes[i], tag);
        }
        ring_.advance(n);
        ring_.publish_buffers();
    }
    int64_t now = mono_ns();
    if (now >= next_deadline_) {
        run_deadlines(now);
        now = mono_ns();
    }
    if (stats_) {
        bump(n ? stats_->busy_ns : stats_->idle_ns, static_cast<uint64_t>(now - start));
        if (n) bump(stats_->handle_ns, static_cast<uint64_t>(now - handled_from));
        bump(stats_->iterations);
        if (n) bump(stats_->completions, n);
    }
    last_tick_ = now;
    if (n) {
        idle_since_ = now;
    } else if (block) {
        idle(now);
    }
    return n;
}

void event_loop::idle(int64_t now) noexcept {
    if (idle_.mode == idle_mode::spin) return;
    if (idle_.mode == idle_mode::spin_then_sleep && now - idle_since_ < idle_.spin_before_sleep_ns)
        return;
    int64_t wait = idle_.sleep_max_ns;
    if (next_deadline_ != no_deadline && next_deadline_ - now < wait) wait = next_deadline_ - now;
    if (wait <= 0) return;
    ring_.submit_and_wait(wait);
    const int64_t after = mono_ns();
    if (stats_) bump(stats_->idle_ns, static_cast<uint64_t>(after - now));
    last_tick_ = after;
}

void event_loop::run(const std::atomic<bool>& stop) noexcept {
    while (!stop.load(std::memory_order_relaxed)) poll_once(true);
}

} // namespace ef::net
