// Every server -> client message type of the OpenMarkets stream, each built
// from one member table and then varied: member order, whitespace style,
// unknown members of every JSON type at every position, each required member
// removed, each member given the wrong type, and cut at every byte.
#include "tests/unit/json/describe.hpp"
#include "tests/unit/json/message_builder.hpp"
#include "json/stream_message.hpp"

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

struct spec {
    const char* name;
    std::vector<member> (*members)(style);
    std::vector<std::string> required;
    // For each member key: JSON values of a wrong type.
    std::vector<std::pair<std::string, std::vector<std::string>>> wrong_types;
    const char* expected; // describe() of the canonical message
};

std::vector<member> entry(const std::string& hash, const std::string& partner,
                          const std::string& price, const std::string& available) {
    return {{"liquidity_hash", quoted(hash)},
            {"partner_id", quoted(partner)},
            {"price", price},
            {"available", available}};
}

std::vector<member> liquidity(style st) {
    const std::string e1 = render(
        entry("kalshi:ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full", "kalshi", "0.49", "5400"), st);
    const std::string e2 = render(entry("polymarket:ct_abc123:mk_ml:side_away:var_0:p_kc:tf_full",
                                        "polymarket", "0.52", "2100.5"),
                                  st);
    return {{"type", quoted("liquidity.update")},
            {"contest_id", quoted("ct_abc123")},
            {"changed_entries", render_array({e1, e2}, st)},
            {"refresh_required", "false"},
            {"timestamp", quoted("2026-04-17T22:00:01.234Z")}};
}

std::vector<member> connected(style) {
    return {{"type", quoted("connected")},
            {"organization_id", quoted("org_123")},
            {"api_key_id", quoted("key_456")},
            {"server_time", quoted("2026-04-17T22:00:00Z")}};
}

std::vector<member> subscribed(style st) {
    return {{"type", quoted("subscribed")},
            {"channel", quoted("liquidity")},
            {"contest_ids", render_array({quoted("ct_abc123"), quoted("ct_def456")}, st)}};
}

std::vector<member> unsubscribed(style st) {
    return {{"type", quoted("unsubscribed")},
            {"channel", quoted("liquidity")},
            {"contest_ids", render_array({quoted("ct_def456")}, st)}};
}

std::vector<member> pong(style) {
    return {{"type", quoted("pong")}, {"server_time", quoted("2026-04-17T22:00:00.5Z")}};
}

std::vector<member> error(style) {
    return {{"type", quoted("error")},
            {"code", quoted("invalid_channel")},
            {"message", quoted("unknown channel: x")}};
}

std::vector<member> contest_state(style st) {
    const std::string clock = render(
        {{"display", quoted("7:42")}, {"remaining_seconds", "462"}, {"is_running", "true"}}, st);
    const std::string state = render({{"game_status", quoted("in_progress")},
                                      {"clock", clock},
                                      {"winner_participant_id", "null"},
                                      {"scores", render({{"home", "71"}, {"away", "68"}}, st)}},
                                     st);
    return {{"type", quoted("contest_state.update")},
            {"contest_id", quoted("ct_abc123")},
            {"state", state},
            {"timestamp", quoted("2026-05-26T02:14:30.123456Z")}};
}

const std::vector<std::string> not_a_string = {"7", "null", "true", "[\"x\"]", "{}"};
const std::vector<std::string> not_an_array = {"{}", "\"[]\"", "null", "1"};

