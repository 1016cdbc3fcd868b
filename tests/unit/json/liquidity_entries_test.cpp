// changed_entries of liquidity.update: member orders and styles, every number
// form, per-entry errors (which never stop the walk), escapes, duplicates,
// and the boundary between entries parsed in the validating pass and those
// parsed lazily afterwards.
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

const std::string hash1 = "kalshi:ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full";

std::vector<member> entry(const std::string& price = "0.49",
                          const std::string& available = "5400") {
    return {{"liquidity_hash", quoted(hash1)},
            {"partner_id", quoted("kalshi")},
            {"price", price},
            {"available", available}};
}

std::string update_with(const std::vector<std::string>& entries, style st = style::compact) {
    return render({{"type", quoted("liquidity.update")},
                   {"contest_id", quoted("ct_abc123")},
                   {"changed_entries", render_array(entries, st)},
                   {"refresh_required", "false"},
                   {"timestamp", quoted("2026-04-17T22:00:01.234Z")}},
                  st);
}

const std::string prefix =
    "ok liquidity.update contest=ct_abc123 time=1776463201234000000 refresh=0 entries=";

std::string entries_of(const std::vector<std::string>& entries, style st = style::compact) {
    const std::string d = test::describe(update_with(entries, st));
    if (d.rfind(prefix, 0) != 0) return "NOT OK: " + d;
    return d.substr(prefix.size());
}

const std::string ok1 = hash1 + " kalshi 490000000 5400000000000";

TEST(json_liquidity_entries, parses_every_member_order_in_every_style) {
    for (const style st : test::all_styles) {
        const std::vector<member> ms = entry();
        std::vector<size_t> order(ms.size());
        std::iota(order.begin(), order.end(), 0);
        do {
            std::vector<member> shuffled;
            for (const size_t i : order)
                shuffled.push_back(ms[i]);
            EXPECT_EQ(entries_of({render(shuffled, st)}, st), "[" + ok1 + "]");
        } while (std::next_permutation(order.begin(), order.end()));
    }
}

struct number_case {
    const char* json;
    const char* e9; // expected, or "!status" for a per-entry error
};

const number_case number_cases[] = {
    {"0.49", "490000000"},
    {"4.9e-1", "490000000"},
    {"49E-2", "490000000"},
    {"0.490", "490000000"},
    {"0.4900000000000", "490000000"},
    {"5400", "5400000000000"},
    {"5400.0", "5400000000000"},
    {"5.4e3", "5400000000000"},
    {"5.4E+3", "5400000000000"},
    {"0", "0"},
    {"-0", "0"},
    {"1e-9", "1"},
    {"-1.5", "-1500000000"},
    {"\"0.49\"", "490000000"},
    {"\"4.9e-1\"", "490000000"},
    {"\"\\u0030.49\"", "490000000"},
    {"1.5e-10", "!inexact"},
    {"0.0000000001", "!inexact"},
    {"1e10", "!out_of_range"},
    {"9223372036.854775808", "!out_of_range"},
    {"\"abc\"", "!bad_number"},
    {"\"\"", "!bad_number"},
    {"\" 1\"", "!bad_number"},
    {"\"1.\"", "!bad_number"},
    {"\"1e-10\"", "!inexact"},
    {"true", "!wrong_type"},
    {"null", "!wrong_type"},
    {"[1]", "!wrong_type"},
    {"{\"v\":1}", "!wrong_type"},
};

TEST(json_liquidity_entries, converts_every_number_form_exactly_for_price_and_available) {
    for (const number_case& c : number_cases) {
        const bool ok = c.e9[0] != '!';
        const std::string err = ok ? "" : std::string(c.e9 + 1);
        const std::string want_price = ok ? "[" + hash1 + " kalshi " + c.e9 + " 5400000000000]"
                                          : "[!" + err + ":price hash=" + hash1 + "]";
        EXPECT_EQ(entries_of({render(entry(c.json, "5400"))}), want_price) << c.json;
        const std::string want_available = ok ? "[" + hash1 + " kalshi 490000000 " + c.e9 + "]"
                                              : "[!" + err + ":available hash=" + hash1 + "]";
        EXPECT_EQ(entries_of({render(entry("0.49", c.json))}), want_available) << c.json;
    }
}

TEST(json_liquidity_entries, reports_each_missing_member_by_name_and_goes_on) {
    for (const char* key : {"liquidity_hash", "partner_id", "price", "available"}) {
        const std::string bad = render(test::without(entry(), key));
        const std::string hash = std::string(key) == "liquidity_hash" ? "" : " hash=" + hash1;
        EXPECT_EQ(entries_of({render(entry()), bad, render(entry())}),
                  "[" + ok1 + "; !missing_field:" + key + hash + "; " + ok1 + "]")
            << key;
    }
}

