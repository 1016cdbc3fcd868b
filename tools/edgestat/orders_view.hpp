// The order channel as edgestat's main table, --watch and --json show it: the
// order loop's state and heartbeat, the kill switches and each strategy's
// counters, read through the read-only view of /edgefeed.<instance>.orders
// (ef_orders_open_view; it claims no slot and writes nothing). Driven by
// take_snapshot() once per refresh. No such region means orders are disabled
// in this instance: the section is left out, which is not an error.
#pragma once

#include <edgefeed/order_channel.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ef::stat {

struct orders_copy {
    enum class status : uint8_t {
        disabled,   // no order channel: print nothing
        ok,         // info and strategies hold a copy
        unreadable, // the region exists but cannot be read: error says why
    };
    status state = status::disabled;
    std::string error;
    struct ef_orders_info info {};
    std::vector<struct ef_orders_slot_info> strategies; // one per slot, in slot order
};

// Maps the channel, copies it and unmaps it again. A fresh mapping each
// refresh, so --watch follows a daemon restart (a new object) and a channel
// that appears or disappears.
orders_copy take_orders(const char* instance);

// The "orders" section of the table, starting with a blank line; "" when
// disabled. book_daemon_pid is the pid in the books region: a channel whose
// pid differs was left behind by another daemon, and the table says so.
std::string render_orders_table(const orders_copy& o, uint32_t book_daemon_pid);

// The value of the "orders" key of --json: null when disabled, {"error":...}
// when unreadable, else an object whose keys are the names of orders.h and
// order_channel.h (decimals as exact strings, ages -1 when unknown).
std::string render_orders_json(const orders_copy& o, uint32_t book_daemon_pid);

// "starting", "running", "stopping" (ef_orders_header.loop_state), "?" otherwise.
const char* orders_loop_state_name(uint32_t state);

} // namespace ef::stat
