// See order_loop.hpp. This file: the thread, the strategy rings, checks and
// sending; order_answers.cpp turns venue answers into responses.
#include "orders/order_loop.hpp"

#include "common/clock.hpp"
#include "common/counter.hpp"
#include "common/histogram.hpp"
#include "common/log.hpp"
#include "orders/book_reference.hpp"
#include "orders/ct_request.hpp"
#include "orders/om_request.hpp"
#include "orders/order_protocol.hpp"
#include "orders/order_state.hpp"
#include "orders/request_check.hpp"
#include "platform/cpu.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace ef::orders {

namespace {
constexpr size_t body_bytes = 4096;
constexpr size_t target_bytes = 1024;
constexpr size_t wire_bytes = target_bytes + 16;
} // namespace

order_loop::order_loop(order_loop_options opts, book::book_region& region, const tls::tls_context& om_tls,
                       const tls::tls_context& ct_tls, order_channel_region& channel, journal_writer& journal,
                       cl_order_id_source& ids)
    : opts_(std::move(opts)), region_(region), om_tls_(om_tls), ct_tls_(ct_tls), channel_(channel),
      journal_(journal), ids_(ids) {
    orders_.reset(new live_order[opts_.max_in_flight]);
    free_orders_.reserve(opts_.max_in_flight);
    for (uint32_t i = opts_.max_in_flight; i-- > 0;) free_orders_.push_back(i);
    open_.reset(new open_order[opts_.max_open_orders]);
    deferred_.reset(new deferred[opts_.deferred_responses]);
    body_.reset(new char[body_bytes]);
    target_.reset(new char[target_bytes]);
    wire_.reset(new char[wire_bytes]);
    sink_.reset(new char[body_bytes]);
    risk_ = std::make_unique<risk_engine>(opts_.strategies, opts_.accounts);
}

order_loop::~order_loop() { join(); }

status order_loop::start(const std::atomic<bool>& stop) {
    std::promise<status> ready;
    auto fut = ready.get_future();
    thread_ = std::thread(&order_loop::thread_main, this, &stop, &ready);
    status s = fut.get();
    if (!s) join();
    return s;
}

void order_loop::join() {
    if (thread_.joinable()) thread_.join();
}

status order_loop::set_up() {
    if (opts_.core >= 0)
        if (auto s = platform::pin_current_thread(opts_.core); !s) return s;
    platform::name_current_thread("ef-orders");
    stats_ = region_.loop_stats(opts_.loop_index);
    publish(stats_->core, static_cast<uint32_t>(opts_.core));
    publish(stats_->tid, static_cast<uint32_t>(platform::current_tid()));
    publish(stats_->idle_strategy, static_cast<uint32_t>(opts_.idle.mode));
    const unsigned conns = (opts_.om_enabled ? opts_.om.connections : 0) +
                           (opts_.ct_enabled ? opts_.ct.connections : 0);
    publish(stats_->connections, static_cast<uint32_t>(conns));

    auto pool = tls::tls_memory::pool::create(opts_.tls_pool_bytes);
    if (!pool) return std::move(pool).err().context("order loop TLS pool");
    tls_pool_.emplace(std::move(pool).value());
    tls::tls_memory::attach_thread_pool(*tls_pool_);

    opts_.uring.fixed_files = std::max<unsigned>(opts_.uring.fixed_files, conns * 2 + 4);
    auto ring = platform::uring_loop::create(opts_.uring);
    if (!ring) return std::move(ring).err().context("order loop");
    ring_ = std::move(ring).value();
    loop_ = std::make_unique<net::event_loop>(*ring_, opts_.idle, stats_, conns + 4);
    (void)loop_->add_owner(this);
    auto slots = [&](uint32_t first, unsigned n) {
        std::vector<ef_conn_stats*> v;
        for (unsigned k = 0; k < n; ++k) {
            v.push_back(region_.conn_stats(first + k));
            publish(v.back()->loop, opts_.loop_index);
        }
        return v;
    };
    ef_histogram* rtt = &stats_->stages[EF_STAGE_order_round_trip];
    if (opts_.om_enabled)
        om_ = std::make_unique<net::https_client>(*loop_, om_tls_, opts_.om,
                                                  slots(opts_.om_conn_index, opts_.om.connections), rtt);
    if (opts_.ct_enabled)
        ct_ = std::make_unique<net::https_client>(*loop_, ct_tls_, opts_.ct,
                                                  slots(opts_.ct_conn_index, opts_.ct.connections), rtt);
    for (uint32_t s = 0; s < channel_.slot_count() && s < opts_.start_halted.size(); ++s)
        if (opts_.start_halted[s]) channel_.set_halted(s, true);
    return ok();
}

