// The config's rules: each key on its own (ranges from the schema, names,
// URLs, ids), then the rules between keys (contest counts against connection
// and book capacity, backoff and heartbeat ordering, the order path's
// strategies, accounts, limits and Connect Trade credentials). Driven by parse_config(),
// apply_overrides() and validate(); pure, no file system, no environment.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "config/schema.hpp"
#include "config/url.hpp"
#include "edgefeed/layout.h"
#include "edgefeed/orders.h"

namespace ef::config {
namespace detail {
namespace {

bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '-';
}

// The first character of `s` outside [A-Za-z0-9_.:-], as a message, or "".
std::string bad_id_char(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i)
        if (!is_id_char(s[i]))
            return fmt::format("character {} at offset {} is not one of A-Z a-z 0-9 _ . : -",
                               char_name(s[i]), i);
    return {};
}

// Venue ids (contests, leagues, position hashes): they go into JSON
// subscribe messages, REST paths and fixed-size shm fields, so the
// character set is closed and the length bounded by the layout.
void check_ids(problem_list& p, std::string_view path, const std::vector<std::string>& ids,
               size_t max_bytes, std::string_view what) {
    std::map<std::string_view, size_t> seen;
    for (size_t i = 0; i < ids.size(); ++i) {
        const std::string at = fmt::format("{}[{}]", path, i);
        const std::string& id = ids[i];
        if (id.empty()) {
            p.add(at, fmt::format("empty {}", what));
            continue;
        }
        if (id.size() > max_bytes) {
            p.add(at, fmt::format("{} {} is {} bytes long; at most {}", what, quoted_short(id),
                                  id.size(), max_bytes));
            continue;
        }
        if (std::string bad = bad_id_char(id); !bad.empty()) {
            p.add(at, fmt::format("{} {}: {}", what, quoted_short(id), bad));
            continue;
        }
        auto [it, fresh] = seen.emplace(id, i);
        if (!fresh)
            p.add(at, fmt::format("duplicate {} {} (also at {}[{}])", what, quoted_short(id), path,
                                  it->second));
    }
}

void check_position_hashes(problem_list& p, const std::vector<std::string>& hashes) {
    constexpr std::string_view path = "openmarkets.depth.positions";
    check_ids(p, path, hashes, EF_POSITION_HASH_MAX, "position hash");
    for (size_t i = 0; i < hashes.size(); ++i) {
        const std::string at = fmt::format("{}[{}]", path, i);
        if (p.failed(at)) continue;
        // PROTOCOL.md: contest:market:side:variant:participant:timeframe.
        const std::string& h = hashes[i];
        const size_t parts = size_t(std::count(h.begin(), h.end(), ':')) + 1;
        const bool empty_part =
            h.front() == ':' || h.back() == ':' || h.find("::") != std::string::npos;
        if (parts != 6 || empty_part)
            p.add(at, fmt::format("position hash {} must have six non-empty parts "
                                  "contest:market:side:variant:participant:timeframe",
                                  quoted_short(h)));
    }
}

void check_cores(problem_list& p, const std::vector<int>& cores) {
    constexpr std::string_view path = "daemon.cores";
    if (cores.empty()) {
        p.add(std::string(path), "must list at least one CPU (one loop runs on each)");
        return;
    }
    std::map<int, size_t> seen;
    for (size_t i = 0; i < cores.size(); ++i) {
        const std::string at = fmt::format("{}[{}]", path, i);
        if (cores[i] < 0) {
            p.add(at, fmt::format("CPU number must be 0 or more (got {})", cores[i]));
            continue;
        }
        auto [it, fresh] = seen.emplace(cores[i], i);
        if (!fresh)
            p.add(at, fmt::format("CPU {} is listed twice (also at {}[{}]); one loop per CPU",
                                  cores[i], path, it->second));
    }
}

// An API key in a URL would sit in the config and in every printout of it.
bool has_api_key_param(std::string_view query) {
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view param = query.substr(0, amp);
        const std::string_view name = param.substr(0, param.find('='));
        if (name == "api_key") return true;
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return false;
}

void check_url(problem_list& p, std::string_view path, const std::string& text,
               std::string_view scheme,
               std::string_view key_keys =
                   "openmarkets.api_key_file or openmarkets.api_key_env, and key_in = \"query\" "
                   "puts it on the URL when connecting") {
    auto u = parse_url(text);
    if (!u) {
        p.add(std::string(path), u.err().message);
        return;
    }
    if (u->scheme != scheme)
        p.add(std::string(path), fmt::format("scheme must be {} (got {})", scheme, u->scheme));
    if (has_api_key_param(u->query))
        p.add(std::string(path),
              fmt::format("carries an api_key parameter: the key must come from {}", key_keys));
}

void check_path(problem_list& p, std::string_view path, const std::string& file) {
    if (file.find('\0') != std::string::npos)
        p.add(std::string(path), "file name contains a NUL byte");
}

// POSIX portable names for environment variables are upper case; a lower-case
// value is more likely the key itself pasted here, so it is never echoed.
void check_env_name(problem_list& p, std::string_view path, const std::string& name) {
    bool valid = !name.empty() && name.size() <= 255 && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name)
        valid = valid && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    if (!valid)
        p.add(std::string(path), "must name an environment variable: A-Z, 0-9 and _, not "
                                 "starting with a digit (the value is not shown, in case it "
                                 "is the key itself)");
}

