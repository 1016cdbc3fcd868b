// Reading the config: TOML text or command-line overrides into daemon_config,
// every problem collected with its position, then validate.cpp's rules. Also
// the TOML printer behind --check-config. Driven by daemon_cli.cpp at start-up.
// toml++ reports syntax errors by throwing; that stays inside parse_config().
#include "config/config.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "config/schema.hpp"
#include "config/url.hpp"
#include "edgefeed/layout.h"

namespace ef::config {
namespace {

using namespace detail;

constexpr size_t max_config_bytes = 1 << 20;

std::string_view type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a floating-point number";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    default:
        return "nothing";
    }
}

template <typename E>
std::string enum_problem(const enum_key<E>& k, std::string_view got) {
    std::string names;
    for (std::string_view n : k.names)
        names += fmt::format("{}{}", names.empty() ? "" : ", ", n);
    return fmt::format("must be one of {} (got {})", names, quoted_short(got));
}

std::string cpu_problem(int64_t v) {
    return v < 0 ? fmt::format("CPU number must be 0 or more (got {})", v)
                 : fmt::format("CPU number {} is too large", v);
}

// Walks a parsed document against the key table: unknown keys, wrong types and
// integers that cannot be held are problems; everything else is stored and
// left to check_config().
class toml_reader {
public:
    toml_reader(daemon_config& cfg, problem_list& problems, std::string_view source)
        : cfg_(cfg), problems_(problems), source_(source) {}

    void table(const toml::table& t, std::string_view prefix) {
        // Arrays of tables last: a new strategy starts from the table's
        // default_limits, which must be read by then.
        std::vector<std::pair<const toml::node*, const key_spec*>> arrays;
        for (auto&& entry : t) {
            // Plain references, not a structured binding: clang 14 cannot
            // capture those in the lambda below.
            const toml::key& key = entry.first;
            const toml::node& node = entry.second;
            const std::string path = join_path(prefix, key.str());
            note(path, node.source());
            if (const key_spec* k = find_key(path)) {
                if (std::holds_alternative<table_array_key>(k->kind))
                    arrays.emplace_back(&node, k);
                else
                    std::visit([&](const auto& kind) { read(kind, node, path, 0); }, k->kind);
            } else if (is_table(path)) {
                if (const toml::table* sub = node.as_table())
                    table(*sub, path);
                else
                    wrong_type(path, "a table", node);
            } else {
                note(path, key.source());
                problems_.add(path, did_you_mean(prefix, key.str()));
            }
        }
        for (const auto& [node, k] : arrays)
            read_table_array(std::get<table_array_key>(k->kind), *node, std::string(k->path));
    }

    // Paths of the arrays of tables the text gave (replacing the base's).
    const std::vector<std::string>& arrays_read() const { return arrays_read_; }

private:
    void note(const std::string& path, const toml::source_region& r) {
        problems_.set_origin(path, origin{source_, r.begin.line, r.begin.column});
    }

    void wrong_type(const std::string& path, std::string_view expected, const toml::node& n) {
        problems_.add(path, fmt::format("expected {}, found {}", expected, type_name(n)));
    }

    // An element of an array is a table of plain keys, each checked against
    // the array's element keys.
    void read_table_array(const table_array_key& k, const toml::node& n, const std::string& path) {
        const toml::array* a = n.as_array();
        if (!a) return wrong_type(path, "an array of tables", n);
        k.resize(cfg_, a->size());
        arrays_read_.push_back(path);
        for (size_t i = 0; i < a->size(); ++i) {
            const std::string at = fmt::format("{}[{}]", path, i);
            note(at, (*a)[i].source());
            const toml::table* t = (*a)[i].as_table();
            if (!t) {
                wrong_type(at, "a table", (*a)[i]);
                continue;
            }
            for (auto&& entry : *t) {
                const toml::key& key = entry.first;
                const toml::node& node = entry.second;
                const std::string key_path = join_path(at, key.str());
                note(key_path, node.source());
                const key_spec* e = find_element_key(k, key.str());
                if (!e) {
                    note(key_path, key.source());
                    problems_.add(key_path, did_you_mean_in_element(k, at, key.str()));
                    continue;
                }
                std::visit([&](const auto& kind) { read(kind, node, key_path, i); }, e->kind);
            }
        }
    }

