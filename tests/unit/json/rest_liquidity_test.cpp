// GET /contests/:id/liquidity: the seed's position verbatim, then tables of
// positions and partner quotes (input, expected walk, why): amounts in every
// JSON number form and as strings, escapes, nulls, missing members, wrong
// types, huge and over-precise numbers; and the lazy walks over cut text.
#include "tests/unit/json/rest_describe.hpp"

#include <gtest/gtest.h>

namespace ef::json {
namespace {

std::string snapshot(const std::string& positions_array) {
    return R"({"data":)" + positions_array + R"(,"meta":{"timestamp":"2026-04-17T22:00:00Z"}})";
}

// One position around `quote` (a partner_liquidities element).
std::string with_quote(const std::string& quote) {
    return snapshot(R"([{"position_hash":"h","partner_liquidities":[)" + quote + "]}]");
}

constexpr const char* seed_position = R"({
  "position_hash": "ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full",
  "contest_id": "ct_abc123",
  "title": "Kansas City Chiefs — Moneyline",
  "market_key": "moneyline",
  "side_key": "home",
  "participant_id": "p_kc",
  "consensus_price": 0.52,
  "partner_liquidities": [
    {
      "partner_id": "kalshi",
      "partner_name": "Kalshi",
      "price": 0.49,
      "american_odds": "+104",
      "available": 5400
    }
  ]
})";

TEST(json_rest_liquidity, parses_the_seed_position_verbatim) {
    EXPECT_EQ(test::describe_liquidity(snapshot(std::string("[") + seed_position + "]")),
              "ok meta=1776463200000000000 positions=[ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full "
              "in ct_abc123 [kalshi 490000000 5400000000000]]");
}

struct quote_case {
    const char* quote;    // one partner_liquidities element
    const char* expected; // its walk
    const char* why;
};

const quote_case quote_cases[] = {
    {R"({"partner_id":"kalshi","price":0.49,"available":5400})",
     "[kalshi 490000000 5400000000000]", "seed form"},
    {R"({"available":5400,"price":0.49,"partner_id":"kalshi"})",
     "[kalshi 490000000 5400000000000]", "any member order"},
    {R"({"partner_id":"k","price":4.9e-1,"available":5400.0})", "[k 490000000 5400000000000]",
     "exponent; integral value with a fraction part"},
    {R"({"partner_id":"k","price":4.9E-1,"available":54E2})", "[k 490000000 5400000000000]",
     "capital E"},
    {R"({"partner_id":"k","price":49e-2,"available":5.4e+3})", "[k 490000000 5400000000000]",
     "integer mantissa, explicit plus"},
    {R"({"partner_id":"k","price":0.490000000000,"available":0.0054e6})",
     "[k 490000000 5400000000000]", "trailing zeros below 1e-9 are exact"},
    {R"({"partner_id":"k","price":0.49e0,"available":540000e-2})",
     "[k 490000000 5400000000000]", "zero exponent"},
    {R"({"partner_id":"k","price":"0.49","available":"5400"})", "[k 490000000 5400000000000]",
     "amounts as strings"},
    {R"({"partner_id":"k","price":"4.9e-1","available":"5.4E3"})",
     "[k 490000000 5400000000000]", "strings holding exponents"},
    {R"({"partner_id":"k","price":"0.4\u0039","available":"54\u00300"})",
     "[k 490000000 5400000000000]", "strings with escapes are decoded first"},
    {R"({"partner_id":"k","price":0,"available":-0})", "[k 0 0]", "zero and minus zero"},
    {R"({"partner_id":"k","price":1e-9,"available":0.000000001})", "[k 1 1]", "one unit"},
    {R"({"partner_id":"k","price":9223372036.854775807,"available":-9223372036.854775808})",
     "[k 9223372036854775807 -9223372036854775808]", "the int64 limits"},
    {R"({"partner_id":"k","price":1e-10,"available":1})", "[!inexact:price]",
     "below 1e-9 cannot be held exactly"},
    {R"({"partner_id":"k","price":0.49,"available":9223372036.854775808})",
     "[!out_of_range:available]", "one past INT64_MAX"},
    {R"({"partner_id":"k","price":1e30,"available":1})", "[!out_of_range:price]", "huge"},
    {R"({"partner_id":"k","price":123456789012345678901234567890,"available":1})",
     "[!out_of_range:price]", "huge integer"},
    {R"({"partner_id":"k","price":"1e400","available":1})", "[!out_of_range:price]",
     "huge, in a string"},
    {R"({"partner_id":"k","price":"abc","available":1})", "[!bad_number:price]",
     "a string that is no number"},
    {R"({"partner_id":"k","price":"","available":1})", "[!bad_number:price]", "empty string"},
    {R"({"partner_id":"k","price":" 0.49","available":1})", "[!bad_number:price]",
     "whitespace inside the quotes"},
    {R"({"partner_id":"k","price":"0x1F","available":1})", "[!bad_number:price]", "hex"},
    {R"({"partner_id":"k","price":null,"available":1})", "[!wrong_type:price]",
     "required and null"},
    {R"({"partner_id":"k","price":true,"available":1})", "[!wrong_type:price]", "a bool"},
    {R"({"partner_id":"k","price":[0.49],"available":1})", "[!wrong_type:price]", "an array"},
    {R"({"partner_id":"k","available":1})", "[!missing_field:price]", "price absent"},
    {R"({"partner_id":"k","price":1})", "[!missing_field:available]", "available absent"},
    {R"({"price":1,"available":1})", "[!missing_field:partner_id]", "partner absent"},
    {R"({"partner_id":null,"price":1,"available":1})", "[!wrong_type:partner_id]",
     "partner null"},
    {R"({"partner_id":7,"price":1,"available":1})", "[!wrong_type:partner_id]",
     "partner a number"},
    {R"({"partner_id":"kal\u0073hi\/x","price":1,"available":1})",
     "[kalshi/x 1000000000 1000000000]", "escaped partner decoded"},
    {R"({"p\u0061rtner_id":"k","pr\u0069ce":1,"available":1})", "[k 1000000000 1000000000]",
     "escaped keys"},
    {R"({"partner_id":"a","price":1,"available":1,"partner_id":"b","price":"2"})",
     "[b 2000000000 1000000000]", "last duplicate wins"},
    {R"({"partner_id":"k","price":1,"available":1,"x":{"price":5},"partner_name":null})",
     "[k 1000000000 1000000000]", "unknown members of any type"},
    {R"({})", "[!missing_field:partner_id]", "empty object"},
    {R"(5)", "[!wrong_type:]", "not an object"},
    {R"("kalshi")", "[!wrong_type:]", "a string"},
    {R"(null)", "[!wrong_type:]", "null element"},
    {R"([{"partner_id":"k","price":1,"available":1}])", "[!wrong_type:]", "nested array"},
};