void check_status(problem_list& p, const std::string& s) {
    constexpr std::string_view path = "openmarkets.discovery.status";
    if (s.empty()) {
        p.add(std::string(path), "must not be empty (the venue's default is \"open\")");
        return;
    }
    std::string bad = bad_id_char(s);
    if (bad.empty() && s.size() > 32) bad = "longer than 32 bytes";
    if (!bad.empty())
        p.add(std::string(path),
              fmt::format("{} is not a contest status: {}", quoted_short(s), bad));
}

// ---------------------------------------------------------------- orders

// Accounts go into a header (OpenMarkets X-OpenMarkets-Account), a URL path
// and JSON bodies (Connect Trade), and the fixed-size ef_order_request.account.
bool check_account(problem_list& p, const std::string& at, const std::string& a) {
    constexpr size_t max = EF_ACCOUNT_MAX - 1;
    if (a.empty()) {
        p.add(at, "empty account");
        return false;
    }
    if (a.size() > max) {
        p.add(at, fmt::format("account {} is {} bytes long; at most {}", quoted_short(a), a.size(),
                              max));
        return false;
    }
    if (std::string bad = bad_id_char(a); !bad.empty()) {
        p.add(at, fmt::format("account {}: {}", quoted_short(a), bad));
        return false;
    }
    return true;
}

// Identifiers sent as Connect Trade headers (client-id, user-id): visible
// ASCII, so nothing can end the header line early.
void check_header_value(problem_list& p, const std::string& at, const std::string& v,
                        std::string_view what) {
    if (v.empty()) {
        p.add(at, fmt::format("empty {}", what));
        return;
    }
    if (v.size() > 256) {
        p.add(at, fmt::format("{} is {} bytes long; at most 256", what, v.size()));
        return;
    }
    for (size_t i = 0; i < v.size(); ++i) {
        const auto b = static_cast<unsigned char>(v[i]);
        if (b <= 0x20 || b >= 0x7f) {
            p.add(at, fmt::format("{} {}: {} at offset {} cannot go into an HTTP header", what,
                                  quoted_short(v), char_name(v[i]), i));
            return;
        }
    }
}

