// Tests for the config reader and validator: defaults, every key read, a
// table of bad configs each naming its key, all problems reported at once,
// positions in messages, overrides, the TOML printer, and the example file.
#include "config/config.hpp"

#include <set>

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "config_cases.hpp"
#include "scratch.hpp"
#include "tests/support/guarded_buffer.hpp"

namespace ef::config {
namespace {

using test::split_lines;
using test_cases::bad_case;
using test_cases::must_fail;
using test_cases::must_parse;

// Every key set to something other than its default.
constexpr std::string_view all_keys_toml = R"(
instance = "prod-1"
[daemon]
cores = [2, 3]
idle = "spin-then-sleep"
spin_before_sleep_us = 500
sleep_max_us = 2000
log_level = "debug"
mlock = false
[capacity]
contests = 1000
partners = 16
positions = 5000
levels_per_position = 4
journal_entries = 4096
max_message_bytes = 65536
recv_buffers = 512
recv_buffer_bytes = 4096
send_buffer_bytes = 32768
[openmarkets]
stream_url = "wss://venue.example:9443/flow/v1/stream"
rest_url = "https://rest.example/flow/v1"
ca_file = "/etc/edgefeed/ca.pem"
server_name = "api.venue.example"
api_key_file = "/etc/edgefeed/key"
api_key_env = "OM_KEY"
key_in = "query"
contests = ["ct_abc123", "ct_def456"]
connections = 2
contests_per_connection = 100
[openmarkets.discovery]
leagues = ["lg_nfl", "lg_nba"]
status = "upcoming"
refresh_s = 30
[openmarkets.depth]
positions = ["ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full"]
refresh_ms = 250
[openmarkets.timeouts]
connect_ms = 1000
tls_handshake_ms = 2000
upgrade_ms = 3000
heartbeat_timeout_ms = 40000
app_ping_interval_ms = 10000
rest_timeout_ms = 4000
[openmarkets.backoff]
initial_ms = 500
max_ms = 20000
jitter_pct = 10
healthy_after_ms = 60000
)";


TEST(config, empty_file_gives_the_documented_defaults) {
    const daemon_config c = must_parse("");
    EXPECT_EQ(c.instance, "default");
    EXPECT_EQ(c.daemon.cores, std::vector<int>{0});
    EXPECT_EQ(c.daemon.idle, idle_mode::spin);
    EXPECT_EQ(c.daemon.spin_before_sleep_us, 200u);
    EXPECT_EQ(c.daemon.sleep_max_us, 1000u);
    EXPECT_EQ(c.daemon.log_level, log::level::info);
    EXPECT_TRUE(c.daemon.mlock);
    EXPECT_EQ(c.capacity.contests, 4096u);
    EXPECT_EQ(c.capacity.partners, 64u);
    EXPECT_EQ(c.capacity.positions, 131072u);
    EXPECT_EQ(c.capacity.levels_per_position, 8u);
    EXPECT_EQ(c.capacity.journal_entries, 65536u);
    EXPECT_EQ(c.capacity.max_message_bytes, 1048576u);
    EXPECT_EQ(c.capacity.recv_buffers, 256u);
    EXPECT_EQ(c.capacity.recv_buffer_bytes, 16384u);
    EXPECT_EQ(c.capacity.send_buffer_bytes, 65536u);
    const openmarkets_section& om = c.openmarkets;
    EXPECT_EQ(om.stream_url, "wss://127.0.0.1:8443/flow/v1/stream");
    EXPECT_EQ(om.rest_url, "");
    EXPECT_EQ(om.ca_file, "");
    EXPECT_EQ(om.server_name, "");
    EXPECT_EQ(om.api_key_file, "");
    EXPECT_EQ(om.api_key_env, "EDGEFEED_OPENMARKETS_API_KEY");
    EXPECT_EQ(om.key_in, api_key_in::header);
    EXPECT_TRUE(om.contests.empty());
    EXPECT_EQ(om.connections, 1u);
    EXPECT_EQ(om.contests_per_connection, 200u);
    EXPECT_TRUE(om.discovery.leagues.empty());
    EXPECT_EQ(om.discovery.status, "open");
    EXPECT_EQ(om.discovery.refresh_s, 60u);
    EXPECT_TRUE(om.depth.positions.empty());
    EXPECT_EQ(om.depth.refresh_ms, 1000u);
    EXPECT_EQ(om.timeouts.connect_ms, 3000u);
    EXPECT_EQ(om.timeouts.tls_handshake_ms, 5000u);
    EXPECT_EQ(om.timeouts.upgrade_ms, 5000u);
    EXPECT_EQ(om.timeouts.heartbeat_timeout_ms, 60000u);
    EXPECT_EQ(om.timeouts.app_ping_interval_ms, 15000u);
    EXPECT_EQ(om.timeouts.rest_timeout_ms, 5000u);
    EXPECT_EQ(om.backoff.initial_ms, 1000u);
    EXPECT_EQ(om.backoff.max_ms, 30000u);
    EXPECT_EQ(om.backoff.jitter_pct, 20u);
    EXPECT_EQ(om.backoff.healthy_after_ms, 30000u);
    EXPECT_EQ(c, daemon_config{});
}

TEST(config, built_in_defaults_pass_validation) {
    EXPECT_TRUE(validate(daemon_config{}).ok());
}

TEST(config, reads_every_key) {
    const daemon_config c = must_parse(all_keys_toml);
    EXPECT_EQ(c.instance, "prod-1");
    EXPECT_EQ(c.daemon.cores, (std::vector<int>{2, 3}));
    EXPECT_EQ(c.daemon.idle, idle_mode::spin_then_sleep);
    EXPECT_EQ(c.daemon.spin_before_sleep_us, 500u);
    EXPECT_EQ(c.daemon.sleep_max_us, 2000u);
    EXPECT_EQ(c.daemon.log_level, log::level::debug);
    EXPECT_FALSE(c.daemon.mlock);
    EXPECT_EQ(c.capacity.contests, 1000u);
    EXPECT_EQ(c.capacity.partners, 16u);
    EXPECT_EQ(c.capacity.positions, 5000u);
    EXPECT_EQ(c.capacity.levels_per_position, 4u);
    EXPECT_EQ(c.capacity.journal_entries, 4096u);
    EXPECT_EQ(c.capacity.max_message_bytes, 65536u);
    EXPECT_EQ(c.capacity.recv_buffers, 512u);
    EXPECT_EQ(c.capacity.recv_buffer_bytes, 4096u);
    EXPECT_EQ(c.capacity.send_buffer_bytes, 32768u);
    const openmarkets_section& om = c.openmarkets;
    EXPECT_EQ(om.stream_url, "wss://venue.example:9443/flow/v1/stream");
    EXPECT_EQ(om.rest_url, "https://rest.example/flow/v1");
    EXPECT_EQ(om.ca_file, "/etc/edgefeed/ca.pem");
    EXPECT_EQ(om.server_name, "api.venue.example");
    EXPECT_EQ(om.api_key_file, "/etc/edgefeed/key");
    EXPECT_EQ(om.api_key_env, "OM_KEY");
    EXPECT_EQ(om.key_in, api_key_in::query);
    EXPECT_EQ(om.contests, (std::vector<std::string>{"ct_abc123", "ct_def456"}));
    EXPECT_EQ(om.connections, 2u);
    EXPECT_EQ(om.contests_per_connection, 100u);
    EXPECT_EQ(om.discovery.leagues, (std::vector<std::string>{"lg_nfl", "lg_nba"}));
    EXPECT_EQ(om.discovery.status, "upcoming");
    EXPECT_EQ(om.discovery.refresh_s, 30u);
    EXPECT_EQ(om.depth.positions,
              std::vector<std::string>{"ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full"});
    EXPECT_EQ(om.depth.refresh_ms, 250u);
    EXPECT_EQ(om.timeouts.connect_ms, 1000u);
    EXPECT_EQ(om.timeouts.tls_handshake_ms, 2000u);
    EXPECT_EQ(om.timeouts.upgrade_ms, 3000u);
    EXPECT_EQ(om.timeouts.heartbeat_timeout_ms, 40000u);
    EXPECT_EQ(om.timeouts.app_ping_interval_ms, 10000u);
    EXPECT_EQ(om.timeouts.rest_timeout_ms, 4000u);
    EXPECT_EQ(om.backoff.initial_ms, 500u);
    EXPECT_EQ(om.backoff.max_ms, 20000u);
    EXPECT_EQ(om.backoff.jitter_pct, 10u);
    EXPECT_EQ(om.backoff.healthy_after_ms, 60000u);
}

TEST(config, keys_left_out_keep_their_defaults) {
    const daemon_config c = must_parse("[capacity]\npartners = 7\n");
    daemon_config expected;
    expected.capacity.partners = 7;
    EXPECT_EQ(c, expected);
}

TEST(config, accepts_inline_tables_and_dotted_keys) {
    const daemon_config c =
        must_parse("daemon = { idle = \"sleep\" }\nopenmarkets.backoff.jitter_pct = 0\n");
    EXPECT_EQ(c.daemon.idle, idle_mode::sleep);
    EXPECT_EQ(c.openmarkets.backoff.jitter_pct, 0u);
}

TEST(config, accepts_values_at_the_edges_of_their_ranges) {
    must_parse("[capacity]\nlevels_per_position = 32\nrecv_buffers = 32768\n"
               "recv_buffer_bytes = 4096\nmax_message_bytes = 67108864\n");
    must_parse("[capacity]\nlevels_per_position = 1\nrecv_buffers = 1\n"
               "recv_buffer_bytes = 1048576\nmax_message_bytes = 1024\n");
    must_parse("[openmarkets]\nconnections = 3\ncontests_per_connection = 1\n");
}


// One problem each; the message must name the exact key (with index).
const bad_case config_bad_cases[] = {
    {"instanse = \"x\"", "instanse: unknown key; did you mean 'instance'?", "typo at top level"},
    {"[daemon]\nidel = \"spin\"", "daemon.idel: unknown key; did you mean 'daemon.idle'?",
     "swapped letters are one edit"},
    {"[daemon]\nLog_Level = \"info\"",
     "daemon.Log_Level: unknown key; did you mean 'daemon.log_level'?", "keys are case-sensitive"},
    {"[openmarkets.timeouts]\nconect_ms = 5",
     "openmarkets.timeouts.conect_ms: unknown key; did you mean "
     "'openmarkets.timeouts.connect_ms'?",
     "typo in a nested table"},
    {"[daemon]\nconnections = 2",
     "daemon.connections: unknown key; did you mean "
     "'openmarkets.connections' or 'orders.connecttrade.connections'?",
     "right name, wrong table"},
    {"[openmarket]\nx = 1", "openmarket: unknown key; did you mean 'openmarkets'?",
     "typo in a table name"},
    {"[timeouts]\nconnect_ms = 1", "timeouts: unknown key; did you mean 'openmarkets.timeouts'?",
     "sub-table written at top level"},
    {"[daemon]\nzzz = 1",
     "daemon.zzz: unknown key; the keys of [daemon] are cores, idle, spin_before_sleep_us, "
     "sleep_max_us, log_level, mlock",
     "nothing close: list the table's keys"},
    {"\"a\\nb\" = 1",
     "\"a\\nb\": unknown key; the top-level keys are instance, daemon, "
     "capacity, openmarkets, orders",
     "a newline in a key is escaped, the message stays one line"},
    {"[daemon]\nmlock = \"yes\"",
     "daemon.mlock: expected a boolean (true or false), found a string", "wrong type"},
    {"[capacity]\ncontests = \"10\"", "capacity.contests: expected an integer, found a string",
     "quoted number"},
    {"[capacity]\ncontests = 1.5",
     "capacity.contests: expected an integer, found a "
     "floating-point number",
     "float for an integer"},
    {"daemon = 5", "daemon: expected a table, found an integer", "value where a table belongs"},
    {"[[daemon]]", "daemon: expected a table, found an array", "array of tables"},
    {"[daemon]\ncores = 0", "daemon.cores: expected an array of CPU numbers, found an integer",
     "scalar for an array"},
    {"[daemon]\ncores = [0, \"1\"]", "daemon.cores[1]: expected an integer, found a string",
     "element of the wrong type"},
    {"[daemon]\ncores = [1, -1]", "daemon.cores[1]: CPU number must be 0 or more (got -1)",
     "negative CPU"},
    {"[daemon]\ncores = [99999999999]", "daemon.cores[0]: CPU number 99999999999 is too large",
     "CPU beyond int"},
    {"[daemon]\ncores = [1, 2, 1]",
     "daemon.cores[2]: CPU 1 is listed twice (also at daemon.cores[0]); one loop per CPU",
     "duplicate CPU"},
    {"[daemon]\ncores = []", "daemon.cores: must list at least one CPU (one loop runs on each)",
     "no loops"},
    {"[daemon]\nidle = \"spinning\"",
     "daemon.idle: must be one of spin, spin-then-sleep, sleep (got \"spinning\")", "bad enum"},
    {"[daemon]\nidle = \"spin_then_sleep\"",
     "daemon.idle: must be one of spin, spin-then-sleep, sleep (got \"spin_then_sleep\")",
     "enum names use dashes"},
    {"[daemon]\nlog_level = \"verbose\"",
     "daemon.log_level: must be one of debug, info, warn, error (got \"verbose\")", "bad enum"},
    {"[daemon]\nlog_level = 3", "daemon.log_level: expected a string, found an integer",
     "enum as number"},
    {"[daemon]\nsleep_max_us = 0", "daemon.sleep_max_us: must be from 1 to 1000000 (got 0)",
     "zero sleep"},
    {"[openmarkets]\nkey_in = \"cookie\"",
     "openmarkets.key_in: must be one of header, query (got \"cookie\")", "bad enum"},
    {"[capacity]\nlevels_per_position = 33",
     "capacity.levels_per_position: must be from 1 to 32 (got 33)", "above range"},
    {"[capacity]\nlevels_per_position = 0",
     "capacity.levels_per_position: must be from 1 to 32 (got 0)", "below range"},
    {"[capacity]\ncontests = -1", "capacity.contests: must be from 1 to 1048576 (got -1)",
     "negative count"},
    {"[capacity]\ncontests = 5000000000",
     "capacity.contests: must be from 1 to 1048576 (got 5000000000)", "beyond 32 bits"},
    {"[capacity]\njournal_entries = 3000",
     "capacity.journal_entries: must be a power of two (got 3000; nearest are 2048 and 4096)",
     "not a power of two"},
    {"[capacity]\njournal_entries = 512",
     "capacity.journal_entries: must be from 1024 to 16777216 (got 512)", "too small a journal"},
    {"[capacity]\nrecv_buffers = 300",
     "capacity.recv_buffers: must be a power of two (got 300; nearest are 256 and 512)",
     "buffer ring needs a power of two"},
    {"[capacity]\nrecv_buffers = 65536",
     "capacity.recv_buffers: must be from 1 to 32768 (got "
     "65536)",
     "kernel limit on a buffer ring"},
    {"[capacity]\nrecv_buffer_bytes = 2048",
     "capacity.recv_buffer_bytes: must be from 4096 to 1048576 (got 2048)", "below 4 KiB"},
    {"[capacity]\nrecv_buffer_bytes = 20000",
     "capacity.recv_buffer_bytes: must be a power of two (got 20000; nearest are 16384 and "
     "32768)",
     "not a power of two"},
    {"[capacity]\nmax_message_bytes = 512",
     "capacity.max_message_bytes: must be from 1024 to 67108864 (got 512)", "below 1 KiB"},
    {"[capacity]\nmax_message_bytes = 67108865",
     "capacity.max_message_bytes: must be from 1024 to 67108864 (got 67108865)", "above 64 MiB"},
    {"[capacity]\nrecv_buffers = 32768\nrecv_buffer_bytes = 1048576",
     "capacity.recv_buffers: capacity.recv_buffers x capacity.recv_buffer_bytes = 32768 x "
     "1048576 = 32768 MiB per loop; at most 1024 MiB",
     "each valid, together absurd"},
    {"[openmarkets]\nconnections = 4", "openmarkets.connections: must be from 1 to 3 (got 4)",
     "venue allows 3 per key"},
    {"[openmarkets]\nconnections = 0", "openmarkets.connections: must be from 1 to 3 (got 0)",
     "no connection"},
    {"[openmarkets]\ncontests_per_connection = 201",
     "openmarkets.contests_per_connection: must be from 1 to 200 (got 201)",
     "venue allows 200 per connection"},
    {"instance = \"a/b\"",
     "instance: instance name \"a/b\": character \"/\" at offset 1 is not one of A-Z a-z 0-9 _ . "
     "-",
     "slash in a shm name"},
    {"instance = \"\"", "instance: instance name is empty", "empty instance"},
    {"instance = \"abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh\"",
     "instance: instance name is 48 bytes long; at most 47", "longer than the shm field"},
    {"[openmarkets]\ncontests = [\"ct_a\", \"ct_b\", \"ct_a\"]",
     "openmarkets.contests[2]: duplicate contest id \"ct_a\" (also at openmarkets.contests[0])",
     "duplicate id"},
    {"[openmarkets]\ncontests = [\"ct a\"]",
     "openmarkets.contests[0]: contest id \"ct a\": character \" \" at offset 2 is not one of A-Z "
     "a-z 0-9 _ . : -",
     "space in an id"},
    {"[openmarkets]\ncontests = [\"ok\", \"ct/../x\"]",
     "openmarkets.contests[1]: contest id \"ct/../x\": character \"/\" at offset 2 is not one of "
     "A-Z a-z 0-9 _ . : -",
     "path characters in an id"},
    {"[openmarkets]\ncontests = [\"ct\\\"x\"]",
     "openmarkets.contests[0]: contest id \"ct\\\"x\": character \"\\\"\" at offset 2 is not one "
     "of A-Z a-z 0-9 _ . : -",
     "a quote would break the subscribe JSON"},
    {"[openmarkets]\ncontests = [\"\"]", "openmarkets.contests[0]: empty contest id", "empty id"},
    {"[openmarkets]\ncontests = [\"caf\\u00e9\"]",
     "openmarkets.contests[0]: contest id \"caf\xc3\xa9\": character byte 0xC3 at offset 3 is not "
     "one of A-Z a-z 0-9 _ . : -",
     "non-ASCII named by its byte, not half a character"},
    {"[openmarkets]\ncontests = [\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh\"]",
     "openmarkets.contests[0]: contest id \"abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh\" is "
     "48 bytes long; at most 47",
     "longer than ef_contest.id"},
    {"[openmarkets]\ncontests = [\"a\", 5]",
     "openmarkets.contests[1]: expected a string, found an integer", "number in the id list"},
    {"[openmarkets]\ncontests_per_connection = 2\ncontests = [\"a\", \"b\", \"c\"]",
     "openmarkets.contests: 3 contests do not fit openmarkets.connections x "
     "openmarkets.contests_per_connection = 1 x 2 = 2",
     "more contests than subscription slots"},
    {"[capacity]\ncontests = 2\n[openmarkets]\ncontests = [\"a\", \"b\", \"c\"]",
     "openmarkets.contests: 3 contests do not fit capacity.contests = 2",
     "more contests than book slots"},
    {"[openmarkets]\nstream_url = \"ws://venue/flow/v1/stream\"",
     "openmarkets.stream_url: scheme 'ws' is not supported: edgefeed only speaks TLS (use wss)",
     "plain text"},
    {"[openmarkets]\nstream_url = \"https://venue/flow/v1/stream\"",
     "openmarkets.stream_url: scheme must be wss (got https)", "REST scheme for the stream"},
    {"[openmarkets]\nstream_url = \"wss://:8443/flow\"", "openmarkets.stream_url: host is missing",
     "no host"},
    {"[openmarkets]\nstream_url = \"wss://venue:0/\"",
     "openmarkets.stream_url: port 0 is out of range 1..65535", "port zero"},
    {"[openmarkets]\nstream_url = \"wss://venue:65536/\"",
     "openmarkets.stream_url: port 65536 is out of range 1..65535", "port too big"},
    {"[openmarkets]\nstream_url = \"wss://venue/flow?api_key=abc\"",
     "openmarkets.stream_url: carries an api_key parameter: the key must come from "
     "openmarkets.api_key_file or openmarkets.api_key_env, and key_in = \"query\" puts it on the "
     "URL when connecting",
     "a key in the config file"},
    {"[openmarkets]\nrest_url = \"wss://venue/flow/v1\"",
     "openmarkets.rest_url: scheme must be https (got wss)", "stream scheme for REST"},
    {"[openmarkets]\nserver_name = \"bad name\"",
     "openmarkets.server_name: character ' ' is not allowed in a host name", "space in SNI"},
    {"[openmarkets]\nca_file = \"a\\u0000b\"", "openmarkets.ca_file: file name contains a NUL byte",
     "NUL would cut the path"},
    {"[openmarkets]\napi_key_file = \"k\\u0000\"",
     "openmarkets.api_key_file: file name contains a NUL byte", "NUL would cut the path"},
    {"[openmarkets]\napi_key_env = \"\"\napi_key_file = \"\"",
     "openmarkets.api_key_env: no API key source: set openmarkets.api_key_file or "
     "openmarkets.api_key_env",
     "no key at all"},
    {"[openmarkets.discovery]\nleagues = [\"lg_nfl\", \"lg_nfl\"]",
     "openmarkets.discovery.leagues[1]: duplicate league id \"lg_nfl\" (also at "
     "openmarkets.discovery.leagues[0])",
     "duplicate league"},
    {"[openmarkets.discovery]\nstatus = \"\"",
     "openmarkets.discovery.status: must not be empty (the venue's default is \"open\")",
     "empty status"},
    {"[openmarkets.discovery]\nrefresh_s = 0",
     "openmarkets.discovery.refresh_s: must be from 1 to 86400 (got 0)", "zero refresh"},
    {"[openmarkets.depth]\npositions = [\"ct:mk\"]",
     "openmarkets.depth.positions[0]: position hash \"ct:mk\" must have six non-empty parts "
     "contest:market:side:variant:participant:timeframe",
     "short hash"},
    {"[openmarkets.depth]\npositions = [\"ct::side:var:p:tf\"]",
     "openmarkets.depth.positions[0]: position hash \"ct::side:var:p:tf\" must have six non-empty "
     "parts contest:market:side:variant:participant:timeframe",
     "empty part"},
    {"[openmarkets.timeouts]\nconnect_ms = 0",
     "openmarkets.timeouts.connect_ms: must be from 1 to 600000 (got 0)", "zero timeout"},
    {"[openmarkets.timeouts]\napp_ping_interval_ms = 60000",
     "openmarkets.timeouts.app_ping_interval_ms: 60000 must be less than "
     "openmarkets.timeouts.heartbeat_timeout_ms = 60000, or a quiet connection is declared dead "
     "before it is pinged",
     "ping no faster than the dead-connection deadline"},
    {"[openmarkets.backoff]\ninitial_ms = 40000",
     "openmarkets.backoff.initial_ms: 40000 is more than openmarkets.backoff.max_ms = 30000",
     "first wait beyond the cap"},
    {"[openmarkets.backoff]\njitter_pct = 101",
     "openmarkets.backoff.jitter_pct: must be from 0 to 100 (got 101)", "jitter over 100 %"},
};

TEST(config, rejects_each_bad_config_with_one_line_naming_the_key) {
    test_cases::expect_each_refused_naming_its_key(config_bad_cases);
}

TEST(config, reports_the_position_of_the_offending_value) {
    EXPECT_EQ(must_fail("instance = \"x\"\n[capacity]\nrecv_buffers =   300\n"),
              "t.toml:3:18: capacity.recv_buffers: must be a power of two (got 300; nearest are "
              "256 and 512)");
}

TEST(config, reports_the_position_of_an_array_element) {
    EXPECT_EQ(must_fail("[openmarkets]\ncontests = [\n  \"a\",\n  \"a\",\n]\n"),
              "t.toml:4:3: openmarkets.contests[1]: duplicate contest id \"a\" (also at "
              "openmarkets.contests[0])");
}

TEST(config, reports_the_position_of_an_unknown_key) {
    EXPECT_EQ(must_fail("\n[daemon]\n  mlok = true\n"),
              "t.toml:3:3: daemon.mlok: unknown key; did you mean 'daemon.mlock'?");
}

TEST(config, reports_every_problem_in_file_order) {
    const std::string msg = must_fail(R"(instance = "bad name"
[daemon]
idle = "fast"
colors = 3
[capacity]
journal_entries = 1000000
[openmarkets]
contests = ["a", "a"]
[openmarkets.backoff]
jitter_pct = "twenty"
)");
    const auto lines = split_lines(msg);
    ASSERT_EQ(lines.size(), 6u) << msg;
    EXPECT_TRUE(lines[0].starts_with("t.toml:1:12: instance: ")) << lines[0];
    EXPECT_TRUE(lines[1].starts_with("t.toml:3:8: daemon.idle: ")) << lines[1];
    EXPECT_TRUE(lines[2].starts_with("t.toml:4:1: daemon.colors: unknown key")) << lines[2];
    EXPECT_TRUE(lines[3].starts_with("t.toml:6:19: capacity.journal_entries: ")) << lines[3];
    EXPECT_TRUE(lines[4].starts_with("t.toml:8:18: openmarkets.contests[1]: duplicate"))
        << lines[4];
    EXPECT_TRUE(lines[5].starts_with("t.toml:10:14: openmarkets.backoff.jitter_pct: expected"))
        << lines[5];
}

TEST(config, does_not_pile_cross_key_problems_on_a_key_already_reported) {
    // 300 contests exceed 1 x 200, but connections itself is wrong: one line.
    std::string contests;
    for (int i = 0; i < 300; ++i)
        contests += fmt::format("{}\"c{}\"", i ? ", " : "", i);
    const std::string msg =
        must_fail(fmt::format("[openmarkets]\nconnections = \"two\"\ncontests = [{}]\n", contests));
    EXPECT_EQ(split_lines(msg).size(), 1u) << msg;
    EXPECT_NE(msg.find("openmarkets.connections: expected an integer"), std::string::npos) << msg;
}

TEST(config, reports_a_syntax_error_with_file_line_and_column) {
    EXPECT_EQ(must_fail("instance = \"x\"\n[daemon\nidle = \"spin\"\n"),
              "t.toml:2:8: TOML syntax error: Error while parsing table header: expected ']', "
              "saw '\\n'");
}

TEST(config, reports_a_key_given_twice_as_a_syntax_error) {
    const std::string msg = must_fail("[daemon]\nmlock = true\nmlock = false\n");
    EXPECT_TRUE(msg.starts_with("t.toml:3:")) << msg;
    EXPECT_NE(msg.find("TOML syntax error"), std::string::npos) << msg;
}

TEST(config, names_the_source_given_by_the_caller) {
    auto r = parse_config("[daemon]\nidle = 1\n", "/etc/edgefeed/edgefeed.toml");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.err().message.starts_with("/etc/edgefeed/edgefeed.toml:2:8: daemon.idle: "))
        << r.err().message;
}

