// contest_sync (see contest_sync.hpp): the snapshot state machine per contest,
// the hold buffer, and the contest-state hydration.
#include "feed/contest_sync.hpp"

#include "common/backoff.hpp"
#include "common/clock.hpp"
#include "common/counter.hpp"
#include "feed/protocol_rules.hpp"
#include "http/uri.hpp"
#include "json/contest_state.hpp"
#include "json/rest_common.hpp"
#include "json/rest_liquidity.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace ef::feed {

namespace {

// A request's tag: what it is, for which contest, which attempt.
enum class tag_kind : uint64_t { snapshot = 1, state_batch = 2 };
constexpr uint64_t make_tag(tag_kind k, uint32_t contest, uint32_t gen) {
    return (static_cast<uint64_t>(k) << 62) | (uint64_t{contest & 0x3fffffffu} << 32) | gen;
}
constexpr tag_kind tag_kind_of(uint64_t t) { return static_cast<tag_kind>(t >> 62); }
constexpr uint32_t tag_contest(uint64_t t) { return static_cast<uint32_t>(t >> 32) & 0x3fffffffu; }
constexpr uint32_t tag_gen(uint64_t t) { return static_cast<uint32_t>(t); }

constexpr size_t hold_header = 8;
constexpr size_t pad8(size_t n) { return (n + 7) & ~size_t{7}; }

} // namespace

contest_sync::contest_sync(net::event_loop& loop, net::https_client* rest, book::book_region& region,
                           book::position_writer& writer, book_applier& applier,
                           conn_report& report, uint32_t conn_index, contest_sync_options opts)
    : loop_(loop), rest_(rest), region_(region), writer_(writer), applier_(applier),
      report_(report), conn_index_(conn_index), opts_(opts),
      max_contests_(region.spec().caps.max_contests), rng_(opts.seed ^ 0x5eedULL) {
    slots_.reset(new contest_slot[max_contests_]);
    hold_.reset(new uint8_t[opts_.hold_bytes]);
    scratch_mem_.reset(new char[opts_.max_rest_body_bytes]);
    scratch_ = json::scratch({scratch_mem_.get(), opts_.max_rest_body_bytes});
    replay_msg_ = std::make_unique<json::stream_message>();
    levels_cap_ = region.spec().caps.max_partners;
    levels_.reset(new book::level_change[levels_cap_]);
    // The batch body: {"contest_ids":[...]} with up to 200 quoted ids.
    target_cap_ = 64 + openmarkets::max_contests_per_connection * (EF_CONTEST_ID_MAX * 3 + 3);
    target_.reset(new char[target_cap_]);
}

contest_sync::~contest_sync() = default;

std::string_view contest_sync::contest_id(uint32_t contest) const noexcept {
    const ef_contest* c = region_.contest(contest);
    return {c->id, ::strnlen(c->id, EF_CONTEST_ID_MAX)};
}

bool contest_sync::in_sync(uint32_t contest) const noexcept {
    return contest < max_contests_ && slots_[contest].ph == phase::synced;
}

// ------------------------------------------------------------ connection

void contest_sync::on_connection_lost() noexcept {
    for (uint32_t c = 0; c < max_contests_; ++c) {
        contest_slot& s = slots_[c];
        if (s.ph == phase::idle) continue;
        ++s.gen; // an answer still in flight belongs to the old session
        s.ph = phase::idle;
        s.again = false;
        s.held = 0;
        s.failures = 0;
    }
    in_flight_ = 0;
    ++state_gen_;
    drop_all_held();
}

void contest_sync::on_subscribed(uint32_t contest) noexcept {
    if (contest >= max_contests_) return;
    contest_slot& s = slots_[contest];
    region_.set_contest_connection(contest, conn_index_);
    if (s.ph == phase::synced || s.ph == phase::in_flight || s.ph == phase::wanted ||
        s.ph == phase::retry)
        return; // a repeated confirmation (resubscribe after discovery) changes nothing
    want(contest, EF_STALE_AWAITING_SNAPSHOT);
}

void contest_sync::on_removed(uint32_t contest) noexcept {
    if (contest >= max_contests_) return;
    contest_slot& s = slots_[contest];
    if (s.ph == phase::in_flight && in_flight_) --in_flight_;
    ++s.gen;
    s.ph = phase::idle;
    s.again = false;
    s.held = 0;
    pump();
}