    // Only reached for an array of tables inside an element, which no
    // element key is.
    void read(const table_array_key&, const toml::node& n, const std::string& path, size_t) {
        wrong_type(path, "a plain value", n);
    }

    void read(const int_key& k, const toml::node& n, const std::string& path, size_t i) {
        const auto* v = n.as_integer();
        if (!v) return wrong_type(path, "an integer", n);
        const int64_t x = v->get();
        if (x < 0 || x > int64_t{UINT32_MAX})
            problems_.add(path, int_problem(k, x)); // surely outside [min, max]
        else
            k.field(cfg_, i) = static_cast<uint32_t>(x);
    }

    void read(const signed_int_key& k, const toml::node& n, const std::string& path, size_t i) {
        const auto* v = n.as_integer();
        if (!v) return wrong_type(path, "an integer", n);
        const int64_t x = v->get();
        if (x < INT_MIN || x > INT_MAX)
            problems_.add(path, signed_int_problem(k, x)); // surely outside [min, max]
        else
            k.field(cfg_, i) = static_cast<int>(x);
    }

    void read(const decimal_key& k, const toml::node& n, const std::string& path, size_t i) {
        if (const auto* v = n.as_integer()) {
            constexpr int64_t max_units = INT64_MAX / EF_SCALE_E9;
            if (v->get() > max_units || v->get() < -max_units)
                return problems_.add(path, fmt::format("{} is too large", v->get()));
            k.field(cfg_, i) = v->get() * EF_SCALE_E9;
        } else if (const auto* s = n.as_string()) {
            auto r = parse_decimal_text(s->get());
            if (!r) return problems_.add(path, std::move(r).err().message);
            k.field(cfg_, i) = r.value();
        } else if (const auto* f = n.as_floating_point()) {
            problems_.add(path, fmt::format("a TOML float is not exact: write decimals as "
                                            "strings (\"{}\", not {})",
                                            f->get(), f->get()));
        } else {
            wrong_type(path, "a decimal as a string (\"1000.50\") or an integer", n);
        }
    }

    void read(const bool_key& k, const toml::node& n, const std::string& path, size_t i) {
        const auto* v = n.as_boolean();
        if (!v) return wrong_type(path, "a boolean (true or false)", n);
        k.field(cfg_, i) = v->get();
    }

    void read(const string_key& k, const toml::node& n, const std::string& path, size_t i) {
        const auto* v = n.as_string();
        if (!v) return wrong_type(path, "a string", n);
        k.field(cfg_, i) = v->get();
    }

    template <typename E>
    void read(const enum_key<E>& k, const toml::node& n, const std::string& path, size_t i) {
        const auto* v = n.as_string();
        if (!v) return wrong_type(path, "a string", n);
        for (size_t j = 0; j < k.names.size(); ++j)
            if (k.names[j] == v->get()) {
                k.field(cfg_, i) = static_cast<E>(j);
                return;
            }
        problems_.add(path, enum_problem(k, v->get()));
    }

    // Arrays are stored only when every element is usable, so element indexes
    // in later messages are the file's.
    void read(const string_list_key& k, const toml::node& n, const std::string& path,
              size_t index) {
        const toml::array* a = n.as_array();
        if (!a) return wrong_type(path, "an array of strings", n);
        std::vector<std::string> out;
        bool good = true;
        for (size_t i = 0; i < a->size(); ++i) {
            const std::string at = fmt::format("{}[{}]", path, i);
            note(at, (*a)[i].source());
            if (const auto* s = (*a)[i].as_string())
                out.push_back(s->get());
            else
                good = false, wrong_type(at, "a string", (*a)[i]);
        }
        if (good) k.field(cfg_, index) = std::move(out);
    }