void order_loop::thread_main(const std::atomic<bool>* stop, std::promise<status>* ready) {
    status s = set_up();
    const bool up = s.ok();
    ready->set_value(std::move(s));
    if (!up) return;
    if (om_) om_->start();
    if (ct_) ct_->start();
    channel_.set_loop_state(1);
    next_warm_ = mono_ns();
    loop_->schedule(next_warm_);
    while (!stop->load(std::memory_order_relaxed)) {
        const unsigned taken = poll_strategies();
        if (deferred_count_) flush_deferred();
        // Block (per the idle policy) only when no ring had anything.
        loop_->poll_once(taken == 0);
    }
    channel_.set_loop_state(2);
    // Answers already on their way are still worth waiting for: an order
    // left in flight at exit would be reported UNKNOWN.
    const int64_t deadline = mono_ns() + opts_.shutdown_grace_ns;
    while (free_orders_.size() + reconciling_ < opts_.max_in_flight && mono_ns() < deadline) {
        loop_->poll_once(false);
        if (deferred_count_) flush_deferred();
    }
    if (om_) om_->stop();
    if (ct_) ct_->stop();
    for (int i = 0; i < 100 && deferred_count_; ++i) flush_deferred();
    om_.reset();
    ct_.reset();
    tls::tls_memory::detach_thread_pool();
}

unsigned order_loop::poll_strategies() noexcept {
    unsigned taken = 0;
    const int64_t now = mono_ns();
    channel_.heartbeat(now);
    ef_order_request req;
    for (uint32_t s = 0; s < channel_.slot_count(); ++s) {
        // A few per slot per pass: one busy strategy cannot starve the others.
        for (int k = 0; k < 16 && channel_.pop_request(s, req); ++k) {
            take(s, req);
            ++taken;
        }
    }
    return taken;
}

void order_loop::reject(uint32_t slot, const ef_order_request& req, uint32_t source, uint32_t code,
                        const char* reason) noexcept {
    ef_order_response r{};
    r.request_id = req.request_id;
    r.kind = req.kind;
    r.outcome = EF_OUTCOME_REJECTED;
    r.reject_source = source;
    r.reject_code = code;
    r.final_ = 1;
    r.submit_mono_ns = req.submit_mono_ns;
    std::snprintf(r.reason, sizeof r.reason, "%s", reason);
    journal_.append_request(slot, channel_.slot_name(slot), req, {}, unix_ns(), mono_ns());
    ef_order_slot_stats& st = channel_.stats(slot);
    switch (source) {
    case EF_REJECT_RISK: bump(st.rejected_risk); break;
    case EF_REJECT_INVALID: bump(st.rejected_invalid); break;
    case EF_REJECT_VENUE: bump(st.rejected_venue); break;
    default: bump(st.rejected_daemon); break;
    }
    respond(slot, r, true);
}

