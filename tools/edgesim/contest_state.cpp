// See contest_state.hpp.
#include "edgesim/contest_state.hpp"

#include <fmt/format.h>

namespace ef::sim {

const char* to_string(game_status s) noexcept {
    switch (s) {
    case game_status::scheduled:
        return "scheduled";
    case game_status::in_progress:
        return "in_progress";
    case game_status::final:
        return "final";
    }
    return "unknown";
}

bool game_state::tick(uint64_t r) noexcept {
    switch (status) {
    case game_status::scheduled:
        if (ticks_to_start > 0) {
            --ticks_to_start;
            return false;
        }
        status = game_status::in_progress;
        period = 1;
        remaining_seconds = period_seconds;
        running = true;
        return true;
    case game_status::in_progress:
        remaining_seconds -= seconds_per_tick;
        // About one tick in three scores, for either side, 1 to 3 points.
        if (r % 6 == 0) home += 1 + static_cast<unsigned>((r >> 8) % 3);
        if (r % 6 == 1) away += 1 + static_cast<unsigned>((r >> 8) % 3);
        if (remaining_seconds <= 0) {
            if (period < periods) {
                ++period;
                remaining_seconds = period_seconds;
            } else {
                finish();
            }
        }
        return true;
    case game_status::final:
        return false;
    }
    return false;
}

bool game_state::finish() noexcept {
    if (status == game_status::final) return false;
    status = game_status::final;
    remaining_seconds = 0;
    running = false;
    if (period == 0) period = periods;
    return true;
}

std::string state_json(const game_state& s) {
    const char* result = "pending";
    const char* winner = "null";
    if (s.status == game_status::final) {
        result = s.home > s.away ? "home" : s.away > s.home ? "away" : "draw";
        winner = s.home > s.away ? "\"p_home\"" : s.away > s.home ? "\"p_away\"" : "null";
    }
    const char* ordinal[] = {"", "1st", "2nd", "3rd", "4th"};
    const std::string period =
        s.period == 0 ? "null"
                      : fmt::format(R"({{"number":{},"label":"{} Quarter","type":"quarter"}})",
                                    s.period, ordinal[s.period <= 4 ? s.period : 4]);
    const int rem = s.remaining_seconds < 0 ? 0 : s.remaining_seconds;
    return fmt::format(
        R"({{"game_status":"{}","clock":{{"display":"{}:{:02}","remaining_seconds":{},"is_running":{}}},"period":{},"contest_result":"{}","winner_participant_id":{},"scores":{{"home":{},"away":{}}},"situation":null}})",
        to_string(s.status), rem / 60, rem % 60, rem, s.running ? "true" : "false", period, result,
        winner, s.home, s.away);
}

} // namespace ef::sim
