// What libedgefeed's two shared-memory APIs (the books, attach.cpp; the order
// channel, orders.cpp) share: errno mapped to EF_E* codes, the monotonic
// clock of their *_wait calls, and opening and mapping one of the daemon's
// objects by name. libc only, like the rest of the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>

namespace ef::consumer {

// Each API keeps a per-thread message buffer of this size for *_last_error.
inline constexpr size_t error_text_bytes = 256;

int errno_code(int err) noexcept;
// Inline: ef_order_submit stamps every request with it.
inline int64_t mono_now_ns() noexcept {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

struct mapped_object {
    void* base = nullptr;
    size_t bytes = 0;
    uint64_t dev = 0;
    uint64_t ino = 0;
};

// Appended to the message when shm_open fails with ENOENT / EACCES.
struct map_hints {
    const char* missing = "";
    const char* denied = "";
};

// shm_open + fstat + mmap of `name` (read-only unless writable). An object
// smaller than min_bytes is still being sized by a starting daemon:
// EF_EAGAIN. On failure writes why into error (error_text_bytes) and returns
// an EF_E* code; on success the caller owns out's mapping.
int map_object(const char* name, bool writable, size_t min_bytes, const map_hints& hints, char* error,
               mapped_object& out) noexcept;

} // namespace ef::consumer
