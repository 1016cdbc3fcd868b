// Validation of one order request before risk: is it well-formed for its
// kind? Called by the order loop on every request it takes off a strategy's
// ring, and by edgeorder before submitting; pure, no allocation. What the
// venue would answer with 400 is refused here, so a strict-field reject is
// never sent: missing or doubled fields, out-of-range values, and fields of
// another kind (an OpenMarkets field on a Connect Trade order) are refused,
// never silently dropped.
#pragma once

#include "edgefeed/orders.h"

namespace ef::orders {

// nullptr when `r` is well-formed for its kind, else a static text naming
// what is wrong ("exactly one of amount or shares", "LMT needs a limit
// price", ...), for the response's reason (EF_REJECT_INVALID).
//
// On modify and cancel, symbol and side may be given as context for risk
// and the journal (they are not sent: the venue keeps the order's own);
// order_type, tif and instrument cannot change and are refused.
const char* check_request(const ef_order_request& r) noexcept;

} // namespace ef::orders
