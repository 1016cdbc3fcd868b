// Client -> server messages of the OpenMarkets stream: subscribe, unsubscribe
// and the application ping (PROTOCOL.md, seed 002). Driven by the venue
// simulator for every text frame a client sends, and by tests that check what
// the feed sends. Pure and allocation-free, like the server-side parser.
#pragma once

#include "json/scanner.hpp"

#include <cstdint>
#include <string_view>

namespace ef::json {

enum class client_action : uint8_t { subscribe, unsubscribe, ping };

const char* to_string(client_action a) noexcept;

enum class [[nodiscard]] client_status : uint8_t{
    ok,
    malformed, // not JSON: the venue answers "invalid_message"
    invalid,   // JSON, but not a message we know: `field` says which member is wrong
    scratch_full,
};

const char* to_string(client_status s) noexcept;

// Views live as long as the input and the scratch.
struct client_message {
    client_action action = client_action::ping;
    std::string_view channel;          // subscribe / unsubscribe; checked by the caller
    std::string_view contest_ids_json; // subscribe / unsubscribe: "[...]" of strings
    string_iterator contest_ids(scratch& s) const noexcept { return {contest_ids_json, s}; }

    // Diagnostics for a non-ok status.
    const char* field = "";                   // invalid: "action", "channel", "contest_ids", ""
    syntax_error syntax = syntax_error::none; // malformed
    size_t error_offset = 0;
};

// {"action":"subscribe"|"unsubscribe","channel":<string>,"contest_ids":[<string>...]}
// or {"action":"ping"}. Unknown members are ignored, as the venue ignores them;
// duplicate keys: the last wins. Anything else (another action, a missing or
// mistyped member, a non-object) is invalid. The scratch is reset here and
// must be at least in.size() bytes.
client_status parse_client_message(std::string_view in, client_message& out, scratch& s) noexcept;

} // namespace ef::json
