// Connect Trade bodies and targets (see ct_request.hpp). Template pieces from
// order_protocol.hpp (ct_body, ct_target_*, ct_list_*) are copied whole; ids
// are escaped or percent-encoded, numbers formatted exactly from e9. Driven
// by the order loop: new, modify and cancel on the hot path, the list target
// when an UNKNOWN is reconciled.
#include "orders/ct_request.hpp"

#include "http/uri.hpp"
#include "json/timestamp.hpp"
#include "orders/json_writer.hpp"
#include "orders/order_protocol.hpp"

namespace ef::orders {

namespace {

// Words from the enums of orders.h; an out-of-range value gives "", which
// check_request has already refused.
template <size_t N>
std::string_view word(const std::string_view (&words)[N], unsigned i) noexcept {
    return i < N ? words[i] : words[0];
}

// A JSON string holding v's exact decimal: the piece before it ends with the
// opening quote, the next piece starts with the closing one.
template <size_t N>
void number_member(detail::json_out& w, const char (&key)[N], int64_t v) noexcept {
    w.lit(key);
    w.e9(v);
}

// A percent-encoded segment or query value, written in place.
void encoded(detail::json_out& w, std::string_view s) noexcept {
    std::string_view enc;
    if (http::percent_encode_segment(s, w.room(), enc) != http::codec_status::ok) {
        w.fail();
        return;
    }
    w.skip(enc.size());
}

} // namespace

size_t write_ct_new_body(std::span<char> out, const ef_order_request& r,
                         std::string_view cl_order_id) noexcept {
    namespace t = protocol::ct_body;
    detail::json_out w(out);
    w.lit(t::new_open);
    w.str(detail::c_field(r.account));
    w.lit(t::cl_order_id);
    w.str(cl_order_id);
    w.lit(t::broker);
    w.str(detail::c_field(r.broker));
    w.lit(t::side);
    w.raw(word(protocol::ct_side_words, r.side));
    w.lit(t::order_type);
    w.raw(word(protocol::ct_order_type_words, r.order_type));
    w.lit(t::order_tif);
    w.raw(word(protocol::ct_tif_words, r.tif));
    w.lit(t::instrument);
    w.str(detail::c_field(r.instrument));
    w.lit(t::symbol);
    w.str(detail::c_field(r.symbol));
    if (r.qty_e9 > 0)
        number_member(w, t::order_qty, r.qty_e9);
    else
        number_member(w, t::order_notional, r.notional_e9);
    if (r.order_type == EF_TYPE_LMT || r.order_type == EF_TYPE_STPLMT)
        number_member(w, t::order_limit_price, r.limit_price_e9);
    if (r.order_type == EF_TYPE_STP || r.order_type == EF_TYPE_STPLMT)
        number_member(w, t::stop_price, r.stop_price_e9);
    w.lit(t::close);
    return w.done();
}

size_t write_ct_modify_body(std::span<char> out, const ef_order_request& r,
                            std::string_view new_cl_order_id) noexcept {
    namespace t = protocol::ct_body;
    detail::json_out w(out);
    w.lit(t::modify_open);
    w.str(new_cl_order_id);
    w.lit(t::broker);
    w.str(detail::c_field(r.broker));
    if (r.qty_e9 > 0) number_member(w, t::order_qty, r.qty_e9);
    if (r.notional_e9 > 0) number_member(w, t::order_notional, r.notional_e9);
    if (r.limit_price_e9 > 0) number_member(w, t::order_limit_price, r.limit_price_e9);
    if (r.stop_price_e9 > 0) number_member(w, t::stop_price, r.stop_price_e9);
    w.lit(t::close);
    return w.done();
}

size_t write_ct_order_target(std::span<char> out, std::string_view account_id,
                             std::string_view order_id) noexcept {
    detail::json_out w(out);
    w.lit(protocol::ct_target_accounts);
    encoded(w, account_id);
    w.lit(protocol::ct_target_orders);
    encoded(w, order_id);
    return w.done();
}

size_t write_ct_list_target(std::span<char> out, std::string_view symbol, uint8_t side,
                            int64_t start_unix_ns, std::string_view cursor) noexcept {
    detail::json_out w(out);
    w.lit(protocol::ct_list_status_all);
    if (!symbol.empty()) {
        w.lit(protocol::ct_list_symbols);
        encoded(w, symbol);
    }
    if (side == EF_SIDE_BUY || side == EF_SIDE_SELL) {
        w.lit(protocol::ct_list_side);
        w.raw(protocol::ct_side_words[side]);
    }
    w.lit(protocol::ct_list_start_time);
    char ts[json::timestamp_max_chars];
    const size_t ts_len = json::format_timestamp_ns(start_unix_ns, ts);
    if (ts_len == 0) return 0;
    // RFC 3986 3.4: ':' is a pchar, legal in a query as it stands.
    w.raw({ts, ts_len});
    w.lit(protocol::ct_list_limit_param);
    if (!cursor.empty()) {
        w.lit(protocol::ct_list_next_cursor);
        encoded(w, cursor);
    }
    return w.done();
}

} // namespace ef::orders
