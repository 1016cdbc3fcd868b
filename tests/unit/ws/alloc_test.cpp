// The decoder allocates nothing after construction: global operator new is
// replaced in this test executable and counted around a warm decode loop.

// GCC pairs the replaced operator new below with free() across inlining and
// warns of a mismatch that is not there: both sides are malloc/free.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "ws/frame_writer.hpp"
#include "ws_test_support.hpp"

namespace {
std::atomic<uint64_t> news{0};
}

void* operator new(size_t n) {
    news.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace ef::ws::test {
namespace {

// Counts events without storing them, so the handler allocates nothing.
struct counting_handler {
    size_t messages = 0, bytes_seen = 0, controls = 0;
    void on_message(opcode, std::span<const uint8_t> p) {
        ++messages;
        bytes_seen += p.size();
    }
    void on_ping(std::span<const uint8_t>) { ++controls; }
    void on_pong(std::span<const uint8_t>) { ++controls; }
    void on_close(uint16_t, std::string_view) { ++controls; }
};

TEST(ws_frame_parser, allocates_nothing_while_decoding) {
    for (role ro : {role::client, role::server}) {
        const bytes wire = build(ro, {F(0x81, A(128)), F(0x01, A(300)), F(0x89, "p"),
                                      F(0x80, B("\xE2\x82\xAC")), F(0x82, R(70000)), F(0x8A, "")});
        bytes storage(100000);
        message_decoder<counting_handler> dec(ro, storage);
        counting_handler h;
        bytes work = wire;
        const uint64_t before = news.load();
        for (int round = 0; round < 50; ++round) {
            work = wire; // the server role unmasks in place; vector assignment reuses capacity
            const size_t cut = static_cast<size_t>(round * 37) % wire.size();
            ASSERT_EQ(dec.feed(std::span(work).first(cut), h), decode_status::ok);
            ASSERT_EQ(dec.feed(std::span(work).subspan(cut), h), decode_status::ok);
        }
        EXPECT_EQ(news.load() - before, 0u) << name(ro);
        EXPECT_EQ(h.messages, 150u);
        EXPECT_EQ(h.controls, 100u);
    }
}

TEST(ws_frame_writer, allocates_nothing_while_encoding) {
    bytes out(80000);
    const bytes payload = R(70000);
    const uint64_t before = news.load();
    size_t total = 0;
    for (int i = 0; i < 50; ++i) {
        total += encode_frame(out, opcode::binary, true, payload, 0x01020304u);
        total += encode_close(out, 1000, "bye", std::nullopt);
    }
    EXPECT_EQ(news.load() - before, 0u);
    EXPECT_GT(total, 0u);
}

} // namespace
} // namespace ef::ws::test