void check_strategy_name(problem_list& p, const std::string& at, const std::string& name) {
    constexpr size_t max = EF_STRATEGY_NAME_MAX - 1;
    if (name.empty()) {
        p.add(at, "missing: every strategy needs a name (1 to 31 of A-Z a-z 0-9 _ . -)");
        return;
    }
    if (name.size() > max) {
        p.add(at, fmt::format("strategy name {} is {} bytes long; at most {}", quoted_short(name),
                              name.size(), max));
        return;
    }
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool good = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!good) {
            p.add(at, fmt::format("strategy name {}: character {} at offset {} is not one of "
                                  "A-Z a-z 0-9 _ . -",
                                  quoted_short(name), char_name(c), i));
            return;
        }
    }
}

// An order at the largest size a strategy may send must fit under its open
// and daily notional, or that size could never be sent.
void check_limits(problem_list& p, std::string_view table, const limits_section& l) {
    const std::string order = join_path(table, "max_order_notional");
    for (auto [name, cap] :
         {std::pair<std::string_view, int64_t>{"max_open_notional", l.max_open_notional_e9},
          {"max_daily_notional", l.max_daily_notional_e9}}) {
        const std::string other = join_path(table, name);
        if (p.any_failed({order, other}) || l.max_order_notional_e9 <= cap) continue;
        p.add(order, fmt::format("{} is more than {} = {}: an order that large could never be "
                                 "sent",
                                 decimal_text(l.max_order_notional_e9), other, decimal_text(cap)));
    }
}

void check_strategies(const daemon_config& cfg, problem_list& p) {
    const orders_section& o = cfg.orders;
    constexpr std::string_view array = "orders.strategies";
    if (p.failed_here(array)) return; // not an array: the elements are not the file's
    if (o.enabled && o.strategies.empty())
        p.add(std::string(array), "no strategy: add an [[orders.strategies]] table "
                                  "(orders.enabled = false turns the order path off)");
    std::map<std::string_view, size_t> names;
    for (size_t i = 0; i < o.strategies.size(); ++i) {
        if (p.failed_here(fmt::format("{}[{}]", array, i))) continue; // not a table
        const strategy_section& s = o.strategies[i];
        const std::string name_at = element_path(array, i, "name");
        if (!p.failed(name_at)) {
            check_strategy_name(p, name_at, s.name);
            if (!p.failed(name_at)) {
                auto [it, fresh] = names.emplace(s.name, i);
                if (!fresh)
                    p.add(name_at, fmt::format("duplicate strategy name {} (also at {})",
                                               quoted_short(s.name),
                                               element_path(array, it->second, "name")));
            }
        }
        const std::string accounts_at = element_path(array, i, "accounts");
        if (!p.failed(accounts_at)) {
            if (s.accounts.empty())
                p.add(accounts_at, "must list at least one account it may trade (\"*\" for any)");
            std::map<std::string_view, size_t> seen;
            for (size_t j = 0; j < s.accounts.size(); ++j) {
                const std::string at = fmt::format("{}[{}]", accounts_at, j);
                if (s.accounts[j] != "*" && !check_account(p, at, s.accounts[j])) continue;
                auto [it, fresh] = seen.emplace(s.accounts[j], j);
                if (!fresh)
                    p.add(at, fmt::format("duplicate account {} (also at {}[{}])",
                                          quoted_short(s.accounts[j]), accounts_at, it->second));
            }
        }
        // An inherited pair already reported under default_limits is not
        // reported again for every strategy.
        const limits_section& d = o.default_limits;
        if (s.limits.max_order_notional_e9 != d.max_order_notional_e9 ||
            s.limits.max_open_notional_e9 != d.max_open_notional_e9 ||
            s.limits.max_daily_notional_e9 != d.max_daily_notional_e9)
            check_limits(p, fmt::format("{}[{}]", array, i), s.limits);
    }
}

// True when some strategy may trade `account`.
bool traded(const orders_section& o, const std::string& account) {
    for (const strategy_section& s : o.strategies)
        for (const std::string& a : s.accounts)
            if (a == "*" || a == account) return true;
    return false;
}

