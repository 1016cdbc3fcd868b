// Stand-alone runner for the order codec comparison (order_codec_bench.hpp),
// so it can be run without the rest of edgebench: order_codec_bench [seconds].
#include "tools/edgebench/order_codec_bench.hpp"

#include <cstdlib>

int main(int argc, char** argv) {
    const unsigned seconds = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 4;
    return ef::bench::run_order_codec_bench(stdout, seconds) == 0 ? 0 : 1;
}
