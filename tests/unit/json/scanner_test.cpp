// The strict scanner: what it accepts and refuses (each malformed kind, every
// prefix, at a guard page), depth limits, escapes and their decoding, and the
// escaper the writers use. Where simdjson is linked, its DOM parser must agree
// on every table document (outside the documented differences).
#include "tests/unit/json/test_util.hpp"
#include "json/scanner.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#if defined(EF_TEST_WITH_SIMDJSON)
#include <simdjson.h>
#endif

namespace ef::json {
namespace {

const char* const valid_docs[] = {
    "{}",
    "[]",
    "{\"a\":1}",
    " { \"a\" : [ 1 , 2 , { } ] } ",
    "\t\r\n{\t\"a\"\r:\n[\t]\r}\n",
    "\"str\"",
    "123",
    "-0.5e+10",
    "true",
    "false",
    "null",
    "[[[[]]]]",
    "{\"\":1}",
    "{\"a\":1,\"a\":2}",
    "[0,-0,1.5,1e5,1E-5,0.0e0,-1.25E+2]",
    "[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\uD83D\\uDE00 \\u0000 \\uffff\"]",
    "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]",
    "[\"\x7f\"]",
    "{\"a\":{\"b\":{\"c\":[true,false,null,\"x\",{\"d\":[]}]}}}",
    "[1,[2,[3,[4,{\"k\":[5]}]]]]",
    "{\"type\":\"liquidity.update\",\"changed_entries\":[{\"price\":0.49}]}",
    "[\"0123456789abcdef0123456789abcdef\\\"0123456789abcdef\"]",
    "[1e999999999]",
};

struct bad_doc {
    const char* text;
    syntax_error error;
    const char* why;
};

const bad_doc bad_docs[] = {
    {"", syntax_error::unexpected_end, "empty input"},
    {"   ", syntax_error::unexpected_end, "whitespace only"},
    {"{", syntax_error::unexpected_end, "unclosed object"},
    {"[1,2", syntax_error::unexpected_end, "unclosed array"},
    {"}", syntax_error::unexpected_char, "closing brace first"},
    {"{\"a\":1,}", syntax_error::unexpected_char, "trailing comma in object"},
    {"[1,]", syntax_error::unexpected_char, "trailing comma in array"},
    {"[1 , ]", syntax_error::unexpected_char, "trailing comma with spaces"},
    {"[,1]", syntax_error::unexpected_char, "leading comma"},
    {"{,\"a\":1}", syntax_error::unexpected_char, "leading comma in object"},
    {"[1,,2]", syntax_error::unexpected_char, "double comma"},
    {"{\"a\" 1}", syntax_error::unexpected_char, "missing colon"},
    {"{\"a\"::1}", syntax_error::unexpected_char, "double colon"},
    {"{\"a\":}", syntax_error::unexpected_char, "missing value"},
    {"{a:1}", syntax_error::unexpected_char, "unquoted key"},
    {"{'a':1}", syntax_error::unexpected_char, "single quotes"},
    {"{1:1}", syntax_error::unexpected_char, "number as key"},
    {"{\"a\":1 \"b\":2}", syntax_error::unexpected_char, "missing comma between members"},
    {"[1 2]", syntax_error::unexpected_char, "missing comma between elements"},
    {"{\"a\":1}}", syntax_error::trailing_content, "extra closing brace"},
    {"[]]", syntax_error::trailing_content, "extra closing bracket"},
    {"{} {}", syntax_error::trailing_content, "two documents"},
    {"1 2", syntax_error::trailing_content, "two numbers"},
    {"{\"a\":[}", syntax_error::unexpected_char, "bracket mismatch"},
    {"[}", syntax_error::unexpected_char, "bracket mismatch"},
    {"{]", syntax_error::unexpected_char, "bracket mismatch"},
    {"{\"a\":1]", syntax_error::unexpected_char, "bracket mismatch"},
    {"[\"a\"}", syntax_error::unexpected_char, "bracket mismatch"},
    {"\"abc", syntax_error::unexpected_end, "unterminated string"},
    {"\"a\\x\"", syntax_error::bad_escape, "unknown escape"},
    {"\"a\\'\"", syntax_error::bad_escape, "single-quote escape is not JSON"},
    {"\"a\\", syntax_error::unexpected_end, "backslash at end"},
    {"\"\\u12\"", syntax_error::bad_unicode, "short unicode escape"},
    {"\"\\u12G4\"", syntax_error::bad_unicode, "non-hex digit"},
    {"\"\\U0041\"", syntax_error::bad_escape, "upper-case U"},
    {"\"\\uD800\"", syntax_error::bad_unicode, "lone high surrogate"},
    {"\"\\uDC00\"", syntax_error::bad_unicode, "lone low surrogate"},
    {"\"\\uD800\\u0041\"", syntax_error::bad_unicode, "high surrogate then a non-surrogate"},
    {"\"\\uD800\\uD800\"", syntax_error::bad_unicode, "two high surrogates"},
    {"\"\\uD800x\"", syntax_error::bad_unicode, "high surrogate then a plain byte"},
    {"\"\\uD800\\n\"", syntax_error::bad_unicode, "high surrogate then a short escape"},
    {"\"a\nb\"", syntax_error::control_in_string, "raw newline in a string"},
    {"\"a\tb\"", syntax_error::control_in_string, "raw tab in a string"},
    {"[\"0123456789abcdef\x01\"]", syntax_error::control_in_string, "control byte after 16 bytes"},
    {"01", syntax_error::bad_number, "leading zero"},
    {"[-01]", syntax_error::bad_number, "negative leading zero"},
    {"1.", syntax_error::unexpected_end, "dot at end"},
    {"[1.]", syntax_error::bad_number, "dot without digits"},
    {"[.5]", syntax_error::unexpected_char, "no integer part"},
    {"[-]", syntax_error::bad_number, "minus alone"},
    {"[+1]", syntax_error::unexpected_char, "plus sign"},
    {"[1e]", syntax_error::bad_number, "exponent without digits"},
    {"[1e+]", syntax_error::bad_number, "signed exponent without digits"},
    {"[0x1]", syntax_error::unexpected_char, "hex"},
    {"[NaN]", syntax_error::unexpected_char, "NaN"},
    {"[Infinity]", syntax_error::unexpected_char, "Infinity"},
    {"[-Infinity]", syntax_error::bad_number, "-Infinity"},
    {"tru", syntax_error::unexpected_end, "truncated true"},
    {"[tru]", syntax_error::bad_literal, "short true"},
    {"[True]", syntax_error::unexpected_char, "capital True"},
    {"[nul]", syntax_error::bad_literal, "short null"},
    {"[fals]", syntax_error::bad_literal, "short false"},
    {"[truex]", syntax_error::unexpected_char, "letters after true"},
    {"nulll", syntax_error::trailing_content, "letters after null at top level"},
    {"[undefined]", syntax_error::unexpected_char, "undefined"},
    {"{\"a\":1}x", syntax_error::trailing_content, "garbage after the document"},
    {"\xef\xbb\xbf{}", syntax_error::unexpected_char, "byte order mark"},
    {"[1]\v", syntax_error::trailing_content, "vertical tab is not JSON whitespace"},
    {"[\f1]", syntax_error::unexpected_char, "form feed is not JSON whitespace"},
    {"{\"a\":1,\"b\"}", syntax_error::unexpected_char, "key without value"},
    {"/* c */{}", syntax_error::unexpected_char, "comments"},
};

std::string nested(int depth, char open, char close) {
    std::string s(static_cast<size_t>(depth), open);
    s.append(static_cast<size_t>(depth), close);
    return s;
}

TEST(json_scanner, accepts_every_valid_document_of_the_table) {
    for (const char* d : valid_docs) {
        ef::test::guarded_buffer g{std::string_view(d)};
        size_t at = 0;
        EXPECT_EQ(validate_json(g.view(), &at), syntax_error::none) << d << " at " << at;
    }
}

TEST(json_scanner, refuses_every_malformed_document_with_its_error) {
    for (const bad_doc& b : bad_docs) {
        // Table strings may hold a NUL: take the length from the literal.
        ef::test::guarded_buffer g{std::string_view(b.text)};
        EXPECT_EQ(validate_json(g.view()), b.error) << b.text << ": " << b.why;
    }
}

TEST(json_scanner, refuses_a_nul_byte_after_a_document) {
    const std::string doc("{\"a\":1}\0", 8);
    EXPECT_EQ(validate_json(doc), syntax_error::trailing_content);
    const std::string in_string("[\"a\0b\"]", 7);
    EXPECT_EQ(validate_json(in_string), syntax_error::control_in_string);
}

TEST(json_scanner, refuses_every_proper_prefix_of_a_container) {
    for (const char* d : valid_docs) {
        const std::string_view doc(d);
        const size_t first = doc.find_first_not_of(" \t\r\n");
        if (doc[first] != '{' && doc[first] != '[') continue;
        // Cutting only trailing whitespace leaves a valid document.
        const std::string_view trimmed = doc.substr(0, doc.find_last_not_of(" \t\r\n") + 1);
        test::for_every_proper_prefix(trimmed, [&](std::string_view in, size_t n) {
            EXPECT_NE(validate_json(in), syntax_error::none) << d << " cut at " << n;
        });
    }
}

TEST(json_scanner, survives_every_prefix_of_every_malformed_document) {
    for (const bad_doc& b : bad_docs)
        test::for_every_proper_prefix(
            b.text, [&](std::string_view in, size_t) { (void)validate_json(in); });
}

TEST(json_scanner, reports_where_the_error_is) {
    size_t at = 0;
    EXPECT_EQ(validate_json("{\"a\":1,}", &at), syntax_error::unexpected_char);
    EXPECT_EQ(at, 7u);
    EXPECT_EQ(validate_json("[1, 2, x]", &at), syntax_error::unexpected_char);
    EXPECT_EQ(at, 7u);
}

TEST(json_scanner, accepts_nesting_up_to_64_and_refuses_65) {
    EXPECT_EQ(validate_json(nested(64, '[', ']')), syntax_error::none);
    EXPECT_EQ(validate_json(nested(65, '[', ']')), syntax_error::too_deep);
    std::string objects;
    for (int i = 0; i < 64; ++i)
        objects += "{\"a\":";
    objects += "1";
    objects.append(64, '}');
    EXPECT_EQ(validate_json(objects), syntax_error::none);
    std::string wrapped = "[";
    wrapped += objects; // (not "[" + objects: GCC 12 warns falsely, -Wrestrict)
    wrapped += "]";
    EXPECT_EQ(validate_json(wrapped), syntax_error::too_deep);
}

TEST(json_scanner, refuses_a_deep_unclosed_document_quickly) {
    const std::string deep(1 << 20, '[');
    EXPECT_EQ(validate_json(deep), syntax_error::too_deep);
}

TEST(json_scanner, scan_object_passes_every_member_in_order_with_duplicates) {
    const std::string_view doc = R"({"a":1, "b" : "x\"y", "a":[2,3], "c":{"d":null}})";
    const char* p = doc.data();
    std::vector<std::string> seen;
    const syntax_error e =
        scan_object(p, doc.data() + doc.size(), 1, [&](const value& k, const value& v) {
            seen.push_back(std::string(k.text) + "=" + std::string(v.text) + ":" +
                           to_string(v.kind) + (v.escaped ? "!" : ""));
        });
    ASSERT_EQ(e, syntax_error::none);
    EXPECT_EQ(p, doc.data() + doc.size());
    const std::vector<std::string> want = {"a=1:number", "b=x\\\"y:string!", "a=[2,3]:array",
                                           "c={\"d\":null}:object"};
    EXPECT_EQ(seen, want);
}

