// libFuzzer target for message_decoder. Input byte 0 picks the role (bit 0),
// the message buffer size (bits 1-2) and how the rest is cut into feeds
// (bits 3-7); the rest is the wire. Each piece is copied to its own exact-size
// heap block so ASan sees any read past it. The same wire is then decoded
// whole, and both runs must agree: splitting must never change the events.
// Every message must fit the buffer and every control payload 125 bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ws/frame_parser.hpp"

namespace {

using ef::ws::decode_status;
using ef::ws::opcode;

// Folds every event into a running FNV-1a hash, and checks the invariants.
struct digest_handler {
    size_t max_message;
    uint64_t hash = 1469598103934665603ull;
    uint64_t events = 0;

    void mix(uint64_t v) {
        hash ^= v;
        hash *= 1099511628211ull;
    }
    void mix(std::span<const uint8_t> s) {
        mix(s.size());
        for (uint8_t b : s) mix(b);
    }
    void on_message(opcode op, std::span<const uint8_t> p) {
        if (p.size() > max_message) std::abort();
        if (op != opcode::text && op != opcode::binary) std::abort();
        if (op == opcode::text && !ef::ws::utf8_validator::is_valid(p)) std::abort();
        ++events;
        mix(1000 + static_cast<uint64_t>(op));
        mix(p);
    }
    void on_ping(std::span<const uint8_t> p) {
        if (p.size() > ef::ws::max_control_payload) std::abort();
        ++events;
        mix(2000);
        mix(p);
    }
    void on_pong(std::span<const uint8_t> p) {
        if (p.size() > ef::ws::max_control_payload) std::abort();
        ++events;
        mix(3000);
        mix(p);
    }
    void on_close(uint16_t code, std::string_view reason) {
        if (code != ef::ws::close_code::no_status && !ef::ws::is_valid_wire_close_code(code))
            std::abort();
        if (reason.size() > ef::ws::max_control_payload - 2) std::abort();
        ++events;
        mix(4000 + code);
        mix({reinterpret_cast<const uint8_t*>(reason.data()), reason.size()});
    }
};

struct result {
    uint64_t hash, events;
    decode_status status;
    uint16_t code;
};

result run(ef::ws::role r, size_t max_message, const uint8_t* wire, size_t n, uint8_t pattern) {
    std::vector<uint8_t> buffer(max_message);
    ef::ws::message_decoder<digest_handler> dec(r, buffer);
    digest_handler h{max_message};
    decode_status st = decode_status::ok;
    uint32_t rng = pattern * 2654435761u + 1;
    size_t at = 0;
    while (at < n || at == 0) {
        size_t take = n - at;
        if (pattern == 1) take = 1;
        else if (pattern >= 2 && pattern < 18) take = pattern - 1; // fixed chunks of 1..16
        else if (pattern >= 18) {
            rng = rng * 1103515245u + 12345u;
            take = 1 + (rng >> 16) % (pattern * 4);
        }
        if (take > n - at) take = n - at;
        auto* piece = static_cast<uint8_t*>(std::malloc(take ? take : 1));
        if (take) std::memcpy(piece, wire + at, take);
        st = dec.feed({piece, take}, h);
        std::free(piece);
        at += take;
        if (n == 0) break;
    }
    if (st == decode_status::failed && (dec.close_code() != 1002 && dec.close_code() != 1007 &&
                                        dec.close_code() != 1009))
        std::abort();
    return {h.hash, h.events, st, st == decode_status::failed ? dec.close_code() : uint16_t{0}};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const auto r = (data[0] & 1) ? ef::ws::role::server : ef::ws::role::client;
    static constexpr size_t sizes[] = {0, 125, 1024, 70000};
    const size_t max_message = sizes[(data[0] >> 1) & 3];
    const auto pattern = static_cast<uint8_t>(data[0] >> 3);
    const uint8_t* wire = data + 1;
    const size_t n = size - 1;
    const result split = run(r, max_message, wire, n, pattern);
    const result whole = run(r, max_message, wire, n, 0);
    if (split.hash != whole.hash || split.events != whole.events || split.status != whole.status ||
        split.code != whole.code)
        std::abort();
    return 0;
}