TEST(json_liquidity_entries, reports_string_members_of_the_wrong_type) {
    for (const char* key : {"liquidity_hash", "partner_id"})
        for (const char* v : {"5", "null", "true", "[]", "{}"}) {
            const std::string bad = render(test::with(entry(), key, v));
            const std::string hash = std::string(key) == "liquidity_hash" ? "" : " hash=" + hash1;
            EXPECT_EQ(entries_of({bad, render(entry())}),
                      "[!wrong_type:" + std::string(key) + hash + "; " + ok1 + "]")
                << key << "=" << v;
        }
}

TEST(json_liquidity_entries, reports_elements_that_are_not_objects) {
    EXPECT_EQ(
        entries_of(
            {"1", "\"x\"", "null", "[]", "[" + render(entry()) + "]", "true", render(entry())}),
        "[!wrong_type:; !wrong_type:; !wrong_type:; !wrong_type:; !wrong_type:; !wrong_type:; " +
            ok1 + "]");
}

TEST(json_liquidity_entries, an_empty_object_lacks_the_hash_first) {
    EXPECT_EQ(entries_of({"{}"}), "[!missing_field:liquidity_hash]");
}

TEST(json_liquidity_entries, ignores_unknown_members_of_every_type_at_every_position) {
    const std::vector<member> ms = entry();
    for (const std::string& v : test::unknown_values())
        for (size_t at = 0; at <= ms.size(); ++at)
            for (const char* key :
                 {"partner_name", "american_odds", "pric", "prices", "\\u0070", "Price"}) {
                std::vector<member> extra = ms;
                extra.insert(extra.begin() + static_cast<ptrdiff_t>(at), member{key, v});
                EXPECT_EQ(entries_of({render(extra)}), "[" + ok1 + "]") << render(extra);
            }
}

TEST(json_liquidity_entries, decodes_escaped_keys_and_values) {
    const std::vector<member> ms = {{"liquidity\\u005fhash", quoted("kalshi\\u003act_abc123\\/x")},
                                    {"partner\\u005Fid", quoted("kal\\u0073hi\\uD83D\\uDE00")},
                                    {"pr\\u0069ce", "0.49"},
                                    {"\\u0061vailable", quoted("5\\u00340\\u0030")}};
    EXPECT_EQ(entries_of({render(ms)}),
              "[kalshi:ct_abc123/x kalshi\xf0\x9f\x98\x80 490000000 5400000000000]");
}

TEST(json_liquidity_entries, keeps_the_last_of_duplicate_members) {
    std::vector<member> ms = entry();
    ms.insert(ms.begin(), member{"price", "\"junk\""});
    ms.push_back(member{"available", "12"});
    ms.push_back(member{"partner_id", quoted("novig")});
    EXPECT_EQ(entries_of({render(ms)}), "[" + hash1 + " novig 490000000 12000000000]");
    std::vector<member> late_bad = entry();
    late_bad.push_back(member{"price", "true"});
    EXPECT_EQ(entries_of({render(late_bad)}), "[!wrong_type:price hash=" + hash1 + "]");
}

TEST(json_liquidity_entries, the_last_changed_entries_member_is_the_one_walked) {
    const std::string msg =
        render({{"changed_entries", render_array({render(entry("0.1"))})},
                {"type", quoted("liquidity.update")},
                {"contest_id", quoted("ct_abc123")},
                {"refresh_required", "false"},
                {"timestamp", quoted("2026-04-17T22:00:01.234Z")},
                {"changed_entries", render_array({render(entry("0.2")), render(entry("0.3"))})}});
    EXPECT_EQ(test::describe(msg), prefix + "[" + hash1 + " kalshi 200000000 5400000000000; " +
                                       hash1 + " kalshi 300000000 5400000000000]");
}

TEST(json_liquidity_entries, refresh_required_comes_with_an_empty_list) {
    const std::string msg = render({{"type", quoted("liquidity.update")},
                                    {"contest_id", quoted("ct_abc123")},
                                    {"changed_entries", "[ ]"},
                                    {"refresh_required", "true"},
                                    {"timestamp", quoted("2026-04-17T22:00:01.234Z")}});
    EXPECT_EQ(
        test::describe(msg),
        "ok liquidity.update contest=ct_abc123 time=1776463201234000000 refresh=1 entries=[]");
}

