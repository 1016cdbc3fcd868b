// Tests for ef::http::response_parser: tables of valid and bad responses, each
// tried whole, at every prefix, split at every byte and byte by byte, in
// guarded buffers; then the behaviours the REST client and the WebSocket
// upgrade rely on (back-to-back responses, a 101 followed by frames, limits).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/unit/http/harness.hpp"

namespace ef::http::test {
namespace {

struct response_case {
    const char* why;
    std::string input = {};
    parse_status status = parse_status::done;
    int code = 200;
    int64_t content_length = -1;
    bool chunked = false;
    bool keep_alive = true;
    std::string body = {};
    size_t trailing = 0; // bytes after the response that must stay unconsumed
    at_end end = at_end::nothing;
    bool head_request = false;
    std::string error = {}; // for bad: a part of error_text()
};


void check_case(const response_case& c) {
    SCOPED_TRACE(c.why);
    const response_outcome whole =
        run_whole<response_rig>(c.input, c.end, head_cap, body_cap, max_headers, c.head_request);
    ASSERT_EQ(whole.status, c.status) << name_of(whole.status) << ": " << whole.error;
    if (c.status == parse_status::bad) {
        EXPECT_NE(whole.error.find(c.error), std::string::npos) << whole.error;
        EXPECT_FALSE(c.error.empty());
    } else {
        EXPECT_EQ(whole.consumed, c.input.size() - c.trailing);
        EXPECT_TRUE(whole.head_complete);
        EXPECT_EQ(whole.code, c.code);
        EXPECT_EQ(whole.content_length, c.content_length);
        EXPECT_EQ(whole.chunked, c.chunked);
        EXPECT_EQ(whole.keep_alive, c.keep_alive);
        EXPECT_EQ(whole.body, c.body);
        EXPECT_EQ(whole.error, "");
    }
    check_every_cut<response_rig>(std::string_view(c.input), whole, c.end, head_cap, body_cap,
                                  max_headers, c.head_request);
}

const std::string ok_head = "HTTP/1.1 200 OK\r\n";

std::vector<response_case> valid_responses() {
    return {
        {.why = "Content-Length body",
         .input =
             ok_head + "Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"data\":[]}",
         .content_length = 11,
         .body = "{\"data\":[]}"},
        {.why = "Content-Length 0 is an empty body",
         .input = ok_head + "Content-Length: 0\r\n\r\n",
         .content_length = 0},
        {.why = "Content-Length with leading zeros is still digits",
         .input = ok_head + "Content-Length: 003\r\n\r\nabc",
         .content_length = 3,
         .body = "abc"},
        {.why = "duplicate Content-Length headers that agree",
         .input = ok_head + "Content-Length: 2\r\ncontent-length: 2\r\n\r\nhi",
         .content_length = 2,
         .body = "hi"},
        {.why = "bytes after a Content-Length body are the next response's",
         .input = ok_head + "Content-Length: 2\r\n\r\nhiHTTP/1.1",
         .content_length = 2,
         .body = "hi",
         .trailing = 8},
        {.why = "404 with a body",
         .input = "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope",
         .code = 404,
         .content_length = 4,
         .body = "nope"},
        {.why = "empty reason phrase after the required space",
         .input = "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
         .content_length = 0},
        {.why = "reason phrase with tab and obs-text",
         .input =
             "HTTP/1.1 503 Service\tUnavailable \xe2\x80\x94 retry\r\nContent-Length: 0\r\n\r\n",
         .code = 503,
         .content_length = 0},
        {.why = "status 599 is in range",
         .input = "HTTP/1.1 599 X\r\nContent-Length: 0\r\n\r\n",
         .code = 599,
         .content_length = 0},
        {.why = "header value is trimmed and may be empty",
         .input = ok_head + "X-Empty:\r\nX-Pad: \t a b \t\r\nContent-Length:1\r\n\r\nz",
         .content_length = 1,
         .body = "z"},
        {.why = "204 has no body even with Content-Length",
         .input = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/",
         .code = 204,
         .content_length = 5,
         .trailing = 5},
        {.why = "304 has no body",
         .input = "HTTP/1.1 304 Not Modified\r\nContent-Length: 40\r\n\r\n",
         .code = 304,
         .content_length = 40},
        {.why = "101 ends at its blank line; the rest is WebSocket frames",
         .input =
             "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x05hello",
         .code = 101,
         .trailing = 7},
        {.why = "100 Continue is a whole response; the final one follows",
         .input = "HTTP/1.1 100 Continue\r\n\r\n" + ok_head + "Content-Length: 0\r\n\r\n",
         .code = 100,
         .trailing = ok_head.size() + 21},
        {.why = "response to HEAD has no body whatever its headers say",
         .input = ok_head + "Content-Length: 1000\r\n\r\n",
         .content_length = 1000,
         .head_request = true},
        {.why = "chunked body is decoded",
         .input =
             ok_head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
         .chunked = true,
         .body = "hello world"},
        {.why = "chunk sizes in upper case hex with leading zeros",
         .input = ok_head + "Transfer-Encoding: chunked\r\n\r\n00A\r\n0123456789\r\n000\r\n\r\n",
         .chunked = true,
         .body = "0123456789"},
        {.why = "chunk extensions are ignored, with or without BWS and quoted values",
         .input = ok_head +
                  "Transfer-Encoding: chunked\r\n\r\n2;a=b\r\nab\r\n2 \t; x=\"q;r\"\r\ncd\r\n"
                  "0;last\r\n\r\n",
         .chunked = true,
         .body = "abcd"},
        {.why = "trailers are parsed and dropped",
         .input = ok_head + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nChecksum: 9f\r\n"
                            "X-Empty:\r\n\r\nnext",
         .chunked = true,
         .body = "abc",
         .trailing = 4},
        {.why = "empty chunked body",
         .input = ok_head + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         .chunked = true},
        {.why = "transfer coding names are case-insensitive and the list may have empty elements",
         .input = ok_head + "Transfer-Encoding: , Chunked \r\n\r\n1\r\nx\r\n0\r\n\r\n",
         .chunked = true,
         .body = "x"},
        {.why = "chunked wins over Content-Length, and the connection is not reused",
         .input =
             ok_head + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
         .content_length = 3,
         .chunked = true,
         .keep_alive = false,
         .body = "x"},
        {.why = "Connection: close",
         .input = ok_head + "Connection: close\r\nContent-Length: 0\r\n\r\n",
         .content_length = 0,
         .keep_alive = false},
        {.why = "close found among Connection options, any case",
         .input = ok_head + "Connection: keep-alive, CLOSE\r\nContent-Length: 0\r\n\r\n",
         .content_length = 0,
         .keep_alive = false},
        {.why = "HTTP/1.0 is not persistent by default",
         .input = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
         .content_length = 0,
         .keep_alive = false},
        {.why = "HTTP/1.0 with Connection: keep-alive is persistent",
         .input = "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
         .content_length = 0},
        {.why = "no length and not chunked: the body runs to the close",
         .input = ok_head + "Content-Type: text/plain\r\n\r\nuntil close",
         .keep_alive = false,
         .body = "until close",
         .end = at_end::finish},
        {.why = "body to the close may be empty",
         .input = ok_head + "\r\n",
         .keep_alive = false,
         .end = at_end::finish},
    };
}

std::vector<response_case> bad_responses() {
    const parse_status bad = parse_status::bad;
    const std::string te = ok_head + "Transfer-Encoding: chunked\r\n\r\n";
    return {
        {.why = "bare LF line endings",
         .input = "HTTP/1.1 200 OK\nContent-Length: 0\n\n",
         .status = bad,
         .error = "bare LF"},
        {.why = "bare LF ending a header",
         .input = ok_head + "Content-Length: 0\n\r\n",
         .status = bad,
         .error = "bare LF"},
        {.why = "HTTP/2 status line",
         .input = "HTTP/2 200 OK\r\n\r\n",
         .status = bad,
         .error = "unsupported HTTP version"},
        {.why = "lower-case protocol name (RFC 9112 2.3: case-sensitive)",
         .input = "http/1.1 200 OK\r\n\r\n",
         .status = bad,
         .error = "not an HTTP/1.x status line"},
        {.why = "not HTTP at all",
         .input = "ICY 200 OK\r\n\r\n",
         .status = bad,
         .error = "not an HTTP/1.x status line"},
        {.why = "empty status line",
         .input = "\r\n",
         .status = bad,
         .error = "not an HTTP/1.x status line"},
        {.why = "two spaces after the version",
         .input = "HTTP/1.1  200 OK\r\n\r\n",
         .status = bad,
         .error = "status code not three digits"},
        {.why = "two-digit status code",
         .input = "HTTP/1.1 20 OK\r\n\r\n",
         .status = bad,
         .error = "status code not three digits"},
        {.why = "status code 600",
         .input = "HTTP/1.1 600 X\r\n\r\n",
         .status = bad,
         .error = "status code not three digits from 100 to 599"},
        {.why = "four-digit status code",
         .input = "HTTP/1.1 2000 OK\r\n\r\n",
         .status = bad,
         .error = "no space after status code"},
        {.why = "no space after the status code (strict)",
         .input = "HTTP/1.1 200\r\n\r\n",
         .status = bad,
         .error = "no space after status code"},
        {.why = "no space after the version",
         .input = "HTTP/1.1\t200 OK\r\n\r\n",
         .status = bad,
         .error = "no space after HTTP version"},
        {.why = "control byte in reason",
         .input = "HTTP/1.1 200 O\x01K\r\n\r\n",
         .status = bad,
         .error = "invalid character in reason phrase"},
        {.why = "stray CR in reason",
         .input = "HTTP/1.1 200 O\rK\r\n\r\n",
         .status = bad,
         .error = "invalid character in reason phrase"},
        {.why = "whitespace before the colon (RFC 9112 5.1)",
         .input = ok_head + "Content-Length : 0\r\n\r\n",
         .status = bad,
         .error = "whitespace between header name and colon"},
        {.why = "obs-fold (RFC 9112 5.2)",
         .input = ok_head + "X-A: 1\r\n  2\r\nContent-Length: 0\r\n\r\n",
         .status = bad,
         .error = "obs-fold"},
        {.why = "header line without a colon",
         .input = ok_head + "X-A\r\n\r\n",
         .status = bad,
         .error = "without a colon"},
        {.why = "empty header name",
         .input = ok_head + ": v\r\n\r\n",
         .status = bad,
         .error = "empty header name"},
        {.why = "separator in header name",
         .input = ok_head + "X(A): v\r\n\r\n",
         .status = bad,
         .error = "invalid character in header name"},
        {.why = "NUL in header value",
         .input = ok_head + std::string("X-A: a\0b\r\n\r\n", 12),
         .status = bad,
         .error = "invalid character in header value"},
        {.why = "DEL in header value",
         .input = ok_head + "X-A: a\x7f\r\n\r\n",
         .status = bad,
         .error = "invalid character in header value"},
        {.why = "Content-Length not digits",
         .input = ok_head + "Content-Length: 0x10\r\n\r\n",
         .status = bad,
         .error = "Content-Length not a decimal number"},
        {.why = "negative Content-Length",
         .input = ok_head + "Content-Length: -1\r\n\r\n",
         .status = bad,
         .error = "Content-Length not a decimal number"},
        {.why = "signed Content-Length",
         .input = ok_head + "Content-Length: +1\r\n\r\n",
         .status = bad,
         .error = "Content-Length not a decimal number"},
        {.why = "Content-Length list",
         .input = ok_head + "Content-Length: 1, 1\r\n\r\nx",
         .status = bad,
         .error = "Content-Length not a decimal number"},
        {.why = "empty Content-Length",
         .input = ok_head + "Content-Length: \r\n\r\n",
         .status = bad,
         .error = "empty Content-Length"},
        {.why = "Content-Length over int64",
         .input = ok_head + "Content-Length: 9223372036854775808\r\n\r\n",
         .status = bad,
         .error = "Content-Length overflows"},
        {.why = "conflicting Content-Length headers",
         .input = ok_head + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nxy",
         .status = bad,
         .error = "conflicting Content-Length"},
        {.why = "Content-Length beyond the body buffer",
         .input = ok_head + "Content-Length: 65\r\n\r\n",
         .status = bad,
         .error = "body larger than 64 bytes"},
        {.why = "transfer coding we cannot decode",
         .input = ok_head + "Transfer-Encoding: gzip\r\n\r\n",
         .status = bad,
         .error = "unsupported Transfer-Encoding"},
        {.why = "chunked not alone",
         .input = ok_head + "Transfer-Encoding: gzip, chunked\r\n\r\n",
         .status = bad,
         .error = "unsupported Transfer-Encoding"},
        {.why = "chunked applied twice (RFC 9112 7)",
         .input = ok_head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
         .status = bad,
         .error = "unsupported Transfer-Encoding"},
        {.why = "empty Transfer-Encoding",
         .input = ok_head + "Transfer-Encoding:\r\n\r\n",
         .status = bad,
         .error = "unsupported Transfer-Encoding"},
        {.why = "Transfer-Encoding in HTTP/1.0 (RFC 9112 6.1)",
         .input = "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         .status = bad,
         .error = "Transfer-Encoding in an HTTP/1.0 response"},
        {.why = "chunk size not hex",
         .input = te + "zz\r\n",
         .status = bad,
         .error = "chunk size not hex"},
        {.why = "empty chunk size",
         .input = te + "\r\n",
         .status = bad,
         .error = "chunk size not hex"},
        {.why = "chunk size followed by junk",
         .input = te + "5x\r\nhello\r\n0\r\n\r\n",
         .status = bad,
         .error = "chunk size not hex"},
        {.why = "chunk size overflows",
         .input = te + "10000000000000000\r\n",
         .status = bad,
         .error = "chunk size overflows"},
        {.why = "whitespace after the size without an extension",
         .input = te + "1 \r\nx\r\n0\r\n\r\n",
         .status = bad,
         .error = "invalid chunk extension"},
        {.why = "control byte in a chunk extension",
         .input = te + "1;a\x01\r\nx\r\n0\r\n\r\n",
         .status = bad,
         .error = "invalid character in chunk extension"},
        {.why = "chunk size line ended by bare LF",
         .input = te + "1\nx\r\n0\r\n\r\n",
         .status = bad,
         .error = "chunk size line not ended by CRLF"},
        {.why = "chunk extension ended by bare LF",
         .input = te + "1;e\nx\r\n0\r\n\r\n",
         .status = bad,
         .error = "chunk size line not ended by CRLF"},
        {.why = "chunk size line with CR but no LF",
         .input = te + "1\rx\r\n0\r\n\r\n",
         .status = bad,
         .error = "chunk size line not ended by CRLF"},
        {.why = "chunk data longer than its size",
         .input = te + "1\r\nxy\r\n0\r\n\r\n",
         .status = bad,
         .error = "chunk data not followed by CRLF"},
        {.why = "chunk data followed by CR only",
         .input = te + "1\r\nx\rz0\r\n\r\n",
         .status = bad,
         .error = "chunk data not followed by CRLF"},
        {.why = "chunked body over the body buffer",
         .input = te + "40\r\n" + std::string(64, 'a') + "\r\n1\r\nb\r\n0\r\n\r\n",
         .status = bad,
         .error = "body larger than 64 bytes"},
        {.why = "trailer with obs-fold",
         .input = te + "0\r\nA: 1\r\n 2\r\n\r\n",
         .status = bad,
         .error = "obs-fold"},
        {.why = "trailer without a colon",
         .input = te + "0\r\nAbc\r\n\r\n",
         .status = bad,
         .error = "invalid character in trailer name"},
        {.why = "trailer with whitespace before the colon",
         .input = te + "0\r\nA : 1\r\n\r\n",
         .status = bad,
         .error = "whitespace between trailer name and colon"},
        {.why = "trailer value with a bare LF",
         .input = te + "0\r\nA: 1\n\r\n",
         .status = bad,
         .error = "invalid character in trailer value"},
        {.why = "trailer line with CR but no LF",
         .input = te + "0\r\nA: 1\rB: 2\r\n\r\n",
         .status = bad,
         .error = "bare CR in trailer"},
        {.why = "last chunk not ended by CRLF",
         .input = te + "0\r\n\rX",
         .status = bad,
         .error = "chunked body not ended by CRLF"},
        {.why = "body to the close longer than the body buffer",
         .input = ok_head + "\r\n" + std::string(65, 'b'),
         .status = bad,
         .error = "body larger than 64 bytes"},
        {.why = "close in the middle of a Content-Length body",
         .input = ok_head + "Content-Length: 5\r\n\r\nabc",
         .status = bad,
         .end = at_end::finish,
         .error = "connection closed before the response was complete"},
        {.why = "close in the middle of a head",
         .input = ok_head + "Content-Le",
         .status = bad,
         .end = at_end::finish,
         .error = "connection closed before the response was complete"},
        {.why = "close in the middle of a chunked body",
         .input = te + "5\r\nab",
         .status = bad,
         .end = at_end::finish,
         .error = "connection closed before the response was complete"},
    };
}

TEST(http_response_parser, accepts_every_valid_form_whole_at_every_cut_and_byte_by_byte) {
    for (const response_case& c : valid_responses())
        check_case(c);
}

TEST(http_response_parser, rejects_every_bad_form_whole_at_every_cut_and_byte_by_byte) {
    for (const response_case& c : bad_responses())
        check_case(c);
}

// The word-at-a-time value scan against the byte table it replaces: every
// byte value, at every position of a buffer long enough for whole words and a
// tail, with a tab or obs-text before it to check it steps over those.
TEST(http_field_scan, finds_the_first_non_field_byte_exactly_as_the_byte_table_does) {
    for (int before : {int{'a'}, int{'\t'}, 0x80, 0xff}) {
        for (int b = 0; b < 256; ++b) {
            for (size_t pos = 0; pos < 19; ++pos) {
                std::string text(19, 'v');
                if (pos > 0) text[pos - 1] = static_cast<char>(before);
                text[pos] = static_cast<char>(b);
                guarded_buffer g(text);
                const char* begin = g.view().data();
                const char* end = begin + g.size();
                const char* want = begin;
                while (want < end && detail::is_field_char(*want))
                    ++want;
                ASSERT_EQ(detail::find_non_field_char(begin, end), want)
                    << "byte " << b << " at " << pos << " after " << before;
            }
        }
    }
}

// The 16-byte name scan against the tchar table: every byte value at every
// position of a name long enough for whole blocks and a tail, with the
// ':' that ends every header name last.
TEST(http_field_scan, skips_tchars_exactly_as_the_byte_table_does) {
    for (int b = 0; b < 256; ++b) {
        for (size_t pos = 0; pos < 35; ++pos) {
            std::string text = "X-Abcdefghijklmnopqrstuvwxyz0123456:";
            text[pos] = static_cast<char>(b);
            guarded_buffer g(text);
            const char* begin = g.view().data();
            const char* want = begin;
            while (detail::is_tchar(*want))
                ++want;
            ASSERT_EQ(detail::skip_tchars(begin, begin + g.size()), want)
                << "byte " << b << " at " << pos;
        }
    }
}

TEST(http_response_parser, rejects_a_control_byte_anywhere_in_a_long_header_value) {
    for (char bad : {'\0', '\x01', '\x1f', '\x7f', '\r'}) {
        for (size_t pos = 0; pos < 24; ++pos) {
            std::string value = "application/json; q=0.9\t";
            value[pos] = bad;
            const std::string in = ok_head + "X-Long: " + value + "\r\nContent-Length: 0\r\n\r\n";
            const response_outcome o = run_whole<response_rig>(in, at_end::nothing);
            EXPECT_EQ(o.status, parse_status::bad) << int(bad) << " at " << pos;
            EXPECT_EQ(o.error, "invalid character in header value") << int(bad) << " at " << pos;
        }
    }
}

TEST(http_response_parser, reports_status_line_and_headers_as_sent) {
    response_rig rig;
    const std::string in =
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n";
    size_t consumed = 0;
    ASSERT_EQ(rig.parser.feed(in, consumed), parse_status::done);
    const response_head& h = rig.parser.head();
    EXPECT_EQ(h.status, 429);
    EXPECT_EQ(h.minor_version, 1);
    EXPECT_EQ(h.reason, "Too Many Requests");
    ASSERT_EQ(h.headers.size(), 3u);
    EXPECT_EQ(h.headers[0].name, "Retry-After");
    EXPECT_EQ(h.headers[0].value, "2");
    EXPECT_EQ(h.headers[1].value, "");
    EXPECT_EQ(find_header(h.headers, "retry-after"), "2");
}

TEST(http_response_parser, recognises_framing_headers_in_any_case_and_only_by_their_exact_names) {
    const std::string te = "tRaNsFeR-eNcOdInG: ChUnKeD\r\n";
    const response_outcome a = run_whole<response_rig>(
        ok_head + "cOnTeNt-LeNgTh: 1\r\nCONNECTION: CLOSE\r\n\r\nx", at_end::nothing);
    EXPECT_EQ(a.status, parse_status::done);
    EXPECT_EQ(a.content_length, 1);
    EXPECT_FALSE(a.keep_alive);
    const response_outcome b =
        run_whole<response_rig>(ok_head + te + "\r\n0\r\n\r\n", at_end::nothing);
    EXPECT_EQ(b.status, parse_status::done);
    EXPECT_TRUE(b.chunked);
    // Near misses are ordinary headers: no length, so the body runs to the close.
    for (const char* name : {"Content-Lengti", "Content_Length", "Content-Lengt", "Content-Lengthh",
                             "Transfer-Encodinh", "Connectiom", "Contenu-Length"}) {
        const response_outcome o =
            run_whole<response_rig>(ok_head + name + ": 1\r\n\r\nxyz", at_end::finish);
        EXPECT_EQ(o.status, parse_status::done) << name;
        EXPECT_EQ(o.content_length, -1) << name;
        EXPECT_FALSE(o.chunked) << name;
        EXPECT_EQ(o.body, "xyz") << name;
    }
}

TEST(http_response_parser, trims_spaces_and_tabs_around_header_values_only) {
    const std::string in = ok_head + "X-Pad: \t a \t b \t\r\nX-Empty: \t \r\nX-None:\r\n\r\n";
    const response_outcome o = run_whole<response_rig>(in, at_end::finish);
    ASSERT_EQ(o.status, parse_status::done) << o.error;
    EXPECT_EQ(o.headers, (header_list{{"X-Pad", "a \t b"}, {"X-Empty", ""}, {"X-None", ""}}));
}

TEST(http_response_parser, header_views_point_into_the_head_buffer_not_the_input) {
    response_rig rig;
    std::string in = ok_head + "X-A: value\r\nContent-Length: 0\r\n\r\n";
    size_t consumed = 0;
    ASSERT_EQ(rig.parser.feed(in, consumed), parse_status::done);
    std::fill(in.begin(), in.end(), '#'); // the caller reuses its read buffer
    EXPECT_EQ(find_header(rig.parser.head().headers, "x-a"), "value");
    EXPECT_EQ(rig.parser.head().reason, "OK");
}

TEST(http_response_parser, parses_back_to_back_responses_in_one_buffer) {
    const std::string in =
        ok_head + "Content-Length: 3\r\n\r\none" +
        "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n" +
        "HTTP/1.1 204 No Content\r\n\r\n" + ok_head + "Content-Length: 5\r\n\r\nthree";
    const std::vector<std::pair<int, std::string>> want = {
        {200, "one"}, {201, "two"}, {204, ""}, {200, "three"}};
    response_rig rig;
    guarded_buffer g(in);
    std::string_view rest = g.view();
    for (const auto& [code, body] : want) {
        size_t consumed = 0;
        ASSERT_EQ(rig.parser.feed(rest, consumed), parse_status::done) << rig.parser.error_text();
        EXPECT_EQ(rig.parser.head().status, code);
        EXPECT_EQ(rig.parser.body(), body);
        rest.remove_prefix(consumed);
        rig.parser.reset();
    }
    EXPECT_TRUE(rest.empty());
}

TEST(http_response_parser, back_to_back_responses_survive_every_split) {
    const std::string a = ok_head + "Content-Length: 3\r\n\r\none";
    const std::string b =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\ntwo\r\n0\r\nT: 1\r\n\r\n";
    const std::string in = a + b;
    for (size_t k = 0; k <= in.size(); ++k) {
        SCOPED_TRACE("split at " + std::to_string(k));
        response_rig rig;
        std::vector<std::string> bodies;
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
                    bodies.emplace_back(rig.parser.body());
                    rig.parser.reset();
                }
            }
        }
        EXPECT_EQ(bodies, (std::vector<std::string>{"one", "two"}));
    }
}

