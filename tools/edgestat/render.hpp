// Turns snapshots into what operators read: a table, or one JSON object
// (machine-readable, stable key names: the counters' names from layout.h).
// Rates need two snapshots; `prev` may be null (totals only).
#pragma once

#include "edgestat/snapshot.hpp"

#include <string>
#include <string_view>

namespace ef::stat {

std::string render_table(const snapshot& now, const snapshot* prev);
std::string render_json(const snapshot& now, const snapshot* prev);

// "1.2 µs" style for nanoseconds; "-" for zero samples.
std::string human_ns(uint64_t ns);
// Exact decimal text of an e9 fixed-point value: 0.42, 50, -3.5.
std::string decimal_text(int64_t v_e9);
// A JSON string literal of s, quotes included.
std::string json_str(std::string_view s);
// enum ef_stale_reason as operators read it ("" for none).
const char* stale_reason_name(uint32_t reason);

} // namespace ef::stat
