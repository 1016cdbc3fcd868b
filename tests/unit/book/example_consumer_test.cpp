// Tests for tools/example_consumer (edgefeed-consumer, in C): the JSON dump
// with exact decimals, following changes, the quiet summary, re-attaching
// after a daemon restart, and its exit codes. Runs the real executable,
// whose path meson passes in EDGEFEED_CONSUMER.
#include "book_test_support.hpp"
#include "common/clock.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

using namespace ef::book;
using ef::book::test::scoped_region;
using ef::book::test::small_caps;
using ef::book::test::unique_instance;

namespace {

// One run of the consumer with stdout and stderr captured.
class consumer_process {
public:
    explicit consumer_process(std::vector<std::string> args) {
        const char* exe = std::getenv("EDGEFEED_CONSUMER");
        if (!exe) return;
        int out[2], err[2];
        if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) return;
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_adddup2(&fa, err[1], 2);
        std::vector<char*> argv{const_cast<char*>(exe)};
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        args_ = std::move(args);
        if (posix_spawn(&pid_, exe, &fa, nullptr, argv.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&fa);
        ::close(out[1]);
        ::close(err[1]);
        out_fd_ = out[0];
        err_fd_ = err[0];
    }
    ~consumer_process() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (out_fd_ >= 0) ::close(out_fd_);
        if (err_fd_ >= 0) ::close(err_fd_);
    }
    bool started() const { return pid_ > 0; }

    // Reads what is available for up to timeout_ms; true once stderr holds `text`.
    bool wait_stderr(const std::string& text, int timeout_ms) {
        const int64_t end = ef::mono_ns() + int64_t{timeout_ms} * 1'000'000;
        while (err_.find(text) == std::string::npos) {
            const int64_t left = (end - ef::mono_ns()) / 1'000'000;
            if (left <= 0 || !pump(static_cast<int>(left))) return err_.find(text) != std::string::npos;
        }
        return true;
    }
    // True once stdout holds `text` at least `times` times.
    bool wait_stdout(const std::string& text, int times, int timeout_ms) {
        const int64_t end = ef::mono_ns() + int64_t{timeout_ms} * 1'000'000;
        for (;;) {
            int n = 0;
            for (size_t at = out_.find(text); at != std::string::npos; at = out_.find(text, at + 1)) ++n;
            if (n >= times) return true;
            const int64_t left = (end - ef::mono_ns()) / 1'000'000;
            if (left <= 0) return false;
            pump(static_cast<int>(left));
        }
    }
    // Collects everything until exit (bounded) and returns the exit code, -1 on timeout.
    int finish(int timeout_ms) {
        const int64_t end = ef::mono_ns() + int64_t{timeout_ms} * 1'000'000;
        while (pump(50) || ef::mono_ns() < end) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                while (pump(0)) {
                }
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            if (ef::mono_ns() >= end) break;
        }
        return -1;
    }
    void signal(int sig) { ::kill(pid_, sig); }
    const std::string& out() const { return out_; }
    const std::string& err() const { return err_; }

private:
    // One poll round over both pipes; false when nothing was read.
    bool pump(int timeout_ms) {
        pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
        if (::poll(fds, 2, timeout_ms) <= 0) return false;
        bool any = false;
        char buf[4096];
        for (int i = 0; i < 2; ++i)
            if (fds[i].revents & (POLLIN | POLLHUP)) {
                const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
                if (n > 0) {
                    (i == 0 ? out_ : err_).append(buf, static_cast<size_t>(n));
                    any = true;
                }
            }
        return any;
    }

    std::vector<std::string> args_;
    pid_t pid_ = -1;
    bool exited_ = false;
    int out_fd_ = -1, err_fd_ = -1;
    std::string out_, err_;
};

#define REQUIRE_CONSUMER()                                                                    \
    if (!std::getenv("EDGEFEED_CONSUMER")) GTEST_SKIP() << "EDGEFEED_CONSUMER not set"

