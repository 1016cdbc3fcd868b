// The `edgefeed` daemon's command line: built-in defaults, then the --config
// file, then flags, validated together; the API key loaded; --help, --version
// and --check-config answered. Called once by the daemon's main() before any
// loop starts. Also the --instance default every edgefeed tool shares.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"
#include "config/secret.hpp"

namespace ef::config {

struct daemon_options {
    daemon_config config;    // validated
    secret api_key;          // loaded as the config says; empty when exit_now
    std::string config_file; // "" when none was given
    // Not fatal, for main() to print to stderr in every mode (e.g. a key file
    // others may read).
    std::vector<std::string> warnings;

    // --help, --version and --check-config: print `output` to stdout and exit
    // with `exit_code` instead of running.
    bool exit_now = false;
    int exit_code = 0;
    std::string output;
};

// On error (bad flag, bad config, missing key; --check-config of a bad config
// too) the message holds one problem per line: print it to stderr and exit 1.
result<daemon_options> parse_daemon_command_line(int argc, char** argv);

// The default for every tool's --instance flag: $EDGEFEED_INSTANCE when set and
// not empty, else "default". Check it with check_instance_name().
std::string default_instance();

} // namespace ef::config
