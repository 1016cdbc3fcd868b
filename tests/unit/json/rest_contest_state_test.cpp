// Live contest state: the state object (also the stream's state_json) as a
// table of (input, expected, why): every game status spelling, clock, period,
// scores in our shape and in others, winner, nulls, mistyped members, huge
// and fractional numbers; then GET /contests/:id/state and the batch, with
// the seed's examples verbatim.
#include "tests/unit/json/rest_describe.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace ef::json {
namespace {

struct state_case {
    const char* state;
    const char* expected;
    const char* why;
};

// flags: 1 present, 2 clock, 4 running, 8 period, 16 scores, 32 winner.
const state_case state_cases[] = {
    {R"({})", "ok flags=1 game=0/", "empty state: present, status unknown"},
    {R"({"game_status":"scheduled"})", "ok flags=1 game=1/scheduled", "scheduled"},
    {R"({"game_status":"in_progress"})", "ok flags=1 game=2/in_progress", "in progress"},
    {R"({"game_status":"live"})", "ok flags=1 game=2/live", "live is in progress"},
    {R"({"game_status":"final"})", "ok flags=1 game=3/final", "final"},
    {R"({"game_status":"closed"})", "ok flags=1 game=3/closed", "closed is final"},
    {R"({"game_status":"complete"})", "ok flags=1 game=3/complete", "complete is final"},
    {R"({"game_status":"postponed"})", "ok flags=1 game=4/postponed", "postponed"},
    {R"({"game_status":"cancelled"})", "ok flags=1 game=5/cancelled", "cancelled"},
    {R"({"game_status":"canceled"})", "ok flags=1 game=5/canceled", "US spelling"},
    {R"({"game_status":"halftime"})", "ok flags=1 game=6/halftime", "unknown text is other"},
    {R"({"game_status":"Final"})", "ok flags=1 game=6/Final", "texts are case-sensitive"},
    {R"({"game_status":"in\u005fprogress"})", "ok flags=1 game=2/in_progress",
     "escaped text decoded before mapping"},
    {R"({"game_status":null})", "ok flags=1 game=0/", "null status is absent"},
    {R"({"clock":{"display":"7:42","remaining_seconds":462,"is_running":true}})",
     "ok flags=7 game=0/ clock=7:42/462/running", "seed clock"},
    {R"({"clock":{"display":"0:00","remaining_seconds":0,"is_running":false}})",
     "ok flags=3 game=0/ clock=0:00/0/stopped", "stopped clock"},
    {R"({"clock":{}})", "ok flags=3 game=0/ clock=/0/stopped", "clock members optional"},
    {R"({"clock":{"display":null,"remaining_seconds":null,"is_running":null}})",
     "ok flags=3 game=0/ clock=/0/stopped", "clock members null"},
    {R"({"clock":{"remaining_seconds":461.75}})", "ok flags=3 game=0/ clock=/461/stopped",
     "seconds cut to whole"},
    {R"({"clock":{"remaining_seconds":4.62e2}})", "ok flags=3 game=0/ clock=/462/stopped",
     "seconds with exponent"},
    {R"({"clock":null})", "ok flags=1 game=0/", "null clock is absent"},
    {R"({"period":{"number":3,"label":"3rd Quarter","type":"quarter"}})",
     "ok flags=9 game=0/ period=3/3rd Quarter/quarter", "seed period"},
    {R"({"period":{"number":2.0}})", "ok flags=9 game=0/ period=2//", "whole number as 2.0"},
    {R"({"scores":{"home":71,"away":68}})", "ok flags=17 game=0/ score=71-68", "seed scores"},
    {R"({"scores":{"away":68,"home":7.1e1}})", "ok flags=17 game=0/ score=71-68",
     "order and exponent"},
    {R"({"scores":{"home":-1,"away":9223372036}})", "ok flags=17 game=0/ score=-1-9223372036",
     "the largest score we hold"},
    {R"({"scores":[{"participant_id":"p1","score":-4}]})", "ok flags=1 game=0/",
     "a leaderboard is not an error"},
    {R"({"scores":{"home":"71","away":"68"}})", "ok flags=1 game=0/", "strings: other shape"},
    {R"({"scores":{"home":71}})", "ok flags=1 game=0/", "one side: other shape"},
    {R"({"scores":"71-68"})", "ok flags=1 game=0/", "a string: other shape"},
    {R"({"scores":null})", "ok flags=1 game=0/", "null scores"},
    {R"({"winner_participant_id":"p_kc","contest_result":"home_win"})",
     "ok flags=33 game=0/ result=home_win winner=p_kc", "winner"},
    {R"({"winner_participant_id":null,"contest_result":"pending"})",
     "ok flags=1 game=0/ result=pending", "null winner: none"},
    {R"({"situation":{"down":3,"distance":7},"box_score":[1,2]})", "ok flags=1 game=0/",
     "situation and unknown members ignored"},
    {R"({"game_status":"live","game_status":"final"})", "ok flags=1 game=3/final",
     "last duplicate wins"},
    {R"({"game_status":3})", "wrong_type field=game_status", "status a number"},
    {R"({"clock":"7:42"})", "wrong_type field=clock", "clock a string"},
    {R"({"clock":[]})", "wrong_type field=clock", "clock an array"},
    {R"({"clock":{"display":742}})", "wrong_type field=clock.display", "display a number"},
    {R"({"clock":{"remaining_seconds":"462"}})", "wrong_type field=clock.remaining_seconds",
     "seconds a string"},
    {R"({"clock":{"remaining_seconds":3e9}})",
     "bad_value field=clock.remaining_seconds number=out_of_range", "past int32"},
    {R"({"clock":{"remaining_seconds":1e20}})",
     "bad_value field=clock.remaining_seconds number=out_of_range", "past int64 e9"},
    {R"({"clock":{"is_running":"yes"}})", "wrong_type field=clock.is_running",
     "running a string"},
    {R"({"period":4})", "wrong_type field=period", "period a number"},
    {R"({"period":{"number":2.5}})", "bad_value field=period.number", "half a period"},
    {R"({"period":{"number":"3"}})", "wrong_type field=period.number", "number a string"},
    {R"({"period":{"number":-2147483649}})",
     "bad_value field=period.number number=out_of_range", "below int32"},
    {R"({"period":{"label":3}})", "wrong_type field=period.label", "label a number"},
    {R"({"period":{"type":false}})", "wrong_type field=period.type", "type a bool"},
    {R"({"contest_result":1})", "wrong_type field=contest_result", "result a number"},
    {R"({"winner_participant_id":7})", "wrong_type field=winner_participant_id",
     "winner a number"},
    {R"({"scores":{"home":71.5,"away":68}})", "bad_value field=scores.home",
     "a fractional score"},
    {R"({"scores":{"home":71,"away":1e30}})", "bad_value field=scores.away number=out_of_range",
     "a huge score"},
    {R"({"scores":{"home":71,"away":1e-10}})", "bad_value field=scores.away number=inexact",
     "an over-precise score"},
};

TEST(json_contest_state, reads_each_state_object_or_names_its_bad_member) {
    for (const state_case& c : state_cases) {
        EXPECT_EQ(test::describe_state_object(c.state), c.expected) << c.why;
        EXPECT_EQ(test::describe_state_object(std::string(" \n") + c.state + "\t"), c.expected)
            << c.why << " (surrounded by whitespace)";
    }
}

TEST(json_contest_state, refuses_every_proper_prefix_of_a_state_object) {
    const std::string state =
        R"({"game_status":"in_progress","clock":{"display":"7:42","remaining_seconds":462,"is_running":true},"scores":{"home":71,"away":68}})";
    test::for_every_proper_prefix(state, [&](std::string_view in, size_t n) {
        const std::string d = test::describe_state_object(in);
        EXPECT_EQ(d.rfind("malformed syntax=", 0), 0u) << n << ": " << d;
    });
    for (size_t at = 1; at < state.size(); ++at)
        EXPECT_NE(test::describe_state_object(std::string_view(state).substr(at)).rfind("ok", 0),
                  0u)
            << "suffix from " << at;
}

TEST(json_contest_state, refuses_a_state_that_is_not_an_object) {
    EXPECT_EQ(test::describe_state_object("[]"), "not_an_object");
    EXPECT_EQ(test::describe_state_object("null"), "not_an_object");
    EXPECT_EQ(test::describe_state_object(""), "malformed syntax=unexpected_end");
    EXPECT_EQ(test::describe_state_object("{} {}"), "malformed syntax=trailing_content");
}

// The stream hands state_json with the scratch its message was decoded into:
// the state parser must add to that scratch, not reset it.
TEST(json_contest_state, decodes_into_the_scratch_without_resetting_it) {
    const std::string state = R"({"game_status":"in\u005fprogress","contest_result":"p\u0065nding"})";
    test::owned_scratch sc(state.size() + 4);
    sc.s.commit(4);
    std::memcpy(sc.storage.data(), "keep", 4);
    contest_state out;
    rest_diag diag;
    ASSERT_EQ(parse_state_object(state, sc.s, out, diag), rest_status::ok);
    EXPECT_EQ(std::string_view(sc.storage.data(), 4), "keep");
    EXPECT_EQ(out.game_status_text, "in_progress");
    EXPECT_EQ(out.contest_result, "pending");

    test::owned_scratch tiny(3);
    EXPECT_EQ(parse_state_object(state, tiny.s, out, diag), rest_status::scratch_full);
    EXPECT_STREQ(diag.field, "game_status");
}

TEST(json_contest_state, parses_the_seed_state_body_verbatim) {
    constexpr const char* seed = R"({
  "data": {
  "contest_id": "ct_abc123",
  "state": {
    "game_status": "in_progress",
    "clock": { "display": "7:42", "remaining_seconds": 462, "is_running": true },
    "period": { "number": 3, "label": "3rd Quarter", "type": "quarter" },
    "contest_result": "pending",
    "winner_participant_id": null,
    "scores": { "home": 71, "away": 68 },
    "situation": null
  },
  "refreshed_at": "2026-05-26T02:14:30Z",
  "cached_at": "2026-05-26T02:14:31Z"
},
  "meta": { "timestamp": "2026-05-26T02:14:31Z", "api_version": "v1" }
})";
    EXPECT_EQ(test::describe_contest_state(seed),
              "ok ct_abc123 at 1779761670000000000 flags=31 game=2/in_progress "
              "clock=7:42/462/running period=3/3rd Quarter/quarter result=pending score=71-68");
}

