// Text helpers every edgestat view shares: exact decimals, durations and
// JSON strings.
// Apart from the rest of edgestat so the journal report (orders_dump) links
// without the live views, for its fuzz target.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ef::stat {

// Exact decimal text of an e9 fixed-point value: 0.42, 50, -3.5.
std::string decimal_text(int64_t v_e9);
// "1.2 µs" style for nanoseconds; "-" for zero samples.
std::string human_ns(uint64_t ns);
// A JSON string literal of s, quotes included.
std::string json_str(std::string_view s);

} // namespace ef::stat