TEST(json_rest_liquidity, reads_each_partner_quote_exactly_or_names_its_bad_member) {
    for (const quote_case& c : quote_cases)
        EXPECT_EQ(test::describe_liquidity(with_quote(c.quote)),
                  std::string("ok meta=1776463200000000000 positions=[h ") + c.expected + "]")
            << c.why << "\n" << c.quote;
}

TEST(json_rest_liquidity, a_bad_quote_does_not_stop_the_walk) {
    EXPECT_EQ(test::describe_liquidity(with_quote(
                  R"({"partner_id":"a","price":1e-12,"available":1},7,{"partner_id":"b","price":1,"available":2})")),
              "ok meta=1776463200000000000 positions=[h [!inexact:price; !wrong_type:; b "
              "1000000000 2000000000]]");
}

struct position_case {
    const char* position; // one data element
    const char* expected; // its part of the walk
    const char* why;
};

const position_case position_cases[] = {
    {R"({"position_hash":"h","contest_id":"ct","partner_liquidities":[]})", "h in ct []",
     "no quotes"},
    {R"({"partner_liquidities":[],"position_hash":"h"})", "h []", "contest_id optional"},
    {R"({"position_hash":"h","contest_id":null,"partner_liquidities":[]})", "h []",
     "contest_id null is absent"},
    {R"({"position_hash":"ct\u005fa:m:s:v:p:t","partner_liquidities":[]})", "ct_a:m:s:v:p:t []",
     "escaped hash"},
    {R"({"contest_id":"ct","partner_liquidities":[]})", "!missing_field:position_hash",
     "hash absent"},
    {R"({"position_hash":null,"partner_liquidities":[]})", "!wrong_type:position_hash",
     "hash null"},
    {R"({"position_hash":["h"],"partner_liquidities":[]})", "!wrong_type:position_hash",
     "hash an array"},
    {R"({"position_hash":"h"})", "!missing_field:partner_liquidities", "quotes absent"},
    {R"({"position_hash":"h","partner_liquidities":null})", "!wrong_type:partner_liquidities",
     "quotes null"},
    {R"({"position_hash":"h","partner_liquidities":{}})", "!wrong_type:partner_liquidities",
     "quotes an object"},
    {R"({"position_hash":"h","contest_id":5,"partner_liquidities":[]})",
     "!wrong_type:contest_id", "contest_id a number"},
    {R"([])", "!wrong_type:", "not an object"},
};

TEST(json_rest_liquidity, reads_each_position_or_names_its_bad_member) {
    for (const position_case& c : position_cases)
        EXPECT_EQ(test::describe_liquidity(snapshot(std::string("[") + c.position + "]")),
                  std::string("ok meta=1776463200000000000 positions=[") + c.expected + "]")
            << c.why;
}

