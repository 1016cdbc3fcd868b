// See send_probe.hpp. The four definitions below replace libc's for the whole
// edgebench process (tools/edgebench/meson.build exports them from the
// executable, so shared libraries bind to them too). Every call pays one
// relaxed load and a compare when the descriptor is not the armed one.
#include "edgebench/send_probe.hpp"

#include "common/clock.hpp"

#include <atomic>
#include <dlfcn.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ef::bench::send_probe {

namespace {

std::atomic<int> armed_fd{-1};
std::atomic<int64_t> first_ns{0};
std::atomic<uint64_t> hit_count{0};

// The stamp comes first: the figure is "the write call started", before any
// work of ours or libc's.
inline void note(int fd) noexcept {
    if (fd < 0 || fd != armed_fd.load(std::memory_order_relaxed)) [[likely]]
        return;
    const int64_t now = mono_ns();
    hit_count.fetch_add(1, std::memory_order_relaxed);
    if (first_ns.load(std::memory_order_relaxed) == 0) first_ns.store(now, std::memory_order_relaxed);
}

// The next definition after the executable's: libc's, or a sanitizer
// runtime's interceptor when one is loaded ahead of libc.
template <class fn>
fn next(const char* name) noexcept {
    return reinterpret_cast<fn>(dlsym(RTLD_NEXT, name));
}

} // namespace

void arm(int fd) noexcept {
    first_ns.store(0, std::memory_order_relaxed);
    armed_fd.store(fd, std::memory_order_relaxed);
}

void disarm() noexcept { armed_fd.store(-1, std::memory_order_relaxed); }

int64_t first_write_ns() noexcept { return first_ns.load(std::memory_order_relaxed); }

uint64_t hits() noexcept { return hit_count.load(std::memory_order_relaxed); }

} // namespace ef::bench::send_probe

using ef::bench::send_probe::note;
using ef::bench::send_probe::next;

extern "C" {

// Same declarations as glibc's <unistd.h> and <sys/socket.h> (cancellation
// points: no exception specification there either).
ssize_t write(int fd, const void* buf, size_t n) {
    note(fd);
    static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
    return real(fd, buf, n);
}

ssize_t send(int fd, const void* buf, size_t n, int flags) {
    note(fd);
    static const auto real = next<ssize_t (*)(int, const void*, size_t, int)>("send");
    return real(fd, buf, n, flags);
}

ssize_t sendto(int fd, const void* buf, size_t n, int flags, const struct sockaddr* to, socklen_t to_len) {
    note(fd);
    static const auto real =
        next<ssize_t (*)(int, const void*, size_t, int, const struct sockaddr*, socklen_t)>("sendto");
    return real(fd, buf, n, flags, to, to_len);
}

ssize_t sendmsg(int fd, const struct msghdr* msg, int flags) {
    note(fd);
    static const auto real = next<ssize_t (*)(int, const struct msghdr*, int)>("sendmsg");
    return real(fd, msg, flags);
}

} // extern "C"
