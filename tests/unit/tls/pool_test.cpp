// The TLS pool on its own: size classes, reuse, realloc, fallbacks and
// exhaustion, frees from other threads, and the pool's life cycle. Calls the
// hooks (allocate/release/reallocate) directly, as wolfSSL does.
#include "tls/tls_memory.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define EF_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EF_TEST_ASAN 1
#endif
#endif
#if defined(EF_TEST_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace ef::tls::tls_memory {
namespace {

pool make_pool(size_t bytes = default_pool_bytes) {
    auto p = pool::create(bytes);
    if (!p) ADD_FAILURE() << p.err().message;
    return std::move(p).value();
}

// Attaches a pool for one test and detaches it at the end, so one test's
// pool never leaks into the next.
struct attached {
    explicit attached(pool& p) { attach_thread_pool(p); }
    ~attached() { detach_thread_pool(); }
};

struct class_case {
    size_t bytes;
    unsigned cls;
    const char* why;
};

const class_case class_cases[] = {
    {0, 0, "malloc(0) still gets the smallest block"},
    {1, 0, "one byte"},
    {16, 0, "exactly the smallest class"},
    {17, 1, "one past a class moves up"},
    {32, 1, "exactly 32"},
    {4200, 9, "wolfSSL's 4,200-byte handshake buffers: 8 KiB class"},
    {34256, 12, "the WOLFSSL object with LARGE_STATIC_BUFFERS: 64 KiB class"},
    {65536, 12, "exactly the largest class"},
    {65537, class_count, "past the largest class: no class, malloc serves it"},
};

TEST(tls_pool, maps_each_size_to_the_smallest_power_of_two_class_that_holds_it) {
    for (const auto& c : class_cases) {
        EXPECT_EQ(class_of(c.bytes), c.cls) << c.bytes << ": " << c.why;
        if (c.cls < class_count) {
            EXPECT_GE(class_bytes(c.cls), c.bytes) << c.why;
            if (c.cls > 0) {
                EXPECT_LT(class_bytes(c.cls - 1), c.bytes) << c.why;
            }
        }
    }
    EXPECT_EQ(class_bytes(0), 16u);
    EXPECT_EQ(class_bytes(class_count - 1), max_block_bytes);
}

TEST(tls_pool, serves_an_attached_thread_from_the_pool_with_16_byte_alignment) {
    pool p = make_pool();
    attached on(p);
    const global_stats g0 = read_global();
    void* a = allocate(24);
    void* b = allocate(4200);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 16, 0u);
    std::memset(a, 0xAB, 24);
    std::memset(b, 0xCD, 4200);
    const pool_stats s = p.stats();
    EXPECT_EQ(s.allocs, 2u);
    EXPECT_EQ(s.live_blocks, 2u);
    EXPECT_EQ(s.in_use_bytes, (16 + 32) + (16 + 8192u));
    EXPECT_EQ(s.fallbacks, 0u);
    EXPECT_EQ(read_global().pool_fallbacks, g0.pool_fallbacks);
    release(a);
    release(b);
    EXPECT_EQ(p.stats().in_use_bytes, 0u);
    EXPECT_EQ(p.stats().high_water_bytes, (16 + 32) + (16 + 8192u));
    EXPECT_EQ(read_global().system_frees, g0.system_frees) << "pool blocks never reach free()";
}

TEST(tls_pool, reuses_a_freed_block_without_carving_more_arena) {
    pool p = make_pool();
    attached on(p);
    void* a = allocate(100);
    release(a);
    const uint64_t carved = p.stats().carved_bytes;
    void* b = allocate(120); // same class (128)
    EXPECT_EQ(b, a);
    EXPECT_EQ(p.stats().carved_bytes, carved);
    release(b);
}

