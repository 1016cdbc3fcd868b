// What every OpenMarkets REST body parser shares: each body kind is built
// from one member table and then varied (whitespace style, member order,
// unknown members, cut at every byte, both halves of every split); the
// envelope's meta and pagination, and the error body, are tested once here.
#include "tests/unit/json/rest_describe.hpp"

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

std::vector<member> with_meta(std::vector<member> ms, style st) {
    ms.push_back({"meta", render({{"timestamp", quoted("2026-04-17T22:00:00Z")},
                                  {"api_version", quoted("v1")}},
                                 st)});
    return ms;
}

std::vector<member> liquidity(style st) {
    const std::string kalshi = render({{"partner_id", quoted("kalshi")},
                                       {"partner_name", quoted("Kalshi")},
                                       {"price", "0.49"},
                                       {"american_odds", quoted("+104")},
                                       {"available", "5400"}},
                                      st);
    const std::string home =
        render({{"position_hash", quoted("ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full")},
                {"contest_id", quoted("ct_abc123")},
                {"title", quoted("Kansas City Chiefs \\u2014 Moneyline")},
                {"consensus_price", "0.52"},
                {"partner_liquidities", render_array({kalshi}, st)}},
               st);
    const std::string poly = render({{"partner_id", quoted("polymarket")},
                                     {"price", "5e-1"},
                                     {"available", "2100.25"}},
                                    st);
    const std::string quoted_amounts =
        render({{"available", quoted("1e3")}, {"price", quoted("0.51")}, {"partner_id", quoted("kalshi")}},
               st);
    const std::string away =
        render({{"partner_liquidities", render_array({poly, quoted_amounts}, st)},
                {"position_hash", quoted("ct_abc123:mk_ml:side_away:var_0:p_sf:tf_full")}},
               st);
    return with_meta({{"data", render_array({home, away}, st)}}, st);
}
constexpr const char* liquidity_expected =
    "ok meta=1776463200000000000/v1 positions=["
    "ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full in ct_abc123 [kalshi 490000000 5400000000000]; "
    "ct_abc123:mk_ml:side_away:var_0:p_sf:tf_full [polymarket 500000000 2100250000000; "
    "kalshi 510000000 1000000000000]]";

std::vector<member> contests(style st) {
    const std::string kc = render({{"id", quoted("ct_abc123")},
                                   {"league_id", quoted("lg_nfl")},
                                   {"title", quoted("Kansas City Chiefs vs. San Francisco 49ers")},
                                   {"type", quoted("match")},
                                   {"starts_at", quoted("2026-09-07T20:20:00Z")},
                                   {"status", quoted("open")},
                                   {"tags", render({{"home_team", quoted("KC")}}, st)}},
                                  st);
    const std::string tbd = render({{"id", quoted("ct_def456")},
                                    {"league_id", quoted("lg_nba")},
                                    {"starts_at", "null"},
                                    {"status", quoted("open")}},
                                   st);
    return with_meta({{"data", render_array({kc, tbd}, st)},
                      {"pagination", render({{"next_cursor", quoted("2026-04-17T22:00:00.000Z")},
                                             {"has_more", "true"},
                                             {"limit", "50"}},
                                            st)}},
                     st);
}
constexpr const char* contests_expected =
    "ok meta=1776463200000000000/v1 page=more cursor=2026-04-17T22:00:00.000Z limit=50 "
    "[ct_abc123 lg_nfl open 1788812400000000000; ct_def456 lg_nba open -]";

std::vector<member> partners(style st) {
    const std::string field = render({{"key", quoted("api_key")},
                                      {"label", quoted("API Key")},
                                      {"type", quoted("text")},
                                      {"required", "true"}},
                                     st);
    const std::string kalshi = render({{"partner_id", quoted("p_kalshi")},
                                       {"name", quoted("Kalshi")},
                                       {"status", quoted("active")},
                                       {"credential_fields", render_array({field}, st)}},
                                      st);
    return {{"data", render_array({kalshi}, st)}}; // as the seed shows it: no meta
}
constexpr const char* partners_expected = "ok meta=- page=- [p_kalshi Kalshi active]";

