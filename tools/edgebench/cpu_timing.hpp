// The micro-benchmarks' timing (json_compare, order_codec_bench): thread CPU
// time, not wall time, because on a shared machine the wall clock also counts
// the time other processes held the core; and the alternatives interleaved
// run by run (a, b, c, a, b, c, ...), so a slow patch of the machine hits all
// of them alike and the ratio of the medians stays honest.
#pragma once

#include <algorithm>
#include <cstddef>
#include <ctime>
#include <functional>
#include <vector>

namespace ef::bench {

inline double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

inline double thread_cpu_ns() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// Mean ns per call over iters calls.
template <typename F>
double time_run(size_t iters, F&& one) {
    const double t0 = thread_cpu_ns();
    for (size_t i = 0; i < iters; ++i)
        one();
    return (thread_cpu_ns() - t0) / static_cast<double>(iters);
}

// Median ns per call of each callable. Batches are calibrated on the first
// to last at least calibrate_ns, then run interleaved until budget_ns of
// CPU is spent (and at least min_rounds rounds).
inline std::vector<double> compare_interleaved(const std::vector<std::function<void()>>& runs, double budget_ns,
                                               double calibrate_ns = 2e6, size_t min_rounds = 5) {
    size_t iters = 64;
    while (time_run(iters, runs[0]) * static_cast<double>(iters) < calibrate_ns && iters < (1u << 24))
        iters *= 2;
    std::vector<std::vector<double>> t(runs.size());
    double spent = 0;
    while (spent < budget_ns || t[0].size() < min_rounds) {
        for (size_t i = 0; i < runs.size(); ++i) {
            t[i].push_back(time_run(iters, runs[i]));
            spent += t[i].back() * static_cast<double>(iters);
        }
    }
    std::vector<double> m;
    for (auto& v : t)
        m.push_back(median(v));
    return m;
}

} // namespace ef::bench