TEST(http_response_parser, upgrade_leaves_websocket_bytes_unconsumed_however_they_arrive) {
    const std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Accept: x=\r\n\r\n";
    const std::string frames("\x81\x02hi\x89\x00", 6); // a text frame, then a ping
    const std::string in = head + frames;
    for (size_t k = 1; k < in.size(); ++k) {
        response_rig rig;
        size_t c1 = 0, c2 = 0;
        guarded_buffer g1(std::string_view(in).substr(0, k));
        parse_status s = rig.parser.feed(g1.view(), c1);
        std::string ws(in.substr(c1));
        if (s == parse_status::need_more) {
            guarded_buffer g2(std::string_view(in).substr(k));
            s = rig.parser.feed(g2.view(), c2);
            ws = in.substr(k + c2);
        }
        ASSERT_EQ(s, parse_status::done) << k;
        EXPECT_EQ(c1 + c2, head.size()) << k;
        EXPECT_EQ(ws, frames) << k;
        EXPECT_EQ(rig.parser.head().status, 101);
    }
}

TEST(http_response_parser, head_exactly_at_the_head_limit_is_accepted_and_one_more_byte_is_not) {
    const std::string base = ok_head + "Content-Length: 0\r\nX-Pad: ";
    const size_t limit = 128;
    const std::string fits = base + std::string(limit - base.size() - 4, 'p') + "\r\n\r\n";
    ASSERT_EQ(fits.size(), limit);
    const std::string over = base + std::string(limit - base.size() - 3, 'p') + "\r\n\r\n";
    const response_outcome ok = run_whole<response_rig>(fits, at_end::nothing, limit, size_t{0});
    EXPECT_EQ(ok.status, parse_status::done) << ok.error;
    check_every_cut<response_rig>(fits, ok, at_end::nothing, limit, size_t{0});
    const response_outcome bad = run_whole<response_rig>(over, at_end::nothing, limit, size_t{0});
    EXPECT_EQ(bad.status, parse_status::bad);
    EXPECT_EQ(bad.error, "headers larger than 128 bytes");
    check_every_cut<response_rig>(over, bad, at_end::nothing, limit, size_t{0});
}

