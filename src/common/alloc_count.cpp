// Counters behind alloc_count.hpp; see alloc_hook.cpp for who bumps them.
#include "common/alloc_count.hpp"

namespace ef::alloc {

namespace detail {
// constinit: usable by the very first malloc, before any constructor runs.
constinit std::atomic<uint64_t> allocs{0};
constinit std::atomic<uint64_t> bytes{0};
constinit std::atomic<bool> is_hooked{false};
} // namespace detail

counts read() noexcept {
    return {detail::allocs.load(std::memory_order_relaxed),
            detail::bytes.load(std::memory_order_relaxed)};
}

bool hooked() noexcept { return detail::is_hooked.load(std::memory_order_relaxed); }

} // namespace ef::alloc