void contest_sync::resync(uint32_t contest, ef_stale_reason why) noexcept {
    if (contest >= max_contests_) return;
    contest_slot& s = slots_[contest];
    switch (s.ph) {
    case phase::idle: return;
    case phase::in_flight:
        // The snapshot on its way may predate what made us doubt the book.
        s.again = true;
        region_.set_contest_status(contest, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, why);
        return;
    case phase::wanted:
    case phase::retry:
        region_.set_contest_status(contest, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, why);
        return;
    case phase::synced: want(contest, why); return;
    }
}

void contest_sync::resync_all(ef_stale_reason why) noexcept {
    for (const auto& c : applier_.contests()) resync(c.index, why);
}

void contest_sync::want(uint32_t contest, ef_stale_reason why) noexcept {
    contest_slot& s = slots_[contest];
    region_.set_contest_status(contest, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, why);
    s.ph = phase::wanted;
    s.again = false;
    s.held = 0;
    pump();
}

void contest_sync::pump() noexcept {
    if (!rest_) return;
    for (uint32_t c = 0; c < max_contests_ && in_flight_ < opts_.max_snapshots_in_flight; ++c)
        if (slots_[c].ph == phase::wanted && !request_snapshot(c)) return;
}

bool contest_sync::request_snapshot(uint32_t contest) noexcept {
    contest_slot& s = slots_[contest];
    // "/flow/v1/contests/<id>/liquidity"
    char* t = target_.get();
    size_t n = 0;
    const auto put = [&](std::string_view v) {
        std::memcpy(t + n, v.data(), v.size());
        n += v.size();
    };
    put(opts_.rest_base);
    put("/contests/");
    std::string_view encoded; // RFC 3986: the id as one path segment
    if (http::percent_encode_segment(contest_id(contest), {t + n, target_cap_ - n - 32}, encoded) !=
        http::codec_status::ok)
        return false;
    n += encoded.size();
    put("/liquidity");
    const uint32_t gen = ++s.gen;
    // State first: the client may answer (a failure) from inside get().
    s.ph = phase::in_flight;
    ++in_flight_;
    if (!rest_->get(*this, make_tag(tag_kind::snapshot, contest, gen), {t, n})) {
        // Queue full: try again shortly rather than spin.
        --in_flight_;
        s.ph = phase::retry;
        s.retry_at = mono_ns() + opts_.retry_initial_ns;
        next_retry_at_ = std::min(next_retry_at_, s.retry_at);
        loop_.schedule(s.retry_at);
        return false;
    }
    return true;
}

// ------------------------------------------------------------ updates

contest_sync::route contest_sync::route_update(uint32_t contest, int64_t venue_ns,
                                               std::string_view raw) noexcept {
    if (contest >= max_contests_) return route::ignored;
    contest_slot& s = slots_[contest];
    switch (s.ph) {
    case phase::synced:
        // The snapshot already holds every change up to its timestamp; an
        // older update (REST and stream race each other) would roll it back.
        if (!openmarkets::reapply_held_update(venue_ns, s.snapshot_ns)) return route::skipped;
        return route::apply;
    case phase::wanted:
    case phase::in_flight:
    case phase::retry:
        if (hold(contest, raw)) ++s.held;
        return route::held;
    case phase::idle: return route::ignored;
    }
    return route::ignored;
}

bool contest_sync::hold(uint32_t contest, std::string_view raw) noexcept {
    const size_t need = hold_header + pad8(raw.size());
    if (hold_used_ + need > opts_.hold_bytes) {
        report_.error(EF_ERR_hold_full,
                      "hold buffer full ({} bytes, {} updates): dropping held updates, their "
                      "contests will be snapshotted again", hold_used_, hold_records_);
        drop_all_held();
        if (need > opts_.hold_bytes) {
            slots_[contest].again = true;
            return false;
        }
    }
    uint8_t* p = hold_.get() + hold_used_;
    const uint32_t len = static_cast<uint32_t>(raw.size());
    std::memcpy(p, &contest, 4);
    std::memcpy(p + 4, &len, 4);
    std::memcpy(p + hold_header, raw.data(), raw.size());
    hold_used_ += need;
    ++hold_records_;
    return true;
}

void contest_sync::drop_all_held() noexcept {
    // Every contest that had updates held cannot rely on them any more: its
    // pending snapshot gets a successor taken after this moment.
    size_t off = 0;
    while (off < hold_used_) {
        uint32_t c, len;
        std::memcpy(&c, hold_.get() + off, 4);
        std::memcpy(&len, hold_.get() + off + 4, 4);
        if (c < max_contests_ && slots_[c].ph != phase::idle && slots_[c].ph != phase::synced) {
            slots_[c].again = slots_[c].ph == phase::in_flight;
            slots_[c].held = 0;
        }
        off += hold_header + pad8(len);
    }
    hold_used_ = 0;
    hold_records_ = 0;
}

