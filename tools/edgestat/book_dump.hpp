// `edgestat book`: every entry of the shared-memory book, read through the
// consumer ABI exactly as a strategy would, with exact decimal strings.
#pragma once

#include <edgefeed/edgefeed.h>

#include <string>

namespace ef::stat {

// One JSON object a line, sorted by liquidity_hash:
// {"liquidity_hash":"kalshi:ct_...","price":"0.49","available":"5400"}
// contest: only that contest's positions (empty: all).
std::string book_json_lines(const ef_book* book, const std::string& contest);
// The same as a table, with the best level of each position marked.
std::string book_table(const ef_book* book, const std::string& contest);

} // namespace ef::stat