struct unescape_case {
    const char* raw;
    std::string decoded;
};

TEST(json_scanner, unescape_decodes_every_escape_to_utf8) {
    const unescape_case cases[] = {
        {"plain", "plain"},
        {"a\\\"b", "a\"b"},
        {"\\\\\\/", "\\/"},
        {"\\b\\f\\n\\r\\t", "\b\f\n\r\t"},
        {"\\u0041\\u00e9", "A\xc3\xa9"},
        {"\\u20AC", "\xe2\x82\xac"},
        {"\\uD83D\\uDE00", "\xf0\x9f\x98\x80"},
        {"\\uDBFF\\uDFFF", "\xf4\x8f\xbf\xbf"},
        {"\\u0000", std::string("\0", 1)},
        {"contest\\u005fid", "contest_id"},
        {"\\u007f\\u0080\\u07ff\\u0800\\uffff", "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf"},
    };
    for (const unescape_case& c : cases) {
        const std::string_view raw(c.raw);
        std::string out(raw.size(), '?');
        const size_t n = unescape(raw, out.data());
        ASSERT_NE(n, unescape_failed) << c.raw;
        EXPECT_EQ(out.substr(0, n), c.decoded) << c.raw;
    }
}

TEST(json_scanner, unescape_never_writes_past_raw_size_bytes) {
    // The output ends at a guard page: decoding may copy in 16-byte steps,
    // but never past raw.size() bytes, wherever the escapes sit.
    for (size_t len = 0; len < 48; ++len)
        for (size_t at = 0; at <= len; ++at)
            for (const char* esc : {"\\n", "\\u00e9", "\\uD83D\\uDE00"}) {
                std::string raw(len, 'x');
                raw.insert(at, esc);
                ef::test::guarded_buffer out{std::string(raw.size(), '?')};
                const size_t n = unescape(raw, reinterpret_cast<char*>(out.data()));
                ASSERT_NE(n, unescape_failed) << raw;
                ASSERT_LE(n, raw.size());
                EXPECT_EQ(std::string_view(out.view().data(), at), std::string(at, 'x'));
            }
}

