// The table of config keys and the problem list (see schema.hpp). Limits sit
// next to each key so the reader, validate() and the docs agree; docs/config.md
// and platform/edgefeed.example.toml repeat them for people.
#include "config/schema.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "edgefeed/layout.h"
#include "json/decimal.hpp"

namespace ef::config {
namespace {

constexpr std::array<std::string_view, 3> idle_names{"spin", "spin-then-sleep", "sleep"};
constexpr std::array<std::string_view, 4> level_names{"debug", "info", "warn", "error"};
constexpr std::array<std::string_view, 2> key_in_names{"header", "query"};

template <typename E, size_t N>
std::optional<E> from_name(const std::array<std::string_view, N>& names, std::string_view s) {
    for (size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
}

} // namespace

std::string_view to_string(idle_mode m) noexcept {
    return idle_names[size_t(m)];
}
std::string_view to_string(api_key_in k) noexcept {
    return key_in_names[size_t(k)];
}
std::string_view to_string(log::level l) noexcept {
    return level_names[size_t(l)];
}
std::optional<idle_mode> parse_idle_mode(std::string_view s) noexcept {
    return from_name<idle_mode>(idle_names, s);
}
std::optional<api_key_in> parse_api_key_in(std::string_view s) noexcept {
    return from_name<api_key_in>(key_in_names, s);
}
std::optional<log::level> parse_log_level(std::string_view s) noexcept {
    return from_name<log::level>(level_names, s);
}

namespace detail {
namespace {

// A reference to one member of daemon_config, as a plain function pointer;
// EF_ELEM: a member of element i of an array of tables.
// clang-format off
#define EF_FIELD(member) [](daemon_config& c, size_t) -> auto& { return c.member; }
#define EF_ELEM(array, member) [](daemon_config& c, size_t i) -> auto& { return c.array[i].member; }
#define EF_TABLE_ARRAY(array, element_keys, resize_fn)                                   \
    table_array_key{[](const daemon_config& c) { return c.array.size(); }, resize_fn,    \
                    element_keys, std::size(element_keys)}
// clang-format on

constexpr int64_t kib = 1024;
constexpr int64_t mib = 1024 * kib;

// Limits: the venue's (3 connections a key, 200 contests a connection), the
// kernel's (a provided-buffer ring holds at most 32768 entries), the layout's
// (levels are per-position slots), and otherwise a bound past which a value
// is surely a typo (an hour-long connect timeout, a 16 GiB journal).
// Amounts (quantities, notionals, prices) are at most a billion units: far
// past any real limit, and 1e18 in e9 still fits int64 with room for sums.
constexpr int64_t e9 = EF_SCALE_E9;
constexpr int64_t max_amount_e9 = 1'000'000'000 * e9;

// The pre-trade limits, once under [orders.default_limits] (P = the table's
// path, F = its accessor) and once directly in each [[orders.strategies]].
// clang-format off
#define EF_LIMIT_KEYS(P, F)                                                                      \
    {P "max_order_qty", decimal_key{F(max_order_qty_e9), 1, max_amount_e9}},                     \
    {P "max_order_notional", decimal_key{F(max_order_notional_e9), 1, max_amount_e9}},           \
    {P "max_open_notional", decimal_key{F(max_open_notional_e9), 1, max_amount_e9}},             \
    {P "max_daily_notional", decimal_key{F(max_daily_notional_e9), 1, max_amount_e9}},           \
    {P "max_orders_per_s", int_key{F(max_orders_per_s), 1, 100'000, false}},                     \
    {P "fat_finger_bps", int_key{F(fat_finger_bps), 0, 100'000, false}},                         \
    {P "max_price", decimal_key{F(max_price_e9), 0, max_amount_e9}},                             \
    {P "require_reference", bool_key{F(require_reference)}}
#define EF_DEFAULT_LIMIT(member) EF_FIELD(orders.default_limits.member)
#define EF_STRATEGY_LIMIT(member) EF_ELEM(orders.strategies, limits.member)
// clang-format on

const key_spec strategy_keys[] = {
    {"name", string_key{EF_ELEM(orders.strategies, name)}},
    {"accounts", string_list_key{EF_ELEM(orders.strategies, accounts)}},
    {"halted", bool_key{EF_ELEM(orders.strategies, halted)}},
    EF_LIMIT_KEYS("", EF_STRATEGY_LIMIT),
};

const key_spec account_limit_keys[] = {
    {"account", string_key{EF_ELEM(orders.accounts, account)}},
    {"max_open_notional",
     decimal_key{EF_ELEM(orders.accounts, max_open_notional_e9), 0, max_amount_e9}},
    {"max_daily_notional",
     decimal_key{EF_ELEM(orders.accounts, max_daily_notional_e9), 0, max_amount_e9}},
};

const key_spec ct_account_keys[] = {
    {"account_id", string_key{EF_ELEM(orders.connecttrade.accounts, account_id)}},
    {"user_id", string_key{EF_ELEM(orders.connecttrade.accounts, user_id)}},
    {"user_secret_file", string_key{EF_ELEM(orders.connecttrade.accounts, user_secret_file)}},
    {"user_secret_env", string_key{EF_ELEM(orders.connecttrade.accounts, user_secret_env)}},
};

// New strategies start from the limits read so far: the reader reads arrays
// of tables after their table's other keys, so that is the file's
// [orders.default_limits] whatever the order of the text.
void resize_strategies(daemon_config& c, size_t n) {
    strategy_section fresh;
    fresh.limits = c.orders.default_limits;
    c.orders.strategies.assign(n, fresh);
}
void resize_account_limits(daemon_config& c, size_t n) {
    c.orders.accounts.assign(n, account_limits_section{});
}
void resize_ct_accounts(daemon_config& c, size_t n) {
    c.orders.connecttrade.accounts.assign(n, ct_account_section{});
}

const key_spec keys[] = {
    {"instance", string_key{EF_FIELD(instance)}},

    {"daemon.cores", cpu_list_key{EF_FIELD(daemon.cores)}},
    {"daemon.idle", enum_key<idle_mode>{EF_FIELD(daemon.idle), idle_names}},
    {"daemon.spin_before_sleep_us",
     int_key{EF_FIELD(daemon.spin_before_sleep_us), 0, 10'000'000, false}},
    {"daemon.sleep_max_us", int_key{EF_FIELD(daemon.sleep_max_us), 1, 1'000'000, false}},
    {"daemon.log_level", enum_key<log::level>{EF_FIELD(daemon.log_level), level_names}},
    {"daemon.mlock", bool_key{EF_FIELD(daemon.mlock)}},

    {"capacity.contests", int_key{EF_FIELD(capacity.contests), 1, 1 << 20, false}},
    {"capacity.partners", int_key{EF_FIELD(capacity.partners), 1, 4096, false}},
    {"capacity.positions", int_key{EF_FIELD(capacity.positions), 1, 1 << 22, false}},
    {"capacity.levels_per_position", int_key{EF_FIELD(capacity.levels_per_position), 1, 32, false}},
    {"capacity.journal_entries", int_key{EF_FIELD(capacity.journal_entries), 1024, 1 << 24, true}},
    {"capacity.max_message_bytes",
     int_key{EF_FIELD(capacity.max_message_bytes), 1 * kib, 64 * mib, false}},
    {"capacity.recv_buffers", int_key{EF_FIELD(capacity.recv_buffers), 1, 32768, true}},
    {"capacity.recv_buffer_bytes",
     int_key{EF_FIELD(capacity.recv_buffer_bytes), 4 * kib, 1 * mib, true}},
    {"capacity.send_buffer_bytes",
     int_key{EF_FIELD(capacity.send_buffer_bytes), 4 * kib, 16 * mib, false}},
    {"capacity.rest_body_bytes",
     int_key{EF_FIELD(capacity.rest_body_bytes), 1 * kib, 256 * mib, false}},
    {"capacity.hold_bytes", int_key{EF_FIELD(capacity.hold_bytes), 64 * kib, 1024 * mib, false}},
    {"capacity.depth_positions", int_key{EF_FIELD(capacity.depth_positions), 0, 65536, false}},
    {"capacity.depth_partners", int_key{EF_FIELD(capacity.depth_partners), 1, 64, false}},
    {"capacity.depth_levels", int_key{EF_FIELD(capacity.depth_levels), 1, 64, false}},
    {"capacity.tls_pool_bytes",
     int_key{EF_FIELD(capacity.tls_pool_bytes), 1 * mib, 128 * mib, false}},

    {"openmarkets.stream_url", string_key{EF_FIELD(openmarkets.stream_url)}},
    {"openmarkets.rest_url", string_key{EF_FIELD(openmarkets.rest_url)}},
    {"openmarkets.ca_file", string_key{EF_FIELD(openmarkets.ca_file)}},
    {"openmarkets.server_name", string_key{EF_FIELD(openmarkets.server_name)}},
    {"openmarkets.api_key_file", string_key{EF_FIELD(openmarkets.api_key_file)}},
    {"openmarkets.api_key_env", string_key{EF_FIELD(openmarkets.api_key_env)}},
    {"openmarkets.key_in", enum_key<api_key_in>{EF_FIELD(openmarkets.key_in), key_in_names}},
    {"openmarkets.contests", string_list_key{EF_FIELD(openmarkets.contests)}},
    {"openmarkets.connections", int_key{EF_FIELD(openmarkets.connections), 1, 3, false}},
    {"openmarkets.contests_per_connection",
     int_key{EF_FIELD(openmarkets.contests_per_connection), 1, 200, false}},
    {"openmarkets.rest_connections", int_key{EF_FIELD(openmarkets.rest_connections), 1, 16, false}},
    {"openmarkets.snapshot_concurrency",
     int_key{EF_FIELD(openmarkets.snapshot_concurrency), 1, 200, false}},
    {"openmarkets.contest_state", bool_key{EF_FIELD(openmarkets.contest_state)}},
    {"openmarkets.partners_refresh_s",
     int_key{EF_FIELD(openmarkets.partners_refresh_s), 1, 86'400, false}},

    {"openmarkets.discovery.leagues", string_list_key{EF_FIELD(openmarkets.discovery.leagues)}},
    {"openmarkets.discovery.status", string_key{EF_FIELD(openmarkets.discovery.status)}},
    {"openmarkets.discovery.refresh_s",
     int_key{EF_FIELD(openmarkets.discovery.refresh_s), 1, 86'400, false}},

    {"openmarkets.depth.positions", string_list_key{EF_FIELD(openmarkets.depth.positions)}},
    {"openmarkets.depth.refresh_ms",
     int_key{EF_FIELD(openmarkets.depth.refresh_ms), 10, 3'600'000, false}},

    {"openmarkets.timeouts.connect_ms",
     int_key{EF_FIELD(openmarkets.timeouts.connect_ms), 1, 600'000, false}},
    {"openmarkets.timeouts.tls_handshake_ms",
     int_key{EF_FIELD(openmarkets.timeouts.tls_handshake_ms), 1, 600'000, false}},
    {"openmarkets.timeouts.upgrade_ms",
     int_key{EF_FIELD(openmarkets.timeouts.upgrade_ms), 1, 600'000, false}},
    {"openmarkets.timeouts.heartbeat_timeout_ms",
     int_key{EF_FIELD(openmarkets.timeouts.heartbeat_timeout_ms), 1000, 3'600'000, false}},
    {"openmarkets.timeouts.app_ping_interval_ms",
     int_key{EF_FIELD(openmarkets.timeouts.app_ping_interval_ms), 100, 3'600'000, false}},
    {"openmarkets.timeouts.rest_timeout_ms",
     int_key{EF_FIELD(openmarkets.timeouts.rest_timeout_ms), 1, 600'000, false}},

    {"openmarkets.backoff.initial_ms",
     int_key{EF_FIELD(openmarkets.backoff.initial_ms), 1, 3'600'000, false}},
    {"openmarkets.backoff.max_ms",
     int_key{EF_FIELD(openmarkets.backoff.max_ms), 1, 3'600'000, false}},
    {"openmarkets.backoff.jitter_pct",
     int_key{EF_FIELD(openmarkets.backoff.jitter_pct), 0, 100, false}},
    {"openmarkets.backoff.healthy_after_ms",
     int_key{EF_FIELD(openmarkets.backoff.healthy_after_ms), 0, 86'400'000, false}},

    {"orders.enabled", bool_key{EF_FIELD(orders.enabled)}},
    {"orders.core", signed_int_key{EF_FIELD(orders.core), -1, 65'535}},
    {"orders.idle", enum_key<idle_mode>{EF_FIELD(orders.idle), idle_names}},
    {"orders.journal_dir", string_key{EF_FIELD(orders.journal_dir)}},
    {"orders.cl_order_id_prefix", string_key{EF_FIELD(orders.cl_order_id_prefix)}},
    {"orders.request_ring", int_key{EF_FIELD(orders.request_ring), 16, 65'536, true}},
    {"orders.response_ring", int_key{EF_FIELD(orders.response_ring), 16, 65'536, true}},
    {"orders.max_in_flight", int_key{EF_FIELD(orders.max_in_flight), 1, 65'536, false}},
    {"orders.request_timeout_ms", int_key{EF_FIELD(orders.request_timeout_ms), 100, 60'000, false}},
    {"orders.openmarkets_connections",
     int_key{EF_FIELD(orders.openmarkets_connections), 1, 16, false}},
    {"orders.recycle_idle_ms", int_key{EF_FIELD(orders.recycle_idle_ms), 1000, 3'600'000, false}},
    {"orders.warm_interval_ms", int_key{EF_FIELD(orders.warm_interval_ms), 0, 60'000, false}},
    {"orders.reconcile_interval_ms",
     int_key{EF_FIELD(orders.reconcile_interval_ms), 10, 60'000, false}},
    {"orders.reconcile_attempts", int_key{EF_FIELD(orders.reconcile_attempts), 1, 10'000, false}},
    {"orders.journal_records", int_key{EF_FIELD(orders.journal_records), 1024, 1 << 24, true}},

    EF_LIMIT_KEYS("orders.default_limits.", EF_DEFAULT_LIMIT),

    {"orders.strategies", EF_TABLE_ARRAY(orders.strategies, strategy_keys, resize_strategies)},
    {"orders.accounts", EF_TABLE_ARRAY(orders.accounts, account_limit_keys, resize_account_limits)},

    {"orders.connecttrade.enabled", bool_key{EF_FIELD(orders.connecttrade.enabled)}},
    {"orders.connecttrade.rest_url", string_key{EF_FIELD(orders.connecttrade.rest_url)}},
    {"orders.connecttrade.ca_file", string_key{EF_FIELD(orders.connecttrade.ca_file)}},
    {"orders.connecttrade.server_name", string_key{EF_FIELD(orders.connecttrade.server_name)}},
    {"orders.connecttrade.client_id", string_key{EF_FIELD(orders.connecttrade.client_id)}},
    {"orders.connecttrade.client_secret_file",
     string_key{EF_FIELD(orders.connecttrade.client_secret_file)}},
    {"orders.connecttrade.client_secret_env",
     string_key{EF_FIELD(orders.connecttrade.client_secret_env)}},
    {"orders.connecttrade.connections",
     int_key{EF_FIELD(orders.connecttrade.connections), 1, 16, false}},
    {"orders.connecttrade.accounts",
     EF_TABLE_ARRAY(orders.connecttrade.accounts, ct_account_keys, resize_ct_accounts)},
};

#undef EF_LIMIT_KEYS
#undef EF_DEFAULT_LIMIT
#undef EF_STRATEGY_LIMIT
#undef EF_TABLE_ARRAY
#undef EF_ELEM
#undef EF_FIELD

bool has_prefix(std::string_view path, std::string_view prefix) {
    return path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix &&
           path[prefix.size()] == '.';
}

std::string_view last_part(std::string_view path) {
    const size_t dot = path.rfind('.');
    return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

bool is_bare_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool is_power_of_two(int64_t v) {
    return v > 0 && (v & (v - 1)) == 0;
}

} // namespace

std::span<const key_spec> all_keys() {
    return keys;
}

const key_spec* find_key(std::string_view path) {
    for (const key_spec& k : keys)
        if (k.path == path) return &k;
    return nullptr;
}

const key_spec* find_element_key(const table_array_key& t, std::string_view name) {
    for (const key_spec& k : element_keys(t))
        if (k.path == name) return &k;
    return nullptr;
}

std::string element_path(std::string_view array, size_t index, std::string_view name) {
    return join_path(fmt::format("{}[{}]", array, index), name);
}

bool is_table(std::string_view path) {
    for (const key_spec& k : keys)
        if (has_prefix(k.path, path)) return true;
    return false;
}

std::vector<std::string_view> children(std::string_view prefix) {
    std::vector<std::string_view> out;
    for (const key_spec& k : keys) {
        std::string_view rest = k.path;
        if (!prefix.empty()) {
            if (!has_prefix(k.path, prefix)) continue;
            rest = rest.substr(prefix.size() + 1);
        }
        const std::string_view name = rest.substr(0, rest.find('.'));
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    return out;
}

void problem_list::add(std::string path, std::string text) {
    problems_.push_back({std::move(path), std::move(text)});
}

void problem_list::set_origin(std::string path, origin o) {
    origins_.insert_or_assign(std::move(path), std::move(o));
}

bool problem_list::failed(std::string_view path) const {
    for (const problem& p : problems_) {
        const std::string_view q = p.path;
        if (q == path) return true;
        if (q.size() > path.size() && q.substr(0, path.size()) == path &&
            (q[path.size()] == '[' || q[path.size()] == '.'))
            return true;
    }
    return false;
}

bool problem_list::failed_here(std::string_view path) const {
    for (const problem& p : problems_)
        if (p.path == path) return true;
    return false;
}

bool problem_list::has(std::string_view path, std::string_view text) const {
    for (const problem& p : problems_)
        if (p.path == path && p.text == text) return true;
    return false;
}

bool problem_list::any_failed(std::initializer_list<std::string_view> paths) const {
    for (std::string_view p : paths)
        if (failed(p)) return true;
    return false;
}

const origin* problem_list::origin_of(std::string_view path) const {
    // "openmarkets.contests[3]" falls back to "openmarkets.contests", and a
    // key of an element the file left out, "orders.strategies[2].name", to
    // its element "orders.strategies[2]" (the [[...]] header).
    for (;;) {
        if (auto it = origins_.find(path); it != origins_.end()) return &it->second;
        const size_t dot = path.rfind('.');
        const size_t bracket = path.rfind(']');
        const size_t cut =
            bracket != std::string_view::npos && dot == bracket + 1 ? dot : path.rfind('[');
        if (cut == std::string_view::npos || cut == 0) return nullptr;
        path = path.substr(0, cut);
    }
}

error problem_list::report() const {
    struct line {
        uint64_t order; // file positions first, in file order; then the rest as found
        std::string text;
    };
    std::vector<line> lines;
    for (size_t i = 0; i < problems_.size(); ++i) {
        const problem& p = problems_[i];
        const origin* o = origin_of(p.path);
        if (o && o->line != 0)
            lines.push_back(
                {(uint64_t{o->line} << 32) | o->column,
                 fmt::format("{}:{}:{}: {}: {}", o->where, o->line, o->column, p.path, p.text)});
        else if (o)
            lines.push_back({~uint64_t{0}, fmt::format("{}: {}: {}", o->where, p.path, p.text)});
        else
            lines.push_back({~uint64_t{0}, fmt::format("{}: {}", p.path, p.text)});
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const line& a, const line& b) { return a.order < b.order; });
    std::string out;
    for (const line& l : lines) {
        if (!out.empty()) out += '\n';
        out += l.text;
    }
    return make_error(std::move(out));
}

std::string int_problem(const int_key& k, int64_t v) {
    if (v < k.min || v > k.max)
        return fmt::format("must be from {} to {} (got {})", k.min, k.max, v);
    if (k.power_of_two && !is_power_of_two(v)) {
        int64_t below = 1;
        while (below * 2 < v)
            below *= 2;
        return fmt::format("must be a power of two (got {}; nearest are {} and {})", v, below,
                           below * 2);
    }
    return {};
}

std::string signed_int_problem(const signed_int_key& k, int64_t v) {
    if (v < k.min || v > k.max)
        return fmt::format("must be from {} to {} (got {})", k.min, k.max, v);
    return {};
}

std::string decimal_problem(const decimal_key& k, int64_t v_e9) {
    if (v_e9 >= k.min_e9 && v_e9 <= k.max_e9) return {};
    if (k.min_e9 == 1)
        return fmt::format("must be more than 0 and at most {} (got {})", decimal_text(k.max_e9),
                           decimal_text(v_e9));
    return fmt::format("must be from {} to {} (got {})", decimal_text(k.min_e9),
                       decimal_text(k.max_e9), decimal_text(v_e9));
}

std::string decimal_text(int64_t v_e9) {
    char buf[json::decimal_e9_max_chars];
    return std::string(buf, json::format_decimal_e9(v_e9, buf));
}

result<int64_t> parse_decimal_text(std::string_view s) {
    // Plain decimals only: json::parse_decimal_e9 would also take exponents,
    // which nobody writes for a money limit and which would hide a typo.
    size_t i = s.starts_with('-') ? 1 : 0;
    const size_t int_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    bool good = i > int_start;
    if (good && i < s.size() && s[i] == '.') {
        const size_t frac_start = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        good = i > frac_start;
    }
    if (!good || i != s.size())
        return make_error(fmt::format("{} is not a decimal: write digits with an optional "
                                      "fraction, e.g. \"1000.50\"",
                                      quoted_short(s)));
    // Leading zeros ("007") are harmless here, unlike in JSON.
    size_t lead = int_start;
    while (lead + 1 < s.size() && s[lead] == '0' && s[lead + 1] >= '0' && s[lead + 1] <= '9')
        ++lead;
    std::string text(s.substr(0, int_start));
    text += s.substr(lead);
    int64_t v = 0;
    switch (json::parse_decimal_e9(text, v)) {
    case json::decimal_status::ok:
        return v;
    case json::decimal_status::inexact:
        return make_error(fmt::format("{} has more than 9 decimal places; amounts are exact to "
                                      "0.000000001",
                                      quoted_short(s)));
    case json::decimal_status::out_of_range:
        return make_error(fmt::format("{} is too large", quoted_short(s)));
    case json::decimal_status::not_a_number:
        break;
    }
    return make_error(fmt::format("{} is not a decimal", quoted_short(s)));
}

std::string toml_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
            else
                out += c;
        }
    }
    out += '"';
    return out;
}

std::string quoted_short(std::string_view s) {
    constexpr size_t max_bytes = 64;
    if (s.size() <= max_bytes) return toml_string(s);
    size_t cut = max_bytes;
    // Do not cut a UTF-8 sequence in half: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    return toml_string(s.substr(0, cut)) + "...";
}

std::string char_name(char c) {
    const auto b = static_cast<unsigned char>(c);
    // Half a UTF-8 sequence or a control byte would garble the message.
    if (b > 0x20 && b < 0x7f) return toml_string(std::string_view(&c, 1));
    if (b == ' ') return "\" \"";
    return fmt::format("byte 0x{:02X}", b);
}

size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment (Levenshtein plus adjacent swaps): "idel" is
    // one edit from "idle".
    const size_t n = a.size(), m = b.size();
    std::vector<size_t> d((n + 1) * (m + 1));
    auto at = [&](size_t i, size_t j) -> size_t& { return d[i * (m + 1) + j]; };
    for (size_t i = 0; i <= n; ++i)
        at(i, 0) = i;
    for (size_t j = 0; j <= m; ++j)
        at(0, j) = j;
    for (size_t i = 1; i <= n; ++i)
        for (size_t j = 1; j <= m; ++j) {
            const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    return at(n, m);
}

std::string join_path(std::string_view prefix, std::string_view name) {
    // A key that is not bare (TOML 1.0 2.2) is shown quoted, so a dot or a
    // newline inside a key cannot fake another path or break the line.
    const bool bare = !name.empty() && std::all_of(name.begin(), name.end(), is_bare_key_char);
    const std::string part = bare ? std::string(name) : quoted_short(name);
    return prefix.empty() ? part : fmt::format("{}.{}", prefix, part);
}

namespace {

// The right name in the wrong table: "[daemon] connections = 2". A key of
// an element is named with "[]" ("orders.strategies[].max_order_notional").
std::vector<std::string> elsewhere(const std::string& lname) {
    std::vector<std::string> best;
    auto add = [&](std::string p) {
        if (std::find(best.begin(), best.end(), p) == best.end()) best.push_back(std::move(p));
    };
    for (const key_spec& k : keys) {
        std::string_view p = k.path;
        for (;;) {
            if (lower(last_part(p)) == lname) add(std::string(p));
            const size_t dot = p.rfind('.');
            if (dot == std::string_view::npos) break;
            p = p.substr(0, dot);
        }
        if (const auto* t = std::get_if<table_array_key>(&k.kind))
            for (const key_spec& e : element_keys(*t))
                if (lower(e.path) == lname) add(fmt::format("{}[].{}", k.path, e.path));
    }
    return best;
}

std::string suggestion(const std::vector<std::string>& best) {
    std::string out = "unknown key; did you mean ";
    for (size_t i = 0; i < best.size(); ++i)
        out += fmt::format("{}'{}'", i == 0 ? "" : " or ", best[i]);
    return out + "?";
}

} // namespace

std::string did_you_mean_in_element(const table_array_key& t, std::string_view element,
                                    std::string_view name) {
    const std::string lname = lower(name);
    std::vector<std::string> best;
    size_t best_d = SIZE_MAX;
    for (const key_spec& k : element_keys(t)) {
        const size_t d = edit_distance(lname, lower(k.path));
        if (d > std::max<size_t>(1, std::max(name.size(), k.path.size()) / 3)) continue;
        if (d < best_d) best.clear(), best_d = d;
        if (d == best_d) best.push_back(join_path(element, k.path));
    }
    if (!best.empty()) return suggestion(best);
    std::string out =
        fmt::format("unknown key; the keys of [[{}]] are ", element.substr(0, element.rfind('[')));
    for (size_t i = 0; i < t.key_count; ++i)
        out += fmt::format("{}{}", i ? ", " : "", t.keys[i].path);
    return out;
}

std::string did_you_mean(std::string_view prefix, std::string_view name) {
    const std::string lname = lower(name);
    std::vector<std::string> best;
    size_t best_d = SIZE_MAX;
    for (std::string_view c : children(prefix)) {
        const size_t d = edit_distance(lname, lower(c));
        if (d > std::max<size_t>(1, std::max(name.size(), c.size()) / 3)) continue;
        if (d < best_d) best.clear(), best_d = d;
        if (d == best_d) best.push_back(join_path(prefix, c));
    }
    if (best.empty()) best = elsewhere(lname);
    if (!best.empty()) return suggestion(best);
    std::string out = prefix.empty() ? std::string("unknown key; the top-level keys are ")
                                     : fmt::format("unknown key; the keys of [{}] are ", prefix);
    const auto names = children(prefix);
    for (size_t i = 0; i < names.size(); ++i)
        out += fmt::format("{}{}", i ? ", " : "", names[i]);
    return out;
}

} // namespace detail
} // namespace ef::config
