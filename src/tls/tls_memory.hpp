// wolfSSL's heap, served from a fixed per-thread pool so that a feed loop
// allocates nothing from the system after start-up, not even when a
// connection reconnects (new WOLFSSL object, full handshake or resumption).
// install() points wolfSSL's allocator hooks (wolfSSL_SetAllocators, global)
// here once; each loop thread then creates its pool at start-up and attaches
// it. Threads with no pool, requests above the largest class and a full
// arena fall back to malloc, and every fallback is counted for edgestat.
//
// Layout: one virtual range is reserved at install() (PROT_NONE, nothing
// committed), cut into max_pools slots; a pool commits and pre-faults the
// front of one slot. A pointer is a pool block iff it lies in that range
// (one compare), so free() and realloc() tell pool blocks from malloc's
// without touching memory they do not own. Each block carries a 16-byte
// header (size class, owning slot, requested size).
//
// Threads: only the attached thread takes blocks from its pool. A block freed
// by any other thread (the shutdown path frees WOLFSSL objects on the control
// thread; wolfSSL's global session cache may free a ticket another loop
// allocated) is pushed on the owner's lock-free remote-free stack, and the
// owner takes the whole stack back the next time a free list runs dry.
#pragma once

#include "common/result.hpp"

#include <cstddef>
#include <cstdint>

namespace ef::tls::tls_memory {

// Power-of-two size classes, 16 B .. 64 KiB. The top class is set by the
// largest block wolfSSL 5.5.4 asks for here: the WOLFSSL object itself,
// 34,256 B with LARGE_STATIC_BUFFERS (its two record buffers live inside it).
// Next come 4,200 B handshake buffers; everything else is below 2 KiB.
inline constexpr unsigned min_class_shift = 4;
inline constexpr unsigned max_class_shift = 16;
inline constexpr unsigned class_count = max_class_shift - min_class_shift + 1;
inline constexpr size_t max_block_bytes = size_t{1} << max_class_shift;
inline constexpr size_t block_header_bytes = 16;

inline constexpr size_t default_pool_bytes = size_t{8} << 20;
inline constexpr size_t max_pool_bytes = size_t{128} << 20; // one slot of the reserved range
inline constexpr unsigned max_pools = 32;                   // 4 GiB of address space, none committed

// The class holding n bytes (0 for 1..16 B); class_count when n is larger
// than max_block_bytes.
constexpr unsigned class_of(size_t n) noexcept {
    unsigned c = 0;
    while (c < class_count && (size_t{1} << (c + min_class_shift)) < n) ++c;
    return c;
}
// Usable bytes of a block of class c.
constexpr size_t class_bytes(unsigned c) noexcept { return size_t{1} << (c + min_class_shift); }

// One pool's figures. Written by its thread with relaxed stores, readable
// from any thread (edgestat), each field on its own consistent but not
// together with the others.
struct pool_stats {
    uint64_t arena_bytes = 0;      // what the pool may carve
    uint64_t carved_bytes = 0;     // carved into blocks so far, headers included (never shrinks)
    uint64_t in_use_bytes = 0;     // live blocks, headers included; a block freed by another
                                   // thread counts until the owner takes it back
    uint64_t high_water_bytes = 0; // most in_use_bytes ever
    uint64_t live_blocks = 0;
    uint64_t allocs = 0;           // served by the pool
    uint64_t fallbacks = 0;        // this pool's thread was served by malloc (too large, or exhausted)
    uint64_t exhausted = 0;        // of those: no block left of any class that fits
    uint64_t remote_frees = 0;     // blocks freed by a thread other than the attached one
};

// Process-wide: what the hooks did for threads with and without a pool.
struct global_stats {
    uint64_t pool_fallbacks = 0; // every wolfSSL allocation malloc served (all reasons)
    uint64_t pool_exhausted = 0; // of those: the calling thread's pool was exhausted
    uint64_t unattached = 0;     // of those: the calling thread had no pool (start-up, control path)
    uint64_t system_frees = 0;   // frees of blocks that came from malloc
    uint32_t pools = 0;          // pools alive
    uint32_t pools_leaked = 0;   // pools destroyed with live blocks: their memory stays mapped
};

class pool {
public:
    // Commits and pre-faults arena_bytes (rounded up to pages, at most
    // max_pool_bytes) in a free slot. Call on the thread that will use it:
    // the pre-fault places its pages on that thread's NUMA node. Control path.
    static result<pool> create(size_t arena_bytes = default_pool_bytes);

    pool(pool&& o) noexcept : arena_(o.arena_) { o.arena_ = nullptr; }
    pool& operator=(pool&& o) noexcept;
    pool(const pool&) = delete;
    pool& operator=(const pool&) = delete;
    // Detached first if the calling thread has it; attached to another
    // thread is a bug (EF_ASSERT). If blocks are still live (a
    // WOLFSSL_SESSION someone kept), the memory stays mapped so their later
    // free() is harmless, and global_stats::pools_leaked counts it.
    ~pool();

    pool_stats stats() const noexcept;

private:
    friend void attach_thread_pool(pool&) noexcept;
    explicit pool(void* arena) noexcept : arena_(arena) {}
    void destroy() noexcept;
    void* arena_ = nullptr; // the slot's control block; opaque outside tls_memory.cpp
};

// Reserves the address range and sets wolfSSL's allocators, once per process
// (later calls only report the first outcome). Call before wolfSSL_Init so
// that every wolfSSL allocation is seen; blocks malloc gave wolfSSL before
// that are still freed correctly. Control path.
status install();

// The calling thread's wolfSSL allocations come from p until detach, or
// until the thread ends. A pool is attached to one thread at a time
// (EF_ASSERT); attaching another pool replaces the first.
void attach_thread_pool(pool& p) noexcept;
void detach_thread_pool() noexcept;
bool thread_has_pool() noexcept;

global_stats read_global() noexcept;

// The hooks given to wolfSSL_SetAllocators; malloc/free/realloc semantics
// (reallocate(p, 0) frees p and returns nullptr, as glibc's realloc does).
// Any pointer from allocate() or malloc may be passed to release() on any thread.
void* allocate(size_t n) noexcept;
void release(void* p) noexcept;
void* reallocate(void* p, size_t n) noexcept;

} // namespace ef::tls::tls_memory
