// See snapshot.hpp.
#include "edgestat/snapshot.hpp"

#include "common/clock.hpp"

#include <atomic>
#include <cstring>
#include <type_traits>

namespace ef::stat {

namespace {

// Word-by-word relaxed copy of a single-writer stats block: no torn words,
// and no data race for TSan (a plain memcpy would be one).
template <typename T>
void copy_relaxed(T& dst, const T& src) {
    static_assert(sizeof(T) % 8 == 0 && std::is_trivially_copyable_v<T>);
    auto* d = reinterpret_cast<uint64_t*>(&dst);
    auto* s = reinterpret_cast<uint64_t*>(const_cast<T*>(&src));
    for (size_t i = 0; i < sizeof(T) / 8; ++i)
        d[i] = std::atomic_ref<uint64_t>(s[i]).load(std::memory_order_relaxed);
}

std::string read_last_error(const ef_conn_stats& s) {
    auto& seq = const_cast<uint64_t&>(s.error_seq);
    for (int tries = 0; tries < 100; ++tries) {
        const uint64_t s0 = std::atomic_ref<uint64_t>(seq).load(std::memory_order_acquire);
        if (s0 & 1) continue;
        char text[EF_LAST_ERROR_MAX];
        for (size_t i = 0; i < sizeof text; ++i)
            text[i] = std::atomic_ref<char>(const_cast<char&>(s.last_error[i])).load(std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_acquire); // pairs with the writer's release fence
        if (std::atomic_ref<uint64_t>(seq).load(std::memory_order_relaxed) == s0)
            return std::string(text, strnlen(text, sizeof text));
    }
    return "(being written)";
}

} // namespace

snapshot take_snapshot(const ef_book* book) {
    snapshot out;
    out.taken_mono_ns = mono_ns();
    out.taken_unix_ns = unix_ns();
    ef_book_info(book, &out.info);
    const ef_stats_section* st = ef_book_stats(book);
    copy_relaxed(out.process, st->process);
    const uint32_t loops = out.process.loops ? out.process.loops : out.info.max_loops;
    for (uint32_t l = 0; l < loops && l < out.info.max_loops; ++l) {
        loop_copy c{};
        copy_relaxed(c.s, *ef_book_loop_stats(book, l));
        out.loops.push_back(c);
    }
    for (uint32_t i = 0; i < out.info.max_connections; ++i) {
        const ef_conn_stats* cs = ef_book_conn_stats(book, i);
        conn_copy c{};
        copy_relaxed(c.s, *cs);
        if (!c.s.in_use) continue;
        c.last_error = read_last_error(*cs);
        out.conns.push_back(std::move(c));
    }
    const uint32_t n = ef_book_contest_count(book);
    for (uint32_t i = 0; i < n; ++i) {
        contest_copy c{};
        if (ef_book_read_contest(book, i, &c.v) != EF_OK) continue;
        if (c.v.flags & EF_CONTEST_STALE) ++out.stale_contests;
        out.contests.push_back(c);
    }
    out.orders = take_orders(out.info.instance);
    return out;
}

} // namespace ef::stat
