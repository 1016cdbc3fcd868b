// edgebench's send probe: when libcurl's first byte of a request reaches the
// kernel. send_probe.cpp defines send, write, sendmsg and sendto in the
// edgebench executable (exported, so libcurl's and OpenSSL's calls bind to
// them before libc's); each forwards to the next definition (libc, or a
// sanitizer's interceptor) and, when the probe is armed and the call is on
// the armed descriptor, stamps CLOCK_MONOTONIC at entry. Driven by the libcurl
// series in curl_baseline.cpp, from the one thread that runs the transfer.
#pragma once

#include <cstdint>

namespace ef::bench::send_probe {

// Watches `fd` from now on and forgets any earlier stamp.
void arm(int fd) noexcept;

// Stops watching; the stamp stays readable.
void disarm() noexcept;

// CLOCK_MONOTONIC (ns) at entry of the first write-family call on the armed
// descriptor since arm(), or 0 if there was none.
int64_t first_write_ns() noexcept;

// Calls that hit the armed descriptor since the process started: a probe that
// is not bound to (the executable's symbols are not exported, a library that
// writes through another call) leaves it at 0.
uint64_t hits() noexcept;

} // namespace ef::bench::send_probe
