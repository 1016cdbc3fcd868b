// A small JSON tree for the simulator's order routes: request bodies are read
// into it whole (the sim is a tool, off any hot path, so it may allocate),
// walked for strict key checks, and answers are written with the quoting and
// exact e9 number helpers below. Built on the project's own scanner so the
// grammar is the one the daemon's parsers accept. Driven by order_routes_om,
// order_book_ct and their tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ef::sim {

// Products of two e9 values need 128 bits; __extension__ keeps -Wpedantic quiet.
__extension__ using i128 = __int128;

struct jnode {
    enum class kind : uint8_t { null_value, boolean, number, string, array, object };
    kind type = kind::null_value;
    std::string text; // string: decoded; number: its text; boolean: true/false
    std::vector<std::pair<std::string, jnode>> members; // object, in document order
    std::vector<jnode> items;                           // array

    // The member named `key` (the last one if repeated), or null.
    const jnode* find(std::string_view key) const noexcept;
    bool is_string() const noexcept { return type == kind::string; }
    bool is_number() const noexcept { return type == kind::number; }
};

// Parses `doc` (exactly one JSON value). False with `why` on bad JSON.
bool parse_json(std::string_view doc, jnode& out, std::string& why);

// "text" with JSON escapes.
std::string json_quote(std::string_view s);
// Exact shortest decimal text of an e9 value: 0.42, 50, 190.01.
std::string e9_text(int64_t v_e9);
// The same as a JSON string: "190.01" (Connect Trade writes numbers so).
std::string e9_string(int64_t v_e9);
// Unix ns as ISO-8601 UTC with `digits` fractional digits (Connect Trade: 6).
std::string iso_utc(int64_t unix_ns, int digits = 6);

// 1 in e9 fixed point: a price of 1 USD, one share.
inline constexpr int64_t one_e9 = 1'000'000'000;

// round_half_up(num / den) for num >= 0, den > 0.
int64_t div_round_half_up(i128 num, i128 den) noexcept;

} // namespace ef::sim