void order_loop::take(uint32_t slot, const ef_order_request& req) noexcept {
    const int64_t now = mono_ns();
    bump(channel_.stats(slot).submitted);

    // 1. Well-formed: whatever the venue would refuse with a 400 never leaves.
    if (const char* bad = check_request(req)) {
        reject(slot, req, EF_REJECT_INVALID, 0, bad);
        return;
    }
    const bool is_ct = req.kind != EF_ORDER_OM_BUY;
    if (is_ct ? !ct_ : !om_) {
        reject(slot, req, EF_REJECT_DAEMON, 0,
               is_ct ? "Connect Trade orders are not enabled (orders.connecttrade.enabled)"
                     : "OpenMarkets orders are not enabled");
        return;
    }
    int ct_acct = -1;
    if (is_ct) {
        ct_acct = ct_account_index({req.account, ::strnlen(req.account, sizeof req.account)});
        if (ct_acct < 0) {
            reject(slot, req, EF_REJECT_INVALID, 0,
                   "no Connect Trade credentials for this account (orders.connecttrade.accounts)");
            return;
        }
    }
    // Modify and cancel name a Connect Trade order this daemon placed and
    // still tracks as working: its reservation and values are here.
    open_order* target = nullptr;
    ef_order_request checked = req;
    reservation res{};
    if (req.kind == EF_ORDER_CT_MODIFY || req.kind == EF_ORDER_CT_CANCEL) {
        target = find_open({req.order_id, ::strnlen(req.order_id, sizeof req.order_id)});
        if (target && target->slot != slot) {
            reject(slot, req, EF_REJECT_INVALID, 0, "order_id belongs to another strategy");
            return;
        }
        if (!target && req.kind == EF_ORDER_CT_MODIFY) {
            reject(slot, req, EF_REJECT_INVALID, 0, "order_id is not a working order placed by this daemon");
            return;
        }
        if (target && req.kind == EF_ORDER_CT_MODIFY) {
            // Risk sees the order as it will be: its values, the modify's changes.
            checked = target->req;
            checked.kind = EF_ORDER_CT_MODIFY;
            checked.request_id = req.request_id;
            checked.submit_mono_ns = req.submit_mono_ns;
            if (req.qty_e9 > 0 || req.notional_e9 > 0) {
                checked.qty_e9 = req.qty_e9;
                checked.notional_e9 = req.notional_e9;
            }
            if (req.limit_price_e9 > 0) checked.limit_price_e9 = req.limit_price_e9;
            if (req.stop_price_e9 > 0) checked.stop_price_e9 = req.stop_price_e9;
            res = target->res;
        }
    }

    // 2. Pre-trade risk, against the book's current best for OpenMarkets.
    int64_t best = 0;
    if (req.kind == EF_ORDER_OM_BUY) {
        const book_price p = read_book_price(
            region_, {req.position_hash, std::min<size_t>(req.position_hash_len, EF_POSITION_HASH_MAX)},
            {req.partner_id, ::strnlen(req.partner_id, sizeof req.partner_id)});
        best = p.price_e9;
    }
    const risk_verdict v = risk_->check_and_reserve(slot, checked, best, now, unix_ns(), channel_.halted_all(),
                                                    channel_.halted(slot), res);
    if (v.limit != 0) {
        reject(slot, req, EF_REJECT_RISK, v.limit, v.reason);
        return;
    }
    // What to restore if the venue refuses a modify.
    const reservation before = target ? target->res : reservation{};

    live_order* o = claim_order();
    if (!o) {
        release(req, target, res, before);
        reject(slot, req, EF_REJECT_DAEMON, 0, "orders.max_in_flight reached: not sent");
        return;
    }
    o->slot = slot;
    o->req = req;
    o->merged = checked;
    o->res = res;
    o->before = before;
    o->ct_account = static_cast<uint32_t>(std::max(ct_acct, 0));
    o->open_index = target ? static_cast<uint32_t>(target - open_.get()) : UINT32_MAX;
    o->cl_order_id[0] = 0;
    if (req.kind != EF_ORDER_CT_CANCEL && ids_.next(o->cl_order_id, unix_ns()) == 0) {
        release(req, target, res, before);
        finish(*o);
        reject(slot, req, EF_REJECT_DAEMON, 0, "no cl_order_id could be reserved on disk: not sent");
        return;
    }
    o->attempts = 0;
    o->cursor_len = 0;
    o->sent_ns = 0;
    o->sent_unix_ns = unix_ns();
    journal_.append_request(slot, channel_.slot_name(slot), req, o->cl_order_id, o->sent_unix_ns, now);
    if (!send_order(*o)) finish(*o);
}

// Gives back what check_and_reserve took for an order that is not sent.
void order_loop::release(const ef_order_request& req, open_order* target, reservation& res,
                         const reservation& before) noexcept {
    if (req.kind == EF_ORDER_CT_CANCEL) return; // reserved nothing
    if (req.kind == EF_ORDER_CT_MODIFY && target) {
        risk_->settle(res, before.open_e9, before.executed_e9);
        target->res = res;
        return;
    }
    risk_->settle(res, 0, 0);
}

