// Request validation (see request_check.hpp). One function per kind, each a
// list of tests in the order a strategy author would fix them; the reasons
// are static strings, so a reject costs no formatting. Driven by the order
// loop for every request, before risk.
#include "orders/request_check.hpp"

#include "orders/order_protocol.hpp"

#include <cstring>
#include <string_view>

namespace ef::orders {

namespace {

template <size_t N>
bool terminated(const char (&a)[N]) noexcept {
    return std::memchr(a, '\0', N) != nullptr;
}

template <size_t N>
bool empty(const char (&a)[N]) noexcept {
    return a[0] == '\0';
}

bool has_control(std::string_view s) noexcept {
    for (const char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
    return false;
}

const char* check_strings(const ef_order_request& r) noexcept {
    if (!terminated(r.account) || !terminated(r.partner_id) || !terminated(r.broker) ||
        !terminated(r.instrument) || !terminated(r.symbol) || !terminated(r.order_id))
        return "string not NUL-terminated";
    if (empty(r.account)) return "account missing";
    // The account travels in a header (OpenMarkets) or a path (Connect
    // Trade): a control byte would break the first and has no place in either.
    if (has_control(r.account)) return "account has a control character";
    return nullptr;
}

bool om_fields_set(const ef_order_request& r) noexcept {
    return r.position_hash_len != 0 || r.amount_e9 != 0 || r.shares_e9 != 0 ||
           r.max_price_e9 != 0 || !empty(r.partner_id);
}

const char* check_position_hash(const ef_order_request& r) noexcept {
    if (r.position_hash_len == 0) return "position hash missing";
    if (r.position_hash_len > EF_POSITION_HASH_MAX) return "position hash too long";
    const std::string_view hash(r.position_hash, r.position_hash_len);
    if (has_control(hash)) return "position hash has a control character";
    unsigned parts = 1;
    size_t part_begin = 0;
    for (size_t i = 0; i <= hash.size(); ++i) {
        if (i != hash.size() && hash[i] != ':') continue;
        if (i == part_begin) return "position hash has an empty part";
        if (i != hash.size()) ++parts;
        part_begin = i + 1;
    }
    if (parts != protocol::om_position_hash_parts) return "position hash must have 6 parts";
    return nullptr;
}

const char* check_om_buy(const ef_order_request& r) noexcept {
    if (const char* e = check_position_hash(r)) return e;
    if (r.amount_e9 < 0) return "amount must be > 0";
    if (r.shares_e9 < 0) return "shares must be > 0";
    if ((r.amount_e9 > 0) == (r.shares_e9 > 0)) return "exactly one of amount or shares";
    // max_price's bounds (0, 1] are a pre-trade limit (EF_RISK_PRICE_BOUNDS),
    // checked by the risk engine so that the reject names that limit.
    if (has_control(r.partner_id)) return "partner_id has a control character";
    if (!empty(r.broker) || !empty(r.instrument) || !empty(r.symbol) || r.side != 0 ||
        r.order_type != 0 || r.tif != 0 || r.qty_e9 != 0 || r.notional_e9 != 0 ||
        r.limit_price_e9 != 0 || r.stop_price_e9 != 0 || !empty(r.order_id))
        return "Connect Trade field set on an OpenMarkets order";
    if (r.flags & ~static_cast<uint32_t>(EF_ORDER_PAPER)) return "unknown flag";
    return nullptr;
}

// What new and modify share: the CT order's text fields and its prices.
const char* check_ct_common(const ef_order_request& r) noexcept {
    if (om_fields_set(r)) return "OpenMarkets field set on a Connect Trade order";
    if (r.flags != 0) return "flags are for OpenMarkets orders only";
    if (empty(r.broker)) return "broker missing";
    if (has_control(r.broker) || has_control(r.symbol) || has_control(r.instrument))
        return "Connect Trade field has a control character";
    if (r.qty_e9 < 0) return "qty must be > 0";
    if (r.notional_e9 < 0) return "notional must be > 0";
    if (r.limit_price_e9 < 0) return "limit price must be > 0";
    if (r.stop_price_e9 < 0) return "stop_price must be > 0";
    return nullptr;
}

const char* check_ct_new(const ef_order_request& r) noexcept {
    if (const char* e = check_ct_common(r)) return e;
    if (empty(r.instrument)) return "instrument missing";
    if (std::string_view(r.instrument) == protocol::ct_instrument_mleg)
        return "MLEG_OPT is not supported";
    if (empty(r.symbol)) return "symbol missing";
    if (r.side != EF_SIDE_BUY && r.side != EF_SIDE_SELL) return "unknown side";
    if (r.order_type < EF_TYPE_MKT || r.order_type > EF_TYPE_STPLMT) return "unknown order type";
    if (r.tif < EF_TIF_DAY || r.tif > EF_TIF_GTC_EXT) return "unknown tif";
    if ((r.qty_e9 > 0) == (r.notional_e9 > 0)) return "exactly one of qty or notional";
    const bool wants_limit = r.order_type == EF_TYPE_LMT || r.order_type == EF_TYPE_STPLMT;
    const bool wants_stop = r.order_type == EF_TYPE_STP || r.order_type == EF_TYPE_STPLMT;
    if (wants_limit && r.limit_price_e9 == 0)
        return r.order_type == EF_TYPE_LMT ? "LMT needs a limit price"
                                           : "STPLMT needs a limit price";
    if (!wants_limit && r.limit_price_e9 != 0) return "limit price only for LMT/STPLMT";
    if (wants_stop && r.stop_price_e9 == 0)
        return r.order_type == EF_TYPE_STP ? "STP needs a stop price" : "STPLMT needs a stop price";
    if (!wants_stop && r.stop_price_e9 != 0) return "stop_price only for STP/STPLMT";
    if (!empty(r.order_id)) return "order_id only for modify or cancel";
    return nullptr;
}

const char* check_ct_existing(const ef_order_request& r) noexcept {
    if (empty(r.order_id)) return "order_id missing";
    if (has_control(r.order_id)) return "order_id has a control character";
    if (r.order_type != 0 || r.tif != 0 || !empty(r.instrument))
        return "order_type, tif and instrument cannot be modified";
    if (r.side > EF_SIDE_SELL) return "unknown side";
    return nullptr;
}

const char* check_ct_modify(const ef_order_request& r) noexcept {
    if (const char* e = check_ct_common(r)) return e;
    if (const char* e = check_ct_existing(r)) return e;
    if (r.qty_e9 > 0 && r.notional_e9 > 0) return "at most one of qty or notional";
    if (r.qty_e9 == 0 && r.notional_e9 == 0 && r.limit_price_e9 == 0 && r.stop_price_e9 == 0)
        return "modify changes nothing";
    return nullptr;
}

const char* check_ct_cancel(const ef_order_request& r) noexcept {
    if (om_fields_set(r)) return "OpenMarkets field set on a Connect Trade order";
    if (r.flags != 0) return "flags are for OpenMarkets orders only";
    if (const char* e = check_ct_existing(r)) return e;
    if (has_control(r.broker) || has_control(r.symbol))
        return "Connect Trade field has a control character";
    if (r.qty_e9 != 0 || r.notional_e9 != 0 || r.limit_price_e9 != 0 || r.stop_price_e9 != 0)
        return "cancel takes no quantity or price";
    return nullptr;
}

} // namespace

const char* check_request(const ef_order_request& r) noexcept {
    if (const char* e = check_strings(r)) return e;
    switch (r.kind) {
    case EF_ORDER_OM_BUY:
        return check_om_buy(r);
    case EF_ORDER_CT_NEW:
        return check_ct_new(r);
    case EF_ORDER_CT_MODIFY:
        return check_ct_modify(r);
    case EF_ORDER_CT_CANCEL:
        return check_ct_cancel(r);
    default:
        return "unknown order kind";
    }
}

} // namespace ef::orders
