// Turns snapshots into what operators read: a table, or one JSON object
// (machine-readable, stable key names: the counters' names from layout.h).
// Rates need two snapshots; `prev` may be null (totals only).
#pragma once

#include "edgestat/snapshot.hpp"

#include <string>

namespace ef::stat {

std::string render_table(const snapshot& now, const snapshot* prev);
std::string render_json(const snapshot& now, const snapshot* prev);

// "1.2 µs" style for nanoseconds; "-" for zero samples.
std::string human_ns(uint64_t ns);

} // namespace ef::stat
