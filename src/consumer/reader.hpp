// Internals of libedgefeed, the consumer C ABI (include/edgefeed/edgefeed.h):
// the ef_book handle and the read-side atomic helpers. Included only by
// src/consumer/*.cpp, which are built without exceptions or RTTI and linked as
// C so that the library needs nothing but libc.
#pragma once

#include "edgefeed/edgefeed.h"

#include <cstddef>
#include <cstdint>

struct ef_book {
    const uint8_t* base;
    size_t mapped_bytes;
    const ef_region_header* header;
    uint64_t epoch;
    uint64_t dev; // of the object mapped: ef_book_is_current compares them
    uint64_t ino;
    // Immutable header fields, copied once and checked against the mapping.
    uint32_t max_contests;
    uint32_t max_partners;
    uint32_t max_positions;
    uint32_t levels_per_position;
    uint32_t position_stride;
    uint32_t index_slots;
    uint32_t journal_shards;
    uint32_t journal_capacity;
    uint32_t max_loops;
    uint32_t max_connections;
    uint64_t off_contests;
    uint64_t off_partners;
    uint64_t off_positions;
    uint64_t off_index;
    uint64_t off_journals;
    uint64_t journal_shard_stride;
    uint64_t off_stats;
    uint64_t off_states;
    uint64_t off_depth;
    uint32_t max_depth;
    uint32_t depth_partners;
    uint32_t depth_levels;
    uint32_t depth_stride;
    char shm_name[64]; // empty when attached with attach_memory()
    int owns_mapping;  // ef_book_close unmaps
};

namespace ef::consumer {

// Attaches to a region already mapped in this process (the checks of
// ef_book_open, without shm_open/mmap); the book does not own the memory.
// Not part of the C ABI: for tests and for tools inside the daemon. Reading
// through the writer's own mapping is also what lets TSan see both sides of
// a race: its shadow memory is per virtual address, so a second mapping of the
// same object hides every conflict from it. `what` names the region in errors.
int attach_memory(const void* base, size_t mapped, ef_book** out, const char* what);

// The mapping is PROT_READ, so loads go through the __atomic builtins rather
// than std::atomic_ref (atomic_ref<const T> only arrives in C++26); they are
// the same instructions and TSan sees them as atomic.
template <typename T>
inline T load_relaxed(const T* p) noexcept {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}
template <typename T>
inline T load_acquire(const T* p) noexcept {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

// GCC warns that TSan does not model stand-alone fences; every shared field is
// read atomically here, so TSan still sees no race (see book/shared_store.hpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Wtsan"
inline void fence_acquire() noexcept { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
#pragma GCC diagnostic pop

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

using u32_alias = uint32_t __attribute__((may_alias));
using u64_alias = uint64_t __attribute__((may_alias));

// Copies `words` words of a text field with relaxed loads of the width the
// daemon stored them with (book/shared_store.hpp).
inline void load_text_u64(char* dst, const char* src, size_t words) noexcept {
    auto* s = reinterpret_cast<const u64_alias*>(src);
    auto* d = reinterpret_cast<u64_alias*>(dst);
    for (size_t w = 0; w < words; ++w) d[w] = __atomic_load_n(&s[w], __ATOMIC_RELAXED);
}
inline void load_text_u32(char* dst, const char* src, size_t words) noexcept {
    auto* s = reinterpret_cast<const u32_alias*>(src);
    auto* d = reinterpret_cast<u32_alias*>(dst);
    for (size_t w = 0; w < words; ++w) d[w] = __atomic_load_n(&s[w], __ATOMIC_RELAXED);
}

inline const ef_contest* contest_at(const ef_book* b, uint32_t i) noexcept {
    return reinterpret_cast<const ef_contest*>(b->base + b->off_contests) + i;
}
inline const ef_partner* partner_at(const ef_book* b, uint32_t i) noexcept {
    return reinterpret_cast<const ef_partner*>(b->base + b->off_partners) + i;
}
inline const ef_position* position_at(const ef_book* b, uint32_t i) noexcept {
    return reinterpret_cast<const ef_position*>(b->base + b->off_positions +
                                                uint64_t{i} * b->position_stride);
}
inline const ef_level* levels_at(const ef_book* b, uint32_t i) noexcept {
    return reinterpret_cast<const ef_level*>(reinterpret_cast<const uint8_t*>(position_at(b, i)) +
                                             EF_POSITION_LEVELS_OFFSET);
}
inline const uint64_t* index_at(const ef_book* b) noexcept {
    return reinterpret_cast<const uint64_t*>(b->base + b->off_index);
}
inline const ef_contest_state* state_at(const ef_book* b, uint32_t i) noexcept {
    return reinterpret_cast<const ef_contest_state*>(b->base + b->off_states) + i;
}
inline const ef_depth* depth_at(const ef_book* b, uint32_t i) noexcept {
    return reinterpret_cast<const ef_depth*>(b->base + b->off_depth + uint64_t{i} * b->depth_stride);
}
// Partner slot k of depth record i; its levels follow it (layout.h).
inline const ef_depth_partner* depth_partner_at(const ef_book* b, uint32_t i, uint32_t k) noexcept {
    const uint64_t slot = sizeof(ef_depth_partner) + uint64_t{b->depth_levels} * sizeof(ef_depth_level);
    return reinterpret_cast<const ef_depth_partner*>(reinterpret_cast<const uint8_t*>(depth_at(b, i)) +
                                                     EF_DEPTH_PARTNERS_OFFSET + k * slot);
}
inline const ef_journal_shard* shard_at(const ef_book* b, uint32_t s) noexcept {
    return reinterpret_cast<const ef_journal_shard*>(b->base + b->off_journals +
                                                     s * b->journal_shard_stride);
}
inline const ef_journal_entry* shard_entries(const ef_book* b, uint32_t s) noexcept {
    return reinterpret_cast<const ef_journal_entry*>(shard_at(b, s) + 1);
}

} // namespace ef::consumer
