// Server -> client messages of the OpenMarkets stream (/flow/v1/stream; see
// /work/shared/PROTOCOL.md and seed 002), parsed without allocation. Driven by
// the feed's connection handler once per WebSocket text message, and by the
// simulator's tests. Pure: bytes in, views and integers out.
//
// Two steps, because the venue sends fields in any order: parse_stream_message
// makes one validating pass over the whole message, keeping the spans of the
// members it knows (duplicate keys: the last one wins) and checking the
// required ones; changed_entries is then walked by entry_iterator. The whole
// message is valid JSON before any entry is handed out, so a message that is
// cut or corrupt at its end never reaches the book half-applied. (The pass
// parses the first entries as it validates them, see detail::entry_cache, so
// the usual frame is read once.)
#pragma once

#include "json/decimal.hpp"
#include "json/scanner.hpp"
#include "json/timestamp.hpp"

#include <cstdint>
#include <string_view>

namespace ef::json {

enum class message_type : uint8_t {
    connected,
    subscribed,
    unsubscribed,
    liquidity_update,
    pong,
    error,
    contest_state_update,
    unknown, // valid JSON object with a "type" we do not know: not an error
};

const char* to_string(message_type t) noexcept;

enum class [[nodiscard]] message_status : uint8_t{
    ok,
    malformed,     // not JSON: `syntax` and `error_offset` say what and where
    not_an_object, // JSON, but the top-level value is not an object
    missing_field, // `field` names the required member that is absent
    wrong_type,    // `field` names the member whose JSON type is wrong
    bad_value,     // `field` has the right type and bad content (a timestamp)
    scratch_full,  // the scratch is smaller than the message
};

const char* to_string(message_status s) noexcept;

// One element of changed_entries. Views point into the message or the scratch.
struct liquidity_entry {
    std::string_view liquidity_hash; // "<partner_id>:<position_hash>", taken as sent
    std::string_view partner_id;
    int64_t price_e9 = 0;     // exact: price * 1e9
    int64_t available_e9 = 0; // exact: available * 1e9
};

// How many entries the validating pass parses as it goes (see entry_cache).
inline constexpr uint32_t eager_entry_capacity = 64;

namespace detail {

struct cached_entry {
    liquidity_entry entry;
    item_status status = item_status::ok;
    uint8_t error_field = 0; // index into the entry member names
};

// The validating pass has to read every entry anyway, so it parses the first
// eager_entry_capacity of them on the way instead of merely skipping them:
// one pass over the bytes for all usual frames. Entries past those are
// validated by the pass and parsed lazily by entry_iterator.
struct entry_cache {
    // items[i] is written before it is read (count says how many are), so
    // the array is left uninitialised: a stream_message made per frame
    // would otherwise zero 3.5 KiB each time.
    entry_cache() noexcept {}
    union {
        cached_entry items[eager_entry_capacity];
    };
    uint32_t count = 0;
    const char* rest = nullptr; // first element not cached; nullptr: all were
    const char* end = nullptr;  // end of the array text
};

} // namespace detail

struct liquidity_update;

// Walk over changed_entries. Each next() yields one entry or that entry's
// error; errors do not stop the walk, except scratch_full and malformed.
class entry_iterator {
public:
    entry_iterator() noexcept = default;
    // Lazily over any array text "[...]" (the scanner need not have seen it).
    entry_iterator(std::string_view array_json, scratch& s) noexcept;
    // Over a parsed update: its cached entries first, then the rest lazily.
    entry_iterator(const liquidity_update& u, scratch& s) noexcept;
    // ok: `out` is complete. end: no more entries. missing_field, wrong_type,
    // bad_number, inexact, out_of_range: this entry is unusable and
    // error_field() names the member (`out.liquidity_hash` is set when the
    // entry had a usable one, for the log). price and available may be JSON
    // numbers or strings holding a number (some venues quote them).
    item_status next(liquidity_entry& out) noexcept;
    // The member behind the last error ("price"), or "" for a non-object entry.
    const char* error_field() const noexcept;

private:
    const detail::entry_cache* cache_ = nullptr;
    uint32_t cached_next_ = 0;
    const char* p_ = nullptr;
    const char* end_ = nullptr;
    scratch* scratch_ = nullptr;
    uint8_t error_field_ = 0xff; // none yet
    bool well_formed_ = true;    // false: report malformed once the walk reaches end_
};

struct connected_message {
    std::string_view organization_id;
    std::string_view api_key_id;
    int64_t server_time_ns = 0;
};

// "subscribed" and "unsubscribed": the channel and its contest ids.
struct subscription_message {
    std::string_view channel;
    std::string_view contest_ids_json; // the array text, "[...]"; every element is a string
    string_iterator contest_ids(scratch& s) const noexcept { return {contest_ids_json, s}; }
};

struct liquidity_update {
    std::string_view contest_id;
    int64_t timestamp_ns = 0;
    bool refresh_required = false;
    std::string_view changed_entries_json; // the array text, "[...]"
    // The scratch must be the one given to parse_stream_message, not reset
    // since: cached entries point into it, later ones are decoded into it.
    // The iterator reads this update's cache: keep the message alive and do
    // not parse into it again while iterating.
    entry_iterator entries(scratch& s) const noexcept { return {*this, s}; }

    detail::entry_cache cache; // filled by parse_stream_message; read through entries()
};

struct pong_message {
    int64_t server_time_ns = 0;
};

struct error_message {
    std::string_view code;
    std::string_view message; // empty when absent
};

struct contest_state_update {
    std::string_view contest_id;
    int64_t timestamp_ns = 0;
    std::string_view state_json; // the object text, "{...}", validated, not interpreted
};

// The result of one parse. Only the member named by `type` is filled; views
// live as long as both the input and the scratch (until its next reset).
// About 4 KiB (the entry cache); cheap to construct, but keep one per
// connection rather than on a small stack.
struct stream_message {
    message_type type = message_type::unknown;
    std::string_view type_text; // the "type" value, decoded; for logging unknown types
    connected_message connected;
    subscription_message subscription;
    liquidity_update liquidity;
    pong_message pong;
    error_message error;
    contest_state_update contest_state;

    // Set when a timestamp had non-zero digits below 1 ns: the value was
    // truncated to ns and used; the caller counts it.
    bool timestamp_truncated = false;

    // Diagnostics for a non-ok status.
    const char* field = "";                              // missing_field, wrong_type, bad_value
    syntax_error syntax = syntax_error::none;            // malformed
    size_t error_offset = 0;                             // malformed: byte offset in the input
    timestamp_status time_status = timestamp_status::ok; // bad_value on a timestamp
};

// Parses one server -> client message. The scratch is reset here and must be
// at least in.size() bytes (else scratch_full): escaped strings are decoded
// into it, and the entry/contest-id iterators decode into it later. Required
// members, per type (other members are ignored, in any order):
//   connected: organization_id, api_key_id (strings), server_time (timestamp)
//   subscribed / unsubscribed: channel (string), contest_ids (array of strings)
//   liquidity.update: contest_id (string), refresh_required (bool),
//                     timestamp (timestamp string), changed_entries (array)
//   pong: server_time;  error: code (string), message optional (string)
//   contest_state.update: contest_id, timestamp, state (object)
message_status parse_stream_message(std::string_view in, stream_message& out, scratch& s) noexcept;

} // namespace ef::json
