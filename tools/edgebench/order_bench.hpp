// edgebench's order run: OpenMarkets paper buys placed one at a time, ours
// (edgebench attached as strategy "bench" -> shared-memory ring -> the
// daemon's order loop -> TLS to the simulator) and then libcurl's (the same
// HTTP request over one kept-alive easy handle, curl_baseline.hpp) against
// the same simulator, in the same run, printed side by side with ratios.
// Driven by edgebench's main; order_bench.cpp needs the order channel's C
// ABI (include/edgefeed/order_channel.h) and is built only where it exists.
#pragma once

#include "edgebench/curl_baseline.hpp"

#include <edgefeed/layout.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace ef::bench {

struct order_bench_options {
    std::string edgefeed; // paths of the binaries
    std::string edgesim;
    series_plan plan;
    int feed_core = 0;  // the daemon's feed loop, idle "sleep": no feed work matters here
    int order_core = 1; // the daemon's order loop, spinning; libcurl's series runs here later
    int sim_core = 0;
    std::string account = "demo-user"; // one the simulator accepts (its --om-users)
    int64_t amount_e9 = 10 * EF_SCALE_E9;  // USD 10 a buy
    int64_t max_price_e9 = EF_SCALE_E9;    // 1: any price fills (0 < max_price <= 1)
};

// Returns 0 when both series ran (whatever the figures), non-zero when a
// process could not be started, the order channel did not come up or a
// series could not complete.
int run_order_bench(FILE* out, const order_bench_options& opts);

} // namespace ef::bench