std::vector<member> depth(style st) {
    const std::string levels =
        render_array({render({{"price", "0.49"}, {"available", "2100"}}, st),
                      render({{"price", "0.48"}, {"available", "3300"}}, st)},
                     st);
    const std::string kalshi = render({{"partner_id", quoted("kalshi")},
                                       {"partner_name", quoted("Kalshi")},
                                       {"levels", levels},
                                       {"total_available", "5400"},
                                       {"best_price", "0.49"},
                                       {"fetched_at", quoted("2026-04-17T22:00:00Z")}},
                                      st);
    const std::string data =
        render({{"position_hash", quoted("ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full")},
                {"partners", render_array({kalshi}, st)},
                {"fetched_at", quoted("2026-04-17T22:00:00.001Z")}},
               st);
    return with_meta({{"data", data}}, st);
}
constexpr const char* depth_expected =
    "ok meta=1776463200000000000/v1 ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full at "
    "1776463200001000000 [kalshi/Kalshi best=490000000 total=5400000000000 at "
    "1776463200000000000 [490000000x2100000000000; 480000000x3300000000000]]";

std::string seed_state(style st) {
    return render(
        {{"game_status", quoted("in_progress")},
         {"clock",
          render({{"display", quoted("7:42")}, {"remaining_seconds", "462"}, {"is_running", "true"}},
                 st)},
         {"period",
          render({{"number", "3"}, {"label", quoted("3rd Quarter")}, {"type", quoted("quarter")}},
                 st)},
         {"contest_result", quoted("pending")},
         {"winner_participant_id", "null"},
         {"scores", render({{"home", "71"}, {"away", "68"}}, st)},
         {"situation", "null"}},
        st);
}

std::vector<member> contest_state_members(style st) {
    return with_meta({{"data", render({{"contest_id", quoted("ct_abc123")},
                                       {"state", seed_state(st)},
                                       {"refreshed_at", quoted("2026-05-26T02:14:30Z")},
                                       {"cached_at", quoted("2026-05-26T02:14:31Z")}},
                                      st)}},
                     st);
}
constexpr const char* contest_state_expected =
    "ok ct_abc123 at 1779761670000000000 flags=31 game=2/in_progress clock=7:42/462/running "
    "period=3/3rd Quarter/quarter result=pending score=71-68";

std::vector<member> batch(style st) {
    const std::string live = render(
        {{"contest_id", quoted("ct_abc123")},
         {"state", render({{"game_status", quoted("in_progress")},
                           {"scores", render({{"home", "71"}, {"away", "68"}}, st)}},
                          st)},
         {"refreshed_at", quoted("2026-05-26T02:14:30Z")}},
        st);
    const std::string done = render(
        {{"state", render({{"game_status", quoted("final")},
                           {"winner_participant_id", quoted("p_kc")}},
                          st)},
         {"refreshed_at", quoted("2026-05-26T02:14:30.5Z")}},
        st);
    return with_meta({{"data", render({{"ct_abc123", live}, {"ct_def456", done}}, st)}}, st);
}
constexpr const char* batch_expected =
    "ok meta=1776463200000000000/v1 [ct_abc123 at 1779761670000000000 flags=17 "
    "game=2/in_progress score=71-68; ct_def456 at 1779761670500000000 flags=33 game=3/final "
    "winner=p_kc]";

struct body_spec {
    const char* name;
    std::string (*describe)(std::string_view);
    std::vector<member> (*members)(style);
    const char* expected;
};

const body_spec specs[] = {
    {"liquidity", test::describe_liquidity, liquidity, liquidity_expected},
    {"contests", test::describe_contests, contests, contests_expected},
    {"partners", test::describe_partners, partners, partners_expected},
    {"depth", test::describe_depth, depth, depth_expected},
    {"contest_state", test::describe_contest_state, contest_state_members, contest_state_expected},
    {"batch", test::describe_batch, batch, batch_expected},
};

TEST(json_rest_body, parses_the_canonical_form_of_every_body) {
    for (const body_spec& sp : specs)
        EXPECT_EQ(sp.describe(render(sp.members(style::compact))), sp.expected) << sp.name;
}

TEST(json_rest_body, parses_every_whitespace_style_the_same) {
    for (const body_spec& sp : specs)
        for (const style st : test::all_styles) {
            const std::string body = render(sp.members(st), st);
            EXPECT_EQ(sp.describe(body), sp.expected) << sp.name << "\n" << body;
            EXPECT_EQ(sp.describe(" \r\n\t" + body + "\n "), sp.expected) << "surrounding ws";
        }
}

