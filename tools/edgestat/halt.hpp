// edgestat halt / resume: the order path's kill switch, for the whole
// instance or one strategy. Writes one word of the order channel
// (ef_orders_set_halt); the order loop reads it before every order.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace ef::stat {

// The two subcommands and what they parsed. Lives in main() while CLI11
// parses: the options point into it.
struct halt_commands {
    CLI::App* halt = nullptr;
    CLI::App* resume = nullptr;
    std::string strategy; // empty: every strategy (halt_all)
};

// Adds `halt` and `resume`, each with --instance (into `instance`) and --strategy.
void add_halt_commands(CLI::App& app, std::string& instance, halt_commands& out);

// Runs the one that was parsed and returns the exit status (0, or 1 with a
// message on stderr when the instance or strategy does not exist); -1 when
// neither was on the command line.
int run_halt_commands(const halt_commands& cmds, const std::string& instance);

} // namespace ef::stat
