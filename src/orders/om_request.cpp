// OpenMarkets buy body (see om_request.hpp). The template's pieces
// (order_protocol.hpp om_body) are copied whole; only the hash, the two
// numbers and the partner id are formatted. Driven by the order loop, once
// per OpenMarkets order.
#include "orders/om_request.hpp"

#include "orders/json_writer.hpp"
#include "orders/order_protocol.hpp"

#include <algorithm>

namespace ef::orders {

size_t write_om_buy_body(std::span<char> out, const ef_order_request& r) noexcept {
    namespace t = protocol::om_body;
    detail::json_out w(out);
    const size_t hash_len = std::min<size_t>(r.position_hash_len, EF_POSITION_HASH_MAX);
    w.lit(t::open);
    w.str({r.position_hash, hash_len});
    if (r.amount_e9 > 0) {
        w.lit(t::amount);
        w.e9(r.amount_e9);
    } else {
        w.lit(t::shares);
        w.e9(r.shares_e9);
    }
    w.lit(t::max_price);
    w.e9(r.max_price_e9);
    if (r.partner_id[0] != '\0') {
        w.lit(t::partner_id);
        w.str(detail::c_field(r.partner_id));
        w.lit(t::leg_close_after_string);
    } else {
        w.lit(t::leg_close);
    }
    if (r.flags & EF_ORDER_PAPER)
        w.lit(t::mode_paper_close);
    else
        w.lit(t::close);
    return w.done();
}

} // namespace ef::orders
