// Tests for percent-encoding and query lookup (uri.hpp): the REST client's
// encoded position hashes and the simulator's api_key lookup.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/uri.hpp"
#include "tests/unit/http/harness.hpp"

namespace ef::http::test {
namespace {

// Output spans end at a PROT_NONE page, so writing one byte too many faults.
struct out_buffer {
    guarded_buffer mem;
    explicit out_buffer(size_t n) : mem(std::string(n, '\0')) {}
    std::span<char> span() { return as_chars(mem); }
};

TEST(http_uri, encodes_a_position_hash_as_the_openmarkets_depth_endpoint_shows) {
    // seeds/001: GET /flow/v1/depth/ct_abc123%3Amk_ml%3Aside_home%3Avar_0%3Ap_kc%3Atf_full
    out_buffer out(128);
    std::string_view enc;
    ASSERT_EQ(
        percent_encode_segment("ct_abc123:mk_ml:side_home:var_0:p_kc:tf_full", out.span(), enc),
        codec_status::ok);
    EXPECT_EQ(enc, "ct_abc123%3Amk_ml%3Aside_home%3Avar_0%3Ap_kc%3Atf_full");
}

TEST(http_uri, encodes_every_byte_but_unreserved_ones_with_upper_case_hex) {
    struct row {
        std::string in, out;
        const char* why;
    };
    const std::vector<row> rows = {
        {"", "", "empty segment"},
        {"AZaz09-._~", "AZaz09-._~", "unreserved bytes stay"},
        {"a b", "a%20b", "space"},
        {"/", "%2F", "a slash would split the segment"},
        {"%", "%25", "a percent would start an escape"},
        {"?#&=+", "%3F%23%26%3D%2B", "query and fragment delimiters"},
        {std::string("\0\xff", 2), "%00%FF", "NUL and high bytes"},
    };
    for (const row& r : rows) {
        SCOPED_TRACE(r.why);
        out_buffer out(r.out.size());
        std::string_view enc;
        ASSERT_EQ(percent_encode_segment(r.in, out.span(), enc), codec_status::ok);
        EXPECT_EQ(enc, r.out);
    }
}

TEST(http_uri, encoding_reports_no_room_when_one_byte_short) {
    for (std::string_view in : {"abc", "a:b", "::"}) {
        std::string_view enc;
        out_buffer probe(64);
        ASSERT_EQ(percent_encode_segment(in, probe.span(), enc), codec_status::ok);
        const size_t need = enc.size();
        for (size_t n = 0; n < need; ++n) {
            out_buffer small(n);
            std::string_view e2;
            EXPECT_EQ(percent_encode_segment(in, small.span(), e2), codec_status::no_room)
                << in << " " << n;
        }
        out_buffer exact(need);
        EXPECT_EQ(percent_encode_segment(in, exact.span(), enc), codec_status::ok);
    }
}

TEST(http_uri, decoding_inverts_encoding_for_every_byte_value) {
    std::string all;
    for (int b = 0; b < 256; ++b)
        all.push_back(static_cast<char>(b));
    out_buffer enc_buf(all.size() * 3);
    std::string_view enc;
    ASSERT_EQ(percent_encode_segment(all, enc_buf.span(), enc), codec_status::ok);
    out_buffer dec_buf(all.size());
    std::string_view dec;
    ASSERT_EQ(percent_decode(enc, dec_buf.span(), dec), codec_status::ok);
    EXPECT_EQ(dec, all);
}

TEST(http_uri, decodes_escapes_in_either_case_and_keeps_plus_in_paths) {
    out_buffer out(32);
    std::string_view dec;
    guarded_buffer in("ct_1%3amk%3A%2f+x");
    ASSERT_EQ(percent_decode(in.view(), out.span(), dec), codec_status::ok);
    EXPECT_EQ(dec, "ct_1:mk:/+x");
}

TEST(http_uri, query_decoding_reads_plus_as_space) {
    out_buffer out(32);
    std::string_view dec;
    ASSERT_EQ(query_decode("a+b%2Bc", out.span(), dec), codec_status::ok);
    EXPECT_EQ(dec, "a b+c");
}

TEST(http_uri, rejects_truncated_or_non_hex_escapes) {
    for (std::string_view text : {"%", "%4", "abc%", "a%4", "%G0", "%0G", "a%%41", "%-1"}) {
        guarded_buffer in(text); // a decoder reading past a trailing '%' faults
        out_buffer out(16);
        std::string_view dec;
        EXPECT_EQ(percent_decode(in.view(), out.span(), dec), codec_status::bad_escape) << text;
        EXPECT_EQ(query_decode(in.view(), out.span(), dec), codec_status::bad_escape) << text;
        EXPECT_EQ(find_query_param(in.view(), "x", out.span(), dec), codec_status::absent) << text;
    }
}

TEST(http_uri, decoding_reports_no_room_when_one_byte_short) {
    out_buffer exact(3);
    std::string_view dec;
    EXPECT_EQ(percent_decode("a%3Ab", exact.span(), dec), codec_status::ok);
    EXPECT_EQ(dec, "a:b");
    out_buffer small(2);
    EXPECT_EQ(percent_decode("a%3Ab", small.span(), dec), codec_status::no_room);
}

TEST(http_uri, finds_query_parameters_by_decoded_name) {
    struct row {
        std::string_view query, name;
        bool present;
        std::string_view raw;
        const char* why;
    };
    const std::vector<row> rows = {
        {"api_key=k1", "api_key", true, "k1", "only parameter"},
        {"a=1&api_key=k2&api_key=k3", "api_key", true, "k2", "the first of repeated names"},
        {"api_keyx=1&api_key=2", "api_key", true, "2", "a longer name does not match"},
        {"xapi_key=1", "api_key", false, "", "a name ending in it does not match"},
        {"api%5Fkey=enc", "api_key", true, "enc", "names are compared decoded"},
        {"api+key=v", "api key", true, "v", "plus in a name is a space"},
        {"api_key", "api_key", true, "", "no '=' is an empty value"},
        {"api_key=", "api_key", true, "", "'=' and nothing"},
        {"&&api_key=v&", "api_key", true, "v", "empty pairs are skipped"},
        {"api_key=a=b", "api_key", true, "a=b", "the value runs to the next '&'"},
        {"api_key=%3A", "api_key", true, "%3A", "the raw value stays encoded"},
        {"", "api_key", false, "", "empty query"},
        {"api%ZZkey=1", "api_key", false, "", "a bad escape in a name matches nothing"},
    };
    for (const row& r : rows) {
        SCOPED_TRACE(r.why);
        guarded_buffer q(r.query);
        const std::string_view raw = find_query_param(q.view(), r.name);
        EXPECT_EQ(raw.data() != nullptr, r.present);
        EXPECT_EQ(raw, r.raw);
    }
}

TEST(http_uri, finds_query_parameters_decoded_into_a_caller_buffer) {
    out_buffer out(16);
    std::string_view v;
    ASSERT_EQ(find_query_param("x=1&token=a%2Bb+c", "token", out.span(), v), codec_status::ok);
    EXPECT_EQ(v, "a+b c");
    EXPECT_EQ(find_query_param("x=1", "token", out.span(), v), codec_status::absent);
    EXPECT_EQ(find_query_param("token=%4", "token", out.span(), v), codec_status::bad_escape);
    out_buffer small(2);
    EXPECT_EQ(find_query_param("token=abc", "token", small.span(), v), codec_status::no_room);
}

} // namespace
} // namespace ef::http::test
