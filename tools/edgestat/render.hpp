// Turns snapshots into what operators read: a table, or one JSON object
// (machine-readable, stable key names: the counters' names from layout.h).
// Rates need two snapshots; `prev` may be null (totals only).
#pragma once

#include "edgestat/snapshot.hpp"
#include "edgestat/text.hpp"

#include <string>
#include <string_view>

namespace ef::stat {

std::string render_table(const snapshot& now, const snapshot* prev);
std::string render_json(const snapshot& now, const snapshot* prev);

// enum ef_stale_reason as operators read it ("" for none).
const char* stale_reason_name(uint32_t reason);

} // namespace ef::stat
