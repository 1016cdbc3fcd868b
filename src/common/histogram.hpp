// Records a latency into a shared-memory histogram (layout.h ef_histogram)
// that only the calling thread writes: relaxed stores, no read-modify-write
// instructions, readers in edgestat see whole values.
#pragma once

#include "common/counter.hpp"

#include <edgefeed/layout.h>

namespace ef {

inline void record_latency(ef_histogram& h, int64_t ns) noexcept {
    const uint64_t v = ns > 0 ? static_cast<uint64_t>(ns) : 0;
    bump(h.count);
    bump(h.sum_ns, v);
    if (v > h.max_ns) publish(h.max_ns, v);
    bump(h.buckets[ef_hist_bucket(v)]);
}

// Percentile (0..100) from a histogram copy; the bucket's lower bound.
inline uint64_t histogram_percentile(const ef_histogram& h, double pct) noexcept {
    const uint64_t total = observe(h.count);
    if (total == 0) return 0;
    const uint64_t rank = static_cast<uint64_t>(pct / 100.0 * static_cast<double>(total - 1)) + 1;
    uint64_t seen = 0;
    for (uint32_t b = 0; b < EF_HIST_BUCKETS; ++b) {
        seen += observe(h.buckets[b]);
        if (seen >= rank) return ef_hist_bucket_floor(b);
    }
    return observe(h.max_ns);
}

} // namespace ef
