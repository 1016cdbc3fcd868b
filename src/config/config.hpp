// The daemon's configuration: plain structs with the built-in defaults, the
// TOML reader and the validator. Driven once at start-up by the daemon's
// command line (daemon_cli.cpp) and by tools that read the same file; never on
// the hot path, so it may allocate and use toml++ (which throws) internally.
//
// Every problem is reported as one line "where: key.path[i]: what is wrong",
// where "where" is "file:line:col" for a value read from TOML, the flag
// ("--cores") for a command-line override, and absent for a default. All
// problems are collected before refusing, so one run shows them all.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "common/result.hpp"

namespace ef::config {

// How a loop waits when it has nothing to do. Waking a halted vCPU costs
// 30-40 us (FIELD.md), so latency-critical loops spin.
enum class idle_mode : uint8_t { spin, spin_then_sleep, sleep };

// Where the API key goes on the upgrade request (PROTOCOL.md "Auth").
enum class api_key_in : uint8_t { header, query };

struct daemon_section {
    std::vector<int> cores{0}; // one io_uring loop per entry, pinned there
    idle_mode idle = idle_mode::spin;
    uint32_t spin_before_sleep_us = 200; // spin_then_sleep: spin this long first
    uint32_t sleep_max_us = 1000;        // longest single sleep when idle
    log::level log_level = log::level::info;
    bool mlock = true; // mlockall(): no page faults on the hot path

    bool operator==(const daemon_section&) const = default;
};

// Sizes fixed at start-up: the shared-memory region and every per-loop pool
// are allocated from these, so the hot path never allocates.
struct capacity_section {
    uint32_t contests = 4096;
    uint32_t partners = 64;
    uint32_t positions = 131072;
    uint32_t levels_per_position = 8;
    uint32_t journal_entries = 65536;     // per loop, power of two
    uint32_t max_message_bytes = 1 << 20; // WebSocket message; larger closes with 1009
    uint32_t recv_buffers = 256;          // provided buffers per loop, power of two
    uint32_t recv_buffer_bytes = 16384;   // power of two
    uint32_t send_buffer_bytes = 65536;   // per connection
    uint32_t rest_body_bytes = 8 << 20;   // largest REST answer body (a contest snapshot)
    uint32_t hold_bytes = 4 << 20;        // per stream connection: updates held during snapshots
    uint32_t depth_positions = 64;        // depth records in shared memory
    uint32_t depth_partners = 16;         // partner slots per depth record
    uint32_t depth_levels = 16;           // price levels per partner slot
    uint32_t tls_pool_bytes = 8 << 20;    // per loop: wolfSSL's heap (handshakes, records)

    bool operator==(const capacity_section&) const = default;
};

struct discovery_section {
    std::vector<std::string> leagues; // empty: discovery off
    std::string status = "open";      // GET /contests?status=
    uint32_t refresh_s = 60;

    bool operator==(const discovery_section&) const = default;
};

struct depth_section {
    std::vector<std::string> positions; // position hashes to keep full depth for
    uint32_t refresh_ms = 1000;

    bool operator==(const depth_section&) const = default;
};

struct timeouts_section {
    uint32_t connect_ms = 3000;
    uint32_t tls_handshake_ms = 5000;
    uint32_t upgrade_ms = 5000;
    uint32_t heartbeat_timeout_ms = 60000; // nothing (data or pong) this long: dead
    uint32_t app_ping_interval_ms = 15000;
    uint32_t rest_timeout_ms = 5000;

    bool operator==(const timeouts_section&) const = default;
};

// min(max_ms, initial_ms * 2^retry) with +-jitter_pct % (PROTOCOL.md "Close
// and reconnect"); a session that lasts healthy_after_ms resets retry to 0.
struct backoff_section {
    uint32_t initial_ms = 1000;
    uint32_t max_ms = 30000;
    uint32_t jitter_pct = 20;
    uint32_t healthy_after_ms = 30000;