uint32_t contest_sync::replay_held(uint32_t contest, int64_t snapshot_ns) noexcept {
    uint32_t reapplied = 0;
    size_t off = 0;
    uint32_t live = 0;
    while (off < hold_used_) {
        uint8_t* rec = hold_.get() + off;
        uint32_t c, len;
        std::memcpy(&c, rec, 4);
        std::memcpy(&len, rec + 4, 4);
        off += hold_header + pad8(len);
        if (c != contest) {
            live += c != EF_NONE;
            continue;
        }
        const uint32_t none = EF_NONE;
        std::memcpy(rec, &none, 4); // consumed
        --hold_records_;
        const std::string_view text(reinterpret_cast<const char*>(rec + hold_header), len);
        scratch_.reset();
        if (json::parse_stream_message(text, *replay_msg_, scratch_) != json::message_status::ok ||
            replay_msg_->type != json::message_type::liquidity_update)
            continue; // it parsed when it arrived; cannot happen
        const json::liquidity_update& u = replay_msg_->liquidity;
        if (!openmarkets::reapply_held_update(u.timestamp_ns, snapshot_ns)) continue;
        const apply_outcome r = applier_.apply(u, scratch_, mono_ns());
        bump(report_.stats().entries_applied, r.applied);
        if (r.applied) region_.note_contest_update(contest, r.applied, u.timestamp_ns);
        ++reapplied;
    }
    if (live == 0) {
        hold_used_ = 0; // everything consumed: start over at the front
        hold_records_ = 0;
    }
    return reapplied;
}

// ------------------------------------------------------------ snapshots

bool contest_sync::apply_snapshot(uint32_t contest, std::string_view body,
                                  int64_t& snapshot_ns) noexcept {
    scratch_.reset();
    json::liquidity_snapshot snap;
    json::rest_diag diag;
    const json::rest_status st = json::parse_liquidity_snapshot(body, scratch_, snap, diag);
    if (st != json::rest_status::ok) {
        report_.error(EF_ERR_snapshot_failed, "contest {}: snapshot refused: {} {} at byte {}",
                      contest_id(contest), json::to_string(st), diag.field, diag.error_offset);
        return false;
    }
    snapshot_ns = snap.meta.timestamp_ns;
    const std::string_view cid = contest_id(contest);
    const int64_t now = mono_ns();
    bool whole = true;
    writer_.begin_snapshot(contest);
    json::position_iterator positions = snap.positions(scratch_);
    json::rest_position pos;
    for (;;) {
        const json::item_status ps = positions.next(pos);
        if (ps == json::item_status::end) break;
        if (ps != json::item_status::ok) {
            report_.error(EF_ERR_snapshot_failed, "contest {}: snapshot position unusable: {} ({})",
                          cid, json::to_string(ps), positions.error_field());
            whole = false;
            if (ps == json::item_status::malformed || ps == json::item_status::scratch_full) break;
            continue;
        }
        const std::string_view hash = pos.position_hash;
        const auto parts = static_cast<unsigned>(std::count(hash.begin(), hash.end(), ':')) + 1;
        if (parts != openmarkets::position_hash_parts || hash.substr(0, hash.find(':')) != cid) {
            report_.error(EF_ERR_entry_rejected, "contest {}: snapshot position '{}' is not a "
                          "six-part hash of this contest", cid, hash);
            whole = false;
            continue;
        }
        const uint32_t p = writer_.find_or_create_position(hash, contest);
        if (!book::is_index(p)) {
            report_.error(EF_ERR_book_positions_full, "position table full; '{}' not added", hash);
            whole = false;
            continue;
        }
        uint32_t n = 0;
        json::partner_liquidity_iterator partners = pos.partners(scratch_);
        json::rest_partner_liquidity pl;
        for (;;) {
            const json::item_status es = partners.next(pl);
            if (es == json::item_status::end) break;
            if (es != json::item_status::ok) {
                report_.error(EF_ERR_snapshot_failed, "position {}: partner entry unusable: {} ({})",
                              hash, json::to_string(es), partners.error_field());
                whole = false;
                if (es == json::item_status::malformed || es == json::item_status::scratch_full) break;
                continue;
            }
            if (pl.available_e9 == 0) continue; // nothing offered: no level
            const uint32_t partner = writer_.intern_partner(pl.partner_id);
            if (!book::is_index(partner)) {
                report_.error(EF_ERR_book_partners_full, "partner table full; '{}' not added",
                              pl.partner_id);
                whole = false;
                continue;
            }
            if (n == levels_cap_) {
                whole = false;
                continue;
            }
            levels_[n++] = book::level_change{partner, pl.price_e9, pl.available_e9, snapshot_ns};
        }
        const book::batch_result r = writer_.replace_position(p, {levels_.get(), n}, snapshot_ns, now);
        if (r.levels_full) {
            report_.error(EF_ERR_book_levels_full, "position '{}': {} partners beyond capacity",
                          hash, r.levels_full);
            whole = false;
        }
        if (r.invalid) whole = false;
    }
    (void)writer_.end_snapshot(contest, now);
    return whole;
}

