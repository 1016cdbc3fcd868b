// Runs a shell command (a tool under test) and captures what it printed,
// stdout and stderr together, with its exit status.
#pragma once

#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace ef::test {

struct command_result {
    int status = -1; // exit status; -1 when it did not exit normally
    std::string out; // stdout and stderr
};

inline command_result run_command(const std::string& command) {
    command_result r;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
        r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

} // namespace ef::test
