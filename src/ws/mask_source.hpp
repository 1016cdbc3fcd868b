// Masking keys for the frames a client sends. RFC 6455 10.3: each frame's key
// must be fresh and unpredictable to whoever might see the traffic, so that a
// client's payload cannot be crafted into bytes an intermediary misreads.
// Keys come from a pool refilled from the kernel CSPRNG (getrandom(2)), 4 KiB
// at a time, so the hot path pays one load per frame and a system call every
// 1024 frames. Never a fixed key. Owned by one connection's loop; not shared
// between threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ef::ws {

class mask_source {
public:
    mask_source() noexcept = default;
    // A copy would hand out the same keys as the original: not allowed.
    mask_source(const mask_source&) = delete;
    mask_source& operator=(const mask_source&) = delete;
    ~mask_source();

    // The next masking key. Refills the pool when it runs out; if the kernel
    // cannot supply randomness (getrandom fails with anything but EINTR) the
    // process aborts, since every alternative would be a predictable key.
    uint32_t next() noexcept {
        if (pos_ == pool_.size()) [[unlikely]]
            refill();
        return pool_[pos_++];
    }

    // Refills now, so a caller can pay for the system call off the hot path
    // (at start-up or when idle).
    void refill() noexcept;
    size_t keys_left() const noexcept { return pool_.size() - pos_; }

private:
    std::array<uint32_t, 1024> pool_{};
    size_t pos_ = pool_.size();
};

} // namespace ef::ws
