// Linked into executables only (not into ef_core): counts every heap
// allocation of the process. Normal builds replace the malloc family with
// one that counts and forwards to mimalloc (the process allocator; see
// README "Dependencies"). Sanitizer builds keep the sanitizer's allocator and
// count through its malloc hook instead, since replacing malloc there would
// hide memory errors.
#include "common/alloc_count.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdlib>

#if defined(EF_SANITIZED)

extern "C" int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void*, size_t), void (*free_hook)(const volatile void*));

namespace {
void on_malloc(const volatile void*, size_t n) { ef::alloc::detail::note(n); }
void on_free(const volatile void*) {}
[[gnu::constructor(101)]] void install_hooks() {
    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
    ef::alloc::detail::is_hooked.store(true, std::memory_order_relaxed);
}
} // namespace

#else

#include <mimalloc.h>

namespace {
[[gnu::constructor(101)]] void mark_hooked() {
    ef::alloc::detail::is_hooked.store(true, std::memory_order_relaxed);
}
} // namespace

extern "C" {

void* malloc(size_t n) {
    ef::alloc::detail::note(n);
    return mi_malloc(n);
}
void* calloc(size_t count, size_t n) {
    ef::alloc::detail::note(count * n);
    return mi_calloc(count, n);
}
void* realloc(void* p, size_t n) {
    ef::alloc::detail::note(n);
    return mi_realloc(p, n);
}
void* reallocarray(void* p, size_t count, size_t n) {
    ef::alloc::detail::note(count * n);
    return mi_reallocarray(p, count, n);
}
void free(void* p) { mi_free(p); }
void cfree(void* p) { mi_free(p); }
void* aligned_alloc(size_t alignment, size_t n) {
    ef::alloc::detail::note(n);
    return mi_aligned_alloc(alignment, n);
}
void* memalign(size_t alignment, size_t n) {
    ef::alloc::detail::note(n);
    return mi_memalign(alignment, n);
}
int posix_memalign(void** out, size_t alignment, size_t n) {
    ef::alloc::detail::note(n);
    return mi_posix_memalign(out, alignment, n);
}
void* valloc(size_t n) {
    ef::alloc::detail::note(n);
    return mi_valloc(n);
}
void* pvalloc(size_t n) {
    ef::alloc::detail::note(n);
    return mi_pvalloc(n);
}
size_t malloc_usable_size(void* p) { return mi_usable_size(p); }

} // extern "C"

// C++ allocations too: libmimalloc.so exports its own operator new, which
// the dynamic linker binds ahead of libstdc++'s and which never calls the
// malloc above, so without these a std::string or a new on the hot path
// would go uncounted.
#include <new>

void* operator new(size_t n) {
    ef::alloc::detail::note(n);
    return mi_new(n);
}
void* operator new[](size_t n) {
    ef::alloc::detail::note(n);
    return mi_new(n);
}
void* operator new(size_t n, const std::nothrow_t&) noexcept {
    ef::alloc::detail::note(n);
    return mi_new_nothrow(n);
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
    ef::alloc::detail::note(n);
    return mi_new_nothrow(n);
}
void* operator new(size_t n, std::align_val_t a) {
    ef::alloc::detail::note(n);
    return mi_new_aligned(n, static_cast<size_t>(a));
}
void* operator new[](size_t n, std::align_val_t a) {
    ef::alloc::detail::note(n);
    return mi_new_aligned(n, static_cast<size_t>(a));
}
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    ef::alloc::detail::note(n);
    return mi_new_aligned_nothrow(n, static_cast<size_t>(a));
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    ef::alloc::detail::note(n);
    return mi_new_aligned_nothrow(n, static_cast<size_t>(a));
}
void operator delete(void* p) noexcept { mi_free(p); }
void operator delete[](void* p) noexcept { mi_free(p); }
void operator delete(void* p, size_t) noexcept { mi_free(p); }
void operator delete[](void* p, size_t) noexcept { mi_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { mi_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { mi_free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { mi_free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { mi_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { mi_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { mi_free(p); }

#endif
