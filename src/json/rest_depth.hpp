// GET /flow/v1/depth/:position_hash (seed 001): the full per-partner order
// book of one position, parsed without allocation. Driven by the daemon's
// depth poller for the positions a config selects, once per whole response
// body; the partners and their levels are walked lazily into the depth
// section of shared memory. Pure. See rest_common.hpp for the shared rules.
#pragma once

#include "json/rest_common.hpp"

namespace ef::json {

struct rest_depth_level {
    int64_t price_e9 = 0;     // required, exact
    int64_t available_e9 = 0; // required, exact
};

// Walk over one partner's levels[], in the order sent (the seed sends best
// first). ok, end, or this level's error (error_field(): "price",
// "available", or "" for an element that is not an object).
class depth_level_iterator {
public:
    depth_level_iterator() noexcept = default;
    depth_level_iterator(std::string_view array_json, scratch& s, int depth) noexcept
        : cur_(array_json, depth), scratch_(&s) {}
    item_status next(rest_depth_level& out) noexcept;
    const char* error_field() const noexcept { return field_; }

private:
    detail::array_cursor cur_;
    scratch* scratch_ = nullptr;
    const char* field_ = "";
};

struct rest_depth_partner {
    std::string_view partner_id;   // required, as sent ("kalshi")
    std::string_view partner_name; // optional
    int64_t best_price_e9 = 0;     // optional: absent or null when the book is empty
    bool has_best_price = false;
    int64_t total_available_e9 = 0; // optional
    bool has_total_available = false;
    int64_t fetched_at_ns = 0;    // required: when OpenMarkets read this partner's book
    std::string_view levels_json; // required: the array text "[...]"
    // The scratch given to parse_depth, not reset since.
    depth_level_iterator levels(scratch& s) const noexcept { return {levels_json, s, 5}; }
};

// Walk over data.partners[]. ok, end, or this partner's error
// (error_field(): "partner_id", "levels", "fetched_at", "partner_name",
// "best_price", "total_available", or "" for an element that is not an
// object; bad_value is a bad fetched_at).
class depth_partner_iterator {
public:
    depth_partner_iterator() noexcept = default;
    depth_partner_iterator(std::string_view array_json, scratch& s) noexcept
        : cur_(array_json, 3), scratch_(&s) {}
    item_status next(rest_depth_partner& out) noexcept;
    const char* error_field() const noexcept { return field_; }
    // True once an ok partner's fetched_at had digits below 1 ns (cut to ns).
    bool timestamp_truncated() const noexcept { return truncated_; }

private:
    detail::array_cursor cur_;
    scratch* scratch_ = nullptr;
    const char* field_ = "";
    bool truncated_ = false;
};

struct depth_answer {
    rest_meta meta;
    std::string_view position_hash; // as sent: the six-part hash, colons unescaped
    int64_t fetched_at_ns = 0;
    std::string_view partners_json; // the array text "[...]"
    depth_partner_iterator partners(scratch& s) const noexcept { return {partners_json, s}; }
};

// Parses one depth body. The scratch is reset here and must be at least
// body.size() bytes (else scratch_full); views live as long as the body and
// the scratch. Required: data (an object) with position_hash, partners (an
// array) and fetched_at (a timestamp); fields are named "data.fetched_at".
rest_status parse_depth(std::string_view body, scratch& s, depth_answer& out,
                        rest_diag& diag) noexcept;

} // namespace ef::json