TEST(json_rest_body, parses_every_top_level_member_order_the_same) {
    for (const body_spec& sp : specs) {
        const std::vector<member> ms = sp.members(style::pretty);
        std::vector<size_t> order(ms.size());
        std::iota(order.begin(), order.end(), 0);
        do {
            std::vector<member> shuffled;
            for (const size_t i : order)
                shuffled.push_back(ms[i]);
            EXPECT_EQ(sp.describe(render(shuffled, style::pretty)), sp.expected) << sp.name;
        } while (std::next_permutation(order.begin(), order.end()));
    }
}

TEST(json_rest_body, ignores_unknown_top_level_members_of_every_type_at_every_position) {
    for (const body_spec& sp : specs) {
        const std::vector<member> ms = sp.members(style::compact);
        for (const std::string& v : test::unknown_values())
            for (size_t at = 0; at <= ms.size(); ++at)
                for (const char* key : {"links", "dat", "\\u0078", "", "Data", "meta "}) {
                    std::vector<member> more = ms;
                    more.insert(more.begin() + static_cast<ptrdiff_t>(at), member{key, v});
                    const std::string body = render(more);
                    EXPECT_EQ(sp.describe(body), sp.expected) << body;
                }
    }
}

TEST(json_rest_body, reads_an_escaped_key_as_the_key_it_spells) {
    for (const body_spec& sp : specs) {
        std::vector<member> ms = sp.members(style::compact);
        for (member& m : ms)
            if (m.key == "data") m.key = "d\\u0061ta";
        EXPECT_EQ(sp.describe(render(ms)), sp.expected) << sp.name;
    }
}

TEST(json_rest_body, refuses_every_proper_prefix_as_malformed) {
    for (const body_spec& sp : specs)
        for (const style st : {style::compact, style::lines}) {
            const std::string body = render(sp.members(st), st);
            test::for_every_proper_prefix(body, [&](std::string_view in, size_t n) {
                const std::string d = sp.describe(in);
                EXPECT_EQ(d.rfind("malformed syntax=", 0), 0u) << sp.name << " cut at " << n << ": " << d;
            });
        }
}

// The second half of every split: what a parser sees if a body's start is
// lost. It must be refused, and read nothing past its end (guarded buffer).
TEST(json_rest_body, refuses_every_proper_suffix) {
    for (const body_spec& sp : specs) {
        const std::string body = render(sp.members(style::compact));
        for (size_t at = 1; at < body.size(); ++at) {
            const std::string d = sp.describe(std::string_view(body).substr(at));
            EXPECT_NE(d.rfind("ok", 0), 0u) << sp.name << " from " << at << ": " << d;
        }
    }
}

TEST(json_rest_body, refuses_trailing_content_after_the_body) {
    for (const body_spec& sp : specs)
        for (const char* tail : {"x", "{}", "]", "}", ",", "\"\"", "0"}) {
            const std::string body = render(sp.members(style::compact)) + " " + tail;
            EXPECT_EQ(sp.describe(body), "malformed syntax=trailing_content") << sp.name << tail;
        }
}

TEST(json_rest_body, refuses_bodies_that_are_not_objects_without_calling_them_malformed) {
    for (const body_spec& sp : specs) {
        for (const char* d : {"[]", "\"data\"", "1", "null", "[{\"data\":[]}]"})
            EXPECT_EQ(sp.describe(d), "not_an_object") << sp.name << d;
        EXPECT_EQ(sp.describe(""), "malformed syntax=unexpected_end");
        EXPECT_EQ(sp.describe("   "), "malformed syntax=unexpected_end");
        EXPECT_EQ(sp.describe("[1,]"), "malformed syntax=unexpected_char");
    }
}

TEST(json_rest_body, requires_data_and_refuses_it_null) {
    for (const body_spec& sp : specs) {
        EXPECT_EQ(sp.describe(render(test::without(sp.members(style::compact), "data"))),
                  "missing_field field=data")
            << sp.name;
        EXPECT_EQ(sp.describe(render(test::with(sp.members(style::compact), "data", "null"))),
                  "wrong_type field=data")
            << sp.name;
        EXPECT_EQ(sp.describe(render(test::with(sp.members(style::compact), "data", "\"x\""))),
                  "wrong_type field=data")
            << sp.name;
    }
}

