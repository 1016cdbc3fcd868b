// Every choice that ../shared/PROTOCOL.md marks "(ours)", and the venue limits
// the seeds state, in one place: when a real venue says otherwise, this file
// changes and nothing else. The simulator uses the same constants, so the two
// cannot drift apart silently; the peer tests against a server we did not
// write keep them honest.
#pragma once

#include <cstdint>
#include <string_view>

namespace ef::openmarkets {

// Seed: "Concurrent connections — 3 per API key"; (ours) the 4th gets HTTP 429.
constexpr unsigned max_connections_per_key = 3;
constexpr int too_many_connections_status = 429;
// Seed: "Contests per connection — 200"; (ours) more is answered with an
// error "too_many_contests" and changes nothing.
constexpr unsigned max_contests_per_connection = 200;
constexpr std::string_view too_many_contests_code = "too_many_contests";
// Seed: a bad key is refused at upgrade with 401.
constexpr int unauthorized_status = 401;

// Auth: the key travels in the X-API-Key header on the upgrade (server-side
// clients may) by default, so it is never part of a URL that something logs;
// the api_key query parameter is the seed's browser form.
constexpr std::string_view api_key_header = "X-API-Key";
constexpr std::string_view api_key_query_param = "api_key";

// Seed: the server sends WebSocket pings every 25 s and closes a client that
// has not answered by the next tick.
constexpr int64_t server_ping_interval_ns = 25'000'000'000;

// Seed + PROTOCOL: reconnect after min(30 s, 1 s * 2^retry), with jitter,
// the retry count reset after a healthy session.
constexpr int64_t backoff_initial_ns = 1'000'000'000;
constexpr int64_t backoff_max_ns = 30'000'000'000;

// PROTOCOL (ours): the catalog's partner ids carry a "p_" prefix that the
// liquidity data does not ("p_kalshi" names the partner "kalshi").
constexpr std::string_view catalog_partner_prefix = "p_";
inline std::string_view liquidity_partner_id(std::string_view catalog_id) {
    return catalog_id.starts_with(catalog_partner_prefix)
               ? catalog_id.substr(catalog_partner_prefix.size())
               : catalog_id;
}

// PROTOCOL: liquidity_hash = "<partner_id>:<position_hash>", and a
// position_hash has six colon-separated parts, the first being the contest.
constexpr unsigned position_hash_parts = 6;

// PROTOCOL (ours): stream updates that arrive while a snapshot is in flight
// are held and re-applied on top of it when their timestamp is not earlier
// than the snapshot's meta.timestamp.
constexpr bool reapply_held_update(int64_t update_venue_ns, int64_t snapshot_venue_ns) {
    return update_venue_ns >= snapshot_venue_ns;
}

// The stream path and the REST base, relative to the host.
constexpr std::string_view stream_path = "/flow/v1/stream";
constexpr std::string_view rest_base_path = "/flow/v1";

} // namespace ef::openmarkets
