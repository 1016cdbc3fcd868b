// edgebench's process plumbing for the order runs: start the simulator (and
// the daemon) as children pinned where the run says, wait for files and
// conditions, pin the calling thread, and read the simulator's REST API off
// the measured path. Used by pipeline_bench.cpp, order_bench.cpp and
// curl_baseline.cpp.
#pragma once

#include "common/clock.hpp"

#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sched.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace ef::bench::proc {

// A child process, stopped with SIGTERM and reaped when it goes out of scope.
struct child {
    pid_t pid = -1;
    child() = default;
    child(const child&) = delete;
    child& operator=(const child&) = delete;
    // Returns the exit status as waitpid gives it, or -1 when there was no child.
    int stop() {
        if (pid <= 0) return -1;
        kill(pid, SIGTERM);
        int st = 0;
        waitpid(pid, &st, 0);
        pid = -1;
        return st;
    }
    ~child() { (void)stop(); }
};

// Pins the calling thread to `core`; false if the kernel refused.
inline bool pin_self(int core) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0;
}

// Gives the calling thread back the CPUs it had when this was made.
struct affinity_guard {
    cpu_set_t saved;
    bool valid;
    affinity_guard() : valid(sched_getaffinity(0, sizeof saved, &saved) == 0) {}
    affinity_guard(const affinity_guard&) = delete;
    affinity_guard& operator=(const affinity_guard&) = delete;
    ~affinity_guard() {
        if (valid) sched_setaffinity(0, sizeof saved, &saved);
    }
};

// Starts args[0] with stdout and stderr into `log`. With core >= 0 the child
// starts pinned there (it inherits the mask the caller holds for the moment,
// so threads it starts later are pinned too).
inline bool spawn(child& c, const std::vector<std::string>& args, const std::string& log, int core = -1) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const affinity_guard restore;
    if (core >= 0) pin_self(core);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    const int rc = posix_spawn(&c.pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) c.pid = -1;
    return rc == 0;
}

// A fresh scratch directory /tmp/edgebench-<run>.XXXXXX for one run's logs
// and files; "" (after saying why on out) when none can be made.
inline std::string make_scratch_dir(FILE* out, const char* run) {
    std::string tmpl = std::string("/tmp/edgebench-") + run + ".XXXXXX";
    if (!mkdtemp(tmpl.data())) {
        fmt::print(out, "edgebench: cannot make a scratch directory: {}\n", std::strerror(errno));
        return {};
    }
    return tmpl;
}

inline std::string read_file(const std::string& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline bool wait_for(const char* what, FILE* out, double seconds, const auto& pred) {
    const int64_t end = mono_ns() + static_cast<int64_t>(seconds * 1e9);
    while (mono_ns() < end) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    fmt::print(out, "edgebench: timed out waiting for {}\n", what);
    return false;
}

inline size_t collect(char* p, size_t s, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(p, s * n);
    return s * n;
}

// GET with the API key, over a fresh libcurl handle: set-up only, never measured.
inline std::string rest_get(const std::string& url, const std::string& ca, const std::string& api_key) {
    CURL* c = curl_easy_init();
    std::string body;
    curl_slist* hs = curl_slist_append(nullptr, ("X-API-Key: " + api_key).c_str());
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    curl_slist_free_all(hs);
    return body;
}

// The simulator's control API (/_sim/...), over TLS with its test CA.
inline std::string sim_call(const std::string& url, const std::string& ca, bool post) {
    CURL* c = curl_easy_init();
    std::string body;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    if (post) curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    return body;
}

// The simulator as the order runs use it: its own directory, a known key.
struct sim {
    child process;
    std::string dir;  // the run's scratch directory
    std::string port; // decimal
    std::string ca;   // its test CA (PEM)
    std::string base; // https://127.0.0.1:<port>
    std::vector<std::string> contests;
    static constexpr const char* api_key = "bench-key";
};

// Starts edgesim pinned to `core` in `dir` and waits until it listens.
inline bool start_sim(sim& s, FILE* out, const std::string& edgesim, const std::string& dir, int core) {
    s.dir = dir;
    if (!spawn(s.process, {edgesim, "--port", "0", "--port-file", dir + "/port", "--state-dir", dir + "/sim",
                           "--contests", "2", "--positions", "16", "--no-replay", "--api-key", sim::api_key},
               dir + "/edgesim.log", core)) {
        fmt::print(out, "edgebench: cannot start {}\n", edgesim);
        return false;
    }
    if (!wait_for("edgesim", out, 20, [&] { return !read_file(dir + "/port").empty(); })) return false;
    s.port = std::to_string(std::stoi(read_file(dir + "/port")));
    s.ca = dir + "/sim/ca.pem";
    s.base = "https://127.0.0.1:" + s.port;
    std::istringstream ids(read_file(dir + "/sim/contests.txt"));
    for (std::string id; std::getline(ids, id);)
        if (!id.empty()) s.contests.push_back(id);
    return !s.contests.empty();
}

} // namespace ef::bench::proc