TEST(config, validate_reports_problems_of_a_struct_without_positions) {
    daemon_config c;
    c.capacity.journal_entries = 1000000;
    c.daemon.cores = {0, 0};
    c.openmarkets.stream_url = "http://x/";
    auto s = validate(c);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.err().message,
              "daemon.cores[1]: CPU 0 is listed twice (also at daemon.cores[0]); one loop per CPU\n"
              "capacity.journal_entries: must be a power of two (got 1000000; nearest are 524288 "
              "and 1048576)\n"
              "openmarkets.stream_url: scheme 'http' is not supported: edgefeed only speaks TLS "
              "(use https)");
}

TEST(config, api_key_env_that_looks_like_a_key_is_not_echoed) {
    const std::string msg = must_fail("[openmarkets]\napi_key_env = \"om_data_live_9f8e7d\"\n");
    EXPECT_NE(msg.find("openmarkets.api_key_env: must name an environment variable"),
              std::string::npos)
        << msg;
    EXPECT_EQ(msg.find("9f8e7d"), std::string::npos) << msg;
}

TEST(config, url_problems_do_not_repeat_the_url) {
    const std::string msg =
        must_fail("[openmarkets]\nstream_url = \"wss://user:s3cr3tpw@venue/x\"\n"
                  "rest_url = \"https://venue/x?api_key=s3cr3tkey\"\n");
    EXPECT_EQ(split_lines(msg).size(), 2u) << msg;
    EXPECT_EQ(msg.find("s3cr3t"), std::string::npos) << msg;
}