void contest_sync::snapshot_failed(uint32_t contest, const char* what) noexcept {
    contest_slot& s = slots_[contest];
    const int64_t d = backoff_delay_ns(opts_.retry_initial_ns, opts_.retry_max_ns, s.failures++, 20, rng_);
    s.ph = phase::retry;
    s.retry_at = mono_ns() + d;
    s.again = false;
    next_retry_at_ = std::min(next_retry_at_, s.retry_at);
    loop_.schedule(s.retry_at);
    region_.set_contest_status(contest, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED,
                               EF_STALE_SNAPSHOT_FAILED);
    report_.error(EF_ERR_snapshot_failed, "contest {}: snapshot failed ({}); retry in {} ms",
                  contest_id(contest), what, d / 1'000'000);
}

void contest_sync::on_https_response(uint64_t tag, int status, std::string_view body,
                                     int64_t) noexcept {
    if (tag_kind_of(tag) == tag_kind::state_batch) {
        if (tag_gen(tag) != state_gen_) return;
        if (status == 200) {
            apply_state_batch(body);
        } else {
            report_.error(EF_ERR_rest_status, "contest-state batch: HTTP {}", status);
        }
        return;
    }
    const uint32_t contest = tag_contest(tag);
    if (contest >= max_contests_) return;
    contest_slot& s = slots_[contest];
    if (s.ph != phase::in_flight || s.gen != tag_gen(tag)) return; // superseded
    if (in_flight_) --in_flight_;
    if (status != 200) {
        char what[32];
        std::snprintf(what, sizeof what, "HTTP %d", status);
        snapshot_failed(contest, what);
        pump();
        return;
    }
    int64_t snapshot_ns = 0;
    const bool whole = apply_snapshot(contest, body, snapshot_ns);
    if (snapshot_ns == 0 && !whole) { // refused before anything was applied
        snapshot_failed(contest, "unreadable body");
        pump();
        return;
    }
    const uint32_t held = s.held;
    (void)replay_held(contest, snapshot_ns);
    s.snapshot_ns = snapshot_ns;
    s.held = 0;
    region_.set_contest_synced(contest, unix_ns(), snapshot_ns, held);
    if (!whole) {
        snapshot_failed(contest, "snapshot incomplete");
    } else if (s.again) {
        want(contest, EF_STALE_REFRESH_REQUIRED);
    } else {
        s.ph = phase::synced;
        s.failures = 0;
        region_.set_contest_status(contest, EF_CONTEST_SUBSCRIBED, EF_STALE_NONE);
    }
    pump();
}

void contest_sync::on_https_failure(uint64_t tag, net::https_failure why, const char* text) noexcept {
    if (tag_kind_of(tag) == tag_kind::state_batch) {
        if (tag_gen(tag) == state_gen_)
            report_.error(EF_ERR_rest_timeout, "contest-state batch: {} ({})", net::to_string(why), text);
        return;
    }
    const uint32_t contest = tag_contest(tag);
    if (contest >= max_contests_) return;
    contest_slot& s = slots_[contest];
    if (s.ph != phase::in_flight || s.gen != tag_gen(tag)) return;
    if (in_flight_) --in_flight_;
    snapshot_failed(contest, net::to_string(why));
    pump();
}

int64_t contest_sync::on_deadline(int64_t now) noexcept {
    // The loop calls every owner on each of its ticks: stay O(1) until a
    // retry is due, then scan once.
    if (now < next_retry_at_) return next_retry_at_;
    int64_t next = net::no_deadline;
    bool woke = false;
    for (uint32_t c = 0; c < max_contests_; ++c) {
        contest_slot& s = slots_[c];
        if (s.ph != phase::retry) continue;
        if (now >= s.retry_at) {
            s.ph = phase::wanted;
            woke = true;
        } else {
            next = std::min(next, s.retry_at);
        }
    }
    next_retry_at_ = next;
    if (woke) pump(); // may schedule new retries (next_retry_at_ moves earlier)
    return next_retry_at_;
}

