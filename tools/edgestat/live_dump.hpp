// `edgestat depth` and `edgestat state`: the full depth records and the live
// contest states of an instance, read through the consumer ABI exactly as a
// strategy would, as a table or one JSON object a line (exact decimals).
#pragma once

#include <edgefeed/edgefeed.h>

#include <string>

namespace ef::stat {

// Every depth record, or only the one for `position_hash` (empty: all).
// Returns false, with a message in `out`, when that hash has no record.
bool depth_report(const ef_book* book, const std::string& position_hash, bool json, std::string& out);
// Every contest's live state, or only contest `contest_id` (empty: all);
// contests without a state are listed as such. False, with a message, when
// the id is unknown.
bool state_report(const ef_book* book, const std::string& contest_id, bool json, std::string& out);

// The partner table (id, name, status from GET /partners): one line each,
// or one JSON object a line.
bool partners_report(const ef_book* book, bool json, std::string& out);

} // namespace ef::stat