TEST(config, load_config_file_names_a_missing_file) {
    auto r = load_config_file("/nonexistent/edgefeed.toml");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message,
              "reading config file /nonexistent/edgefeed.toml: No such file or directory");
}

TEST(config, load_config_file_positions_problems_in_that_file) {
    test::scratch_dir dir;
    const std::string path = dir.write("e.toml", "[daemon]\nidle = \"nap\"\n");
    auto r = load_config_file(path);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.err().message.starts_with(path + ":2:8: daemon.idle: must be one of"))
        << r.err().message;
}

TEST(config, base_config_supplies_keys_the_file_leaves_out) {
    daemon_config base;
    base.instance = "from-env";
    auto r = parse_config("[daemon]\nmlock = false\n", "t.toml", base);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->instance, "from-env");
    auto r2 = parse_config("instance = \"from-file\"\n", "t.toml", base);
    ASSERT_TRUE(r2.ok()) << r2.err().message;
    EXPECT_EQ(r2->instance, "from-file");
}

TEST(config, overrides_replace_file_values_and_are_validated) {
    const daemon_config file = must_parse(all_keys_toml);
    const key_override o[] = {
        {"daemon.cores", "--cores", {"5", "6"}},
        {"openmarkets.contests", "--contest", {"x1"}},
        {"daemon.idle", "--idle", {"sleep"}},
        {"openmarkets.stream_url", "--venue", {"wss://other:1234/s"}},
    };
    auto r = apply_overrides(file, o);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->daemon.cores, (std::vector<int>{5, 6}));
    EXPECT_EQ(r->openmarkets.contests, std::vector<std::string>{"x1"});
    EXPECT_EQ(r->daemon.idle, idle_mode::sleep);
    EXPECT_EQ(r->openmarkets.stream_url, "wss://other:1234/s");
    EXPECT_EQ(r->capacity, file.capacity);
}

