// Tests for the request and response writers: exact bytes, the "does not fit"
// contract (every size one short of enough gives 0, writing nothing past the
// buffer), and round trips through the parsers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/request_writer.hpp"
#include "tests/unit/http/harness.hpp"

namespace ef::http::test {
namespace {

const header api_headers[] = {{"X-API-Key", "om_live_k"}, {"Accept", "application/json"}};

std::string written(std::span<char> out, size_t n) {
    return {out.data(), n};
}

TEST(http_request_writer, writes_a_get_without_a_body_or_content_length) {
    char buf[256];
    const size_t n = write_request(buf, "GET", "/flow/v1/contests/c1/liquidity",
                                   "api.openmarkets.test", api_headers);
    EXPECT_EQ(written(buf, n), "GET /flow/v1/contests/c1/liquidity HTTP/1.1\r\n"
                               "Host: api.openmarkets.test\r\n"
                               "X-API-Key: om_live_k\r\n"
                               "Accept: application/json\r\n\r\n");
}

TEST(http_request_writer, writes_a_post_with_content_length_and_body) {
    char buf[256];
    const std::string body = R"({"orders":[{"position_hash":"h","shares":100,"max_price":0.42}]})";
    const size_t n = write_request(buf, "POST", "/flow/v1/auth/orders/buy", "h", {}, body);
    EXPECT_EQ(written(buf, n),
              "POST /flow/v1/auth/orders/buy HTTP/1.1\r\nHost: h\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
}

TEST(http_request_writer, writes_content_length_zero_for_an_empty_body_given) {
    char buf[128];
    const size_t n = write_request(buf, "POST", "/x", "h", {}, std::string_view{});
    EXPECT_EQ(written(buf, n), "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
}

TEST(http_request_writer, returns_zero_when_one_byte_short_and_writes_nothing_past_the_buffer) {
    const std::string body(100, 'b');
    char probe[512];
    const size_t need =
        write_request(probe, "POST", "/flow/v1/auth/orders/buy", "host", api_headers, body);
    ASSERT_GT(need, 0u);
    for (size_t n = 0; n < need; ++n) {
        guarded_buffer mem(std::string(n, '\0'));
        EXPECT_EQ(write_request(as_chars(mem), "POST", "/flow/v1/auth/orders/buy", "host",
                                api_headers, body),
                  0u)
            << n;
    }
    guarded_buffer exact(std::string(need, '\0'));
    EXPECT_EQ(write_request(as_chars(exact), "POST", "/flow/v1/auth/orders/buy", "host",
                            api_headers, body),
              need);
    EXPECT_EQ(exact.view(), std::string_view(probe, need));
}

TEST(http_request_writer, round_trips_through_the_request_parser) {
    struct row {
        std::string_view method, target;
        std::vector<header> headers;
        std::optional<std::string_view> body;
    };
    const std::vector<row> rows = {
        {"GET", "/flow/v1/contests?cursor=c2&limit=50", {{"X-API-Key", "k"}}, std::nullopt},
        {"GET", "/flow/v1/depth/ct_1%3Amk_ml%3Aside_home", {}, std::nullopt},
        {"POST",
         "/flow/v1/auth/orders/buy",
         {{"X-API-Key", "k"},
          {"X-OpenMarkets-Account", "u1"},
          {"Content-Type", "application/json"}},
         std::string_view(R"({"orders":[]})")},
        {"PATCH",
         "/accounts/a1/orders/o1",
         {{"client-id", "c"}, {"client-secret", "s"}},
         std::string_view(R"({"order_qty":"5"})")},
        {"DELETE", "/accounts/a1/orders/o1", {{"user-id", "u"}}, std::nullopt},
        {"POST", "/contest-state/batch", {}, std::string_view("")},
    };
    for (const row& r : rows) {
        SCOPED_TRACE(std::string(r.method) + " " + std::string(r.target));
        char buf[512];
        const size_t n = write_request(buf, r.method, r.target, "api.test", r.headers, r.body);
        ASSERT_GT(n, 0u);
        const request_outcome o = run_whole<request_rig>(std::string_view(buf, n), at_end::nothing);
        ASSERT_EQ(o.status, parse_status::done) << o.error;
        EXPECT_EQ(o.consumed, n);
        EXPECT_EQ(o.method, r.method);
        EXPECT_EQ(o.target, r.target);
        EXPECT_EQ(o.minor, 1);
        EXPECT_TRUE(o.keep_alive);
        header_list want = {{"Host", "api.test"}};
        for (const header& h : r.headers)
            want.emplace_back(std::string(h.name), std::string(h.value));
        if (r.body) want.emplace_back("Content-Length", std::to_string(r.body->size()));
        EXPECT_EQ(o.headers, want);
        EXPECT_EQ(o.body, r.body.value_or(""));
        EXPECT_EQ(o.content_length, r.body ? static_cast<int64_t>(r.body->size()) : -1);
    }
}

TEST(http_response_writer, writes_content_length_framing) {
    char buf[256];
    const header hs[] = {{"Content-Type", "application/json"}};
    const size_t n = write_response(buf, 200, "OK", hs, R"({"data":[]})");
    EXPECT_EQ(written(buf, n), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: 11\r\n\r\n{\"data\":[]}");
}

TEST(http_response_writer, writes_chunked_framing_in_chunks_of_the_given_size) {
    char buf[256];
    const size_t n = write_response(buf, 200, "OK", {}, "abcdefghij", 4);
    EXPECT_EQ(written(buf, n), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "4\r\nabcd\r\n4\r\nefgh\r\n2\r\nij\r\n0\r\n\r\n");
}

TEST(http_response_writer, writes_no_framing_for_101_204_and_304) {
    char buf[256];
    const header hs[] = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
    size_t n = write_response(buf, 101, "Switching Protocols", hs, "");
    EXPECT_EQ(written(buf, n), "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\n\r\n");
    n = write_response(buf, 204, "No Content", {}, "", 16);
    EXPECT_EQ(written(buf, n), "HTTP/1.1 204 No Content\r\n\r\n");
    n = write_response(buf, 304, "Not Modified", {}, "");
    EXPECT_EQ(written(buf, n), "HTTP/1.1 304 Not Modified\r\n\r\n");
}

TEST(http_response_writer, returns_zero_when_one_byte_short_in_both_framings) {
    const std::string body(37, 'x');
    for (size_t chunk : {size_t{0}, size_t{1}, size_t{16}, size_t{37}, size_t{100}}) {
        char probe[512];
        const size_t need = write_response(probe, 200, "OK", api_headers, body, chunk);
        ASSERT_GT(need, 0u);
        for (size_t n = 0; n < need; ++n) {
            guarded_buffer mem(std::string(n, '\0'));
            EXPECT_EQ(write_response(as_chars(mem), 200, "OK", api_headers, body, chunk), 0u)
                << chunk << " " << n;
        }
        guarded_buffer exact(std::string(need, '\0'));
        EXPECT_EQ(write_response(as_chars(exact), 200, "OK", api_headers, body, chunk), need);
        EXPECT_EQ(exact.view(), std::string_view(probe, need));
    }
}

TEST(http_response_writer, round_trips_through_the_response_parser_in_every_chunk_size) {
    const std::string body = R"({"data":[{"liquidity_hash":"kalshi:c:m:s:v:p:t","price":0.49}]})";
    for (size_t chunk = 0; chunk <= body.size() + 1; ++chunk) {
        SCOPED_TRACE("chunk size " + std::to_string(chunk));
        char buf[1024];
        const header hs[] = {{"Content-Type", "application/json"}};
        const size_t n = write_response(buf, 200, "OK", hs, body, chunk);
        ASSERT_GT(n, 0u);
        const response_outcome o = run_whole<response_rig>(
            std::string_view(buf, n), at_end::nothing, size_t{256}, body.size());
        ASSERT_EQ(o.status, parse_status::done) << o.error;
        EXPECT_EQ(o.consumed, n);
        EXPECT_EQ(o.body, body);
        EXPECT_EQ(o.chunked, chunk != 0);
        EXPECT_EQ(o.content_length, chunk == 0 ? static_cast<int64_t>(body.size()) : -1);
        EXPECT_TRUE(o.keep_alive);
    }
}

TEST(http_writer_checks, tell_tokens_field_values_and_targets_from_bad_ones) {
    EXPECT_TRUE(is_token("X-API-Key"));
    EXPECT_FALSE(is_token(""));
    EXPECT_FALSE(is_token("X API"));
    EXPECT_FALSE(is_token("X:"));
    EXPECT_TRUE(is_field_value(""));
    EXPECT_TRUE(is_field_value("a b\tc"));
    EXPECT_FALSE(is_field_value("k\r\nX-Injected: 1"));
    EXPECT_FALSE(is_field_value(" padded"));
    EXPECT_FALSE(is_field_value("padded\t"));
    EXPECT_FALSE(is_field_value(std::string_view("a\0b", 3)));
    EXPECT_TRUE(is_origin_form("/flow/v1/depth/a%3Ab?x=1"));
    EXPECT_FALSE(is_origin_form(""));
    EXPECT_FALSE(is_origin_form("flow"));
    EXPECT_FALSE(is_origin_form("/a b"));
    EXPECT_FALSE(is_origin_form("/a\r\n"));
}

} // namespace
} // namespace ef::http::test
