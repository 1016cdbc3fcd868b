// Process-wide heap allocation counts, so the daemon can prove (and edgestat
// can show) that the hot path allocates nothing after start-up. The counting
// itself lives in alloc_hook.cpp, which only executables link: a malloc family
// that forwards to mimalloc, or sanitizer malloc hooks in sanitizer builds.
#pragma once

#include <atomic>
#include <cstdint>

namespace ef::alloc {

struct counts {
    uint64_t allocs = 0;
    uint64_t bytes = 0;
};

// Totals since the process started. Both zero and hooked() false when the
// executable did not link alloc_hook.cpp.
counts read() noexcept;
bool hooked() noexcept;

namespace detail {
extern std::atomic<uint64_t> allocs;
extern std::atomic<uint64_t> bytes;
extern std::atomic<bool> is_hooked;
inline void note(size_t n) noexcept {
    allocs.fetch_add(1, std::memory_order_relaxed);
    bytes.fetch_add(n, std::memory_order_relaxed);
}
} // namespace detail

} // namespace ef::alloc