void check_account_limits(const daemon_config& cfg, problem_list& p) {
    const orders_section& o = cfg.orders;
    constexpr std::string_view array = "orders.accounts";
    if (p.failed_here(array)) return; // not an array: the elements are not the file's
    std::map<std::string_view, size_t> seen;
    for (size_t i = 0; i < o.accounts.size(); ++i) {
        const std::string at = element_path(array, i, "account");
        const std::string& a = o.accounts[i].account;
        if (p.failed(at) || p.failed_here(fmt::format("{}[{}]", array, i))) continue;
        if (a.empty()) {
            p.add(at, "missing: name the account these limits are for");
            continue;
        }
        if (!check_account(p, at, a)) continue;
        auto [it, fresh] = seen.emplace(a, i);
        if (!fresh) {
            p.add(at, fmt::format("duplicate account {} (also at {})", quoted_short(a),
                                  element_path(array, it->second, "account")));
            continue;
        }
        if (!p.failed_here("orders.strategies") && !traded(o, a))
            p.add(at, fmt::format("no strategy may trade account {} (none lists it or \"*\"); "
                                  "a typo?",
                                  quoted_short(a)));
    }
}

void check_ct_accounts(const daemon_config& cfg, problem_list& p) {
    const connecttrade_section& ct = cfg.orders.connecttrade;
    constexpr std::string_view array = "orders.connecttrade.accounts";
    if (p.failed_here(array)) return; // not an array: the elements are not the file's
    std::map<std::string_view, size_t> seen;
    for (size_t i = 0; i < ct.accounts.size(); ++i) {
        if (p.failed_here(fmt::format("{}[{}]", array, i))) continue; // not a table
        const ct_account_section& a = ct.accounts[i];
        const std::string id_at = element_path(array, i, "account_id");
        if (!p.failed(id_at)) {
            if (a.account_id.empty()) {
                p.add(id_at, "missing: the Connect Trade account_id");
            } else if (check_account(p, id_at, a.account_id)) {
                auto [it, fresh] = seen.emplace(a.account_id, i);
                if (!fresh)
                    p.add(id_at, fmt::format("duplicate account_id {} (also at {})",
                                             quoted_short(a.account_id),
                                             element_path(array, it->second, "account_id")));
            }
        }
        const std::string user_at = element_path(array, i, "user_id");
        if (!p.failed(user_at)) check_header_value(p, user_at, a.user_id, "user_id");
        const std::string file_at = element_path(array, i, "user_secret_file");
        const std::string env_at = element_path(array, i, "user_secret_env");
        if (!p.failed(file_at)) check_path(p, file_at, a.user_secret_file);
        if (!p.failed(env_at) && !a.user_secret_env.empty())
            check_env_name(p, env_at, a.user_secret_env);
        if (!p.any_failed({file_at, env_at}) && a.user_secret_file.empty() &&
            a.user_secret_env.empty())
            p.add(env_at, "no user secret source: set user_secret_file or user_secret_env");
    }
}

void check_connecttrade(const daemon_config& cfg, problem_list& p) {
    const connecttrade_section& ct = cfg.orders.connecttrade;
    check_ct_accounts(cfg, p);
    if (!ct.enabled) return;
    if (!p.failed("orders.connecttrade.client_id") && ct.client_id.empty())
        p.add("orders.connecttrade.client_id",
              "orders.connecttrade.enabled needs the client_id Connect Trade issued");
    if (!p.any_failed(
            {"orders.connecttrade.client_secret_file", "orders.connecttrade.client_secret_env"}) &&
        ct.client_secret_file.empty() && ct.client_secret_env.empty())
        p.add("orders.connecttrade.client_secret_env",
              "no client secret source: set orders.connecttrade.client_secret_file or "
              "orders.connecttrade.client_secret_env");
    if (!p.failed("orders.connecttrade.accounts") && ct.accounts.empty())
        p.add("orders.connecttrade.accounts",
              "orders.connecttrade.enabled needs at least one [[orders.connecttrade.accounts]] "
              "(each order names an account and is sent with its user-id and user-secret)");
}