TEST(json_rest_body, needs_a_scratch_at_least_as_large_as_the_body) {
    const std::string body = render(liquidity(style::compact));
    test::owned_scratch small(body.size() - 1);
    liquidity_snapshot snap;
    rest_diag diag;
    EXPECT_EQ(parse_liquidity_snapshot(body, small.s, snap, diag), rest_status::scratch_full);
    contests_page page;
    EXPECT_EQ(parse_contests_page(body, small.s, page, diag), rest_status::scratch_full);
}

TEST(json_rest_body, refuses_nesting_deeper_than_64_in_an_ignored_member) {
    for (const body_spec& sp : specs) {
        std::vector<member> ms = sp.members(style::compact);
        ms.push_back(member{"deep", std::string(63, '[') + std::string(63, ']')}); // depth 2..64
        EXPECT_EQ(sp.describe(render(ms)), sp.expected) << sp.name;
        ms.back().value = std::string(64, '[') + std::string(64, ']');
        EXPECT_EQ(sp.describe(render(ms)), "malformed syntax=too_deep") << sp.name;
    }
}

// Each corrupts a valid body; none may parse.
const char* const corrupted[] = {
    R"({"data":[],"meta":{"timestamp":"2026-04-17T22:00:00Z"},})",
    R"({"data":[],"meta":{"timestamp":"2026-04-17T22:00:00Z"}}})",
    R"({"data":[,],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[{"price":01}],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[{"price":1.}],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[{"price":.5}],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[{"a":"\q"}],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[{"a":"\uD800"}],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[{"a":[1,2}],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[{"a":1},],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[],"meta":{"timestamp":"2026-04-17T22:00:00Z",}})",
    R"({"data":[],"meta":{"timestamp":"2026-04-17T22:00:00Z"} "x":1})",
    R"({"data":[],"meta":{"timestamp":NaN}})",
    R"({"data":[],"meta":{"timestamp":'2026-04-17T22:00:00Z'}})",
    R"({data:[],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[],"meta":{"timestamp":"2026-04-17T22:00:00Z"}/* c */})",
    R"({"data":{"a":1,"a"},"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
    R"({"data":[tru],"meta":{"timestamp":"2026-04-17T22:00:00Z"}})",
};

TEST(json_rest_body, refuses_every_corrupted_body_as_malformed) {
    for (const body_spec& sp : specs)
        for (const char* body : corrupted) {
            const std::string d = sp.describe(body);
            EXPECT_EQ(d.rfind("malformed syntax=", 0), 0u) << sp.name << ": " << body << " -> " << d;
        }
}

TEST(json_rest_body, refuses_raw_control_bytes_in_strings) {
    for (const body_spec& sp : specs) {
        const std::string base = render(sp.members(style::compact));
        for (size_t i = 0; i < base.size(); i += 3) {
            std::string bad = base;
            bad[i] = '\x01';
            EXPECT_NE(sp.describe(bad).rfind("ok", 0), 0u) << sp.name << " at " << i;
        }
    }
}

// meta: every body has one; its timestamp is kept to the nanosecond.
struct meta_case {
    const char* meta;
    const char* expected; // describe_contests(), whose meta is optional
    const char* why;
};

const meta_case meta_cases[] = {
    {R"({"timestamp":"2026-04-17T22:00:00Z","api_version":"v1"})", "meta=1776463200000000000/v1",
     "seed form"},
    {R"({"timestamp":"2026-04-17T22:00:00.123Z"})", "meta=1776463200123000000", "3 digits"},
    {R"({"timestamp":"2026-04-17T22:00:00.123456Z"})", "meta=1776463200123456000", "6 digits"},
    {R"({"timestamp":"2026-04-17T22:00:00.123456789Z"})", "meta=1776463200123456789",
     "9 digits"},
    {R"({"timestamp":"2026-04-17T22:00:00.1234567890Z"})", "meta=1776463200123456789",
     "a 10th digit that is zero loses nothing"},
    {R"({"timestamp":"2026-04-17T22:00:00.000000001+00:00"})", "meta=1776463200000000001",
     "RFC 3339 offset spelling of UTC"},
    {R"({"timestamp":"2026-04-17T22:00:00\u002e5Z"})", "meta=1776463200500000000",
     "escaped timestamp"},
    {R"({"timestamp":null,"api_version":"v1"})", "meta=-/v1", "null is absent"},
    {R"({"api_version":"v2"})", "meta=-/v2", "absent timestamp; version not checked"},
    {R"({})", "meta=-", "empty meta"},
    {R"(null)", "meta=-", "null meta is absent"},
    {R"({"timestamp":"2026-04-17T22:00:00Z","timestamp":"2026-04-17T22:00:01Z"})",
     "meta=1776463201000000000", "last duplicate wins"},
};

