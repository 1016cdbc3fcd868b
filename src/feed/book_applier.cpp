// See book_applier.hpp.
#include "feed/book_applier.hpp"

#include "feed/protocol_rules.hpp"

#include <algorithm>
#include <cstring>

namespace ef::feed {

book_applier::book_applier(book::book_region& region, book::position_writer& writer,
                           conn_report& report)
    : region_(region), writer_(writer), report_(report) {
    contests_.reserve(openmarkets::max_contests_per_connection);
}

bool book_applier::add_contest(std::string_view id, uint32_t index) noexcept {
    if (contests_.size() == openmarkets::max_contests_per_connection || id.size() >= EF_CONTEST_ID_MAX)
        return false;
    auto it = std::lower_bound(contests_.begin(), contests_.end(), id,
                               [](const served& c, std::string_view v) { return c.id() < v; });
    if (it != contests_.end() && it->id() == id) return true;
    served s{};
    std::memcpy(s.id_text, id.data(), id.size());
    s.id_len = static_cast<uint32_t>(id.size());
    s.index = index;
    contests_.insert(it, s); // within the reserved capacity: no allocation
    return true;
}

void book_applier::remove_contest(uint32_t index) noexcept {
    for (auto it = contests_.begin(); it != contests_.end(); ++it)
        if (it->index == index) {
            contests_.erase(it);
            return;
        }
}

uint32_t book_applier::find_contest(std::string_view id) const noexcept {
    auto it = std::lower_bound(contests_.begin(), contests_.end(), id,
                               [](const served& c, std::string_view v) { return c.id() < v; });
    return it != contests_.end() && it->id() == id ? it->index : EF_NONE;
}

void book_applier::mark_all(uint32_t flags, ef_stale_reason reason) noexcept {
    for (const auto& c : contests_) region_.set_contest_status(c.index, flags, reason);
}

void book_applier::mark_stale(uint32_t contest, ef_stale_reason reason) noexcept {
    region_.set_contest_status(contest, EF_CONTEST_STALE | EF_CONTEST_SUBSCRIBED, reason);
}

apply_outcome book_applier::apply(const json::liquidity_update& update, json::scratch& scratch,
                                  int64_t publish_mono_ns) noexcept {
    apply_outcome out;
    const uint32_t contest = find_contest(update.contest_id);
    if (contest == EF_NONE) [[unlikely]] {
        report_.error(EF_ERR_entry_rejected, "update for contest '{}' we did not subscribe",
                      update.contest_id);
        out.contest_known = false;
        return out;
    }
    json::entry_iterator it = update.entries(scratch);
    json::liquidity_entry e;
    for (;;) {
        const json::item_status st = it.next(e);
        if (st == json::item_status::end) break;
        if (st != json::item_status::ok) [[unlikely]] {
            ++out.rejected;
            const bool numeric = st == json::item_status::bad_number ||
                                 st == json::item_status::inexact ||
                                 st == json::item_status::out_of_range;
            report_.error(numeric ? EF_ERR_number_out_of_range : EF_ERR_json_missing_field,
                          "contest {}: entry '{}' unusable: {} ({})", update.contest_id,
                          e.liquidity_hash, json::to_string(st), it.error_field());
            if (st == json::item_status::malformed || st == json::item_status::scratch_full) break;
            continue;
        }
        if (apply_entry(e, update.contest_id, contest, update.timestamp_ns, publish_mono_ns))
            ++out.applied;
        else
            ++out.rejected;
    }
    if (out.rejected) mark_stale(contest, EF_STALE_UPDATE_LOST);
    return out;
}

bool book_applier::apply_entry(const json::liquidity_entry& e, std::string_view contest_id,
                               uint32_t contest, int64_t venue_ns,
                               int64_t publish_mono_ns) noexcept {
    // liquidity_hash = "<partner_id>:<position_hash>" (PROTOCOL.md).
    const std::string_view lh = e.liquidity_hash;
    const size_t colon = lh.find(':');
    const std::string_view partner = colon == std::string_view::npos ? lh : lh.substr(0, colon);
    const std::string_view hash = colon == std::string_view::npos ? std::string_view{}
                                                                  : lh.substr(colon + 1);
    const auto parts = static_cast<unsigned>(std::count(hash.begin(), hash.end(), ':')) + 1;
    if (hash.empty() || parts != openmarkets::position_hash_parts ||
        hash.substr(0, hash.find(':')) != contest_id ||
        (!e.partner_id.empty() && e.partner_id != partner)) [[unlikely]] {
        report_.error(EF_ERR_entry_rejected, "contest {}: liquidity_hash '{}' does not match "
                      "partner '{}' and a six-part position of this contest",
                      contest_id, lh, e.partner_id);
        return false;
    }
    const uint32_t p = writer_.intern_partner(partner);
    if (p == EF_NONE) [[unlikely]] {
        report_.error(EF_ERR_book_partners_full, "partner table full; '{}' not added", partner);
        return false;
    }
    const uint32_t pos = writer_.find_or_create_position(hash, contest);
    if (pos == EF_NONE) [[unlikely]] {
        report_.error(EF_ERR_book_positions_full, "position table full; '{}' not added", hash);
        return false;
    }
    switch (writer_.apply_level(pos, p, e.price_e9, e.available_e9, venue_ns, publish_mono_ns)) {
    case book::apply_status::applied:
    case book::apply_status::unchanged:
        return true;
    case book::apply_status::levels_full:
        report_.error(EF_ERR_book_levels_full, "position '{}': no free partner slot for '{}'",
                      hash, partner);
        return false;
    case book::apply_status::invalid:
        report_.error(EF_ERR_entry_rejected, "position '{}': invalid level (available < 0?)", hash);
        return false;
    }
    return false;
}

} // namespace ef::feed
