// The order request writers: exact bodies and targets for every kind and
// option, escaping, and the "never partial" rule at every buffer size. Each
// body is also read back with simdjson (an independent JSON reader) to check
// its exact key set and values: no stray field may ever reach a venue that
// answers unknown fields with 400.
#include "orders/ct_request.hpp"
#include "orders/om_request.hpp"
#include "orders/order_protocol.hpp"
#include "orders/request_check.hpp"
#include "tests/unit/orders/codec_flatten.hpp"
#include "tests/unit/orders/codec_test_util.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace ef::orders {
namespace {

using namespace ef::orders::test;

std::string om_body(const ef_order_request& r) {
    char buf[512];
    const size_t n = write_om_buy_body(buf, r);
    return {buf, n};
}

struct om_case {
    ef_order_request request;
    const char* body;
    std::vector<std::string> flat; // what simdjson reads back
    const char* why;
};

const om_case om_cases[] = {
    {om_buy(50 * e9, 0, 420'000'000),
     R"({"orders":[{"position_hash":"c1:m2:yes:v0:p17:full","amount":50,"max_price":0.42}]})",
     {".orders[0].position_hash=\"c1:m2:yes:v0:p17:full\"", ".orders[0].amount=50",
      ".orders[0].max_price=0.42"},
     "seed example: stake in USD, venue routes"},
    {om_buy(0, 100 * e9, 500'000'000),
     R"({"orders":[{"position_hash":"c1:m2:yes:v0:p17:full","shares":100,"max_price":0.5}]})",
     {".orders[0].position_hash=\"c1:m2:yes:v0:p17:full\"", ".orders[0].shares=100",
      ".orders[0].max_price=0.5"},
     "shares instead of amount"},
    {om_buy(12'345'000'000, 0, 1'000'000'000, "kalshi"),
     R"({"orders":[{"position_hash":"c1:m2:yes:v0:p17:full","amount":12.345,"max_price":1,"partner_id":"kalshi"}]})",
     {".orders[0].position_hash=\"c1:m2:yes:v0:p17:full\"", ".orders[0].amount=12.345",
      ".orders[0].max_price=1", ".orders[0].partner_id=\"kalshi\""},
     "partner pinned; max_price 1 written as an integer"},
    {om_buy(0, 1, 1, "", EF_ORDER_PAPER),
     R"({"orders":[{"position_hash":"c1:m2:yes:v0:p17:full","shares":0.000000001,"max_price":0.000000001}],"mode":"paper"})",
     {".orders[0].position_hash=\"c1:m2:yes:v0:p17:full\"", ".orders[0].shares=0.000000001",
      ".orders[0].max_price=0.000000001", ".mode=\"paper\""},
     "paper mode at top level; smallest e9 values without exponent"},
    {om_buy(50 * e9, 0, 420'000'000, "p\"x", EF_ORDER_PAPER, "a\\b:c\nd:e:f:g:h"),
     R"({"orders":[{"position_hash":"a\\b:c\nd:e:f:g:h","amount":50,"max_price":0.42,"partner_id":"p\"x"}],"mode":"paper"})",
     {".orders[0].position_hash=\"a\\b:c\nd:e:f:g:h\"", ".orders[0].amount=50",
      ".orders[0].max_price=0.42", ".orders[0].partner_id=\"p\"x\"", ".mode=\"paper\""},
     "quote, backslash and control bytes are escaped, never emitted raw"},
};

TEST(order_writers, om_buy_body_is_exactly_the_agreed_text) {
    for (const om_case& c : om_cases)
        EXPECT_EQ(om_body(c.request), c.body) << c.why;
}

#if EF_TEST_WITH_SIMDJSON
TEST(order_writers, om_buy_body_reads_back_with_exactly_the_agreed_keys) {
    for (const om_case& c : om_cases)
        EXPECT_EQ(flatten(om_body(c.request)), c.flat) << c.why;
}
#endif

// Every buffer size short of the body: 0, and no byte written past the end
// (the buffer ends at a guard page).
void expect_never_partial(const std::function<size_t(std::span<char>)>& write, const char* why) {
    char full[1024];
    const size_t n = write(full);
    ASSERT_GT(n, 0u) << why;
    for (size_t size = 0; size < n; ++size) {
        ef::test::guarded_buffer g(std::string(size, '\0'));
        EXPECT_EQ(write({reinterpret_cast<char*>(g.data()), size}), 0u) << why << " size " << size;
    }
    ef::test::guarded_buffer exact(std::string(n, '\0'));
    ASSERT_EQ(write({reinterpret_cast<char*>(exact.data()), n}), n) << why;
    EXPECT_EQ(exact.view(), std::string_view(full, n)) << why;
}

