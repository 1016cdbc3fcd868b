// edgebench's pipeline run: edgesim burst -> edgefeed -> a consumer thread
// following the journal, on loopback, with a baseline client consuming the
// same burst in the same run. Prints throughput, CPU per message (from the
// loop's own busy time, since a spinning loop is 100% CPU whatever it does),
// allocations per message after warm-up, latencies, and the ratio against the
// baseline. These are figures from a shared machine: read the ratios.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace ef::bench {

struct pipeline_options {
    std::string edgefeed;   // paths of the binaries
    std::string edgesim;
    std::string baseline;   // baseline_ws_client.py; empty: skip the baseline
    uint64_t messages = 200000;
    unsigned entries = 3;
    unsigned contests = 8;
    int daemon_core = -1;   // -1: the last core
    std::string idle = "spin";
};

// Returns 0 when the run completed (whatever the figures), non-zero when a
// process could not be started or the pipeline did not deliver.
int run_pipeline(FILE* out, const pipeline_options& opts);

} // namespace ef::bench
