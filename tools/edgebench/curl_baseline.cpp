// See curl_baseline.hpp. libcurl is given its best case: one easy handle set
// up once and reused (its connection cache keeps the TLS session), the body
// handed over by pointer (CURLOPT_POSTFIELDS, no copy), answers written into a
// fixed buffer, no verbose output on the measured transfers.
#include "edgebench/curl_baseline.hpp"

#include "edgebench/bench_process.hpp"
#include "edgebench/send_probe.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <curl/curl.h>
#include <filesystem>
#include <fmt/format.h>
#include <thread>

namespace ef::bench {

namespace {

// The answer's first bytes, kept only to say what a failure was.
struct answer_sink {
    char head[256];
    size_t len = 0;
};

size_t into_sink(char* p, size_t s, size_t n, void* ud) {
    auto* a = static_cast<answer_sink*>(ud);
    const size_t bytes = s * n;
    const size_t take = std::min(bytes, sizeof a->head - a->len);
    std::memcpy(a->head + a->len, p, take);
    a->len += take;
    return bytes;
}

// Only the first transfer runs with this: what went on the wire and which
// TLS suite the handshake chose.
struct first_transfer {
    std::string head;
    std::string tls;
};

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* ud) {
    auto* f = static_cast<first_transfer*>(ud);
    const std::string_view text(data, size);
    if (type == CURLINFO_HEADER_OUT && f->head.empty()) f->head.assign(text);
    if (type == CURLINFO_TEXT && text.find("SSL connection using") != std::string_view::npos) {
        f->tls.assign(text);
        while (!f->tls.empty() && (f->tls.back() == '\n' || f->tls.back() == '\r')) f->tls.pop_back();
    }
    return 0;
}

} // namespace

void spin_for_ns(int64_t ns) noexcept {
    const int64_t end = mono_ns() + ns;
    while (mono_ns() < end) {
    }
}

int64_t percentile_ns(std::vector<int64_t> v, double pct) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<size_t>(std::ceil(pct / 100.0 * static_cast<double>(v.size())));
    return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

void print_latency_row(FILE* out, const char* label, const std::vector<int64_t>& v) {
    fmt::print(out, "  {:<34} p50 {:>8.1f}  p99 {:>8.1f}  p99.9 {:>8.1f}  max {:>8.1f} µs  (n={})\n", label,
               percentile_ns(v, 50) / 1e3, percentile_ns(v, 99) / 1e3, percentile_ns(v, 99.9) / 1e3,
               percentile_ns(v, 100) / 1e3, v.size());
}

series_result run_curl_series(const http_request& req, const std::string& ca_file, const series_plan& plan) {
    series_result r;
    r.hot.to_kernel_ns.reserve(plan.count);
    r.hot.round_trip_ns.reserve(plan.count);
    r.cold.to_kernel_ns.reserve(plan.cold_count);
    r.cold.round_trip_ns.reserve(plan.cold_count);

    CURL* h = curl_easy_init();
    if (!h) {
        r.failures = 1;
        r.first_failure = "curl_easy_init failed";
        return r;
    }
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : req.headers)
        headers = curl_slist_append(headers, (name + ": " + value).c_str());
    // The daemon never sends Expect; keep libcurl from adding one for larger bodies.
    headers = curl_slist_append(headers, "Expect:");
    answer_sink sink;
    first_transfer first;
    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(h, CURLOPT_CAINFO, ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    // The suite our client gets from the simulator (tls_context.cpp lists it first).
    curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_3));
    curl_easy_setopt(h, CURLOPT_TLS13_CIPHERS, "TLS_AES_128_GCM_SHA256");
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, into_sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    if (req.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        if (req.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &first);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);

    // One transfer. The probe is armed on the socket of the kept-alive
    // connection before the clock starts; a transfer that had to reconnect
    // writes on a new socket and is counted as unstamped.
    uint64_t transfers = 0;
    auto one = [&](latency_samples* into) {
        curl_socket_t fd = CURL_SOCKET_BAD;
        curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &fd);
        if (fd != CURL_SOCKET_BAD) send_probe::arm(fd);
        sink.len = 0;
        const int64_t t0 = mono_ns();
        const CURLcode rc = curl_easy_perform(h);
        const int64_t t1 = mono_ns();
        const int64_t stamp = fd != CURL_SOCKET_BAD ? send_probe::first_write_ns() : 0;
        send_probe::disarm();
        if (transfers++ == 0) curl_easy_setopt(h, CURLOPT_VERBOSE, 0L);
        long status = 0, connects = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
        r.connections += static_cast<uint64_t>(connects);
        if (rc != CURLE_OK || status != req.expect_status) {
            if (r.failures++ == 0)
                r.first_failure = fmt::format("{} (HTTP {}): {}", curl_easy_strerror(rc), status,
                                              std::string_view(sink.head, sink.len));
            return;
        }
        if (!into) return;
        if (stamp > 0) into->to_kernel_ns.push_back(stamp - t0);
        else ++r.unstamped;
        into->round_trip_ns.push_back(t1 - t0);
    };

    gap_source gaps(plan);
    for (unsigned i = 0; i < plan.warmup; ++i) {
        spin_for_ns(gaps.next_ns());
        one(nullptr);
    }
    for (unsigned i = 0; i < plan.count; ++i) {
        spin_for_ns(gaps.next_ns());
        one(&r.hot);
    }
    for (unsigned i = 0; i < plan.cold_count; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(plan.cold_gap_ms));
        one(&r.cold);
    }
    r.wire_head = std::move(first.head);
    r.tls = std::move(first.tls);
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    return r;
}

