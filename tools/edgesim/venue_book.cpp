// See venue_book.hpp.
#include "edgesim/venue_book.hpp"

#include "json/decimal.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace ef::sim {

namespace {

std::string plain(int64_t v) {
    char buf[json::decimal_e9_max_chars + 1];
    const size_t n = json::format_decimal_e9(v, buf);
    return std::string(buf, n);
}

const char* markets[] = {"mk_ml", "mk_spread", "mk_total"};
const char* sides[] = {"side_home", "side_away", "side_over", "side_under"};

} // namespace

venue_book::venue_book(const venue_options& opts) : opts_(opts), rng_(opts.seed * 0x9E3779B97F4A7C15ULL + 1) {
    // Contests start every 10 minutes from the top of the start hour.
    constexpr int64_t hour_ns = 3'600'000'000'000, step_ns = 600'000'000'000;
    const int64_t base = opts_.start_unix_ns - opts_.start_unix_ns % hour_ns;
    for (unsigned c = 0; c < opts_.contests; ++c)
        add_contest(base + static_cast<int64_t>(c) * step_ns);
}

std::string venue_book::add_contest(int64_t starts_at_ns) {
    const size_t n = contest_ids_.size();
    const std::string id = fmt::format("{}_{:04}", opts_.contest_prefix, n + 1);
    contest_ids_.push_back(id);
    contest& ct = contests_[id];
    ct.info.league_id = opts_.leagues.empty() ? "lg_sim" : opts_.leagues[n % opts_.leagues.size()];
    ct.info.starts_at_ns = starts_at_ns;
    ct.info.last_change_ns = ct.info.state_changed_ns = opts_.start_unix_ns;
    // Every third contest is under way at once, the others kick off later.
    ct.info.state.ticks_to_start = static_cast<unsigned>(n % 3) * 5;
    fill_contest(id, ct);
    return id;
}

void venue_book::fill_contest(const std::string& id, contest& ct) {
    for (unsigned p = 0; p < opts_.positions_per_contest; ++p) {
        position pos;
        pos.hash = fmt::format("{}:{}:{}:var_{}:p_team{}:tf_full", id, markets[p % 3],
                               sides[(p / 3) % 4], p / 12, p % 7);
        for (const auto& partner : opts_.partners) {
            if (next() % 100 >= opts_.fill_pct) continue;
            const int64_t price = static_cast<int64_t>(1 + next() % 99) * 10'000'000;
            const int64_t avail = static_cast<int64_t>(1 + next() % 20000) * 1'000'000'000;
            pos.levels[partner] = {price, avail};
        }
        ct.positions.push_back(std::move(pos));
    }
}

bool venue_book::is_open(const std::string& id) const {
    const contest_info* i = info(id);
    return i && i->open;
}

contest_info* venue_book::info(const std::string& id) {
    auto it = contests_.find(id);
    return it == contests_.end() ? nullptr : &it->second.info;
}

const contest_info* venue_book::info(const std::string& id) const {
    auto it = contests_.find(id);
    return it == contests_.end() ? nullptr : &it->second.info;
}

int64_t venue_book::stamp(const std::string& id, int64_t now_unix_ns, int64_t unit_ns) {
    contest_info* i = info(id);
    int64_t t = now_unix_ns - now_unix_ns % unit_ns;
    if (!i) return t;
    if (t <= i->last_change_ns) t = i->last_change_ns - i->last_change_ns % unit_ns + unit_ns;
    i->last_change_ns = t;
    return t;
}

const partner_levels* venue_book::find_position(std::string_view hash) const {
    const std::string contest_id(hash.substr(0, hash.find(':')));
    auto it = contests_.find(contest_id);
    if (it == contests_.end()) return nullptr;
    for (const position& p : it->second.positions)
        if (p.hash == hash) return &p.levels;
    return nullptr;
}

std::string venue_book::partner_name(std::string_view partner_id) {
    if (partner_id == "prophetx") return "ProphetX";
    std::string name(partner_id);
    if (!name.empty() && name[0] >= 'a' && name[0] <= 'z')
        name[0] = static_cast<char>(name[0] - 32);
    return name;
}

