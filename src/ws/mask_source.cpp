// The one part of src/ws that talks to the kernel: getrandom(2) for masking
// keys (see mask_source.hpp).
#include "ws/mask_source.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/random.h>

namespace ef::ws {

mask_source::~mask_source() {
    // Keys not yet used should not linger in freed memory.
    explicit_bzero(pool_.data(), sizeof(pool_));
}

void mask_source::refill() noexcept {
    auto* p = reinterpret_cast<unsigned char*>(pool_.data());
    size_t left = sizeof(pool_);
    while (left) {
        // Flags 0: block only until the CSPRNG is first seeded, then never.
        // Reads above 256 bytes may return short when a signal arrives.
        const ssize_t n = getrandom(p, left, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::fprintf(stderr, "edgefeed: getrandom for WebSocket masking keys failed: %s\n",
                         std::strerror(errno));
            std::abort();
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    pos_ = 0;
}

} // namespace ef::ws
