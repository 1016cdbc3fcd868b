// Logging that the data path may call: each call site is rate-limited (a burst,
// then at most a few lines a second, with a count of what it held back), the
// line is formatted into a fixed record without allocating, and a logger
// thread does the write(2). A full log ring is counted, never waited on.
#pragma once

#include <atomic>
#include <cstdint>
#include <fmt/format.h>

namespace ef::log {

enum class level : uint8_t { debug, info, warn, error };

// Per call site: up to `burst` lines, then `per_second` lines a second.
struct limiter {
    std::atomic<int64_t> window_start_ns{0};
    std::atomic<uint32_t> in_window{0};
    std::atomic<uint64_t> held_back{0};
    bool admit(int64_t now_ns, uint32_t burst) noexcept;
};

constexpr size_t record_text_max = 240;

// Starts the logger thread (idempotent). Lines logged before it starts are
// kept in the ring and written when it does.
void start();
// Drains what is queued and stops the logger thread; for clean shutdown.
void stop();
// Lines written and lines lost to a full ring, for stats.
uint64_t lines_dropped() noexcept;
void set_min_level(level l) noexcept;
level min_level() noexcept;
// Write synchronously (start-up messages before exit, tools).
void write_now(level l, const char* text, size_t len) noexcept;

void emit(level l, const char* text, size_t len, uint64_t held_back) noexcept;

template <typename... Args>
void log_to(level l, limiter* lim, fmt::format_string<Args...> f, Args&&... args) noexcept {
    if (l < min_level()) return;
    uint64_t held = 0;
    if (lim) {
        extern int64_t now_ns_for_log() noexcept;
        if (!lim->admit(now_ns_for_log(), 5)) return;
        held = lim->held_back.exchange(0, std::memory_order_relaxed);
    }
    char buf[record_text_max];
    auto r = fmt::format_to_n(buf, sizeof buf, f, std::forward<Args>(args)...);
    emit(l, buf, r.size < sizeof buf ? r.size : sizeof buf, held);
}

} // namespace ef::log

// Rate-limited per call site: use on any path that outside input can reach.
#define EF_LOG_(lvl, ...)                                                                \
    do {                                                                                \
        static ::ef::log::limiter ef_log_limiter_;                                      \
        ::ef::log::log_to(lvl, &ef_log_limiter_, __VA_ARGS__);                          \
    } while (0)
#define EF_LOG_ERROR(...) EF_LOG_(::ef::log::level::error, __VA_ARGS__)
#define EF_LOG_WARN(...) EF_LOG_(::ef::log::level::warn, __VA_ARGS__)
#define EF_LOG_INFO(...) EF_LOG_(::ef::log::level::info, __VA_ARGS__)
#define EF_LOG_DEBUG(...) EF_LOG_(::ef::log::level::debug, __VA_ARGS__)
