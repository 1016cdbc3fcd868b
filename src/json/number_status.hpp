// What an iterator reports for an amount that did not parse: the decimal
// parser's outcome as an item_status. Shared by the stream entries and the
// REST parsers so both name the same failure the same way.
#pragma once

#include "json/decimal.hpp"
#include "json/scanner.hpp"

namespace ef::json {

inline item_status to_item_status(decimal_status st) noexcept {
    switch (st) {
    case decimal_status::ok: return item_status::ok;
    case decimal_status::not_a_number: return item_status::bad_number;
    case decimal_status::inexact: return item_status::inexact;
    case decimal_status::out_of_range: return item_status::out_of_range;
    }
    return item_status::bad_number;
}

} // namespace ef::json