// n entries; every 7th is missing its price and every 11th is not an object,
// so errors fall on both sides of the cached/lazy boundary.
std::pair<std::vector<std::string>, std::string> many(size_t n) {
    std::vector<std::string> items;
    std::string want = "[";
    for (size_t i = 0; i < n; ++i) {
        if (i) want += "; ";
        const std::string h = "p" + std::to_string(i) + ":ct:mk:s:v:p:tf";
        const std::string price = "0." + std::to_string(10 + i % 89);
        std::vector<member> ms = {{"liquidity_hash", quoted(h)},
                                  {"partner_id", quoted("p")},
                                  {"price", price},
                                  {"available", std::to_string(i)}};
        if (i % 11 == 5) {
            items.push_back("[" + std::to_string(i) + "]");
            want += "!wrong_type:";
        } else if (i % 7 == 3) {
            items.push_back(render(test::without(ms, "price")));
            want += "!missing_field:price hash=" + h;
        } else {
            items.push_back(render(ms));
            want += h + " p " + std::to_string((10 + i % 89) * 10000000) + " " +
                    std::to_string(i * 1000000000ull);
        }
    }
    return {items, want + "]"};
}

TEST(json_liquidity_entries, walks_entries_on_both_sides_of_the_eager_capacity) {
    for (const size_t n :
         {size_t{0}, size_t{1}, size_t{eager_entry_capacity - 1}, size_t{eager_entry_capacity},
          size_t{eager_entry_capacity + 1}, size_t{40}, size_t{200}}) {
        const auto [items, want] = many(n);
        for (const style st : {style::compact, style::lines})
            EXPECT_EQ(entries_of(items, st), want) << n << " entries";
    }
}

TEST(json_liquidity_entries, a_lazy_walk_over_the_array_text_sees_the_same_entries) {
    const auto [items, want] = many(45);
    const std::string msg = update_with(items, style::spaced);
    test::owned_scratch sc(msg.size() * 2);
    stream_message m;
    ASSERT_EQ(parse_stream_message(msg, m, sc.s), message_status::ok);
    EXPECT_EQ(test::describe_entries(entry_iterator(m.liquidity.changed_entries_json, sc.s)), want);
    EXPECT_EQ(test::describe_entries(m.liquidity.entries(sc.s)),
              want); // a second walk, same result
}

TEST(json_liquidity_entries, a_lazy_walk_over_malformed_text_says_so_once_and_ends) {
    test::owned_scratch sc;
    for (const char* bad : {"[{\"price\":1},]", "[{\"price\":1}", "{}", "[{\"a\":}]", "[1 2]",
                            "[{}]x", "", "[{\"price\":01}]"}) {
        entry_iterator it(bad, sc.s);
        liquidity_entry e;
        int malformed = 0, steps = 0;
        item_status st;
        while ((st = it.next(e)) != item_status::end && steps < 10) {
            malformed += st == item_status::malformed;
            ++steps;
        }
        EXPECT_EQ(malformed, 1) << bad;
        EXPECT_LT(steps, 10) << bad;
    }
}

TEST(json_liquidity_entries, a_default_iterator_is_at_its_end) {
    entry_iterator it;
    liquidity_entry e;
    EXPECT_EQ(it.next(e), item_status::end);
    liquidity_update never_parsed;
    test::owned_scratch sc;
    EXPECT_EQ(never_parsed.entries(sc.s).next(e), item_status::end);
}

TEST(json_liquidity_entries, views_into_the_scratch_stay_valid_through_the_walk) {
    // Escaped hashes are decoded into the scratch; they must all still read
    // back after the walk has decoded later ones.
    std::vector<std::string> items;
    for (int i = 0; i < 40; ++i)
        items.push_back(render({{"liquidity_hash", quoted("h\\u0030" + std::to_string(i))},
                                {"partner_id", quoted("p\\/" + std::to_string(i))},
                                {"price", "1"},
                                {"available", "\"2\""}}));
    const std::string msg = update_with(items);
    test::owned_scratch sc(msg.size());
    stream_message m;
    ASSERT_EQ(parse_stream_message(msg, m, sc.s), message_status::ok);
    std::vector<liquidity_entry> kept;
    entry_iterator it = m.liquidity.entries(sc.s);
    liquidity_entry e;
    while (it.next(e) == item_status::ok)
        kept.push_back(e);
    ASSERT_EQ(kept.size(), 40u);
    for (int i = 0; i < 40; ++i) {
        EXPECT_EQ(kept[static_cast<size_t>(i)].liquidity_hash, "h0" + std::to_string(i));
        EXPECT_EQ(kept[static_cast<size_t>(i)].partner_id, "p/" + std::to_string(i));
    }
}

} // namespace
} // namespace ef::json
