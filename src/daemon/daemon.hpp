// The edgefeed daemon's start-up and supervision: from a validated config to
// a book region, TLS context, pinned feed loops with their connections, and a
// housekeeping thread (heartbeat, process stats) until a signal stops it.
#pragma once

#include "config/daemon_cli.hpp"

namespace ef::daemon {

// Runs until SIGINT/SIGTERM; returns the process exit code. Errors at start
// are printed once, naming what failed.
int run(config::daemon_options opts);

} // namespace ef::daemon
