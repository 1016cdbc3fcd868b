// The JSON part of edgebench: our schema-specific parser against simdjson
// On-Demand on realistic liquidity.update frames. Called by edgebench (and by
// json_compare_main.cpp for a stand-alone build); not part of the daemon.
#pragma once

#include <cstdio>

namespace ef::bench {

// Builds frames (1, 3, 10, 50 entries; keys in seed order and shuffled;
// with and without escapes; numbers in several forms), checks that both
// parsers extract identical values from each, then times them in interleaved
// runs (ours, simdjson, ours, ...) within about `seconds_budget` seconds and
// prints ns/frame, MB/s and the ratio per frame kind to `out`. If the two
// disagree on any frame it prints the frame and times nothing.
// simdjson On-Demand picks its kernel when this file is compiled: build
// json_compare.cpp with -march=haswell (or native), or simdjson runs its
// fallback kernel (a warning line says so).
void run_json_comparison(FILE* out, unsigned seconds_budget);

} // namespace ef::bench

// The brief names the function unqualified; both spellings work.
using ef::bench::run_json_comparison;