bool order_loop::send_order(live_order& o) noexcept {
    const ef_order_request& req = o.req;
    size_t body = 0, target = 0;
    std::string_view method = protocol::om_buy_method;
    net::https_client* client = nullptr;
    http::header extra[2];
    size_t extra_n = 0;
    switch (req.kind) {
    case EF_ORDER_OM_BUY:
        body = write_om_buy_body({body_.get(), body_bytes}, req);
        target = opts_.om_orders_target.size();
        std::memcpy(target_.get(), opts_.om_orders_target.data(), target);
        extra[extra_n++] = {protocol::om_header_account,
                            {req.account, ::strnlen(req.account, sizeof req.account)}};
        client = om_.get();
        break;
    case EF_ORDER_CT_NEW:
        body = write_ct_new_body({body_.get(), body_bytes}, req, o.cl_order_id);
        target = protocol::ct_new_path.size();
        std::memcpy(target_.get(), protocol::ct_new_path.data(), target);
        client = ct_.get();
        break;
    case EF_ORDER_CT_MODIFY:
    case EF_ORDER_CT_CANCEL: {
        const std::string_view acct{req.account, ::strnlen(req.account, sizeof req.account)};
        const std::string_view id{req.order_id, ::strnlen(req.order_id, sizeof req.order_id)};
        target = write_ct_order_target({target_.get(), target_bytes}, acct, id);
        if (req.kind == EF_ORDER_CT_MODIFY) {
            body = write_ct_modify_body({body_.get(), body_bytes}, req, o.cl_order_id);
            method = protocol::ct_modify_method;
        } else {
            method = protocol::ct_cancel_method;
            body = 1; // no body: only "fits" matters below
        }
        client = ct_.get();
        break;
    }
    default: break;
    }
    if (client == ct_.get() && client) {
        const ct_account& a = opts_.ct_accounts[o.ct_account];
        extra[extra_n++] = {protocol::ct_header_user_id, a.user_id};
        extra[extra_n++] = {protocol::ct_header_user_secret, a.user_secret.view()};
    }
    if (!client || body == 0 || target == 0) {
        release(o.req, open_at(o.open_index), o.res, o.before);
        reject(o.slot, req, EF_REJECT_DAEMON, 0, "the request does not fit its buffer: not sent");
        return false;
    }
    const bool is_om = req.kind == EF_ORDER_OM_BUY;
    const std::string_view body_view = req.kind == EF_ORDER_CT_CANCEL ? std::string_view{}
                                                                      : std::string_view{body_.get(), body};
    o.ph = live_order::phase::sending;
    const uint32_t index = static_cast<uint32_t>(&o - orders_.get());
    // Journal what goes out (never the headers: they carry the secrets).
    journal_.append_wire_out(o.slot, is_om ? journal::venue::openmarkets : journal::venue::connect_trade,
                             o.cl_order_id, method, {target_.get(), target}, body_view, unix_ns(), mono_ns());
    if (!client->send(*this, request_tag(index, purpose_order), method, {target_.get(), target}, {extra, extra_n},
                      body_view, true)) {
        release(o.req, open_at(o.open_index), o.res, o.before);
        reject(o.slot, req, EF_REJECT_DAEMON, 0, "the venue connection queue is full: not sent");
        return false;
    }
    return true;
}

void order_loop::on_https_sent(uint64_t tag, int64_t mono) noexcept {
    live_order& o = orders_[tag >> 1];
    if ((tag & 1) != purpose_order || o.ph != live_order::phase::sending) return;
    o.ph = live_order::phase::awaiting;
    o.sent_ns = mono;
    ef_order_slot_stats& st = channel_.stats(o.slot);
    bump(st.sent);
    const int64_t lat = mono - o.req.submit_mono_ns;
    publish(st.last_submit_to_send_ns, lat);
    if (lat > 0) record_latency(stats_->stages[EF_STAGE_order_submit_to_sent], lat);
}

void order_loop::on_https_response(uint64_t tag, int status, std::string_view body, int64_t) noexcept {
    live_order& o = orders_[tag >> 1];
    journal_.append_wire_in(o.slot, o.cl_order_id, status, body, unix_ns(), mono_ns());
    if ((tag & 1) == purpose_reconcile) {
        answer_reconcile(o, status, body);
        return;
    }
    if (o.req.kind == EF_ORDER_OM_BUY) answer_om(o, status, body);
    else answer_ct(o, status, body);
}

void order_loop::on_https_failure(uint64_t tag, net::https_failure why, const char* text) noexcept {
    live_order& o = orders_[tag >> 1];
    char buf[EF_REASON_MAX];
    std::snprintf(buf, sizeof buf, "%s: %s", net::to_string(why), text);
    if ((tag & 1) == purpose_reconcile) {
        note(o.slot, buf);
        o.ph = live_order::phase::reconcile_wait;
        o.next_ns = mono_ns() + opts_.reconcile_interval_ns;
        loop_->schedule(o.next_ns);
        return;
    }
    // Never written: nothing reached the venue, so this is a plain reject.
    if (o.ph == live_order::phase::sending || why == net::https_failure::not_sent ||
        why == net::https_failure::queue_full) {
        release(o.req, open_at(o.open_index), o.res, o.before);
        reject(o.slot, o.req, EF_REJECT_DAEMON, 0, buf);
        finish(o);
        return;
    }
    // Sent and then lost: the venue may have acted. Never retried blindly.
    unknown(o, buf);
}

