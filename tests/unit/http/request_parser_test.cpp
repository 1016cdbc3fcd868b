// Tests for ef::http::request_parser, the venue simulator's side: tables of
// valid and bad requests, each tried whole, at every prefix, split at every
// byte and byte by byte, in guarded buffers; then pipelining and limits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/http/harness.hpp"

namespace ef::http::test {
namespace {

struct request_case {
    const char* why;
    std::string input = {};
    parse_status status = parse_status::done;
    std::string method = {};
    std::string path = {};
    std::string query = {};
    int64_t content_length = -1;
    bool keep_alive = true;
    std::string body = {};
    size_t trailing = 0; // bytes of the next pipelined request, left unconsumed
    std::string error = {};
};


void check_case(const request_case& c) {
    SCOPED_TRACE(c.why);
    const request_outcome whole =
        run_whole<request_rig>(c.input, at_end::nothing, head_cap, body_cap, max_headers);
    ASSERT_EQ(whole.status, c.status) << name_of(whole.status) << ": " << whole.error;
    if (c.status == parse_status::bad) {
        EXPECT_NE(whole.error.find(c.error), std::string::npos) << whole.error;
        EXPECT_FALSE(c.error.empty());
        EXPECT_FALSE(whole.head_complete);
    } else {
        EXPECT_EQ(whole.consumed, c.input.size() - c.trailing);
        EXPECT_EQ(whole.method, c.method);
        EXPECT_EQ(whole.path, c.path);
        EXPECT_EQ(whole.query, c.query);
        EXPECT_EQ(whole.content_length, c.content_length);
        EXPECT_EQ(whole.keep_alive, c.keep_alive);
        EXPECT_EQ(whole.body, c.body);
        EXPECT_EQ(whole.error, "");
    }
    check_every_cut<request_rig>(std::string_view(c.input), whole, at_end::nothing, head_cap,
                                 body_cap, max_headers);
}

const std::string host = "Host: api.openmarkets.test\r\n";

std::vector<request_case> valid_requests() {
    return {
        {.why = "GET with a query",
         .input = "GET /flow/v1/contests?cursor=abc&limit=50 HTTP/1.1\r\n" + host +
                  "X-API-Key: k\r\n\r\n",
         .method = "GET",
         .path = "/flow/v1/contests",
         .query = "cursor=abc&limit=50"},
        {.why = "GET with a percent-encoded segment",
         .input = "GET /flow/v1/depth/ct_1%3Amk%3Aside HTTP/1.1\r\n" + host + "\r\n",
         .method = "GET",
         .path = "/flow/v1/depth/ct_1%3Amk%3Aside"},
        {.why = "empty query after '?'",
         .input = "GET /x? HTTP/1.1\r\n" + host + "\r\n",
         .method = "GET",
         .path = "/x"},
        {.why = "'?' inside the query belongs to it",
         .input = "GET /x?a=1?b HTTP/1.1\r\n" + host + "\r\n",
         .method = "GET",
         .path = "/x",
         .query = "a=1?b"},
        {.why = "POST with a JSON body",
         .input = "POST /flow/v1/auth/orders/buy HTTP/1.1\r\n" + host +
                  "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"orders\":[]}",
         .method = "POST",
         .path = "/flow/v1/auth/orders/buy",
         .content_length = 13,
         .body = "{\"orders\":[]}"},
        {.why = "PATCH with a body",
         .input =
             "PATCH /accounts/a1/orders/o1 HTTP/1.1\r\n" + host + "Content-Length: 2\r\n\r\n{}",
         .method = "PATCH",
         .path = "/accounts/a1/orders/o1",
         .content_length = 2,
         .body = "{}"},
        {.why = "DELETE without a body",
         .input = "DELETE /accounts/a1/orders/o1 HTTP/1.1\r\n" + host + "\r\n",
         .method = "DELETE",
         .path = "/accounts/a1/orders/o1"},
        {.why = "POST with Content-Length 0",
         .input = "POST /contest-state/batch HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n",
         .method = "POST",
         .path = "/contest-state/batch",
         .content_length = 0},
        {.why = "asterisk-form for OPTIONS",
         .input = "OPTIONS * HTTP/1.1\r\n" + host + "\r\n",
         .method = "OPTIONS",
         .path = "*"},
        {.why = "an extension method is a token",
         .input = "M-SEARCH / HTTP/1.1\r\n" + host + "\r\n",
         .method = "M-SEARCH",
         .path = "/"},
        {.why = "target with every sub-delim, ':' and '@'",
         .input = "GET /a:b@c!$&'()*+,;=-._~ HTTP/1.1\r\n" + host + "\r\n",
         .method = "GET",
         .path = "/a:b@c!$&'()*+,;=-._~"},
        {.why = "the next pipelined request stays unconsumed",
         .input = "GET /a HTTP/1.1\r\n" + host + "\r\nGET /b HTTP/1.1\r\n",
         .method = "GET",
         .path = "/a",
         .trailing = 17},
        {.why = "bytes after a body belong to the next request",
         .input = "POST /o HTTP/1.1\r\n" + host + "Content-Length: 1\r\n\r\nxGET",
         .method = "POST",
         .path = "/o",
         .content_length = 1,
         .body = "x",
         .trailing = 3},
        {.why = "Connection: close",
         .input = "GET / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n",
         .method = "GET",
         .path = "/",
         .keep_alive = false},
        {.why = "HTTP/1.0 needs no Host and is not persistent",
         .input = "GET / HTTP/1.0\r\n\r\n",
         .method = "GET",
         .path = "/",
         .keep_alive = false},
        {.why = "HTTP/1.0 with keep-alive",
         .input = "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
         .method = "GET",
         .path = "/"},
    };
}

std::vector<request_case> bad_requests() {
    const parse_status bad = parse_status::bad;
    return {
        {.why = "bare LF",
         .input = "GET / HTTP/1.1\n" + host + "\r\n",
         .status = bad,
         .error = "bare LF"},
        {.why = "empty line before the request line (not skipped)",
         .input = "\r\nGET / HTTP/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "request line does not start with a method"},
        {.why = "no method",
         .input = " / HTTP/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "request line does not start with a method"},
        {.why = "separator in the method",
         .input = "GE(T / HTTP/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "invalid character in method"},
        {.why = "two spaces after the method",
         .input = "GET  / HTTP/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "request target not in origin-form"},
        {.why = "absolute-form target",
         .input = "GET http://h/ HTTP/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "request target not in origin-form"},
        {.why = "space in the target",
         .input = "GET /a b HTTP/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "malformed HTTP version"},
        {.why = "fragment in the target",
         .input = "GET /a#f HTTP/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "invalid character in request target"},
        {.why = "non-ASCII in the target",
         .input = "GET /\xc3\xa9 HTTP/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "invalid character in request target"},
        {.why = "no version",
         .input = "GET /\r\n" + host + "\r\n",
         .status = bad,
         .error = "request line has no HTTP version"},
        {.why = "HTTP/2.0",
         .input = "GET / HTTP/2.0\r\n" + host + "\r\n",
         .status = bad,
         .error = "unsupported HTTP version"},
        {.why = "lower-case version",
         .input = "GET / http/1.1\r\n" + host + "\r\n",
         .status = bad,
         .error = "malformed HTTP version"},
        {.why = "trailing space after the version",
         .input = "GET / HTTP/1.1 \r\n" + host + "\r\n",
         .status = bad,
         .error = "malformed HTTP version"},
        {.why = "HTTP/1.x with x not a digit",
         .input = "GET / HTTP/1.x\r\n" + host + "\r\n",
         .status = bad,
         .error = "malformed HTTP version"},
        {.why = "missing Host in HTTP/1.1",
         .input = "GET / HTTP/1.1\r\n\r\n",
         .status = bad,
         .error = "missing Host header"},
        {.why = "two Host headers",
         .input = "GET / HTTP/1.1\r\n" + host + host + "\r\n",
         .status = bad,
         .error = "more than one Host header"},
        {.why = "chunked request body",
         .input = "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         .status = bad,
         .error = "Transfer-Encoding in requests is not supported"},
        {.why = "CL and TE together (smuggling)",
         .input = "POST / HTTP/1.1\r\n" + host +
                  "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         .status = bad,
         .error = "Transfer-Encoding in requests is not supported"},
        {.why = "Content-Length not digits",
         .input = "POST / HTTP/1.1\r\n" + host + "Content-Length: 1e3\r\n\r\n",
         .status = bad,
         .error = "Content-Length not a decimal number"},
        {.why = "conflicting Content-Length",
         .input = "POST / HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 0\r\n\r\n",
         .status = bad,
         .error = "conflicting Content-Length"},
        {.why = "body over the body buffer",
         .input = "POST / HTTP/1.1\r\n" + host + "Content-Length: 65\r\n\r\n",
         .status = bad,
         .error = "body larger than 64 bytes"},
        {.why = "whitespace before a colon",
         .input = "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
         .status = bad,
         .error = "whitespace between header name and colon"},
        {.why = "obs-fold",
         .input = "GET / HTTP/1.1\r\n" + host + "X: a\r\n\tb\r\n\r\n",
         .status = bad,
         .error = "obs-fold"},
        {.why = "CTL in a header value",
         .input = "GET / HTTP/1.1\r\n" + host + "X: a\x1b\r\n\r\n",
         .status = bad,
         .error = "invalid character in header value"},
    };
}

TEST(http_request_parser, accepts_every_valid_form_whole_at_every_cut_and_byte_by_byte) {
    for (const request_case& c : valid_requests())
        check_case(c);
}

TEST(http_request_parser, rejects_every_bad_form_whole_at_every_cut_and_byte_by_byte) {
    for (const request_case& c : bad_requests())
        check_case(c);
}

TEST(http_request_parser, reports_target_version_and_headers_as_sent) {
    request_rig rig;
    const std::string in = "GET /flow/v1/stream?api_key=om_data_live_x HTTP/1.1\r\n"
                           "Host: h\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n";
    size_t consumed = 0;
    ASSERT_EQ(rig.parser.feed(in, consumed), parse_status::done);
    const request_head& h = rig.parser.head();
    EXPECT_EQ(h.target, "/flow/v1/stream?api_key=om_data_live_x");
    EXPECT_EQ(h.minor_version, 1);
    ASSERT_EQ(h.headers.size(), 3u);
    EXPECT_EQ(find_header(h.headers, "upgrade"), "websocket");
    EXPECT_EQ(find_header(h.headers, "sec-websocket-version"), "13");
    EXPECT_EQ(find_query_param(h.query, "api_key"), "om_data_live_x");
}

TEST(http_request_parser, counts_host_headers_in_any_case_and_only_by_their_exact_name) {
    for (const char* name : {"host", "HOST", "hOsT"}) {
        const request_outcome o = run_whole<request_rig>(
            std::string("GET / HTTP/1.1\r\n") + name + ": h\r\n\r\n", at_end::nothing);
        EXPECT_EQ(o.status, parse_status::done) << name << ": " << o.error;
    }
    for (const char* name : {"Iost", "Hosu", "Gost", "Hos", "Hostt", "H0st"}) {
        const request_outcome o = run_whole<request_rig>(
            std::string("GET / HTTP/1.1\r\n") + name + ": h\r\n\r\n", at_end::nothing);
        EXPECT_EQ(o.error, "missing Host header") << name;
    }
}

TEST(http_request_parser, parses_pipelined_requests_from_one_buffer_at_every_split) {
    const std::string in = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\none" +
                           std::string("GET /b HTTP/1.1\r\nHost: h\r\n\r\n") +
                           "PATCH /c HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nthree";
    const std::vector<std::string> want = {"POST /a one", "GET /b ", "PATCH /c three"};
    for (size_t k = 0; k <= in.size(); ++k) {
        SCOPED_TRACE("split at " + std::to_string(k));
        request_rig rig;
        std::vector<std::string> got;
        for (std::string_view piece :
             {std::string_view(in).substr(0, k), std::string_view(in).substr(k)}) {
            guarded_buffer g(piece);
            std::string_view rest = g.view();
            while (!rest.empty()) {
                size_t consumed = 0;
                const parse_status s = rig.parser.feed(rest, consumed);
                ASSERT_NE(s, parse_status::bad) << rig.parser.error_text();
                rest.remove_prefix(consumed);
                if (s == parse_status::done) {
                    const request_head& h = rig.parser.head();
                    got.push_back(std::string(h.method) + " " + std::string(h.path) + " " +
                                  std::string(rig.parser.body()));
                    rig.parser.reset();
                }
            }
        }
        EXPECT_EQ(got, want);
    }
}

TEST(http_request_parser, body_exactly_at_the_body_limit_fits_and_one_more_does_not) {
    const std::string fits = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\n\r\n12345678";
    const std::string over = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n123456789";
    const request_outcome ok =
        run_whole<request_rig>(fits, at_end::nothing, size_t{256}, size_t{8});
    EXPECT_EQ(ok.status, parse_status::done) << ok.error;
    EXPECT_EQ(ok.body, "12345678");
    check_every_cut<request_rig>(fits, ok, at_end::nothing, size_t{256}, size_t{8});
    const request_outcome bad =
        run_whole<request_rig>(over, at_end::nothing, size_t{256}, size_t{8});
    EXPECT_EQ(bad.status, parse_status::bad);
    EXPECT_EQ(bad.error, "body larger than 8 bytes");
    check_every_cut<request_rig>(over, bad, at_end::nothing, size_t{256}, size_t{8});
}

TEST(http_request_parser, head_exactly_at_the_head_limit_fits_and_one_more_byte_does_not) {
    const std::string fits = "GET /aaaa HTTP/1.1\r\nHost: h\r\n\r\n";
    const std::string over = "GET /aaaaa HTTP/1.1\r\nHost: h\r\n\r\n";
    const size_t limit = fits.size();
    const request_outcome ok = run_whole<request_rig>(fits, at_end::nothing, limit, size_t{0});
    EXPECT_EQ(ok.status, parse_status::done) << ok.error;
    const request_outcome bad = run_whole<request_rig>(over, at_end::nothing, limit, size_t{0});
    EXPECT_EQ(bad.status, parse_status::bad);
    EXPECT_EQ(bad.error, "headers larger than " + std::to_string(limit) + " bytes");
    check_every_cut<request_rig>(over, bad, at_end::nothing, limit, size_t{0});
}

TEST(http_request_parser, accepts_exactly_max_headers_and_rejects_one_more) {
    const std::string fits = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\n\r\n";
    const std::string over = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n";
    const request_outcome ok =
        run_whole<request_rig>(fits, at_end::nothing, size_t{256}, size_t{0}, size_t{2});
    EXPECT_EQ(ok.status, parse_status::done) << ok.error;
    const request_outcome bad =
        run_whole<request_rig>(over, at_end::nothing, size_t{256}, size_t{0}, size_t{2});
    EXPECT_EQ(bad.status, parse_status::bad);
    EXPECT_EQ(bad.error, "more than 2 headers");
}

TEST(http_request_parser, bad_is_sticky_until_reset) {
    request_rig rig;
    size_t consumed = 0;
    ASSERT_EQ(rig.parser.feed("GET / HTTP/1.1\r\n\r\n", consumed), parse_status::bad);
    const std::string good = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    EXPECT_EQ(rig.parser.feed(good, consumed), parse_status::bad);
    EXPECT_EQ(consumed, 0u);
    rig.parser.reset();
    EXPECT_EQ(rig.parser.feed(good, consumed), parse_status::done);
    EXPECT_EQ(consumed, good.size());
}

} // namespace
} // namespace ef::http::test
