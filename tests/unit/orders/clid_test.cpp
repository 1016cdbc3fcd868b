// cl_order_id allocation: the id format, restarts continue above every id
// handed out, a crash mid-block never repeats one, a new UTC day starts at 1,
// instances keep to their own files, and the next block is persisted early.
#include "orders/cl_order_id.hpp"
#include "tests/unit/orders/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ef::orders {
namespace {

constexpr int64_t sec = 1'000'000'000;
constexpr int64_t day = 86'400 * sec;
// 2026-11-22T04:00:00Z
constexpr int64_t t0 = 1'795'320'000 * sec;

std::string take(cl_order_id_source& src, int64_t now = t0) {
    char buf[EF_CL_ORDER_ID_MAX];
    const size_t n = src.next(buf, now);
    EXPECT_GT(n, 0u) << src.last_error();
    EXPECT_EQ(buf[n], '\0');
    return std::string(buf, n);
}

std::string read_text(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

cl_order_id_source open_ok(const std::string& dir, const std::string& instance = "main",
                           uint32_t block = 8, int64_t now = t0) {
    auto r = cl_order_id_source::open(dir, instance, "ef", block, now);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.err().message);
    return std::move(r).value();
}

TEST(cl_order_id, ids_are_prefix_utc_date_dash_sequence_from_one) {
    test::temp_dir dir;
    auto src = open_ok(dir.path());
    EXPECT_EQ(take(src), "ef20261122-1");
    EXPECT_EQ(take(src), "ef20261122-2");
    for (int i = 3; i <= 20; ++i) EXPECT_EQ(take(src), "ef20261122-" + std::to_string(i));
}

TEST(cl_order_id, the_state_file_holds_the_day_and_the_persisted_high_water) {
    test::temp_dir dir;
    auto src = open_ok(dir.path(), "main", 8);
    EXPECT_EQ(read_text(dir.path() + "/main.clid"), "edgefeed-clid 1\n20261122 9\n");
}

TEST(cl_order_id, a_restart_continues_above_every_id_handed_out) {
    test::temp_dir dir;
    {
        auto src = open_ok(dir.path(), "main", 8);
        for (int i = 0; i < 3; ++i) take(src);
    }
    auto again = open_ok(dir.path(), "main", 8);
    EXPECT_EQ(take(again), "ef20261122-9"); // the first block's end: 4..8 are skipped
}

TEST(cl_order_id, ids_stay_unique_over_many_restarts) {
    test::temp_dir dir;
    std::set<std::string> seen;
    for (int round = 0; round < 12; ++round) {
        auto src = open_ok(dir.path(), "main", 4);
        for (int i = 0; i < round * 3 % 11; ++i) ASSERT_TRUE(seen.insert(take(src)).second);
    }
    EXPECT_GT(seen.size(), 40u);
}

TEST(cl_order_id, a_crash_mid_block_never_repeats_an_id) {
    test::temp_dir dir;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        // Child: take ids across a few blocks, report them, die without any
        // destructor (as kill -9 would).
        ::close(fds[0]);
        auto r = cl_order_id_source::open(dir.path(), "main", "ef", 8, t0);
        if (!r.ok()) ::_exit(2);
        for (int i = 0; i < 21; ++i) {
            char buf[EF_CL_ORDER_ID_MAX];
            const size_t n = r.value().next(buf, t0);
            if (n == 0) ::_exit(3);
            buf[n] = '\n';
            if (::write(fds[1], buf, n + 1) != static_cast<ssize_t>(n + 1)) ::_exit(4);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string child_out;
    char buf[256];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) child_out.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int st = 0;
    ASSERT_EQ(::waitpid(pid, &st, 0), pid);
    ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
    std::set<std::string> seen;
    std::istringstream lines(child_out);
    for (std::string l; std::getline(lines, l);) seen.insert(l);
    ASSERT_EQ(seen.size(), 21u);
    EXPECT_TRUE(seen.count("ef20261122-21"));
    auto src = open_ok(dir.path(), "main", 8);
    for (int i = 0; i < 40; ++i) {
        const std::string id = take(src);
        EXPECT_EQ(seen.count(id), 0u) << id << " was handed out before the crash";
    }
}

TEST(cl_order_id, a_new_utc_day_starts_again_at_one) {
    test::temp_dir dir;
    const int64_t midnight = (t0 / day + 1) * day;
    auto src = open_ok(dir.path(), "main", 8);
    for (int i = 0; i < 5; ++i) take(src, midnight - 1);
    EXPECT_EQ(take(src, midnight), "ef20261123-1");
    EXPECT_EQ(take(src, midnight + 1), "ef20261123-2");
    EXPECT_EQ(read_text(dir.path() + "/main.clid"), "edgefeed-clid 1\n20261123 9\n");
}

TEST(cl_order_id, a_restart_on_a_later_day_starts_at_one) {
    test::temp_dir dir;
    {
        auto src = open_ok(dir.path(), "main", 8);
        take(src);
    }
    auto src = open_ok(dir.path(), "main", 8, t0 + day);
    EXPECT_EQ(take(src, t0 + day), "ef20261123-1");
}

TEST(cl_order_id, a_clock_behind_the_state_file_keeps_the_later_day) {
    test::temp_dir dir;
    {
        auto src = open_ok(dir.path(), "main", 8, t0 + day);
        EXPECT_EQ(take(src, t0 + day), "ef20261123-1");
    }
    auto src = open_ok(dir.path(), "main", 8, t0);
    EXPECT_EQ(take(src, t0), "ef20261123-9");
}

TEST(cl_order_id, the_next_block_is_persisted_once_half_the_block_is_used) {
    test::temp_dir dir;
    auto src = open_ok(dir.path(), "main", 8);
    for (int i = 0; i < 4; ++i) take(src); // 1..4: 4 of 8 left
    EXPECT_EQ(src.blocks_persisted(), 1u);
    take(src); // 5: 4 left -> ask for the next block
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (src.blocks_persisted() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(src.blocks_persisted(), 2u);
    EXPECT_EQ(read_text(dir.path() + "/main.clid"), "edgefeed-clid 1\n20261122 17\n");
    for (int i = 6; i <= 16; ++i) EXPECT_EQ(take(src), "ef20261122-" + std::to_string(i));
}

TEST(cl_order_id, concurrent_instances_use_their_own_files) {
    test::temp_dir dir;
    auto a = open_ok(dir.path(), "east", 8);
    auto b = open_ok(dir.path(), "west", 8);
    take(a);
    take(a);
    take(b);
    EXPECT_EQ(a.path(), dir.path() + "/east.clid");
    EXPECT_EQ(b.path(), dir.path() + "/west.clid");
    EXPECT_EQ(read_text(a.path()), "edgefeed-clid 1\n20261122 9\n");
    EXPECT_EQ(read_text(b.path()), "edgefeed-clid 1\n20261122 9\n");
}

TEST(cl_order_id, a_second_open_of_the_same_instance_is_refused_while_the_first_lives) {
    test::temp_dir dir;
    auto a = open_ok(dir.path(), "main", 8);
    auto again = cl_order_id_source::open(dir.path(), "main", "ef", 8, t0);
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.err().message.find("another process"), std::string::npos) << again.err().message;
}

TEST(cl_order_id, a_corrupt_state_file_is_refused_rather_than_guessed) {
    const char* bad[] = {"", "edgefeed-clid 1\n20261122\n", "edgefeed-clid 1\n20261122 x\n",
                         "edgefeed-clid 1\n20261122 0\n", "edgefeed-clid 1\n20261322 5\n",
                         "edgefeed-clid 2\n20261122 5\n", "edgefeed-clid 1\n20261122 5\nmore"};
    for (const char* text : bad) {
        test::temp_dir dir;
        std::ofstream(dir.path() + "/main.clid") << text;
        auto r = cl_order_id_source::open(dir.path(), "main", "ef", 8, t0);
        EXPECT_FALSE(r.ok()) << "accepted: " << text;
    }
}

TEST(cl_order_id, a_prefix_outside_the_id_alphabet_is_refused) {
    test::temp_dir dir;
    for (const char* p : {"e f", "ef/", "ef\"", "abcdefghijklmnopq"})
        EXPECT_FALSE(cl_order_id_source::open(dir.path(), "main", p, 8, t0).ok()) << p;
    EXPECT_TRUE(cl_order_id_source::open(dir.path(), "main", "abcdefghijklmnop", 8, t0).ok());
}

TEST(cl_order_id, the_longest_id_fits_the_abi_field) {
    test::temp_dir dir;
    auto src = open_ok(dir.path(), "main", 1u << 30);
    // prefix 16 + date 8 + '-' + 10 digits = 35 < 40
    EXPECT_LT(cl_order_id_source::prefix_max + 8 + 1 + 10, size_t{EF_CL_ORDER_ID_MAX});
    EXPECT_EQ(take(src), "ef20261122-1");
}

TEST(cl_order_id, a_missing_directory_fails_with_its_path) {
    auto r = cl_order_id_source::open("/nonexistent-edgefeed-dir", "main", "ef", 8, t0);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.err().message.find("/nonexistent-edgefeed-dir"), std::string::npos);
}

} // namespace
} // namespace ef::orders
