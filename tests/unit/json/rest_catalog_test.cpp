// GET /contests and GET /partners: the seed's examples verbatim, then tables
// of list elements (input, expected walk, why): optional members and nulls,
// escapes, timestamps of 3/6/9 digits, missing and mistyped members.
#include "tests/unit/json/rest_describe.hpp"

#include <gtest/gtest.h>

namespace ef::json {
namespace {

// The seed's single-contest example (its response.data), as a list element.
constexpr const char* seed_contest = R"({
  "id": "ct_abc123",
  "league_id": "lg_nfl",
  "title": "Kansas City Chiefs vs. San Francisco 49ers",
  "type": "match",
  "starts_at": "2026-09-07T20:20:00Z",
  "status": "open",
  "tags": { "home_team": "KC", "away_team": "SF" },
  "created_at": "2026-08-01T12:00:00Z",
  "updated_at": "2026-08-15T18:30:00Z"
})";

// The seed's envelope example, with the contest above as its data.
std::string seed_page() {
    return std::string(R"({
  "data": [)") + seed_contest + R"(],
  "pagination": {
    "next_cursor": "2026-04-17T22:00:00.000Z",
    "has_more": true,
    "limit": 50
  },
  "meta": {
    "timestamp": "2026-04-17T22:00:00Z",
    "api_version": "v1"
  }
})";
}

TEST(json_rest_catalog, parses_the_seed_contest_page_verbatim) {
    EXPECT_EQ(test::describe_contests(seed_page()),
              "ok meta=1776463200000000000/v1 page=more cursor=2026-04-17T22:00:00.000Z limit=50 "
              "[ct_abc123 lg_nfl open 1788812400000000000]");
}

TEST(json_rest_catalog, parses_the_seed_partners_example_verbatim) {
    constexpr const char* seed = R"json({
  "data": [
    {
      "partner_id": "p_kalshi",
      "name": "Kalshi",
      "status": "active",
      "credential_fields": [
        { "key": "api_key",         "label": "API Key",           "type": "text",     "required": true },
        { "key": "private_key_pem", "label": "Private Key (PEM)", "type": "textarea", "required": true }
      ]
    }
  ]
})json";
    EXPECT_EQ(test::describe_partners(seed), "ok meta=- page=- [p_kalshi Kalshi active]");
}

struct item_case {
    const char* item;
    const char* expected;
    const char* why;
};

const item_case contest_cases[] = {
    {R"({"id":"c","league_id":"l","status":"open","starts_at":"2026-09-07T20:20:00Z"})",
     "c l open 1788812400000000000", "all members"},
    {R"({"starts_at":"2026-09-07T20:20:00Z","status":"open","league_id":"l","id":"c"})",
     "c l open 1788812400000000000", "any order"},
    {R"({"id":"c","starts_at":"2026-09-07T20:20:00.123Z"})", "c   1788812400123000000",
     "3 digits"},
    {R"({"id":"c","starts_at":"2026-09-07T20:20:00.123456Z"})", "c   1788812400123456000",
     "6 digits"},
    {R"({"id":"c","starts_at":"2026-09-07T20:20:00.123456789Z"})", "c   1788812400123456789",
     "9 digits"},
    {R"({"id":"c"})", "c   -", "only the id"},
    {R"({"id":"c","league_id":null,"status":null,"starts_at":null})", "c   -", "nulls are absent"},
    {R"({"id":"c\u005f1","league_id":"lg\/x","status":"o\u0070en"})", "c_1 lg/x open -",
     "escapes decoded"},
    {R"({"id":"a","id":"b"})", "b   -", "last duplicate wins"},
    {R"({"league_id":"l"})", "!missing_field:id", "id absent"},
    {R"({"id":null})", "!wrong_type:id", "id null"},
    {R"({"id":7})", "!wrong_type:id", "id a number"},
    {R"({"id":"c","league_id":1})", "!wrong_type:league_id", "league a number"},
    {R"({"id":"c","status":{}})", "!wrong_type:status", "status an object"},
    {R"({"id":"c","starts_at":1788812400})", "!wrong_type:starts_at", "unix seconds"},
    {R"({"id":"c","starts_at":"2026-13-07T20:20:00Z"})", "!bad_value:starts_at", "month 13"},
    {R"({"id":"c","starts_at":"soon"})", "!bad_value:starts_at", "not a time"},
    {R"("ct_abc123")", "!wrong_type:", "not an object"},
};

