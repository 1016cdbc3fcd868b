// Client -> server messages as the venue simulator reads them: subscribe,
// unsubscribe and ping in any member order and style, unknown members, and
// everything else refused as invalid (JSON) or malformed (not JSON).
#include "tests/unit/json/describe.hpp"
#include "tests/unit/json/message_builder.hpp"
#include "json/client_message.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace ef::json {
namespace {

using test::member;
using test::quoted;
using test::render;
using test::render_array;
using test::style;

std::vector<member> subscribe(style st = style::compact) {
    return {{"action", quoted("subscribe")},
            {"channel", quoted("liquidity")},
            {"contest_ids", render_array({quoted("ct_abc123"), quoted("ct_def456")}, st)}};
}

TEST(json_client_message, parses_the_seed_messages) {
    EXPECT_EQ(
        test::describe_client(
            R"({"action": "subscribe", "channel": "liquidity", "contest_ids": ["ct_abc123", "ct_def456"]})"),
        "ok subscribe channel=liquidity ids=[ct_abc123,ct_def456]");
    EXPECT_EQ(
        test::describe_client(
            R"({"action": "unsubscribe", "channel": "liquidity", "contest_ids": ["ct_def456"]})"),
        "ok unsubscribe channel=liquidity ids=[ct_def456]");
    EXPECT_EQ(test::describe_client(R"({ "action": "ping" })"), "ok ping");
}

TEST(json_client_message, parses_every_member_order_and_style_the_same) {
    for (const style st : test::all_styles) {
        const std::vector<member> ms = subscribe(st);
        std::vector<size_t> order(ms.size());
        std::iota(order.begin(), order.end(), 0);
        do {
            std::vector<member> shuffled;
            for (const size_t i : order)
                shuffled.push_back(ms[i]);
            EXPECT_EQ(test::describe_client(render(shuffled, st)),
                      "ok subscribe channel=liquidity ids=[ct_abc123,ct_def456]");
        } while (std::next_permutation(order.begin(), order.end()));
    }
}

TEST(json_client_message, ignores_unknown_members) {
    for (const std::string& v : test::unknown_values()) {
        std::vector<member> ms = subscribe();
        ms.insert(ms.begin() + 1, member{"request_id", v});
        EXPECT_EQ(test::describe_client(render(ms)),
                  "ok subscribe channel=liquidity ids=[ct_abc123,ct_def456]")
            << v;
        EXPECT_EQ(test::describe_client(render({{"extra", v}, {"action", quoted("ping")}})),
                  "ok ping")
            << v;
    }
}

TEST(json_client_message, accepts_an_empty_contest_list_and_escapes) {
    EXPECT_EQ(
        test::describe_client(R"({"action":"subscribe","channel":"liquidity","contest_ids":[]})"),
        "ok subscribe channel=liquidity ids=[]");
    EXPECT_EQ(
        test::describe_client(
            R"({"\u0061ction":"sub\u0073cribe","channel":"contest\u005fstate","contest_ids":["ct\u005f1"]})"),
        "ok subscribe channel=contest_state ids=[ct_1]");
}

TEST(json_client_message, passes_an_unknown_channel_to_the_caller) {
    EXPECT_EQ(
        test::describe_client(R"({"action":"subscribe","channel":"depth","contest_ids":["a"]})"),
        "ok subscribe channel=depth ids=[a]");
}

struct invalid_case {
    const char* json;
    const char* expected;
};

const invalid_case invalid_cases[] = {
    {R"({})", "invalid field=action"},
    {R"({"action":"subscribe"})", "invalid field=channel"},
    {R"({"action":"subscribe","channel":"liquidity"})", "invalid field=contest_ids"},
    {R"({"action":"subscribe","contest_ids":["a"]})", "invalid field=channel"},
    {R"({"action":"unsubscribe","channel":"liquidity","contest_ids":"a"})",
     "invalid field=contest_ids"},
    {R"({"action":"subscribe","channel":"liquidity","contest_ids":["a",1]})",
     "invalid field=contest_ids"},
    {R"({"action":"subscribe","channel":"liquidity","contest_ids":[null]})",
     "invalid field=contest_ids"},
    {R"({"action":"subscribe","channel":"liquidity","contest_ids":[["a"]]})",
     "invalid field=contest_ids"},
    {R"({"action":"subscribe","channel":1,"contest_ids":["a"]})", "invalid field=channel"},
    {R"({"action":"subscribe","channel":null,"contest_ids":["a"]})", "invalid field=channel"},
    {R"({"action":"Subscribe","channel":"liquidity","contest_ids":["a"]})", "invalid field=action"},
    {R"({"action":"pong"})", "invalid field=action"},
    {R"({"action":"authenticate"})", "invalid field=action"},
    {R"({"action":1})", "invalid field=action"},
    {R"({"action":null})", "invalid field=action"},
    {R"({"type":"ping"})", "invalid field=action"},
    {R"(["ping"])", "invalid"},
    {R"("ping")", "invalid"},
    {R"(null)", "invalid"},
    {R"()", "malformed syntax=unexpected_end"},
    {R"(ping)", "malformed syntax=unexpected_char"},
    {R"({"action":"ping")", "malformed syntax=unexpected_end"},
    {R"({"action":"ping",})", "malformed syntax=unexpected_char"},
    {R"({"action":"ping"} {})", "malformed syntax=trailing_content"},
    {R"({"action":'ping'})", "malformed syntax=unexpected_char"},
    {R"({"action":"subscribe","channel":"liquidity","contest_ids":["a",]})",
     "malformed syntax=unexpected_char"},
};

TEST(json_client_message, refuses_everything_else_with_a_reason) {
    for (const invalid_case& c : invalid_cases)
        EXPECT_EQ(test::describe_client(c.json), c.expected) << c.json;
}

TEST(json_client_message, refuses_every_proper_prefix_as_malformed) {
    for (const std::string& msg :
         {render(subscribe(style::lines), style::lines), std::string(R"({"action":"ping"})")})
        test::for_every_proper_prefix(msg, [&](std::string_view in, size_t n) {
            test::owned_scratch sc(in.size());
            client_message m;
            EXPECT_EQ(parse_client_message(in, m, sc.s), client_status::malformed) << n;
        });
}

TEST(json_client_message, keeps_the_last_of_duplicate_members) {
    EXPECT_EQ(
        test::describe_client(
            R"({"action":"ping","action":"unsubscribe","channel":"x","contest_ids":["a"],"channel":"liquidity"})"),
        "ok unsubscribe channel=liquidity ids=[a]");
}

TEST(json_client_message, needs_a_scratch_at_least_as_large_as_the_message) {
    const std::string msg = R"({"action":"ping"})";
    test::owned_scratch small(msg.size() - 1);
    client_message m;
    EXPECT_EQ(parse_client_message(msg, m, small.s), client_status::scratch_full);
}

TEST(json_client_message, status_texts_are_short_names) {
    EXPECT_STREQ(to_string(client_status::invalid), "invalid");
    EXPECT_STREQ(to_string(client_action::unsubscribe), "unsubscribe");
}

} // namespace
} // namespace ef::json