TEST(tls_pool, realloc_growing_across_classes_keeps_the_content) {
    pool p = make_pool();
    attached on(p);
    auto* q = static_cast<uint8_t*>(allocate(100));
    for (size_t i = 0; i < 100; ++i) q[i] = static_cast<uint8_t>(i * 7);
    size_t filled = 100;
    for (size_t n : {1000u, 5000u, 40000u}) {
        q = static_cast<uint8_t*>(reallocate(q, n));
        ASSERT_NE(q, nullptr);
        for (size_t i = 0; i < filled; ++i)
            ASSERT_EQ(q[i], static_cast<uint8_t>(i * 7)) << "byte " << i << " after growing to " << n;
        for (size_t i = filled; i < n; ++i) q[i] = static_cast<uint8_t>(i * 7);
        filled = n;
        EXPECT_EQ(p.stats().live_blocks, 1u) << "the old block went back to its free list";
    }
    EXPECT_EQ(p.stats().fallbacks, 0u);
    release(q);
    EXPECT_EQ(p.stats().live_blocks, 0u);
}

TEST(tls_pool, realloc_within_the_class_keeps_the_block) {
    pool p = make_pool();
    attached on(p);
    void* a = allocate(40); // 64-byte class
    std::memset(a, 1, 40);
    EXPECT_EQ(reallocate(a, 64), a);
    EXPECT_EQ(reallocate(a, 8), a) << "shrinking never moves a block";
    EXPECT_EQ(p.stats().allocs, 1u);
    release(a);
}

TEST(tls_pool, realloc_follows_the_c_rules_for_null_and_zero) {
    pool p = make_pool();
    attached on(p);
    void* a = reallocate(nullptr, 50);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(p.stats().live_blocks, 1u) << "realloc(nullptr, n) is malloc(n)";
    EXPECT_EQ(reallocate(a, 0), nullptr);
    EXPECT_EQ(p.stats().live_blocks, 0u) << "realloc(p, 0) frees p";
}

TEST(tls_pool, realloc_of_a_malloc_block_stays_with_malloc_and_keeps_the_content) {
    pool p = make_pool();
    attached on(p);
    auto* m = static_cast<char*>(std::malloc(10));
    std::memcpy(m, "edgefeed!", 10);
    const uint64_t fallbacks = read_global().pool_fallbacks;
    auto* r = static_cast<char*>(reallocate(m, 100000));
    ASSERT_NE(r, nullptr);
    EXPECT_STREQ(r, "edgefeed!");
    EXPECT_EQ(p.stats().allocs, 0u);
    EXPECT_EQ(read_global().pool_fallbacks, fallbacks + 1);
    release(r); // free() of a malloc block, through the hook
}

TEST(tls_pool, a_request_above_the_largest_class_falls_back_to_malloc_and_is_counted) {
    pool p = make_pool();
    attached on(p);
    const global_stats g0 = read_global();
    void* big = allocate(max_block_bytes + 1);
    ASSERT_NE(big, nullptr);
    std::memset(big, 0, max_block_bytes + 1);
    EXPECT_EQ(p.stats().fallbacks, 1u);
    EXPECT_EQ(p.stats().exhausted, 0u) << "too large is not exhausted";
    EXPECT_EQ(read_global().pool_fallbacks, g0.pool_fallbacks + 1);
    release(big);
    EXPECT_EQ(read_global().system_frees, g0.system_frees + 1);
}

TEST(tls_pool, a_thread_without_a_pool_falls_back_to_malloc_and_is_counted) {
    ASSERT_FALSE(thread_has_pool());
    const global_stats g0 = read_global();
    void* a = allocate(64);
    ASSERT_NE(a, nullptr);
    const global_stats g1 = read_global();
    EXPECT_EQ(g1.unattached, g0.unattached + 1);
    EXPECT_EQ(g1.pool_fallbacks, g0.pool_fallbacks + 1);
    release(a);
}

