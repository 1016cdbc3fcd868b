// Shared by the ws unit tests: an event recorder for message_decoder, a frame
// builder written independently of frame_writer (so decoder tests do not
// trust the encoder they would otherwise share bugs with), and the harness
// that feeds a table row whole, at every prefix and at every split, each
// piece ending on a PROT_NONE page.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/guarded_buffer.hpp"
#include "ws/frame_parser.hpp"

namespace ef::ws::test {

using bytes = std::vector<uint8_t>;

inline bytes B(std::string_view s) { return bytes(s.begin(), s.end()); }

// Deterministic filler: n bytes that differ from frame to frame.
inline bytes R(size_t n, uint32_t seed = 1) {
    bytes b(n);
    std::mt19937 rng(seed);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
}

// n bytes of printable ASCII, for text frames that must be valid UTF-8.
inline bytes A(size_t n, uint32_t seed = 1) {
    bytes b(n);
    std::mt19937 rng(seed);
    for (auto& x : b) x = static_cast<uint8_t>(' ' + rng() % 95);
    return b;
}

inline bytes cat(std::initializer_list<bytes> parts) {
    bytes out;
    for (const bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

inline bytes close_body(uint16_t code, std::string_view reason = {}) {
    return cat({{static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code)}, B(reason)});
}

// ---- events ----

enum class ev : uint8_t { message, ping, pong, close };

struct event {
    ev kind;
    opcode op = opcode::continuation; // messages only
    bytes payload;                    // the close reason for close events
    uint16_t code = 0;                // close events only
    bool operator==(const event&) const = default;
};

inline void PrintTo(const event& e, std::ostream* os) {
    static constexpr const char* names[] = {"message", "ping", "pong", "close"};
    *os << names[static_cast<int>(e.kind)];
    if (e.kind == ev::message) *os << (e.op == opcode::text ? "(text)" : "(binary)");
    if (e.kind == ev::close) *os << "(" << e.code << ")";
    *os << " " << e.payload.size() << " bytes";
    if (e.payload.size() <= 16) {
        *os << " [";
        for (uint8_t b : e.payload) *os << std::hex << int{b} << std::dec << " ";
        *os << "]";
    }
}

inline event msg(opcode op, bytes p) { return {ev::message, op, std::move(p), 0}; }
inline event text(std::string_view s) { return msg(opcode::text, B(s)); }
inline event ping(bytes p) { return {ev::ping, opcode::continuation, std::move(p), 0}; }
inline event pong(bytes p) { return {ev::pong, opcode::continuation, std::move(p), 0}; }
inline event closed(uint16_t code, std::string_view reason = {}) {
    return {ev::close, opcode::continuation, B(reason), code};
}

struct recorder {
    std::vector<event> events;
    void on_message(opcode op, std::span<const uint8_t> p) {
        events.push_back({ev::message, op, bytes(p.begin(), p.end()), 0});
    }
    void on_ping(std::span<const uint8_t> p) {
        events.push_back({ev::ping, opcode::continuation, bytes(p.begin(), p.end()), 0});
    }
    void on_pong(std::span<const uint8_t> p) {
        events.push_back({ev::pong, opcode::continuation, bytes(p.begin(), p.end()), 0});
    }
    void on_close(uint16_t code, std::string_view reason) {
        events.push_back({ev::close, opcode::continuation, B(reason), code});
    }
};

// ---- frame builder ----

enum class len_form : uint8_t { minimal, bits7, bits16, bits64 };
enum class mask_mode : uint8_t { by_role, always, never };

struct wire_frame {
    uint8_t b0;
    bytes payload;
    len_form form = len_form::minimal;
    mask_mode mask = mask_mode::by_role;
    std::optional<uint64_t> declared_len; // header claims this length; payload is sent as is
};

inline wire_frame F(uint8_t b0, bytes payload, len_form form = len_form::minimal,
                    mask_mode mask = mask_mode::by_role) {
    return {b0, std::move(payload), form, mask, std::nullopt};
}
inline wire_frame F(uint8_t b0, std::string_view payload) { return F(b0, B(payload)); }
// A header only, claiming `len` payload bytes.
inline wire_frame H(uint8_t b0, uint64_t len, len_form form = len_form::minimal) {
    return {b0, {}, form, mask_mode::by_role, len};
}

// Writes frames as a peer in the other role would: a client's frames masked
// (each with a different key), a server's not.
// `starts`, when given, receives each frame's offset.
inline bytes build(role receiver, const std::vector<wire_frame>& frames,
                   std::vector<size_t>* starts = nullptr) {
    bytes out;
    uint8_t key_seed = 0x37;
    for (const wire_frame& f : frames) {
        if (starts) starts->push_back(out.size());
        const uint64_t len = f.declared_len.value_or(f.payload.size());
        const bool masked = f.mask == mask_mode::always ||
                            (f.mask == mask_mode::by_role && receiver == role::server);
        const uint8_t mbit = masked ? 0x80 : 0;
        len_form form = f.form;
        if (form == len_form::minimal)
            form = len < 126 ? len_form::bits7 : len <= 0xFFFF ? len_form::bits16 : len_form::bits64;
        out.push_back(f.b0);
        if (form == len_form::bits7) {
            out.push_back(static_cast<uint8_t>(mbit | len));
        } else if (form == len_form::bits16) {
            out.push_back(mbit | 126);
            out.push_back(static_cast<uint8_t>(len >> 8));
            out.push_back(static_cast<uint8_t>(len));
        } else {
            out.push_back(mbit | 127);
            for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(len >> (8 * i)));
        }
        if (masked) {
            const std::array<uint8_t, 4> key = {key_seed, static_cast<uint8_t>(key_seed * 7 + 1),
                                                static_cast<uint8_t>(key_seed ^ 0x5a), 0x3d};
            key_seed = static_cast<uint8_t>(key_seed + 29);
            out.insert(out.end(), key.begin(), key.end());
            for (size_t i = 0; i < f.payload.size(); ++i)
                out.push_back(static_cast<uint8_t>(f.payload[i] ^ key[i % 4]));
        } else {
            out.insert(out.end(), f.payload.begin(), f.payload.end());
        }
    }
    return out;
}

// ---- harness ----

struct outcome {
    std::vector<event> events;
    decode_status status = decode_status::ok;
    uint16_t code = 0; // close_code() when failed
};

inline const char* name(decode_status s) {
    return s == decode_status::ok ? "ok" : s == decode_status::failed ? "failed" : "closed";
}
inline const char* name(role r) { return r == role::client ? "client" : "server"; }

// Feeds input cut at the ascending offsets `cuts` (each strictly inside), each
// piece copied to end on a guard page, into a fresh decoder whose message
// buffer also ends on a guard page. The status is the last feed's.
inline outcome decode_pieces(role r, const bytes& input, const std::vector<size_t>& cuts,
                             size_t max_message) {
    ef::test::guarded_buffer msgbuf{bytes(max_message)};
    message_decoder<recorder> dec(r, msgbuf.span());
    recorder rec;
    outcome out;
    size_t from = 0;
    for (size_t i = 0; i <= cuts.size(); ++i) {
        const size_t to = i < cuts.size() ? cuts[i] : input.size();
        ef::test::guarded_buffer piece{std::span<const uint8_t>(input.data() + from, to - from)};
        out.status = dec.feed(piece.span(), rec);
        from = to;
    }
    out.events = std::move(rec.events);
    out.code = out.status == decode_status::failed ? dec.close_code() : 0;
    return out;
}

// Offsets worth cutting at: all of them for small inputs; for large ones all
// within 24 bytes of a frame's start or the input's end, and a stride
// through the payloads (a cut in the middle of a long payload is like any
// other).
inline std::vector<size_t> cut_points(size_t n, const std::vector<size_t>& frame_starts) {
    std::vector<size_t> c;
    auto near_start = [&](size_t k) {
        for (size_t s : frame_starts)
            if (k + 24 >= s && k <= s + 24) return true;
        return false;
    };
    for (size_t k = 1; k < n; ++k)
        if (n <= 2048 || near_start(k) || k + 24 >= n || k % 509 == 0) c.push_back(k);
    return c;
}

struct row {
    std::string why;
    std::vector<wire_frame> frames;
    std::vector<event> expected;
    decode_status status = decode_status::ok;
    uint16_t code = 0;                 // expected close_code() when failed
    // Message buffer size; by default the input's size, which no message can pass.
    std::optional<size_t> max_message;
    std::optional<role> only_role;     // default: the row runs in both roles
    std::optional<bytes> raw;          // literal input instead of frames (only_role required)
};

inline bool is_prefix_of(const std::vector<event>& a, const std::vector<event>& b) {
    return a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin());
}

