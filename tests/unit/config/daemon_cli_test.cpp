// Tests for the daemon's command line: flags over the file over defaults,
// list flags, problems naming the flag, --help/--version/--check-config, the
// key loaded and never printed, and the shared --instance default.
#include "config/daemon_cli.hpp"

#include <gtest/gtest.h>

#include "config/version.hpp"
#include "scratch.hpp"

namespace ef::config {
namespace {

using test::scoped_env;
using test::scratch_dir;
using test::split_lines;

constexpr std::string_view cli_key_text = "om_data_live_5d4c3b2a19";

class daemon_cli : public ::testing::Test {
protected:
    result<daemon_options> run(std::vector<std::string> args) {
        args.insert(args.begin(), "edgefeed");
        std::vector<char*> argv;
        for (std::string& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        return parse_daemon_command_line(int(args.size()), argv.data());
    }
    std::string ok_output(std::vector<std::string> args) {
        auto r = run(std::move(args));
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.err().message);
        return r.ok() ? r->output : std::string{};
    }
    std::string error_of(std::vector<std::string> args) {
        auto r = run(std::move(args));
        EXPECT_FALSE(r.ok());
        return r.ok() ? std::string{} : r.err().message;
    }

    scratch_dir dir_;
    // A key and a CA file the defaults can find, so each test changes one thing.
    scoped_env key_{"EDGEFEED_OPENMARKETS_API_KEY", std::string(cli_key_text)};
    scoped_env instance_{"EDGEFEED_INSTANCE", std::nullopt};
    std::string ca_ = dir_.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
};

TEST_F(daemon_cli, with_no_flags_runs_on_the_defaults_with_the_key_from_the_environment) {
    auto r = run({"--ca-file", ca_});
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_FALSE(r->exit_now);
    daemon_config expected;
    expected.openmarkets.ca_file = ca_;
    EXPECT_EQ(r->config, expected);
    EXPECT_EQ(r->api_key.view(), cli_key_text);
    EXPECT_TRUE(r->warnings.empty());
    EXPECT_EQ(r->config_file, "");
}

TEST_F(daemon_cli, help_is_printed_and_exits_zero) {
    auto r = run({"--help"});
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_TRUE(r->exit_now);
    EXPECT_EQ(r->exit_code, 0);
    for (const char* flag : {"--config", "--venue", "--rest-url", "--ca-file", "--server-name",
                             "--api-key-file", "--contest", "--instance", "--cores", "--idle",
                             "--log-level", "--check-config", "--version"})
        EXPECT_NE(r->output.find(flag), std::string::npos) << flag;
    EXPECT_TRUE(r->api_key.empty());
}

TEST_F(daemon_cli, version_is_printed_and_exits_zero) {
    auto r = run({"--version"});
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_TRUE(r->exit_now);
    EXPECT_EQ(r->exit_code, 0);
    EXPECT_EQ(r->output, std::string("edgefeed ") + EF_VERSION + "\n");
}

TEST_F(daemon_cli, unknown_flag_is_an_error_naming_it) {
    const std::string msg = error_of({"--venu", "wss://x/"});
    EXPECT_NE(msg.find("--venu"), std::string::npos) << msg;
}

TEST_F(daemon_cli, flags_override_the_file) {
    const std::string file = dir_.write("e.toml", R"(
instance = "from-file"
[daemon]
cores = [1]
idle = "sleep"
log_level = "warn"
[openmarkets]
stream_url = "wss://file.example/s"
contests = ["f1", "f2"]
server_name = "file-sni.example"
connections = 2
)");
    auto r = run({"--config",      file,
                  "--ca-file",     ca_,
                  "--instance",    "from-flag",
                  "--cores",       "2,3",
                  "--idle",        "spin-then-sleep",
                  "--log-level",   "debug",
                  "--venue",       "wss://flag.example:9443/s",
                  "--contest",     "a,b",
                  "--contest",     "c",
                  "--rest-url",    "https://rest.example/v1",
                  "--server-name", "flag-sni.example"});
    ASSERT_TRUE(r.ok()) << r.err().message;
    const daemon_config& c = r->config;
    EXPECT_EQ(r->config_file, file);
    EXPECT_EQ(c.instance, "from-flag");
    EXPECT_EQ(c.daemon.cores, (std::vector<int>{2, 3}));
    EXPECT_EQ(c.daemon.idle, idle_mode::spin_then_sleep);
    EXPECT_EQ(c.daemon.log_level, log::level::debug);
    EXPECT_EQ(c.openmarkets.stream_url, "wss://flag.example:9443/s");
    EXPECT_EQ(c.openmarkets.rest_url, "https://rest.example/v1");
    EXPECT_EQ(c.openmarkets.contests, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(c.openmarkets.server_name, "flag-sni.example");
    EXPECT_EQ(c.openmarkets.connections, 2u); // not overridden: the file's
}

TEST_F(daemon_cli, file_values_stay_where_no_flag_is_given) {
    const std::string file =
        dir_.write("e.toml", "[daemon]\nidle = \"sleep\"\n[capacity]\npartners = 9\n");
    auto r = run({"--config", file, "--ca-file", ca_});
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->config.daemon.idle, idle_mode::sleep);
    EXPECT_EQ(r->config.capacity.partners, 9u);
}

TEST_F(daemon_cli, a_scalar_flag_given_twice_takes_the_last) {
    auto r = run({"--ca-file", ca_, "--idle", "sleep", "--idle", "spin"});
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->config.daemon.idle, idle_mode::spin);
}

TEST_F(daemon_cli, bad_flag_values_are_all_reported_naming_flag_and_key) {
    const std::string msg = error_of({"--ca-file", ca_, "--idle", "fast", "--cores=0,x", "--venue",
                                      "ws://v/", "--contest", "a,a"});
    EXPECT_EQ(split_lines(msg),
              (std::vector<std::string>{
                  "--cores: daemon.cores[1]: expected an integer (got \"x\")",
                  "--idle: daemon.idle: must be one of spin, spin-then-sleep, sleep (got \"fast\")",
                  "--venue: openmarkets.stream_url: scheme 'ws' is not supported: edgefeed only "
                  "speaks TLS (use wss)",
                  "--contest: openmarkets.contests[1]: duplicate contest id \"a\" (also at "
                  "openmarkets.contests[0])",
              }))
        << msg;
}

TEST_F(daemon_cli, negative_core_is_refused) {
    const std::string msg = error_of({"--ca-file", ca_, "--cores=-1"});
    EXPECT_EQ(msg, "--cores: daemon.cores[0]: CPU number must be 0 or more (got -1)");
}

TEST_F(daemon_cli, flag_contests_are_checked_against_the_file_limits) {
    const std::string file = dir_.write("e.toml", "[openmarkets]\ncontests_per_connection = 1\n");
    const std::string msg = error_of({"--config", file, "--ca-file", ca_, "--contest", "a,b"});
    EXPECT_EQ(msg, "--contest: openmarkets.contests: 2 contests do not fit "
                   "openmarkets.connections x openmarkets.contests_per_connection = 1 x 1 = 1");
}

TEST_F(daemon_cli, problems_in_the_file_are_reported_with_their_position) {
    const std::string file = dir_.write("e.toml", "[daemon]\nidle = \"fast\"\ncolor = 1\n");
    const std::string msg = error_of({"--config", file});
    EXPECT_EQ(split_lines(msg).size(), 2u) << msg;
    EXPECT_TRUE(msg.starts_with(file + ":2:8: daemon.idle: ")) << msg;
}

TEST_F(daemon_cli, missing_config_file_is_named) {
    EXPECT_EQ(error_of({"--config", "/nonexistent/e.toml"}),
              "reading config file /nonexistent/e.toml: No such file or directory");
}

TEST_F(daemon_cli, missing_api_key_names_the_variable) {
    scoped_env no_key("EDGEFEED_OPENMARKETS_API_KEY", std::nullopt);
    EXPECT_EQ(error_of({"--ca-file", ca_}),
              "openmarkets.api_key_env: openmarkets api key environment variable "
              "EDGEFEED_OPENMARKETS_API_KEY is not set");
}

TEST_F(daemon_cli, api_key_file_flag_is_used_and_a_loose_mode_warns) {
    const std::string key = dir_.write("key", "from-file\n", 0640);
    auto r = run({"--ca-file", ca_, "--api-key-file", key});
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->api_key.view(), "from-file");
    ASSERT_EQ(r->warnings.size(), 1u);
    EXPECT_NE(r->warnings[0].find("mode 0640"), std::string::npos) << r->warnings[0];
}

