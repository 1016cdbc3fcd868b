// Single-writer counters in shared memory: the owning thread adds with a
// relaxed atomic store (no lock prefix, no RMW), readers in other processes
// load relaxed. Torn values are impossible; a reader may be microseconds behind.
#pragma once

#include <atomic>
#include <cstdint>

namespace ef {

inline void bump(uint64_t& field, uint64_t by = 1) noexcept {
    std::atomic_ref<uint64_t> f(field);
    f.store(f.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

template <typename T>
inline void publish(T& field, T value) noexcept {
    std::atomic_ref<T>(field).store(value, std::memory_order_relaxed);
}

template <typename T>
inline T observe(const T& field) noexcept {
    return std::atomic_ref<T>(const_cast<T&>(field)).load(std::memory_order_relaxed);
}

} // namespace ef