TEST(json_rest_liquidity, a_bad_position_does_not_stop_the_walk) {
    EXPECT_EQ(test::describe_liquidity(snapshot(
                  R"([{"partner_liquidities":[]},{"position_hash":"h","partner_liquidities":[]}])")),
              "ok meta=1776463200000000000 positions=[!missing_field:position_hash; h []]");
}

TEST(json_rest_liquidity, requires_the_snapshot_time_to_order_it_against_the_stream) {
    EXPECT_EQ(test::describe_liquidity(R"({"data":[]})"), "missing_field field=meta.timestamp");
    EXPECT_EQ(test::describe_liquidity(R"({"data":[],"meta":null})"),
              "missing_field field=meta.timestamp");
    EXPECT_EQ(test::describe_liquidity(R"({"data":[],"meta":{"timestamp":null}})"),
              "missing_field field=meta.timestamp");
    EXPECT_EQ(test::describe_liquidity(R"({"data":[],"meta":{"timestamp":"2026-04-17"}})"),
              "bad_value field=meta.timestamp time=malformed");
}

TEST(json_rest_liquidity, refuses_data_that_is_not_an_array) {
    EXPECT_EQ(test::describe_liquidity(R"({"data":{},"meta":{"timestamp":"2026-04-17T22:00:00Z"}})"),
              "wrong_type field=data");
}

TEST(json_rest_liquidity, keeps_walking_positions_past_a_thousand) {
    std::string arr = "[";
    for (int i = 0; i < 1500; ++i)
        arr += std::string(i ? "," : "") +
               R"({"position_hash":"h","partner_liquidities":[{"partner_id":"k","price":0.5,"available":)" +
               std::to_string(i) + "}]}";
    arr += "]";
    const std::string body = snapshot(arr);
    ef::test::guarded_buffer g(body);
    test::owned_scratch sc(body.size());
    liquidity_snapshot snap;
    rest_diag diag;
    ASSERT_EQ(parse_liquidity_snapshot(g.view(), sc.s, snap, diag), rest_status::ok);
    position_iterator it = snap.positions(sc.s);
    rest_position p;
    int64_t sum = 0, n = 0;
    item_status st;
    while ((st = it.next(p)) == item_status::ok) {
        partner_liquidity_iterator q = p.partners(sc.s);
        rest_partner_liquidity pl;
        while (q.next(pl) == item_status::ok)
            sum += pl.available_e9;
        ++n;
    }
    EXPECT_EQ(st, item_status::end);
    EXPECT_EQ(n, 1500);
    EXPECT_EQ(sum, int64_t{1499} * 1500 / 2 * 1'000'000'000);
}

// The iterators also take array text the envelope pass never saw: cut
// anywhere, a walk reports malformed once and then ends, never reading past
// the text.
TEST(json_rest_liquidity, iterators_over_cut_text_report_malformed_and_end) {
    const std::string arr =
        R"([{"partner_id":"k","price":0.49,"available":1},{"partner_id":"p","price":"1","available":2}])";
    test::for_every_proper_prefix(arr, [&](std::string_view in, size_t n) {
        test::owned_scratch sc(in.size());
        const std::string walk =
            test::walk<rest_partner_liquidity>(partner_liquidity_iterator(in, sc.s, 4),
                                               [](const auto&) { return std::string("ok"); });
        EXPECT_NE(walk.find("!malformed"), std::string::npos) << n << ": " << walk;
        EXPECT_EQ(walk.find("endless"), std::string::npos) << n;
    });
    test::for_every_proper_prefix(
        R"([{"position_hash":"h","partner_liquidities":[]},{"position_hash":"i","partner_liquidities":[]}])",
        [&](std::string_view in, size_t n) {
            test::owned_scratch sc(in.size());
            const std::string walk = test::walk<rest_position>(
                position_iterator(in, sc.s), [](const auto&) { return std::string("ok"); });
            EXPECT_NE(walk.find("!malformed"), std::string::npos) << n << ": " << walk;
        });
}

TEST(json_rest_liquidity, an_iterator_over_text_with_trailing_garbage_reports_malformed) {
    test::owned_scratch sc(64);
    for (const char* text : {"[1] ", "[1]x", "[1,]", "[1 2]", "{}", "[", "]"}) {
        const std::string walk = test::walk<rest_partner_liquidity>(
            partner_liquidity_iterator(text, sc.s, 4), [](const auto&) { return std::string("ok"); });
        EXPECT_NE(walk.find("!malformed"), std::string::npos) << text << ": " << walk;
    }
}

TEST(json_rest_liquidity, a_default_iterator_is_at_its_end) {
    partner_liquidity_iterator q;
    rest_partner_liquidity pl;
    EXPECT_EQ(q.next(pl), item_status::end);
    position_iterator p;
    rest_position pos;
    EXPECT_EQ(p.next(pos), item_status::end);
}

} // namespace
} // namespace ef::json