TEST(json_scanner, unescape_refuses_what_the_scanner_refuses) {
    for (const char* raw :
         {"\\x", "\\", "\\u12", "\\uD800", "\\uDC00", "\\uD800\\u0041", "\\uD800\\"}) {
        std::string out(16, '?');
        EXPECT_EQ(unescape(raw, out.data()), unescape_failed) << raw;
    }
}

TEST(json_scanner, string_text_decodes_into_the_scratch_only_when_escaped) {
    test::owned_scratch sc(64);
    value plain{"abc", value_kind::string, false};
    std::string_view out;
    ASSERT_TRUE(string_text(plain, sc.s, out));
    EXPECT_EQ(out.data(), plain.text.data());
    EXPECT_EQ(sc.s.used(), 0u);
    value esc{"a\\nb", value_kind::string, true};
    ASSERT_TRUE(string_text(esc, sc.s, out));
    EXPECT_EQ(out, "a\nb");
    EXPECT_EQ(sc.s.used(), 3u);
}

TEST(json_scanner, string_text_fails_when_the_scratch_is_full) {
    test::owned_scratch sc(3);
    value esc{"ab\\n", value_kind::string, true}; // needs 4 bytes of room
    std::string_view out;
    EXPECT_FALSE(string_text(esc, sc.s, out));
}