TEST(config, override_problems_name_the_flag_and_the_key) {
    const key_override o[] = {
        {"daemon.cores", "--cores", {"0", "x"}},
        {"daemon.idle", "--idle", {"fast"}},
        {"instance", "--instance", {"a b"}},
    };
    auto r = apply_overrides(daemon_config{}, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message,
              "--cores: daemon.cores[1]: expected an integer (got \"x\")\n"
              "--idle: daemon.idle: must be one of spin, spin-then-sleep, sleep (got \"fast\")\n"
              "--instance: instance: instance name \"a b\": character \" \" at offset 1 is not one "
              "of A-Z a-z 0-9 _ . -");
}

TEST(config, override_of_an_integer_key_checks_its_range) {
    const key_override o[] = {{"openmarkets.connections", "--connections", {"-4"}}};
    auto r = apply_overrides(daemon_config{}, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message,
              "--connections: openmarkets.connections: must be from 1 to 3 (got -4)");
}

TEST(config, to_toml_parses_back_to_an_equal_config) {
    for (std::string_view text : {std::string_view{}, all_keys_toml}) {
        const daemon_config c = must_parse(text);
        const std::string printed = to_toml(c);
        auto back = parse_config(printed, "printed");
        ASSERT_TRUE(back.ok()) << back.err().message << "\n" << printed;
        EXPECT_EQ(back.value(), c) << printed;
    }
}