TEST(json_rest_meta, keeps_every_timestamp_digit_sent) {
    for (const meta_case& c : meta_cases) {
        const std::string body = R"({"data":[],"meta":)" + std::string(c.meta) + "}";
        EXPECT_EQ(test::describe_contests(body), std::string("ok ") + c.expected + " page=- []")
            << c.why;
    }
}

TEST(json_rest_meta, truncates_digits_below_a_nanosecond_and_says_so) {
    EXPECT_EQ(test::describe_liquidity(
                  R"({"data":[],"meta":{"timestamp":"2026-04-17T22:00:00.0000000019Z"}})"),
              "ok meta=1776463200000000001 positions=[] truncated");
}

const meta_case bad_meta_cases[] = {
    {R"({"timestamp":"2026-02-30T00:00:00Z"})", "bad_value field=meta.timestamp time=invalid_date",
     "no such day"},
    {R"({"timestamp":"yesterday"})", "bad_value field=meta.timestamp time=malformed", "not ISO"},
    {R"({"timestamp":"2026-04-17T22:00:00+02:00"})",
     "bad_value field=meta.timestamp time=malformed", "not UTC"},
    {R"({"timestamp":"2300-01-01T00:00:00Z"})",
     "bad_value field=meta.timestamp time=out_of_range", "past int64 ns"},
    {R"({"timestamp":1776463200})", "wrong_type field=meta.timestamp", "a number"},
    {R"({"timestamp":"2026-04-17T22:00:00Z","api_version":1})",
     "wrong_type field=meta.api_version", "version a number"},
    {R"([])", "wrong_type field=meta", "meta an array"},
    {R"("v1")", "wrong_type field=meta", "meta a string"},
};

TEST(json_rest_meta, refuses_a_bad_meta_by_its_path) {
    for (const meta_case& c : bad_meta_cases) {
        const std::string body = R"({"data":[],"meta":)" + std::string(c.meta) + "}";
        EXPECT_EQ(test::describe_contests(body), c.expected) << c.why;
        EXPECT_EQ(test::describe_batch(R"({"data":{},"meta":)" + std::string(c.meta) + "}"),
                  c.expected)
            << c.why;
    }
}

struct pagination_case {
    const char* pagination;
    const char* expected;
    const char* why;
};

const pagination_case pagination_cases[] = {
    {R"({"next_cursor":"2026-04-17T22:00:00.000Z","has_more":true,"limit":50})",
     "ok meta=- page=more cursor=2026-04-17T22:00:00.000Z limit=50 []", "seed form"},
    {R"({"next_cursor":null,"has_more":false,"limit":50})", "ok meta=- page=last limit=50 []",
     "last page: null cursor"},
    {R"({"has_more":false})", "ok meta=- page=last []", "cursor and limit are optional"},
    {R"({"has_more":true,"next_cursor":"a\/b\u0021","limit":null})",
     "ok meta=- page=more cursor=a/b! []", "escaped cursor decoded, null limit absent"},
    {R"({"has_more":true,"limit":5e1})", "ok meta=- page=more limit=50 []", "limit 5e1"},
    {R"({"has_more":true,"limit":200.0})", "ok meta=- page=more limit=200 []", "limit 200.0"},
    {R"(null)", "ok meta=- page=- []", "null pagination is absent"},
    {R"({"next_cursor":"c","limit":50})", "missing_field field=pagination.has_more",
     "has_more is what tells a cut list from a whole one"},
    {R"({"has_more":null})", "wrong_type field=pagination.has_more", "required, null"},
    {R"({"has_more":"true"})", "wrong_type field=pagination.has_more", "a string"},
    {R"({"has_more":true,"next_cursor":7})", "wrong_type field=pagination.next_cursor",
     "cursor a number"},
    {R"({"has_more":true,"limit":"50"})", "wrong_type field=pagination.limit", "limit a string"},
    {R"({"has_more":true,"limit":50.5})", "bad_value field=pagination.limit", "limit a fraction"},
    {R"({"has_more":true,"limit":1e30})",
     "bad_value field=pagination.limit number=out_of_range", "huge limit"},
    {R"([])", "wrong_type field=pagination", "pagination an array"},
};

