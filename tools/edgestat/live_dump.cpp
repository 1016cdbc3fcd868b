// See live_dump.hpp.
#include "edgestat/live_dump.hpp"

#include "common/clock.hpp"
#include "edgestat/render.hpp"
#include "json/decimal.hpp"

#include <fmt/format.h>
#include <memory>
#include <string_view>

namespace ef::stat {

namespace {

const char* depth_status_name(uint32_t s) {
    switch (s) {
    case EF_DEPTH_NEVER: return "never";
    case EF_DEPTH_OK: return "ok";
    case EF_DEPTH_FAILED: return "failed";
    }
    return "?";
}

const char* game_status_name(uint32_t s) {
    switch (s) {
    case EF_GAME_UNKNOWN: return "unknown";
    case EF_GAME_SCHEDULED: return "scheduled";
    case EF_GAME_IN_PROGRESS: return "in_progress";
    case EF_GAME_FINAL: return "final";
    case EF_GAME_POSTPONED: return "postponed";
    case EF_GAME_CANCELLED: return "cancelled";
    case EF_GAME_OTHER: return "other";
    }
    return "?";
}

std::string partner_id(const ef_book* book, uint32_t partner) {
    ef_partner_view pv;
    if (ef_book_read_partner(book, partner, &pv) != EF_OK) return fmt::format("#{}", partner);
    return pv.id;
}

std::string age(int64_t now, int64_t then) {
    if (then == 0) return "never";
    if (then > now) return "-";
    return human_ns(static_cast<uint64_t>(now - then)) + " ago";
}

void depth_json(const ef_book* book, const ef_depth_view& d, int64_t now_mono, std::string& o) {
    o += fmt::format(R"({{"position_hash":{},"position":{},"status":"{}","fetched_unix_ns":{},"updated_mono_ns":{},"age_ns":{},"refreshes":{},"partners":[)",
                     json_str(std::string_view(d.hash, d.hash_len)),
                     d.position == EF_NONE ? int64_t{-1} : int64_t{d.position}, depth_status_name(d.status),
                     d.fetched_unix_ns, d.updated_mono_ns,
                     d.updated_mono_ns ? now_mono - d.updated_mono_ns : int64_t{-1}, d.refreshes);
    for (uint32_t k = 0; k < d.partner_count; ++k) {
        const ef_depth_partner_view& p = d.partners[k];
        o += fmt::format(R"({}{{"partner":{},"best_price":"{}","total_available":"{}","fetched_unix_ns":{},"levels":[)",
                         k ? "," : "", json_str(partner_id(book, p.partner)), decimal_text(p.best_price_e9),
                         decimal_text(p.total_available_e9), p.fetched_unix_ns);
        for (uint32_t l = 0; l < p.level_count; ++l)
            o += fmt::format(R"({}{{"price":"{}","available":"{}"}})", l ? "," : "",
                             decimal_text(p.levels[l].price_e9), decimal_text(p.levels[l].available_e9));
        o += "]}";
    }
    o += "]}\n";
}

void depth_table(const ef_book* book, const ef_depth_view& d, int64_t now_mono, std::string& o) {
    o += fmt::format("{}  position {}  {}  updated {}  refreshes {}  partners {}\n",
                     std::string_view(d.hash, d.hash_len),
                     d.position == EF_NONE ? std::string("-") : std::to_string(d.position),
                     depth_status_name(d.status), age(now_mono, d.updated_mono_ns), d.refreshes,
                     d.partner_count);
    for (uint32_t k = 0; k < d.partner_count; ++k) {
        const ef_depth_partner_view& p = d.partners[k];
        o += fmt::format("    {:<24} best {:>12}  total {:>14}\n", partner_id(book, p.partner),
                         decimal_text(p.best_price_e9), decimal_text(p.total_available_e9));
        for (uint32_t l = 0; l < p.level_count; ++l)
            o += fmt::format("        {:>12} {:>14}\n", decimal_text(p.levels[l].price_e9),
                             decimal_text(p.levels[l].available_e9));
    }
}

void state_json(const char* id, const ef_state_view* st, std::string& o) {
    if (!st) {
        o += fmt::format(R"({{"contest":{},"present":false}})", json_str(id)) + "\n";
        return;
    }
    const auto opt = [&](uint32_t flag, int64_t v) {
        return (st->flags & flag) ? std::to_string(v) : std::string("null");
    };
    o += fmt::format(R"({{"contest":{},"present":{},"game_status":"{}","game_status_text":{},"contest_result":{},"clock_remaining_s":{},"clock_running":{},"clock_display":{},"period_number":{},"period_label":{},"period_type":{},"score_home":{},"score_away":{},"winner_participant_id":{},"refreshed_unix_ns":{},"updated_mono_ns":{},"updates":{}}})",
                     json_str(id), (st->flags & EF_STATE_PRESENT) ? "true" : "false",
                     game_status_name(st->game_status), json_str(st->game_status_text),
                     json_str(st->contest_result), opt(EF_STATE_HAS_CLOCK, st->clock_remaining_s),
                     (st->flags & EF_STATE_CLOCK_RUNNING) ? "true" : "false", json_str(st->clock_display),
                     opt(EF_STATE_HAS_PERIOD, st->period_number), json_str(st->period_label),
                     json_str(st->period_type), opt(EF_STATE_HAS_SCORES, st->score_home),
                     opt(EF_STATE_HAS_SCORES, st->score_away),
                     (st->flags & EF_STATE_HAS_WINNER) ? json_str(st->winner_participant_id) : "null",
                     st->refreshed_unix_ns, st->updated_mono_ns, st->updates);
    o += "\n";
}

void state_table(const char* id, const ef_state_view* st, int64_t now_mono, std::string& o) {
    if (!st) {
        o += fmt::format("{:<32} (no state)\n", id);
        return;
    }
    const std::string score = (st->flags & EF_STATE_HAS_SCORES)
                                  ? fmt::format("{}-{}", st->score_home, st->score_away)
                                  : std::string("-");
    o += fmt::format("{:<32} {:<12} {:<10} {:<14} {:>8} {:>9}  {:<10} updated {}  updates {}\n", id,
                     st->game_status_text[0] ? st->game_status_text : game_status_name(st->game_status),
                     st->clock_display[0] ? st->clock_display : "-",
                     st->period_label[0] ? st->period_label : "-", score,
                     (st->flags & EF_STATE_CLOCK_RUNNING) ? "running" : "stopped",
                     st->contest_result[0] ? st->contest_result : "-", age(now_mono, st->updated_mono_ns),
                     st->updates);
    if (st->flags & EF_STATE_HAS_WINNER) o += fmt::format("    winner {}\n", st->winner_participant_id);
}

} // namespace

bool depth_report(const ef_book* book, const std::string& position_hash, bool json, std::string& o) {
    const int64_t now = mono_ns();
    uint32_t first = 0, end = ef_book_depth_count(book);
    if (!position_hash.empty()) {
        if (ef_book_find_depth(book, position_hash.data(), position_hash.size(), &first) != EF_OK) {
            o = fmt::format("no depth record for position_hash '{}'\n", position_hash);
            return false;
        }
        end = first + 1;
    }
    if (end == 0 && !json) o += "no depth records (the daemon keeps depth for none of its positions)\n";
    auto d = std::make_unique<ef_depth_view>(); // about 9 KB
    for (uint32_t i = first; i < end; ++i) {
        const int rc = ef_book_read_depth(book, i, d.get());
        if (rc != EF_OK) {
            if (!json) o += fmt::format("depth record {}: {}\n", i, ef_strerror(rc));
            continue;
        }
        if (json) depth_json(book, *d, now, o);
        else depth_table(book, *d, now, o);
    }
    return true;
}

bool state_report(const ef_book* book, const std::string& contest_id, bool json, std::string& o) {
    const int64_t now = mono_ns();
    uint32_t first = 0, end = ef_book_contest_count(book);
    if (!contest_id.empty()) {
        if (ef_book_find_contest(book, contest_id.c_str(), &first) != EF_OK) {
            o = fmt::format("no contest '{}'\n", contest_id);
            return false;
        }
        end = first + 1;
    }
    if (!json)
        o += fmt::format("{:<32} {:<12} {:<10} {:<14} {:>8} {:>9}  {}\n", "contest", "status", "clock",
                         "period", "score", "clock", "result");
    for (uint32_t i = first; i < end; ++i) {
        ef_contest_view cv;
        if (ef_book_read_contest(book, i, &cv) != EF_OK) continue;
        ef_state_view st;
        const int rc = ef_book_read_state(book, i, &st);
        const ef_state_view* p = rc == EF_OK ? &st : nullptr;
        if (json) state_json(cv.id, p, o);
        else state_table(cv.id, p, now, o);
    }
    return true;
}

bool partners_report(const ef_book* book, bool json, std::string& out) {
    const uint32_t n = ef_book_partner_count(book);
    if (!json) out += fmt::format("{:<6} {:<24} {:<10} {}\n", "index", "partner", "status", "name");
    for (uint32_t i = 0; i < n; ++i) {
        ef_partner_view v{};
        if (ef_book_read_partner(book, i, &v) != EF_OK) continue;
        const char* status = v.status == 1 ? "active" : v.status == 2 ? "inactive" : "unknown";
        if (json)
            out += fmt::format(R"({{"partner":{},"index":{},"status":"{}","name":{}}})", json_str(v.id), i,
                               status, json_str(v.name)) + "\n";
        else
            out += fmt::format("{:<6} {:<24} {:<10} {}\n", i, v.id, status, v.name);
    }
    return true;
}

} // namespace ef::stat
