// Reconnect and retry delays: min(max, initial * 2^attempt) spread by
// +-jitter_pct percent, so that many clients cut off together do not come
// back in one wave (PROTOCOL.md, FIELD.md "retry storms"). Shared by the
// stream connections, the REST pool and the snapshot retries.
#pragma once

#include <cstdint>

namespace ef {

// SplitMix64: a fast, well-mixed generator for jitter (not for secrets).
inline uint64_t splitmix(uint64_t& state) noexcept {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

inline int64_t backoff_delay_ns(int64_t initial_ns, int64_t max_ns, unsigned attempt, int jitter_pct,
                                uint64_t& rng) noexcept {
    const unsigned shift = attempt < 20 ? attempt : 20;
    int64_t d = initial_ns << shift;
    if (d > max_ns || d <= 0) d = max_ns;
    const int64_t span = d * jitter_pct / 100;
    if (span > 0) d += static_cast<int64_t>(splitmix(rng) % static_cast<uint64_t>(2 * span + 1)) - span;
    return d > 0 ? d : 0;
}

} // namespace ef
