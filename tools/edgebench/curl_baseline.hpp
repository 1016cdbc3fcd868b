// edgebench's libcurl baseline for the order benchmark: the same HTTP request
// as the daemon's order loop sends, over one kept-alive libcurl easy handle
// (HTTP/1.1, TLS 1.3 AES-128-GCM to the simulator with its test CA), on the
// same schedule as our series. Also the pieces both sides share: the
// schedule (series_plan, gap_source), the samples and their percentiles.
// Driven by order_bench.cpp, and on its own by `edgebench --curl-only`
// against a route the simulator already serves (proves the send probe and
// keep-alive without the order path).
#pragma once

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace ef::bench {

// When requests go out: `warmup` unmeasured, then `count` one at a time with
// a random gap of 0..max_gap_us between them (the path should not be
// unrealistically hot), then `cold_count` spaced cold_gap_ms apart.
struct series_plan {
    unsigned warmup = 200;
    unsigned count = 2000;
    unsigned max_gap_us = 200;
    unsigned cold_count = 50;
    unsigned cold_gap_ms = 50;
    uint64_t seed = 20261122; // both clients draw the same gaps
};

// The gaps of one series; the same seed gives both clients the same gaps.
class gap_source {
public:
    explicit gap_source(const series_plan& p) : rng_(p.seed), dist_(0, int64_t{p.max_gap_us} * 1000) {}
    int64_t next_ns() { return dist_(rng_); }

private:
    std::mt19937_64 rng_;
    std::uniform_int_distribution<int64_t> dist_;
};

// Waits `ns` on the clock without sleeping: a sleep here costs 50-80 µs and
// wakes a halted vCPU (FIELD.md), which would decide the gap, not the plan.
void spin_for_ns(int64_t ns) noexcept;

// Nanosecond samples of one client.
struct latency_samples {
    std::vector<int64_t> to_kernel_ns;  // call -> first byte handed to the kernel
    std::vector<int64_t> round_trip_ns; // call -> answer in hand
};

struct series_result {
    latency_samples hot;
    latency_samples cold;
    uint64_t failures = 0;      // no answer, or not the expected HTTP status
    std::string first_failure;  // what the first one was
    uint64_t unstamped = 0;     // answered, but no first-write stamp
    uint64_t connections = 0;   // opened over the whole run: 1 is kept alive throughout
    std::string tls;            // what the handshake settled on, as libcurl reports it
    std::string wire_head;      // the request head of the first request, as sent
};

// Nearest-rank percentile (0 < pct <= 100) of `v`, 0 when empty; sorts a copy.
int64_t percentile_ns(std::vector<int64_t> v, double pct);

// One request exactly as it goes on the wire, minus Host and Content-Length
// (both clients derive them from the URL and the body).
struct http_request {
    std::string method;  // "POST" or "GET"
    std::string url;     // https://host:port/target
    std::vector<std::pair<std::string, std::string>> headers; // in the daemon's order
    std::string body;    // empty: none
    long expect_status = 200;
};

// Runs the plan over one easy handle: warm-up (the first request connects and
// shakes hands), then the measured series. `ca_file` is the simulator's test
// CA. The calling thread does every transfer; pin it before calling. Never
// throws; failures are counted in the result.
series_result run_curl_series(const http_request& req, const std::string& ca_file, const series_plan& plan);

struct curl_only_options {
    std::string edgesim;
    series_plan plan;
    int sim_core = 0;
    int client_core = 1;
};

// `edgebench --curl-only`: starts the simulator, runs the libcurl series
// against GET /flow/v1/contests and prints it. Returns 0 when the series ran,
// the probe stamped every answer and the connection was kept alive.
int run_curl_only(FILE* out, const curl_only_options& opts);

// Prints one latency row: p50 / p99 / p99.9 / max in µs.
void print_latency_row(FILE* out, const char* label, const std::vector<int64_t>& v);

} // namespace ef::bench
