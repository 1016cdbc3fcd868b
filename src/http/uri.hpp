// Percent-encoding (RFC 3986 2.1) and query-string lookup for request
// targets. The REST client encodes a position hash into a path segment (its
// colons become %3A, as the OpenMarkets depth endpoint wants); the venue
// simulator decodes path segments and reads the api_key query parameter.
// Pure: each function writes only into the caller's buffer and allocates
// nothing, so any thread may call them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ef::http {

enum class [[nodiscard]] codec_status : int8_t{
    ok,
    absent,     // find_query_param: no parameter of that name
    bad_escape, // a '%' not followed by two hex digits
    no_room,    // the result does not fit in `out`
};

// Writes `segment` as one path segment into `out`: unreserved bytes
// (ALPHA / DIGIT / "-" / "." / "_" / "~") as they are, every other byte as
// %XX with upper-case hex (RFC 3986 2.1, 2.3). That is stricter than pchar
// allows (":" and "@" could stay) but is what the venues' examples show and
// can never be misread. On ok, `encoded` views the bytes written into out.
codec_status percent_encode_segment(std::string_view segment, std::span<char> out,
                                    std::string_view& encoded) noexcept;

// Decodes %XX escapes of a path segment into `out` ("+" stays "+": the form
// convention does not apply to paths). A decoded "%2F" becomes "/" and
// "%00" a NUL byte: the caller decides what a segment may hold. On ok,
// `decoded` views the bytes written into out; never longer than the input.
codec_status percent_decode(std::string_view in, std::span<char> out,
                            std::string_view& decoded) noexcept;

// As percent_decode, with "+" read as a space: the
// application/x-www-form-urlencoded convention of query strings.
codec_status query_decode(std::string_view in, std::span<char> out,
                          std::string_view& decoded) noexcept;

// The raw (still encoded) value of the first parameter called `name` in a
// query string ("a=1&api_key=k", without the '?'). Parameter names are
// compared after decoding, so "api%5Fkey" matches "api_key". A parameter
// without '=' has an empty value. Returns a view into `query`, or an empty
// view with data() == nullptr when there is no such parameter.
std::string_view find_query_param(std::string_view query, std::string_view name) noexcept;

// The same parameter's value decoded with query_decode into `out`; absent
// when there is no such parameter.
codec_status find_query_param(std::string_view query, std::string_view name, std::span<char> out,
                              std::string_view& value) noexcept;

} // namespace ef::http