TEST(config, to_toml_escapes_strings) {
    daemon_config c;
    c.openmarkets.ca_file = "/odd\"dir\\\n/ca.pem";
    const std::string printed = to_toml(c);
    EXPECT_NE(printed.find("ca_file = \"/odd\\\"dir\\\\\\n/ca.pem\"\n"), std::string::npos)
        << printed;
    auto back = parse_config(printed, "printed");
    ASSERT_TRUE(back.ok()) << back.err().message;
    EXPECT_EQ(back->openmarkets.ca_file, c.openmarkets.ca_file);
}

TEST(config, derives_rest_url_from_the_stream_url) {
    openmarkets_section om;
    EXPECT_EQ(effective_rest_url(om), "https://127.0.0.1:8443/flow/v1");
    om.stream_url = "wss://[::1]:9000/flow/v1/stream";
    EXPECT_EQ(effective_rest_url(om), "https://[::1]:9000/flow/v1");
    om.stream_url = "wss://api.openmarkets.ai/flow/v1/stream?x=1";
    EXPECT_EQ(effective_rest_url(om), "https://api.openmarkets.ai/flow/v1");
    om.rest_url = "https://rest.example/v1";
    EXPECT_EQ(effective_rest_url(om), "https://rest.example/v1");
}

TEST(config, derives_ca_file_and_server_name_when_empty) {
    openmarkets_section om;
    EXPECT_EQ(effective_ca_file(om), system_ca_file);
    EXPECT_EQ(effective_server_name(om, "venue.example"), "venue.example");
    om.ca_file = "/etc/edgefeed/ca.pem";
    om.server_name = "sni.example";
    EXPECT_EQ(effective_ca_file(om), "/etc/edgefeed/ca.pem");
    EXPECT_EQ(effective_server_name(om, "venue.example"), "sni.example");
}