// A small book: one contest, two partners, two positions.
struct sample_book {
    scoped_region r{small_caps(), "ex"};
    position_writer w = r.writer(0);
    uint32_t p1 = 0, p2 = 0;
    sample_book() {
        EXPECT_EQ(r->claim_contest("nba-1"), 0u);
        EXPECT_EQ(w.intern_partner("kalshi"), 0u);
        EXPECT_EQ(w.intern_partner("novig"), 1u);
        p1 = w.find_or_create_position("nba-1:moneyline:home:main:lakers:full", 0);
        p2 = w.find_or_create_position("nba-1:total:\"over\\\":main:x:full", 0);
    }
};

TEST(example_consumer, dumps_every_level_as_json_with_exact_decimals) {
    REQUIRE_CONSUMER();
    sample_book s;
    ASSERT_EQ(s.w.apply_level(s.p1, 0, 490'000'000, 5'400 * EF_SCALE_E9, 1, 1), apply_status::applied);
    ASSERT_EQ(s.w.apply_level(s.p1, 1, 1, 12'500'000'000, 1, 1), apply_status::applied);
    ASSERT_EQ(s.w.apply_level(s.p2, 1, 100'000'000'000, 999'999'999, 1, 1), apply_status::applied);
    ASSERT_EQ(s.w.apply_level(s.p2, 0, INT64_MIN, INT64_MAX, 1, 1), apply_status::applied);
    consumer_process c({"--instance", s.r.instance(), "--dump"});
    ASSERT_TRUE(c.started());
    ASSERT_EQ(c.finish(5000), 0) << c.err();
    EXPECT_EQ(c.out(),
              "{\"liquidity_hash\":\"kalshi:nba-1:moneyline:home:main:lakers:full\",\"price\":\"0.49\","
              "\"available\":\"5400\"}\n"
              "{\"liquidity_hash\":\"novig:nba-1:moneyline:home:main:lakers:full\",\"price\":"
              "\"0.000000001\",\"available\":\"12.5\"}\n"
              "{\"liquidity_hash\":\"novig:nba-1:total:\\\"over\\\\\\\":main:x:full\",\"price\":\"100\","
              "\"available\":\"0.999999999\"}\n"
              "{\"liquidity_hash\":\"kalshi:nba-1:total:\\\"over\\\\\\\":main:x:full\",\"price\":"
              "\"-9223372036.854775808\",\"available\":\"9223372036.854775807\"}\n");
}

TEST(example_consumer, prints_each_change_with_the_best_offer) {
    REQUIRE_CONSUMER();
    sample_book s;
    consumer_process c({"--instance", s.r.instance(), "--seconds", "30"});
    ASSERT_TRUE(c.started());
    ASSERT_TRUE(c.wait_stderr("attached", 5000)) << c.err();
    // One change at a time: each line shows the position as read when the
    // entry is seen, so a faster writer would show only the newest state.
    const std::string h = "nba-1:moneyline:home:main:lakers:full";
    ASSERT_EQ(s.w.apply_level(s.p1, 1, 520'000'000, 10 * EF_SCALE_E9, 1, ef::mono_ns()), apply_status::applied);
    EXPECT_TRUE(c.wait_stdout(h + " 0.52 novig 10\n", 1, 5000)) << c.out();
    ASSERT_EQ(s.w.apply_level(s.p1, 0, 490'000'000, 5'400 * EF_SCALE_E9, 2, ef::mono_ns()), apply_status::applied);
    EXPECT_TRUE(c.wait_stdout(h + " 0.49 kalshi 5400\n", 1, 5000)) << c.out();
    ASSERT_EQ(s.w.apply_level(s.p1, 0, 490'000'000, 0, 3, ef::mono_ns()), apply_status::applied);
    EXPECT_TRUE(c.wait_stdout(h + " 0.52 novig 10\n", 2, 5000)) << "kalshi removed: novig is best again\n" << c.out();
    ASSERT_EQ(s.w.apply_level(s.p1, 1, 520'000'000, 0, 4, ef::mono_ns()), apply_status::applied);
    EXPECT_TRUE(c.wait_stdout(h + " - - 0\n", 1, 5000)) << c.out();
    c.signal(SIGINT);
    EXPECT_EQ(c.finish(5000), 0) << c.err();
    EXPECT_EQ(c.out(), h + " 0.52 novig 10\n" + h + " 0.49 kalshi 5400\n" + h + " 0.52 novig 10\n" + h +
                           " - - 0\n");
}

TEST(example_consumer, quiet_mode_prints_one_summary_a_second_and_stops_after_seconds) {
    REQUIRE_CONSUMER();
    sample_book s;
    consumer_process c({"--instance", s.r.instance(), "--quiet", "--seconds", "2.2"});
    ASSERT_TRUE(c.started());
    ASSERT_TRUE(c.wait_stderr("attached", 5000)) << c.err();
    for (int i = 0; i < 100; ++i)
        (void)s.w.apply_level(s.p1, 0, 100 + i, 1 + i, i, ef::mono_ns());
    ASSERT_EQ(c.finish(8000), 0) << c.err();
    EXPECT_NE(c.out().find("updates/s "), std::string::npos) << c.out();
    EXPECT_NE(c.out().find(" p99 "), std::string::npos) << c.out();
    EXPECT_EQ(c.out().find("nba-1:"), std::string::npos) << "no per-change lines";
}

TEST(example_consumer, re_attaches_when_the_daemon_restarts) {
    REQUIRE_CONSUMER();
    const std::string inst = unique_instance("exr");
    auto spec = region_spec::make(small_caps());
    ASSERT_TRUE(spec);
    auto first = book_region::create(inst, spec.value());
    ASSERT_TRUE(first);
    consumer_process c({"--instance", inst, "--quiet", "--seconds", "20"});
    ASSERT_TRUE(c.started());
    ASSERT_TRUE(c.wait_stderr("attached", 5000)) << c.err();
    auto second = book_region::create(inst, spec.value());
    ASSERT_TRUE(second);
    EXPECT_TRUE(c.wait_stderr("re-attached", 5000)) << c.err();
    char epoch[32];
    std::snprintf(epoch, sizeof epoch, "%016llx", static_cast<unsigned long long>(second->epoch()));
    EXPECT_NE(c.err().find(std::string("re-attached (epoch ") + epoch), std::string::npos) << c.err();
    c.signal(SIGTERM);
    EXPECT_EQ(c.finish(5000), 0);
    (void)second->unlink();
}

TEST(example_consumer, waits_a_bounded_time_for_a_missing_daemon_then_fails) {
    REQUIRE_CONSUMER();
    const std::string inst = unique_instance("exm");
    const int64_t t0 = ef::mono_ns();
    consumer_process c({"--instance", inst, "--wait", "0.3", "--dump"});
    ASSERT_TRUE(c.started());
    EXPECT_EQ(c.finish(5000), 1);
    EXPECT_GE(ef::mono_ns() - t0, 300'000'000);
    EXPECT_NE(c.err().find("/edgefeed." + inst), std::string::npos) << c.err();
}

TEST(example_consumer, rejects_bad_arguments_with_usage) {
    REQUIRE_CONSUMER();
    consumer_process c({"--seconds", "soon"});
    ASSERT_TRUE(c.started());
    EXPECT_EQ(c.finish(5000), 2);
    consumer_process w({"--watch-contests", "-1"});
    ASSERT_TRUE(w.started());
    EXPECT_EQ(w.finish(5000), 2) << "a negative watch time";
    consumer_process d({"--bogus"});
    ASSERT_TRUE(d.started());
    EXPECT_EQ(d.finish(5000), 2);
    EXPECT_NE(d.err().find("usage:"), std::string::npos);
}

TEST(example_consumer, watch_contests_prints_each_transition_then_a_summary_per_contest) {
    REQUIRE_CONSUMER();
    scoped_region r(small_caps(), "exw");
    ASSERT_EQ(r->claim_contest("nba-1"), 0u); // stale, not subscribed
    ASSERT_EQ(r->claim_contest("nba-2"), 1u);
    r->set_contest_status(1, EF_CONTEST_SUBSCRIBED, EF_STALE_NONE);
    consumer_process c({"--instance", r.instance(), "--watch-contests", "1.5"});
    ASSERT_TRUE(c.started());
    ASSERT_TRUE(c.wait_stderr("watching", 5000)) << c.err();
    // Each step waits until the watcher printed it: 200 us polls see every one.
    r->set_contest_status(0, EF_CONTEST_SUBSCRIBED, EF_STALE_NONE);
    ASSERT_TRUE(c.wait_stdout(" nba-1 fresh none\n", 1, 5000)) << c.out();
    r->set_contest_status(0, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, EF_STALE_AWAITING_SNAPSHOT);
    ASSERT_TRUE(c.wait_stdout(" nba-1 stale awaiting_snapshot\n", 1, 5000)) << c.out();
    r->set_contest_status(0, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, EF_STALE_SNAPSHOT_FAILED);
    ASSERT_TRUE(c.wait_stdout(" nba-1 stale snapshot_failed\n", 1, 5000)) << c.out();
    r->set_contest_status(0, EF_CONTEST_SUBSCRIBED, EF_STALE_NONE);
    ASSERT_TRUE(c.wait_stdout(" nba-1 fresh none\n", 2, 5000)) << c.out();
    ASSERT_EQ(c.finish(8000), 0) << c.err();
    // Every line: "<mono_ns> <id> stale|fresh <reason>" or a summary.
    std::vector<std::string> lines;
    for (size_t at = 0, nl; (nl = c.out().find('\n', at)) != std::string::npos; at = nl + 1)
        lines.push_back(c.out().substr(at, nl - at));
    std::vector<std::string> events, summaries;
    int64_t last_ns = 0;
    for (const std::string& l : lines) {
        if (l.rfind("summary ", 0) == 0) {
            summaries.push_back(l);
            continue;
        }
        const size_t sp = l.find(' ');
        ASSERT_NE(sp, std::string::npos) << l;
        const int64_t ns = std::stoll(l.substr(0, sp));
        EXPECT_GE(ns, last_ns) << "monotonic times: " << l;
        last_ns = ns;
        events.push_back(l.substr(sp + 1));
    }
    EXPECT_EQ(events, (std::vector<std::string>{
                          "nba-1 stale not_subscribed", "nba-2 fresh none", "nba-1 fresh none",
                          "nba-1 stale awaiting_snapshot", "nba-1 stale snapshot_failed", "nba-1 fresh none"}))
        << c.out();
    EXPECT_EQ(summaries, (std::vector<std::string>{
                             "summary nba-1 stale_seen=1 fresh_at_end=1 transitions=4",
                             "summary nba-2 stale_seen=0 fresh_at_end=1 transitions=0"}))
        << c.out();
}

TEST(example_consumer, watch_contests_reports_a_contest_still_stale_at_the_end) {
    REQUIRE_CONSUMER();
    scoped_region r(small_caps(), "exs");
    ASSERT_EQ(r->claim_contest("nfl-9"), 0u);
    r->set_contest_status(0, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, EF_STALE_UPDATE_LOST);
    consumer_process c({"--instance", r.instance(), "--watch-contests", "0.2"});
    ASSERT_TRUE(c.started());
    ASSERT_EQ(c.finish(5000), 0) << c.err();
    EXPECT_NE(c.out().find(" nfl-9 stale update_lost\n"), std::string::npos) << c.out();
    EXPECT_NE(c.out().find("summary nfl-9 stale_seen=1 fresh_at_end=0 transitions=0\n"),
              std::string::npos)
        << c.out();
}

} // namespace
