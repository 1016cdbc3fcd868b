// What the order answer parsers share (om_order_response, ct_order): their
// status, the venues' error bodies, and the pieces that read one member of
// an answer. Driven by the order loop on every answer a venue sends to an
// order; pure: bytes in, views out, no allocation, no logging.
//
// Strings are views into the body when they have no escape (always, in
// practice); an escaped one is decoded into the output struct's own text
// area, which is why those structs cannot be copied (the views would point
// into the original). Free text (reasons, messages) too long for that area is
// cut at a character boundary and flagged, never refused: a fill must not be
// lost to a long broker message.
#pragma once

#include "json/rest_common.hpp"
#include "json/scanner.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ef::json {

enum class [[nodiscard]] json_status : uint8_t{
    ok,
    malformed,     // not one JSON value (cut, corrupt, trailing bytes)
    not_an_object, // JSON, but not the object expected there (bad_field says which)
    missing_field, // a required member is absent (bad_field names it)
    wrong_type,    // a member is null where required, or of another JSON type
    bad_number,    // not number grammar, or not exact in 1e-9 units, or out of range
    bad_value,     // right type, bad content (a timestamp)
    text_too_long, // an escaped identifier does not fit the text area
};

const char* to_string(json_status s) noexcept;

// Bytes for decoded escaped strings per parsed answer.
inline constexpr size_t order_text_bytes = 1024;

// A venue's refusal: OpenMarkets {"error":{"code","message"}} (code e.g.
// "unknown_parameter", "forbidden"), Connect Trade {"message"} (code empty).
struct venue_error {
    venue_error() noexcept = default;
    venue_error(const venue_error&) = delete;
    venue_error& operator=(const venue_error&) = delete;

    std::string_view code;
    std::string_view message;   // "" when absent or null (OpenMarkets)
    bool message_truncated = false;
    const char* bad_field = "";
    char text_[order_text_bytes / 2];
};

// {"error":{"code":string,"message":string|null|absent}}; other members
// ignored. Views live as long as `body` and `out`.
json_status parse_om_error(std::string_view body, venue_error& out) noexcept;
// {"message":string}; other members ignored.
json_status parse_ct_error(std::string_view body, venue_error& out) noexcept;

namespace order_detail {

using detail::members;
using detail::name_list;

// The top of a body: one object, its members `names` recorded, everything
// validated, nothing but whitespace after it.
json_status open_body(std::string_view body, name_list names, members& m) noexcept;
// Member i of `outer` (named by outer_names[i]): an object already validated
// at `depth`, re-read for `names`.
json_status open_member(const members& outer, name_list outer_names, unsigned i, int depth,
                        name_list names, members& m, const char*& bad_field) noexcept;
// A reader's failure as a status, with the member named.
json_status from_field(const detail::field_result& r, std::string_view name,
                       const char*& bad_field) noexcept;
// Free text: a string (cut to the scratch's room if escaped and too long,
// setting truncated), or null / absent (empty).
json_status read_free_text(const members& m, unsigned i, name_list names, scratch& s,
                           std::string_view& out, bool& truncated,
                           const char*& bad_field) noexcept;
// The longest prefix of an escaped string's raw text that ends between
// escapes and UTF-8 sequences and is at most `room` bytes.
size_t cut_escaped(std::string_view raw, size_t room) noexcept;

} // namespace order_detail

} // namespace ef::json
