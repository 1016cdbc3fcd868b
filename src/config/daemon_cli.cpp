// The daemon's command line (see daemon_cli.hpp). CLI11 reports --help,
// --version and usage errors by throwing; that stays in this file. Flags are
// turned into key overrides so they go through the same conversion and
// validation as the file, and their problems name the flag.
#include "config/daemon_cli.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "config/schema.hpp"
#include "config/url.hpp"
#include "config/version.hpp"

namespace ef::config {
namespace {

// A flag that stands for one config key.
struct key_flag {
    const char* name;
    std::string_view key;
    const char* help;
    const char* type_name;
    bool list; // repeatable, and comma lists: "--contest a,b --contest c"
    std::vector<std::string> values{};
    CLI::Option* option = nullptr;
};

std::string without_trailing_blanks(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

// The file the daemon will read its trust anchors from must be there now,
// not at the first connect.
status check_ca_file(const openmarkets_section& om) {
    const std::string ca = effective_ca_file(om);
    if (::access(ca.c_str(), R_OK) != 0)
        return make_error(fmt::format("{}: cannot read CA file {}: {}",
                                      om.ca_file.empty() ? "openmarkets.ca_file (empty: the "
                                                           "system bundle)"
                                                         : "openmarkets.ca_file",
                                      ca, std::strerror(errno)));
    return ok();
}

std::string check_config_output(const daemon_options& o) {
    const openmarkets_section& om = o.config.openmarkets;
    const std::string host = parse_url(om.stream_url)->host;
    const std::string key_source =
        om.api_key_file.empty() ? fmt::format("environment variable {}", om.api_key_env)
                                : fmt::format("file {}", detail::toml_string(om.api_key_file));
    std::string out = fmt::format(
        "# edgefeed {}: effective configuration (built-in defaults{}, then flags)\n"
        "# derived: rest_url = {}, ca_file = {}, server_name = {}\n"
        "# openmarkets api key: {} (read from {})\n"
        "# derived: orders om_orders_url = {}, orders.connecttrade ca_file = {}\n",
        EF_VERSION,
        o.config_file.empty() ? std::string{} : ", then " + detail::toml_string(o.config_file),
        detail::toml_string(effective_rest_url(om)), detail::toml_string(effective_ca_file(om)),
        detail::toml_string(effective_server_name(om, host)), o.api_key, key_source,
        detail::toml_string(om_orders_url(o.config)),
        detail::toml_string(effective_ct_ca_file(o.config)));
    return out + to_toml(o.config);
}

} // namespace

std::string default_instance() {
    const char* env = std::getenv("EDGEFEED_INSTANCE");
    return env && *env ? std::string(env) : std::string("default");
}

result<daemon_options> parse_daemon_command_line(int argc, char** argv) {
    CLI::App app{"edgefeed: venue liquidity over TLS WebSocket into shared-memory books.\n"
                 "Flags override the --config file; every key has a default (docs/config.md).",
                 "edgefeed"};
    app.set_version_flag("--version", fmt::format("edgefeed {}", EF_VERSION));
    std::string config_file;
    bool check_config = false;
    app.add_option("--config", config_file, "TOML config file")->type_name("FILE");
    key_flag flags[] = {
        {"--venue", "openmarkets.stream_url", "stream URL, wss://host[:port]/path", "URL", false},
        {"--rest-url", "openmarkets.rest_url",
         "REST base URL (default: https://<stream host:port>/flow/v1)", "URL", false},
        {"--ca-file", "openmarkets.ca_file", "PEM trust anchors for the venue's certificate",
         "FILE", false},
        {"--server-name", "openmarkets.server_name", "TLS server name (default: the URL host)",
         "NAME", false},
        {"--api-key-file", "openmarkets.api_key_file", "file whose first line is the API key",
         "FILE", false},
        {"--contest", "openmarkets.contests", "contest id to subscribe (repeatable, or a,b,c)",
         "ID", true},
        {"--instance", "instance", "names the shm object /edgefeed.<instance>", "NAME", false},
        {"--cores", "daemon.cores", "CPUs for the loops, one loop on each: 0,1", "CPU", true},
        {"--idle", "daemon.idle", "spin | spin-then-sleep | sleep", "MODE", false},
        {"--log-level", "daemon.log_level", "debug | info | warn | error", "LEVEL", false},
        {"--journal-dir", "orders.journal_dir", "order journal and cl_order_id state directory", "DIR",
         false},
    };
    for (key_flag& f : flags) {
        f.option = app.add_option(f.name, f.values, fmt::format("{} [{}]", f.help, f.key))
                       ->type_name(f.type_name);
        if (f.list)
            f.option->delimiter(',')->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        else
            f.option->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
    app.add_flag("--check-config", check_config,
                 "validate, print the effective config (key redacted) as TOML, exit 0 or 1");

    try {
        app.parse(argc, argv);
    } catch (const CLI::Error& e) {
        std::ostringstream out, err;
        daemon_options o;
        o.exit_code = app.exit(e, out, err);
        if (o.exit_code != 0) return make_error(without_trailing_blanks(err.str()));
        o.exit_now = true;
        o.output = out.str();
        return o;
    }

    daemon_config base;
    base.instance = default_instance();
    if (const char* env = std::getenv("EDGEFEED_INSTANCE"); env && *env)
        if (status s = check_instance_name(base.instance); !s)
            return std::move(s).err().context("EDGEFEED_INSTANCE");

    daemon_options o;
    o.config_file = config_file;
    daemon_config cfg = base;
    if (!config_file.empty()) {
        auto loaded = load_config_file(config_file, base);
        if (!loaded) return std::move(loaded).err();
        cfg = std::move(loaded).value();
    }
    std::vector<key_override> overrides;
    for (key_flag& f : flags)
        if (f.option->count() > 0) overrides.push_back({f.key, f.name, f.values});
    auto merged = apply_overrides(std::move(cfg), overrides);
    if (!merged) return std::move(merged).err();
    o.config = std::move(merged).value();

    if (status s = check_ca_file(o.config.openmarkets); !s) return std::move(s).err();
    auto key = load_api_key(o.config.openmarkets);
    if (!key) return std::move(key).err();
    o.api_key = std::move(key->value);
    if (!key->warning.empty()) o.warnings.push_back(std::move(key->warning));

    if (check_config) {
        o.output = check_config_output(o);
        o.api_key = secret{}; // not needed when not running: wipe it now
        o.exit_now = true;
        o.exit_code = 0;
    }
    return o;
}

} // namespace ef::config