int64_t order_loop::on_deadline(int64_t now) noexcept {
    int64_t next = net::no_deadline;
    if (opts_.warm_interval_ns > 0) {
        if (now >= next_warm_) {
            warm();
            next_warm_ = now + opts_.warm_interval_ns;
        }
        next = next_warm_;
    }
    if (reconciling_) {
        for (uint32_t i = 0; i < opts_.max_in_flight; ++i) {
            live_order& o = orders_[i];
            if (o.ph != live_order::phase::reconcile_wait) continue;
            if (now >= o.next_ns) send_reconcile(o);
            if (o.ph == live_order::phase::reconcile_wait) next = std::min(next, o.next_ns);
        }
    }
    return next;
}

// Keeps the order path's code and data warm (FIELD.md "cold order path"): an
// order sent once a minute otherwise finds caches and predictors cold. The
// same checks and template writers run on a canned order into a sink; nothing
// is reserved and nothing is sent.
void order_loop::warm() noexcept {
    ef_order_request req{};
    req.kind = EF_ORDER_OM_BUY;
    std::memcpy(req.account, "warm", 5);
    static constexpr char hash[] = "warm:m:s:v:p:t";
    std::memcpy(req.position_hash, hash, sizeof hash - 1);
    req.position_hash_len = sizeof hash - 1;
    req.amount_e9 = 50 * EF_SCALE_E9;
    req.max_price_e9 = EF_SCALE_E9 / 2;
    (void)check_request(req);
    (void)read_book_price(region_, {req.position_hash, req.position_hash_len}, {});
    (void)write_om_buy_body({sink_.get(), body_bytes}, req);
    req.kind = EF_ORDER_CT_NEW;
    (void)write_ct_new_body({sink_.get(), body_bytes}, req, "warm");
}

void order_loop::note(uint32_t slot, std::string_view text) noexcept {
    journal_.append_note(slot, {}, text, unix_ns(), mono_ns());
}

order_loop::live_order* order_loop::claim_order() noexcept {
    if (free_orders_.empty()) return nullptr;
    live_order* o = &orders_[free_orders_.back()];
    free_orders_.pop_back();
    return o;
}

void order_loop::finish(live_order& o) noexcept {
    if (o.ph == live_order::phase::reconciling || o.ph == live_order::phase::reconcile_wait) --reconciling_;
    o.ph = live_order::phase::free;
    free_orders_.push_back(static_cast<uint32_t>(&o - orders_.get())); // capacity reserved
}

void order_loop::respond(uint32_t slot, const ef_order_response& r0, bool as_reject) noexcept {
    ef_order_response r = r0;
    r.done_mono_ns = mono_ns();
    if (as_reject) journal_.append_reject(slot, r, unix_ns(), r.done_mono_ns);
    else journal_.append_response(slot, r, unix_ns(), r.done_mono_ns);
    // Order matters per strategy: once one response waits, later ones wait too.
    if (deferred_count_ == 0 && channel_.push_response(slot, r)) return;
    bump(channel_.stats(slot).responses_deferred);
    if (deferred_count_ == opts_.deferred_responses) {
        ++deferred_lost_; // journaled above; the strategy must read the journal
        EF_LOG_ERROR("orders: {} response(s) could not be held for full strategy rings (kept in the journal)",
                     deferred_lost_);
        return;
    }
    deferred& d = deferred_[(deferred_head_ + deferred_count_) % opts_.deferred_responses];
    d.slot = slot;
    d.r = r;
    ++deferred_count_;
}

void order_loop::flush_deferred() noexcept {
    while (deferred_count_) {
        deferred& d = deferred_[deferred_head_];
        if (!channel_.push_response(d.slot, d.r)) return;
        deferred_head_ = (deferred_head_ + 1) % opts_.deferred_responses;
        --deferred_count_;
    }
}

order_loop::open_order* order_loop::open_at(uint32_t i) noexcept {
    return i < opts_.max_open_orders ? &open_[i] : nullptr;
}

int order_loop::ct_account_index(std::string_view account) const noexcept {
    for (size_t i = 0; i < opts_.ct_accounts.size(); ++i)
        if (opts_.ct_accounts[i].account_id == account) return static_cast<int>(i);
    return -1;
}

} // namespace ef::orders
