// edgefeed: venue WebSocket feeds over TLS into shared-memory books.
// See README.md; `edgefeed --help` lists the flags, docs/config.md the file.
#include "common/log.hpp"
#include "config/daemon_cli.hpp"
#include "daemon/daemon.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    auto opts = ef::config::parse_daemon_command_line(argc, argv);
    if (!opts) {
        std::fprintf(stderr, "edgefeed: %s\n", opts.err().message.c_str());
        return 2;
    }
    if (opts->exit_now) {
        std::fputs(opts->output.c_str(), opts->exit_code ? stderr : stdout);
        return opts->exit_code;
    }
    return ef::daemon::run(std::move(opts).value());
}
