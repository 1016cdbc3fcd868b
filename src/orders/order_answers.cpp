// See order_loop.hpp. This file: what a venue's answer means for an order —
// the strategy's responses, the risk reservation it still holds, the
// Connect Trade orders left working — and reconciliation of unknown outcomes.
#include "common/clock.hpp"
#include "common/counter.hpp"
#include "json/ct_order.hpp"
#include "json/om_order_response.hpp"
#include "orders/ct_request.hpp"
#include "orders/order_protocol.hpp"
#include "orders/order_state.hpp"

#include <cstring>

namespace ef::orders {

namespace {

using json::ct_order;
using json::om_buy_leg;
using json::venue_error;
using protocol::ct_order_status;
using protocol::om_leg_status;

// Working at the venue: its notional stays reserved.
bool ct_status_is_open(ct_order_status s) noexcept {
    switch (s) {
    case ct_order_status::pending:
    case ct_order_status::working:
    case ct_order_status::partially_filled:
    case ct_order_status::pending_cancel:
    case ct_order_status::pending_replace:
    case ct_order_status::unknown: return true; // not understood: keep it reserved
    default: return false;
    }
}
// Reconciliation searches orders created from this long before the send:
// the venue's clock and ours differ a little.
constexpr int64_t search_margin_ns = 60'000'000'000;

template <size_t N>
void copy(char (&dst)[N], std::string_view s) noexcept {
    const size_t n = std::min(s.size(), N - 1);
    if (n) std::memcpy(dst, s.data(), n); // an empty view may have no data at all
    dst[n] = 0;
}

int64_t mul_e9(int64_t a, int64_t b) noexcept {
    return static_cast<int64_t>(static_cast<__int128>(a) * b / EF_SCALE_E9);
}

// Notional a Connect Trade order still holds at the venue.
int64_t ct_open_notional(const ct_order& c, int64_t executed) noexcept {
    if (!ct_status_is_open(c.status)) return 0;
    if (c.order_notional_e9 > 0) return std::max<int64_t>(0, c.order_notional_e9 - executed);
    const int64_t left = std::max<int64_t>(0, c.order_qty_e9 - c.filled_qty_e9);
    const int64_t px = c.limit_price_e9 > 0 ? c.limit_price_e9
                       : c.stop_price_e9 > 0      ? c.stop_price_e9
                                                  : c.avg_fill_price_e9;
    return mul_e9(left, px);
}

int64_t ct_executed_notional(const ct_order& c) noexcept {
    if (c.filled_qty_e9 > 0 && c.avg_fill_price_e9 > 0) return mul_e9(c.filled_qty_e9, c.avg_fill_price_e9);
    int64_t sum = 0;
    for (uint32_t i = 0; i < c.fills_count; ++i) sum += mul_e9(c.fills[i].qty_e9, c.fills[i].price_e9);
    return sum;
}

uint32_t ct_outcome(const ct_order& c, uint32_t kind) noexcept {
    switch (c.status) {
    case ct_order_status::filled: return EF_OUTCOME_FILLED;
    case ct_order_status::partially_filled: return EF_OUTCOME_PARTIAL;
    case ct_order_status::cancelled:
    case ct_order_status::expired: return EF_OUTCOME_CANCELLED;
    case ct_order_status::rejected: return EF_OUTCOME_REJECTED;
    case ct_order_status::replaced: return EF_OUTCOME_MODIFIED;
    default: return kind == EF_ORDER_CT_MODIFY ? EF_OUTCOME_MODIFIED : EF_OUTCOME_ACCEPTED;
    }
}

void fill_from_ct(ef_order_response& r, const ct_order& c) noexcept {
    copy(r.order_id, c.order_id);
    if (!c.cl_order_id.empty()) copy(r.cl_order_id, c.cl_order_id);
    copy(r.venue_status, c.status_text);
    r.filled_qty_e9 = c.filled_qty_e9;
    r.avg_price_e9 = c.avg_fill_price_e9;
    r.filled_notional_e9 = ct_executed_notional(c);
    r.fills_total = c.fills_total;
    r.fills_count = c.fills_count;
    for (uint32_t i = 0; i < c.fills_count && i < EF_ORDER_FILLS_MAX; ++i) r.fills[i] = c.fills[i];
    if (!c.broker_message.empty()) copy(r.reason, c.broker_message);
}

} // namespace

ef_order_response order_loop::response_for(const live_order& o, uint32_t outcome) const noexcept {
    ef_order_response r{};
    r.request_id = o.req.request_id;
    r.kind = o.req.kind;
    r.outcome = outcome;
    r.final_ = 1;
    std::memcpy(r.cl_order_id, o.cl_order_id, sizeof r.cl_order_id);
    r.submit_mono_ns = o.req.submit_mono_ns;
    r.sent_mono_ns = o.sent_ns;
    return r;
}

void order_loop::answer_om(live_order& o, int status, std::string_view body) noexcept {
    ef_order_slot_stats& st = channel_.stats(o.slot);
    if (status >= 500) {
        unknown(o, "the venue answered 5xx: the order may have executed");
        return;
    }
    if (status != 200) {
        venue_error e;
        ef_order_response r = response_for(o, EF_OUTCOME_REJECTED);
        r.reject_source = EF_REJECT_VENUE;
        r.reject_code = static_cast<uint32_t>(status);
        r.http_status = status;
        if (json::parse_om_error(body, e) == json::json_status::ok)
            std::snprintf(r.reason, sizeof r.reason, "%.*s: %.*s", static_cast<int>(e.code.size()), e.code.data(),
                          static_cast<int>(e.message.size()), e.message.data());
        else
            std::snprintf(r.reason, sizeof r.reason, "HTTP %d", status);
        risk_->settle(o.res, 0, 0);
        bump(st.rejected_venue);
        respond(o.slot, r, true);
        finish(o);
        return;
    }
    om_buy_leg leg;
    if (json::parse_om_buy_response(body, leg) != json::json_status::ok) {
        // A 200 we cannot read: it may hold a fill, so the outcome is unknown.
        unknown(o, "the venue's 200 answer could not be parsed");
        return;
    }
    uint32_t outcome = EF_OUTCOME_FILLED;
    switch (leg.status) {
    case om_leg_status::filled: outcome = EF_OUTCOME_FILLED; break;
    case om_leg_status::partially_filled: outcome = EF_OUTCOME_PARTIAL; break;
    case om_leg_status::unfilled: outcome = EF_OUTCOME_UNFILLED; break;
    case om_leg_status::rejected: outcome = EF_OUTCOME_REJECTED; break;
    default:
        unknown(o, "the venue answered a leg status this daemon does not know");
        return;
    }
    ef_order_response r = response_for(o, outcome);
    r.http_status = status;
    r.filled_qty_e9 = leg.filled_shares_e9;
    r.filled_notional_e9 = leg.filled_notional_e9;
    r.avg_price_e9 = leg.avg_price_e9;
    copy(r.sor_decision_id, leg.sor_decision_id);
    copy(r.partner_id, leg.partner_id);
    copy(r.venue_status, leg.status_text);
    if (!leg.reason.empty()) copy(r.reason, leg.reason);
    if (outcome == EF_OUTCOME_REJECTED) {
        r.reject_source = EF_REJECT_VENUE;
        r.reject_code = static_cast<uint32_t>(status);
        bump(st.rejected_venue);
    } else if (outcome != EF_OUTCOME_UNFILLED) {
        bump(st.filled);
    } else {
        bump(st.accepted);
    }
    // OpenMarkets buys fill at once or not at all: nothing stays open.
    risk_->settle(o.res, 0, leg.filled_notional_e9);
    publish(st.open_notional_e9, risk_->open_notional(o.slot));
    publish(st.daily_notional_e9, risk_->daily_notional(o.slot));
    respond(o.slot, r, outcome == EF_OUTCOME_REJECTED);
    finish(o);
}

void order_loop::answer_ct(live_order& o, int status, std::string_view body) noexcept {
    ef_order_slot_stats& st = channel_.stats(o.slot);
    if (status >= 500) {
        unknown(o, "the venue answered 5xx: the order may have executed");
        return;
    }
    if (status != 200 && status != 201) {
        venue_error e;
        ef_order_response r = response_for(o, EF_OUTCOME_REJECTED);
        r.reject_source = EF_REJECT_VENUE;
        r.reject_code = static_cast<uint32_t>(status);
        r.http_status = status;
        if (json::parse_ct_error(body, e) == json::json_status::ok)
            std::snprintf(r.reason, sizeof r.reason, "HTTP %d: %.*s", status, static_cast<int>(e.message.size()),
                          e.message.data());
        else
            std::snprintf(r.reason, sizeof r.reason, "HTTP %d", status);
        // A refused modify or cancel leaves the original order as it was.
        release(o.req, open_at(o.open_index), o.res, o.before);
        bump(st.rejected_venue);
        respond(o.slot, r, true);
        finish(o);
        return;
    }
    ct_order c;
    if (json::parse_ct_order(body, c) != json::json_status::ok) {
        unknown(o, "the venue's answer could not be parsed");
        return;
    }
    apply_ct_state(o, c, false);
    finish(o);
}

// The venue's current state of an order this loop sent (answer or query):
// responses, risk and the working-orders table follow it.
void order_loop::apply_ct_state(live_order& o, const ct_order& c, bool reconciled) noexcept {
    ef_order_slot_stats& st = channel_.stats(o.slot);
    const uint32_t outcome = ct_outcome(c, o.req.kind);
    ef_order_response r = response_for(o, reconciled ? EF_OUTCOME_RECONCILED : outcome);
    r.http_status = 200;
    fill_from_ct(r, c);
    const int64_t executed = ct_executed_notional(c);
    const int64_t still_open = ct_open_notional(c, executed);
    open_order* prior = open_at(o.open_index);
    if (prior && !prior->used) prior = nullptr;
    if (o.req.kind == EF_ORDER_CT_CANCEL) {
        // The cancelled order releases what it held (its fills stay in the day).
        if (prior) {
            risk_->settle(prior->res, still_open, executed);
            if (!ct_status_is_open(c.status)) drop_open(prior);
        }
    } else {
        // New or modify: o.res is the order's reservation (a modify's carries
        // the old order's, adjusted); the venue's state settles it.
        risk_->settle(o.res, still_open, executed);
        if (prior) drop_open(prior); // replaced by the order the modify made
        if (ct_status_is_open(c.status) && !add_open(o, c.order_id)) {
            // Untracked but working: its reservation stays held.
            note(o.slot, "orders: working-orders table full; the order's notional stays reserved");
        }
    }
    if (outcome == EF_OUTCOME_REJECTED) {
        r.reject_source = EF_REJECT_VENUE;
        bump(st.rejected_venue);
    } else if (outcome == EF_OUTCOME_FILLED || outcome == EF_OUTCOME_PARTIAL) {
        bump(st.filled);
    } else {
        bump(st.accepted);
    }
    if (reconciled) bump(st.reconciled);
    publish(st.open_notional_e9, risk_->open_notional(o.slot));
    publish(st.daily_notional_e9, risk_->daily_notional(o.slot));
    respond(o.slot, r, outcome == EF_OUTCOME_REJECTED);
}

void order_loop::unknown(live_order& o, const char* why) noexcept {
    ef_order_slot_stats& st = channel_.stats(o.slot);
    bump(st.unknown);
    ef_order_response r = response_for(o, EF_OUTCOME_UNKNOWN);
    std::snprintf(r.reason, sizeof r.reason, "%s", why);
    if (o.req.kind == EF_ORDER_OM_BUY) {
        // OpenMarkets has no order query: the outcome cannot be looked up.
        // Count the whole stake as executed (the safe side for the limits).
        std::snprintf(r.reason, sizeof r.reason, "%s; OpenMarkets has no order query: check the account", why);
        risk_->settle(o.res, 0, o.res.open_e9);
        respond(o.slot, r);
        finish(o);
        return;
    }
    r.final_ = 0; // a RECONCILED response follows
    respond(o.slot, r);
    o.ph = live_order::phase::reconcile_wait;
    ++reconciling_;
    o.attempts = 0;
    o.cursor_len = 0;
    o.next_ns = mono_ns() + opts_.reconcile_interval_ns;
    loop_->schedule(o.next_ns);
}

// Connect Trade: GET /orders filtered by symbol and side from shortly before
// the send, scanned page by page for our cl_order_id.
void order_loop::send_reconcile(live_order& o) noexcept {
    if (o.attempts >= opts_.reconcile_attempts) {
        ef_order_response r = response_for(o, EF_OUTCOME_UNKNOWN);
        std::snprintf(r.reason, sizeof r.reason,
                      "reconciliation gave up after %u queries: the order's notional stays reserved", o.attempts);
        note(o.slot, r.reason);
        respond(o.slot, r);
        finish(o);
        return;
    }
    ++o.attempts;
    const open_order* prior = o.open_index < opts_.max_open_orders ? &open_[o.open_index] : nullptr;
    const bool by_prior = o.req.kind == EF_ORDER_CT_CANCEL;
    const ef_order_request& values = by_prior && prior ? prior->req : o.merged;
    const std::string_view symbol{values.symbol, ::strnlen(values.symbol, sizeof values.symbol)};
    const uint8_t side = values.side;
    const size_t n = write_ct_list_target({target_.get(), 1024}, symbol, side, o.sent_unix_ns - search_margin_ns,
                                          {o.cursor, o.cursor_len});
    const ct_account& a = opts_.ct_accounts[o.ct_account];
    const http::header extra[2] = {{protocol::ct_header_user_id, a.user_id},
                                   {protocol::ct_header_user_secret, a.user_secret.view()}};
    const uint32_t index = static_cast<uint32_t>(&o - orders_.get());
    o.ph = live_order::phase::reconciling;
    if (n == 0 || !ct_->send(*this, request_tag(index, purpose_reconcile), protocol::ct_list_method,
                             {target_.get(), n}, extra, {}, false)) {
        o.ph = live_order::phase::reconcile_wait;
        o.next_ns = mono_ns() + opts_.reconcile_interval_ns;
        loop_->schedule(o.next_ns);
    }
}

void order_loop::answer_reconcile(live_order& o, int status, std::string_view body) noexcept {
    auto retry = [&](const char* why) {
        note(o.slot, why);
        o.cursor_len = 0;
        o.ph = live_order::phase::reconcile_wait;
        o.next_ns = mono_ns() + opts_.reconcile_interval_ns;
        loop_->schedule(o.next_ns);
    };
    if (status != 200) {
        retry("reconciliation query refused");
        return;
    }
    const open_order* prior = o.open_index < opts_.max_open_orders ? &open_[o.open_index] : nullptr;
    const std::string_view want = o.req.kind == EF_ORDER_CT_CANCEL
                                      ? (prior ? std::string_view{prior->cl_order_id} : std::string_view{})
                                      : std::string_view{o.cl_order_id};
    ct_order c;
    bool found = false;
    std::string_view next;
    if (want.empty() || json::find_ct_order(body, want, c, found, next) != json::json_status::ok) {
        retry("reconciliation answer could not be read");
        return;
    }
    if (found) {
        apply_ct_state(o, c, true);
        finish(o);
        return;
    }
    if (!next.empty() && next.size() < sizeof o.cursor) {
        std::memcpy(o.cursor, next.data(), next.size());
        o.cursor_len = next.size();
        --o.attempts; // the next page continues this search
        send_reconcile(o);
        return;
    }
    o.cursor_len = 0;
    if (o.attempts < 3) {
        // Not listed yet may mean not processed yet: look again.
        retry("reconciliation: not found yet");
        return;
    }
    // Searched several times: the venue never received it. Nothing executed.
    ef_order_response r = response_for(o, EF_OUTCOME_RECONCILED);
    copy(r.venue_status, "not_found");
    std::snprintf(r.reason, sizeof r.reason, "not at the venue after %u queries: it never arrived", o.attempts);
    release(o.req, open_at(o.open_index), o.res, o.before);
    bump(channel_.stats(o.slot).reconciled);
    respond(o.slot, r);
    finish(o);
}

order_loop::open_order* order_loop::find_open(std::string_view order_id) noexcept {
    if (order_id.empty()) return nullptr;
    for (uint32_t i = 0; i < opts_.max_open_orders; ++i)
        if (open_[i].used && order_id == open_[i].order_id) return &open_[i];
    return nullptr;
}

bool order_loop::add_open(const live_order& o, std::string_view order_id) noexcept {
    open_order* e = find_open(order_id);
    for (uint32_t i = 0; !e && i < opts_.max_open_orders; ++i)
        if (!open_[i].used) e = &open_[i];
    if (!e) return false;
    e->used = true;
    e->slot = o.slot;
    e->ct_account = o.ct_account;
    copy(e->order_id, order_id);
    copy(e->cl_order_id, o.cl_order_id);
    e->req = o.req.kind == EF_ORDER_CT_MODIFY ? o.merged : o.req;
    e->res = o.res;
    return true;
}

void order_loop::drop_open(open_order* e) noexcept { e->used = false; }

} // namespace ef::orders