TEST(tls_pool, an_exhausted_pool_falls_back_to_malloc_counts_it_and_recovers_after_frees) {
    pool p = make_pool(4096); // 128 blocks of 16 B (32 B with the header)
    attached on(p);
    const global_stats g0 = read_global();
    std::vector<void*> blocks;
    for (int i = 0; i < 128; ++i) blocks.push_back(allocate(16));
    EXPECT_EQ(p.stats().carved_bytes, 4096u);
    EXPECT_EQ(p.stats().fallbacks, 0u);
    void* extra = allocate(16);
    ASSERT_NE(extra, nullptr) << "exhaustion never fails an allocation";
    std::memset(extra, 0, 16);
    EXPECT_EQ(p.stats().exhausted, 1u);
    EXPECT_EQ(p.stats().fallbacks, 1u);
    EXPECT_EQ(read_global().pool_exhausted, g0.pool_exhausted + 1);
    release(extra);
    release(blocks.back());
    blocks.pop_back();
    void* again = allocate(16);
    EXPECT_EQ(p.stats().exhausted, 1u) << "a freed block serves the next request";
    blocks.push_back(again);
    for (void* b : blocks) release(b);
    EXPECT_EQ(p.stats().live_blocks, 0u);
}

TEST(tls_pool, when_the_arena_is_spent_a_free_larger_block_serves_a_small_request) {
    pool p = make_pool(8192);
    attached on(p);
    void* big = allocate(4096); // 4112 B carved; 4080 B left, too little for a second
    std::vector<void*> small;
    while (p.stats().carved_bytes + 32 <= 8192) small.push_back(allocate(16));
    release(big);
    void* borrowed = allocate(16);
    EXPECT_EQ(borrowed, big) << "the free 4 KiB block, rather than malloc";
    EXPECT_EQ(p.stats().exhausted, 0u);
    release(borrowed);
    for (void* s : small) release(s);
    EXPECT_EQ(p.stats().in_use_bytes, 0u);
}

TEST(tls_pool, a_block_freed_by_a_thread_without_a_pool_returns_to_its_owner) {
    pool p = make_pool();
    attached on(p);
    void* a = allocate(300);
    const uint64_t carved = p.stats().carved_bytes;
    std::thread([a] { release(a); }).join();
    EXPECT_EQ(p.stats().remote_frees, 1u);
    EXPECT_EQ(p.stats().live_blocks, 1u) << "counted live until the owner takes it back";
    void* b = allocate(300);
    EXPECT_EQ(b, a) << "the owner took the remote free back";
    EXPECT_EQ(p.stats().carved_bytes, carved);
    EXPECT_EQ(p.stats().live_blocks, 1u);
    release(b);
}

TEST(tls_pool, a_block_freed_by_a_thread_with_another_pool_is_not_adopted_by_that_pool) {
    pool owner = make_pool();
    pool other = make_pool();
    attached on(owner);
    void* a = allocate(300);
    void* from_other = nullptr;
    std::thread([&] {
        attach_thread_pool(other);
        release(a);
        from_other = allocate(300);
        release(from_other);
        detach_thread_pool();
    }).join();
    EXPECT_NE(from_other, a) << "the other pool must not hand out the owner's block";
    EXPECT_EQ(owner.stats().remote_frees, 1u);
    EXPECT_EQ(other.stats().remote_frees, 0u);
    EXPECT_EQ(other.stats().live_blocks, 0u);
    EXPECT_EQ(allocate(300), a);
    release(a);
}

TEST(tls_pool, frees_from_many_threads_while_the_owner_allocates_lose_and_duplicate_nothing) {
    pool p = make_pool();
    attached on(p);
    constexpr int threads = 3, per_thread = 2000;
    std::vector<std::vector<void*>> handed(threads);
    for (auto& h : handed)
        for (int i = 0; i < per_thread; ++i) h.push_back(allocate(48 + (i % 5) * 100));
    std::atomic<bool> go{false};
    std::vector<std::thread> freers;
    for (auto& h : handed)
        freers.emplace_back([&go, &h] {
            while (!go.load(std::memory_order_acquire)) {
            }
            for (void* q : h) release(q);
        });
    go.store(true, std::memory_order_release);
    // The owner keeps allocating meanwhile, so it drains while others push.
    std::vector<void*> mine;
    for (int i = 0; i < 6000; ++i) mine.push_back(allocate(48 + (i % 5) * 100));
    for (auto& t : freers) t.join();
    const std::set<void*> unique(mine.begin(), mine.end());
    EXPECT_EQ(unique.size(), mine.size()) << "a block was handed out twice";
    EXPECT_EQ(p.stats().remote_frees, uint64_t{threads} * per_thread);
    EXPECT_EQ(p.stats().fallbacks, 0u);
    for (void* q : mine) release(q);
    void* last = allocate(16); // a dry free list: takes back what is still on the stack
    release(last);
    EXPECT_EQ(p.stats().live_blocks, 0u);
    EXPECT_EQ(p.stats().in_use_bytes, 0u);
}

