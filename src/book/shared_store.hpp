// Writer-side access to shared-memory fields (layout.h concurrency rules):
// relaxed std::atomic_ref stores and loads for seqlock-protected data, and
// the fences, for the daemon's book writers (region.cpp, writer.cpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ef::book::detail {

template <typename T>
inline void store_relaxed(T& field, T v) noexcept {
    std::atomic_ref<T>(field).store(v, std::memory_order_relaxed);
}
template <typename T>
inline void store_release(T& field, T v) noexcept {
    std::atomic_ref<T>(field).store(v, std::memory_order_release);
}
template <typename T>
inline T load_relaxed(T& field) noexcept {
    return std::atomic_ref<T>(field).load(std::memory_order_relaxed);
}
template <typename T>
inline T load_acquire(T& field) noexcept {
    return std::atomic_ref<T>(field).load(std::memory_order_acquire);
}

// GCC warns that TSan does not model stand-alone fences. The seqlocks stay
// race-free for TSan anyway: every shared field is accessed atomically on both
// sides, the fences only order those accesses (Boehm, HPL-2012-68).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Wtsan"
inline void fence_release() noexcept { __atomic_thread_fence(__ATOMIC_RELEASE); }
// Daemon-side seqlock readers (the order loop's book price) copy, then this.
inline void fence_acquire() noexcept { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
#pragma GCC diagnostic pop

// Text fields (ids, hashes) go into shared memory as whole 4- or 8-byte
// words so readers can copy them with the same atomic widths; may_alias
// because the storage is declared as char arrays in layout.h.
using u32_alias = uint32_t __attribute__((may_alias));
using u64_alias = uint64_t __attribute__((may_alias));

// `t` cut to fit a NUL-terminated field of `field_bytes`: it ends at its
// first NUL, and a cut drops whole UTF-8 characters, never half of one (a
// reader printing the field would otherwise show U+FFFD or worse).
inline std::string_view fit_text(std::string_view t, size_t field_bytes) noexcept {
    if (const size_t nul = t.find('\0'); nul != std::string_view::npos) t = t.substr(0, nul);
    if (t.size() < field_bytes) return t;
    size_t n = field_bytes - 1;
    // t[n] is the first byte cut off; if it continues a character (10xxxxxx),
    // that character started before n and goes too.
    while (n > 0 && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80) --n;
    return t.substr(0, n);
}

// Stores `words` words of `src` (zero-padded past n bytes) into dst.
inline void store_text_u64(char* dst, size_t words, const char* src, size_t n) noexcept {
    auto* d = reinterpret_cast<u64_alias*>(dst);
    for (size_t w = 0; w < words; ++w) {
        uint64_t v = 0;
        const size_t at = w * 8;
        if (at < n) std::memcpy(&v, src + at, n - at < 8 ? n - at : 8);
        __atomic_store_n(&d[w], v, __ATOMIC_RELAXED);
    }
}
inline void store_text_u32(char* dst, size_t words, const char* src, size_t n) noexcept {
    auto* d = reinterpret_cast<u32_alias*>(dst);
    for (size_t w = 0; w < words; ++w) {
        uint32_t v = 0;
        const size_t at = w * 4;
        if (at < n) std::memcpy(&v, src + at, n - at < 4 ? n - at : 4);
        __atomic_store_n(&d[w], v, __ATOMIC_RELAXED);
    }
}

} // namespace ef::book::detail
