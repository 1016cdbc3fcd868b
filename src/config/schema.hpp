// Internal to src/config: the one table of config keys (path, type, limits,
// where the value lives), and the problem list every check writes to. The TOML
// reader, the command-line overrides, validate() and to_toml() all walk this
// table, so a key added here is read, checked, overridable and printed.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace ef::config::detail {

struct key_spec;

// Field accessors are captureless lambdas (the EF_FIELD and EF_ELEM macros in
// schema.cpp); they only form a reference, so validate() may call them on a
// const config through const_cast without writing. The index is the element
// of an array of tables a key belongs to, and unused (0) for any other key.
struct int_key {
    uint32_t& (*field)(daemon_config&, size_t);
    int64_t min;
    int64_t max;
    bool power_of_two;
};
struct signed_int_key {
    int& (*field)(daemon_config&, size_t);
    int64_t min;
    int64_t max;
};
// An exact decimal held as e9 fixed point (EF_SCALE_E9). TOML gives it as a
// string ("1000.50") or an integer; a TOML float is refused, since a binary
// float cannot hold most decimals exactly.
struct decimal_key {
    int64_t& (*field)(daemon_config&, size_t);
    int64_t min_e9;
    int64_t max_e9;
};
struct bool_key {
    bool& (*field)(daemon_config&, size_t);
};
struct string_key {
    std::string& (*field)(daemon_config&, size_t);
};
struct string_list_key {
    std::vector<std::string>& (*field)(daemon_config&, size_t);
};
struct cpu_list_key {
    std::vector<int>& (*field)(daemon_config&, size_t);
};
template <typename E>
struct enum_key {
    E& (*field)(daemon_config&, size_t);
    std::span<const std::string_view> names; // indexed by the enum's value
};
// An array of tables ([[orders.strategies]]): its elements' keys, with paths
// relative to one element ("name"), none of them a table or an array of
// tables. resize() gives new elements their defaults (a strategy's limits are
// orders.default_limits as read so far; the reader reads arrays of tables
// after the other keys of their table for this).
struct table_array_key {
    size_t (*size)(const daemon_config&);
    void (*resize)(daemon_config&, size_t);
    const key_spec* keys;
    size_t key_count;
};

using key_kind = std::variant<int_key, signed_int_key, decimal_key, bool_key, string_key,
                              string_list_key, cpu_list_key, enum_key<idle_mode>,
                              enum_key<log::level>, enum_key<api_key_in>, table_array_key>;

struct key_spec {
    std::string_view path; // "openmarkets.timeouts.connect_ms"; in an element: "name"
    key_kind kind;
};

inline std::span<const key_spec> element_keys(const table_array_key& t) {
    return {t.keys, t.key_count};
}

// Every key in documented order, tables contiguous, the arrays of tables of a
// table after its other keys.
std::span<const key_spec> all_keys();
const key_spec* find_key(std::string_view path);
// The key `name` of an element of `t`, or nullptr.
const key_spec* find_element_key(const table_array_key& t, std::string_view name);
// True for "daemon", "openmarkets.timeouts", ...: a prefix of some key.
bool is_table(std::string_view path);
// Names directly under table `prefix` ("" = top level): keys and sub-tables.
std::vector<std::string_view> children(std::string_view prefix);
// "orders.strategies[2].name": where problems about an element's key go.
std::string element_path(std::string_view array, size_t index, std::string_view name);

// Where a value came from: a TOML position, or a flag with line == 0.
struct origin {
    std::string where; // "edgefeed.toml" or "--cores"
    uint32_t line = 0;
    uint32_t column = 0;
};

// Problems in the order found; report() sorts them by position in the file.
class problem_list {
public:
    void add(std::string path, std::string text);
    void set_origin(std::string path, origin o);
    // A key that already has a problem: later checks of it, and cross-key
    // checks that use it, stay quiet rather than pile on.
    bool failed(std::string_view path) const;
    bool any_failed(std::initializer_list<std::string_view> paths) const;
    // A problem with exactly this path (not one of its elements or keys).
    bool failed_here(std::string_view path) const;
    // This very problem is already listed.
    bool has(std::string_view path, std::string_view text) const;
    bool empty() const { return problems_.empty(); }
    // One line per problem: "where:line:col: path: text".
    error report() const;

private:
    struct problem {
        std::string path;
        std::string text;
    };
    const origin* origin_of(std::string_view path) const;

    std::vector<problem> problems_;
    std::map<std::string, origin, std::less<>> origins_;
};

// Validates everything not already failed (validate.cpp).
void check_config(const daemon_config& cfg, problem_list& problems);
// The message for a value outside a key's rules, or empty when it is fine.
std::string int_problem(const int_key& k, int64_t v);
std::string signed_int_problem(const signed_int_key& k, int64_t v);
std::string decimal_problem(const decimal_key& k, int64_t v_e9);
// Exact decimal text of an e9 value: "1000.5", "0.000000001", "-3".
std::string decimal_text(int64_t v_e9);
// Reads "1000", "1000.50", "-0.5" (digits, an optional fraction of at most 9
// digits; no exponent, no spaces) into e9; the message says what is wrong.
result<int64_t> parse_decimal_text(std::string_view s);

// Text helpers for messages and TOML output.
std::string toml_string(std::string_view s);  // TOML basic string, escaped
std::string quoted_short(std::string_view s); // the same, cut at 64 bytes
std::string char_name(char c);                // "x" for visible ASCII, else byte 0xC3
size_t edit_distance(std::string_view a, std::string_view b); // optimal string alignment
std::string did_you_mean(std::string_view prefix, std::string_view name);
// The same for a key inside an element of an array of tables: `element` is
// its path ("orders.strategies[1]").
std::string did_you_mean_in_element(const table_array_key& t, std::string_view element,
                                    std::string_view name);
std::string join_path(std::string_view prefix, std::string_view name);

} // namespace ef::config::detail