TEST(http_response_parser, names_the_head_limit_it_enforces) {
    const std::string in = ok_head + "X: " + std::string(9000, 'x') + "\r\n\r\n";
    const response_outcome o =
        run_whole<response_rig>(in, at_end::nothing, size_t{8192}, size_t{0});
    EXPECT_EQ(o.status, parse_status::bad);
    EXPECT_EQ(o.error, "headers larger than 8192 bytes");
}

TEST(http_response_parser, accepts_exactly_max_headers_and_rejects_one_more) {
    std::string fits = ok_head;
    for (int i = 0; i < 3; ++i)
        fits += "X-" + std::to_string(i) + ": v\r\n";
    const std::string over = fits + "X-3: v\r\n\r\n";
    fits += "\r\n";
    // 200 without a length reads to the close; finish() completes it.
    const response_outcome ok =
        run_whole<response_rig>(fits, at_end::finish, size_t{256}, size_t{8}, size_t{3});
    EXPECT_EQ(ok.status, parse_status::done) << ok.error;
    EXPECT_EQ(ok.headers.size(), 3u);
    const response_outcome bad =
        run_whole<response_rig>(over, at_end::finish, size_t{256}, size_t{8}, size_t{3});
    EXPECT_EQ(bad.status, parse_status::bad);
    EXPECT_EQ(bad.error, "more than 3 headers");
    EXPECT_FALSE(bad.head_complete);
}