TEST(json_scanner, key_text_compares_keys_after_unescaping) {
    char buf[key_buffer_bytes];
    EXPECT_EQ(key_text(value{"contest\\u005fid", value_kind::string, true}, buf), "contest_id");
    EXPECT_EQ(key_text(value{"\\u0074\\u0079\\u0070\\u0065", value_kind::string, true}, buf),
              "type");
    EXPECT_EQ(key_text(value{"type", value_kind::string, false}, buf), "type");
    const std::string too_long = std::string(200, 'a') + "\\n";
    EXPECT_EQ(key_text(value{too_long, value_kind::string, true}, buf), too_long);
}

TEST(json_scanner, take_key_matches_only_the_whole_unescaped_key) {
    const std::string_view s = "price\": 1";
    const char* p = s.data();
    EXPECT_TRUE(take_key(p, s.data() + s.size(), "price"));
    EXPECT_EQ(*p, ':');
    const std::string_view longer = "prices\": 1";
    p = longer.data();
    EXPECT_FALSE(take_key(p, longer.data() + longer.size(), "price"));
    EXPECT_EQ(p, longer.data());
    const std::string_view cut = "price";
    p = cut.data();
    EXPECT_FALSE(take_key(p, cut.data() + cut.size(), "price"));
}

TEST(json_scanner, string_iterator_yields_decoded_strings_and_flags_others) {
    test::owned_scratch sc;
    string_iterator it(R"([ "ct_a" , "ct\u005fb", 7, "c" ])", sc.s);
    std::string_view v;
    ASSERT_EQ(it.next(v), item_status::ok);
    EXPECT_EQ(v, "ct_a");
    ASSERT_EQ(it.next(v), item_status::ok);
    EXPECT_EQ(v, "ct_b");
    EXPECT_EQ(it.next(v), item_status::wrong_type);
    ASSERT_EQ(it.next(v), item_status::ok);
    EXPECT_EQ(v, "c");
    EXPECT_EQ(it.next(v), item_status::end);
    EXPECT_EQ(it.next(v), item_status::end);
}

