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
// Restricts the calling thread (and threads it creates later) to every
// online CPU except `avoid`; does nothing when that would leave none.
// Returns the CPUs chosen.
std::vector<int> keep_off_cores(const std::vector<int>& avoid);
// Cores listed in /sys/devices/system/cpu/isolated (empty when none).
std::vector<int> isolated_cpus();

} // namespace ef::platform