TEST(http_response_parser,
     content_length_body_exactly_at_the_body_limit_fits_and_one_more_does_not) {
    const std::string fits = ok_head + "Content-Length: 16\r\n\r\n" + std::string(16, 'a');
    const std::string over = ok_head + "Content-Length: 17\r\n\r\n" + std::string(17, 'a');
    const response_outcome ok =
        run_whole<response_rig>(fits, at_end::nothing, size_t{256}, size_t{16});
    EXPECT_EQ(ok.status, parse_status::done);
    EXPECT_EQ(ok.body, std::string(16, 'a'));
    check_every_cut<response_rig>(fits, ok, at_end::nothing, size_t{256}, size_t{16});
    const response_outcome bad =
        run_whole<response_rig>(over, at_end::nothing, size_t{256}, size_t{16});
    EXPECT_EQ(bad.status, parse_status::bad);
    EXPECT_EQ(bad.error, "body larger than 16 bytes");
    EXPECT_TRUE(bad.head_complete); // the status is still there to log
    EXPECT_EQ(bad.code, 200);
}

TEST(http_response_parser, chunked_body_exactly_at_the_body_limit_fits_and_one_more_does_not) {
    const std::string te = ok_head + "Transfer-Encoding: chunked\r\n\r\n";
    const std::string fits = te + "a\r\n0123456789\r\n6\r\nabcdef\r\n0\r\n\r\n";
    const std::string over = te + "a\r\n0123456789\r\n7\r\nabcdefg\r\n0\r\n\r\n";
    const response_outcome ok =
        run_whole<response_rig>(fits, at_end::nothing, size_t{256}, size_t{16});
    EXPECT_EQ(ok.status, parse_status::done) << ok.error;
    EXPECT_EQ(ok.body, "0123456789abcdef");
    check_every_cut<response_rig>(fits, ok, at_end::nothing, size_t{256}, size_t{16});
    const response_outcome bad =
        run_whole<response_rig>(over, at_end::nothing, size_t{256}, size_t{16});
    EXPECT_EQ(bad.status, parse_status::bad);
    EXPECT_EQ(bad.error, "body larger than 16 bytes");
    check_every_cut<response_rig>(over, bad, at_end::nothing, size_t{256}, size_t{16});
}