    void read(const cpu_list_key& k, const toml::node& n, const std::string& path, size_t index) {
        const toml::array* a = n.as_array();
        if (!a) return wrong_type(path, "an array of CPU numbers", n);
        std::vector<int> out;
        bool good = true;
        for (size_t i = 0; i < a->size(); ++i) {
            const std::string at = fmt::format("{}[{}]", path, i);
            note(at, (*a)[i].source());
            const auto* v = (*a)[i].as_integer();
            if (!v) {
                good = false, wrong_type(at, "an integer", (*a)[i]);
            } else if (v->get() < INT_MIN || v->get() > INT_MAX) {
                good = false, problems_.add(at, cpu_problem(v->get()));
            } else {
                out.push_back(static_cast<int>(v->get()));
            }
        }
        if (good) k.field(cfg_, index) = std::move(out);
    }

    daemon_config& cfg_;
    problem_list& problems_;
    std::string source_;
    std::vector<std::string> arrays_read_;
};

// Command-line text into one key, with the same messages as the TOML reader.
class text_setter {
public:
    text_setter(daemon_config& cfg, problem_list& problems, const key_override& o)
        : cfg_(cfg), problems_(problems), o_(o), path_(o.key) {}

    void operator()(const int_key& k) {
        if (auto v = one_int(path_, single())) {
            if (*v < 0 || *v > int64_t{UINT32_MAX})
                problems_.add(path_, int_problem(k, *v)); // surely outside [min, max]
            else
                k.field(cfg_, 0) = static_cast<uint32_t>(*v);
        }
    }
    void operator()(const signed_int_key& k) {
        if (auto v = one_int(path_, single())) {
            if (*v < INT_MIN || *v > INT_MAX)
                problems_.add(path_, signed_int_problem(k, *v)); // surely outside [min, max]
            else
                k.field(cfg_, 0) = static_cast<int>(*v);
        }
    }
    void operator()(const decimal_key& k) {
        auto r = parse_decimal_text(single());
        if (r)
            k.field(cfg_, 0) = r.value();
        else
            problems_.add(path_, std::move(r).err().message);
    }
    void operator()(const table_array_key&) {
        problems_.add(path_, "an array of tables is set in the config file only");
    }
    void operator()(const bool_key& k) {
        const std::string_view s = single();
        if (s == "true" || s == "false")
            k.field(cfg_, 0) = s == "true";
        else
            problems_.add(path_, fmt::format("expected true or false (got {})", quoted_short(s)));
    }
    void operator()(const string_key& k) { k.field(cfg_, 0) = std::string(single()); }
    void operator()(const string_list_key& k) { k.field(cfg_, 0) = o_.values; }
    void operator()(const cpu_list_key& k) {
        std::vector<int> out;
        bool good = true;
        for (size_t i = 0; i < o_.values.size(); ++i) {
            const std::string at = fmt::format("{}[{}]", path_, i);
            auto v = one_int(at, o_.values[i]);
            if (!v)
                good = false;
            else if (*v < INT_MIN || *v > INT_MAX)
                good = false, problems_.add(at, cpu_problem(*v));
            else
                out.push_back(static_cast<int>(*v));
        }
        if (good) k.field(cfg_, 0) = std::move(out);
    }
    template <typename E>
    void operator()(const enum_key<E>& k) {
        const std::string_view s = single();
        for (size_t i = 0; i < k.names.size(); ++i)
            if (k.names[i] == s) {
                k.field(cfg_, 0) = static_cast<E>(i);
                return;
            }
        problems_.add(path_, enum_problem(k, s));
    }

private:
    // The last one wins, as for a key given twice on a command line.
    std::string_view single() const {
        return o_.values.empty() ? std::string_view{} : std::string_view{o_.values.back()};
    }

    std::optional<int64_t> one_int(const std::string& at, std::string_view s) {
        int64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc{} && end == s.data() + s.size() && !s.empty()) return v;
        problems_.add(at, fmt::format("expected an integer (got {})", quoted_short(s)));
        return std::nullopt;
    }

    daemon_config& cfg_;
    problem_list& problems_;
    const key_override& o_;
    std::string path_;
};