    bool operator==(const backoff_section&) const = default;
};

struct openmarkets_section {
    std::string stream_url = "wss://127.0.0.1:8443/flow/v1/stream";
    std::string rest_url;     // empty: https://<stream host:port>/flow/v1
    std::string ca_file;      // empty: the system bundle (system_ca_file); never unverified
    std::string server_name;  // empty: each URL's own host
    std::string api_key_file; // wins over api_key_env when set
    std::string api_key_env = "EDGEFEED_OPENMARKETS_API_KEY";
    api_key_in key_in = api_key_in::header;
    std::vector<std::string> contests;
    uint32_t connections = 1;               // venue limit: 3 per key
    uint32_t contests_per_connection = 200; // venue limit: 200
    uint32_t rest_connections = 2;          // keep-alive HTTPS connections per loop
    uint32_t snapshot_concurrency = 8;      // snapshots in flight per stream connection
    bool contest_state = true;              // follow live contest state
    uint32_t partners_refresh_s = 300;      // GET /partners period
    discovery_section discovery;
    depth_section depth;
    timeouts_section timeouts;
    backoff_section backoff;

    bool operator==(const openmarkets_section&) const = default;
};

struct daemon_config {
    std::string instance = "default"; // shm object /edgefeed.<instance>
    daemon_section daemon;
    capacity_section capacity;
    openmarkets_section openmarkets;

    bool operator==(const daemon_config&) const = default;
};

// Trust store used when openmarkets.ca_file is empty (Debian's ca-certificates).
inline constexpr std::string_view system_ca_file = "/etc/ssl/certs/ca-certificates.crt";

// Parses TOML text; source_name labels positions in messages ("edgefeed.toml").
// Keys the text leaves out keep their value from `base` (the built-in defaults
// unless given). The result has passed validate().
result<daemon_config> parse_config(std::string_view toml_text, std::string_view source_name);
result<daemon_config> parse_config(std::string_view toml_text, std::string_view source_name,
                                   const daemon_config& base);
// Reads and parses a file (at most 1 MiB); errors name the path.
result<daemon_config> load_config_file(const std::string& path);
result<daemon_config> load_config_file(const std::string& path, const daemon_config& base);

// Checks every rule (ranges, powers of two, names, URLs, cross-key limits) and
// reports every broken one, one per line.
status validate(const daemon_config& cfg);

// A value given outside the file, e.g. on the command line: `values` holds the
// text for one key (one entry for a scalar, any number for an array).
struct key_override {
    std::string_view key;  // dotted path, e.g. "daemon.cores"
    std::string_view from; // named in messages, e.g. "--cores"
    std::vector<std::string> values;
};
// Applies the overrides in order and validates the result; problems name the
// key and where its value came from.
result<daemon_config> apply_overrides(daemon_config cfg, std::span<const key_override> overrides);

// The config as TOML, every key in documented order; parse_config() of the
// text gives back an equal config. Holds no secret (the config only names
// where the key comes from).
std::string to_toml(const daemon_config& cfg);

// Names as written in the file.
std::string_view to_string(idle_mode m) noexcept;
std::string_view to_string(api_key_in k) noexcept;
std::string_view to_string(log::level l) noexcept;
std::optional<idle_mode> parse_idle_mode(std::string_view s) noexcept;
std::optional<api_key_in> parse_api_key_in(std::string_view s) noexcept;
std::optional<log::level> parse_log_level(std::string_view s) noexcept;

// [A-Za-z0-9_.-]{1,47}: the instance names the shm object /edgefeed.<instance>
// and must fit ef_region_header.instance.
status check_instance_name(std::string_view name);

// Values derived from others when left empty. The config must be valid.
std::string effective_rest_url(const openmarkets_section& om);
std::string effective_ca_file(const openmarkets_section& om);
// TLS server name (SNI and certificate check) for a connection to `url_host`.
std::string effective_server_name(const openmarkets_section& om, std::string_view url_host);

} // namespace ef::config