const spec specs[] = {
    {"liquidity.update",
     liquidity,
     {"type", "contest_id", "changed_entries", "refresh_required", "timestamp"},
     {{"type", not_a_string},
      {"contest_id", not_a_string},
      {"changed_entries", not_an_array},
      {"refresh_required", {"\"false\"", "0", "null", "[]"}},
      {"timestamp", {"1776463201", "null", "{}"}}},
     "ok liquidity.update contest=ct_abc123 time=1776463201234000000 refresh=0 entries=["
     "kalshi:ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full kalshi 490000000 5400000000000; "
     "polymarket:ct_abc123:mk_ml:side_away:var_0:p_kc:tf_full polymarket 520000000 2100500000000]"},
    {"connected",
     connected,
     {"type", "organization_id", "api_key_id", "server_time"},
     {{"organization_id", not_a_string},
      {"api_key_id", not_a_string},
      {"server_time", {"0", "null"}}},
     "ok connected org=org_123 key=key_456 time=1776463200000000000"},
    {"subscribed",
     subscribed,
     {"type", "channel", "contest_ids"},
     {{"channel", not_a_string}, {"contest_ids", not_an_array}},
     "ok subscribed channel=liquidity ids=[ct_abc123,ct_def456]"},
    {"unsubscribed",
     unsubscribed,
     {"type", "channel", "contest_ids"},
     {{"channel", not_a_string}, {"contest_ids", not_an_array}},
     "ok unsubscribed channel=liquidity ids=[ct_def456]"},
    {"pong",
     pong,
     {"type", "server_time"},
     {{"server_time", not_a_string}},
     "ok pong time=1776463200500000000"},
    {"error",
     error,
     {"type", "code"},
     {{"code", not_a_string}, {"message", not_a_string}},
     "ok error code=invalid_channel message=unknown channel: x"},
    {"contest_state.update",
     contest_state,
     {"type", "contest_id", "state", "timestamp"},
     {{"contest_id", not_a_string},
      {"state", {"[]", "null", "\"{}\"", "1"}},
      {"timestamp", not_a_string}},
     "ok contest_state.update contest=ct_abc123 time=1779761670123456000 "
     "state={\"game_status\":\"in_progress\",\"clock\":{\"display\":\"7:42\",\"remaining_seconds\":"
     "462,"
     "\"is_running\":true},\"winner_participant_id\":null,\"scores\":{\"home\":71,\"away\":68}}"},
};

TEST(json_stream_message, parses_the_canonical_form_of_every_type) {
    for (const spec& sp : specs)
        EXPECT_EQ(test::describe(render(sp.members(style::compact))), sp.expected) << sp.name;
}

TEST(json_stream_message, parses_every_whitespace_style_the_same) {
    for (const spec& sp : specs)
        for (const style st : test::all_styles) {
            const std::string msg = render(sp.members(st), st);
            EXPECT_EQ(test::describe(msg), sp.expected) << sp.name << "\n" << msg;
            EXPECT_EQ(test::describe(" \n\t" + msg + "\r\n "), sp.expected)
                << "surrounding whitespace";
        }
}

TEST(json_stream_message, parses_every_member_order_the_same) {
    for (const spec& sp : specs) {
        std::vector<member> ms = sp.members(style::pretty);
        std::vector<size_t> order(ms.size());
        std::iota(order.begin(), order.end(), 0);
        int permutations = 0;
        do {
            std::vector<member> shuffled;
            for (const size_t i : order)
                shuffled.push_back(ms[i]);
            EXPECT_EQ(test::describe(render(shuffled, style::pretty)), sp.expected)
                << sp.name << " #" << permutations;
            ++permutations;
        } while (std::next_permutation(order.begin(), order.end()));
        EXPECT_GE(permutations, 2);
    }
}

TEST(json_stream_message, ignores_unknown_members_of_every_type_at_every_position) {
    for (const spec& sp : specs) {
        const std::vector<member> ms = sp.members(style::compact);
        for (const std::string& v : test::unknown_values())
            for (size_t at = 0; at <= ms.size(); ++at)
                for (const char* key :
                     {"venue_extra", "contest_id_x", "typ", "\\u0078", "", "Type", "timestamp "}) {
                    std::vector<member> with_extra = ms;
                    with_extra.insert(with_extra.begin() + static_cast<ptrdiff_t>(at),
                                      member{key, v});
                    const std::string msg = render(with_extra);
                    EXPECT_EQ(test::describe(msg), sp.expected) << msg;
                }
    }
}

TEST(json_stream_message, reports_each_missing_required_member_by_name) {
    for (const spec& sp : specs)
        for (const std::string& key : sp.required) {
            const std::string msg = render(test::without(sp.members(style::compact), key));
            EXPECT_EQ(test::describe(msg), "missing_field field=" + key) << msg;
        }
}

TEST(json_stream_message, reports_each_member_of_the_wrong_type_by_name) {
    for (const spec& sp : specs)
        for (const auto& [key, values] : sp.wrong_types)
            for (const std::string& v : values) {
                const std::string msg = render(test::with(sp.members(style::compact), key, v));
                EXPECT_EQ(test::describe(msg), "wrong_type field=" + key) << msg;
            }
}

