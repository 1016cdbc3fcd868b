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

// Pre-trade limits. Amounts are exact fixed point (e9). In TOML a decimal is a string ("1000.50")
// or an integer (1000); a TOML float is refused ("write decimals as strings": a binary float is not
// exact).
struct limits_section {
    int64_t max_order_qty_e9 = 10'000 * 1'000'000'000LL;
    int64_t max_order_notional_e9 = 1'000 * 1'000'000'000LL;
    int64_t max_open_notional_e9 = 10'000 * 1'000'000'000LL;
    int64_t max_daily_notional_e9 = 100'000 * 1'000'000'000LL;
    uint32_t max_orders_per_s = 50; // 1..100000
    uint32_t fat_finger_bps = 1000; // 0 (off) .. 100000
    int64_t max_price_e9 = 0;       // CT price ceiling, 0 = none
    bool require_reference = true;  // no fresh best price to check against: reject
    bool operator==(const limits_section&) const = default;
};

struct strategy_section {
    std::string name;                  // [A-Za-z0-9_.-]{1,31}, unique
    std::vector<std::string> accounts; // accounts it may trade; "*" = any; non-empty
    bool halted = false;               // start halted (kill switch on)
    limits_section limits;             // keys left out inherit orders.default_limits
    bool operator==(const strategy_section&) const = default;
};

struct account_limits_section {
    std::string account;
    int64_t max_open_notional_e9 = 0; // 0 = no account-wide limit
    int64_t max_daily_notional_e9 = 0;
    bool operator==(const account_limits_section&) const = default;
};

struct ct_account_section {
    std::string account_id; // the strategy's "account" for Connect Trade orders
    std::string user_id;
    std::string user_secret_file; // wins over user_secret_env
    std::string user_secret_env;  // required if no file
    bool operator==(const ct_account_section&) const = default;
};

struct connecttrade_section {
    bool enabled = false;
    std::string rest_url = "https://127.0.0.1:8443";
    std::string ca_file;            // empty: openmarkets.ca_file rules (system bundle)
    std::string server_name;        // empty: rest_url's host
    std::string client_id;          // an identifier, not a secret
    std::string client_secret_file; // wins over client_secret_env
    std::string client_secret_env = "EDGEFEED_CONNECTTRADE_CLIENT_SECRET";
    uint32_t connections = 2; // 1..16 warm keep-alive connections
    std::vector<ct_account_section> accounts;
    bool operator==(const connecttrade_section&) const = default;
};

// The order path (orders.h): per-strategy rings in shared memory, one pinned
// order loop, pre-trade risk, warm connections to both venues, the journal.
struct orders_section {
    bool enabled = true;
    int core = -1; // -1: a CPU not in daemon.cores if there is one, else shares the last
    // The order loop's own idle strategy (daemon.idle is the feed loops'):
    // an order must not wait for a sleeping vCPU to wake (30-40 us).
    idle_mode idle = idle_mode::spin;
    std::string journal_dir = "/var/lib/edgefeed";
    std::string cl_order_id_prefix = "ef"; // [A-Za-z0-9]{1,8}
    uint32_t request_ring = 1024;          // per strategy, power of two 16..65536
    uint32_t response_ring = 1024;         // likewise
    uint32_t max_in_flight = 256;       // orders sent and unanswered (incl. reconciling), 1..65536
    uint32_t request_timeout_ms = 3000; // then UNKNOWN (never a blind retry); 100..60000
    uint32_t openmarkets_connections = 2; // warm keep-alive connections to the OM order host, 1..16
    // Replace a connection idle this long (stay under the venue's idle timeout).
    uint32_t recycle_idle_ms = 45000;
    uint32_t warm_interval_ms = 100; // dry run through checks and templates into a sink; 0 = off
    uint32_t reconcile_interval_ms = 500;
    uint32_t reconcile_attempts = 20;
    uint32_t journal_records = 65536; // journal ring slots, power of two
    limits_section default_limits;
    // Default: one strategy "default" that may trade any account, with default_limits.
    std::vector<strategy_section> strategies{strategy_section{"default", {"*"}, false, {}}};
    std::vector<account_limits_section> accounts;
    connecttrade_section connecttrade;
    bool operator==(const orders_section&) const = default;
};

struct daemon_config {
    std::string instance = "default"; // shm object /edgefeed.<instance>
    daemon_section daemon;
    capacity_section capacity;
    openmarkets_section openmarkets;
    orders_section orders;

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
// Connect Trade's trust anchors: connecttrade.ca_file, else those of
// OpenMarkets (openmarkets.ca_file, else the system bundle).
std::string effective_ct_ca_file(const daemon_config& cfg);
// The order loop's CPU: orders.core when set (>= 0); else the highest CPU
// below cpu_count that is not in daemon.cores; else (every CPU runs a feed
// loop) the last of daemon.cores, shared.
int effective_orders_core(const daemon_config& cfg, int cpu_count);
// OpenMarkets' order endpoint: the effective REST base + "/auth/orders/buy".
std::string om_orders_url(const daemon_config& cfg);

} // namespace ef::config
