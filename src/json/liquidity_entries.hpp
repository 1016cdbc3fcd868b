// Internal to src/json: the hook through which parse_stream_message's
// validating pass hands changed_entries to the entry parser. Callers outside
// the module use stream_message.hpp (entry_iterator).
#pragma once

#include "json/stream_message.hpp"

namespace ef::json::detail {

// changed_entries at p ('[', at `depth`), validated as strictly as
// skip_container would, parsing the first eager_entry_capacity entries into
// `cache` as it goes; sets `out` to the array's span and leaves p past ']'.
syntax_error scan_entries(const char*& p, const char* end, int depth, scratch& sc,
                          entry_cache& cache, value& out) noexcept;

} // namespace ef::json::detail