TEST(order_writers, om_buy_body_is_zero_when_the_buffer_is_short_at_every_size) {
    for (const om_case& c : om_cases)
        expect_never_partial([&](std::span<char> out) { return write_om_buy_body(out, c.request); },
                             c.why);
}

std::string ct_new_body(const ef_order_request& r, std::string_view cl = "ef20261122-17") {
    char buf[1024];
    const size_t n = write_ct_new_body(buf, r, cl);
    return {buf, n};
}

struct ct_case {
    ef_order_request request;
    const char* body;
    const char* why;
};

const ct_case ct_new_cases[] = {
    {ct_new(EF_TYPE_MKT, 10 * e9, 0),
     R"({"account_id":"acc-1","cl_order_id":"ef20261122-17","broker":"ALPACA","side":"buy","order_type":"MKT","order_tif":"DAY","instrument":"EQUITY","symbol":"AAPL","order_qty":"10"})",
     "market order by quantity: no price members"},
    {ct_new(EF_TYPE_LMT, 0, 2500 * e9, 190'010'000'000, 0, EF_TIF_GTC, EF_SIDE_SELL),
     R"({"account_id":"acc-1","cl_order_id":"ef20261122-17","broker":"ALPACA","side":"sell","order_type":"LMT","order_tif":"GTC","instrument":"EQUITY","symbol":"AAPL","order_notional":"2500","order_limit_price":"190.01"})",
     "limit order by notional: numbers are JSON strings (seed: 190.01)"},
    {ct_new(EF_TYPE_STP, 1'500'000'000, 0, 0, 180 * e9, EF_TIF_DAY_EXT),
     R"({"account_id":"acc-1","cl_order_id":"ef20261122-17","broker":"ALPACA","side":"buy","order_type":"STP","order_tif":"DAY+","instrument":"EQUITY","symbol":"AAPL","order_qty":"1.5","stop_price":"180"})",
     "stop order: stop_price only; DAY+ spelled with its plus"},
    {ct_new(EF_TYPE_STPLMT, 3 * e9, 0, 181 * e9, 180'500'000'000, EF_TIF_GTC_EXT),
     R"({"account_id":"acc-1","cl_order_id":"ef20261122-17","broker":"ALPACA","side":"buy","order_type":"STPLMT","order_tif":"GTC+","instrument":"EQUITY","symbol":"AAPL","order_qty":"3","order_limit_price":"181","stop_price":"180.5"})",
     "stop-limit: both prices"},
};

TEST(order_writers, ct_new_body_is_exactly_the_agreed_text) {
    for (const ct_case& c : ct_new_cases)
        EXPECT_EQ(ct_new_body(c.request), c.body) << c.why;
}

TEST(order_writers, ct_new_body_escapes_strings) {
    ef_order_request r = ct_new(EF_TYPE_MKT, e9, 0);
    set(r.symbol, "BRK\"B\\");
    EXPECT_EQ(ct_new_body(r, "x\x01"),
              R"({"account_id":"acc-1","cl_order_id":"x\u0001","broker":"ALPACA","side":"buy","order_type":"MKT","order_tif":"DAY","instrument":"EQUITY","symbol":"BRK\"B\\","order_qty":"1"})");
}

#if EF_TEST_WITH_SIMDJSON
// The key set each order type must have, in order, and nothing else.
TEST(order_writers, ct_new_body_reads_back_with_exactly_the_agreed_keys) {
    const std::vector<std::string> common = {
        ".account_id=\"acc-1\"", ".cl_order_id=\"ef20261122-17\"", ".broker=\"ALPACA\""};
    auto with = [&](std::vector<std::string> tail) {
        std::vector<std::string> v = common;
        v.insert(v.end(), tail.begin(), tail.end());
        return v;
    };
    EXPECT_EQ(flatten(ct_new_body(ct_new_cases[0].request)),
              with({".side=\"buy\"", ".order_type=\"MKT\"", ".order_tif=\"DAY\"",
                    ".instrument=\"EQUITY\"", ".symbol=\"AAPL\"", ".order_qty=\"10\""}));
    EXPECT_EQ(flatten(ct_new_body(ct_new_cases[1].request)),
              with({".side=\"sell\"", ".order_type=\"LMT\"", ".order_tif=\"GTC\"",
                    ".instrument=\"EQUITY\"", ".symbol=\"AAPL\"", ".order_notional=\"2500\"",
                    ".order_limit_price=\"190.01\""}));
    EXPECT_EQ(flatten(ct_new_body(ct_new_cases[2].request)),
              with({".side=\"buy\"", ".order_type=\"STP\"", ".order_tif=\"DAY+\"",
                    ".instrument=\"EQUITY\"", ".symbol=\"AAPL\"", ".order_qty=\"1.5\"",
                    ".stop_price=\"180\""}));
    EXPECT_EQ(flatten(ct_new_body(ct_new_cases[3].request)),
              with({".side=\"buy\"", ".order_type=\"STPLMT\"", ".order_tif=\"GTC+\"",
                    ".instrument=\"EQUITY\"", ".symbol=\"AAPL\"", ".order_qty=\"3\"",
                    ".order_limit_price=\"181\"", ".stop_price=\"180.5\""}));
}

// Every well-formed request of every kind, over a grid of options: the body
// is valid JSON whose keys are exactly the allowed ones for its kind.
TEST(order_writers, every_valid_request_writes_only_allowed_keys) {
    const std::vector<std::string> new_keys = {
        "account_id", "cl_order_id", "broker",    "side",           "order_type",
        "order_tif",  "instrument",  "symbol",    "order_qty",      "order_notional",
        "order_limit_price",         "stop_price"};
    const std::vector<std::string> modify_keys = {"new_cl_order_id", "broker",
                                                  "order_qty",       "order_notional",
                                                  "order_limit_price", "stop_price"};
    auto keys_of = [](const std::vector<std::string>& flat) {
        std::vector<std::string> keys;
        for (const std::string& line : flat)
            keys.push_back(line.substr(1, line.find('=') - 1));
        return keys;
    };
    auto subset_in_order = [](const std::vector<std::string>& keys,
                              const std::vector<std::string>& allowed) {
        size_t at = 0;
        for (const std::string& k : keys) {
            while (at < allowed.size() && allowed[at] != k) ++at;
            if (at == allowed.size()) return false;
            ++at;
        }
        return true;
    };
    int checked = 0;
    for (uint8_t type = EF_TYPE_MKT; type <= EF_TYPE_STPLMT; ++type)
        for (uint8_t tif = EF_TIF_DAY; tif <= EF_TIF_GTC_EXT; ++tif)
            for (int by_notional = 0; by_notional < 2; ++by_notional) {
                const bool limit = type == EF_TYPE_LMT || type == EF_TYPE_STPLMT;
                const bool stop = type == EF_TYPE_STP || type == EF_TYPE_STPLMT;
                const ef_order_request r =
                    ct_new(type, by_notional ? 0 : 7 * e9, by_notional ? 700 * e9 : 0,
                           limit ? 101 * e9 : 0, stop ? 99 * e9 : 0, tif);
                ASSERT_EQ(check_request(r), nullptr);
                const std::vector<std::string> keys = keys_of(flatten(ct_new_body(r)));
                EXPECT_TRUE(subset_in_order(keys, new_keys)) << ct_new_body(r);
                EXPECT_EQ(keys.size(), 9u + limit + stop) << ct_new_body(r);
                ++checked;
            }
    for (int mask = 1; mask < 16; ++mask) {
        if ((mask & 3) == 3) continue; // qty and notional together: refused
        const ef_order_request r = ct_modify(mask & 1 ? 2 * e9 : 0, mask & 2 ? 300 * e9 : 0,
                                             mask & 4 ? 50 * e9 : 0, mask & 8 ? 49 * e9 : 0);
        ASSERT_EQ(check_request(r), nullptr) << mask;
        char buf[512];
        const size_t n = write_ct_modify_body(buf, r, "ef20261122-18");
        const std::vector<std::string> keys = keys_of(flatten({buf, n}));
        EXPECT_TRUE(subset_in_order(keys, modify_keys)) << std::string(buf, n);
        EXPECT_EQ(keys.size(), 2u + static_cast<unsigned>(__builtin_popcount(mask)));
        ++checked;
    }
    EXPECT_EQ(checked, 64 + 11);
}
#endif

TEST(order_writers, ct_new_body_is_zero_when_the_buffer_is_short_at_every_size) {
    for (const ct_case& c : ct_new_cases)
        expect_never_partial(
            [&](std::span<char> out) { return write_ct_new_body(out, c.request, "ef20261122-17"); },
            c.why);
}

TEST(order_writers, ct_modify_body_carries_only_the_given_changes) {
    char buf[512];
    const ef_order_request r = ct_modify(0, 0, 190'250'000'000, 0);
    const size_t n = write_ct_modify_body(buf, r, "ef20261122-18");
    EXPECT_EQ(std::string_view(buf, n),
              R"({"new_cl_order_id":"ef20261122-18","broker":"ALPACA","order_limit_price":"190.25"})");
    const ef_order_request all = ct_modify(5 * e9, 0, 2 * e9, e9);
    const size_t m = write_ct_modify_body(buf, all, "ef20261122-19");
    EXPECT_EQ(std::string_view(buf, m),
              R"({"new_cl_order_id":"ef20261122-19","broker":"ALPACA","order_qty":"5","order_limit_price":"2","stop_price":"1"})");
    expect_never_partial(
        [&](std::span<char> out) { return write_ct_modify_body(out, all, "ef20261122-19"); },
        "modify");
}

TEST(order_writers, ct_order_target_percent_encodes_both_segments) {
    char buf[256];
    size_t n = write_ct_order_target(buf, "acc-1", "ord_9.x~");
    EXPECT_EQ(std::string_view(buf, n), "/accounts/acc-1/orders/ord_9.x~");
    n = write_ct_order_target(buf, "a/b c", "o?#%");
    EXPECT_EQ(std::string_view(buf, n), "/accounts/a%2Fb%20c/orders/o%3F%23%25");
    expect_never_partial(
        [](std::span<char> out) { return write_ct_order_target(out, "a/b c", "o?#%"); },
        "order target");
}

TEST(order_writers, ct_list_target_has_every_filter_and_the_cursor_last) {
    char buf[512];
    const int64_t start = 1'795'320'000'123'456'000; // 2026-11-22T04:00:00.123456Z
    size_t n = write_ct_list_target(buf, "AAPL", EF_SIDE_BUY, start, "");
    EXPECT_EQ(std::string_view(buf, n),
              "/orders?status=all&symbols=AAPL&side=buy&start_time=2026-11-22T04:00:00.123456Z"
              "&limit=500");
    n = write_ct_list_target(buf, "BRK B", EF_SIDE_SELL, start, "c+/=1");
    EXPECT_EQ(std::string_view(buf, n),
              "/orders?status=all&symbols=BRK%20B&side=sell&start_time=2026-11-22T04:00:00.123456Z"
              "&limit=500&next_cursor=c%2B%2F%3D1");
    n = write_ct_list_target(buf, "", 0, start, "");
    EXPECT_EQ(std::string_view(buf, n),
              "/orders?status=all&start_time=2026-11-22T04:00:00.123456Z&limit=500");
    expect_never_partial(
        [&](std::span<char> out) { return write_ct_list_target(out, "BRK B", 2, start, "c+/=1"); },
        "list target");
}

TEST(order_writers, cl_order_id_has_prefix_date_and_sequence) {
    char buf[64];
    size_t n = protocol::write_cl_order_id(buf, "ef", 20261122, 17);
    EXPECT_EQ(std::string_view(buf, n), "ef20261122-17");
    n = protocol::write_cl_order_id(buf, "", 20260101, 0);
    EXPECT_EQ(std::string_view(buf, n), "20260101-0");
    n = protocol::write_cl_order_id(buf, "edgefeed-", 20261122, UINT64_MAX);
    EXPECT_EQ(std::string_view(buf, n), "edgefeed-20261122-18446744073709551615");
}

TEST(order_writers, cl_order_id_longer_than_39_bytes_is_refused) {
    char buf[64];
    EXPECT_EQ(protocol::write_cl_order_id(buf, "prefix-longer-", 20261122, UINT64_MAX), 0u);
    EXPECT_EQ(protocol::write_cl_order_id({buf, 12}, "ef", 20261122, 17), 0u);
    EXPECT_EQ(protocol::write_cl_order_id({buf, 13}, "ef", 20261122, 17), 13u);
}

} // namespace
} // namespace ef::orders