uint64_t venue_book::next() noexcept {
    // splitmix64: fast, seedable, good enough to pick test changes.
    uint64_t z = (rng_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::vector<sim_entry> venue_book::random_changes(const std::string& id, unsigned n) {
    std::vector<sim_entry> out;
    auto it = contests_.find(id);
    if (it == contests_.end() || it->second.positions.empty()) return out;
    contest& ct = it->second;
    for (unsigned i = 0; i < n; ++i) {
        const position& pos = ct.positions[next() % ct.positions.size()];
        sim_entry e;
        e.position_hash = pos.hash;
        e.partner = opts_.partners[next() % opts_.partners.size()];
        // Prices move in 1e-4 steps, sizes sometimes carry cents: both exact.
        e.price_e9 = static_cast<int64_t>(100 + next() % 9800) * 100'000;
        if (next() % 100 < opts_.remove_pct) {
            e.available_e9 = 0;
        } else {
            e.available_e9 = static_cast<int64_t>(1 + next() % 50000) * 1'000'000'000;
            if (next() % 4 == 0) e.available_e9 += static_cast<int64_t>(next() % 100) * 10'000'000;
        }
        apply(id, e);
        out.push_back(std::move(e));
    }
    return out;
}

void venue_book::apply(const std::string& id, const sim_entry& e) {
    contest& ct = contests_[id];
    for (position& p : ct.positions) {
        if (p.hash != e.position_hash) continue;
        if (e.available_e9 > 0)
            p.levels[e.partner] = {e.price_e9, e.available_e9};
        else
            p.levels.erase(e.partner);
        ++changes_;
        return;
    }
    position p;
    p.hash = e.position_hash;
    if (e.available_e9 > 0) p.levels[e.partner] = {e.price_e9, e.available_e9};
    ct.positions.push_back(std::move(p));
    ++changes_;
}

std::vector<sim_entry> venue_book::initial_entries(const std::string& id) const {
    std::vector<sim_entry> out;
    auto it = contests_.find(id);
    if (it == contests_.end()) return out;
    for (const position& p : it->second.positions)
        for (const auto& [partner, lv] : p.levels)
            out.push_back({partner, p.hash, lv.first, lv.second});
    return out;
}

std::string venue_book::number_text(int64_t v, unsigned form) {
    const std::string base = plain(v);
    if (form % 4 == 0 || v == 0) return base;
    // digits D and exponent k with v = D * 10^k, D without leading/trailing zeros
    std::string digits;
    int k = 0;
    const bool neg = base[0] == '-';
    const std::string body = neg ? base.substr(1) : base;
    const size_t dot = body.find('.');
    if (dot == std::string::npos) {
        digits = body;
    } else {
        digits = body.substr(0, dot) + body.substr(dot + 1);
        k = -static_cast<int>(body.size() - dot - 1);
    }
    while (digits.size() > 1 && digits.back() == '0') {
        digits.pop_back();
        ++k;
    }
    const size_t lead = digits.find_first_not_of('0');
    digits = digits.substr(lead);
    const std::string sign = neg ? "-" : "";
    switch (form % 4) {
    case 1: return fmt::format("{}{}e{}", sign, digits, k);                         // 49e-2
    case 2: {                                                                       // 4.9e-1 / 5.4E+3
        const int e = k + static_cast<int>(digits.size()) - 1;
        const std::string frac = digits.size() > 1 ? fmt::format(".{}", digits.substr(1)) : "";
        return fmt::format("{}{}{}{}{}", sign, digits.substr(0, 1), frac, e >= 0 ? "E+" : "e", e);
    }
    default: return fmt::format("{}{}", base, dot == std::string::npos ? ".0" : "0"); // 5400.0 / 0.490
    }
}

std::string venue_book::update_json(const std::string& contest,
                                    const std::vector<sim_entry>& entries,
                                    const std::string& timestamp) {
    std::string out;
    out.reserve(96 + entries.size() * 160);
    // Field order differs from the seed's on purpose some of the time.
    const bool reorder = opts_.varied_number_forms && next() % 3 == 0;
    if (reorder)
        out += fmt::format(R"({{"timestamp":"{}","type":"liquidity.update","refresh_required":false,"contest_id":"{}","changed_entries":[)",
                           timestamp, contest);
    else
        out += fmt::format(R"({{"type":"liquidity.update","contest_id":"{}","changed_entries":[)", contest);
    for (size_t i = 0; i < entries.size(); ++i) {
        const sim_entry& e = entries[i];
        const unsigned pf = opts_.varied_number_forms ? static_cast<unsigned>(next() % 4) : 0;
        const unsigned af = opts_.varied_number_forms ? static_cast<unsigned>(next() % 4) : 0;
        if (i) out += ',';
        out += fmt::format(R"({{"liquidity_hash":"{}:{}","partner_id":"{}","price":{},"available":{}}})",
                           e.partner, e.position_hash, e.partner, number_text(e.price_e9, pf),
                           number_text(e.available_e9, af));
    }
    if (reorder)
        out += "]}";
    else
        out += fmt::format(R"(],"refresh_required":false,"timestamp":"{}"}})", timestamp);
    return out;
}

std::string venue_book::snapshot_json(const std::string& id, const std::string& timestamp) const {
    std::string out = "{\"data\":[";
    auto it = contests_.find(id);
    bool first_pos = true;
    if (it != contests_.end()) {
        for (const position& p : it->second.positions) {
            if (!first_pos) out += ',';
            first_pos = false;
            out += fmt::format(R"({{"position_hash":"{}","contest_id":"{}","title":"simulated","market_key":"moneyline","side_key":"home","participant_id":"p_team","consensus_price":0.5,"partner_liquidities":[)",
                               p.hash, id);
            bool first = true;
            for (const auto& [partner, lv] : p.levels) {
                if (!first) out += ',';
                first = false;
                out += fmt::format(
                    R"({{"partner_id":"{}","partner_name":"{}","price":{},"american_odds":"+100","available":{}}})",
                    partner, partner_name(partner), plain(lv.first), plain(lv.second));
            }
            out += "]}";
        }
    }
    out += fmt::format(R"(],"meta":{{"timestamp":"{}","api_version":"v1"}}}})", timestamp);
    return out;
}

std::string venue_book::truth_lines(const std::string& only) const {
    std::vector<std::string> lines;
    for (const auto& [id, ct] : contests_) {
        if (!only.empty() && id != only) continue;
        for (const position& p : ct.positions)
            for (const auto& [partner, lv] : p.levels)
                lines.push_back(fmt::format(R"({{"liquidity_hash":"{}:{}","price":"{}","available":"{}"}})",
                                            partner, p.hash, plain(lv.first), plain(lv.second)));
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& l : lines) {
        out += l;
        out += '\n';
    }
    return out;
}

} // namespace ef::sim