TEST(json_rest_catalog, reads_each_contest_or_names_its_bad_member) {
    for (const item_case& c : contest_cases)
        EXPECT_EQ(test::describe_contests(std::string(R"({"data":[)") + c.item + "]}"),
                  std::string("ok meta=- page=- [") + c.expected + "]")
            << c.why;
}

TEST(json_rest_catalog, a_bad_contest_does_not_stop_the_walk) {
    EXPECT_EQ(test::describe_contests(R"({"data":[{"id":1},{"id":"b"},null,{"id":"c"}]})"),
              "ok meta=- page=- [!wrong_type:id; b   -; !wrong_type:; c   -]");
}

TEST(json_rest_catalog, says_when_a_start_time_was_cut_to_the_nanosecond) {
    const std::string body =
        R"({"data":[{"id":"a","starts_at":"2026-09-07T20:20:00Z"},{"id":"b","starts_at":"2026-09-07T20:20:00.0000000015Z"}]})";
    ef::test::guarded_buffer g(body);
    test::owned_scratch sc(body.size());
    contests_page page;
    rest_diag diag;
    ASSERT_EQ(parse_contests_page(g.view(), sc.s, page, diag), rest_status::ok);
    contest_iterator it = page.contests(sc.s);
    rest_contest c;
    ASSERT_EQ(it.next(c), item_status::ok);
    EXPECT_FALSE(it.timestamp_truncated());
    ASSERT_EQ(it.next(c), item_status::ok);
    EXPECT_EQ(c.starts_at_ns, 1788812400000000001);
    EXPECT_TRUE(it.timestamp_truncated());
    EXPECT_EQ(it.next(c), item_status::end);
}

const item_case partner_cases[] = {
    {R"({"partner_id":"p_kalshi","name":"Kalshi","status":"active"})", "p_kalshi Kalshi active",
     "all members"},
    {R"({"partner_id":"p_x"})", "p_x  ", "name and status optional"},
    {R"({"partner_id":"p_x","name":null,"status":null})", "p_x  ", "nulls are absent"},
    {R"({"status":"active","name":"Poly\u006Darket","partner_id":"p_poly"})",
     "p_poly Polymarket active", "order and escapes"},
    {R"({"name":"Kalshi"})", "!missing_field:partner_id", "id absent"},
    {R"({"partner_id":false})", "!wrong_type:partner_id", "id a bool"},
    {R"({"partner_id":"p","name":["K"]})", "!wrong_type:name", "name an array"},
    {R"({"partner_id":"p","status":1})", "!wrong_type:status", "status a number"},
    {R"([])", "!wrong_type:", "not an object"},
};

TEST(json_rest_catalog, reads_each_partner_or_names_its_bad_member) {
    for (const item_case& c : partner_cases)
        EXPECT_EQ(test::describe_partners(std::string(R"({"data":[)") + c.item + "]}"),
                  std::string("ok meta=- page=- [") + c.expected + "]")
            << c.why;
}

TEST(json_rest_catalog, refuses_list_data_that_is_not_an_array) {
    EXPECT_EQ(test::describe_contests(R"({"data":{"id":"c"}})"), "wrong_type field=data");
    EXPECT_EQ(test::describe_partners(R"({"data":"p_kalshi"})"), "wrong_type field=data");
}

TEST(json_rest_catalog, iterators_over_cut_text_report_malformed_and_end) {
    test::for_every_proper_prefix(R"([{"id":"a"},{"id":"b","starts_at":null}])",
                                  [&](std::string_view in, size_t n) {
                                      test::owned_scratch sc(in.size());
                                      const std::string walk = test::walk<rest_contest>(
                                          contest_iterator(in, sc.s),
                                          [](const auto&) { return std::string("ok"); });
                                      EXPECT_NE(walk.find("!malformed"), std::string::npos)
                                          << n << ": " << walk;
                                  });
    test::for_every_proper_prefix(R"([{"partner_id":"a"},{"partner_id":"b"}])",
                                  [&](std::string_view in, size_t n) {
                                      test::owned_scratch sc(in.size());
                                      const std::string walk = test::walk<rest_partner>(
                                          partner_iterator(in, sc.s),
                                          [](const auto&) { return std::string("ok"); });
                                      EXPECT_NE(walk.find("!malformed"), std::string::npos)
                                          << n << ": " << walk;
                                  });
}

} // namespace
} // namespace ef::json
