// wolfSSL's allocator hooks and the per-thread pools behind them. See
// tls_memory.hpp. The hooks run on every thread that calls wolfSSL; the pool
// paths (allocate with a pool attached, free of a pool block) take no lock
// and make no system call.
#include "tls/tls_memory.hpp"

#include "common/check.hpp"
#include "common/counter.hpp"
#include "tls/wolfssl.hpp"

#include <wolfssl/wolfcrypt/memory.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define EF_TLS_POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EF_TLS_POOL_ASAN 1
#endif
#endif

#if defined(EF_TLS_POOL_ASAN)
#include <sanitizer/asan_interface.h>
// ASan cannot see inside the pool (to it the arena is one mapping), so free
// payloads are poisoned by hand: a use after free or an overrun into the
// next block's payload faults as it would with malloc.
#define EF_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define EF_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define EF_POISON(p, n) static_cast<void>(0)
#define EF_UNPOISON(p, n) static_cast<void>(0)
#endif

namespace ef::tls::tls_memory {

namespace {

constexpr size_t page_bytes = 4096;
// The slot's control block (arena_state) takes its first page.
constexpr size_t control_bytes = page_bytes;
constexpr size_t slot_bytes = control_bytes + max_pool_bytes;
constexpr size_t region_bytes = slot_bytes * max_pools;

// Marks a header as a live block, or a free one: a free of a pointer that is
// not a live block's start (double free, interior pointer) trips EF_ASSERT.
constexpr uint16_t live_tag = 0xEF7B;
constexpr uint16_t free_tag = 0xEF7F;

struct block_header {
    block_header* next; // free list or remote-free stack, while the block is free
    uint32_t requested; // bytes asked for: what realloc copies and ASan unpoisons
    uint8_t cls;
    uint8_t slot; // owning pool; must match the address (checked)
    uint16_t tag;
};
static_assert(sizeof(block_header) == block_header_bytes, "payloads stay 16-byte aligned");
static_assert(max_pools <= 256, "slot fits the header's uint8_t");
static_assert(max_block_bytes < (uint64_t{1} << 32), "requested fits the header's uint32_t");

constexpr size_t block_total(unsigned c) noexcept { return block_header_bytes + class_bytes(c); }

// A pool's control block, at the start of its slot (so it outlives a pool
// object destroyed with live blocks: see ~pool).
struct arena_state {
    // The attached thread's alone.
    block_header* free_list[class_count] = {};
    uintptr_t carve_next = 0;
    uintptr_t carve_end = 0;
    // Single writer (the attached thread), read by stats() with relaxed loads.
    pool_stats st{};
    // Any thread.
    alignas(64) std::atomic<block_header*> remote_head{nullptr};
    std::atomic<uint64_t> remote_frees{0};
    std::atomic<bool> attached{false};
    uint8_t slot = 0;
};
static_assert(sizeof(arena_state) <= control_bytes, "control block fits its page");

enum class slot_state : uint8_t { free, used, leaked };

// The reserved range. bytes is 0 until reserved; set with release after
// base, read with acquire in is_pool_block() (pairs), so a thread that sees
// the range also sees where it starts.
constinit std::atomic<uintptr_t> region_base{0};
constinit std::atomic<uintptr_t> region_size{0};

// Control path only (install, create, destroy).
constinit std::mutex control_mu;
constinit slot_state slots[max_pools] = {};
constinit bool install_tried = false;
constinit int install_errno = 0;

constinit std::atomic<uint64_t> g_fallbacks{0};
constinit std::atomic<uint64_t> g_exhausted{0};
constinit std::atomic<uint64_t> g_unattached{0};
constinit std::atomic<uint64_t> g_system_frees{0};
constinit std::atomic<uint32_t> g_pools{0};
constinit std::atomic<uint32_t> g_pools_leaked{0};

// Plain pointer, trivially destructible: the hooks read it without a TLS
// guard call. at_exit below clears it when the thread ends.
constinit thread_local arena_state* tl_arena = nullptr;

struct detach_at_thread_exit {
    bool armed = false; // set on first attach: that first use registers the destructor
    ~detach_at_thread_exit() {
        if (armed) detach_thread_pool();
    }
};
thread_local detach_at_thread_exit at_exit;

bool is_pool_block(const void* p) noexcept {
    const uintptr_t size = region_size.load(std::memory_order_acquire);
    return reinterpret_cast<uintptr_t>(p) - region_base.load(std::memory_order_relaxed) < size;
}

arena_state& arena_of(const void* p) noexcept {
    const uintptr_t base = region_base.load(std::memory_order_relaxed);
    const uintptr_t slot = (reinterpret_cast<uintptr_t>(p) - base) / slot_bytes;
    return *reinterpret_cast<arena_state*>(base + slot * slot_bytes);
}

block_header* header_of(void* p) noexcept { return static_cast<block_header*>(p) - 1; }

void push_free(arena_state& a, block_header* h) noexcept {
    h->next = a.free_list[h->cls];
    a.free_list[h->cls] = h;
    bump(a.st.live_blocks, uint64_t(-1));
    bump(a.st.in_use_bytes, uint64_t(0) - block_total(h->cls));
}

// Takes back every block other threads freed. acquire: pairs with the
// release CAS in free_remote(), so their header writes are visible.
[[gnu::cold]] void drain_remote(arena_state& a) noexcept {
    block_header* h = a.remote_head.exchange(nullptr, std::memory_order_acquire);
    while (h) {
        block_header* next = h->next;
        push_free(a, h);
        h = next;
    }
}

[[gnu::cold]] block_header* carve(arena_state& a, unsigned c) noexcept {
    const size_t need = block_total(c);
    if (a.carve_end - a.carve_next < need) return nullptr;
    auto* h = reinterpret_cast<block_header*>(a.carve_next);
    a.carve_next += need;
    bump(a.st.carved_bytes, need);
    EF_UNPOISON(h, sizeof *h);
    h->cls = static_cast<uint8_t>(c);
    h->slot = a.slot;
    return h;
}

// A free list ran dry: blocks freed by other threads first, then fresh
// arena, then a free block of a larger class (wasteful, but better than
// malloc after warm-up). nullptr when all three fail: the pool is exhausted.
[[gnu::cold]] block_header* refill(arena_state& a, unsigned c) noexcept {
    if (a.remote_head.load(std::memory_order_relaxed)) {
        drain_remote(a);
        if (block_header* h = a.free_list[c]) {
            a.free_list[c] = h->next;
            return h;
        }
    }
    if (block_header* h = carve(a, c)) return h;
    for (unsigned k = c + 1; k < class_count; ++k) {
        if (block_header* h = a.free_list[k]) {
            a.free_list[k] = h->next;
            return h;
        }
    }
    return nullptr;
}

void* alloc_from(arena_state& a, size_t n) noexcept {
    const unsigned c = class_of(n);
    if (c >= class_count) [[unlikely]]
        return nullptr;
    block_header* h = a.free_list[c];
    if (h) [[likely]]
        a.free_list[c] = h->next;
    else if (!(h = refill(a, c))) [[unlikely]]
        return nullptr;
    h->next = nullptr;
    h->requested = static_cast<uint32_t>(n);
    h->tag = live_tag;
    bump(a.st.allocs);
    bump(a.st.live_blocks);
    const uint64_t in_use = a.st.in_use_bytes + block_total(h->cls);
    publish(a.st.in_use_bytes, in_use);
    if (in_use > a.st.high_water_bytes) publish(a.st.high_water_bytes, in_use);
    EF_UNPOISON(h + 1, n);
    return h + 1;
}

[[gnu::cold]] void* fall_back(arena_state* a, size_t n) noexcept {
    g_fallbacks.fetch_add(1, std::memory_order_relaxed);
    if (!a) {
        g_unattached.fetch_add(1, std::memory_order_relaxed);
    } else {
        bump(a->st.fallbacks);
        if (class_of(n) < class_count) {
            bump(a->st.exhausted);
            g_exhausted.fetch_add(1, std::memory_order_relaxed);
        }
    }
    return std::malloc(n);
}

// Lock-free push (Treiber stack). No ABA: the only pop is the owner's
// exchange of the whole stack in drain_remote().
void free_remote(arena_state& a, block_header* h) noexcept {
    block_header* head = a.remote_head.load(std::memory_order_relaxed);
    do {
        h->next = head;
    } while (!a.remote_head.compare_exchange_weak(head, h, std::memory_order_release,
                                                  std::memory_order_relaxed));
    a.remote_frees.fetch_add(1, std::memory_order_relaxed);
}

void free_block(void* p) noexcept {
    block_header* h = header_of(p);
    arena_state& a = arena_of(p);
    EF_ASSERT(h->tag == live_tag);
    EF_ASSERT(h->slot == a.slot);
    h->tag = free_tag;
    EF_POISON(p, class_bytes(h->cls));
    if (&a == tl_arena) [[likely]]
        push_free(a, h);
    else
        free_remote(a, h);
}

void* hook_malloc(size_t n) { return allocate(n); }
void hook_free(void* p) { release(p); }
void* hook_realloc(void* p, size_t n) { return reallocate(p, n); }

// Maps [at, at + n) afresh: committed and pre-faulted (MAP_POPULATE), or
// back to a reservation that holds no memory.
bool remap(uintptr_t at, size_t n, bool commit) noexcept {
    const int prot = commit ? PROT_READ | PROT_WRITE : PROT_NONE;
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
                      (commit ? MAP_POPULATE : MAP_NORESERVE);
    return mmap(reinterpret_cast<void*>(at), n, prot, flags, -1, 0) != MAP_FAILED;
}

} // namespace

void* allocate(size_t n) noexcept {
    if (arena_state* a = tl_arena) [[likely]] {
        if (void* p = alloc_from(*a, n)) [[likely]]
            return p;
        return fall_back(a, n);
    }
    return fall_back(nullptr, n);
}

void release(void* p) noexcept {
    if (is_pool_block(p)) [[likely]] {
        free_block(p);
        return;
    }
    if (!p) return;
    g_system_frees.fetch_add(1, std::memory_order_relaxed);
    std::free(p);
}

void* reallocate(void* p, size_t n) noexcept {
    if (!p) return allocate(n);
    if (n == 0) {
        release(p);
        return nullptr;
    }
    if (!is_pool_block(p)) {
        // malloc's block stays malloc's: moving it into the pool would need
        // its size, which only the system allocator knows.
        g_fallbacks.fetch_add(1, std::memory_order_relaxed);
        return std::realloc(p, n);
    }
    block_header* h = header_of(p);
    EF_ASSERT(h->tag == live_tag);
    if (n <= class_bytes(h->cls)) {
        EF_POISON(p, class_bytes(h->cls));
        EF_UNPOISON(p, n);
        h->requested = static_cast<uint32_t>(n);
        return p;
    }
    void* q = allocate(n);
    if (!q) return nullptr; // p stays valid, as with realloc
    std::memcpy(q, p, h->requested);
    release(p);
    return q;
}

status install() {
    std::lock_guard lock(control_mu);
    if (!install_tried) {
        install_tried = true;
        void* r = mmap(nullptr, region_bytes, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (r == MAP_FAILED) {
            install_errno = errno;
        } else {
            region_base.store(reinterpret_cast<uintptr_t>(r), std::memory_order_relaxed);
            region_size.store(region_bytes, std::memory_order_release); // pairs: is_pool_block()
            wolfSSL_SetAllocators(hook_malloc, hook_free, hook_realloc);
        }
    }
    if (install_errno != 0)
        return make_error("reserving " + std::to_string(region_bytes >> 20) +
                          " MiB of address space for TLS pools: " + std::strerror(install_errno));
    return ok();
}

result<pool> pool::create(size_t arena_bytes) {
    if (auto s = install(); !s) return std::move(s).err();
    if (arena_bytes < page_bytes || arena_bytes > max_pool_bytes)
        return make_error("tls_pool_bytes " + std::to_string(arena_bytes) + " is outside [" +
                          std::to_string(page_bytes) + ", " + std::to_string(max_pool_bytes) +
                          "]");
    arena_bytes = (arena_bytes + page_bytes - 1) & ~(page_bytes - 1);
    std::lock_guard lock(control_mu);
    unsigned slot = 0;
    while (slot < max_pools && slots[slot] != slot_state::free) ++slot;
    if (slot == max_pools)
        return make_error("all " + std::to_string(max_pools) + " TLS pools are in use");
    const uintptr_t at = region_base.load(std::memory_order_relaxed) + slot * slot_bytes;
    if (!remap(at, control_bytes + arena_bytes, true))
        return make_error("committing a TLS pool of " + std::to_string(arena_bytes) +
                          " bytes: " + std::strerror(errno));
    auto* a = new (reinterpret_cast<void*>(at)) arena_state;
    a->slot = static_cast<uint8_t>(slot);
    a->carve_next = at + control_bytes;
    a->carve_end = a->carve_next + arena_bytes;
    a->st.arena_bytes = arena_bytes;
    EF_POISON(reinterpret_cast<void*>(a->carve_next), arena_bytes);
    slots[slot] = slot_state::used;
    g_pools.fetch_add(1, std::memory_order_relaxed);
    return pool(a);
}

pool& pool::operator=(pool&& o) noexcept {
    if (this != &o) {
        destroy();
        arena_ = o.arena_;
        o.arena_ = nullptr;
    }
    return *this;
}

pool::~pool() { destroy(); }

void pool::destroy() noexcept {
    if (!arena_) return;
    auto* a = static_cast<arena_state*>(arena_);
    arena_ = nullptr;
    if (tl_arena == a) detach_thread_pool();
    // acquire: pairs with the release in detach_thread_pool(), so the free
    // lists and counts the last attached thread wrote are visible here.
    const bool attached = a->attached.load(std::memory_order_acquire);
    EF_ASSERT(!attached);
    std::lock_guard lock(control_mu);
    g_pools.fetch_sub(1, std::memory_order_relaxed);
    if (!attached) drain_remote(*a);
    if (attached || a->st.live_blocks != 0) {
        slots[a->slot] = slot_state::leaked;
        g_pools_leaked.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const uintptr_t at = reinterpret_cast<uintptr_t>(a);
    const size_t n = control_bytes + a->st.arena_bytes;
    const unsigned slot = a->slot;
    EF_UNPOISON(a, n);
    a->~arena_state();
    if (remap(at, n, false)) slots[slot] = slot_state::free;
    else slots[slot] = slot_state::leaked; // still committed; never reused
}

pool_stats pool::stats() const noexcept {
    const auto* a = static_cast<const arena_state*>(arena_);
    pool_stats s;
    if (!a) return s;
    s.arena_bytes = observe(a->st.arena_bytes);
    s.carved_bytes = observe(a->st.carved_bytes);
    s.in_use_bytes = observe(a->st.in_use_bytes);
    s.high_water_bytes = observe(a->st.high_water_bytes);
    s.live_blocks = observe(a->st.live_blocks);
    s.allocs = observe(a->st.allocs);
    s.fallbacks = observe(a->st.fallbacks);
    s.exhausted = observe(a->st.exhausted);
    s.remote_frees = a->remote_frees.load(std::memory_order_relaxed);
    return s;
}

void attach_thread_pool(pool& p) noexcept {
    auto* a = static_cast<arena_state*>(p.arena_);
    if (tl_arena == a) return;
    detach_thread_pool();
    // acq_rel: the acquire pairs with the release in detach_thread_pool() on
    // the thread that had it before (its free lists become ours).
    const bool was = a->attached.exchange(true, std::memory_order_acq_rel);
    EF_ASSERT(!was);
    static_cast<void>(was);
    at_exit.armed = true;
    tl_arena = a;
}

void detach_thread_pool() noexcept {
    if (arena_state* a = tl_arena) {
        tl_arena = nullptr;
        a->attached.store(false, std::memory_order_release); // pairs: attach / ~pool
    }
}

bool thread_has_pool() noexcept { return tl_arena != nullptr; }

global_stats read_global() noexcept {
    global_stats g;
    g.pool_fallbacks = g_fallbacks.load(std::memory_order_relaxed);
    g.pool_exhausted = g_exhausted.load(std::memory_order_relaxed);
    g.unattached = g_unattached.load(std::memory_order_relaxed);
    g.system_frees = g_system_frees.load(std::memory_order_relaxed);
    g.pools = g_pools.load(std::memory_order_relaxed);
    g.pools_leaked = g_pools_leaked.load(std::memory_order_relaxed);
    return g;
}

} // namespace ef::tls::tls_memory