TEST(http_response_parser, body_to_the_close_exactly_at_the_body_limit_fits_and_one_more_does_not) {
    const std::string fits = ok_head + "\r\n" + std::string(16, 'c');
    const std::string over = fits + "c";
    const response_outcome ok =
        run_whole<response_rig>(fits, at_end::finish, size_t{256}, size_t{16});
    EXPECT_EQ(ok.status, parse_status::done) << ok.error;
    EXPECT_EQ(ok.body.size(), 16u);
    check_every_cut<response_rig>(fits, ok, at_end::finish, size_t{256}, size_t{16});
    const response_outcome bad =
        run_whole<response_rig>(over, at_end::finish, size_t{256}, size_t{16});
    EXPECT_EQ(bad.status, parse_status::bad);
    EXPECT_EQ(bad.error, "body larger than 16 bytes");
    check_every_cut<response_rig>(over, bad, at_end::finish, size_t{256}, size_t{16});
}

TEST(http_response_parser, bounds_chunk_extensions_and_trailers_by_the_head_limit) {
    const std::string te = ok_head + "Transfer-Encoding: chunked\r\n\r\n";
    const std::string long_ext = te + "1;" + std::string(200, 'e') + "\r\nx\r\n0\r\n\r\n";
    const response_outcome e =
        run_whole<response_rig>(long_ext, at_end::nothing, size_t{128}, size_t{16});
    EXPECT_EQ(e.error, "chunk extension longer than 128 bytes");
    const std::string long_trailer = te + "0\r\nT: " + std::string(200, 't') + "\r\n\r\n";
    const response_outcome t =
        run_whole<response_rig>(long_trailer, at_end::nothing, size_t{128}, size_t{16});
    EXPECT_EQ(t.error, "trailers larger than 128 bytes");
}