inline void expect_outcome(const outcome& got, const row& r) {
    EXPECT_EQ(got.events, r.expected);
    EXPECT_STREQ(name(got.status), name(r.status));
    EXPECT_EQ(got.code, r.code);
}

// The whole contract for one row in one role: same events and status whole,
// split in two anywhere, byte by byte and in random pieces; every prefix
// yields a prefix of the events and never a different error.
inline void run_row(const row& r, role ro) {
    std::vector<size_t> starts{0};
    const bytes input = r.raw ? *r.raw : build(ro, r.frames, &starts);
    const size_t n = input.size();
    const size_t max_message = r.max_message.value_or(n);
    SCOPED_TRACE(std::string(name(ro)) + " role: " + r.why);
    {
        SCOPED_TRACE("whole");
        expect_outcome(decode_pieces(ro, input, {}, max_message), r);
    }
    const bool ends_in_close =
        std::any_of(r.expected.begin(), r.expected.end(), [](const event& e) { return e.kind == ev::close; });
    bool failed_before = false;
    for (size_t k : cut_points(n, starts)) {
        SCOPED_TRACE("prefix of " + std::to_string(k) + " bytes");
        const outcome got =
            decode_pieces(ro, bytes(input.begin(), input.begin() + static_cast<long>(k)), {}, max_message);
        EXPECT_TRUE(is_prefix_of(got.events, r.expected));
        if (got.status == decode_status::failed) {
            EXPECT_STREQ(name(r.status), "failed");
            EXPECT_EQ(got.code, r.code);
            failed_before = true;
        } else {
            EXPECT_FALSE(failed_before) << "a longer prefix stopped failing";
            if (got.status == decode_status::closed) {
                EXPECT_TRUE(ends_in_close);
            }
        }
        if (::testing::Test::HasFailure()) return;
    }
    for (size_t k : cut_points(n, starts)) {
        SCOPED_TRACE("split at " + std::to_string(k));
        expect_outcome(decode_pieces(ro, input, {k}, max_message), r);
        if (::testing::Test::HasFailure()) return;
    }
    {
        SCOPED_TRACE("byte at a time");
        if (n <= 2048) {
            std::vector<size_t> all;
            for (size_t k = 1; k < n; ++k) all.push_back(k);
            expect_outcome(decode_pieces(ro, input, all, max_message), r);
        } else {
            // One guard page for the whole input: per-byte pages would cost a
            // mapping per byte; the small rows cover over-reads byte by byte.
            ef::test::guarded_buffer msgbuf{bytes(max_message)};
            ef::test::guarded_buffer whole{input};
            message_decoder<recorder> dec(ro, msgbuf.span());
            recorder rec;
            outcome got;
            for (size_t k = 0; k < n; ++k) got.status = dec.feed(whole.span().subspan(k, 1), rec);
            got.events = std::move(rec.events);
            got.code = got.status == decode_status::failed ? dec.close_code() : 0;
            expect_outcome(got, r);
        }
    }
    std::mt19937 rng(static_cast<uint32_t>(n * 2654435761u));
    for (int trial = 0; trial < 20 && n > 2; ++trial) {
        std::vector<size_t> cuts;
        for (size_t k = 1; k < n; ++k)
            if (rng() % std::max<size_t>(1, n / 6) == 0) cuts.push_back(k);
        SCOPED_TRACE("random pieces, trial " + std::to_string(trial));
        expect_outcome(decode_pieces(ro, input, cuts, max_message), r);
        if (::testing::Test::HasFailure()) return;
    }
}

inline void run_table(const std::vector<row>& rows) {
    for (const row& r : rows) {
        for (role ro : {role::client, role::server}) {
            if (r.only_role && *r.only_role != ro) continue;
            run_row(r, ro);
            if (::testing::Test::HasFailure()) return; // one clear failure, not thousands
        }
    }
}

} // namespace ef::ws::test
