// See pipeline_bench.hpp.
#include "edgebench/pipeline_bench.hpp"
#include "edgebench/bench_process.hpp"

#include "common/clock.hpp"
#include "common/counter.hpp"
#include "common/histogram.hpp"
#include "platform/shm.hpp"

#include <edgefeed/edgefeed.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sched.h>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace ef::bench {

namespace {

using proc::child;
using proc::read_file;
using proc::sim_call;
using proc::spawn;
using proc::wait_for;

uint64_t json_u64(const std::string& j, const std::string& key) {
    const size_t p = j.find("\"" + key + "\":");
    return p == std::string::npos ? 0 : std::strtoull(j.c_str() + p + key.size() + 3, nullptr, 10);
}

struct counters {
    uint64_t updates, entries, busy_ns, handle_ns, allocs, alloc_bytes;
};

counters read_counters(const ef_book* book) {
    const ef_conn_stats* c = ef_book_conn_stats(book, 0);
    const ef_loop_stats* l = ef_book_loop_stats(book, 0);
    const ef_stats_section* s = ef_book_stats(book);
    return {observe(c->updates), observe(c->entries_applied), observe(l->busy_ns), observe(l->handle_ns),
            observe(s->process.allocs_since_ready), observe(s->process.alloc_bytes_since_ready)};
}

// Follows every journal shard and measures publish -> observe latency: what
// a strategy on another core sees.
struct consumer_thread {
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> seen{0};
    uint64_t lapped = 0;
    ef_histogram hist{};
    std::thread t;
    void start(const ef_book* book, int core) {
        t = std::thread([this, book, core] {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(core, &set);
            pthread_setaffinity_np(pthread_self(), sizeof set, &set);
            ef_cursor cur;
            ef_cursor_init_newest(book, &cur);
            ef_journal_entry e;
            unsigned empty = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                const int rc = ef_cursor_next(book, &cur, &e);
                // Spin, but yield when idle: on a small machine this core is
                // shared with the simulator, which must not be starved.
                if (rc == 0 && ++empty > 256) {
                    sched_yield();
                    empty = 0;
                }
                if (rc == 1) {
                    record_latency(hist, mono_ns() - e.publish_mono_ns);
                    seen.fetch_add(1, std::memory_order_relaxed);
                } else if (rc == EF_LAPPED) {
                    lapped = cur.lapped_count;
                }
            }
        });
    }
    void join() {
        stop = true;
        if (t.joinable()) t.join();
    }
};

} // namespace