// One key's value as TOML; `i` is the element for a key of an array of tables.
struct toml_printer {
    daemon_config& c;
    size_t i = 0;
    std::string operator()(const int_key& k) const { return fmt::format("{}", k.field(c, i)); }
    std::string operator()(const signed_int_key& k) const {
        return fmt::format("{}", k.field(c, i));
    }
    std::string operator()(const decimal_key& k) const {
        return toml_string(decimal_text(k.field(c, i)));
    }
    std::string operator()(const bool_key& k) const { return k.field(c, i) ? "true" : "false"; }
    std::string operator()(const string_key& k) const { return toml_string(k.field(c, i)); }
    std::string operator()(const string_list_key& k) const {
        std::string out = "[";
        for (const std::string& s : k.field(c, i))
            out += fmt::format("{}{}", out.size() > 1 ? ", " : "", toml_string(s));
        return out + "]";
    }
    std::string operator()(const cpu_list_key& k) const {
        return fmt::format("[{}]", fmt::join(k.field(c, i), ", "));
    }
    template <typename E>
    std::string operator()(const enum_key<E>& k) const {
        return toml_string(k.names[size_t(k.field(c, i))]);
    }
    // Only an empty one is printed as a value; elements get [[path]] tables.
    std::string operator()(const table_array_key&) const { return "[]"; }
};

// A table's plain keys (and its empty arrays of tables) under its header, then
// its sub-tables, then the elements of its arrays of tables: TOML allows no
// plain key of a table after a sub-table header.
void print_table(daemon_config& c, std::string_view prefix, std::string& out) {
    std::vector<std::string_view> tables;
    std::vector<const key_spec*> arrays;
    for (std::string_view name : children(prefix)) {
        const std::string path = join_path(prefix, name);
        const key_spec* k = find_key(path);
        if (!k) {
            tables.push_back(name);
            continue;
        }
        const auto* t = std::get_if<table_array_key>(&k->kind);
        if (t && t->size(c) > 0)
            arrays.push_back(k);
        else
            out += fmt::format("{} = {}\n", name, std::visit(toml_printer{c}, k->kind));
    }
    for (std::string_view name : tables) {
        const std::string path = join_path(prefix, name);
        out += fmt::format("\n[{}]\n", path);
        print_table(c, path, out);
    }
    for (const key_spec* k : arrays) {
        const auto& t = std::get<table_array_key>(k->kind);
        for (size_t i = 0; i < t.size(c); ++i) {
            out += fmt::format("\n[[{}]]\n", k->path);
            for (const key_spec& e : element_keys(t))
                out += fmt::format("{} = {}\n", e.path, std::visit(toml_printer{c, i}, e.kind));
        }
    }
}

// Strategies kept from the base config (the text gave none, or a flag changed
// a default limit) follow the new orders.default_limits where they held the
// old one: they were inheriting it, as far as can be told.
void inherit_default_limits(const limits_section& old_d, daemon_config& cfg) {
    const limits_section& d = cfg.orders.default_limits;
    for (strategy_section& s : cfg.orders.strategies) {
        limits_section& l = s.limits;
        auto follow = [](auto& v, const auto& was, const auto& now) {
            if (v == was) v = now;
        };
        follow(l.max_order_qty_e9, old_d.max_order_qty_e9, d.max_order_qty_e9);
        follow(l.max_order_notional_e9, old_d.max_order_notional_e9, d.max_order_notional_e9);
        follow(l.max_open_notional_e9, old_d.max_open_notional_e9, d.max_open_notional_e9);
        follow(l.max_daily_notional_e9, old_d.max_daily_notional_e9, d.max_daily_notional_e9);
        follow(l.max_orders_per_s, old_d.max_orders_per_s, d.max_orders_per_s);
        follow(l.fat_finger_bps, old_d.fat_finger_bps, d.fat_finger_bps);
        follow(l.max_price_e9, old_d.max_price_e9, d.max_price_e9);
        follow(l.require_reference, old_d.require_reference, d.require_reference);
    }
    // A new member of limits_section must be added above.
    static_assert(sizeof(limits_section) == 56, "inherit_default_limits() lists every limit");
}

} // namespace

result<daemon_config> parse_config(std::string_view toml_text, std::string_view source_name) {
    return parse_config(toml_text, source_name, daemon_config{});
}