// ------------------------------------------------------------ contest state

void contest_sync::on_state_subscribed(std::span<const uint32_t> contests) noexcept {
    if (!rest_ || !opts_.contest_state || contests.empty()) return;
    // {"contest_ids":["a","b"]}: ids are plain text by the venue's rules;
    // anything that would need JSON escaping is left out and reported.
    char* b = target_.get();
    size_t n = 0;
    const auto put = [&](std::string_view v) {
        std::memcpy(b + n, v.data(), v.size());
        n += v.size();
    };
    put(R"({"contest_ids":[)");
    bool first = true;
    for (const uint32_t c : contests) {
        const std::string_view id = contest_id(c);
        if (id.find_first_of("\"\\") != std::string_view::npos || n + id.size() + 8 > target_cap_)
            continue;
        if (!first) put(",");
        put("\"");
        put(id);
        put("\"");
        first = false;
    }
    put("]}");
    char path[256];
    const int pn = std::snprintf(path, sizeof path, "%.*s/contest-state/batch",
                                 static_cast<int>(std::min<size_t>(opts_.rest_base.size(), 200)),
                                 opts_.rest_base.data());
    if (!rest_->post(*this, make_tag(tag_kind::state_batch, 0, ++state_gen_),
                     {path, static_cast<size_t>(pn)}, {b, n}))
        report_.error(EF_ERR_rest_status, "contest-state batch not sent: REST queue full");
}

void contest_sync::apply_state_batch(std::string_view body) noexcept {
    scratch_.reset();
    json::state_batch batch;
    json::rest_diag diag;
    if (json::parse_state_batch(body, scratch_, batch, diag) != json::rest_status::ok) {
        report_.error(EF_ERR_state_rejected, "contest-state batch unreadable: {} at byte {}",
                      diag.field, diag.error_offset);
        return;
    }
    json::state_batch_iterator it = batch.entries(scratch_);
    json::state_entry e;
    for (;;) {
        const json::item_status st = it.next(e);
        if (st == json::item_status::end) break;
        if (st != json::item_status::ok) {
            report_.error(EF_ERR_state_rejected, "contest state unusable: {} ({})",
                          json::to_string(st), it.error_field());
            if (st == json::item_status::malformed || st == json::item_status::scratch_full) break;
            continue;
        }
        const uint32_t c = applier_.find_contest(e.contest_id);
        if (c == EF_NONE) continue;
        contest_slot& s = slots_[c];
        // The stream may already have delivered something newer.
        if (e.refreshed_at_ns && e.refreshed_at_ns < s.state_ns) continue;
        store_state(c, e.state, e.refreshed_at_ns);
    }
}

void contest_sync::on_state_update(uint32_t contest, int64_t venue_ns,
                                   std::string_view state_json) noexcept {
    if (contest >= max_contests_ || slots_[contest].ph == phase::idle) return;
    write_state(contest, venue_ns, state_json, venue_ns);
}

void contest_sync::write_state(uint32_t contest, int64_t venue_ns, std::string_view state_json,
                               int64_t refreshed_ns) noexcept {
    if (venue_ns && venue_ns < slots_[contest].state_ns) return; // older than what we have
    json::contest_state st;
    json::rest_diag diag;
    scratch_.reset();
    if (json::parse_state_object(state_json, scratch_, st, diag) != json::rest_status::ok) {
        report_.error(EF_ERR_state_rejected, "contest {}: state unreadable: {} ({})",
                      contest_id(contest), diag.field, diag.error_offset);
        return;
    }
    store_state(contest, st, refreshed_ns);
}

void contest_sync::store_state(uint32_t contest, const json::contest_state& st,
                               int64_t refreshed_ns) noexcept {
    book::contest_state_values v;
    v.flags = st.flags;
    v.game_status = static_cast<ef_game_status>(st.game_status);
    v.clock_remaining_s = st.clock_remaining_s;
    v.period_number = st.period_number;
    v.score_home = st.score_home;
    v.score_away = st.score_away;
    v.refreshed_unix_ns = refreshed_ns;
    v.updated_mono_ns = mono_ns();
    v.game_status_text = st.game_status_text;
    v.contest_result = st.contest_result;
    v.clock_display = st.clock_display;
    v.period_label = st.period_label;
    v.period_type = st.period_type;
    v.winner_participant_id = st.winner_participant_id;
    region_.write_contest_state(contest, v);
    slots_[contest].state_ns = refreshed_ns;
}

} // namespace ef::feed