TEST(json_scanner, string_iterator_on_an_empty_array_ends_at_once) {
    test::owned_scratch sc;
    std::string_view v;
    for (const char* a : {"[]", "[ ]", "[\n]"}) {
        string_iterator it(a, sc.s);
        EXPECT_EQ(it.next(v), item_status::end) << a;
    }
}

TEST(json_scanner, string_iterator_reports_malformed_text_once_then_ends) {
    test::owned_scratch sc;
    std::string_view v;
    for (const char* a :
         {"[\"a\",]", "[\"a\"", "\"a\"", "[\"a\" \"b\"]", "[\"a\"]x", "", "[\"\\x\"]"}) {
        string_iterator it(a, sc.s);
        item_status st;
        int malformed = 0, steps = 0;
        while ((st = it.next(v)) != item_status::end && steps < 10) {
            malformed += st == item_status::malformed;
            ++steps;
        }
        EXPECT_EQ(malformed, 1) << a;
        EXPECT_LT(steps, 10) << a;
    }
}

struct escape_case {
    std::string in;
    const char* out;
};

TEST(json_scanner, escape_json_string_escapes_quotes_backslashes_and_controls) {
    const escape_case cases[] = {
        {"plain", "plain"},
        {"a\"b", "a\\\"b"},
        {"a\\b", "a\\\\b"},
        {"\b\f\n\r\t", "\\b\\f\\n\\r\\t"},
        {std::string("\0\x01\x1f", 3), "\\u0000\\u0001\\u001f"},
        {"caf\xc3\xa9/", "caf\xc3\xa9/"},
        {"\x7f", "\x7f"},
    };
    for (const escape_case& c : cases) {
        char buf[64];
        const size_t n = escape_json_string(c.in, buf);
        ASSERT_LE(n, sizeof buf);
        EXPECT_EQ(std::string_view(buf, n), c.out);
    }
}

TEST(json_scanner, escape_json_string_returns_the_needed_size_when_out_is_short) {
    char buf[4];
    EXPECT_EQ(escape_json_string("a\nbcdef", buf), 8u);
    EXPECT_EQ(escape_json_string("", buf), 0u);
}

TEST(json_scanner, escaped_text_reads_back_through_the_scanner) {
    std::string all;
    for (int c = 0; c < 256; ++c)
        all.push_back(static_cast<char>(c));
    std::string body(all.size() * 6, '\0');
    body.resize(escape_json_string(all, body));
    const std::string doc = "\"" + body + "\"";
    const char* p = doc.data();
    value v;
    ASSERT_EQ(scan_string(p, doc.data() + doc.size(), v), syntax_error::none);
    std::string back(v.text.size(), '\0');
    back.resize(unescape(v.text, back.data()));
    EXPECT_EQ(back, all);
}

TEST(json_scanner, status_texts_are_short_names) {
    EXPECT_STREQ(to_string(syntax_error::trailing_content), "trailing_content");
    EXPECT_STREQ(to_string(syntax_error::too_deep), "too_deep");
    EXPECT_STREQ(to_string(item_status::scratch_full), "scratch_full");
    EXPECT_STREQ(to_string(value_kind::array), "array");
}

#if defined(EF_TEST_WITH_SIMDJSON)
// Documented differences: simdjson refuses numbers outside double range and
// invalid UTF-8 (our input is checked upstream), and nests to 1024.
TEST(json_scanner, agrees_with_simdjson_dom_on_every_table_document) {
    simdjson::dom::parser parser;
    auto simd_ok = [&](std::string_view d) {
        simdjson::padded_string ps(d);
        return !parser.parse(ps).error();
    };
    for (const char* d : valid_docs) {
        if (std::string_view(d) == "[1e999999999]") continue; // outside double range
        EXPECT_TRUE(simd_ok(d)) << d;
    }
    for (const bad_doc& b : bad_docs)
        EXPECT_FALSE(simd_ok(b.text)) << b.text << ": " << b.why;
}
#endif

} // namespace
} // namespace ef::json