TEST_F(daemon_cli, unreadable_ca_file_is_named) {
    EXPECT_EQ(error_of({"--ca-file", "/nonexistent/ca.pem"}),
              "openmarkets.ca_file: cannot read CA file /nonexistent/ca.pem: No such file or "
              "directory");
}

TEST_F(daemon_cli, check_config_prints_the_effective_config_with_the_key_redacted) {
    const std::string file = dir_.write("e.toml", "[openmarkets]\ncontests = [\"ct_1\"]\n");
    auto r = run({"--config", file, "--ca-file", ca_, "--check-config", "--idle", "sleep"});
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_TRUE(r->exit_now);
    EXPECT_EQ(r->exit_code, 0);
    const std::string& out = r->output;
    EXPECT_EQ(out.find(cli_key_text), std::string::npos) << out;
    EXPECT_NE(out.find("# openmarkets api key: <redacted> (read from environment variable "
                       "EDGEFEED_OPENMARKETS_API_KEY)"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("rest_url = \"https://127.0.0.1:8443/flow/v1\""), std::string::npos) << out;
    EXPECT_TRUE(r->api_key.empty());
    // The output is a config: reading it back gives what was checked.
    auto back = parse_config(out, "check-config output");
    ASSERT_TRUE(back.ok()) << back.err().message;
    EXPECT_EQ(back.value(), r->config);
    EXPECT_EQ(back->daemon.idle, idle_mode::sleep);
    EXPECT_EQ(back->openmarkets.contests, std::vector<std::string>{"ct_1"});
}

TEST_F(daemon_cli, check_config_of_a_bad_config_is_an_error) {
    const std::string file = dir_.write("e.toml", "[capacity]\nrecv_buffers = 3\n");
    const std::string msg = error_of({"--config", file, "--check-config"});
    EXPECT_TRUE(msg.starts_with(file + ":2:16: capacity.recv_buffers: must be a power of two"))
        << msg;
}

TEST_F(daemon_cli, check_config_names_a_missing_key) {
    scoped_env no_key("EDGEFEED_OPENMARKETS_API_KEY", std::nullopt);
    const std::string msg = error_of({"--ca-file", ca_, "--check-config"});
    EXPECT_NE(msg.find("EDGEFEED_OPENMARKETS_API_KEY is not set"), std::string::npos) << msg;
}

TEST_F(daemon_cli, default_instance_is_default_or_the_environment) {
    EXPECT_EQ(default_instance(), "default");
    {
        scoped_env env("EDGEFEED_INSTANCE", "");
        EXPECT_EQ(default_instance(), "default");
    }
    scoped_env env("EDGEFEED_INSTANCE", "blue");
    EXPECT_EQ(default_instance(), "blue");
}

TEST_F(daemon_cli, instance_comes_from_flag_then_file_then_environment) {
    scoped_env env("EDGEFEED_INSTANCE", "from-env");
    auto r = run({"--ca-file", ca_});
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->config.instance, "from-env");
    const std::string file = dir_.write("e.toml", "instance = \"from-file\"\n");
    auto r2 = run({"--ca-file", ca_, "--config", file});
    ASSERT_TRUE(r2.ok()) << r2.err().message;
    EXPECT_EQ(r2->config.instance, "from-file");
    auto r3 = run({"--ca-file", ca_, "--config", file, "--instance", "from-flag"});
    ASSERT_TRUE(r3.ok()) << r3.err().message;
    EXPECT_EQ(r3->config.instance, "from-flag");
}

TEST_F(daemon_cli, bad_instance_in_the_environment_is_named) {
    scoped_env env("EDGEFEED_INSTANCE", "a/b");
    const std::string msg = error_of({"--ca-file", ca_});
    EXPECT_TRUE(msg.starts_with("EDGEFEED_INSTANCE: instance name \"a/b\"")) << msg;
}

} // namespace
} // namespace ef::config
