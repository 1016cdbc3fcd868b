// See cpu.hpp.
#include "platform/cpu.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ef::platform {

unsigned online_cpus() noexcept {
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<unsigned>(n) : 1u;
}

status pin_current_thread(int core) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    const int rc = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    if (rc != 0)
        return make_error("pinning thread to core " + std::to_string(core) + ": " +
                          std::strerror(rc));
    return ok();
}

void name_current_thread(const char* name) noexcept { pthread_setname_np(pthread_self(), name); }

int current_tid() noexcept { return static_cast<int>(syscall(SYS_gettid)); }

std::vector<int> keep_off_cores(const std::vector<int>& avoid) {
    std::vector<int> chosen;
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c = 0; c < static_cast<int>(online_cpus()); ++c) {
        bool skip = false;
        for (int a : avoid) skip = skip || a == c;
        if (skip) continue;
        CPU_SET(c, &set);
        chosen.push_back(c);
    }
    if (chosen.empty()) return chosen;
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    return chosen;
}

std::vector<int> isolated_cpus() {
    std::vector<int> out;
    std::ifstream in("/sys/devices/system/cpu/isolated");
    std::string list;
    if (!(in >> list)) return out;
    size_t pos = 0;
    while (pos < list.size()) {
        size_t comma = list.find(',', pos);
        if (comma == std::string::npos) comma = list.size();
        const std::string part = list.substr(pos, comma - pos);
        const size_t dash = part.find('-');
        const int lo = std::stoi(part.substr(0, dash));
        const int hi = dash == std::string::npos ? lo : std::stoi(part.substr(dash + 1));
        for (int c = lo; c <= hi; ++c) out.push_back(c);
        pos = comma + 1;
    }
    return out;
}

} // namespace ef::platform
