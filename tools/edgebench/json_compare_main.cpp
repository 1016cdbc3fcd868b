// Stand-alone driver for the JSON comparison, for measuring without the rest
// of edgebench. simdjson On-Demand picks its kernel at compile time, so this
// file and json_compare.cpp are built for the machine (-march=haswell: AVX2),
// while ef_core keeps the project's x86-64-v2. From the top of the tree:
//   g++ -std=c++20 -O2 -march=haswell -I. -Isrc tools/edgebench/json_compare_main.cpp
//       tools/edgebench/json_compare.cpp build/release/src/libef_core.a -lsimdjson
//       -o build/json_compare
#include "tools/edgebench/json_compare.hpp"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    const unsigned seconds = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 16;
    ef::bench::run_json_comparison(stdout, seconds);
    return 0;
}