int run_pipeline(FILE* out, const pipeline_options& o) {
    const std::string dir = proc::make_scratch_dir(out, "pipeline");
    if (dir.empty()) return 1;
    const unsigned cores = std::thread::hardware_concurrency();
    const int daemon_core = o.daemon_core >= 0 ? o.daemon_core : static_cast<int>(cores) - 1;
    const int other_core = daemon_core == 0 && cores > 1 ? 1 : 0;

    child sim, daemon, baseline;
    if (!spawn(sim, {o.edgesim, "--port", "0", "--port-file", dir + "/port", "--state-dir", dir + "/sim",
                     "--contests", std::to_string(o.contests), "--positions", "64", "--no-replay",
                     "--entries", std::to_string(o.entries), "--api-key", "bench-key"},
               dir + "/edgesim.log")) {
        fmt::print(out, "edgebench: cannot start {}\n", o.edgesim);
        return 1;
    }
    if (!wait_for("edgesim", out, 20, [&] { return !read_file(dir + "/port").empty(); })) return 1;
    const std::string port = std::to_string(std::stoi(read_file(dir + "/port")));
    const std::string ca = dir + "/sim/ca.pem";
    const std::string base = "https://127.0.0.1:" + port;
    std::string contests = read_file(dir + "/sim/contests.txt");
    for (char& ch : contests) ch = ch == '\n' ? ',' : ch;
    if (!contests.empty() && contests.back() == ',') contests.pop_back();
    { std::ofstream(dir + "/key") << "bench-key\n"; }
    chmod((dir + "/key").c_str(), 0600);
    const std::string instance = fmt::format("bench-{}", getpid());
    // The daemon leaves its region for readers when it stops; a benchmark's
    // region is of no use to anyone afterwards.
    struct region_remover {
        std::string name;
        ~region_remover() { (void)platform::shm_remove(name); }
    } remove_region{instance};
    if (!spawn(daemon, {o.edgefeed, "--instance", instance, "--venue",
                        "wss://127.0.0.1:" + port + "/flow/v1/stream", "--ca-file", ca,
                        "--api-key-file", dir + "/key", "--contest", contests, "--cores",
                        std::to_string(daemon_core), "--idle", o.idle},
               dir + "/edgefeed.log")) {
        fmt::print(out, "edgebench: cannot start {}\n", o.edgefeed);
        return 1;
    }
    ef_book* book = nullptr;
    if (ef_book_open_wait(instance.c_str(), 20000, &book) != EF_OK) {
        fmt::print(out, "edgebench: cannot attach: {}\n{}", ef_book_last_error(), read_file(dir + "/edgefeed.log"));
        return 1;
    }
    const ef_conn_stats* conn = ef_book_conn_stats(book, 0);
    if (!wait_for("the daemon to go live", out, 20, [&] { return observe(conn->state) == EF_CONN_live; })) return 1;

    consumer_thread consumer;
    consumer.start(book, other_core);
    auto burst = [&](uint64_t n) {
        sim_call(fmt::format("{}/_sim/burst?messages={}&entries={}", base, n, o.entries), ca, true);
    };
    auto delivered = [&](uint64_t target) { return read_counters(book).updates >= target; };

    // Warm-up: positions and partners created, caches and TLS tickets warm.
    const uint64_t warm = std::min<uint64_t>(20000, o.messages);
    burst(warm);
    if (!wait_for("the warm-up", out, 60, [&] { return delivered(warm); })) return 1;
    // Measured: generated ahead, released at once, so the simulator sends at
    // wire speed and the daemon, not the generator, sets the pace.
    sim_call(fmt::format("{}/_sim/prepare?messages={}&entries={}", base, o.messages, o.entries), ca, true);
    const counters a = read_counters(book);
    const uint64_t seen_a = consumer.seen.load();
    const int64_t t0 = mono_ns();
    sim_call(base + "/_sim/release", ca, true);
    if (!wait_for("the measured burst", out, 300, [&] { return delivered(a.updates + o.messages); })) return 1;
    const int64_t t1 = mono_ns();
    const counters b = read_counters(book);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const uint64_t seen = consumer.seen.load() - seen_a;

    const double msgs = static_cast<double>(b.updates - a.updates);
    const double ents = static_cast<double>(b.entries - a.entries);
    const double wall_s = static_cast<double>(t1 - t0) / 1e9;
    const double cpu_us_per_msg = static_cast<double>(b.busy_ns - a.busy_ns) / 1e3 / msgs;
    const double handle_us_per_msg = static_cast<double>(b.handle_ns - a.handle_ns) / 1e3 / msgs;
    fmt::print(out, "\n== pipeline: edgesim burst -> edgefeed (core {}, idle {}) -> consumer thread (core {})\n",
               daemon_core, o.idle, other_core);
    fmt::print(out, "messages          {:>12.0f}   ({} entries each, TLS 1.3 AES-128-GCM, loopback)\n", msgs, o.entries);
    fmt::print(out, "wall              {:>12.3f} s  (prepared burst: the simulator only encrypts and sends)\n", wall_s);
    fmt::print(out, "messages/s        {:>12.0f}\n", msgs / wall_s);
    fmt::print(out, "entries/s         {:>12.0f}\n", ents / wall_s);
    fmt::print(out, "CPU per message   {:>12.3f} µs (busy loop time: kernel receive + decrypt, frame, parse, book, journal)\n", cpu_us_per_msg);
    fmt::print(out, "  of which ours   {:>12.3f} µs (user-space handlers only)\n", handle_us_per_msg);
    fmt::print(out, "capacity          {:>12.0f} messages/s per core at that CPU cost\n", 1e6 / cpu_us_per_msg);
    fmt::print(out, "allocations       {:>12.3f} per message after warm-up ({} in {} messages)\n",
               static_cast<double>(b.allocs - a.allocs) / msgs, b.allocs - a.allocs, msgs);
    fmt::print(out, "consumer saw      {:>12} journal entries, lapped {}; publish -> observe p50 {} ns, p99 {} ns, p99.9 {} ns\n",
               seen, consumer.lapped, histogram_percentile(consumer.hist, 50),
               histogram_percentile(consumer.hist, 99), histogram_percentile(consumer.hist, 99.9));
    const ef_loop_stats* ls = ef_book_loop_stats(book, 0);
    const char* names[] = {"receive -> decrypted", "decrypted -> parsed", "parsed -> published", "venue -> published"};
    for (int s = 0; s < EF_STAGE_COUNT; ++s)
        fmt::print(out, "  {:<22} p50 {:>9} ns  p99 {:>9} ns\n", names[s],
                   histogram_percentile(ls->stages[s], 50), histogram_percentile(ls->stages[s], 99));

    if (!o.baseline.empty()) {
        // Same burst, same run: the baseline client and edgefeed both receive it.
        const std::string res = dir + "/baseline.json";
        if (!spawn(baseline, {"/usr/bin/python3", o.baseline, "wss://127.0.0.1:" + port + "/flow/v1/stream",
                              ca, "bench-key", contests, std::to_string(o.messages), res},
                   dir + "/baseline.log")) {
            fmt::print(out, "edgebench: cannot start the baseline client\n");
        } else if (wait_for("the baseline to subscribe", out, 30, [&] { return access((res + ".ready").c_str(), F_OK) == 0; })) {
            const counters c = read_counters(book);
            burst(o.messages);
            wait_for("edgefeed (baseline phase)", out, 300, [&] { return delivered(c.updates + o.messages); });
            const counters d = read_counters(book);
            if (wait_for("the baseline client", out, 600, [&] { return !read_file(res).empty(); })) {
                const std::string r = read_file(res);
                const double bcpu = std::strtod(r.c_str() + r.find("\"cpu_s\":") + 8, nullptr);
                const double bmsgs = static_cast<double>(json_u64(r, "messages"));
                const double ours = static_cast<double>(d.busy_ns - c.busy_ns) / 1e3 / static_cast<double>(d.updates - c.updates);
                const double theirs = bcpu * 1e6 / bmsgs;
                fmt::print(out, "\n== same burst, same run: edgefeed vs python3-websockets + json + Decimal (baseline_ws_client.py)\n");
                fmt::print(out, "CPU per message   edgefeed {:.3f} µs   baseline {:.3f} µs   ratio {:.1f}x\n",
                           ours, theirs, theirs / ours);
            }
        }
    }
    consumer.join();
    ef_book_close(book);
    (void)json_u64(sim_call(base + "/_sim/status", ca, false), "messages_sent");
    return 0;
}

} // namespace ef::bench
