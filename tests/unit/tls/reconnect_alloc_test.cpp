// The reason the TLS pool exists: with it attached, a reconnect (a new
// WOLFSSL object, a full TLS 1.3 handshake, then a resumption with the saved
// session, records both ways) makes zero system allocations after one
// warm-up handshake. Counted by the process allocation hook (alloc_hook.cpp:
// the mimalloc wrapper, or the sanitizer's malloc hook in sanitizer builds,
// so the test runs unchanged under ASan). Also measures what one client
// connection takes from its pool, for sizing tls_pool_bytes.
#include "common/alloc_count.hpp"
#include "tls_pair.hpp"

#include <cinttypes>
#include <cstdio>

namespace ef::tls::test {
namespace {

using tls_memory::pool;

struct reconnect_outcome {
    bool full = false;    // full handshake, records, session saved
    bool resumed = false; // the same with the saved session
    bool was_resumed = false;
};

// One reconnect as the feed's stream_client goes through it, twice over: a
// connection that must start from scratch, then one that resumes.
reconnect_outcome reconnect(tls_pair& t) {
    reconnect_outcome o;
    o.full = t.start(false) && t.handshake() && t.exchange(600) && t.save_session();
    t.close();
    o.resumed = t.start(true) && t.handshake() && t.exchange(600) && t.exchange(20000) &&
                t.save_session();
    o.was_resumed = t.resumed();
    t.close();
    return o;
}

class tls_reconnect : public ::testing::Test {
protected:
    void SetUp() override {
        if (!alloc::hooked()) GTEST_SKIP() << "this executable does not count allocations";
        ASSERT_TRUE(tls_memory::install().ok());
        ASSERT_TRUE(tls_world::get().client && tls_world::get().server);
    }
};

TEST_F(tls_reconnect, allocates_nothing_from_the_system_after_one_warm_up_handshake) {
    auto p = pool::create();
    ASSERT_TRUE(p.ok()) << p.err().message;
    tls_memory::attach_thread_pool(*p);
    {
        tls_pair t;
        ASSERT_TRUE(t.start(false) && t.handshake() && t.exchange(600)) << "warm-up";
        t.close();

        const alloc::counts before = alloc::read();
        const tls_memory::global_stats g0 = tls_memory::read_global();
        const reconnect_outcome o = reconnect(t);
        const alloc::counts after = alloc::read();
        const tls_memory::global_stats g1 = tls_memory::read_global();

        EXPECT_TRUE(o.full);
        EXPECT_TRUE(o.resumed);
        EXPECT_TRUE(o.was_resumed) << "the second connection must resume";
        EXPECT_EQ(after.allocs - before.allocs, 0u)
            << (after.bytes - before.bytes) << " bytes allocated from the system";
        EXPECT_EQ(g1.pool_fallbacks - g0.pool_fallbacks, 0u);
        EXPECT_EQ(p->stats().fallbacks, 0u);
        EXPECT_GT(p->stats().allocs, 0u) << "wolfSSL allocated from the pool";
    }
    EXPECT_EQ(p->stats().live_blocks, 0u)
        << "wolfSSL keeps nothing of the pool's once its sessions are freed";
    tls_memory::detach_thread_pool();
}

// The control for the test above: the same reconnect with no pool does
// allocate, so the counter sees wolfSSL's allocations and the zero above is
// the pool's doing.
TEST_F(tls_reconnect, without_a_pool_the_same_reconnect_allocates_from_the_system) {
    ASSERT_FALSE(tls_memory::thread_has_pool());
    tls_pair t;
    ASSERT_TRUE(t.start(false) && t.handshake() && t.exchange(600)) << "warm-up";
    t.close();
    const alloc::counts before = alloc::read();
    const uint64_t unattached = tls_memory::read_global().unattached;
    const reconnect_outcome o = reconnect(t);
    const alloc::counts after = alloc::read();
    EXPECT_TRUE(o.full && o.resumed && o.was_resumed);
    EXPECT_GT(after.allocs - before.allocs, 50u);
    EXPECT_GT(tls_memory::read_global().unattached - unattached, 50u);
}

TEST_F(tls_reconnect, many_reconnects_stop_carving_once_warm) {
    auto p = pool::create();
    ASSERT_TRUE(p.ok()) << p.err().message;
    tls_memory::attach_thread_pool(*p);
    {
        tls_pair t;
        ASSERT_TRUE(reconnect(t).was_resumed);
        const uint64_t carved = p->stats().carved_bytes;
        for (int i = 0; i < 10; ++i) ASSERT_TRUE(reconnect(t).was_resumed) << "round " << i;
        EXPECT_EQ(p->stats().carved_bytes, carved) << "every block was recycled";
        EXPECT_EQ(p->stats().fallbacks, 0u);
    }
    tls_memory::detach_thread_pool();
}

TEST_F(tls_reconnect, starting_a_connection_to_a_long_host_name_allocates_nothing_from_the_system) {
    auto p = pool::create();
    ASSERT_TRUE(p.ok()) << p.err().message;
    const std::string_view host = "stream.liquidity.venue-with-a-long-name.example.com";
    tls_session s(16 * 1024, 16 * 1024);
    tls_memory::attach_thread_pool(*p);
    const bool warm = s.start(*tls_world::get().client, host, host, nullptr).ok();
    const alloc::counts before = alloc::read();
    const bool again = s.start(*tls_world::get().client, host, host, nullptr).ok();
    const alloc::counts after = alloc::read();
    s.reset();
    tls_memory::detach_thread_pool();
    EXPECT_TRUE(warm && again);
    EXPECT_EQ(after.allocs - before.allocs, 0u) << "a name past std::string's SSO must not allocate";
}

void print(const char* what, const tls_memory::pool_stats& s) {
    std::printf("[ measure  ] client %-34s in_use %7" PRIu64 " B  high_water %7" PRIu64
                " B  carved %7" PRIu64 " B  live_blocks %3" PRIu64 "\n",
                what, s.in_use_bytes, s.high_water_bytes, s.carved_bytes, s.live_blocks);
}

// Figures for sizing: the client's pool alone (the server side allocates
// from its own), through a full handshake, then a resumption on a fresh
// client pool so its high-water mark is the resumption's own.
TEST_F(tls_reconnect, one_client_connection_uses_a_small_part_of_the_default_pool) {
    auto full_pool = pool::create();
    auto resume_pool = pool::create();
    auto server_pool = pool::create();
    ASSERT_TRUE(full_pool.ok() && resume_pool.ok() && server_pool.ok());
    uint64_t full_peak = 0, resume_peak = 0;
    {
        tls_pair t({&*full_pool, &*server_pool});
        ASSERT_TRUE(t.start(false));
        print("after wolfSSL_new", full_pool->stats());
        ASSERT_TRUE(t.handshake());
        print("full handshake done", full_pool->stats());
        ASSERT_TRUE(t.exchange(600) && t.exchange(20000));
        print("after records", full_pool->stats());
        ASSERT_TRUE(t.save_session());
        print("after saving the session", full_pool->stats());
        full_peak = full_pool->stats().high_water_bytes;
        t.close();
        print("closed (the saved session stays)", full_pool->stats());

        t.use_pools({&*resume_pool, &*server_pool});
        ASSERT_TRUE(t.start(true) && t.handshake() && t.exchange(600) && t.exchange(20000));
        ASSERT_TRUE(t.resumed());
        print("resumed handshake + records", resume_pool->stats());
        ASSERT_TRUE(t.save_session());
        t.close();
        resume_peak = resume_pool->stats().high_water_bytes;
        print("resumed, closed", resume_pool->stats());
        std::printf("[ measure  ] server peak %" PRIu64 " B\n",
                    server_pool->stats().high_water_bytes);
    }
    tls_memory::detach_thread_pool();
    RecordProperty("client_full_handshake_high_water_bytes", std::to_string(full_peak));
    RecordProperty("client_resumption_high_water_bytes", std::to_string(resume_peak));
    // Room for at least 16 connections in mid-handshake at once.
    EXPECT_LT(full_peak, tls_memory::default_pool_bytes / 16);
    EXPECT_GT(full_peak, 34256u) << "at least the WOLFSSL object itself";
}

} // namespace
} // namespace ef::tls::test
