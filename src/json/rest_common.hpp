// What every OpenMarkets REST parser shares (PROTOCOL.md "OpenMarkets REST",
// seed 001): the status and diagnostics of one body, the envelope's meta and
// pagination, and the lazy walks over arrays and objects that the iterators
// are built on. Driven by the rest_* parsers, which the daemon calls once per
// whole (de-chunked) response body; pure and allocation-free.
//
// Every parser works in two steps, as the stream parser does: one validating
// pass over the whole body (a body that is cut or corrupt anywhere is refused
// before anything is handed out), then lazy iterators that parse one element
// per next(). Field order is free, unknown members are ignored whatever their
// type, duplicate members: the last one wins.
//
// Rules common to every REST shape (ours where the seed is silent):
//  - An optional member that is null is the same as one that is absent.
//  - A required member that is null has the wrong type; absent, it is missing.
//  - Amounts (price, available, ...) are JSON numbers of any form or strings
//    holding one, kept exact in 1e-9 units; integers (limit, period number,
//    scores) are JSON numbers with no fractional part, |n| < 9.2e9.
//  - Timestamps are ISO-8601 UTC strings with any number of fractional
//    digits; digits below 1 ns are cut and reported: rest_diag's
//    timestamp_truncated for the body's own, the iterator's
//    timestamp_truncated() for its elements'.
//  - Strings are returned as sent: partner ids are not translated ("p_kalshi"
//    in the catalog, "kalshi" in liquidity and depth; the caller applies
//    openmarkets::liquidity_partner_id).
#pragma once

#include "json/decimal.hpp"
#include "json/scanner.hpp"
#include "json/timestamp.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace ef::json {

enum class [[nodiscard]] rest_status : uint8_t{
    ok,
    malformed,     // not JSON: diag.syntax and diag.error_offset say what and where
    not_an_object, // JSON, but the top-level value (or the given object) is not an object
    missing_field, // diag.field names the required member that is absent
    wrong_type,    // diag.field names the member whose JSON type is wrong
    bad_value,     // diag.field has the right type and bad content (timestamp, number)
    scratch_full,  // the scratch is smaller than the body
};

const char* to_string(rest_status s) noexcept;

// Why a body was refused, plus one notice that may be set on ok.
struct rest_diag {
    // missing_field, wrong_type, bad_value: the member's path from the top of
    // what was parsed ("data.fetched_at", "meta.timestamp", "state.clock").
    const char* field = "";
    syntax_error syntax = syntax_error::none;            // malformed
    size_t error_offset = 0;                             // malformed: byte offset in the input
    timestamp_status time_status = timestamp_status::ok; // bad_value on a timestamp
    decimal_status number_status = decimal_status::ok;   // bad_value on a number
    // Set (also on ok) when a top-level timestamp had non-zero digits below
    // 1 ns: the value was cut to ns and used; the caller counts it.
    bool timestamp_truncated = false;
};

// The envelope's "meta": {"timestamp":…, "api_version":"v1"}. Absent or null
// meta reads as no timestamp (the seed's partners example has none); the
// liquidity snapshot requires the timestamp.
struct rest_meta {
    int64_t timestamp_ns = 0;
    bool has_timestamp = false;
    std::string_view api_version; // as sent ("v1"), "" when absent; not checked
};

// The envelope's optional "pagination": {"next_cursor":…|null, "has_more":…,
// "limit":…}. Required inside a present pagination: has_more (without it we
// cannot tell a complete list from a cut one). next_cursor and limit are
// optional.
struct rest_pagination {
    bool present = false;
    bool has_more = false;               // false when pagination is absent
    bool has_next_cursor = false;        // false: null or absent
    std::string_view next_cursor;        // opaque: pass back as ?cursor= (seed)
    bool has_limit = false;
    int64_t limit = 0;
};

// The venue's error body (PROTOCOL.md, ours): {"error":{"code":…,"message":…}}.
struct rest_error {
    std::string_view code;    // "not_found", "unknown_parameter", ...
    std::string_view message; // "" when absent or null
};

// True with `out` set when `body` is that shape (code a string, message a
// string, null or absent; other members ignored); false for anything else,
// a success envelope included. Resets the scratch; needs body.size() bytes.
bool parse_rest_error(std::string_view body, scratch& s, rest_error& out) noexcept;

