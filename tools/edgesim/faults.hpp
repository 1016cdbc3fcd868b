// Fault injection for the simulated venue: the kinds a test can ask for
// (issue 3), how a request is parsed from the control API's query or from
// `--fault`, and the bookkeeping of what is armed, queued and fired, which
// /_sim/status shows so tests can wait for a fault to have happened. The
// sim_server owns one fault_book and carries the faults out; this file only
// decides what is pending.
#pragma once

#include "common/result.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <string_view>

namespace ef::sim {

enum class fault_kind : uint8_t {
    refresh_required, // silent truth change, then liquidity.update refresh_required:true
    snapshot_change,  // silent truth change right before the contest's next snapshot
    drop,             // RST of the stream connections
    stall,            // nothing sent (no data, no pings) for `ms`
    garbage,          // a frame with reserved RSV bits or a reserved opcode
    truncated,        // a frame header promising more than follows, then close
    invalid_json,     // a text message that is not JSON
    invalid_utf8,     // a text frame whose payload is not UTF-8
    fragment,         // from now on messages go out fragmented, pings between
    big,              // one liquidity.update over 65535 bytes (64-bit length)
    reject_upgrade_401,
    reject_upgrade_429,
    rest_slow, // every REST answer waits `ms`
    rest_fail, // the next `count` REST answers are 503
    rest_hang, // the next `count` REST requests are never answered
    contest_open,
    contest_close,
};
inline constexpr size_t fault_kinds = static_cast<size_t>(fault_kind::contest_close) + 1;

const char* to_string(fault_kind k) noexcept;
bool parse_fault_kind(std::string_view text, fault_kind& out) noexcept;
// Stream faults act on live WebSocket sessions, so they wait in a queue
// until one is subscribed; the others take effect at once.
bool is_stream_fault(fault_kind k) noexcept;

struct fault_request {
    fault_kind kind = fault_kind::drop;
    std::string contest; // empty: a subscribed (or any open) contest
    uint64_t count = 1;  // repeats; fragment: 0 turns it off
    int64_t ms = -1;     // stall / rest_slow; -1: the kind's default
};

// Reads "kind=K&contest=ID&count=N&ms=M" (the control API's query) or, for
// --fault, the same without "kind=" ("stall&ms=500").
result<fault_request> parse_fault_request(std::string_view query);

// What is armed and what has fired. `fired` counts effects: one per
// rejected upgrade, 503, hung request, slowed answer or stream fault carried out.
struct fault_book {
    std::array<uint64_t, fault_kinds> requested{};
    std::array<uint64_t, fault_kinds> fired{};
    std::deque<fault_request> queue; // stream faults waiting for a session
    uint64_t reject_401_left = 0, reject_429_left = 0;
    uint64_t rest_fail_left = 0, rest_hang_left = 0;
    int64_t rest_slow_ms = 0;
    bool fragment = false;
    std::set<std::string> snapshot_change; // contests whose next snapshot changes silently
    uint64_t chaos_fired = 0;

    void fire(fault_kind k) noexcept { ++fired[static_cast<size_t>(k)]; }
    // The status object: {"fired":{...},"requested":{...},"queued":n,...}.
    std::string json() const;
};

} // namespace ef::sim
