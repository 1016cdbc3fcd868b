// The opening handshake: RFC 6455's sample key and accept, the exact request
// and response text, and tables for both sides' checks (RFC 6455 4.1, 4.2.1).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/support/guarded_buffer.hpp"
#include "ws/handshake.hpp"

namespace ef::ws {
namespace {

using http::header;

constexpr std::string_view rfc_key = "dGhlIHNhbXBsZSBub25jZQ==";     // RFC 6455 1.3
constexpr std::string_view rfc_accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="; // RFC 6455 1.3

std::string str(std::span<const char> s) { return std::string(s.begin(), s.end()); }

TEST(ws_handshake, computes_the_rfc_6455_sample_accept_from_its_sample_key) {
    EXPECT_EQ(str(compute_accept(rfc_key)), rfc_accept);
}

TEST(ws_handshake, makes_the_rfc_6455_sample_key_from_its_sample_nonce) {
    const std::string_view nonce = "the sample nonce";
    std::array<uint8_t, 16> random;
    std::copy(nonce.begin(), nonce.end(), random.begin());
    EXPECT_EQ(str(make_client_key(random)), rfc_key);
}

TEST(ws_handshake, encodes_keys_at_the_ends_of_the_base64_alphabet) {
    std::array<uint8_t, 16> zeros{};
    std::array<uint8_t, 16> ones;
    ones.fill(0xFF);
    EXPECT_EQ(str(make_client_key(zeros)), "AAAAAAAAAAAAAAAAAAAAAA==");
    EXPECT_EQ(str(make_client_key(ones)), "/////////////////////w==");
}

TEST(ws_handshake, writes_the_upgrade_request_with_extra_headers_and_no_extension_offer) {
    const header extras[] = {{"X-API-Key", "om_data_live_x"}, {"User-Agent", "edgefeed"}};
    char out[512];
    const size_t n = write_upgrade_request(out, "api.example:443", "/flow/v1/stream?api_key=k", rfc_key, extras);
    EXPECT_EQ(std::string(out, n),
              "GET /flow/v1/stream?api_key=k HTTP/1.1\r\n"
              "Host: api.example:443\r\n"
              "Upgrade: websocket\r\n"
              "Connection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "Sec-WebSocket-Version: 13\r\n"
              "X-API-Key: om_data_live_x\r\n"
              "User-Agent: edgefeed\r\n"
              "\r\n");
}

TEST(ws_handshake, writes_slash_for_an_empty_path) {
    char out[256];
    const size_t n = write_upgrade_request(out, "h", "", rfc_key, {});
    EXPECT_EQ(std::string(out, n).substr(0, 16), "GET / HTTP/1.1\r\n");
}

TEST(ws_handshake, returns_zero_for_every_request_buffer_too_small) {
    const header extras[] = {{"X-API-Key", "k"}};
    char big[512];
    const size_t need = write_upgrade_request(big, "h", "/p", rfc_key, extras);
    ASSERT_GT(need, 0u);
    for (size_t size = 0; size < need; ++size) {
        ef::test::guarded_buffer out{std::string(size, '\0')};
        std::span<char> s(reinterpret_cast<char*>(out.data()), size);
        ASSERT_EQ(write_upgrade_request(s, "h", "/p", rfc_key, extras), 0u) << size;
    }
    ef::test::guarded_buffer out{std::string(need, '\0')};
    EXPECT_EQ(write_upgrade_request({reinterpret_cast<char*>(out.data()), need}, "h", "/p", rfc_key, extras),
              need);
}

TEST(ws_handshake, refuses_fields_that_would_split_the_request) {
    char out[512];
    const header crlf_value[] = {{"X-API-Key", "k\r\nEvil: 1"}};
    const header colon_name[] = {{"X-A:b", "k"}};
    const header empty_name[] = {{"", "k"}};
    const header space_name[] = {{"X A", "k"}};
    EXPECT_EQ(write_upgrade_request(out, "h\r\n", "/", rfc_key, {}), 0u);
    EXPECT_EQ(write_upgrade_request(out, "h", "/a\nb", rfc_key, {}), 0u);
    EXPECT_EQ(write_upgrade_request(out, "h", "/", std::string_view("k\0y", 3), {}), 0u);
    EXPECT_EQ(write_upgrade_request(out, "h", "/", rfc_key, crlf_value), 0u);
    EXPECT_EQ(write_upgrade_request(out, "h", "/", rfc_key, colon_name), 0u);
    EXPECT_EQ(write_upgrade_request(out, "h", "/", rfc_key, empty_name), 0u);
    EXPECT_EQ(write_upgrade_request(out, "h", "/", rfc_key, space_name), 0u);
}

TEST(ws_handshake, checks_the_upgrade_response_as_rfc_6455_4_1_requires) {
    struct row {
        const char* why;
        int status;
        std::vector<header> headers;
        upgrade_check want;
    };
    const std::string_view acc = rfc_accept;
    const std::vector<row> rows = {
        {"the RFC's sample response", 101,
         {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", acc}},
         upgrade_check::ok},
        {"names and values in other cases", 101,
         {{"upgrade", "WebSocket"}, {"CONNECTION", "upgrade"}, {"sec-websocket-accept", acc}},
         upgrade_check::ok},
        {"Connection as a token list", 101,
         {{"Upgrade", "websocket"}, {"Connection", "keep-alive,  Upgrade\t"}, {"Sec-WebSocket-Accept", acc}},
         upgrade_check::ok},
        {"upgrade token in a second Connection header", 101,
         {{"Upgrade", "websocket"}, {"Connection", "keep-alive"}, {"Connection", "upgrade"},
          {"Sec-WebSocket-Accept", acc}},
         upgrade_check::ok},
        {"empty extension and protocol headers offer nothing", 101,
         {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", acc},
          {"Sec-WebSocket-Extensions", ""}, {"Sec-WebSocket-Protocol", ""}},
         upgrade_check::ok},
        {"200 OK", 200,
         {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", acc}},
         upgrade_check::not_101},
        {"401 from a bad key", 401, {}, upgrade_check::not_101},
        {"no Upgrade", 101, {{"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", acc}},
         upgrade_check::missing_upgrade},
        {"Upgrade to something else", 101,
         {{"Upgrade", "h2c"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", acc}},
         upgrade_check::missing_upgrade},
        {"Upgrade with websocket in a list", 101,
         {{"Upgrade", "websocket, h2c"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", acc}},
         upgrade_check::missing_upgrade},
        {"no Connection", 101, {{"Upgrade", "websocket"}, {"Sec-WebSocket-Accept", acc}},
         upgrade_check::missing_connection},
        {"Connection without the upgrade token", 101,
         {{"Upgrade", "websocket"}, {"Connection", "keep-alive, upgrades"}, {"Sec-WebSocket-Accept", acc}},
         upgrade_check::missing_connection},
        {"no accept", 101, {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}},
         upgrade_check::bad_accept},
        {"accept for another key", 101,
         {{"Upgrade", "websocket"}, {"Connection", "Upgrade"},
          {"Sec-WebSocket-Accept", "HSmrc0sMlYUkAGmm5OPpG2HaGWk="}},
         upgrade_check::bad_accept},
        {"accept in the wrong case", 101,
         {{"Upgrade", "websocket"}, {"Connection", "Upgrade"},
          {"Sec-WebSocket-Accept", "S3PPLMBITXAQ9KYGZZHZRBK+XOO="}},
         upgrade_check::bad_accept},
        {"accept with a byte more", 101,
         {{"Upgrade", "websocket"}, {"Connection", "Upgrade"},
          {"Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=="}},
         upgrade_check::bad_accept},
        {"an extension we did not offer", 101,
         {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", acc},
          {"Sec-WebSocket-Extensions", "permessage-deflate"}},
         upgrade_check::unexpected_extension},
        {"a subprotocol we did not offer", 101,
         {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", acc},
          {"Sec-WebSocket-Protocol", "chat"}},
         upgrade_check::unexpected_protocol},
    };
    for (const row& r : rows)
        EXPECT_EQ(check_upgrade_response(r.status, r.headers, rfc_key), r.want) << r.why;
}

TEST(ws_handshake, checks_the_upgrade_request_as_rfc_6455_4_2_1_requires) {
    struct row {
        const char* why;
        std::vector<header> headers;
        request_check want;
    };
    const header host{"Host", "server.example.com"}, up{"Upgrade", "websocket"},
        conn{"Connection", "Upgrade"}, ver{"Sec-WebSocket-Version", "13"}, key{"Sec-WebSocket-Key", rfc_key};
    const std::vector<row> rows = {
        {"the RFC's sample request", {host, up, conn, key, ver}, request_check::ok},
        {"token lists and other cases",
         {{"host", "h"}, {"UPGRADE", "h2c, WebSocket"}, {"connection", "keep-alive, UPGRADE"}, key, ver},
         request_check::ok},
        {"no Host", {up, conn, key, ver}, request_check::missing_host},
        {"no Upgrade", {host, conn, key, ver}, request_check::missing_upgrade},
        {"Upgrade to h2c only", {host, {"Upgrade", "h2c"}, conn, key, ver}, request_check::missing_upgrade},
        {"no Connection", {host, up, key, ver}, request_check::missing_connection},
        {"Connection: close", {host, up, {"Connection", "close"}, key, ver}, request_check::missing_connection},
        {"version 8", {host, up, conn, key, {"Sec-WebSocket-Version", "8"}}, request_check::bad_version},
        {"no version", {host, up, conn, key}, request_check::bad_version},
        {"no key", {host, up, conn, ver}, request_check::bad_key},
        {"key of 23 chars", {host, up, conn, ver, {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ="}},
         request_check::bad_key},
        {"key of 24 chars without padding",
         {host, up, conn, ver, {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQab"}}, request_check::bad_key},
        {"key with a character outside base64",
         {host, up, conn, ver, {"Sec-WebSocket-Key", "dGhlIHNhbX!sZSBub25jZQ=="}}, request_check::bad_key},
        {"key whose padding bits are not zero",
         {host, up, conn, ver, {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZR=="}}, request_check::bad_key},
    };
    for (const row& r : rows) {
        const upgrade_request got = check_upgrade_request(r.headers);
        EXPECT_EQ(got.check, r.want) << r.why;
        if (r.want == request_check::ok) {
            EXPECT_EQ(got.client_key, rfc_key) << r.why;
        }
    }
}

TEST(ws_handshake, writes_the_101_response) {
    char out[256];
    const size_t n = write_upgrade_response(out, rfc_accept);
    EXPECT_EQ(std::string(out, n),
              "HTTP/1.1 101 Switching Protocols\r\n"
              "Upgrade: websocket\r\n"
              "Connection: Upgrade\r\n"
              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
              "\r\n");
    for (size_t size = 0; size < n; ++size) ASSERT_EQ(write_upgrade_response({out, size}, rfc_accept), 0u);
}

// Splits "Name: value" lines the way an HTTP parser would hand them over.
std::vector<header> parse_lines(std::string_view text) {
    std::vector<header> out;
    text = text.substr(text.find("\r\n") + 2); // skip the start line
    while (true) {
        const size_t eol = text.find("\r\n");
        const std::string_view line = text.substr(0, eol);
        if (line.empty()) break;
        const size_t colon = line.find(':');
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        out.push_back({line.substr(0, colon), value});
        text = text.substr(eol + 2);
    }
    return out;
}

TEST(ws_handshake, completes_a_handshake_between_our_client_and_our_server) {
    std::array<uint8_t, 16> random;
    for (size_t i = 0; i < random.size(); ++i) random[i] = static_cast<uint8_t>(i * 37 + 5);
    const std::array<char, 24> key = make_client_key(random);
    const std::string_view key_sv(key.data(), key.size());
    char req[512];
    const size_t req_n = write_upgrade_request(req, "venue", "/flow/v1/stream", key_sv, {});
    ASSERT_GT(req_n, 0u);
    const upgrade_request seen = check_upgrade_request(parse_lines({req, req_n}));
    ASSERT_EQ(seen.check, request_check::ok);
    const std::array<char, 28> accept = compute_accept(seen.client_key);
    char resp[256];
    const size_t resp_n = write_upgrade_response(resp, {accept.data(), accept.size()});
    ASSERT_GT(resp_n, 0u);
    EXPECT_EQ(check_upgrade_response(101, parse_lines({resp, resp_n}), key_sv), upgrade_check::ok);
}

TEST(ws_handshake, names_every_verdict_distinctly) {
    std::set<std::string> names;
    for (int c = 0; c <= static_cast<int>(upgrade_check::unexpected_protocol); ++c)
        names.insert(to_string(static_cast<upgrade_check>(c)));
    EXPECT_EQ(names.size(), 7u);
    std::set<std::string> req_names;
    for (int c = 0; c <= static_cast<int>(request_check::bad_key); ++c)
        req_names.insert(to_string(static_cast<request_check>(c)));
    EXPECT_EQ(req_names.size(), 6u);
}

} // namespace
} // namespace ef::ws
