// Counts heap allocations while the parsers and writers work: after
// construction they must make none (STYLE.md "Allocations"). The counter is
// the replaced operator new in alloc_counter.cpp.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "http/request_parser.hpp"
#include "http/request_writer.hpp"
#include "http/response_parser.hpp"

uint64_t http_test_allocations() noexcept;

namespace ef::http {
namespace {

TEST(http_allocations, parsing_and_writing_allocate_nothing_after_construction) {
    static char head[1024], body[1024], req_head[1024], req_body[1024], out[1024];
    response_parser rp(head, body);
    request_parser qp(req_head, req_body);
    const std::string responses =
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x\r\nhello\r\n0\r\nT: v\r\n\r\n"
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    const std::string requests =
        "POST /o?api_key=k HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}";
    const header hs[] = {{"X-API-Key", "k"}};

    const uint64_t before = http_test_allocations();
    for (int round = 0; round < 3; ++round) {
        std::string_view rest = responses;
        while (!rest.empty()) {
            size_t consumed = 0;
            ASSERT_EQ(rp.feed(rest, consumed), parse_status::done);
            rest.remove_prefix(consumed);
            rp.reset();
        }
        size_t consumed = 0;
        ASSERT_EQ(qp.feed(requests, consumed), parse_status::done);
        char dec[16];
        std::string_view key;
        ASSERT_EQ(find_query_param(qp.head().query, "api_key", dec, key), codec_status::ok);
        qp.reset();
        ASSERT_EQ(rp.feed("HTTP/1.1 999 X\r\n\r\n", consumed), parse_status::bad);
        rp.reset();
        ASSERT_GT(write_request(out, "POST", "/o", "h", hs, std::string_view("{}")), 0u);
        ASSERT_GT(write_response(out, 200, "OK", hs, "body", 2), 0u);
    }
    EXPECT_EQ(http_test_allocations(), before);
}

TEST(http_allocations, the_counter_sees_an_allocation) {
    const uint64_t before = http_test_allocations();
    // A test that cannot fail is a defect: show the counter counts.
    auto p = std::make_unique<std::string>(100, 'x');
    EXPECT_GT(http_test_allocations(), before);
    EXPECT_EQ(p->size(), 100u);
}

} // namespace
} // namespace ef::http
