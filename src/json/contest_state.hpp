// Live game state of a contest (seed 001, "Live contest state"): the "state"
// object shared by GET /contests/:id/state, POST /contest-state/batch and the
// stream's contest_state.update (stream_message.hpp hands its state_json
// here). Driven by the daemon when it writes ef_contest_state records
// (include/edgefeed/layout.h): on a resync by REST and on every stream update.
// Pure and allocation-free; see rest_common.hpp for the shared rules.
//
// The state object, all members optional (ours where the seed is silent):
//   game_status: text; mapped to enum ef_game_status (unknown -> EF_GAME_OTHER,
//                absent -> EF_GAME_UNKNOWN), kept as sent in game_status_text
//   clock: {display, remaining_seconds, is_running} -> HAS_CLOCK (and
//          CLOCK_RUNNING); remaining_seconds is cut to whole seconds
//   period: {number, label, type} -> HAS_PERIOD
//   contest_result: text; winner_participant_id: text -> HAS_WINNER (null: none)
//   scores: {home, away} numbers -> HAS_SCORES; any other shape (a
//           leaderboard, strings, one side only) is not an error, just no scores
//   situation and anything else: ignored
#pragma once

#include "json/rest_common.hpp"

#include "edgefeed/layout.h"

namespace ef::json {

struct contest_state {
    uint32_t flags = 0;       // enum ef_state_flags; EF_STATE_PRESENT always set on ok
    uint32_t game_status = 0; // enum ef_game_status
    std::string_view game_status_text, clock_display, period_label, period_type, contest_result,
        winner_participant_id; // as sent, decoded; "" when absent or null
    int32_t clock_remaining_s = 0;
    int32_t period_number = 0;
    int64_t score_home = 0, score_away = 0;
};

// Maps the venue's game_status text ("in_progress", also "live"; "final",
// also "closed" and "complete"; ...) to enum ef_game_status.
uint32_t game_status_of(std::string_view text) noexcept;

// Parses one state object ("{...}", surrounding whitespace allowed). Unlike
// the body parsers it does not reset the scratch: strings are decoded into
// its free space (scratch_full when there is none), so the stream's
// state_json can be read with the scratch its message was parsed into.
// diag.field names a bad member by its path ("clock.remaining_seconds").
rest_status parse_state_object(std::string_view state_object_json, scratch& s,
                               contest_state& out, rest_diag& diag) noexcept;

struct state_entry {
    std::string_view contest_id;
    contest_state state;
    int64_t refreshed_at_ns = 0; // required: when the venue last refreshed it
};

// GET /contests/:id/state. The scratch is reset here and must be at least
// body.size() bytes. Required: data.contest_id, data.state (an object),
// data.refreshed_at; fields are named "data.state.clock".
rest_status parse_contest_state(std::string_view body, scratch& s, state_entry& out,
                                rest_diag& diag) noexcept;

// Walk over the batch answer's data object, one member per contest. ok, end,
// or this entry's error: error_field() names the member ("refreshed_at",
// "state", "state.scores.home", or "" for a value that is not an object) and
// `out.contest_id` is set when the entry had one, for the log.
class state_batch_iterator {
public:
    state_batch_iterator() noexcept = default;
    // object_json: the data object's text "{...}".
    state_batch_iterator(std::string_view object_json, scratch& s) noexcept
        : cur_(object_json, detail::data_depth), scratch_(&s) {}
    item_status next(state_entry& out) noexcept;
    const char* error_field() const noexcept { return field_; }
    // True once an ok entry's refreshed_at had digits below 1 ns (cut to ns).
    bool timestamp_truncated() const noexcept { return truncated_; }

private:
    detail::member_cursor cur_;
    scratch* scratch_ = nullptr;
    const char* field_ = "";
    bool truncated_ = false;
};

struct state_batch {
    rest_meta meta;
    std::string_view data_json; // the object text "{...}", keyed by contest id
    state_batch_iterator entries(scratch& s) const noexcept { return {data_json, s}; }
};

// POST /contest-state/batch. As parse_contest_state; data must be an object
// (contests without state are simply absent from it, seed 001). An entry
// without contest_id takes its key.
rest_status parse_state_batch(std::string_view body, scratch& s, state_batch& out,
                              rest_diag& diag) noexcept;

} // namespace ef::json