TEST(http_response_parser, bad_is_sticky_until_reset) {
    response_rig rig;
    size_t consumed = 0;
    ASSERT_EQ(rig.parser.feed("HTTP/9 200 OK\r\n\r\n", consumed), parse_status::bad);
    EXPECT_FALSE(rig.parser.head_complete());
    const std::string good = ok_head + "Content-Length: 0\r\n\r\n";
    EXPECT_EQ(rig.parser.feed(good, consumed), parse_status::bad);
    EXPECT_EQ(consumed, 0u);
    EXPECT_EQ(rig.parser.finish(), parse_status::bad);
    rig.parser.reset();
    EXPECT_STREQ(rig.parser.error_text(), "");
    EXPECT_EQ(rig.parser.feed(good, consumed), parse_status::done);
    EXPECT_EQ(consumed, good.size());
}

TEST(http_response_parser, keeps_its_error_text_when_moved) {
    auto rig = std::make_unique<response_rig>(size_t{64}, size_t{16});
    size_t consumed = 0;
    const std::string in = ok_head + "X: " + std::string(100, 'x') + "\r\n\r\n";
    ASSERT_EQ(rig->parser.feed(in, consumed), parse_status::bad);
    response_parser moved = std::move(rig->parser);
    rig.reset(); // the moved-from parser's memory is gone
    EXPECT_STREQ(moved.error_text(), "headers larger than 64 bytes");
}

