// See control_plane.hpp.
#include "daemon/control_plane.hpp"

#include "common/clock.hpp"
#include "common/counter.hpp"
#include "common/log.hpp"
#include "config/url.hpp"
#include "feed/protocol_rules.hpp"
#include "json/rest_catalog.hpp"
#include "json/rest_common.hpp"
#include "json/rest_depth.hpp"
#include "platform/cpu.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <future>

namespace ef::daemon {

namespace {

constexpr uint64_t tag_partners = 1ull << 40;
constexpr uint64_t tag_contests = 2ull << 40;
constexpr uint64_t tag_depth = 3ull << 40; // + slot index

// Seed: partner status "active"; anything else we keep as inactive.
uint32_t partner_status_code(std::string_view s) { return s == "active" ? 1u : 2u; }

} // namespace

control_plane::control_plane(control_plane_options opts, book::book_region& region,
                             const tls::tls_context& tls)
    : opts_(std::move(opts)), region_(region), tls_(tls),
      report_(*region.conn_stats(opts_.rest_conn_index), "control") {
    const auto& caps = region.spec().caps;
    depth_partners_ = caps.depth_partners;
    depth_levels_ = caps.depth_levels;
    partner_values_.resize(depth_partners_);
    levels_.resize(size_t{depth_partners_} * depth_levels_);
    scratch_mem_.reset(new char[opts_.max_rest_body_bytes]);
    partners_target_ = opts_.rest_base + "/partners";
    for (const std::string& h : opts_.depth_positions) {
        depth_slot d;
        d.record = region.claim_depth(h);
        if (!book::is_index(d.record)) {
            EF_LOG_ERROR("depth: no record for position '{}' (capacity.depth_positions full or bad "
                         "hash); its depth is not kept", h);
            continue;
        }
        d.hash = h;
        d.target = opts_.rest_base + "/depth/" + config::percent_encoded(h);
        depth_.push_back(std::move(d));
    }
}

control_plane::~control_plane() { join(); }

// ------------------------------------------------------------ discovery

result<std::vector<discovered_contest>> control_plane::discover(
    const std::vector<std::string>& leagues, const std::string& status) {
    // A ring of its own on this thread (SINGLE_ISSUER binds a ring to the
    // thread that made it), gone before the control thread starts.
    platform::uring_options uo;
    uo.recv_buffers = 64;
    uo.fixed_files = 8;
    uo.lock_memory = false;
    auto ring = platform::uring_loop::create(uo);
    if (!ring) return std::move(ring).err().context("discovery");
    net::event_loop loop(**ring, {net::idle_mode::sleep, 0, 1'000'000}, nullptr, 8);
    net::https_client_options ro = opts_.rest;
    ro.connections = 1;
    net::https_client client(loop, tls_, ro, {region_.conn_stats(opts_.rest_conn_index)}, nullptr);
    client.start();
    listing_.clear();
    for (const std::string& league : leagues) {
        next_cursor_.clear();
        for (int page = 0; page < 10'000; ++page) {
            std::string target = fmt::format("{}/contests?league_id={}&status={}&limit=200",
                                             opts_.rest_base, config::percent_encoded(league),
                                             config::percent_encoded(status));
            if (!next_cursor_.empty()) target += "&cursor=" + config::percent_encoded(next_cursor_);
            page_done_ = page_more_ = page_ok_ = false;
            page_error_.clear();
            if (!client.get(*this, tag_contests, target))
                return make_error("discovery: cannot queue the request");
            const int64_t give_up = mono_ns() + 3 * opts_.rest.request_timeout_ns;
            while (!page_done_ && mono_ns() < give_up) loop.poll_once(true);
            if (!page_done_) return make_error("discovery: no answer from " + opts_.rest.ep.text);
            if (!page_ok_)
                return make_error(fmt::format("discovery: GET /contests for league '{}': {}",
                                              league, page_error_));
            if (!page_more_) break;
        }
    }
    client.stop();
    for (int i = 0; i < 10; ++i) loop.poll_once(false);
    return std::move(listing_);
}

// ------------------------------------------------------------ thread

status control_plane::start(const std::atomic<bool>& stop) {
    std::promise<status> ready;
    auto fut = ready.get_future();
    thread_ = std::thread(&control_plane::thread_main, this, &stop, &ready);
    status s = fut.get();
    if (!s) join();
    return s;
}

void control_plane::join() {
    if (thread_.joinable()) thread_.join();
}

status control_plane::set_up() {
    platform::name_current_thread("ef-control");
    auto pool = tls::tls_memory::pool::create(opts_.tls_pool_bytes);
    if (!pool) return std::move(pool).err().context("control thread TLS pool");
    tls_pool_.emplace(std::move(pool).value());
    tls::tls_memory::attach_thread_pool(*tls_pool_);
    platform::uring_options uo;
    uo.recv_buffers = 64;
    uo.fixed_files = 8;
    uo.lock_memory = false;
    auto ring = platform::uring_loop::create(uo);
    if (!ring) return std::move(ring).err().context("control loop");
    ring_ = std::move(ring).value();
    loop_ = std::make_unique<net::event_loop>(*ring_, net::idle_policy{net::idle_mode::sleep, 0, 5'000'000},
                                              nullptr, 8);
    rest_ = std::make_unique<net::https_client>(*loop_, tls_, opts_.rest,
                                                std::vector<ef_conn_stats*>{region_.conn_stats(opts_.rest_conn_index)},
                                                nullptr);
    (void)loop_->add_owner(this);
    return ok();
}

void control_plane::thread_main(const std::atomic<bool>* stop, std::promise<status>* ready) {
    status s = set_up();
    const bool up = s.ok();
    ready->set_value(std::move(s));
    if (!up) return;
    rest_->start();
    loop_->schedule(mono_ns());
    loop_->run(*stop);
    rest_->stop();
    for (int i = 0; i < 10; ++i) loop_->poll_once(false);
    rest_.reset();
    tls::tls_memory::detach_thread_pool();
}

int64_t control_plane::on_deadline(int64_t now) noexcept {
    if (!partners_in_flight_ && now >= next_partners_) request_partners(now);
    if (!discovery_.leagues.empty() && !listing_in_flight_ && now >= next_discovery_) {
        // The start-up listing was just done: the first refresh is one period on.
        if (next_discovery_ == 0) {
            next_discovery_ = now + discovery_.refresh_ns;
        } else {
            listing_.clear();
            listing_league_ = 0;
            next_cursor_.clear();
            listing_in_flight_ = true;
            request_contests_page();
        }
    }
    // Depth: a position whose liquidity moved is fetched first (after the
    // minimum gap), then the oldest one due on the interval.
    if (!depth_busy_ && !depth_.empty()) {
        size_t pick = depth_.size();
        for (size_t i = 0; i < depth_.size() && pick == depth_.size(); ++i) {
            depth_slot& d = depth_[i];
            const uint32_t p = region_.find_position(d.hash);
            if (p == EF_NONE) continue;
            const uint64_t u = __atomic_load_n(&region_.position(p)->updates, __ATOMIC_RELAXED);
            if (u != d.seen_updates && now - d.fetched_at >= opts_.depth_min_gap_ns) pick = i;
        }
        for (size_t k = 0; k < depth_.size() && pick == depth_.size(); ++k) {
            const size_t i = (depth_cursor_ + k) % depth_.size();
            if (now - depth_[i].fetched_at >= opts_.depth_refresh_ns || depth_[i].fetched_at == 0) {
                pick = i;
                depth_cursor_ = i + 1;
            }
        }
        if (pick != depth_.size()) request_depth(pick, now);
    }
    // Poll the positions' change counters at a modest rate: this thread
    // sleeps between ticks and never touches a loop's core.
    return std::min({next_partners_, now + 20'000'000});
}

// ------------------------------------------------------------ partners

void control_plane::request_partners(int64_t now) noexcept {
    if (rest_->get(*this, tag_partners, partners_target_)) {
        partners_in_flight_ = true;
    } else {
        next_partners_ = now + partners_retry_ns_;
    }
}

void control_plane::apply_partners(std::string_view body) noexcept {
    json::scratch scratch({scratch_mem_.get(), opts_.max_rest_body_bytes});
    json::partners_list list;
    json::rest_diag diag;
    if (json::parse_partners(body, scratch, list, diag) != json::rest_status::ok) {
        report_.error(EF_ERR_json_malformed, "partners catalog unreadable: {} at byte {}",
                      diag.field, diag.error_offset);
        return;
    }
    json::partner_iterator it = list.partners(scratch);
    json::rest_partner p;
    unsigned n = 0;
    for (;;) {
        const json::item_status st = it.next(p);
        if (st == json::item_status::end) break;
        if (st != json::item_status::ok) {
            report_.error(EF_ERR_json_missing_field, "partner entry unusable: {} ({})",
                          json::to_string(st), it.error_field());
            if (st == json::item_status::malformed || st == json::item_status::scratch_full) break;
            continue;
        }
        // PROTOCOL (ours): "p_kalshi" in the catalog is "kalshi" in the data.
        const std::string_view id = openmarkets::liquidity_partner_id(p.partner_id);
        const uint32_t idx = region_.intern_partner(id);
        if (!book::is_index(idx)) {
            report_.error(EF_ERR_book_partners_full, "partner table full; '{}' not added", id);
            continue;
        }
        region_.set_partner_info(idx, partner_status_code(p.status), p.name);
        ++n;
    }
    EF_LOG_INFO("partners: {} from the catalog", n);
}

// ------------------------------------------------------------ depth

void control_plane::request_depth(size_t i, int64_t now) noexcept {
    depth_slot& d = depth_[i];
    if (!rest_->get(*this, tag_depth + i, d.target)) return;
    d.in_flight = true;
    depth_busy_ = true;
    const uint32_t p = region_.find_position(d.hash);
    // Taken before the request: a change during it triggers another fetch.
    d.seen_updates = p == EF_NONE ? 0 : __atomic_load_n(&region_.position(p)->updates, __ATOMIC_RELAXED);
    d.fetched_at = now;
}

void control_plane::apply_depth(size_t i, std::string_view body) noexcept {
    depth_slot& d = depth_[i];
    json::scratch scratch({scratch_mem_.get(), opts_.max_rest_body_bytes});
    json::depth_answer ans;
    json::rest_diag diag;
    if (json::parse_depth(body, scratch, ans, diag) != json::rest_status::ok) {
        report_.error(EF_ERR_json_malformed, "depth of {} unreadable: {} at byte {}", d.hash,
                      diag.field, diag.error_offset);
        region_.mark_depth_failed(d.record);
        return;
    }
    uint32_t np = 0;
    size_t used_levels = 0;
    bool cut = false;
    json::depth_partner_iterator it = ans.partners(scratch);
    json::rest_depth_partner dp;
    for (;;) {
        const json::item_status st = it.next(dp);
        if (st == json::item_status::end) break;
        if (st != json::item_status::ok) {
            report_.error(EF_ERR_json_missing_field, "depth of {}: partner unusable: {} ({})",
                          d.hash, json::to_string(st), it.error_field());
            if (st == json::item_status::malformed || st == json::item_status::scratch_full) break;
            continue;
        }
        if (np == depth_partners_) {
            cut = true;
            continue;
        }
        const uint32_t partner = region_.intern_partner(openmarkets::liquidity_partner_id(dp.partner_id));
        if (!book::is_index(partner)) continue;
        ef_depth_level* lv = levels_.data() + used_levels;
        uint32_t nl = 0;
        json::depth_level_iterator li = dp.levels(scratch);
        json::rest_depth_level l;
        for (;;) {
            const json::item_status ls = li.next(l);
            if (ls == json::item_status::end) break;
            if (ls != json::item_status::ok) {
                if (ls == json::item_status::malformed || ls == json::item_status::scratch_full) break;
                continue;
            }
            if (nl == depth_levels_) {
                cut = true;
                continue;
            }
            lv[nl++] = ef_depth_level{l.price_e9, l.available_e9};
        }
        used_levels += depth_levels_;
        book::depth_partner_values& v = partner_values_[np++];
        v.partner = partner;
        v.best_price_e9 = dp.has_best_price ? dp.best_price_e9 : (nl ? lv[0].price_e9 : 0);
        int64_t total = 0;
        for (uint32_t k = 0; k < nl; ++k) total += lv[k].available_e9;
        v.total_available_e9 = dp.has_total_available ? dp.total_available_e9 : total;
        v.fetched_unix_ns = dp.fetched_at_ns;
        v.levels = {lv, nl};
    }
    const uint32_t p = region_.find_position(d.hash);
    const book::depth_write w = region_.write_depth(d.record, p, ans.fetched_at_ns, EF_DEPTH_OK,
                                                    {partner_values_.data(), np});
    if (cut || w == book::depth_write::depth_full)
        report_.error(EF_ERR_depth_full, "depth of {}: more partners or levels than a record holds",
                      d.hash);
}

// ------------------------------------------------------------ answers

void control_plane::on_https_response(uint64_t tag, int status, std::string_view body,
                                      int64_t) noexcept {
    if (tag == tag_contests) {
        page_done_ = true;
        if (status != 200) {
            page_error_ = fmt::format("HTTP {}", status);
            if (listing_in_flight_) {
                report_.error(EF_ERR_rest_status, "discovery: GET /contests: HTTP {}; keeping the "
                              "current selection", status);
                listing_in_flight_ = false;
                next_discovery_ = mono_ns() + discovery_.refresh_ns;
            }
            return;
        }
        json::scratch scratch({scratch_mem_.get(), opts_.max_rest_body_bytes});
        json::contests_page page;
        json::rest_diag diag;
        if (json::parse_contests_page(body, scratch, page, diag) != json::rest_status::ok) {
            page_error_ = fmt::format("unreadable: {} at byte {}", diag.field, diag.error_offset);
            if (listing_in_flight_) {
                report_.error(EF_ERR_json_malformed, "discovery: {}", page_error_);
                listing_in_flight_ = false;
                next_discovery_ = mono_ns() + discovery_.refresh_ns;
            }
            return;
        }
        json::contest_iterator it = page.contests(scratch);
        json::rest_contest c;
        for (;;) {
            const json::item_status st = it.next(c);
            if (st == json::item_status::end) break;
            if (st != json::item_status::ok) {
                if (st == json::item_status::malformed || st == json::item_status::scratch_full) break;
                continue;
            }
            listing_.push_back({std::string(c.id), std::string(c.status)});
        }
        page_more_ = page.pagination.has_more && page.pagination.has_next_cursor;
        next_cursor_ = std::string(page.pagination.next_cursor);
        page_ok_ = true;
        if (listing_in_flight_) {
            if (!page_more_) {
                next_cursor_.clear();
                ++listing_league_;
            }
            if (listing_league_ < discovery_.leagues.size()) {
                request_contests_page();
            } else {
                listing_in_flight_ = false;
                next_discovery_ = mono_ns() + discovery_.refresh_ns;
                reconcile();
            }
        }
        return;
    }
    if (tag == tag_partners) {
        partners_in_flight_ = false;
        if (status == 200) {
            apply_partners(body);
            next_partners_ = mono_ns() + opts_.partners_refresh_ns;
            partners_retry_ns_ = 1'000'000'000;
        } else {
            report_.error(EF_ERR_rest_status, "GET /partners: HTTP {}", status);
            next_partners_ = mono_ns() + partners_retry_ns_;
            partners_retry_ns_ = std::min(partners_retry_ns_ * 2, opts_.partners_refresh_ns);
        }
        loop_->schedule(next_partners_);
        return;
    }
    if (tag >= tag_depth && tag - tag_depth < depth_.size()) {
        const size_t i = tag - tag_depth;
        depth_[i].in_flight = false;
        depth_busy_ = false;
        if (status == 200) {
            apply_depth(i, body);
        } else {
            report_.error(EF_ERR_rest_status, "depth of {}: HTTP {}", depth_[i].hash, status);
            region_.mark_depth_failed(depth_[i].record);
        }
        loop_->schedule(mono_ns());
    }
}

void control_plane::on_https_failure(uint64_t tag, net::https_failure why, const char* text) noexcept {
    if (tag == tag_contests) {
        page_done_ = true;
        page_error_ = fmt::format("{} ({})", net::to_string(why), text);
        if (listing_in_flight_) {
            report_.error(EF_ERR_rest_timeout, "discovery: GET /contests: {}; keeping the current "
                          "selection", page_error_);
            listing_in_flight_ = false;
            next_discovery_ = mono_ns() + discovery_.refresh_ns;
        }
        return;
    }
    if (tag == tag_partners) {
        partners_in_flight_ = false;
        next_partners_ = mono_ns() + partners_retry_ns_;
        partners_retry_ns_ = std::min(partners_retry_ns_ * 2, opts_.partners_refresh_ns);
        if (loop_) loop_->schedule(next_partners_);
        return;
    }
    if (tag >= tag_depth && tag - tag_depth < depth_.size()) {
        const size_t i = tag - tag_depth;
        depth_[i].in_flight = false;
        depth_busy_ = false;
        region_.mark_depth_failed(depth_[i].record);
        if (loop_) loop_->schedule(mono_ns());
    }
}

// ------------------------------------------------------------ discovery refresh

void control_plane::request_contests_page() noexcept {
    std::string target = fmt::format("{}/contests?league_id={}&status={}&limit=200", opts_.rest_base,
                                     config::percent_encoded(discovery_.leagues[listing_league_]),
                                     config::percent_encoded(discovery_.status));
    if (!next_cursor_.empty()) target += "&cursor=" + config::percent_encoded(next_cursor_);
    if (!rest_->get(*this, tag_contests, target)) {
        listing_in_flight_ = false;
        next_discovery_ = mono_ns() + discovery_.refresh_ns;
    }
}

void control_plane::reconcile() noexcept {
    std::unordered_map<std::string, bool> open; // id -> listed open
    for (const auto& c : listing_) open[c.id] = c.status != "closed";
    // Closed, or gone from a listing filtered by status: drop and mark.
    for (auto it = discovery_.assigned.begin(); it != discovery_.assigned.end();) {
        auto o = open.find(it->first);
        if (o != open.end() && o->second) {
            ++it;
            continue;
        }
        auto& conn = discovery_.connections[it->second];
        feed::loop_command cmd;
        cmd.kind = feed::loop_command::close_contest;
        cmd.conn = conn.conn_index;
        cmd.contest = region_.find_contest(it->first);
        std::snprintf(cmd.id, sizeof cmd.id, "%s", it->first.c_str());
        if (cmd.contest == EF_NONE || !conn.loop->post(cmd)) {
            ++it; // try again at the next refresh
            continue;
        }
        EF_LOG_INFO("discovery: contest {} closed; dropped from {}", it->first, conn.conn_index);
        --conn.contests;
        it = discovery_.assigned.erase(it);
    }
    // New open contests: to the least-loaded connection with room.
    for (const auto& c : listing_) {
        if (c.status == "closed" || discovery_.assigned.count(c.id)) continue;
        size_t best = discovery_.connections.size();
        for (size_t k = 0; k < discovery_.connections.size(); ++k)
            if (discovery_.connections[k].contests < discovery_.per_connection &&
                (best == discovery_.connections.size() ||
                 discovery_.connections[k].contests < discovery_.connections[best].contests))
                best = k;
        if (best == discovery_.connections.size()) {
            report_.error(EF_ERR_book_contests_full, "discovery: no connection has room for contest {}",
                          c.id);
            continue;
        }
        const uint32_t idx = region_.claim_contest(c.id);
        if (!book::is_index(idx)) {
            report_.error(EF_ERR_book_contests_full, "discovery: contest table full; {} not added", c.id);
            continue;
        }
        auto& conn = discovery_.connections[best];
        feed::loop_command cmd;
        cmd.kind = feed::loop_command::add_contest;
        cmd.conn = conn.conn_index;
        cmd.contest = idx;
        std::snprintf(cmd.id, sizeof cmd.id, "%s", c.id.c_str());
        if (!conn.loop->post(cmd)) continue; // next refresh
        EF_LOG_INFO("discovery: contest {} opened; served by connection {}", c.id, conn.conn_index);
        ++conn.contests;
        discovery_.assigned.emplace(c.id, static_cast<uint32_t>(best));
    }
}

} // namespace ef::daemon
