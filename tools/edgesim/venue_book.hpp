// The simulated venue's truth: contests, positions and each partner's price
// and size, changed by a seeded generator so that a run can be repeated
// exactly. Tests compare the daemon's book against truth_lines(), entry for
// entry. Numbers are kept as exact e9 integers and written in every JSON
// number form a venue may use (0.49, 4.9e-1, 49e-2, 5400.0, 5.4e3), because
// the feed handler must read them all exactly.
#pragma once

#include "edgesim/contest_state.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ef::sim {

struct sim_entry {
    std::string partner;
    std::string position_hash;
    int64_t price_e9 = 0;
    int64_t available_e9 = 0; // 0: the partner left the position
};

struct venue_options {
    uint64_t seed = 1;
    unsigned contests = 4;
    unsigned positions_per_contest = 16;
    std::vector<std::string> partners{"kalshi", "polymarket", "novig", "prophetx", "sporttrade"};
    unsigned fill_pct = 60;     // chance a (position, partner) pair starts with liquidity
    unsigned remove_pct = 10;   // chance an update removes a partner's level
    bool varied_number_forms = true;
    std::string contest_prefix = "ct_sim";
    std::vector<std::string> leagues{"lg_nfl", "lg_nba", "lg_nhl"};
    int64_t start_unix_ns = 0; // the venue's "now" at start: contests are scheduled from here
};

// What the catalog says about a contest, and its live game state.
struct contest_info {
    std::string league_id;
    bool open = true;             // listing status: open | closed
    int64_t starts_at_ns = 0;     // Unix ns
    int64_t last_change_ns = 0;   // venue timestamp of the last change (liquidity or state)
    int64_t state_changed_ns = 0; // venue timestamp of the last game state change
    game_state state;
};

using partner_levels =
    std::map<std::string, std::pair<int64_t, int64_t>>; // partner -> price, available

class venue_book {
public:
    explicit venue_book(const venue_options& opts);

    // In creation order; closed contests stay listed.
    const std::vector<std::string>& contest_ids() const noexcept { return contest_ids_; }
    bool has_contest(const std::string& id) const { return contests_.count(id) != 0; }
    bool is_open(const std::string& id) const;
    contest_info* info(const std::string& id);
    const contest_info* info(const std::string& id) const;
    // A new open contest with generated liquidity; returns its id.
    std::string add_contest(int64_t starts_at_ns);
    // The next venue timestamp for a change of `id`: now cut to `unit_ns`,
    // but always later than the contest's previous one (per-contest
    // timestamps strictly increase, so a client can order snapshot and
    // updates). Records it as the contest's last change.
    int64_t stamp(const std::string& id, int64_t now_unix_ns, int64_t unit_ns);
    // A position's levels by its six-part hash, or null.
    const partner_levels* find_position(std::string_view hash) const;
    const std::vector<std::string>& partners() const noexcept { return opts_.partners; }
    int64_t start_unix_ns() const noexcept { return opts_.start_unix_ns; }
    // "kalshi" -> "Kalshi": the display name the REST catalog shows.
    static std::string partner_name(std::string_view partner_id);

    // Picks `n` random changes on `contest` and applies them to the truth.
    std::vector<sim_entry> random_changes(const std::string& contest, unsigned n);
    // Fills the contest's initial liquidity (what a snapshot would show) and
    // returns it, so a simulator can also stream it as updates.
    std::vector<sim_entry> initial_entries(const std::string& contest) const;
    void apply(const std::string& contest, const sim_entry& e);

    // {"type":"liquidity.update",...} with the entries' numbers in varied forms.
    std::string update_json(const std::string& contest, const std::vector<sim_entry>& entries,
                            const std::string& timestamp);
    // GET /contests/:id/liquidity body (the seed's position shape).
    std::string snapshot_json(const std::string& contest, const std::string& timestamp) const;
    // Every entry with available > 0, one JSON object a line, sorted by
    // liquidity_hash: {"liquidity_hash":"p:hash","price":"0.49","available":"5400"}
    // `only`: one contest's lines, or every contest's when empty.
    std::string truth_lines(const std::string& only = {}) const;
    uint64_t changes_applied() const noexcept { return changes_; }

    // Exact decimal text of an e9 value in one of several JSON number forms.
    static std::string number_text(int64_t v_e9, unsigned form);

private:
    struct position {
        std::string hash;
        partner_levels levels;
    };
    struct contest {
        std::vector<position> positions;
        contest_info info;
    };
    uint64_t next() noexcept;
    void fill_contest(const std::string& id, contest& ct);

    venue_options opts_;
    uint64_t rng_;
    std::vector<std::string> contest_ids_;
    std::map<std::string, contest> contests_;
    uint64_t changes_ = 0;
};

} // namespace ef::sim
