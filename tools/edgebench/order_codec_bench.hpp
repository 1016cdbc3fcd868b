// The order codec part of edgebench: our template body writers against
// fmt::format_to and snprintf writing the same bodies, and our order answer
// parsers against simdjson On-Demand extracting the same fields. Called by
// edgebench (the lead wires it into main.cpp) and by order_codec_bench_main.cpp
// for a stand-alone run; not part of the daemon.
#pragma once

#include <cstdio>

namespace ef::bench {

// Checks first that every alternative produces the same body (writers) or
// the same fields (parsers) as ours, printing any difference and timing
// nothing for that row; then times interleaved runs (ours, theirs, ours, ...)
// within about `seconds_budget` seconds and prints ns/op and the ratio
// (theirs / ours) per row to `out`. Returns the number of rows that
// disagreed (0 when all agree).
int run_order_codec_bench(FILE* out, unsigned seconds_budget);

} // namespace ef::bench
