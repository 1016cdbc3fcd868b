// GET /depth/:position_hash: the seed's example verbatim, then tables of the
// answer's own members, of partners and of levels (input, expected, why):
// amounts in every form, optional best price and total, nulls, timestamps of
// 3/6/9 digits, missing and mistyped members, and walks over cut text.
#include "tests/unit/json/rest_describe.hpp"

#include <gtest/gtest.h>

namespace ef::json {
namespace {

constexpr const char* seed_data = R"({
  "position_hash": "ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full",
  "partners": [
    {
      "partner_id": "kalshi",
      "partner_name": "Kalshi",
      "levels": [
        { "price": 0.49, "available": 2100 },
        { "price": 0.48, "available": 3300 }
      ],
      "total_available": 5400,
      "best_price": 0.49,
      "fetched_at": "2026-04-17T22:00:00Z"
    }
  ],
  "fetched_at": "2026-04-17T22:00:00Z"
})";

std::string body_of(const std::string& data) {
    return R"({"data":)" + data + R"(,"meta":{"timestamp":"2026-04-17T22:00:00Z","api_version":"v1"}})";
}

TEST(json_rest_depth, parses_the_seed_example_verbatim) {
    EXPECT_EQ(test::describe_depth(body_of(seed_data)),
              "ok meta=1776463200000000000/v1 ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full at "
              "1776463200000000000 [kalshi/Kalshi best=490000000 total=5400000000000 at "
              "1776463200000000000 [490000000x2100000000000; 480000000x3300000000000]]");
}

struct depth_case {
    const char* data;
    const char* expected;
    const char* why;
};

const depth_case answer_cases[] = {
    {R"({"position_hash":"h","partners":[],"fetched_at":"2026-04-17T22:00:00.123Z"})",
     "ok meta=1776463200000000000/v1 h at 1776463200123000000 []", "3 digits, no partners"},
    {R"({"fetched_at":"2026-04-17T22:00:00.123456Z","partners":[],"position_hash":"h"})",
     "ok meta=1776463200000000000/v1 h at 1776463200123456000 []", "6 digits, any order"},
    {R"({"position_hash":"h","partners":[],"fetched_at":"2026-04-17T22:00:00.123456789Z"})",
     "ok meta=1776463200000000000/v1 h at 1776463200123456789 []", "9 digits"},
    {R"({"position_hash":"ct\u003am","partners":[],"fetched_at":"2026-04-17T22:00:00Z"})",
     "ok meta=1776463200000000000/v1 ct:m at 1776463200000000000 []", "escaped hash"},
    {R"({"partners":[],"fetched_at":"2026-04-17T22:00:00Z"})",
     "missing_field field=data.position_hash", "hash absent"},
    {R"({"position_hash":null,"partners":[],"fetched_at":"2026-04-17T22:00:00Z"})",
     "wrong_type field=data.position_hash", "hash null"},
    {R"({"position_hash":"h","fetched_at":"2026-04-17T22:00:00Z"})",
     "missing_field field=data.partners", "partners absent"},
    {R"({"position_hash":"h","partners":{},"fetched_at":"2026-04-17T22:00:00Z"})",
     "wrong_type field=data.partners", "partners an object"},
    {R"({"position_hash":"h","partners":[]})", "missing_field field=data.fetched_at",
     "time absent"},
    {R"({"position_hash":"h","partners":[],"fetched_at":null})",
     "wrong_type field=data.fetched_at", "time null"},
    {R"({"position_hash":"h","partners":[],"fetched_at":"2026-04-17T24:00:00Z"})",
     "bad_value field=data.fetched_at time=invalid_date", "hour 24"},
    {R"([])", "wrong_type field=data", "data an array"},
};

TEST(json_rest_depth, reads_the_answer_or_names_its_bad_member) {
    for (const depth_case& c : answer_cases)
        EXPECT_EQ(test::describe_depth(body_of(c.data)), c.expected) << c.why;
}

