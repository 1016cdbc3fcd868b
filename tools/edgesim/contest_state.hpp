// The live game state of one simulated contest (seed 001 "Live contest
// state"): status scheduled -> in_progress -> final, a running clock over four
// quarters and scores that change now and then. The simulator's state ticker
// advances it; REST /state, /contest-state/batch and the contest_state stream
// channel all print it with state_json(), so the three always agree.
#pragma once

#include <cstdint>
#include <string>

namespace ef::sim {

enum class game_status : uint8_t { scheduled, in_progress, final };

const char* to_string(game_status s) noexcept;

struct game_state {
    game_status status = game_status::scheduled;
    unsigned period = 0;       // 1..periods once in progress
    int remaining_seconds = 0; // on the period's clock
    bool running = false;
    unsigned home = 0, away = 0; // scores
    unsigned ticks_to_start = 0; // scheduled: ticks until kick-off

    static constexpr unsigned periods = 4;
    static constexpr int period_seconds = 720; // 12-minute quarters
    static constexpr int seconds_per_tick = 30;

    // One tick of game time; `r` is fresh random bits (the caller's seeded
    // generator, so a run repeats). Returns whether anything visible changed.
    bool tick(uint64_t r) noexcept;
    // Ends the game at once (the contest was closed).
    bool finish() noexcept;
};

// The seed's "state" object: game_status, clock, period, contest_result,
// winner_participant_id, scores, situation.
std::string state_json(const game_state& s);

} // namespace ef::sim