TEST(json_stream_message, refuses_every_proper_prefix_as_malformed) {
    for (const spec& sp : specs)
        for (const style st : {style::compact, style::lines}) {
            const std::string msg = render(sp.members(st), st);
            test::for_every_proper_prefix(msg, [&](std::string_view in, size_t n) {
                test::owned_scratch sc(in.size());
                stream_message m;
                const message_status status = parse_stream_message(in, m, sc.s);
                EXPECT_EQ(status, message_status::malformed) << sp.name << " cut at " << n;
            });
        }
}

TEST(json_stream_message, keeps_the_last_of_duplicate_members) {
    std::vector<member> ms = liquidity(style::compact);
    ms.insert(ms.begin(), member{"contest_id", quoted("ct_first")});
    ms.push_back(member{"refresh_required", "true"});
    ms.insert(ms.begin(), member{"timestamp", "5"}); // wrong type, but overridden
    EXPECT_EQ(test::describe(render(ms)),
              "ok liquidity.update contest=ct_abc123 time=1776463201234000000 refresh=1 entries=["
              "kalshi:ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full kalshi 490000000 5400000000000; "
              "polymarket:ct_abc123:mk_ml:side_away:var_0:p_kc:tf_full polymarket 520000000 "
              "2100500000000]");
    std::vector<member> late_wrong = liquidity(style::compact);
    late_wrong.push_back(member{"contest_id", "1"});
    EXPECT_EQ(test::describe(render(late_wrong)), "wrong_type field=contest_id");
}

TEST(json_stream_message, decodes_escaped_keys_and_values) {
    const std::string msg = render({{"t\\u0079pe", quoted("liquidity\\u002eupdate")},
                                    {"contest\\u005fid", quoted("ct\\u005fabc\\/1\\u00e9")},
                                    {"changed_entries", "[]"},
                                    {"refresh\\u005Frequired", "true"},
                                    {"\\u0074imestamp", quoted("2026-04-17T22:00:01.234\\u005a")}});
    EXPECT_EQ(test::describe(msg), "ok liquidity.update contest=ct_abc/1\xc3\xa9 "
                                   "time=1776463201234000000 refresh=1 entries=[]");
}

TEST(json_stream_message, reports_an_unknown_type_with_its_text) {
    EXPECT_EQ(test::describe(R"({"type":"settlement.update","contest_id":1})"),
              "ok unknown type=settlement.update");
    EXPECT_EQ(test::describe(R"({"type":"pong\u0021"})"), "ok unknown type=pong!");
    EXPECT_EQ(test::describe(R"({"type":""})"), "ok unknown type=");
    EXPECT_EQ(test::describe(R"({"type":"Liquidity.Update"})"), "ok unknown type=Liquidity.Update");
}

TEST(json_stream_message, reports_a_bad_timestamp_as_a_bad_value) {
    EXPECT_EQ(test::describe(render(test::with(liquidity(style::compact), "timestamp",
                                               quoted("2026-02-30T00:00:00Z")))),
              "bad_value field=timestamp time=invalid_date");
    EXPECT_EQ(test::describe(
                  render(test::with(liquidity(style::compact), "timestamp", quoted("yesterday")))),
              "bad_value field=timestamp time=malformed");
    EXPECT_EQ(test::describe(render(
                  test::with(pong(style::compact), "server_time", quoted("2300-01-01T00:00:00Z")))),
              "bad_value field=server_time time=out_of_range");
}

TEST(json_stream_message, truncates_an_over_precise_timestamp_and_says_so) {
    EXPECT_EQ(test::describe(render(test::with(pong(style::compact), "server_time",
                                               quoted("2026-04-17T22:00:00.0000000019Z")))),
              "ok pong time=1776463200000000001 truncated");
    EXPECT_EQ(test::describe(render(test::with(pong(style::compact), "server_time",
                                               quoted("2026-04-17T22:00:00.0000000010Z")))),
              "ok pong time=1776463200000000001");
}

TEST(json_stream_message, accepts_an_error_without_message) {
    EXPECT_EQ(test::describe(R"({"type":"error","code":"too_many_contests"})"),
              "ok error code=too_many_contests message=");
}

