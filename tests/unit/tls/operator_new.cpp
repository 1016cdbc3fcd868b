// Routes this test executable's operator new/delete through malloc/free, so
// the process allocation hook (alloc_hook.cpp) counts C++ allocations too.
// Without it they are not counted in release builds: libmimalloc.so exports
// its own operator new, which the dynamic linker binds ahead of libstdc++'s,
// and that one never calls the counting malloc. In its own file so the
// compiler cannot inline it into the code under test.
#include <cstdlib>
#include <new>

void* operator new(size_t n) {
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
