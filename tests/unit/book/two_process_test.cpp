// Two processes, as in production: a forked child creates the region and
// writes (as the daemon does), the parent maps it read-only through the C ABI
// and reads while the child keeps writing. Checks that nothing relies on
// being in one address space.
#include "book_test_support.hpp"
#include "common/clock.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace ef::book;
using ef::book::test::unique_instance;

namespace {

constexpr int64_t size_over_price = 7'000;

// Child: never returns. Exit codes name the step that failed.
[[noreturn]] void run_child(const std::string& instance, int ready_fd, int stop_fd) {
    capacities c;
    c.max_contests = 2;
    c.max_partners = 4;
    c.max_positions = 16;
    c.levels_per_position = 4;
    c.journal_shards = 1;
    c.journal_capacity = 1024;
    auto spec = region_spec::make(c);
    if (!spec) ::_exit(10);
    auto region = book_region::create(instance, spec.value());
    if (!region) ::_exit(11);
    book_region& r = region.value();
    if (r.claim_contest("match-1") != 0) ::_exit(12);
    auto wr = position_writer::make(r, 0);
    if (!wr) ::_exit(13);
    position_writer& w = wr.value();
    const uint32_t kalshi = w.intern_partner("kalshi");
    const uint32_t novig = w.intern_partner("novig");
    const uint32_t p = w.find_or_create_position("match-1:moneyline:home:main:team-a:full", 0);
    if (!is_index(p) || kalshi != 0 || novig != 1) ::_exit(14);
    if (w.apply_level(p, kalshi, 490'000'000, 490'000'000 + size_over_price, 1, ef::mono_ns()) !=
        apply_status::applied)
        ::_exit(15);
    r.set_state(EF_DAEMON_RUNNING);
    const char one = 1;
    if (::write(ready_fd, &one, 1) != 1) ::_exit(16);
    // Keep writing until the parent says stop (bounded: 10 s at most).
    const int64_t end = ef::mono_ns() + 10'000'000'000;
    pollfd pfd{stop_fd, POLLIN, 0};
    for (int64_t i = 0; ef::mono_ns() < end; ++i) {
        const int64_t price = 400'000'000 + (i % 100) * 1'000'000;
        (void)w.apply_level(p, static_cast<uint32_t>(i % 2), price, price + size_over_price, i, ef::mono_ns());
        r.heartbeat(ef::mono_ns());
        if (i % 256 == 0 && ::poll(&pfd, 1, 0) > 0) break;
    }
    r.set_state(EF_DAEMON_STOPPED);
    (void)r.unlink();
    ::_exit(0);
}

TEST(book_two_process, a_reader_process_sees_what_a_writer_process_publishes) {
    const std::string inst = unique_instance("fork");
    int ready[2], stop[2];
    ASSERT_EQ(::pipe(ready), 0);
    ASSERT_EQ(::pipe(stop), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(ready[0]);
        ::close(stop[1]);
        run_child(inst, ready[1], stop[0]);
    }
    ::close(ready[1]);
    ::close(stop[0]);
    pollfd pfd{ready[0], POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, 10'000), 1) << "child did not become ready";
    char byte = 0;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);

    ef_book* b = nullptr;
    ASSERT_EQ(ef_book_open_wait(inst.c_str(), 2000, &b), EF_OK) << ef_book_last_error();
    struct ef_book_info info;
    ASSERT_EQ(ef_book_info(b, &info), EF_OK);
    EXPECT_EQ(info.daemon_pid, static_cast<uint32_t>(pid));
    EXPECT_EQ(info.daemon_state, uint32_t{EF_DAEMON_RUNNING});
    EXPECT_EQ(ef_book_is_current(b), 1);
    uint32_t c = EF_NONE, k = EF_NONE, p = EF_NONE;
    EXPECT_EQ(ef_book_find_contest(b, "match-1", &c), EF_OK);
    EXPECT_EQ(ef_book_find_partner(b, "kalshi", &k), EF_OK);
    const std::string h = "match-1:moneyline:home:main:team-a:full";
    ASSERT_EQ(ef_book_find(b, h.data(), h.size(), &p), EF_OK);

    ef_cursor cur;
    ASSERT_EQ(ef_cursor_init_newest(b, &cur), EF_OK);
    uint64_t reads = 0, entries = 0, bad = 0;
    const int64_t end = ef::mono_ns() + 300'000'000;
    while (ef::mono_ns() < end) {
        ef_position_view v;
        if (ef_book_read_position(b, p, &v) == EF_OK) {
            ++reads;
            for (uint32_t i = 0; i < v.level_count; ++i)
                bad += v.levels[i].available_e9 != v.levels[i].price_e9 + size_over_price;
            bad += v.level_count == 0 || v.contest != c;
        }
        ef_journal_entry e;
        const int rc = ef_cursor_next(b, &cur, &e);
        if (rc == 1) {
            ++entries;
            bad += e.position != p;
        }
    }
    EXPECT_EQ(bad, 0u);
    EXPECT_GT(reads, 0u);
    EXPECT_GT(entries + cur.lapped_count, 0u) << "the journal moved while we watched";

    ASSERT_EQ(::write(stop[1], "x", 1), 1);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(ef_book_is_current(b), 0) << "the writer stopped and removed the name";
    ef_position_view v;
    EXPECT_EQ(ef_book_read_position(b, p, &v), EF_OK) << "the mapping outlives the writer";
    ef_book_close(b);
    ::close(ready[0]);
    ::close(stop[1]);
}

} // namespace