TEST(json_rest_depth, says_when_the_answer_time_was_cut_to_the_nanosecond) {
    EXPECT_EQ(test::describe_depth(body_of(
                  R"({"position_hash":"h","partners":[],"fetched_at":"2026-04-17T22:00:00.9999999999Z"})")),
              "ok meta=1776463200000000000/v1 h at 1776463200999999999 [] truncated");
}

// One partner element, inside an answer.
std::string with_partner(const std::string& partner) {
    return body_of(R"({"position_hash":"h","partners":[)" + partner +
                   R"(],"fetched_at":"2026-04-17T22:00:00Z"})");
}

const depth_case partner_cases[] = {
    {R"({"partner_id":"k","levels":[],"fetched_at":"2026-04-17T22:00:00Z"})",
     "k/ best=- total=- at 1776463200000000000 []", "empty book: best and total optional"},
    {R"({"partner_id":"k","levels":[],"best_price":null,"total_available":null,"partner_name":null,"fetched_at":"2026-04-17T22:00:00Z"})",
     "k/ best=- total=- at 1776463200000000000 []", "nulls are absent"},
    {R"({"fetched_at":"2026-04-17T22:00:00.5Z","best_price":"0.5","total_available":"1e2","levels":[],"partner_id":"k","partner_name":"K\u00e9"})",
     "k/K\xc3\xa9 best=500000000 total=100000000000 at 1776463200500000000 []",
     "strings, escapes, order"},
    {R"({"levels":[],"fetched_at":"2026-04-17T22:00:00Z"})", "!missing_field:partner_id",
     "partner absent"},
    {R"({"partner_id":"k","fetched_at":"2026-04-17T22:00:00Z"})", "!missing_field:levels",
     "levels absent"},
    {R"({"partner_id":"k","levels":null,"fetched_at":"2026-04-17T22:00:00Z"})",
     "!wrong_type:levels", "levels null"},
    {R"({"partner_id":"k","levels":[]})", "!missing_field:fetched_at", "time absent"},
    {R"({"partner_id":"k","levels":[],"fetched_at":"2026-04-17 22:00:00"})",
     "!bad_value:fetched_at", "a space for T"},
    {R"({"partner_id":"k","levels":[],"fetched_at":"2026-04-17T22:00:00Z","partner_name":5})",
     "!wrong_type:partner_name", "name a number"},
    {R"({"partner_id":"k","levels":[],"fetched_at":"2026-04-17T22:00:00Z","best_price":true})",
     "!wrong_type:best_price", "best a bool"},
    {R"({"partner_id":"k","levels":[],"fetched_at":"2026-04-17T22:00:00Z","best_price":1e-10})",
     "!inexact:best_price", "best over-precise"},
    {R"({"partner_id":"k","levels":[],"fetched_at":"2026-04-17T22:00:00Z","total_available":1e19})",
     "!out_of_range:total_available", "total huge"},
    {R"(7)", "!wrong_type:", "not an object"},
};

TEST(json_rest_depth, reads_each_partner_or_names_its_bad_member) {
    for (const depth_case& c : partner_cases)
        EXPECT_EQ(test::describe_depth(with_partner(c.data)),
                  std::string("ok meta=1776463200000000000/v1 h at 1776463200000000000 [") +
                      c.expected + "]")
            << c.why;
}

// One level element, in a partner's levels.
std::string with_level(const std::string& level) {
    return with_partner(R"({"partner_id":"k","fetched_at":"2026-04-17T22:00:00Z","levels":[)" +
                        level + "]}");
}