struct body_case {
    const char* data;
    const char* expected;
    const char* why;
};

const body_case state_body_cases[] = {
    {R"({"contest_id":"c","state":{},"refreshed_at":"2026-05-26T02:14:30.123Z"})",
     "ok c at 1779761670123000000 flags=1 game=0/", "3 digits"},
    {R"({"refreshed_at":"2026-05-26T02:14:30.123456Z","state":{},"contest_id":"c"})",
     "ok c at 1779761670123456000 flags=1 game=0/", "6 digits, any order"},
    {R"({"contest_id":"c","state":{},"refreshed_at":"2026-05-26T02:14:30.123456789Z"})",
     "ok c at 1779761670123456789 flags=1 game=0/", "9 digits"},
    {R"({"contest_id":"c","state":{},"refreshed_at":"2026-05-26T02:14:30.1234567891Z"})",
     "ok c at 1779761670123456789 flags=1 game=0/ truncated", "10 digits cut and said"},
    {R"({"state":{},"refreshed_at":"2026-05-26T02:14:30Z"})",
     "missing_field field=data.contest_id", "id absent"},
    {R"({"contest_id":"c","refreshed_at":"2026-05-26T02:14:30Z"})",
     "missing_field field=data.state", "state absent"},
    {R"({"contest_id":"c","state":null,"refreshed_at":"2026-05-26T02:14:30Z"})",
     "wrong_type field=data.state", "state null"},
    {R"({"contest_id":"c","state":{}})", "missing_field field=data.refreshed_at", "time absent"},
    {R"({"contest_id":"c","state":{},"refreshed_at":"2026-05-26T02:14:60Z"})",
     "bad_value field=data.refreshed_at time=invalid_date", "leap second"},
    {R"({"contest_id":"c","state":{"clock":{"remaining_seconds":true}},"refreshed_at":"2026-05-26T02:14:30Z"})",
     "wrong_type field=data.state.clock.remaining_seconds", "a state member by its full path"},
    {R"([])", "wrong_type field=data", "data an array"},
};

