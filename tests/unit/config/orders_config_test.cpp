// Tests for the order path's config ([orders] and its tables): defaults, every
// key read, strategies inheriting orders.default_limits, exact decimals (a TOML
// float refused), every validation message with its key and position, arrays
// of tables (unknown keys, wrong types, positions), the TOML round trip, the
// derived values, and Connect Trade secrets read from a file or the environment.
#include "config/config.hpp"

#include <gtest/gtest.h>

#include "config/secret.hpp"
#include "config_cases.hpp"
#include "scratch.hpp"
#include "tests/support/guarded_buffer.hpp"

namespace ef::config {
namespace {

using test::scoped_env;
using test::scratch_dir;
using test::split_lines;
using test_cases::bad_case;
using test_cases::must_fail;
using test_cases::must_parse;

constexpr int64_t e9 = 1'000'000'000;

// Every [orders] key set to something other than its default, two elements
// in each array of tables.
constexpr std::string_view orders_toml = R"(
[orders]
enabled = true
core = 3
journal_dir = "/srv/edgefeed/journal"
cl_order_id_prefix = "ny4"
request_ring = 256
response_ring = 512
max_in_flight = 64
request_timeout_ms = 2500
openmarkets_connections = 3
recycle_idle_ms = 30000
warm_interval_ms = 0
reconcile_interval_ms = 250
reconcile_attempts = 40
journal_records = 4096

[orders.default_limits]
max_order_qty = "500.5"
max_order_notional = 200
max_open_notional = "2000"
max_daily_notional = "20000.000000001"
max_orders_per_s = 10
fat_finger_bps = 0
max_price = "250.75"
require_reference = false

[[orders.strategies]]
name = "mm.nfl-1"
accounts = ["acct_1", "your-user-123"]
halted = true
max_order_notional = "150"

[[orders.strategies]]
name = "arb_2"
accounts = ["*"]
max_order_qty = "7"
max_order_notional = "0.5"
max_open_notional = "10"
max_daily_notional = "30"
max_orders_per_s = 100000
fat_finger_bps = 100000
max_price = "0"
require_reference = true

[[orders.accounts]]
account = "acct_1"
max_open_notional = "5000"
max_daily_notional = "0"

[[orders.accounts]]
account = "your-user-123"
max_daily_notional = "99.99"

[orders.connecttrade]
enabled = true
rest_url = "https://ct.example:9443/v2"
ca_file = "/etc/edgefeed/ct-ca.pem"
server_name = "api.ct.example"
client_id = "cid-42"
client_secret_file = "/etc/edgefeed/ct-client.secret"
client_secret_env = "CT_CLIENT_SECRET"
connections = 4

[[orders.connecttrade.accounts]]
account_id = "acct_1"
user_id = "user_1"
user_secret_file = "/etc/edgefeed/ct-user-1.secret"

[[orders.connecttrade.accounts]]
account_id = "acct_2"
user_id = "user_2"
user_secret_env = "CT_USER_2_SECRET"
)";


TEST(orders_config, empty_file_gives_the_documented_defaults) {
    const orders_section o = must_parse("").orders;
    EXPECT_TRUE(o.enabled);
    EXPECT_EQ(o.core, -1);
    EXPECT_EQ(o.journal_dir, "/var/lib/edgefeed");
    EXPECT_EQ(o.cl_order_id_prefix, "ef");
    EXPECT_EQ(o.request_ring, 1024u);
    EXPECT_EQ(o.response_ring, 1024u);
    EXPECT_EQ(o.max_in_flight, 256u);
    EXPECT_EQ(o.request_timeout_ms, 3000u);
    EXPECT_EQ(o.openmarkets_connections, 2u);
    EXPECT_EQ(o.recycle_idle_ms, 45000u);
    EXPECT_EQ(o.warm_interval_ms, 100u);
    EXPECT_EQ(o.reconcile_interval_ms, 500u);
    EXPECT_EQ(o.reconcile_attempts, 20u);
    EXPECT_EQ(o.journal_records, 65536u);
    const limits_section& l = o.default_limits;
    EXPECT_EQ(l.max_order_qty_e9, 10'000 * e9);
    EXPECT_EQ(l.max_order_notional_e9, 1'000 * e9);
    EXPECT_EQ(l.max_open_notional_e9, 10'000 * e9);
    EXPECT_EQ(l.max_daily_notional_e9, 100'000 * e9);
    EXPECT_EQ(l.max_orders_per_s, 50u);
    EXPECT_EQ(l.fat_finger_bps, 1000u);
    EXPECT_EQ(l.max_price_e9, 0);
    EXPECT_TRUE(l.require_reference);
    ASSERT_EQ(o.strategies.size(), 1u);
    EXPECT_EQ(o.strategies[0].name, "default");
    EXPECT_EQ(o.strategies[0].accounts, std::vector<std::string>{"*"});
    EXPECT_FALSE(o.strategies[0].halted);
    EXPECT_EQ(o.strategies[0].limits, l);
    EXPECT_TRUE(o.accounts.empty());
    const connecttrade_section& ct = o.connecttrade;
    EXPECT_FALSE(ct.enabled);
    EXPECT_EQ(ct.rest_url, "https://127.0.0.1:8443");
    EXPECT_EQ(ct.ca_file, "");
    EXPECT_EQ(ct.server_name, "");
    EXPECT_EQ(ct.client_id, "");
    EXPECT_EQ(ct.client_secret_file, "");
    EXPECT_EQ(ct.client_secret_env, "EDGEFEED_CONNECTTRADE_CLIENT_SECRET");
    EXPECT_EQ(ct.connections, 2u);
    EXPECT_TRUE(ct.accounts.empty());
    EXPECT_EQ(o, orders_section{});
}

TEST(orders_config, reads_every_key) {
    const orders_section o = must_parse(orders_toml).orders;
    EXPECT_TRUE(o.enabled);
    EXPECT_EQ(o.core, 3);
    EXPECT_EQ(o.journal_dir, "/srv/edgefeed/journal");
    EXPECT_EQ(o.cl_order_id_prefix, "ny4");
    EXPECT_EQ(o.request_ring, 256u);
    EXPECT_EQ(o.response_ring, 512u);
    EXPECT_EQ(o.max_in_flight, 64u);
    EXPECT_EQ(o.request_timeout_ms, 2500u);
    EXPECT_EQ(o.openmarkets_connections, 3u);
    EXPECT_EQ(o.recycle_idle_ms, 30000u);
    EXPECT_EQ(o.warm_interval_ms, 0u);
    EXPECT_EQ(o.reconcile_interval_ms, 250u);
    EXPECT_EQ(o.reconcile_attempts, 40u);
    EXPECT_EQ(o.journal_records, 4096u);

    const limits_section d{500'500'000'000, 200 * e9, 2000 * e9, 20000 * e9 + 1, 10, 0,
                           250'750'000'000, false};
    EXPECT_EQ(o.default_limits, d);

    ASSERT_EQ(o.strategies.size(), 2u);
    EXPECT_EQ(o.strategies[0].name, "mm.nfl-1");
    EXPECT_EQ(o.strategies[0].accounts, (std::vector<std::string>{"acct_1", "your-user-123"}));
    EXPECT_TRUE(o.strategies[0].halted);
    limits_section s0 = d;
    s0.max_order_notional_e9 = 150 * e9;
    EXPECT_EQ(o.strategies[0].limits, s0);
    EXPECT_EQ(o.strategies[1].name, "arb_2");
    EXPECT_EQ(o.strategies[1].accounts, std::vector<std::string>{"*"});
    EXPECT_FALSE(o.strategies[1].halted);
    EXPECT_EQ(o.strategies[1].limits,
              (limits_section{7 * e9, e9 / 2, 10 * e9, 30 * e9, 100000, 100000, 0, true}));

    ASSERT_EQ(o.accounts.size(), 2u);
    EXPECT_EQ(o.accounts[0], (account_limits_section{"acct_1", 5000 * e9, 0}));
    EXPECT_EQ(o.accounts[1], (account_limits_section{"your-user-123", 0, 99'990'000'000}));

    const connecttrade_section& ct = o.connecttrade;
    EXPECT_TRUE(ct.enabled);
    EXPECT_EQ(ct.rest_url, "https://ct.example:9443/v2");
    EXPECT_EQ(ct.ca_file, "/etc/edgefeed/ct-ca.pem");
    EXPECT_EQ(ct.server_name, "api.ct.example");
    EXPECT_EQ(ct.client_id, "cid-42");
    EXPECT_EQ(ct.client_secret_file, "/etc/edgefeed/ct-client.secret");
    EXPECT_EQ(ct.client_secret_env, "CT_CLIENT_SECRET");
    EXPECT_EQ(ct.connections, 4u);
    ASSERT_EQ(ct.accounts.size(), 2u);
    EXPECT_EQ(ct.accounts[0],
              (ct_account_section{"acct_1", "user_1", "/etc/edgefeed/ct-user-1.secret", ""}));
    EXPECT_EQ(ct.accounts[1], (ct_account_section{"acct_2", "user_2", "", "CT_USER_2_SECRET"}));
}

TEST(orders_config, strategy_keys_left_out_inherit_default_limits_written_after_them) {
    // [orders.default_limits] comes after the strategy in the text.
    const orders_section o = must_parse(R"(
[[orders.strategies]]
name = "a"
accounts = ["*"]
max_orders_per_s = 7
[orders.default_limits]
max_order_notional = "300"
fat_finger_bps = 25
)")
                                 .orders;
    ASSERT_EQ(o.strategies.size(), 1u);
    limits_section expected;
    expected.max_order_notional_e9 = 300 * e9;
    expected.fat_finger_bps = 25;
    EXPECT_EQ(o.default_limits, expected);
    expected.max_orders_per_s = 7;
    EXPECT_EQ(o.strategies[0].limits, expected);
}

TEST(orders_config, a_strategy_key_equal_to_the_default_is_still_its_own) {
    const orders_section o = must_parse(R"(
[orders.default_limits]
max_orders_per_s = 9
[[orders.strategies]]
name = "a"
accounts = ["*"]
max_orders_per_s = 50
)")
                                 .orders;
    EXPECT_EQ(o.strategies[0].limits.max_orders_per_s, 50u);
}

TEST(orders_config, default_strategy_follows_default_limits_from_the_file) {
    const orders_section o = must_parse("[orders.default_limits]\nmax_order_qty = \"3\"\n").orders;
    ASSERT_EQ(o.strategies.size(), 1u);
    EXPECT_EQ(o.strategies[0].name, "default");
    EXPECT_EQ(o.strategies[0].limits.max_order_qty_e9, 3 * e9);
    EXPECT_EQ(o.strategies[0].limits, o.default_limits);
}

TEST(orders_config, strategies_in_the_file_replace_the_default_one) {
    const orders_section o =
        must_parse("[[orders.strategies]]\nname = \"only\"\naccounts = [\"a1\"]\n").orders;
    ASSERT_EQ(o.strategies.size(), 1u);
    EXPECT_EQ(o.strategies[0].name, "only");
    EXPECT_EQ(o.strategies[0].limits, limits_section{});
}

TEST(orders_config, accepts_arrays_of_inline_tables) {
    const orders_section o = must_parse(R"(
[orders]
strategies = [{ name = "a", accounts = ["*"], max_price = "10" }, { name = "b", accounts = ["x"] }]
accounts = [{ account = "x", max_open_notional = 1 }]
)")
                                 .orders;
    ASSERT_EQ(o.strategies.size(), 2u);
    EXPECT_EQ(o.strategies[0].limits.max_price_e9, 10 * e9);
    EXPECT_EQ(o.strategies[1].name, "b");
    ASSERT_EQ(o.accounts.size(), 1u);
    EXPECT_EQ(o.accounts[0].max_open_notional_e9, e9);
}

TEST(orders_config, an_empty_strategy_list_is_accepted_when_orders_are_off) {
    const orders_section o = must_parse("[orders]\nenabled = false\nstrategies = []\n").orders;
    EXPECT_TRUE(o.strategies.empty());
}

struct decimal_case {
    std::string_view value; // as written after "max_order_qty = "
    int64_t expected_e9;
    std::string_view why;
};

const decimal_case good_decimals[] = {
    {"\"1000.50\"", 1'000'500'000'000, "a string with a fraction"},
    {"1000", 1000 * e9, "a TOML integer"},
    {"1_000", 1000 * e9, "a TOML integer with an underscore"},
    {"\"0.000000001\"", 1, "the smallest unit"},
    {"\"1000000000\"", 1'000'000'000 * e9, "the largest amount"},
    {"1000000000", 1'000'000'000 * e9, "the largest amount as an integer"},
    {"\"007.10\"", 7'100'000'000, "leading and trailing zeros"},
    {"\"2.500000000\"", 2'500'000'000, "nine decimals, trailing zeros"},
};

TEST(orders_config, reads_decimals_exactly) {
    for (const decimal_case& c : good_decimals) {
        SCOPED_TRACE(c.why);
        const daemon_config cfg =
            must_parse(fmt::format("[orders.default_limits]\nmax_order_qty = {}\n", c.value));
        EXPECT_EQ(cfg.orders.default_limits.max_order_qty_e9, c.expected_e9);
    }
}


const bad_case orders_bad_cases[] = {
    // Decimals.
    {"[orders.default_limits]\nmax_order_qty = 0.5",
     "orders.default_limits.max_order_qty: a TOML float is not exact: write decimals as strings "
     "(\"0.5\", not 0.5)",
     "a binary float is refused"},
    {"[orders.default_limits]\nmax_order_qty = 1e3",
     "orders.default_limits.max_order_qty: a TOML float is not exact: write decimals as strings "
     "(\"1000\", not 1000)",
     "an exponent makes a float"},
    {"[orders.default_limits]\nmax_order_qty = \"1.0000000001\"",
     "orders.default_limits.max_order_qty: \"1.0000000001\" has more than 9 decimal places; "
     "amounts are exact to 0.000000001",
     "below the e9 unit"},
    {"[orders.default_limits]\nmax_order_qty = \"1e3\"",
     "orders.default_limits.max_order_qty: \"1e3\" is not a decimal: write digits with an "
     "optional fraction, e.g. \"1000.50\"",
     "no exponents in a decimal string"},
    {"[orders.default_limits]\nmax_order_qty = \" 5\"",
     "orders.default_limits.max_order_qty: \" 5\" is not a decimal: write digits with an optional "
     "fraction, e.g. \"1000.50\"",
     "no spaces"},
    {"[orders.default_limits]\nmax_order_qty = \"5.\"",
     "orders.default_limits.max_order_qty: \"5.\" is not a decimal: write digits with an optional "
     "fraction, e.g. \"1000.50\"",
     "a point needs digits after it"},
    {"[orders.default_limits]\nmax_order_qty = \"\"",
     "orders.default_limits.max_order_qty: \"\" is not a decimal: write digits with an optional "
     "fraction, e.g. \"1000.50\"",
     "empty string"},
    {"[orders.default_limits]\nmax_order_qty = true",
     "orders.default_limits.max_order_qty: expected a decimal as a string (\"1000.50\") or an "
     "integer, found a boolean",
     "wrong type"},
    {"[orders.default_limits]\nmax_order_qty = \"0\"",
     "orders.default_limits.max_order_qty: must be more than 0 and at most 1000000000 (got 0)",
     "a zero limit"},
    {"[orders.default_limits]\nmax_order_qty = \"-1.5\"",
     "orders.default_limits.max_order_qty: must be more than 0 and at most 1000000000 (got -1.5)",
     "a negative limit"},
    {"[orders.default_limits]\nmax_order_qty = \"1000000000.000000001\"",
     "orders.default_limits.max_order_qty: must be more than 0 and at most 1000000000 (got "
     "1000000000.000000001)",
     "just above a billion"},
    {"[orders.default_limits]\nmax_order_qty = 9300000000",
     "orders.default_limits.max_order_qty: 9300000000 is too large",
     "an integer whose e9 value overflows"},
    {"[orders.default_limits]\nmax_order_qty = \"99999999999\"",
     "orders.default_limits.max_order_qty: \"99999999999\" is too large",
     "a string whose e9 value overflows"},
    {"[orders.default_limits]\nmax_price = \"-1\"",
     "orders.default_limits.max_price: must be from 0 to 1000000000 (got -1)",
     "0 is none, below is wrong"},
    {"[orders.default_limits]\nmax_orders_per_s = 0",
     "orders.default_limits.max_orders_per_s: must be from 1 to 100000 (got 0)", "no orders"},
    {"[orders.default_limits]\nfat_finger_bps = 100001",
     "orders.default_limits.fat_finger_bps: must be from 0 to 100000 (got 100001)",
     "band beyond 1000 %"},
    {"[orders.default_limits]\nrequire_reference = 1",
     "orders.default_limits.require_reference: expected a boolean (true or false), found an "
     "integer",
     "wrong type"},
    {"[orders.default_limits]\nmax_order_notional = \"20000\"",
     "orders.default_limits.max_order_notional: 20000 is more than "
     "orders.default_limits.max_open_notional = 10000: an order that large could never be sent",
     "one order above the open limit"},
    {"[orders.default_limits]\nmax_open_notional = \"500\"\nmax_daily_notional = \"900\"\n"
     "max_order_notional = \"950\"",
     "orders.default_limits.max_order_notional: 950 is more than "
     "orders.default_limits.max_open_notional = 500: an order that large could never be sent",
     "reported once, at the first limit it breaks"},
    // [orders] scalars.
    {"[orders]\ncore = -2", "orders.core: must be from -1 to 65535 (got -2)", "-1 is automatic"},
    {"[orders]\ncore = 70000", "orders.core: must be from -1 to 65535 (got 70000)", "no such CPU"},
    {"[orders]\ncore = 9999999999", "orders.core: must be from -1 to 65535 (got 9999999999)",
     "beyond int"},
    {"[orders]\ncore = \"1\"", "orders.core: expected an integer, found a string", "wrong type"},
    {"[orders]\nenabled = \"yes\"",
     "orders.enabled: expected a boolean (true or false), found a "
     "string",
     "wrong type"},
    {"[orders]\njournal_dir = \"journal\"",
     "orders.journal_dir: must be an absolute path (the journal must be found again after a "
     "crash, whatever the working directory)",
     "relative path"},
    {"[orders]\njournal_dir = \"\"",
     "orders.journal_dir: must be an absolute path (the journal must be found again after a "
     "crash, whatever the working directory)",
     "empty path"},
    {"[orders]\njournal_dir = \"/a\\u0000b\"", "orders.journal_dir: file name contains a NUL byte",
     "NUL would cut the path"},
    {"[orders]\ncl_order_id_prefix = \"ef-\"",
     "orders.cl_order_id_prefix: must be 1 to 8 of A-Z a-z 0-9 (got \"ef-\")",
     "the dash separates the date from the sequence"},
    {"[orders]\ncl_order_id_prefix = \"abcdefghi\"",
     "orders.cl_order_id_prefix: must be 1 to 8 of A-Z a-z 0-9 (got \"abcdefghi\")",
     "too long for a 39-byte id"},
    {"[orders]\ncl_order_id_prefix = \"\"",
     "orders.cl_order_id_prefix: must be 1 to 8 of A-Z a-z 0-9 (got \"\")", "empty prefix"},
    {"[orders]\nrequest_ring = 1000",
     "orders.request_ring: must be a power of two (got 1000; nearest are 512 and 1024)",
     "ring index is a mask"},
    {"[orders]\nresponse_ring = 8", "orders.response_ring: must be from 16 to 65536 (got 8)",
     "too small a ring"},
    {"[orders]\nmax_in_flight = 0", "orders.max_in_flight: must be from 1 to 65536 (got 0)",
     "nothing could be sent"},
    {"[orders]\nrequest_timeout_ms = 50",
     "orders.request_timeout_ms: must be from 100 to 60000 (got 50)", "shorter than a round trip"},
    {"[orders]\nopenmarkets_connections = 17",
     "orders.openmarkets_connections: must be from 1 to 16 (got 17)", "too many connections"},
    {"[orders]\nrecycle_idle_ms = 999",
     "orders.recycle_idle_ms: must be from 1000 to 3600000 (got 999)", "recycling constantly"},
    {"[orders]\nwarm_interval_ms = 60001",
     "orders.warm_interval_ms: must be from 0 to 60000 (got 60001)", "too rare to keep warm"},
    {"[orders]\nreconcile_interval_ms = 5",
     "orders.reconcile_interval_ms: must be from 10 to 60000 (got 5)", "hammering the venue"},
    {"[orders]\nreconcile_attempts = 0",
     "orders.reconcile_attempts: must be from 1 to 10000 (got 0)", "never reconciling"},
    {"[orders]\njournal_records = 3000",
     "orders.journal_records: must be a power of two (got 3000; nearest are 2048 and 4096)",
     "ring index is a mask"},
    {"[orders]\nmax_order_qty = \"5\"",
     "orders.max_order_qty: unknown key; did you mean 'orders.default_limits.max_order_qty' or "
     "'orders.strategies[].max_order_qty'?",
     "a limit in the wrong table"},
    {"[orders]\nstrategy = 1", "orders.strategy: unknown key; did you mean 'orders.strategies'?",
     "singular table name"},
    // Strategies.
    {"[orders]\nstrategies = []",
     "orders.strategies: no strategy: add an [[orders.strategies]] table (orders.enabled = false "
     "turns the order path off)",
     "orders on, nobody may send"},
    {"[orders]\nstrategies = 5", "orders.strategies: expected an array of tables, found an integer",
     "scalar for an array of tables"},
    {"[orders]\nstrategies = [5]", "orders.strategies[0]: expected a table, found an integer",
     "element not a table"},
    {"[[orders.strategies]]\naccounts = [\"*\"]",
     "orders.strategies[0].name: missing: every strategy needs a name (1 to 31 of A-Z a-z 0-9 _ . "
     "-)",
     "no name"},
    {"[[orders.strategies]]\nname = \"a b\"\naccounts = [\"*\"]",
     "orders.strategies[0].name: strategy name \"a b\": character \" \" at offset 1 is not one of "
     "A-Z a-z 0-9 _ . -",
     "space in a name"},
    {"[[orders.strategies]]\nname = \"abcdefghijabcdefghijabcdefghij12\"\naccounts = [\"*\"]",
     "orders.strategies[0].name: strategy name \"abcdefghijabcdefghijabcdefghij12\" is 32 bytes "
     "long; at most 31",
     "longer than ef_order_slot.name"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]\n"
     "[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]",
     "orders.strategies[1].name: duplicate strategy name \"a\" (also at orders.strategies[0].name)",
     "two slots, one name"},
    {"[[orders.strategies]]\nname = \"a\"",
     "orders.strategies[0].accounts: must list at least one account it may trade (\"*\" for any)",
     "accounts left out"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = []",
     "orders.strategies[0].accounts: must list at least one account it may trade (\"*\" for any)",
     "empty account list"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"x\", \"y\", \"x\"]",
     "orders.strategies[0].accounts[2]: duplicate account \"x\" (also at "
     "orders.strategies[0].accounts[0])",
     "duplicate account"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"\"]",
     "orders.strategies[0].accounts[0]: empty account", "empty account"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"a/b\"]",
     "orders.strategies[0].accounts[0]: account \"a/b\": character \"/\" at offset 1 is not one "
     "of A-Z a-z 0-9 _ . : -",
     "a slash would change a Connect Trade URL path"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = "
     "[\"0123456789012345678901234567890123456789012345678901234567890123\"]",
     "orders.strategies[0].accounts[0]: account "
     "\"0123456789012345678901234567890123456789012345678901234567890123\" is 64 bytes long; at "
     "most 63",
     "longer than ef_order_request.account"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [1]",
     "orders.strategies[0].accounts[0]: expected a string, found an integer", "wrong element type"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]\nmax_order_notonal = \"5\"",
     "orders.strategies[0].max_order_notonal: unknown key; did you mean "
     "'orders.strategies[0].max_order_notional'?",
     "typo in an element"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]\nclient_id = \"x\"",
     "orders.strategies[0].client_id: unknown key; the keys of [[orders.strategies]] are name, "
     "accounts, halted, max_order_qty, max_order_notional, max_open_notional, max_daily_notional, "
     "max_orders_per_s, fat_finger_bps, max_price, require_reference",
     "nothing close: list the element's keys"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]\n[orders.strategies.limits]\nx = 1",
     "orders.strategies[0].limits: unknown key; the keys of [[orders.strategies]] are name, "
     "accounts, halted, max_order_qty, max_order_notional, max_open_notional, max_daily_notional, "
     "max_orders_per_s, fat_finger_bps, max_price, require_reference",
     "limit keys sit directly in the strategy table"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]\nmax_order_notional = 12.5",
     "orders.strategies[0].max_order_notional: a TOML float is not exact: write decimals as "
     "strings (\"12.5\", not 12.5)",
     "float in a strategy"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]\nhalted = \"no\"",
     "orders.strategies[0].halted: expected a boolean (true or false), found a string",
     "wrong type in an element"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]\nmax_orders_per_s = 0",
     "orders.strategies[0].max_orders_per_s: must be from 1 to 100000 (got 0)",
     "range in an element"},
    {"[[orders.strategies]]\nname = \"a\"\naccounts = [\"*\"]\nmax_order_notional = \"10001\"",
     "orders.strategies[0].max_order_notional: 10001 is more than "
     "orders.strategies[0].max_open_notional = 10000: an order that large could never be sent",
     "a strategy's own limit against an inherited one"},
    // Account limits.
    {"[[orders.accounts]]\nmax_open_notional = \"5\"",
     "orders.accounts[0].account: missing: name the account these limits are for", "no account"},
    {"[[orders.accounts]]\naccount = \"*\"",
     "orders.accounts[0].account: account \"*\": character \"*\" at offset 0 is not one of A-Z "
     "a-z 0-9 _ . : -",
     "limits for any account are default_limits"},
    {"[[orders.accounts]]\naccount = \"x\"\n[[orders.accounts]]\naccount = \"x\"",
     "orders.accounts[1].account: duplicate account \"x\" (also at orders.accounts[0].account)",
     "two limits for one account"},
    {"[[orders.strategies]]\nname = \"s\"\naccounts = [\"acct_1\"]\n"
     "[[orders.accounts]]\naccount = \"acct_2\"",
     "orders.accounts[0].account: no strategy may trade account \"acct_2\" (none lists it or "
     "\"*\"); a typo?",
     "limits nobody is subject to"},
    {"[[orders.accounts]]\naccount = \"x\"\nmax_daily_notional = \"-1\"",
     "orders.accounts[0].max_daily_notional: must be from 0 to 1000000000 (got -1)",
     "0 is no limit, below is wrong"},
    {"[[orders.accounts]]\naccount = \"x\"\nmax_open = 1",
     "orders.accounts[0].max_open: unknown key; the keys of [[orders.accounts]] are account, "
     "max_open_notional, max_daily_notional",
     "unknown key in an account"},
    // Connect Trade.
    {"[orders.connecttrade]\nrest_url = \"http://ct/\"",
     "orders.connecttrade.rest_url: scheme 'http' is not supported: edgefeed only speaks TLS (use "
     "https)",
     "plain text"},
    {"[orders.connecttrade]\nrest_url = \"wss://ct/\"",
     "orders.connecttrade.rest_url: scheme must be https (got wss)", "stream scheme for REST"},
    {"[orders.connecttrade]\nrest_url = \"https://ct/?api_key=x\"",
     "orders.connecttrade.rest_url: carries an api_key parameter: the key must come from "
     "orders.connecttrade.client_secret_file or client_secret_env",
     "a credential in the URL"},
    {"[orders.connecttrade]\nserver_name = \"a b\"",
     "orders.connecttrade.server_name: character ' ' is not allowed in a host name",
     "space in SNI"},
    {"[orders.connecttrade]\nca_file = \"a\\u0000\"",
     "orders.connecttrade.ca_file: file name contains a NUL byte", "NUL would cut the path"},
    {"[orders.connecttrade]\nclient_id = \"a b\"",
     "orders.connecttrade.client_id: client_id \"a b\": \" \" at offset 1 cannot go into an HTTP "
     "header",
     "a space in a header value"},
    {"[orders.connecttrade]\nclient_secret_file = \"a\\u0000\"",
     "orders.connecttrade.client_secret_file: file name contains a NUL byte",
     "NUL would cut the path"},
    {"[orders.connecttrade]\nclient_secret_env = \"s3cr3t-value\"",
     "orders.connecttrade.client_secret_env: must name an environment variable: A-Z, 0-9 and _, "
     "not starting with a digit (the value is not shown, in case it is the key itself)",
     "the secret pasted in place of its variable's name"},
    {"[orders.connecttrade]\nconnections = 0",
     "orders.connecttrade.connections: must be from 1 to 16 (got 0)", "no connection"},
    {"[orders.connecttrade]\nenabled = true\nclient_id = \"\"\n"
     "[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_id = \"u\"\nuser_secret_env = "
     "\"Y\"",
     "orders.connecttrade.client_id: orders.connecttrade.enabled needs the client_id Connect "
     "Trade issued",
     "no client id"},
    {"[orders.connecttrade]\nenabled = true\nclient_id = \"c\"\nclient_secret_env = \"\"\n"
     "[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_id = \"u\"\nuser_secret_env = "
     "\"Y\"",
     "orders.connecttrade.client_secret_env: no client secret source: set "
     "orders.connecttrade.client_secret_file or orders.connecttrade.client_secret_env",
     "no client secret"},
    {"[orders.connecttrade]\nenabled = true\nclient_id = \"c\"\naccounts = []",
     "orders.connecttrade.accounts: orders.connecttrade.enabled needs at least one "
     "[[orders.connecttrade.accounts]] (each order names an account and is sent with its user-id "
     "and user-secret)",
     "no account to send for"},
    {"[[orders.connecttrade.accounts]]\nuser_id = \"u\"\nuser_secret_env = \"Y\"",
     "orders.connecttrade.accounts[0].account_id: missing: the Connect Trade account_id",
     "no account id"},
    {"[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_id = \"u\"\nuser_secret_env = "
     "\"Y\"\n[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_id = \"v\"\n"
     "user_secret_env = \"Z\"",
     "orders.connecttrade.accounts[1].account_id: duplicate account_id \"a\" (also at "
     "orders.connecttrade.accounts[0].account_id)",
     "one account, two sets of credentials"},
    {"[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_secret_env = \"Y\"",
     "orders.connecttrade.accounts[0].user_id: empty user_id", "no user id"},
    {"[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_id = \"u\"",
     "orders.connecttrade.accounts[0].user_secret_env: no user secret source: set "
     "user_secret_file or user_secret_env",
     "no user secret"},
    {"[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_id = \"u\"\n"
     "user_secret_env = \"lower\"",
     "orders.connecttrade.accounts[0].user_secret_env: must name an environment variable: A-Z, "
     "0-9 and _, not starting with a digit (the value is not shown, in case it is the key itself)",
     "not a variable name"},
    {"[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_id = \"u\"\n"
     "user_secret_file = \"f\\u0000\"",
     "orders.connecttrade.accounts[0].user_secret_file: file name contains a NUL byte",
     "NUL would cut the path"},
    {"[[orders.connecttrade.accounts]]\naccount_id = \"a\"\nuser_id = \"u\"\nuser_secret = \"x\"\n"
     "user_secret_env = \"Y\"",
     "orders.connecttrade.accounts[0].user_secret: unknown key; did you mean "
     "'orders.connecttrade.accounts[0].user_secret_env'?",
     "a secret written into the config"},
};

TEST(orders_config, rejects_each_bad_config_with_one_line_naming_the_key) {
    test_cases::expect_each_refused_naming_its_key(orders_bad_cases);
}

TEST(orders_config, reports_positions_inside_arrays_of_tables) {
    const std::string msg = must_fail(R"(
[[orders.strategies]]
name = "a"
accounts = ["*"]

[[orders.strategies]]
name = "b"
accounts = ["*"]
max_order_notional = 1.5
colour = "red"

[[orders.strategies]]
accounts = ["*"]
)");
    const auto lines = split_lines(msg);
    ASSERT_EQ(lines.size(), 3u) << msg;
    EXPECT_EQ(lines[0], "t.toml:9:22: orders.strategies[1].max_order_notional: a TOML float is "
                        "not exact: write decimals as strings (\"1.5\", not 1.5)");
    EXPECT_TRUE(lines[1].starts_with("t.toml:10:1: orders.strategies[1].colour: unknown key; "))
        << lines[1];
    // A key left out is placed at its element's header.
    EXPECT_TRUE(lines[2].starts_with("t.toml:12:1: orders.strategies[2].name: missing"))
        << lines[2];
}

TEST(orders_config, reports_every_problem_of_the_order_path_at_once) {
    const std::string msg = must_fail(R"([orders]
core = -5
request_ring = 100
[orders.default_limits]
max_price = 0.25
[[orders.strategies]]
name = "dup"
accounts = []
[[orders.strategies]]
name = "dup"
accounts = ["*"]
[orders.connecttrade]
enabled = true
)");
    const auto lines = split_lines(msg);
    ASSERT_EQ(lines.size(), 7u) << msg;
    EXPECT_TRUE(lines[0].starts_with("t.toml:2:8: orders.core: ")) << lines[0];
    EXPECT_TRUE(lines[1].starts_with("t.toml:3:16: orders.request_ring: ")) << lines[1];
    EXPECT_TRUE(lines[2].starts_with("t.toml:5:13: orders.default_limits.max_price: ")) << lines[2];
    EXPECT_TRUE(lines[3].starts_with("t.toml:8:12: orders.strategies[0].accounts: ")) << lines[3];
    EXPECT_TRUE(lines[4].starts_with("t.toml:10:8: orders.strategies[1].name: duplicate"))
        << lines[4];
    // Keys the file left out have no position; they come last.
    EXPECT_TRUE(lines[5].starts_with("orders.connecttrade.client_id: ")) << lines[5];
    EXPECT_TRUE(lines[6].starts_with("orders.connecttrade.accounts: ")) << lines[6];
}

TEST(orders_config, validate_names_element_paths_without_positions) {
    daemon_config c;
    c.orders.strategies.push_back({"default", {}, false, {}});
    c.orders.default_limits.max_orders_per_s = 0;
    auto s = validate(c);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.err().message,
              "orders.default_limits.max_orders_per_s: must be from 1 to 100000 (got 0)\n"
              "orders.strategies[1].name: duplicate strategy name \"default\" (also at "
              "orders.strategies[0].name)\n"
              "orders.strategies[1].accounts: must list at least one account it may trade "
              "(\"*\" for any)");
}

TEST(orders_config, to_toml_parses_back_to_an_equal_config) {
    for (std::string_view text :
         {std::string_view{}, orders_toml,
          std::string_view{"[orders]\nenabled = false\nstrategies = []\n"}}) {
        const daemon_config c = must_parse(text);
        const std::string printed = to_toml(c);
        auto back = parse_config(printed, "printed");
        ASSERT_TRUE(back.ok()) << back.err().message << "\n" << printed;
        EXPECT_EQ(back.value(), c) << printed;
    }
}

TEST(orders_config, to_toml_prints_decimals_as_exact_strings) {
    const std::string printed = to_toml(must_parse(orders_toml));
    EXPECT_NE(printed.find("max_daily_notional = \"20000.000000001\"\n"), std::string::npos)
        << printed;
    EXPECT_NE(printed.find("max_order_notional = \"0.5\"\n"), std::string::npos) << printed;
    EXPECT_NE(printed.find("\n[[orders.connecttrade.accounts]]\naccount_id = \"acct_2\"\n"),
              std::string::npos)
        << printed;
}

TEST(orders_config, to_toml_names_secret_sources_and_holds_no_secret) {
    scratch_dir dir;
    const std::string file = dir.write("user.secret", "ct-user-s3cr3t-value\n");
    scoped_env env("EF_TEST_CT_CLIENT", "ct-client-s3cr3t-value");
    daemon_config c = must_parse(orders_toml);
    c.orders.connecttrade.client_secret_file.clear();
    c.orders.connecttrade.client_secret_env = "EF_TEST_CT_CLIENT";
    c.orders.connecttrade.accounts[0].user_secret_file = file;
    ASSERT_TRUE(read_ct_client_secret(c.orders.connecttrade).ok());
    ASSERT_TRUE(read_ct_user_secret(c.orders.connecttrade.accounts[0]).ok());
    const std::string printed = to_toml(c);
    EXPECT_NE(printed.find("client_secret_env = \"EF_TEST_CT_CLIENT\""), std::string::npos);
    EXPECT_NE(printed.find("user_secret_file = " + fmt::format("\"{}\"", file)), std::string::npos);
    EXPECT_EQ(printed.find("s3cr3t"), std::string::npos) << printed;
}

TEST(orders_config, overrides_set_a_default_limit_and_strategies_that_inherited_it_follow) {
    daemon_config file = must_parse(R"(
[[orders.strategies]]
name = "inherits"
accounts = ["*"]
[[orders.strategies]]
name = "own"
accounts = ["*"]
max_order_notional = "10"
)");
    const key_override o[] = {
        {"orders.default_limits.max_order_notional", "--max-order-notional", {"250.5"}}};
    auto r = apply_overrides(file, o);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->orders.default_limits.max_order_notional_e9, 250'500'000'000);
    EXPECT_EQ(r->orders.strategies[0].limits.max_order_notional_e9, 250'500'000'000);
    EXPECT_EQ(r->orders.strategies[1].limits.max_order_notional_e9, 10 * e9);
}

TEST(orders_config, override_problems_for_order_keys_name_the_flag) {
    const key_override o[] = {
        {"orders.default_limits.max_order_qty", "--qty", {"0.1234567891"}},
        {"orders.core", "--orders-core", {"-3"}},
        {"orders.strategies", "--strategy", {"x"}},
    };
    auto r = apply_overrides(daemon_config{}, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message,
              "--qty: orders.default_limits.max_order_qty: \"0.1234567891\" has more than 9 "
              "decimal places; amounts are exact to 0.000000001\n"
              "--strategy: orders.strategies: an array of tables is set in the config file only\n"
              "--orders-core: orders.core: must be from -1 to 65535 (got -3)");
}

TEST(orders_config, ct_ca_file_falls_back_to_openmarkets_then_the_system_bundle) {
    daemon_config c;
    EXPECT_EQ(effective_ct_ca_file(c), system_ca_file);
    c.openmarkets.ca_file = "/etc/edgefeed/sim-ca.pem";
    EXPECT_EQ(effective_ct_ca_file(c), "/etc/edgefeed/sim-ca.pem");
    c.orders.connecttrade.ca_file = "/etc/edgefeed/ct-ca.pem";
    EXPECT_EQ(effective_ct_ca_file(c), "/etc/edgefeed/ct-ca.pem");
}

TEST(orders_config, orders_core_is_the_highest_cpu_without_a_feed_loop) {
    daemon_config c;
    c.daemon.cores = {0, 1};
    EXPECT_EQ(effective_orders_core(c, 4), 3);
    c.daemon.cores = {3, 1};
    EXPECT_EQ(effective_orders_core(c, 4), 2);
    c.daemon.cores = {2, 3};
    EXPECT_EQ(effective_orders_core(c, 4), 1);
}

TEST(orders_config, orders_core_shares_the_last_feed_cpu_when_none_is_free) {
    daemon_config c;
    c.daemon.cores = {1, 0};
    EXPECT_EQ(effective_orders_core(c, 2), 0);
    c.daemon.cores = {0};
    EXPECT_EQ(effective_orders_core(c, 1), 0);
}

TEST(orders_config, orders_core_when_set_is_taken_as_is) {
    daemon_config c;
    c.daemon.cores = {0, 1};
    c.orders.core = 1;
    EXPECT_EQ(effective_orders_core(c, 4), 1);
}

TEST(orders_config, om_orders_url_extends_the_effective_rest_base) {
    daemon_config c;
    EXPECT_EQ(om_orders_url(c), "https://127.0.0.1:8443/flow/v1/auth/orders/buy");
    c.openmarkets.rest_url = "https://api.venue.example/flow/v1/";
    EXPECT_EQ(om_orders_url(c), "https://api.venue.example/flow/v1/auth/orders/buy");
    c.openmarkets.rest_url = "https://api.venue.example/flow/v1?region=us";
    EXPECT_EQ(om_orders_url(c), "https://api.venue.example/flow/v1/auth/orders/buy?region=us");
}

TEST(orders_config, every_prefix_of_an_orders_config_is_answered_without_overread) {
    const std::string_view text = orders_toml;
    size_t accepted = 0;
    for (size_t n = 0; n <= text.size(); ++n) {
        test::guarded_buffer buf(text.substr(0, n));
        auto r = parse_config(buf.view(), "prefix");
        if (r.ok())
            ++accepted;
        else
            EXPECT_FALSE(r.err().message.empty());
    }
    EXPECT_GT(accepted, 1u); // the empty prefix and at least the whole text
}

// ------------------------------------------------------------ secrets

TEST(ct_secret, client_secret_comes_from_the_file_before_the_environment) {
    scratch_dir dir;
    scoped_env env("EF_TEST_CT_CLIENT", "from-env");
    connecttrade_section ct;
    ct.client_secret_env = "EF_TEST_CT_CLIENT";
    ct.client_secret_file = dir.write("client", " from-file \n");
    auto r = read_ct_client_secret(ct);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r.value(), "from-file");
    ct.client_secret_file.clear();
    auto r2 = read_ct_client_secret(ct);
    ASSERT_TRUE(r2.ok()) << r2.err().message;
    EXPECT_EQ(r2.value(), "from-env");
}

TEST(ct_secret, user_secret_comes_from_the_file_before_the_environment) {
    scratch_dir dir;
    scoped_env env("EF_TEST_CT_USER", "user-from-env");
    ct_account_section a{"acct_1", "user_1", dir.write("user", "user-from-file"),
                         "EF_TEST_CT_USER"};
    auto r = read_ct_user_secret(a);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r.value(), "user-from-file");
    a.user_secret_file.clear();
    auto r2 = read_ct_user_secret(a);
    ASSERT_TRUE(r2.ok()) << r2.err().message;
    EXPECT_EQ(r2.value(), "user-from-env");
}

TEST(ct_secret, errors_name_the_config_key_and_the_source) {
    scoped_env env("EF_TEST_CT_CLIENT", std::nullopt);
    connecttrade_section ct;
    ct.client_secret_env = "EF_TEST_CT_CLIENT";
    auto r = read_ct_client_secret(ct);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "orders.connecttrade.client_secret_env: connecttrade client secret "
                               "environment variable EF_TEST_CT_CLIENT is not set");
    ct.client_secret_file = "/nonexistent/ct";
    auto r2 = read_ct_client_secret(ct);
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.err().message, "orders.connecttrade.client_secret_file: reading connecttrade "
                                "client secret file /nonexistent/ct: No such file or directory");
    ct.client_secret_file.clear();
    ct.client_secret_env.clear();
    auto r3 = read_ct_client_secret(ct);
    ASSERT_FALSE(r3.ok());
    EXPECT_EQ(r3.err().message, "no connecttrade client secret: set "
                                "orders.connecttrade.client_secret_file or "
                                "orders.connecttrade.client_secret_env");
}

TEST(ct_secret, user_secret_errors_name_the_account) {
    ct_account_section a{"acct_9", "user_9", "", ""};
    auto r = read_ct_user_secret(a);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "no connecttrade user secret of account \"acct_9\": set "
                               "orders.connecttrade.accounts[].user_secret_file or "
                               "orders.connecttrade.accounts[].user_secret_env");
}

TEST(ct_secret, no_error_contains_secret_bytes) {
    scratch_dir dir;
    const std::string secret = "ctsecret9f8e7d6c";
    std::vector<std::string> messages;
    for (const std::string& content : {secret + " tail\n", secret + "\x01\n", std::string("\n")}) {
        ct_account_section a{"acct_1", "user_1", dir.write("u", content), ""};
        auto r = read_ct_user_secret(a);
        ASSERT_FALSE(r.ok());
        messages.push_back(r.err().message);
    }
    scoped_env env("EF_TEST_CT_CLIENT", secret + " tail");
    connecttrade_section ct;
    ct.client_secret_env = "EF_TEST_CT_CLIENT";
    auto r = read_ct_client_secret(ct);
    ASSERT_FALSE(r.ok());
    messages.push_back(r.err().message);
    for (const std::string& m : messages)
        EXPECT_EQ(m.find("9f8e7d"), std::string::npos) << m;
}

} // namespace
} // namespace ef::config
