// GET /flow/v1/contests/:id/liquidity (seed 001, "Position shape"): the full
// liquidity snapshot of one contest, parsed without allocation. Driven by the
// daemon's REST resync of a contest (after a reconnect, a refresh_required
// update, or a gap) once per whole response body; the positions and their
// partner quotes are then walked lazily and written over the contest's book.
// Pure: bytes in, views and integers out. See rest_common.hpp for the rules
// every REST body follows.
#pragma once

#include "json/rest_common.hpp"

namespace ef::json {

// One element of a position's partner_liquidities. Other members
// (partner_name, american_odds, ...) are ignored.
struct rest_partner_liquidity {
    std::string_view partner_id; // as sent ("kalshi")
    int64_t price_e9 = 0;        // required: price * 1e9, exact
    int64_t available_e9 = 0;    // required: available * 1e9, exact; 0 = nothing there
};

// Walk over partner_liquidities. Each next() yields one quote or that
// quote's error; errors do not stop the walk, except scratch_full and
// malformed.
class partner_liquidity_iterator {
public:
    partner_liquidity_iterator() noexcept = default;
    // array_json: the array text "[...]"; depth: its nesting depth in the body.
    partner_liquidity_iterator(std::string_view array_json, scratch& s, int depth) noexcept
        : cur_(array_json, depth), scratch_(&s) {}
    // ok: `out` is complete. end: no more. missing_field, wrong_type,
    // bad_number, inexact, out_of_range: this quote is unusable and
    // error_field() names the member ("" for an element that is not an object).
    item_status next(rest_partner_liquidity& out) noexcept;
    const char* error_field() const noexcept { return field_; }

private:
    detail::array_cursor cur_;
    scratch* scratch_ = nullptr;
    const char* field_ = "";
};

struct rest_position {
    std::string_view position_hash;            // required
    std::string_view contest_id;               // optional ("" when absent or null)
    std::string_view partner_liquidities_json; // required: the array text "[...]"
    // The scratch given to parse_liquidity_snapshot, not reset since.
    partner_liquidity_iterator partners(scratch& s) const noexcept {
        return {partner_liquidities_json, s, 4};
    }
};

// Walk over data[]: each next() yields one position or its error (then
// error_field() names the member: "position_hash", "partner_liquidities",
// "contest_id", or "" for an element that is not an object). A position
// whose quotes are bad is still ok here: its quotes report their own errors.
class position_iterator {
public:
    position_iterator() noexcept = default;
    position_iterator(std::string_view array_json, scratch& s) noexcept
        : cur_(array_json, detail::data_depth), scratch_(&s) {}
    item_status next(rest_position& out) noexcept;
    const char* error_field() const noexcept { return field_; }

private:
    detail::array_cursor cur_;
    scratch* scratch_ = nullptr;
    const char* field_ = "";
};

struct liquidity_snapshot {
    rest_meta meta;             // meta.timestamp: the last change the snapshot includes
    std::string_view data_json; // the array text "[...]"
    position_iterator positions(scratch& s) const noexcept { return {data_json, s}; }
};

// Parses one liquidity snapshot body. The scratch is reset here and must be
// at least body.size() bytes (else scratch_full); views live as long as the
// body and the scratch. Required: data (an array) and meta.timestamp, which
// orders the snapshot against stream updates (PROTOCOL.md): missing_field
// "meta.timestamp" without it. Positions are checked as they are walked.
rest_status parse_liquidity_snapshot(std::string_view body, scratch& s, liquidity_snapshot& out,
                                     rest_diag& diag) noexcept;

} // namespace ef::json
