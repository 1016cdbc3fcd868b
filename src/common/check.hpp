// EF_ASSERT: invariants that only a bug can break. On in debug and sanitizer
// builds (EF_DEV_CHECKS), compiled out of release builds so the hot path pays
// nothing; never used for input validation.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace ef::detail {
[[noreturn, gnu::cold]] inline void assert_failed(const char* expr, const char* file, int line) {
    std::fprintf(stderr, "edgefeed: assertion failed: %s (%s:%d)\n", expr, file, line);
    std::abort();
}
} // namespace ef::detail

#if defined(EF_DEV_CHECKS)
#define EF_ASSERT(expr)                                                                  \
    ((expr) ? static_cast<void>(0) : ::ef::detail::assert_failed(#expr, __FILE__, __LINE__))
#else
#define EF_ASSERT(expr) static_cast<void>(0)
#endif