TEST(json_contest_state, reads_the_state_body_or_names_its_bad_member) {
    for (const body_case& c : state_body_cases)
        EXPECT_EQ(test::describe_contest_state(std::string(R"({"data":)") + c.data + "}"),
                  c.expected)
            << c.why;
}

TEST(json_contest_state, parses_the_seed_batch_example_verbatim) {
    constexpr const char* seed = R"({
  "data": {
  "ct_abc123": {
    "contest_id": "ct_abc123",
    "state": { "game_status": "in_progress", "scores": { "home": 71, "away": 68 } },
    "refreshed_at": "2026-05-26T02:14:30Z"
  }
},
  "meta": { "timestamp": "2026-05-26T02:14:31Z", "api_version": "v1" }
})";
    EXPECT_EQ(test::describe_batch(seed),
              "ok meta=1779761671000000000/v1 [ct_abc123 at 1779761670000000000 flags=17 "
              "game=2/in_progress score=71-68]");
}

const body_case batch_cases[] = {
    {R"({})", "[]", "no contest has state"},
    {R"({"ct_a":{"state":{},"refreshed_at":"2026-05-26T02:14:30Z"}})",
     "[ct_a at 1779761670000000000 flags=1 game=0/]", "the key names the contest"},
    {R"({"ct_a":{"contest_id":"ct_b","state":{},"refreshed_at":"2026-05-26T02:14:30Z"}})",
     "[ct_b at 1779761670000000000 flags=1 game=0/]", "the entry's own id wins"},
    {R"({"ct_a":{"contest_id":null,"state":{},"refreshed_at":"2026-05-26T02:14:30Z"}})",
     "[ct_a at 1779761670000000000 flags=1 game=0/]", "a null id is absent"},
    {R"({"ct\u005fa":{"state":{},"refreshed_at":"2026-05-26T02:14:30Z"}})",
     "[ct_a at 1779761670000000000 flags=1 game=0/]", "an escaped key is decoded"},
    {R"({"ct_a":{"state":{}},"ct_b":{"state":{},"refreshed_at":"2026-05-26T02:14:30Z"}})",
     "[!missing_field:refreshed_at id=ct_a; ct_b at 1779761670000000000 flags=1 game=0/]",
     "a bad entry does not stop the walk, and says whose it is"},
    {R"({"ct_a":{"refreshed_at":"2026-05-26T02:14:30Z"}})", "[!missing_field:state id=ct_a]",
     "state absent"},
    {R"({"ct_a":{"state":[],"refreshed_at":"2026-05-26T02:14:30Z"}})",
     "[!wrong_type:state id=ct_a]", "state an array"},
    {R"({"ct_a":{"state":{"period":{"number":0.5}},"refreshed_at":"2026-05-26T02:14:30Z"}})",
     "[!bad_value:state.period.number id=ct_a]", "a state member by its path in the entry"},
    {R"({"ct_a":{"state":{},"refreshed_at":"now"}})", "[!bad_value:refreshed_at id=ct_a]",
     "bad time"},
    {R"({"ct_a":{"contest_id":5,"state":{},"refreshed_at":"2026-05-26T02:14:30Z"}})",
     "[!wrong_type:contest_id]", "id a number"},
    {R"({"ct_a":null,"ct_b":[]})", "[!wrong_type:; !wrong_type:]",
     "entries that are not objects"},
};