void check_journal_dir(problem_list& p, const std::string& dir) {
    constexpr std::string_view path = "orders.journal_dir";
    if (dir.empty() || dir.front() != '/')
        p.add(std::string(path), "must be an absolute path (the journal must be found again "
                                 "after a crash, whatever the working directory)");
    else
        check_path(p, path, dir);
}

void check_cl_order_id_prefix(problem_list& p, const std::string& prefix) {
    constexpr std::string_view path = "orders.cl_order_id_prefix";
    bool good = !prefix.empty() && prefix.size() <= 8;
    for (char c : prefix)
        good = good && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    // <prefix><YYYYMMDD>-<seq> must fit EF_CL_ORDER_ID_MAX with room for the
    // sequence; both venues take letters and digits anywhere.
    if (!good)
        p.add(std::string(path),
              fmt::format("must be 1 to 8 of A-Z a-z 0-9 (got {})", quoted_short(prefix)));
}

// Rules for keys that are more than a number in a range, by key.
struct key_rule {
    std::string_view path;
    void (*check)(const daemon_config& c, problem_list& p);
};

const key_rule key_rules[] = {
    {"instance",
     [](const daemon_config& c, problem_list& p) {
         if (status s = check_instance_name(c.instance); !s) p.add("instance", s.err().message);
     }},
    {"daemon.cores",
     [](const daemon_config& c, problem_list& p) { check_cores(p, c.daemon.cores); }},
    {"openmarkets.stream_url",
     [](const daemon_config& c, problem_list& p) {
         check_url(p, "openmarkets.stream_url", c.openmarkets.stream_url, "wss");
     }},
    {"openmarkets.rest_url",
     [](const daemon_config& c, problem_list& p) {
         if (!c.openmarkets.rest_url.empty())
             check_url(p, "openmarkets.rest_url", c.openmarkets.rest_url, "https");
     }},
    {"openmarkets.ca_file",
     [](const daemon_config& c, problem_list& p) {
         check_path(p, "openmarkets.ca_file", c.openmarkets.ca_file);
     }},
    {"openmarkets.server_name",
     [](const daemon_config& c, problem_list& p) {
         if (c.openmarkets.server_name.empty()) return;
         if (status s = check_host(c.openmarkets.server_name); !s)
             p.add("openmarkets.server_name", s.err().message);
     }},
    {"openmarkets.api_key_file",
     [](const daemon_config& c, problem_list& p) {
         check_path(p, "openmarkets.api_key_file", c.openmarkets.api_key_file);
     }},
    {"openmarkets.api_key_env",
     [](const daemon_config& c, problem_list& p) {
         if (!c.openmarkets.api_key_env.empty())
             check_env_name(p, "openmarkets.api_key_env", c.openmarkets.api_key_env);
     }},
    {"openmarkets.contests",
     [](const daemon_config& c, problem_list& p) {
         check_ids(p, "openmarkets.contests", c.openmarkets.contests, EF_CONTEST_ID_MAX - 1,
                   "contest id");
     }},
    {"openmarkets.discovery.leagues",
     [](const daemon_config& c, problem_list& p) {
         check_ids(p, "openmarkets.discovery.leagues", c.openmarkets.discovery.leagues, 64,
                   "league id");
     }},
    {"openmarkets.discovery.status",
     [](const daemon_config& c, problem_list& p) {
         check_status(p, c.openmarkets.discovery.status);
     }},
    {"openmarkets.depth.positions",
     [](const daemon_config& c, problem_list& p) {
         check_position_hashes(p, c.openmarkets.depth.positions);
     }},
    {"orders.journal_dir",
     [](const daemon_config& c, problem_list& p) { check_journal_dir(p, c.orders.journal_dir); }},
    {"orders.cl_order_id_prefix",
     [](const daemon_config& c, problem_list& p) {
         check_cl_order_id_prefix(p, c.orders.cl_order_id_prefix);
     }},
    {"orders.connecttrade.rest_url",
     [](const daemon_config& c, problem_list& p) {
         check_url(p, "orders.connecttrade.rest_url", c.orders.connecttrade.rest_url, "https",
                   "orders.connecttrade.client_secret_file or client_secret_env");
     }},
    {"orders.connecttrade.ca_file",
     [](const daemon_config& c, problem_list& p) {
         check_path(p, "orders.connecttrade.ca_file", c.orders.connecttrade.ca_file);
     }},
    {"orders.connecttrade.server_name",
     [](const daemon_config& c, problem_list& p) {
         if (c.orders.connecttrade.server_name.empty()) return;
         if (status s = check_host(c.orders.connecttrade.server_name); !s)
             p.add("orders.connecttrade.server_name", s.err().message);
     }},
    {"orders.connecttrade.client_id",
     [](const daemon_config& c, problem_list& p) {
         if (!c.orders.connecttrade.client_id.empty())
             check_header_value(p, "orders.connecttrade.client_id", c.orders.connecttrade.client_id,
                                "client_id");
     }},
    {"orders.connecttrade.client_secret_file",
     [](const daemon_config& c, problem_list& p) {
         check_path(p, "orders.connecttrade.client_secret_file",
                    c.orders.connecttrade.client_secret_file);
     }},
    {"orders.connecttrade.client_secret_env",
     [](const daemon_config& c, problem_list& p) {
         if (!c.orders.connecttrade.client_secret_env.empty())
             check_env_name(p, "orders.connecttrade.client_secret_env",
                            c.orders.connecttrade.client_secret_env);
     }},
};