TEST(json_stream_message, refuses_non_object_documents_without_calling_them_malformed) {
    for (const char* d : {"[]", "\"liquidity.update\"", "1", "null", "[{\"type\":\"pong\"}]"})
        EXPECT_EQ(test::describe(d), "not_an_object") << d;
    EXPECT_EQ(test::describe(""), "malformed syntax=unexpected_end");
    EXPECT_EQ(test::describe("[1,]"), "malformed syntax=unexpected_char");
}

TEST(json_stream_message, refuses_an_object_without_type) {
    EXPECT_EQ(test::describe("{}"), "missing_field field=type");
    EXPECT_EQ(test::describe(R"({"contest_id":"ct"})"), "missing_field field=type");
}

// Each one corrupts a valid liquidity.update; none may parse.
const char* const malformed_messages[] = {
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z",})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"}})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"} x)",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"}{})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[,],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{}],"refresh_required":fals,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"price":01}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"price":1.}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"price":-}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"price":0.49,}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"price":0.49},],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"price" 0.49}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"liquidity_hash":"a\qb"}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"liquidity_hash":"\uD800"}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"partner\u00":"x"}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"extra":[1,2}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"extra":{"a":1]}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"price":0.49}}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[{"price":0.49}]],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[[{"price":0.49}],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z","x":NaN})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z","x":'a'})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z","x":+1})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z","x":undefined})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z",x:1})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false "timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z")",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z]})",
    R"({"type":"liquidity.update","contest_id":"ct,"changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":ct,"changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({type:"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":False,"timestamp":"2026-04-17T22:00:01Z"})",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z"}])",
    R"({"type":"liquidity.update","contest_id":"ct","changed_entries":[],"refresh_required":false,"timestamp":"2026-04-17T22:00:01Z" /* c */})",
};

TEST(json_stream_message, refuses_every_corrupted_message_as_malformed) {
    for (const char* msg : malformed_messages) {
        const std::string d = test::describe(msg);
        EXPECT_EQ(d.rfind("malformed syntax=", 0), 0u) << msg << "\n -> " << d;
    }
}

TEST(json_stream_message, refuses_raw_control_bytes_anywhere_in_strings) {
    const std::string base = render(liquidity(style::compact));
    for (size_t i = 0; i < base.size(); ++i) {
        if (base[i] == '"') continue;
        // Replace one byte inside a string by a control byte; outside strings
        // the same byte is unexpected. Either way the message is refused.
        for (const char c : {'\x01', '\x1f', '\n'}) {
            std::string bad = base;
            bad[i] = c;
            const std::string d = test::describe(bad);
            if (c == '\n' && d.rfind("ok", 0) == 0)
                continue; // newline between tokens is whitespace
            EXPECT_NE(d.rfind("ok", 0), 0u) << i << ": " << bad;
        }
    }
}

TEST(json_stream_message, refuses_nesting_deeper_than_64_in_an_ignored_member) {
    std::vector<member> ms = liquidity(style::compact);
    ms.push_back(member{"deep", std::string(63, '[') + std::string(63, ']')}); // depth 2..64
    EXPECT_EQ(test::describe(render(ms)).rfind("ok ", 0), 0u);
    ms.back().value = std::string(64, '[') + std::string(64, ']');
    EXPECT_EQ(test::describe(render(ms)), "malformed syntax=too_deep");
}

TEST(json_stream_message, needs_a_scratch_at_least_as_large_as_the_message) {
    const std::string msg = render(liquidity(style::compact));
    test::owned_scratch small(msg.size() - 1);
    stream_message m;
    EXPECT_EQ(parse_stream_message(msg, m, small.s), message_status::scratch_full);
}

TEST(json_stream_message, status_texts_are_short_names) {
    EXPECT_STREQ(to_string(message_status::missing_field), "missing_field");
    EXPECT_STREQ(to_string(message_status::not_an_object), "not_an_object");
    EXPECT_STREQ(to_string(message_type::contest_state_update), "contest_state.update");
    EXPECT_STREQ(to_string(message_type::liquidity_update), "liquidity.update");
}

} // namespace
} // namespace ef::json
