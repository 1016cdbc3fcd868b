// The catalog lists of the OpenMarkets REST API (seed 001): GET
// /flow/v1/contests (cursor-paginated) and GET /flow/v1/partners, parsed
// without allocation. Driven by the daemon's control thread when it builds
// or refreshes its contest and partner tables at start-up and on a timer;
// pure: bytes in, views out. See rest_common.hpp for the shared rules.
#pragma once

#include "json/rest_common.hpp"

namespace ef::json {

// One contest of the list. Other members (title, type, tags, ...) are ignored.
struct rest_contest {
    std::string_view id;        // required
    std::string_view league_id; // optional ("" when absent or null)
    std::string_view status;    // optional, as sent ("open")
    int64_t starts_at_ns = 0;   // set when has_starts_at
    bool has_starts_at = false; // false: absent or null
};

// Walk over data[]. ok, end, or this contest's error (error_field() names
// the member: "id", "league_id", "status", "starts_at", or "" for an element
// that is not an object; bad_value is a bad starts_at timestamp). Errors do
// not stop the walk, except scratch_full and malformed.
class contest_iterator {
public:
    contest_iterator() noexcept = default;
    contest_iterator(std::string_view array_json, scratch& s) noexcept
        : cur_(array_json, detail::data_depth), scratch_(&s) {}
    item_status next(rest_contest& out) noexcept;
    const char* error_field() const noexcept { return field_; }
    // True once an ok contest's starts_at had digits below 1 ns (cut to ns).
    bool timestamp_truncated() const noexcept { return truncated_; }

private:
    detail::array_cursor cur_;
    scratch* scratch_ = nullptr;
    const char* field_ = "";
    bool truncated_ = false;
};

struct contests_page {
    rest_meta meta;
    rest_pagination pagination; // while has_more: pass next_cursor back as ?cursor=
    std::string_view data_json; // the array text "[...]"
    contest_iterator contests(scratch& s) const noexcept { return {data_json, s}; }
};

// Parses one page of GET /contests. The scratch is reset here and must be at
// least body.size() bytes (else scratch_full); views live as long as the body
// and the scratch. Required: data (an array); pagination is optional, but
// when present needs has_more.
rest_status parse_contests_page(std::string_view body, scratch& s, contests_page& out,
                                rest_diag& diag) noexcept;

// One partner of the catalog. credential_fields and the rest are ignored.
struct rest_partner {
    std::string_view partner_id; // required, as sent ("p_kalshi"; see openmarkets::liquidity_partner_id)
    std::string_view name;       // optional
    std::string_view status;     // optional ("active")
};

// Walk over data[]; as contest_iterator ("partner_id", "name", "status").
class partner_iterator {
public:
    partner_iterator() noexcept = default;
    partner_iterator(std::string_view array_json, scratch& s) noexcept
        : cur_(array_json, detail::data_depth), scratch_(&s) {}
    item_status next(rest_partner& out) noexcept;
    const char* error_field() const noexcept { return field_; }

private:
    detail::array_cursor cur_;
    scratch* scratch_ = nullptr;
    const char* field_ = "";
};

struct partners_list {
    rest_meta meta;             // the seed's example has none
    rest_pagination pagination; // optional
    std::string_view data_json; // the array text "[...]"
    partner_iterator partners(scratch& s) const noexcept { return {data_json, s}; }
};

// Parses GET /partners; as parse_contests_page.
rest_status parse_partners(std::string_view body, scratch& s, partners_list& out,
                           rest_diag& diag) noexcept;

} // namespace ef::json