// A number outside its key's range, or empty.
std::string range_problem(const key_spec& k, daemon_config& c, size_t i) {
    if (const auto* ik = std::get_if<int_key>(&k.kind)) return int_problem(*ik, ik->field(c, i));
    if (const auto* sk = std::get_if<signed_int_key>(&k.kind))
        return signed_int_problem(*sk, sk->field(c, i));
    if (const auto* dk = std::get_if<decimal_key>(&k.kind))
        return decimal_problem(*dk, dk->field(c, i));
    return {};
}

// A strategy's limit with the same problem as orders.default_limits' (which
// it surely inherited): reported once, under default_limits.
bool inherited_problem(problem_list& p, std::string_view array, std::string_view key,
                       const std::string& message) {
    if (array != "orders.strategies") return false;
    const std::string d = join_path("orders.default_limits", key);
    const key_spec* dk = find_key(d);
    return dk && p.failed(d) && p.has(d, message);
}

// Each key in documented order, so problems without a file position read in
// the order of docs/config.md.
void check_each_key(const daemon_config& cfg, problem_list& p) {
    // The accessors only form a reference; nothing below writes through it.
    daemon_config& c = const_cast<daemon_config&>(cfg);
    for (const key_spec& k : all_keys()) {
        if (const auto* t = std::get_if<table_array_key>(&k.kind)) {
            for (size_t i = 0; i < t->size(c); ++i)
                for (const key_spec& e : element_keys(*t)) {
                    const std::string at = element_path(k.path, i, e.path);
                    if (p.failed(at)) continue;
                    std::string m = range_problem(e, c, i);
                    if (!m.empty() && !inherited_problem(p, k.path, e.path, m))
                        p.add(at, std::move(m));
                }
            continue;
        }
        if (p.failed(k.path)) continue;
        if (std::string m = range_problem(k, c, 0); !m.empty())
            p.add(std::string(k.path), std::move(m));
        for (const key_rule& r : key_rules)
            if (r.path == k.path) r.check(cfg, p);
    }
}