TEST(json_rest_pagination, reads_the_cursor_and_requires_has_more) {
    for (const pagination_case& c : pagination_cases) {
        const std::string body = R"({"pagination":)" + std::string(c.pagination) + R"(,"data":[]})";
        EXPECT_EQ(test::describe_contests(body), c.expected) << c.why;
        EXPECT_EQ(test::describe_partners(body), c.expected) << c.why;
    }
}

TEST(json_rest_pagination, is_refused_only_for_its_type_where_it_is_not_read) {
    EXPECT_EQ(test::describe_liquidity(
                  R"({"data":[],"pagination":{"x":1},"meta":{"timestamp":"2026-04-17T22:00:00Z"}})"),
              "ok meta=1776463200000000000 positions=[]");
    EXPECT_EQ(test::describe_liquidity(
                  R"({"data":[],"pagination":7,"meta":{"timestamp":"2026-04-17T22:00:00Z"}})"),
              "wrong_type field=pagination");
}

struct error_case {
    const char* body;
    const char* expected;
    const char* why;
};

const error_case error_cases[] = {
    {R"({"error":{"code":"not_found","message":"contest ct_x not found"}})",
     "error not_found: contest ct_x not found", "our error shape"},
    {R"({"error":{"message":"bad key","code":"unauthorized","status":401}})",
     "error unauthorized: bad key", "member order, unknown member"},
    {R"({"error":{"code":"forbidden"}})", "error forbidden: ", "message optional"},
    {R"({"error":{"code":"forbidden","message":null}})", "error forbidden: ", "null message"},
    {R"( {"error":{"code":"x\u005fy","message":"\"quoted\""}} )", "error x_y: \"quoted\"",
     "escapes decoded"},
    {R"({"error":{"message":"no code"}})", "not an error body", "code required"},
    {R"({"error":{"code":404}})", "not an error body", "code a number"},
    {R"({"error":"not_found"})", "not an error body", "error a string"},
    {R"({"error":{"code":"x","message":5}})", "not an error body", "message a number"},
    {R"({"data":[],"meta":{}})", "not an error body", "a success envelope"},
    {R"({"error":{"code":"x"})", "not an error body", "cut"},
    {R"({"error":{"code":"x"}} x)", "not an error body", "trailing content"},
    {R"({"message":"Connect Trade's shape"})", "not an error body", "another venue's shape"},
    {R"([])", "not an error body", "not an object"},
};

TEST(json_rest_error, reads_code_and_message_of_an_error_body) {
    for (const error_case& c : error_cases)
        EXPECT_EQ(test::describe_error_body(c.body), c.expected) << c.why;
}

TEST(json_rest_error, refuses_every_proper_prefix) {
    const std::string body = R"({"error":{"code":"not_found","message":"m"}})";
    test::for_every_proper_prefix(body, [&](std::string_view in, size_t n) {
        test::owned_scratch sc(in.size());
        rest_error e;
        EXPECT_FALSE(parse_rest_error(in, sc.s, e)) << n;
    });
}

TEST(json_rest_status, texts_are_short_names) {
    EXPECT_STREQ(to_string(rest_status::ok), "ok");
    EXPECT_STREQ(to_string(rest_status::malformed), "malformed");
    EXPECT_STREQ(to_string(rest_status::not_an_object), "not_an_object");
    EXPECT_STREQ(to_string(rest_status::missing_field), "missing_field");
    EXPECT_STREQ(to_string(rest_status::wrong_type), "wrong_type");
    EXPECT_STREQ(to_string(rest_status::bad_value), "bad_value");
    EXPECT_STREQ(to_string(rest_status::scratch_full), "scratch_full");
    EXPECT_STREQ(to_string(item_status::bad_value), "bad_value");
}

} // namespace
} // namespace ef::json
