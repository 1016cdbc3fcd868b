// The logger behind EF_LOG_*: a fixed ring of fixed-size records guarded by a
// spin flag (logging is rate-limited, so contention is rare and short), drained
// by one thread that owns stderr.
#include "common/log.hpp"

#include "common/clock.hpp"

#include <array>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace ef::log {

int64_t now_ns_for_log() noexcept { return mono_ns(); }

namespace {

constexpr size_t ring_records = 1024;

struct record {
    level lvl;
    uint16_t len;
    uint64_t held_back;
    int64_t unix_ns;
    char text[record_text_max];
};

struct logger_state {
    std::array<record, ring_records> ring{};
    std::atomic_flag busy = ATOMIC_FLAG_INIT;
    uint64_t head = 0; // next to write (producers, under busy)
    uint64_t tail = 0; // next to drain (logger, under busy)
    std::atomic<uint64_t> dropped{0};
    std::atomic<int> min{static_cast<int>(level::info)};
    std::atomic<bool> running{false};
    std::thread thread;
    std::mutex wake_mu;
    std::condition_variable wake;
};

logger_state& state() {
    static logger_state s; // constructed before main's first log line
    return s;
}

const char* level_name(level l) {
    switch (l) {
    case level::debug: return "debug";
    case level::info: return "info";
    case level::warn: return "warn";
    case level::error: return "error";
    }
    return "?";
}

void lock(logger_state& s) noexcept {
    while (s.busy.test_and_set(std::memory_order_acquire)) {
    }
}
void unlock(logger_state& s) noexcept { s.busy.clear(std::memory_order_release); }

void write_record(const record& r) noexcept {
    char line[record_text_max + 96];
    const time_t secs = static_cast<time_t>(r.unix_ns / 1'000'000'000);
    tm t;
    gmtime_r(&secs, &t);
    auto out = fmt::format_to_n(line, sizeof line - 1, "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z {} ",
                                t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
                                t.tm_sec, (r.unix_ns % 1'000'000'000) / 1000, level_name(r.lvl));
    size_t n = std::min(out.size, sizeof line - 1);
    size_t text = std::min<size_t>(r.len, sizeof line - 1 - n);
    std::memcpy(line + n, r.text, text);
    n += text;
    if (r.held_back) {
        auto more = fmt::format_to_n(line + n, sizeof line - 1 - n, " ({} similar held back)",
                                     r.held_back);
        n += std::min(more.size, sizeof line - 1 - n);
    }
    line[n++] = '\n';
    ssize_t ignored = ::write(STDERR_FILENO, line, n);
    (void)ignored;
}

bool drain_one(logger_state& s, record& out) noexcept {
    lock(s);
    if (s.tail == s.head) {
        unlock(s);
        return false;
    }
    out = s.ring[s.tail % ring_records];
    ++s.tail;
    unlock(s);
    return true;
}

void drain_all(logger_state& s) noexcept {
    record r;
    while (drain_one(s, r)) write_record(r);
}

} // namespace

bool limiter::admit(int64_t now_ns, uint32_t burst) noexcept {
    const int64_t start = window_start_ns.load(std::memory_order_relaxed);
    if (now_ns - start > 1'000'000'000) {
        window_start_ns.store(now_ns, std::memory_order_relaxed);
        in_window.store(0, std::memory_order_relaxed);
    }
    if (in_window.fetch_add(1, std::memory_order_relaxed) < burst) return true;
    held_back.fetch_add(1, std::memory_order_relaxed);
    return false;
}

void set_min_level(level l) noexcept { state().min.store(static_cast<int>(l)); }
level min_level() noexcept { return static_cast<level>(state().min.load(std::memory_order_relaxed)); }
uint64_t lines_dropped() noexcept { return state().dropped.load(std::memory_order_relaxed); }

void emit(level l, const char* text, size_t len, uint64_t held_back) noexcept {
    logger_state& s = state();
    lock(s);
    if (s.head - s.tail >= ring_records) {
        unlock(s);
        s.dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    record& r = s.ring[s.head % ring_records];
    r.lvl = l;
    r.len = static_cast<uint16_t>(len);
    r.held_back = held_back;
    r.unix_ns = unix_ns();
    std::memcpy(r.text, text, len);
    ++s.head;
    unlock(s);
    if (!s.running.load(std::memory_order_relaxed)) {
        drain_all(s); // no logger thread (tools, tests): write in the caller
    }
}

void write_now(level l, const char* text, size_t len) noexcept {
    record r;
    r.lvl = l;
    r.len = static_cast<uint16_t>(std::min(len, record_text_max));
    r.held_back = 0;
    r.unix_ns = unix_ns();
    std::memcpy(r.text, text, r.len);
    write_record(r);
}

void start() {
    logger_state& s = state();
    if (s.running.exchange(true)) return;
    s.thread = std::thread([&s] {
        while (s.running.load(std::memory_order_relaxed)) {
            drain_all(s);
            std::unique_lock lk(s.wake_mu);
            s.wake.wait_for(lk, std::chrono::milliseconds(20));
        }
        drain_all(s);
    });
}

void stop() {
    logger_state& s = state();
    if (!s.running.exchange(false)) return;
    s.wake.notify_all();
    if (s.thread.joinable()) s.thread.join();
    drain_all(s);
}

} // namespace ef::log