result<daemon_config> parse_config(std::string_view toml_text, std::string_view source_name,
                                   const daemon_config& base) {
    const std::string_view source = source_name.empty() ? "<config>" : source_name;
    toml::table doc;
    try {
        doc = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        const toml::source_position& at = e.source().begin;
        return make_error(fmt::format("{}:{}:{}: TOML syntax error: {}", source, at.line, at.column,
                                      e.description()));
    }
    daemon_config cfg = base;
    problem_list problems;
    toml_reader reader(cfg, problems, source);
    reader.table(doc, "");
    const auto& arrays = reader.arrays_read();
    if (std::find(arrays.begin(), arrays.end(), "orders.strategies") == arrays.end())
        inherit_default_limits(base.orders.default_limits, cfg);
    check_config(cfg, problems);
    if (!problems.empty()) return problems.report();
    return cfg;
}

result<daemon_config> load_config_file(const std::string& path) {
    return load_config_file(path, daemon_config{});
}

result<daemon_config> load_config_file(const std::string& path, const daemon_config& base) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return make_error(fmt::format("reading config file {}: {}", path, std::strerror(errno)));
    std::string text;
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            return make_error(fmt::format("reading config file {}: {}", path, std::strerror(e)));
        }
        if (n == 0) break;
        text.append(buf, size_t(n));
        if (text.size() > max_config_bytes) {
            ::close(fd);
            return make_error(
                fmt::format("config file {} is larger than {} bytes", path, max_config_bytes));
        }
    }
    ::close(fd);
    return parse_config(text, path, base);
}

result<daemon_config> apply_overrides(daemon_config cfg, std::span<const key_override> overrides) {
    const limits_section old_defaults = cfg.orders.default_limits;
    problem_list problems;
    for (const key_override& o : overrides) {
        problems.set_origin(std::string(o.key), origin{std::string(o.from)});
        const size_t dot = o.key.rfind('.');
        const key_spec* k = find_key(o.key);
        if (!k)
            problems.add(std::string(o.key),
                         did_you_mean(dot == std::string_view::npos ? "" : o.key.substr(0, dot),
                                      o.key.substr(dot + 1)));
        else
            std::visit(text_setter(cfg, problems, o), k->kind);
    }
    inherit_default_limits(old_defaults, cfg);
    check_config(cfg, problems);
    if (!problems.empty()) return problems.report();
    return cfg;
}

std::string to_toml(const daemon_config& cfg) {
    // The accessors only form a reference; nothing here writes through it.
    daemon_config& c = const_cast<daemon_config&>(cfg);
    std::string out;
    print_table(c, "", out);
    return out;
}

std::string effective_rest_url(const openmarkets_section& om) {
    if (!om.rest_url.empty()) return om.rest_url;
    auto u = parse_url(om.stream_url);
    return u ? fmt::format("https://{}/flow/v1", u->host_header()) : std::string{};
}

std::string effective_ca_file(const openmarkets_section& om) {
    return om.ca_file.empty() ? std::string(system_ca_file) : om.ca_file;
}

std::string effective_server_name(const openmarkets_section& om, std::string_view url_host) {
    return om.server_name.empty() ? std::string(url_host) : om.server_name;
}

} // namespace ef::config

namespace ef::config {

std::string effective_ct_ca_file(const daemon_config& cfg) {
    const connecttrade_section& ct = cfg.orders.connecttrade;
    return ct.ca_file.empty() ? effective_ca_file(cfg.openmarkets) : ct.ca_file;
}

int effective_orders_core(const daemon_config& cfg, int cpu_count) {
    if (cfg.orders.core >= 0) return cfg.orders.core;
    const std::vector<int>& feed = cfg.daemon.cores;
    // The highest free CPU: CPU 0 takes most of the kernel's housekeeping.
    for (int cpu = cpu_count - 1; cpu >= 0; --cpu)
        if (std::find(feed.begin(), feed.end(), cpu) == feed.end()) return cpu;
    return feed.empty() ? 0 : feed.back();
}

std::string om_orders_url(const daemon_config& cfg) {
    std::string base = effective_rest_url(cfg.openmarkets);
    const size_t query = std::min(base.find('?'), base.size());
    std::string path = base.substr(0, query);
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    return path + "/auth/orders/buy" + base.substr(query);
}

} // namespace ef::config
