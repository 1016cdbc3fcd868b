// A bounded single-producer single-consumer queue of trivially copyable
// items: the control thread hands commands to a feed loop through one, so the
// loop never takes a lock or waits. Capacity is fixed at construction; a full
// ring refuses the push (the producer counts it and tries again later).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

namespace ef {

template <typename T>
class spsc_ring {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    explicit spsc_ring(size_t capacity) : cap_(capacity + 1), items_(new T[capacity + 1]) {}

    // Producer only.
    bool push(const T& v) noexcept {
        const size_t t = tail_.load(std::memory_order_relaxed);
        const size_t next = t + 1 == cap_ ? 0 : t + 1;
        if (next == head_.load(std::memory_order_acquire)) return false; // full
        items_[t] = v;
        tail_.store(next, std::memory_order_release); // pairs with pop's acquire
        return true;
    }

    // Consumer only.
    bool pop(T& out) noexcept {
        const size_t h = head_.load(std::memory_order_relaxed);
        if (h == tail_.load(std::memory_order_acquire)) return false; // empty
        out = items_[h];
        head_.store(h + 1 == cap_ ? 0 : h + 1, std::memory_order_release); // frees the slot
        return true;
    }

private:
    const size_t cap_;
    std::unique_ptr<T[]> items_;
    alignas(64) std::atomic<size_t> head_{0};
    alignas(64) std::atomic<size_t> tail_{0};
};

} // namespace ef