TEST(http_response_parser, done_consumes_nothing_more_until_reset) {
    response_rig rig;
    size_t consumed = 0;
    const std::string good = ok_head + "Content-Length: 1\r\n\r\nx";
    ASSERT_EQ(rig.parser.feed(good, consumed), parse_status::done);
    EXPECT_EQ(rig.parser.feed(good, consumed), parse_status::done);
    EXPECT_EQ(consumed, 0u);
    EXPECT_EQ(rig.parser.body(), "x");
}

TEST(http_response_parser, reset_clears_expect_no_body) {
    response_rig rig;
    size_t consumed = 0;
    const std::string in = ok_head + "Content-Length: 2\r\n\r\nab";
    rig.parser.expect_no_body();
    ASSERT_EQ(rig.parser.feed(in, consumed), parse_status::done);
    EXPECT_EQ(consumed, in.size() - 2);
    rig.parser.reset();
    ASSERT_EQ(rig.parser.feed(in, consumed), parse_status::done);
    EXPECT_EQ(consumed, in.size());
    EXPECT_EQ(rig.parser.body(), "ab");
}

TEST(http_response_parser, empty_feed_needs_more_and_consumes_nothing) {
    response_rig rig;
    size_t consumed = 99;
    EXPECT_EQ(rig.parser.feed({}, consumed), parse_status::need_more);
    EXPECT_EQ(consumed, 0u);
}

} // namespace
} // namespace ef::http::test
