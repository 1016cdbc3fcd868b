// Clocks: monotonic nanoseconds for latencies and deadlines (comparable across
// processes on one boot), Unix nanoseconds for what is shown to people and for
// venue timestamps. Both go through the vDSO (~18 ns here).
#pragma once

#include <cstdint>
#include <ctime>

namespace ef {

inline int64_t mono_ns() noexcept {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

inline int64_t unix_ns() noexcept {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

} // namespace ef