void check_between_keys(const daemon_config& cfg, problem_list& p) {
    const openmarkets_section& om = cfg.openmarkets;
    const capacity_section& cap = cfg.capacity;

    if (!p.any_failed({"openmarkets.contests", "openmarkets.connections",
                       "openmarkets.contests_per_connection"})) {
        const uint64_t slots = uint64_t{om.connections} * om.contests_per_connection;
        if (om.contests.size() > slots)
            p.add("openmarkets.contests",
                  fmt::format("{} contests do not fit openmarkets.connections x "
                              "openmarkets.contests_per_connection = {} x {} = {}",
                              om.contests.size(), om.connections, om.contests_per_connection,
                              slots));
    }
    if (!p.any_failed({"openmarkets.contests", "capacity.contests"}) &&
        om.contests.size() > cap.contests)
        p.add("openmarkets.contests", fmt::format("{} contests do not fit capacity.contests = {}",
                                                  om.contests.size(), cap.contests));
    if (!p.any_failed({"openmarkets.depth.positions", "capacity.positions"}) &&
        om.depth.positions.size() > cap.positions)
        p.add("openmarkets.depth.positions",
              fmt::format("{} positions do not fit capacity.positions = {}",
                          om.depth.positions.size(), cap.positions));
    if (!p.any_failed({"capacity.recv_buffers", "capacity.recv_buffer_bytes"})) {
        // Each loop registers this much; past 1 GiB it is surely a typo.
        const uint64_t bytes = uint64_t{cap.recv_buffers} * cap.recv_buffer_bytes;
        if (bytes > (uint64_t{1} << 30))
            p.add("capacity.recv_buffers",
                  fmt::format("capacity.recv_buffers x capacity.recv_buffer_bytes = {} x {} = "
                              "{} MiB per loop; at most 1024 MiB",
                              cap.recv_buffers, cap.recv_buffer_bytes, bytes >> 20));
    }
    const backoff_section& b = om.backoff;
    if (!p.any_failed({"openmarkets.backoff.initial_ms", "openmarkets.backoff.max_ms"}) &&
        b.initial_ms > b.max_ms)
        p.add(
            "openmarkets.backoff.initial_ms",
            fmt::format("{} is more than openmarkets.backoff.max_ms = {}", b.initial_ms, b.max_ms));
    const timeouts_section& t = om.timeouts;
    // A quiet connection stays alive only through the answers to our pings.
    if (!p.any_failed({"openmarkets.timeouts.app_ping_interval_ms",
                       "openmarkets.timeouts.heartbeat_timeout_ms"}) &&
        t.app_ping_interval_ms >= t.heartbeat_timeout_ms)
        p.add("openmarkets.timeouts.app_ping_interval_ms",
              fmt::format("{} must be less than openmarkets.timeouts.heartbeat_timeout_ms = {}, "
                          "or a quiet connection is declared dead before it is pinged",
                          t.app_ping_interval_ms, t.heartbeat_timeout_ms));
    if (!p.any_failed({"openmarkets.api_key_file", "openmarkets.api_key_env"}) &&
        om.api_key_file.empty() && om.api_key_env.empty())
        p.add("openmarkets.api_key_env", "no API key source: set openmarkets.api_key_file or "
                                         "openmarkets.api_key_env");
    check_limits(p, "orders.default_limits", cfg.orders.default_limits);
    check_strategies(cfg, p);
    check_account_limits(cfg, p);
    check_connecttrade(cfg, p);
}

} // namespace

void check_config(const daemon_config& cfg, problem_list& problems) {
    check_each_key(cfg, problems);
    check_between_keys(cfg, problems);
}

} // namespace detail

status check_instance_name(std::string_view name) {
    constexpr size_t max = EF_INSTANCE_MAX - 1;
    if (name.empty()) return make_error("instance name is empty");
    if (name.size() > max)
        return make_error(
            fmt::format("instance name is {} bytes long; at most {}", name.size(), max));
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool good = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!good)
            return make_error(fmt::format("instance name {}: character {} at offset {} is not one "
                                          "of A-Z a-z 0-9 _ . -",
                                          detail::quoted_short(name), detail::char_name(name[i]),
                                          i));
    }
    return ok();
}

status validate(const daemon_config& cfg) {
    detail::problem_list problems;
    detail::check_config(cfg, problems);
    if (problems.empty()) return ok();
    return problems.report();
}

} // namespace ef::config
