// message_decoder: every RFC 6455 rule it enforces, as tables fed whole, at
// every prefix and at every split (ws_test_support.hpp), in both roles; plus
// the properties a table cannot show (zero copy, fail-fast, state after end).
#include <gtest/gtest.h>

#include "ws_test_support.hpp"

namespace ef::ws::test {
namespace {

constexpr uint8_t FIN = 0x80;
constexpr uint8_t CONT = 0x0, TEXT = 0x1, BIN = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

row make_row(std::string why, std::vector<wire_frame> frames, std::vector<event> expected) {
    row r;
    r.why = std::move(why);
    r.frames = std::move(frames);
    r.expected = std::move(expected);
    return r;
}

row ok_row(std::string why, std::vector<wire_frame> frames, std::vector<event> expected) {
    return make_row(std::move(why), std::move(frames), std::move(expected));
}

row fail_row(std::string why, std::vector<wire_frame> frames, uint16_t code,
             std::vector<event> expected = {}) {
    row r = make_row(std::move(why), std::move(frames), std::move(expected));
    r.status = decode_status::failed;
    r.code = code;
    return r;
}

row closed_row(std::string why, std::vector<wire_frame> frames, std::vector<event> expected) {
    row r = make_row(std::move(why), std::move(frames), std::move(expected));
    r.status = decode_status::closed;
    return r;
}

TEST(ws_frame_parser, decodes_the_rfc_6455_section_5_7_examples_byte_for_byte) {
    std::vector<row> rows;
    auto raw = [&](std::string why, role ro, bytes in, std::vector<event> ev) {
        row r = make_row(std::move(why), {}, std::move(ev));
        r.only_role = ro;
        r.raw = std::move(in);
        rows.push_back(std::move(r));
    };
    raw("single-frame unmasked text", role::client, {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f},
        {text("Hello")});
    raw("single-frame masked text", role::server,
        {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, {text("Hello")});
    raw("fragmented unmasked text", role::client,
        {0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}, {text("Hello")});
    raw("unmasked ping", role::client, {0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f},
        {ping(B("Hello"))});
    raw("masked pong", role::server,
        {0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, {pong(B("Hello"))});
    const bytes b256 = R(256, 7);
    raw("256 bytes binary in one unmasked frame", role::client, cat({{0x82, 0x7E, 0x01, 0x00}, b256}),
        {msg(opcode::binary, b256)});
    const bytes b64k = R(65536, 8);
    raw("64KiB binary in one unmasked frame", role::client,
        cat({{0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}, b64k}),
        {msg(opcode::binary, b64k)});
    run_table(rows);
}

TEST(ws_frame_parser, delivers_valid_frames_identically_however_the_input_is_split) {
    std::vector<row> rows = {
        ok_row("unfragmented text", {F(FIN | TEXT, "Hello")}, {text("Hello")}),
        ok_row("unfragmented binary", {F(FIN | BIN, R(9))}, {msg(opcode::binary, R(9))}),
        ok_row("empty text message", {F(FIN | TEXT, "")}, {text("")}),
        ok_row("empty binary message", {F(FIN | BIN, "")}, {msg(opcode::binary, {})}),
        ok_row("fragmented text in three frames",
               {F(TEXT, "Hel"), F(CONT, "l"), F(FIN | CONT, "o")}, {text("Hello")}),
        ok_row("pings and a pong between fragments are delivered at once",
               {F(TEXT, "Hel"), F(FIN | PING, "p1"), F(CONT, "l"), F(FIN | PING, ""),
                F(FIN | PONG, "pong"), F(FIN | CONT, "o")},
               {ping(B("p1")), ping({}), pong(B("pong")), text("Hello")}),
        ok_row("zero-length fragments make an empty message",
               {F(BIN, ""), F(CONT, ""), F(FIN | CONT, "")}, {msg(opcode::binary, {})}),
        ok_row("fragments in each length form",
               {F(BIN, R(125, 1)), F(CONT, R(300, 2)), F(FIN | CONT, R(65536, 3))},
               {msg(opcode::binary, cat({R(125, 1), R(300, 2), R(65536, 3)}))}),
        ok_row("a 3-byte code point split across fragments",
               {F(TEXT, B("a\xE2\x82")), F(FIN | CONT, B("\xAC b"))}, {text("a\xE2\x82\xAC b")}),
        ok_row("a 4-byte code point split 1+2+1 across fragments with a ping between",
               {F(TEXT, B("\xF0")), F(FIN | PING, "x"), F(CONT, B("\x9F\x98")),
                F(FIN | CONT, B("\x80"))},
               {ping(B("x")), text("\xF0\x9F\x98\x80")}),
        ok_row("text with code points at each UTF-8 length boundary",
               {F(FIN | TEXT, B("\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80"
                                "\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"))},
               {text("\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80"
                     "\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF")}),
        ok_row("several messages and control frames back to back",
               {F(FIN | TEXT, "a"), F(FIN | BIN, R(200, 4)), F(FIN | PING, ""), F(FIN | TEXT, "b"),
                F(FIN | PONG, R(125, 5))},
               {text("a"), msg(opcode::binary, R(200, 4)), ping({}), text("b"),
                pong(R(125, 5))}),
        ok_row("ping with the largest control payload, 125 bytes", {F(FIN | PING, R(125, 6))},
               {ping(R(125, 6))}),
        closed_row("close without a body reports 1005", {F(FIN | CLOSE, "")},
                   {closed(close_code::no_status)}),
        closed_row("close with code and reason", {F(FIN | CLOSE, close_body(1000, "bye"))},
                   {closed(1000, "bye")}),
        closed_row("close with a multi-byte UTF-8 reason",
                   {F(FIN | CLOSE, close_body(1001, "\xC3\xBC\xE2\x82\xAC"))},
                   {closed(1001, "\xC3\xBC\xE2\x82\xAC")}),
        closed_row("close between fragments ends decoding",
                   {F(TEXT, "Hel"), F(FIN | CLOSE, close_body(1001))}, {closed(1001)}),
        closed_row("close after messages",
                   {F(FIN | TEXT, "x"), F(FIN | CLOSE, close_body(3000, "r"))},
                   {text("x"), closed(3000, "r")}),
    };
    // Each length form at its boundaries, in both data opcodes.
    for (size_t n : {size_t{125}, size_t{126}, size_t{127}, size_t{65535}, size_t{65536}}) {
        rows.push_back(ok_row("binary of " + std::to_string(n) + " bytes",
                              {F(FIN | BIN, R(n, static_cast<uint32_t>(n)))},
                              {msg(opcode::binary, R(n, static_cast<uint32_t>(n)))}));
    }
    for (size_t n : {size_t{125}, size_t{126}, size_t{65535}, size_t{65536}}) {
        rows.push_back(ok_row("text of " + std::to_string(n) + " bytes",
                              {F(FIN | TEXT, A(n, static_cast<uint32_t>(n)))},
                              {msg(opcode::text, A(n, static_cast<uint32_t>(n)))}));
    }
    row exact = ok_row("a message exactly the maximum size", {F(FIN | BIN, R(300, 9))},
                       {msg(opcode::binary, R(300, 9))});
    exact.max_message = 300;
    rows.push_back(exact);
    row exact_frag = ok_row("a fragmented message exactly the maximum size",
                            {F(BIN, R(150, 10)), F(FIN | PING, ""), F(FIN | CONT, R(150, 11))},
                            {ping({}), msg(opcode::binary, cat({R(150, 10), R(150, 11)}))});
    exact_frag.max_message = 300;
    rows.push_back(exact_frag);
    row empty_max = ok_row("an empty message fits a zero-size buffer", {F(FIN | TEXT, "")}, {text("")});
    empty_max.max_message = 0;
    rows.push_back(empty_max);
    run_table(rows);
}

TEST(ws_frame_parser, fails_protocol_violations_with_1002) {
    const uint16_t pe = close_code::protocol_error;
    std::vector<row> rows = {
        fail_row("RSV1 set", {F(FIN | 0x40 | TEXT, "a")}, pe),
        fail_row("RSV2 set", {F(FIN | 0x20 | TEXT, "a")}, pe),
        fail_row("RSV3 set", {F(FIN | 0x10 | BIN, "a")}, pe),
        fail_row("RSV1 set on a ping", {F(FIN | 0x40 | PING, "")}, pe),
        fail_row("ping longer than 125 bytes", {F(FIN | PING, R(126))}, pe),
        fail_row("close longer than 125 bytes", {F(FIN | CLOSE, cat({close_body(1000), A(124)}))}, pe),
        fail_row("pong claiming a 64-bit length", {H(FIN | PONG, 70000)}, pe),
        fail_row("fragmented ping", {F(PING, "")}, pe),
        fail_row("fragmented pong", {F(PONG, "a")}, pe),
        fail_row("fragmented close", {F(CLOSE, "")}, pe),
        fail_row("continuation with no message in progress", {F(FIN | CONT, "a")}, pe),
        fail_row("non-final continuation with no message in progress", {F(CONT, "a")}, pe),
        fail_row("continuation after a complete message", {F(FIN | TEXT, "a"), F(FIN | CONT, "b")},
                 pe, {text("a")}),
        fail_row("text frame while a fragmented message is in progress",
                 {F(TEXT, "a"), F(FIN | TEXT, "b")}, pe),
        fail_row("binary frame while a fragmented message is in progress",
                 {F(BIN, "a"), F(FIN | PING, ""), F(BIN, "b")}, pe, {ping({})}),
        fail_row("64-bit length with the top bit set", {H(FIN | BIN, uint64_t{1} << 63)}, pe),
        fail_row("64-bit length of all ones", {H(FIN | BIN, ~uint64_t{0})}, pe),
        fail_row("16-bit length of 0", {F(FIN | BIN, {}, len_form::bits16)}, pe),
        fail_row("16-bit length of 125", {F(FIN | BIN, R(125), len_form::bits16)}, pe),
        fail_row("64-bit length of 0", {F(FIN | BIN, {}, len_form::bits64)}, pe),
        fail_row("64-bit length of 126", {F(FIN | BIN, R(126), len_form::bits64)}, pe),
        fail_row("64-bit length of 65535", {F(FIN | BIN, R(65535), len_form::bits64)}, pe),
        fail_row("close with a 1-byte body", {F(FIN | CLOSE, bytes{0x03})}, pe),
        fail_row("a text frame after close", {F(FIN | CLOSE, ""), F(FIN | TEXT, "a")}, pe,
                 {closed(close_code::no_status)}),
        fail_row("a ping after close", {F(FIN | CLOSE, close_body(1000)), F(FIN | PING, "")}, pe,
                 {closed(1000)}),
        fail_row("a continuation after a close between fragments",
                 {F(TEXT, "a"), F(FIN | CLOSE, ""), F(FIN | CONT, "b")}, pe,
                 {closed(close_code::no_status)}),
        fail_row("a violation after good frames keeps their events",
                 {F(FIN | TEXT, "ok"), F(FIN | PING, "p"), F(FIN | 0x40 | BIN, "")}, pe,
                 {text("ok"), ping(B("p"))}),
    };
    for (uint8_t op : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
        rows.push_back(fail_row("reserved opcode " + std::to_string(op), {F(FIN | op, "")}, pe));
    row masked = fail_row("masked frame in the client role",
                          {F(FIN | TEXT, B("a"), len_form::minimal, mask_mode::always)}, pe);
    masked.only_role = role::client;
    rows.push_back(masked);
    row unmasked = fail_row("unmasked frame in the server role",
                            {F(FIN | TEXT, B("a"), len_form::minimal, mask_mode::never)}, pe);
    unmasked.only_role = role::server;
    rows.push_back(unmasked);
    row unmasked_ctrl = fail_row("unmasked ping in the server role",
                                 {F(FIN | PING, B(""), len_form::minimal, mask_mode::never)}, pe);
    unmasked_ctrl.only_role = role::server;
    rows.push_back(unmasked_ctrl);
    run_table(rows);
}

TEST(ws_frame_parser, accepts_close_codes_valid_on_the_wire_and_fails_the_rest_with_1002) {
    struct code_case {
        uint16_t code;
        bool valid;
    };
    // RFC 6455 7.4.1-7.4.2 and the IANA registry (1012-1014).
    const code_case cases[] = {
        {0, false},    {999, false},  {1000, true},  {1001, true},  {1002, true},  {1003, true},
        {1004, false}, {1005, false}, {1006, false}, {1007, true},  {1008, true},  {1009, true},
        {1010, true},  {1011, true},  {1012, true},  {1013, true},  {1014, true},  {1015, false},
        {1016, false}, {1100, false}, {2000, false}, {2999, false}, {3000, true},  {3999, true},
        {4000, true},  {4999, true},  {5000, false}, {65535, false},
    };
    std::vector<row> rows;
    for (const code_case& c : cases) {
        const std::string why = "close code " + std::to_string(c.code);
        if (c.valid)
            rows.push_back(closed_row(why, {F(FIN | CLOSE, close_body(c.code, "r"))}, {closed(c.code, "r")}));
        else
            rows.push_back(fail_row(why, {F(FIN | CLOSE, close_body(c.code, "r"))},
                                    close_code::protocol_error));
        EXPECT_EQ(is_valid_wire_close_code(c.code), c.valid) << c.code;
    }
    run_table(rows);
}

TEST(ws_frame_parser, fails_invalid_utf8_in_text_and_close_reasons_with_1007) {
    const uint16_t ip = close_code::invalid_payload;
    struct bad {
        const char* why;
        std::string_view seq;
    };
    const bad seqs[] = {
        {"overlong 2-byte NUL", "\xC0\x80"},
        {"overlong 2-byte C1", "\xC1\xBF"},
        {"overlong 3-byte", "\xE0\x80\x80"},
        {"overlong 3-byte at its top", "\xE0\x9F\xBF"},
        {"overlong 4-byte", "\xF0\x8F\xBF\xBF"},
        {"high surrogate U+D800", "\xED\xA0\x80"},
        {"low surrogate U+DFFF", "\xED\xBF\xBF"},
        {"above U+10FFFF", "\xF4\x90\x80\x80"},
        {"lead byte F5", "\xF5\x80\x80\x80"},
        {"byte FF", "\xFF"},
        {"byte FE", "\xFE"},
        {"lone continuation byte", "\x80"},
        {"lead byte followed by ASCII", "\xC3("},
        {"3-byte lead followed by one continuation then ASCII", "\xE2\x82("},
    };
    std::vector<row> rows;
    for (const bad& b : seqs) {
        const std::string s(b.seq);
        rows.push_back(fail_row(std::string(b.why) + ", one frame", {F(FIN | TEXT, B("ab" + s + "cd"))}, ip));
        rows.push_back(fail_row(std::string(b.why) + ", second fragment",
                                {F(TEXT, "ok"), F(FIN | CONT, B(s + "z"))}, ip));
        rows.push_back(fail_row(std::string(b.why) + ", in a close reason",
                                {F(FIN | CLOSE, close_body(1000, s))}, ip));
    }
    rows.push_back(fail_row("text ends inside a code point", {F(FIN | TEXT, B("a\xE2\x82"))}, ip));
    rows.push_back(fail_row("fragmented text ends inside a code point",
                            {F(TEXT, B("\xE2")), F(FIN | CONT, B("\x82"))}, ip));
    rows.push_back(fail_row("close reason ends inside a code point",
                            {F(FIN | CLOSE, close_body(1000, "\xF0\x9F"))}, ip));
    rows.push_back(fail_row("invalid UTF-8 after a ping between fragments",
                            {F(TEXT, "a"), F(FIN | PING, ""), F(FIN | CONT, B("\xC0\xAF"))}, ip,
                            {ping({})}));
    run_table(rows);
}

TEST(ws_frame_parser, fails_messages_larger_than_the_buffer_with_1009) {
    const uint16_t big = close_code::message_too_big;
    std::vector<row> rows = {
        fail_row("one frame one byte too large", {F(FIN | BIN, R(101))}, big),
        fail_row("text frame one byte too large", {F(FIN | TEXT, A(101))}, big),
        fail_row("fragments that add up to one byte too many",
                 {F(BIN, R(60)), F(FIN | PING, "p"), F(FIN | CONT, R(41))}, big, {ping(B("p"))}),
        fail_row("a header claiming 2^40 bytes", {H(FIN | BIN, uint64_t{1} << 40)}, big),
        fail_row("a header claiming 2^63 - 1 bytes", {H(FIN | TEXT, (uint64_t{1} << 63) - 1)}, big),
        fail_row("a continuation header claiming too much",
                 {F(TEXT, A(100)), H(FIN | CONT, 1)}, big),
    };
    for (row& r : rows) r.max_message = 100;
    row zero = fail_row("any byte with a zero-size buffer", {F(FIN | BIN, R(1))}, big);
    zero.max_message = 0;
    rows.push_back(zero);
    run_table(rows);
}

// ---- properties a table cannot show ----

struct span_recorder {
    std::vector<std::span<const uint8_t>> spans;
    void on_message(opcode, std::span<const uint8_t> p) { spans.push_back(p); }
    void on_ping(std::span<const uint8_t>) {}
    void on_pong(std::span<const uint8_t>) {}
    void on_close(uint16_t, std::string_view) {}
};

bool inside(std::span<const uint8_t> s, std::span<const uint8_t> in) {
    return s.data() >= in.data() && s.data() + s.size() <= in.data() + in.size();
}

TEST(ws_frame_parser, delivers_an_unfragmented_frame_in_one_feed_as_a_view_into_the_input) {
    for (role ro : {role::client, role::server}) {
        bytes storage(1000);
        message_decoder<span_recorder> dec(ro, storage);
        ef::test::guarded_buffer in{build(ro, {F(FIN | TEXT, A(300)), F(FIN | BIN, R(5))})};
        span_recorder rec;
        ASSERT_EQ(dec.feed(in.span(), rec), decode_status::ok);
        ASSERT_EQ(rec.spans.size(), 2u);
        EXPECT_TRUE(inside(rec.spans[0], in.span())) << name(ro);
        EXPECT_TRUE(inside(rec.spans[1], in.span())) << name(ro);
    }
}

TEST(ws_frame_parser, reassembles_a_frame_split_across_feeds_in_the_message_buffer) {
    bytes storage(1000);
    message_decoder<span_recorder> dec(role::client, storage);
    bytes input = build(role::client, {F(FIN | BIN, R(300))});
    span_recorder rec;
    ASSERT_EQ(dec.feed(std::span(input).first(100), rec), decode_status::ok);
    ASSERT_EQ(dec.feed(std::span(input).subspan(100), rec), decode_status::ok);
    ASSERT_EQ(rec.spans.size(), 1u);
    EXPECT_EQ(rec.spans[0].data(), storage.data());
    EXPECT_EQ(rec.spans[0].size(), 300u);
}

TEST(ws_frame_parser, refuses_an_oversized_message_from_its_header_alone) {
    bytes storage(100);
    message_decoder<recorder> dec(role::client, storage);
    bytes header = build(role::client, {H(FIN | BIN, 65536)}); // 10 header bytes, no payload
    ASSERT_EQ(header.size(), 10u);
    recorder rec;
    EXPECT_EQ(dec.feed(header, rec), decode_status::failed);
    EXPECT_EQ(dec.close_code(), close_code::message_too_big);
    EXPECT_TRUE(rec.events.empty());
}

TEST(ws_frame_parser, fails_invalid_utf8_before_the_rest_of_the_frame_arrives) {
    for (role ro : {role::client, role::server}) {
        bytes storage(100000);
        message_decoder<recorder> dec(ro, storage);
        bytes input = build(ro, {F(FIN | TEXT, cat({A(10), B("\xFF"), A(50000)}))});
        recorder rec;
        const size_t hdr = ro == role::server ? 8 : 4;
        EXPECT_EQ(dec.feed(std::span(input).first(hdr + 11), rec), decode_status::failed) << name(ro);
        EXPECT_EQ(dec.close_code(), close_code::invalid_payload);
    }
}

TEST(ws_frame_parser, returns_failed_for_every_feed_after_a_failure) {
    bytes storage(100);
    message_decoder<recorder> dec(role::client, storage);
    recorder rec;
    bytes bad = {0xC1, 0x00};
    ASSERT_EQ(dec.feed(bad, rec), decode_status::failed);
    bytes good = build(role::client, {F(FIN | TEXT, "a")});
    EXPECT_EQ(dec.feed(good, rec), decode_status::failed);
    EXPECT_EQ(dec.feed({}, rec), decode_status::failed);
    EXPECT_TRUE(rec.events.empty());
    EXPECT_EQ(dec.close_code(), close_code::protocol_error);
}

TEST(ws_frame_parser, returns_closed_for_empty_feeds_after_close_and_fails_on_any_byte) {
    bytes storage(100);
    message_decoder<recorder> dec(role::client, storage);
    recorder rec;
    bytes close = build(role::client, {F(FIN | CLOSE, close_body(1000))});
    ASSERT_EQ(dec.feed(close, rec), decode_status::closed);
    EXPECT_EQ(dec.feed({}, rec), decode_status::closed);
    bytes one = {0x81};
    EXPECT_EQ(dec.feed(one, rec), decode_status::failed);
    EXPECT_EQ(dec.close_code(), close_code::protocol_error);
    EXPECT_STREQ(dec.error_text(), "data after close frame");
}

TEST(ws_frame_parser, names_the_violation_in_its_error_text) {
    bytes storage(100);
    message_decoder<recorder> dec(role::client, storage);
    recorder rec;
    bytes input = build(role::client, {F(FIN | PING, R(126))});
    ASSERT_EQ(dec.feed(input, rec), decode_status::failed);
    EXPECT_STREQ(dec.error_text(), "control frame longer than 125 bytes");
}

TEST(ws_frame_parser, counts_every_accepted_frame_control_frames_included) {
    bytes storage(100);
    message_decoder<recorder> dec(role::client, storage);
    recorder rec;
    bytes input = build(role::client, {F(TEXT, "a"), F(FIN | PING, ""), F(FIN | CONT, "b"),
                                       F(FIN | BIN, "c")});
    ASSERT_EQ(dec.feed(std::span(input).first(5), rec), decode_status::ok);
    EXPECT_EQ(dec.frames(), 2u);
    ASSERT_EQ(dec.feed(std::span(input).subspan(5), rec), decode_status::ok);
    EXPECT_EQ(dec.frames(), 4u);
}

TEST(ws_frame_parser, starts_clean_after_reset) {
    bytes storage(100);
    message_decoder<recorder> dec(role::client, storage);
    recorder rec;
    bytes partial = build(role::client, {F(TEXT, B("a\xE2"))});
    ASSERT_EQ(dec.feed(partial, rec), decode_status::ok); // mid-message, mid-code-point
    dec.reset();
    bytes input = build(role::client, {F(FIN | TEXT, "fresh")});
    ASSERT_EQ(dec.feed(input, rec), decode_status::ok);
    ASSERT_EQ(rec.events, std::vector<event>{text("fresh")});
    EXPECT_EQ(dec.frames(), 1u);

    bytes bad = {0xC1, 0x00};
    ASSERT_EQ(dec.feed(bad, rec), decode_status::failed);
    dec.reset();
    EXPECT_EQ(dec.close_code(), 0);
    ASSERT_EQ(dec.feed(input, rec), decode_status::ok);
}

TEST(ws_frame_parser, unmasks_a_masked_frame_in_place_in_the_server_role) {
    bytes storage(100);
    message_decoder<span_recorder> dec(role::server, storage);
    bytes input = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
    span_recorder rec;
    ASSERT_EQ(dec.feed(input, rec), decode_status::ok);
    EXPECT_EQ(bytes(input.begin() + 6, input.end()), B("Hello"));
}

} // namespace
} // namespace ef::ws::test
