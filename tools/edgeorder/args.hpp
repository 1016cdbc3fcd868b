// edgeorder's pure parts: the command line into one ef_order_request, and
// one response into one output line. No channel, no clock, no I/O, so the
// unit tests drive them with tables (tests/unit/orders/channel_edgeorder_test.cpp);
// main.cpp does the attaching, submitting and waiting.
#pragma once

#include "edgefeed/order_channel.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ef::edgeorder {

struct options {
    std::string instance; // empty: $EDGEFEED_INSTANCE, else "default"
    std::string strategy;
    bool json = false;
    int64_t timeout_ms = 10000;
    // false: send the combination of fields as given (amount and shares,
    // a limit on MKT, ...), so the daemon's own checks can be exercised.
    bool local_checks = true;
    std::string command;        // om-buy | ct-new | ct-modify | ct-cancel
    ef_order_request request{}; // every field but request_id and submit_mono_ns
};

struct parse_result {
    enum class status { ok, help, usage_error } what = status::usage_error;
    options opts;
    std::string message; // the help text (help) or why the arguments are refused
};

// Parses `args` (without the program name). Decimals are read exactly
// (json/decimal.hpp) and must be > 0: zero means "not given" in the request.
// Exactly one of --amount/--shares (om-buy) and of --qty/--notional (ct-new);
// --limit exactly with LMT and STPLMT, --stop exactly with STP and STPLMT;
// ct-modify changes at least one of qty, notional, limit, stop.
parse_result parse_args(const std::vector<std::string>& args);

// Exit status for a final outcome: 0 for anything the venue took or answered
// (accepted, filled, partial, unfilled, cancelled, modified, reconciled), 2
// for rejected, 3 for unknown.
int exit_code_for(uint32_t outcome) noexcept;

// One line, with its '\n': human (`json` false) or one JSON object with
// stable keys and decimals as strings.
std::string format_response(const ef_order_response& r, bool json);

} // namespace ef::edgeorder