TEST(config, enum_names_round_trip) {
    for (auto m : {idle_mode::spin, idle_mode::spin_then_sleep, idle_mode::sleep})
        EXPECT_EQ(parse_idle_mode(to_string(m)), m);
    for (auto l : {log::level::debug, log::level::info, log::level::warn, log::level::error})
        EXPECT_EQ(parse_log_level(to_string(l)), l);
    for (auto k : {api_key_in::header, api_key_in::query})
        EXPECT_EQ(parse_api_key_in(to_string(k)), k);
    EXPECT_EQ(parse_idle_mode("Spin"), std::nullopt);
}

TEST(config, instance_names_follow_the_shm_rules) {
    EXPECT_TRUE(check_instance_name("default").ok());
    EXPECT_TRUE(check_instance_name("a.b-c_D9").ok());
    EXPECT_TRUE(check_instance_name(std::string(47, 'x')).ok());
    EXPECT_FALSE(check_instance_name(std::string(48, 'x')).ok());
    EXPECT_FALSE(check_instance_name("").ok());
    EXPECT_FALSE(check_instance_name("a/b").ok());
    EXPECT_FALSE(check_instance_name("a:b").ok());
    EXPECT_FALSE(check_instance_name("caf\xc3\xa9").ok());
}

// Every prefix of a real config, ending at a PROT_NONE page: the reader must
// answer (value or error) without reading past the text.
TEST(config, every_prefix_of_a_config_is_answered_without_overread) {
    const std::string_view text = all_keys_toml;
    size_t accepted = 0;
    for (size_t n = 0; n <= text.size(); ++n) {
        test::guarded_buffer buf(text.substr(0, n));
        auto r = parse_config(buf.view(), "prefix");
        if (r.ok())
            ++accepted;
        else
            EXPECT_FALSE(r.err().message.empty());
    }
    EXPECT_GT(accepted, 0u); // at least the empty prefix and the whole text
}

std::set<std::string> leaf_paths(const toml::table& t, const std::string& prefix = "") {
    std::set<std::string> out;
    for (auto&& [k, v] : t) {
        const std::string p =
            prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        if (const toml::table* sub = v.as_table())
            out.merge(leaf_paths(*sub, p));
        else
            out.insert(p);
    }
    return out;
}

TEST(config, example_config_parses) {
    auto r = load_config_file(EF_EXAMPLE_CONFIG);
    ASSERT_TRUE(r.ok()) << r.err().message;
}

TEST(config, example_config_sets_every_key) {
    const std::set<std::string> all = leaf_paths(toml::parse(to_toml(daemon_config{})));
    const std::set<std::string> example = leaf_paths(toml::parse_file(EF_EXAMPLE_CONFIG));
    EXPECT_EQ(example, all);
}

} // namespace
} // namespace ef::config