int run_curl_only(FILE* out, const curl_only_options& o) {
    const std::string dir = proc::make_scratch_dir(out, "curl");
    if (dir.empty()) return 1;
    proc::sim sim;
    if (!proc::start_sim(sim, out, o.edgesim, dir, o.sim_core)) return 1;
    http_request req;
    req.method = "GET";
    req.url = sim.base + "/flow/v1/contests";
    req.headers = {{"X-API-Key", proc::sim::api_key}, {"Accept", "application/json"}};
    const proc::affinity_guard restore;
    if (!proc::pin_self(o.client_core)) fmt::print(out, "edgebench: cannot pin to core {}\n", o.client_core);
    const uint64_t hits_before = send_probe::hits();
    const series_result r = run_curl_series(req, sim.ca, o.plan);
    const uint64_t hits = send_probe::hits() - hits_before;

    fmt::print(out, "\n== libcurl {} alone: GET /flow/v1/contests, one kept-alive easy handle (client core {}, sim core {})\n",
               curl_version_info(CURLVERSION_NOW)->version, o.client_core, o.sim_core);
    fmt::print(out, "  {} warm-up, {} measured with 0-{} µs gaps, {} cold {} ms apart; scratch {}\n", o.plan.warmup,
               o.plan.count, o.plan.max_gap_us, o.plan.cold_count, o.plan.cold_gap_ms, dir);
    fmt::print(out, "  {}\n", r.tls.empty() ? "TLS: not reported" : r.tls);
    fmt::print(out, "  connections opened {} (1: kept alive throughout), failures {}{}{}\n", r.connections,
               r.failures, r.failures ? ", first: " : "", r.first_failure);
    fmt::print(out, "  send probe: {} write calls on the armed socket, {} answers without a stamp\n", hits,
               r.unstamped);
    print_latency_row(out, "call -> first byte to the kernel", r.hot.to_kernel_ns);
    print_latency_row(out, "call -> answer in hand", r.hot.round_trip_ns);
    print_latency_row(out, "cold: call -> first byte to kernel", r.cold.to_kernel_ns);
    print_latency_row(out, "cold: call -> answer in hand", r.cold.round_trip_ns);
    fmt::print(out, "  request head as sent:\n");
    for (size_t p = 0; p < r.wire_head.size();) {
        const size_t e = r.wire_head.find("\r\n", p);
        const size_t end = e == std::string::npos ? r.wire_head.size() : e;
        if (end > p) fmt::print(out, "    {}\n", std::string_view(r.wire_head).substr(p, end - p));
        p = end + 2;
    }
    const bool ok = r.failures == 0 && r.unstamped == 0 && r.connections == 1 && hits > 0;
    (void)sim.process.stop();
    // Kept for a look when something is wrong (the simulator's log is there).
    if (ok) std::filesystem::remove_all(dir);
    else fmt::print(out, "edgebench: the libcurl series is not sound (see above; {})\n", dir);
    return ok ? 0 : 1;
}

} // namespace ef::bench
