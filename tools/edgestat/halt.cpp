// edgestat halt / resume (see halt.hpp): sets the kill switch word through
// the order channel's C ABI and says what it did, and what still stops orders.
#include "edgestat/halt.hpp"

#include "edgefeed/order_channel.h"

#include <cstdio>

namespace ef::stat {

void add_halt_commands(CLI::App& app, std::string& instance, halt_commands& out) {
    out.halt = app.add_subcommand("halt", "kill switch on: the order loop rejects new orders "
                                          "(cancels still pass)");
    out.resume = app.add_subcommand("resume", "kill switch off: orders pass risk checks again");
    for (CLI::App* cmd : {out.halt, out.resume}) {
        cmd->add_option("--instance", instance, "instance name");
        cmd->add_option("--strategy", out.strategy, "only this strategy (default: all of them)");
    }
}

int run_halt_commands(const halt_commands& cmds, const std::string& instance) {
    if (!cmds.halt->parsed() && !cmds.resume->parsed()) return -1;
    const bool on = cmds.halt->parsed();
    const char* strategy = cmds.strategy.empty() ? nullptr : cmds.strategy.c_str();
    if (ef_orders_set_halt(instance.c_str(), strategy, on ? 1 : 0) != EF_OK) {
        std::fprintf(stderr, "edgestat %s: instance '%s': %s\n", on ? "halt" : "resume",
                     instance.c_str(), ef_orders_last_error());
        return 1;
    }
    if (strategy)
        std::printf("%s strategy %s of instance '%s'\n", on ? "halted" : "resumed", strategy,
                    instance.c_str());
    else
        std::printf("%s every strategy of instance '%s' (halt_all %s)\n", on ? "halted" : "resumed",
                    instance.c_str(), on ? "on" : "off");
    // Resuming one word does not lift the other: say what still stops orders.
    ef_order_channel* view = nullptr;
    if (!on && ef_orders_open_view(instance.c_str(), &view) == EF_OK) {
        struct ef_orders_info info;
        if (ef_orders_info(view, &info) == EF_OK) {
            if (strategy && info.halt_all)
                std::printf("note: halt_all is still on: no strategy trades until "
                            "`edgestat resume` without --strategy\n");
            for (uint32_t i = 0; !strategy && i < info.slot_count; ++i) {
                struct ef_orders_slot_info s;
                if (ef_orders_slot_info(view, i, &s) == EF_OK && s.halted)
                    std::printf("note: strategy %s is still halted on its own "
                                "(`edgestat resume --strategy %s`)\n",
                                s.name, s.name);
            }
        }
        ef_orders_detach(view);
    }
    return 0;
}

} // namespace ef::stat