const depth_case level_cases[] = {
    {R"({"price":0.49,"available":2100})", "490000000x2100000000000", "seed form"},
    {R"({"available":2100,"price":0.49})", "490000000x2100000000000", "any order"},
    {R"({"price":4.9e-1,"available":2.1E3})", "490000000x2100000000000", "exponents"},
    {R"({"price":"0.49","available":"2100.000"})", "490000000x2100000000000", "strings"},
    {R"({"price":0.123456789,"available":0})", "123456789x0", "nine decimals; zero"},
    {R"({"price":0.1234567891,"available":1})", "!inexact:price", "ten decimals"},
    {R"({"price":1,"available":-9223372037})", "!out_of_range:available", "below INT64_MIN"},
    {R"({"price":null,"available":1})", "!wrong_type:price", "price null"},
    {R"({"price":1})", "!missing_field:available", "available absent"},
    {R"({"available":1})", "!missing_field:price", "price absent"},
    {R"({"price":"x","available":1})", "!bad_number:price", "not a number"},
    {R"([0.49,2100])", "!wrong_type:", "a pair, not an object"},
};

TEST(json_rest_depth, reads_each_level_exactly_or_names_its_bad_member) {
    for (const depth_case& c : level_cases)
        EXPECT_EQ(test::describe_depth(with_level(c.data)),
                  std::string("ok meta=1776463200000000000/v1 h at 1776463200000000000 [k/ "
                              "best=- total=- at 1776463200000000000 [") +
                      c.expected + "]]")
            << c.why;
}

TEST(json_rest_depth, bad_partners_and_levels_do_not_stop_their_walks) {
    EXPECT_EQ(
        test::describe_depth(body_of(
            R"({"position_hash":"h","fetched_at":"2026-04-17T22:00:00Z","partners":[{"partner_id":"a"},{"partner_id":"b","fetched_at":"2026-04-17T22:00:00Z","levels":[{"price":1},{"price":1,"available":2}]}]})")),
        "ok meta=1776463200000000000/v1 h at 1776463200000000000 [!missing_field:levels; b/ "
        "best=- total=- at 1776463200000000000 [!missing_field:available; "
        "1000000000x2000000000]]");
}

TEST(json_rest_depth, says_when_a_partner_time_was_cut_to_the_nanosecond) {
    const std::string body = with_partner(
        R"({"partner_id":"k","levels":[],"fetched_at":"2026-04-17T22:00:00.00000000001Z"})");
    ef::test::guarded_buffer g(body);
    test::owned_scratch sc(body.size());
    depth_answer a;
    rest_diag diag;
    ASSERT_EQ(parse_depth(g.view(), sc.s, a, diag), rest_status::ok);
    EXPECT_FALSE(diag.timestamp_truncated);
    depth_partner_iterator it = a.partners(sc.s);
    rest_depth_partner p;
    ASSERT_EQ(it.next(p), item_status::ok);
    EXPECT_EQ(p.fetched_at_ns, 1776463200000000000);
    EXPECT_TRUE(it.timestamp_truncated());
}

TEST(json_rest_depth, iterators_over_cut_text_report_malformed_and_end) {
    test::for_every_proper_prefix(
        R"([{"partner_id":"k","levels":[],"fetched_at":"2026-04-17T22:00:00Z"},{"partner_id":"j","levels":[],"fetched_at":"2026-04-17T22:00:00Z"}])",
        [&](std::string_view in, size_t n) {
            test::owned_scratch sc(in.size());
            const std::string walk = test::walk<rest_depth_partner>(
                depth_partner_iterator(in, sc.s), [](const auto&) { return std::string("ok"); });
            EXPECT_NE(walk.find("!malformed"), std::string::npos) << n << ": " << walk;
        });
    test::for_every_proper_prefix(R"([{"price":0.49,"available":1},{"price":"1","available":2}])",
                                  [&](std::string_view in, size_t n) {
                                      test::owned_scratch sc(in.size());
                                      const std::string walk = test::walk<rest_depth_level>(
                                          depth_level_iterator(in, sc.s, 5),
                                          [](const auto&) { return std::string("ok"); });
                                      EXPECT_NE(walk.find("!malformed"), std::string::npos)
                                          << n << ": " << walk;
                                  });
}

} // namespace
} // namespace ef::json