TEST(tls_pool, an_empty_pool_gives_its_slot_back_when_destroyed) {
    const uint32_t pools = read_global().pools;
    for (unsigned i = 0; i < max_pools + 8; ++i) {
        pool p = make_pool(64 * 1024);
        attached on(p);
        release(allocate(1000));
    }
    EXPECT_EQ(read_global().pools, pools);
}

TEST(tls_pool, a_pool_destroyed_with_a_live_block_stays_mapped_so_the_late_free_is_harmless) {
    const uint32_t leaked = read_global().pools_leaked;
    void* kept = nullptr;
    {
        pool p = make_pool(64 * 1024);
        attached on(p);
        kept = allocate(200);
        std::memset(kept, 7, 200);
        detach_thread_pool();
    }
    EXPECT_EQ(read_global().pools_leaked, leaked + 1);
    EXPECT_EQ(static_cast<uint8_t*>(kept)[199], 7);
    release(kept); // e.g. a WOLFSSL_SESSION freed after its loop's pool
}

TEST(tls_pool, a_thread_that_ends_without_detaching_releases_its_pool) {
    const uint32_t leaked = read_global().pools_leaked;
    {
        pool p = make_pool(64 * 1024);
        std::thread([&p] {
            attach_thread_pool(p);
            release(allocate(64));
        }).join();
        // Still attached, ~pool would keep the memory (and EF_ASSERT).
    }
    EXPECT_EQ(read_global().pools_leaked, leaked);
}

TEST(tls_pool, attaching_a_second_pool_replaces_the_first) {
    const uint32_t leaked = read_global().pools_leaked;
    pool b = make_pool(64 * 1024);
    {
        pool a = make_pool(64 * 1024);
        attach_thread_pool(a);
        attach_thread_pool(b);
        release(allocate(10));
        EXPECT_EQ(a.stats().allocs, 0u);
        EXPECT_EQ(b.stats().allocs, 1u);
        // Still attached, ~pool would keep a's memory (and EF_ASSERT).
    }
    EXPECT_EQ(read_global().pools_leaked, leaked);
    detach_thread_pool();
    EXPECT_FALSE(thread_has_pool());
}

TEST(tls_pool, create_rejects_sizes_outside_one_page_to_the_slot_size) {
    EXPECT_FALSE(pool::create(0).ok());
    EXPECT_FALSE(pool::create(max_pool_bytes + 1).ok());
    auto p = pool::create(5000);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->stats().arena_bytes, 8192u) << "rounded up to whole pages";
}

TEST(tls_pool, freed_payloads_are_poisoned_for_address_sanitizer) {
#if defined(EF_TEST_ASAN)
    pool p = make_pool();
    attached on(p);
    auto* a = static_cast<char*>(allocate(24)); // 32-byte class
    EXPECT_FALSE(__asan_address_is_poisoned(a));
    EXPECT_FALSE(__asan_address_is_poisoned(a + 23));
    EXPECT_TRUE(__asan_address_is_poisoned(a + 24)) << "past the request, inside the class";
    release(a);
    EXPECT_TRUE(__asan_address_is_poisoned(a)) << "a use after free would be reported";
#else
    GTEST_SKIP() << "needs an AddressSanitizer build";
#endif
}

} // namespace
} // namespace ef::tls::tls_memory