namespace detail {

// Nesting depths of the parts of a body (the body's object is depth 1):
// the lazy iterators are handed only the array text, so they are told.
inline constexpr int data_depth = 2;

// The members of one object that a parser knows, by index into its name
// list; the last duplicate wins. Optional members are read with given(),
// which treats null as absent.
struct members {
    static constexpr unsigned capacity = 16;
    value v[capacity];
    uint32_t present = 0;
    bool has(unsigned i) const noexcept { return (present >> i) & 1u; }
    bool given(unsigned i) const noexcept { return has(i) && v[i].kind != value_kind::null_value; }
};

using name_list = std::span<const std::string_view>;

// p at any value (object members are at `depth` + 1). An object has the
// members named in `names` recorded and everything validated; any other
// value is validated and is_object is cleared.
syntax_error scan_record(const char*& p, const char* end, int depth, name_list names,
                         members& m, bool& is_object) noexcept;

// The outcome of reading one member: the item status, plus what a rest_diag
// reports for numbers and timestamps.
struct field_result {
    item_status status = item_status::ok;
    decimal_status number = decimal_status::ok;
    timestamp_status time = timestamp_status::ok;
    bool truncated = false; // a timestamp cut to ns (status stays ok)
};

// Each reads member i of m. A required member that is absent is
// missing_field, null or of another type wrong_type; an optional one that is
// absent or null leaves `out` alone and returns ok with *given = false.
field_result read_string(const members& m, unsigned i, scratch& s, std::string_view& out,
                         bool* given = nullptr) noexcept;
// A JSON number or a string holding one, exact in 1e-9 units.
field_result read_amount(const members& m, unsigned i, scratch& s, int64_t& out,
                         bool* given = nullptr) noexcept;
// A JSON number with no fractional part (5, 5.0 and 5e0 alike); a fraction
// is bad_value, a magnitude of 9.2e9 or more out_of_range.
field_result read_integer(const members& m, unsigned i, int64_t& out,
                          bool* given = nullptr) noexcept;
field_result read_timestamp(const members& m, unsigned i, scratch& s, int64_t& out,
                            bool* given = nullptr) noexcept;
field_result read_bool(const members& m, unsigned i, bool& out, bool* given = nullptr) noexcept;

// The rest_status a member's failure gives the whole body, with the diag filled.
rest_status fail_field(const field_result& r, const char* field, rest_diag& diag) noexcept;

// The common front of every envelope parser: resets the scratch and the
// diag, validates the whole body, reads meta and pagination (into *pagination
// when given; without it pagination is validated JSON and otherwise ignored)
// and hands back the data member, which must be present and not null.
rest_status parse_envelope(std::string_view body, scratch& s, rest_meta& meta,
                           rest_pagination* pagination, value& data, rest_diag& diag) noexcept;

// One element at p: an object has the members `names` recorded and handed
// to finish(const members&) for its item status; anything else is validated
// and is wrong_type. Returns the element's syntax error.
template <typename Finish>
syntax_error parse_element(const char*& p, const char* end, int depth, name_list names,
                           item_status& st, Finish&& finish) noexcept {
    members m;
    bool is_object = false;
    const syntax_error e = scan_record(p, end, depth, names, m, is_object);
    if (e == syntax_error::none) st = is_object ? finish(m) : item_status::wrong_type;
    return e;
}

// The walk over an array's elements shared by the REST iterators. It only
// finds where each element starts; the iterator parses the element (which
// validates it) and hands the outcome back through next().
class array_cursor {
public:
    array_cursor() noexcept = default;
    // array_json: the whole array text "[...]"; depth: the array's own depth.
    array_cursor(std::string_view array_json, int depth) noexcept
        : p_(array_json.data()), end_(array_json.data() + array_json.size()), depth_(depth) {
        first_element(p_, end_, well_formed_);
    }

    // parse(const char*& p, const char* end, int depth, item_status& st)
    // consumes the element at p (at `depth`), sets st and returns its syntax
    // error. Returns st, or end, or malformed once for text that is not a
    // well-formed array (then end). scratch_full ends the walk too.
    template <typename F>
    item_status next(F&& parse) noexcept {
        if (p_ == end_) {
            if (well_formed_) return item_status::end;
            well_formed_ = true; // reported once; the next call says end
            return item_status::malformed;
        }
        item_status st = item_status::ok;
        if (parse(p_, end_, depth_ + 1, st) != syntax_error::none) {
            p_ = end_;
            return item_status::malformed;
        }
        next_element(p_, end_, well_formed_);
        if (st == item_status::scratch_full) {
            p_ = end_;
            well_formed_ = true;
        }
        return st;
    }

private:
    const char* p_ = nullptr;
    const char* end_ = nullptr;
    int depth_ = 1;
    bool well_formed_ = true; // false: report malformed once the walk reaches end_
};

// The same for an object's members (the batch answer is keyed by contest id):
// parse(const value& key, const char*& p, const char* end, int depth,
// item_status& st) consumes the member's value at p.
class member_cursor {
public:
    member_cursor() noexcept = default;
    member_cursor(std::string_view object_json, int depth) noexcept;

    template <typename F>
    item_status next(F&& parse) noexcept {
        if (p_ == end_) {
            if (well_formed_) return item_status::end;
            well_formed_ = true;
            return item_status::malformed;
        }
        item_status st = item_status::ok;
        value key;
        if (*p_ != '"' || scan_string(p_, end_, key) != syntax_error::none ||
            take_colon(p_, end_) != syntax_error::none ||
            parse(key, p_, end_, depth_ + 1, st) != syntax_error::none) {
            p_ = end_;
            return item_status::malformed;
        }
        advance();
        if (st == item_status::scratch_full) {
            p_ = end_;
            well_formed_ = true;
        }
        return st;
    }

private:
    void advance() noexcept; // past the separator: at the next key, or at end_

    const char* p_ = nullptr;
    const char* end_ = nullptr;
    int depth_ = 1;
    bool well_formed_ = true;
};

} // namespace detail

} // namespace ef::json
