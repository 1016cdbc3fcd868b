// Pinning threads to cores, naming them, and what the host offers (core
// count, isolated cores). Control path only: called once per thread at start.
#pragma once

#include "common/result.hpp"

#include <string>
#include <vector>

namespace ef::platform {

unsigned online_cpus() noexcept;
// Pins the calling thread to `core`; the error names the core and errno.
status pin_current_thread(int core);
// Shows in top/ps/perf (15 chars max, the kernel's limit).
void name_current_thread(const char* name) noexcept;
int current_tid() noexcept;
// Cores listed in /sys/devices/system/cpu/isolated (empty when none).
std::vector<int> isolated_cpus();

} // namespace ef::platform
