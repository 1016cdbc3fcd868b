// The encoder, masking and masking keys: RFC 6455 5.7 examples byte for byte,
// header sizes at each length boundary, refusal of short buffers, masking at
// any offset and alignment, and encode-then-decode round trips in both roles.
#include <gtest/gtest.h>

#include <set>

#include "ws/frame_writer.hpp"
#include "ws/mask_source.hpp"
#include "ws_test_support.hpp"

namespace ef::ws::test {
namespace {

constexpr uint32_t rfc_key = 0x37fa213d; // RFC 6455 5.7's masking key

bytes encode(opcode op, bool fin, const bytes& payload, std::optional<uint32_t> key) {
    bytes out(payload.size() + 14);
    const size_t n = encode_frame(out, op, fin, payload, key);
    out.resize(n);
    return out;
}

TEST(ws_frame_writer, writes_the_rfc_6455_section_5_7_examples_byte_for_byte) {
    EXPECT_EQ(encode(opcode::text, true, B("Hello"), std::nullopt),
              (bytes{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
    EXPECT_EQ(encode(opcode::text, true, B("Hello"), rfc_key),
              (bytes{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
    EXPECT_EQ(cat({encode(opcode::text, false, B("Hel"), std::nullopt),
                   encode(opcode::continuation, true, B("lo"), std::nullopt)}),
              (bytes{0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}));
    EXPECT_EQ(encode(opcode::ping, true, B("Hello"), std::nullopt),
              (bytes{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
    EXPECT_EQ(encode(opcode::pong, true, B("Hello"), rfc_key),
              (bytes{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
    const bytes b256 = R(256);
    EXPECT_EQ(encode(opcode::binary, true, b256, std::nullopt), cat({{0x82, 0x7E, 0x01, 0x00}, b256}));
    const bytes b64k = R(65536);
    EXPECT_EQ(encode(opcode::binary, true, b64k, std::nullopt),
              cat({{0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}, b64k}));
}

TEST(ws_frame_writer, sizes_headers_by_the_minimal_length_form) {
    struct row {
        uint64_t len;
        size_t unmasked;
    };
    const row rows[] = {{0, 2},      {1, 2},      {125, 2},    {126, 4},
                        {127, 4},    {65535, 4},  {65536, 10}, {uint64_t{1} << 32, 10},
                        {(uint64_t{1} << 63) - 1, 10}};
    for (const row& r : rows) {
        EXPECT_EQ(frame_header_size(r.len, false), r.unmasked) << r.len;
        EXPECT_EQ(frame_header_size(r.len, true), r.unmasked + 4) << r.len;
        bytes out(14);
        EXPECT_EQ(encode_frame_header(out, opcode::binary, true, r.len, std::nullopt), r.unmasked);
        EXPECT_EQ(encode_frame_header(out, opcode::binary, true, r.len, 1u), r.unmasked + 4);
    }
}

TEST(ws_frame_writer, refuses_a_64_bit_length_with_the_top_bit_set) {
    bytes out(14);
    EXPECT_EQ(encode_frame_header(out, opcode::binary, true, uint64_t{1} << 63, std::nullopt), 0u);
}

TEST(ws_frame_writer, returns_zero_for_every_buffer_too_small_without_writing_past_it) {
    const bytes payload = R(300);
    for (std::optional<uint32_t> key : {std::optional<uint32_t>{}, std::optional<uint32_t>{rfc_key}}) {
        const size_t need = frame_header_size(payload.size(), key.has_value()) + payload.size();
        for (size_t size = 0; size < need; ++size) {
            ef::test::guarded_buffer out{bytes(size)};
            ASSERT_EQ(encode_frame(out.span(), opcode::binary, true, payload, key), 0u) << size;
        }
        ef::test::guarded_buffer out{bytes(need)};
        EXPECT_EQ(encode_frame(out.span(), opcode::binary, true, payload, key), need);
    }
}

TEST(ws_frame_writer, writes_close_frames_with_code_and_reason) {
    bytes out(200);
    size_t n = encode_close(out, 1000, "bye", std::nullopt);
    EXPECT_EQ(bytes(out.begin(), out.begin() + static_cast<long>(n)),
              (bytes{0x88, 0x05, 0x03, 0xE8, 'b', 'y', 'e'}));
    n = encode_close(out, close_code::no_status, "ignored", std::nullopt);
    EXPECT_EQ(bytes(out.begin(), out.begin() + static_cast<long>(n)), (bytes{0x88, 0x00}));
    EXPECT_EQ(encode_close(out, 1000, std::string(123, 'r'), std::nullopt), 2u + 125u);
    EXPECT_EQ(encode_close(out, 1000, std::string(124, 'r'), std::nullopt), 0u);
}

TEST(ws_frame_writer, writes_a_masked_close_that_a_server_decodes) {
    bytes out(200);
    const size_t n = encode_close(out, 4001, "going", 0xdeadbeef);
    out.resize(n);
    bytes storage(10);
    message_decoder<recorder> dec(role::server, storage);
    recorder rec;
    ASSERT_EQ(dec.feed(out, rec), decode_status::closed);
    EXPECT_EQ(rec.events, std::vector<event>{closed(4001, "going")});
}

// Masking byte by byte, straight from RFC 6455 5.3.
bytes reference_mask(bytes b, uint32_t key, uint64_t offset) {
    const uint8_t k[4] = {static_cast<uint8_t>(key >> 24), static_cast<uint8_t>(key >> 16),
                          static_cast<uint8_t>(key >> 8), static_cast<uint8_t>(key)};
    for (size_t i = 0; i < b.size(); ++i) b[i] ^= k[(offset + i) % 4];
    return b;
}

TEST(ws_frame_writer, masks_like_the_rfc_at_every_offset_length_and_alignment) {
    const uint32_t key = 0x9a3c51e7;
    for (size_t len = 0; len <= 80; ++len) {
        const bytes data = R(len, static_cast<uint32_t>(len));
        for (uint64_t offset = 0; offset < 8; ++offset) {
            for (size_t align = 0; align < 8; ++align) {
                bytes storage(len + 8);
                std::copy(data.begin(), data.end(), storage.begin() + static_cast<long>(align));
                mask_in_place(std::span(storage).subspan(align, len), key, offset);
                ASSERT_EQ(bytes(storage.begin() + static_cast<long>(align),
                                storage.begin() + static_cast<long>(align + len)),
                          reference_mask(data, key, offset))
                    << "len " << len << " offset " << offset << " align " << align;
            }
        }
    }
}

TEST(ws_frame_writer, masks_a_payload_built_in_place_in_pieces_like_encode_frame) {
    const bytes payload = R(1000);
    const bytes want = encode(opcode::binary, true, payload, rfc_key);
    bytes out(1100);
    const size_t hdr = encode_frame_header(out, opcode::binary, true, payload.size(), rfc_key);
    ASSERT_EQ(hdr, 8u);
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<long>(hdr));
    size_t at = 0;
    for (size_t piece : {3u, 1u, 17u, 100u, 879u}) {
        mask_in_place(std::span(out).subspan(hdr + at, piece), rfc_key, at);
        at += piece;
    }
    ASSERT_EQ(at, payload.size());
    out.resize(hdr + payload.size());
    EXPECT_EQ(out, want);
}

// Client-role encoder into server-role decoder and back, random payloads and
// keys, lengths around each boundary, fragmented and not, fed in random pieces.
TEST(ws_frame_writer, round_trips_through_the_decoder_in_both_roles) {
    std::mt19937 rng(99);
    mask_source keys;
    const size_t lengths[] = {0, 1, 7, 8, 31, 32, 124, 125, 126, 127, 200, 65535, 65536, 70001};
    for (role receiver : {role::server, role::client}) {
        for (size_t len : lengths) {
            for (int fragments : {1, 2, 5}) {
                const bool text_msg = rng() % 2;
                const bytes payload = text_msg ? A(len, rng()) : R(len, rng());
                bytes wire;
                size_t at = 0;
                for (int f = 0; f < fragments; ++f) {
                    const size_t take = f + 1 == fragments ? len - at : std::min(len - at, size_t(rng() % (len + 1)));
                    const bytes piece(payload.begin() + static_cast<long>(at),
                                      payload.begin() + static_cast<long>(at + take));
                    const opcode op = f ? opcode::continuation : text_msg ? opcode::text : opcode::binary;
                    std::optional<uint32_t> key;
                    if (receiver == role::server) key = keys.next();
                    // A ping before an unfragmented message, between fragments otherwise.
                    const bytes ping_frame = encode(opcode::ping, true, B("k"), key);
                    if (fragments == 1) wire = ping_frame;
                    wire = cat({wire, encode(op, f + 1 == fragments, piece, key)});
                    if (f == 0 && fragments > 1) wire = cat({wire, ping_frame});
                    at += take;
                }
                std::vector<size_t> cuts;
                for (size_t k = 1; k < wire.size(); ++k)
                    if (rng() % 3000 == 0) cuts.push_back(k);
                const outcome got = decode_pieces(receiver, wire, cuts, 80000);
                const std::vector<event> want = {ping(B("k")),
                                                 msg(text_msg ? opcode::text : opcode::binary, payload)};
                ASSERT_EQ(got.events, want) << name(receiver) << " len " << len << " fragments " << fragments;
                ASSERT_EQ(got.status, decode_status::ok);
            }
        }
    }
}

TEST(ws_mask_source, hands_out_unpredictable_keys_across_refills) {
    mask_source a;
    mask_source b;
    std::set<uint32_t> seen;
    size_t same_as_b = 0;
    for (int i = 0; i < 3000; ++i) { // crosses two refills of 1024
        const uint32_t k = a.next();
        seen.insert(k);
        same_as_b += (k == b.next());
    }
    // 3000 draws from 2^32: a repeat is possible but more than a handful is not.
    EXPECT_GT(seen.size(), 2990u);
    EXPECT_LT(same_as_b, 3u);
}

TEST(ws_mask_source, refills_on_demand_and_reports_keys_left) {
    mask_source s;
    EXPECT_EQ(s.keys_left(), 0u);
    s.refill();
    EXPECT_EQ(s.keys_left(), 1024u);
    (void)s.next();
    EXPECT_EQ(s.keys_left(), 1023u);
}

} // namespace
} // namespace ef::ws::test