TEST(json_contest_state, reads_each_batch_entry_or_names_its_bad_member) {
    for (const body_case& c : batch_cases)
        EXPECT_EQ(test::describe_batch(std::string(R"({"data":)") + c.data + "}"),
                  std::string("ok meta=- ") + c.expected)
            << c.why;
}

TEST(json_contest_state, refuses_batch_data_that_is_not_an_object) {
    EXPECT_EQ(test::describe_batch(R"({"data":[]})"), "wrong_type field=data");
}

TEST(json_contest_state, says_when_a_batch_time_was_cut_to_the_nanosecond) {
    EXPECT_EQ(test::describe_batch(
                  R"({"data":{"c":{"state":{},"refreshed_at":"2026-05-26T02:14:30.0000000001Z"}}})"),
              "ok meta=- [c at 1779761670000000000 flags=1 game=0/] truncated");
}

TEST(json_contest_state, the_batch_iterator_over_cut_text_reports_malformed_and_ends) {
    test::for_every_proper_prefix(
        R"({"a":{"state":{},"refreshed_at":"2026-05-26T02:14:30Z"},"b":{"state":{},"refreshed_at":"2026-05-26T02:14:30Z"}})",
        [&](std::string_view in, size_t n) {
            test::owned_scratch sc(in.size());
            state_batch_iterator it(in, sc.s);
            state_entry e;
            item_status st;
            bool saw_malformed = false;
            for (int guard = 0; (st = it.next(e)) != item_status::end && guard < 1000; ++guard)
                saw_malformed |= st == item_status::malformed;
            EXPECT_EQ(st, item_status::end) << n;
            EXPECT_TRUE(saw_malformed) << n;
        });
    for (const char* text : {"{} ", "{\"a\":{}}x", "{\"a\":{},}", "[]", "{\"a\" {}}", "{1:{}}"}) {
        test::owned_scratch sc(64);
        state_batch_iterator it(text, sc.s);
        state_entry e;
        item_status st;
        bool saw_malformed = false;
        for (int guard = 0; (st = it.next(e)) != item_status::end && guard < 1000; ++guard)
            saw_malformed |= st == item_status::malformed;
        EXPECT_TRUE(saw_malformed) << text;
    }
}

TEST(json_contest_state, game_status_texts_map_to_the_abi_enum) {
    EXPECT_EQ(game_status_of("scheduled"), uint32_t{EF_GAME_SCHEDULED});
    EXPECT_EQ(game_status_of("live"), uint32_t{EF_GAME_IN_PROGRESS});
    EXPECT_EQ(game_status_of("complete"), uint32_t{EF_GAME_FINAL});
    EXPECT_EQ(game_status_of("canceled"), uint32_t{EF_GAME_CANCELLED});
    EXPECT_EQ(game_status_of(""), uint32_t{EF_GAME_OTHER});
}

} // namespace
} // namespace ef::json
