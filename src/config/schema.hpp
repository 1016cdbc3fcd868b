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

// Field accessors are captureless lambdas (the EF_FIELD macro in schema.cpp);
// they only form a reference, so validate() may call them on a const config
// through const_cast without writing.
struct int_key {
    uint32_t& (*field)(daemon_config&);
    int64_t min;
    int64_t max;
    bool power_of_two;
};
struct bool_key {
    bool& (*field)(daemon_config&);
};
struct string_key {
    std::string& (*field)(daemon_config&);
};
struct string_list_key {
    std::vector<std::string>& (*field)(daemon_config&);
};
struct cpu_list_key {
    std::vector<int>& (*field)(daemon_config&);
};
template <typename E>
struct enum_key {
    E& (*field)(daemon_config&);
    std::span<const std::string_view> names; // indexed by the enum's value
};

using key_kind = std::variant<int_key, bool_key, string_key, string_list_key, cpu_list_key,
                              enum_key<idle_mode>, enum_key<log::level>, enum_key<api_key_in>>;

struct key_spec {
    std::string_view path; // "openmarkets.timeouts.connect_ms"
    key_kind kind;
};

// Every key in documented order, tables contiguous.
std::span<const key_spec> all_keys();
const key_spec* find_key(std::string_view path);
// True for "daemon", "openmarkets.timeouts", ...: a prefix of some key.
bool is_table(std::string_view path);
// Names directly under table `prefix` ("" = top level): keys and sub-tables.
std::vector<std::string_view> children(std::string_view prefix);

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
// The message for an integer outside a key's rules, or empty when it is fine.
std::string int_problem(const int_key& k, int64_t v);

// Text helpers for messages and TOML output.
std::string toml_string(std::string_view s);  // TOML basic string, escaped
std::string quoted_short(std::string_view s); // the same, cut at 64 bytes
std::string char_name(char c);                // "x" for visible ASCII, else byte 0xC3
size_t edit_distance(std::string_view a, std::string_view b); // optimal string alignment
std::string did_you_mean(std::string_view prefix, std::string_view name);
std::string join_path(std::string_view prefix, std::string_view name);

} // namespace ef::config::detail
