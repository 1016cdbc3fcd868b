// Incremental RFC 6455 decoder for one direction of one connection: bytes in,
// messages and control frames out through a Handler. The daemon drives it in
// the client role from its connection's uring_loop with TLS plaintext; the
// venue simulator drives it in the server role. Pure: no socket, no clock, no
// logging, and no allocation (the caller owns the message buffer).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "ws/frame.hpp"
#include "ws/utf8.hpp"

namespace ef::ws {

enum class [[nodiscard]] decode_status : uint8_t {
    ok,     // all input consumed; events so far delivered; more bytes welcome
    failed, // protocol violation: send a close with close_code(), then drop
    closed, // a close frame arrived and was delivered through on_close
};

// What message_decoder calls, synchronously from inside feed(). The spans and
// the reason point into the caller's input or message buffer and are valid
// only during the call. A handler must not call feed() on the same decoder.
template <typename H>
concept message_handler = requires(H& h, std::span<const uint8_t> s, std::string_view reason) {
    h.on_message(opcode::text, s); // opcode::text or opcode::binary, whole message
    h.on_ping(s);
    h.on_pong(s);
    h.on_close(uint16_t{}, reason); // code 1005 (no_status) when the body was empty
};

namespace detail {

// A close frame's body (RFC 6455 5.5.1) after checking: code, reason, or the
// close code to fail with and why.
struct close_body {
    uint16_t code;
    std::string_view reason;
    uint16_t fail_code; // 0 when the body is valid
    const char* error;
};
close_body parse_close_body(std::span<const uint8_t> body) noexcept;

inline uint64_t load_be16(const uint8_t* p) noexcept {
    return static_cast<uint64_t>(p[0]) << 8 | p[1];
}
inline uint64_t load_be64(const uint8_t* p) noexcept {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

} // namespace detail

template <message_handler Handler>
class message_decoder {
public:
    // message_buffer is caller-owned and must outlive the decoder; its size is
    // the largest data message accepted (RFC 6455 7.4.1: larger ones fail with
    // 1009). It holds a message only when the message must be reassembled:
    // it is fragmented, or a frame of it spans feeds.
    message_decoder(role r, std::span<uint8_t> message_buffer) noexcept
        : buf_(message_buffer.data()), buf_cap_(message_buffer.size()), role_(r) {}

    // Consumes all of `in`, delivering each complete message and control
    // frame to h before returning. An unfragmented data frame that lies wholly
    // inside `in` is delivered as a view into `in` (no copy). In the server
    // role `in` is unmasked in place. After `failed` every later call returns
    // `failed`; after `closed`, a call with no bytes returns `closed` and any
    // byte fails (RFC 6455 5.5.1: nothing follows a close frame).
    decode_status feed(std::span<uint8_t> in, Handler& h) noexcept;

    // After `failed`: the close code to send (1002, 1007 or 1009) and why.
    uint16_t close_code() const noexcept { return close_code_; }
    const char* error_text() const noexcept { return error_; }
    // Frames accepted whole so far, control frames included.
    uint64_t frames() const noexcept { return frames_; }
    // Forgets everything but the role and the buffer: a new connection.
    void reset() noexcept;

private:
    enum class phase : uint8_t { header, payload, failed, closed };

    bool start_frame(uint8_t b0, uint8_t b1) noexcept;
    bool finish_header(const uint8_t* h) noexcept;
    bool assemble_header(uint8_t*& p, uint8_t* end) noexcept;
    bool whole_frame(uint8_t* payload, bool trailing, Handler& h) noexcept;
    bool partial_frame(uint8_t*& p, uint8_t* end, Handler& h) noexcept;
    bool append(const uint8_t* p, size_t n) noexcept;
    bool end_message(Handler& h) noexcept;
    bool control(const uint8_t* p, size_t n, bool trailing, Handler& h) noexcept;
    [[gnu::cold, gnu::noinline]] bool fail(uint16_t code, const char* why) noexcept;
    decode_status status() const noexcept;
    bool is_server() const noexcept { return role_ == role::server; }

    uint8_t* buf_;
    size_t buf_cap_;
    role role_;
    phase phase_ = phase::header;

    // The frame being decoded.
    uint8_t op_ = 0;
    bool fin_ = false;
    uint8_t hdr_len_ = 0;  // header bytes held in hdr_ (only when split across feeds)
    uint8_t hdr_need_ = 0; // header size, known once its first two bytes are
    uint32_t mask_ = 0;    // wire key bytes as they lie in memory (server role)
    uint64_t remaining_ = 0;
    uint64_t done_ = 0; // payload bytes already consumed, for the mask offset
    uint8_t hdr_[14];

    // The data message being reassembled.
    bool in_message_ = false; // a fragmented message awaits its final frame
    opcode msg_op_ = opcode::binary;
    size_t msg_len_ = 0;
    utf8_validator utf8_;

    // A control frame split across feeds. It may arrive between fragments, so
    // it cannot share buf_ (RFC 6455 5.4).
    uint8_t ctrl_len_ = 0;
    uint8_t ctrl_[max_control_payload];

    uint16_t close_code_ = 0;
    const char* error_ = "";
    uint64_t frames_ = 0;
};

template <message_handler Handler>
decode_status message_decoder<Handler>::feed(std::span<uint8_t> in, Handler& h) noexcept {
    uint8_t* p = in.data();
    uint8_t* const end = p + in.size();
    if (phase_ != phase::header) [[unlikely]] {
        if (phase_ == phase::payload) {
            if (!partial_frame(p, end, h)) return status();
        } else if (phase_ == phase::closed && p != end) {
            fail(close_code::protocol_error, "data after close frame"); // RFC 6455 5.5.1
            return decode_status::failed;
        } else {
            return status();
        }
    }
    while (p != end) {
        const uint8_t* hp;
        if (hdr_len_ == 0 && end - p >= 2) [[likely]] {
            if (!start_frame(p[0], p[1])) return decode_status::failed;
            if (end - p < hdr_need_) [[unlikely]] {
                hdr_len_ = static_cast<uint8_t>(end - p);
                std::memcpy(hdr_, p, hdr_len_);
                return decode_status::ok;
            }
            hp = p;
            p += hdr_need_;
        } else {
            if (!assemble_header(p, end)) return status();
            hp = hdr_;
        }
        if (!finish_header(hp)) return decode_status::failed;
        hdr_len_ = 0;
        if (static_cast<uint64_t>(end - p) >= remaining_) [[likely]] {
            uint8_t* const payload = p;
            p += remaining_;
            if (!whole_frame(payload, p != end, h)) return status();
        } else {
            phase_ = phase::payload;
            return partial_frame(p, end, h) ? decode_status::ok : status();
        }
    }
    return decode_status::ok;
}

// The first two header bytes decide everything but the extended length, so
// every rule that needs no more is checked here, before anything is buffered.
template <message_handler Handler>
bool message_decoder<Handler>::start_frame(uint8_t b0, uint8_t b1) noexcept {
    const uint8_t op = b0 & 0x0F;
    const bool fin = (b0 & 0x80) != 0;
    const bool masked = (b1 & 0x80) != 0;
    const uint8_t len7 = b1 & 0x7F;
    // RFC 6455 5.2: RSV1-3 MUST be 0 unless an extension defines them; we
    // negotiate none (no permessage-deflate, PROTOCOL.md).
    if (b0 & 0x70) [[unlikely]]
        return fail(close_code::protocol_error, "RSV bit set without a negotiated extension");
    // RFC 6455 5.1: a server never masks; a client always does.
    if (masked != is_server()) [[unlikely]]
        return fail(close_code::protocol_error,
                    is_server() ? "unmasked frame from a client" : "masked frame from a server");
    if (op & 0x08) {
        // RFC 6455 5.2: opcodes 0xB-0xF are reserved for further control frames.
        if (op > 10) [[unlikely]]
            return fail(close_code::protocol_error, "reserved control opcode");
        // RFC 6455 5.5: control frames are at most 125 bytes and never fragmented.
        if (!fin) [[unlikely]]
            return fail(close_code::protocol_error, "fragmented control frame");
        if (len7 > max_control_payload) [[unlikely]]
            return fail(close_code::protocol_error, "control frame longer than 125 bytes");
    } else if (op == 0) {
        // RFC 6455 5.4: a continuation frame continues a fragmented message.
        if (!in_message_) [[unlikely]]
            return fail(close_code::protocol_error, "continuation frame with no message in progress");
    } else {
        // RFC 6455 5.2: opcodes 0x3-0x7 are reserved for further data frames.
        if (op > 2) [[unlikely]]
            return fail(close_code::protocol_error, "reserved data opcode");
        // RFC 6455 5.4: fragments of one message are not interleaved with
        // another message's frames.
        if (in_message_) [[unlikely]]
            return fail(close_code::protocol_error, "new data frame inside a fragmented message");
    }
    op_ = op;
    fin_ = fin;
    hdr_need_ = static_cast<uint8_t>(2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0));
    return true;
}

// h holds the whole header (hdr_need_ bytes), already checked by start_frame.
template <message_handler Handler>
bool message_decoder<Handler>::finish_header(const uint8_t* h) noexcept {
    uint64_t len = h[1] & 0x7F;
    const uint8_t* key = h + 2;
    if (len == 126) {
        len = detail::load_be16(h + 2);
        key += 2;
        // RFC 6455 5.2: "the minimal number of bytes MUST be used to encode the length".
        if (len < 126) [[unlikely]]
            return fail(close_code::protocol_error, "16-bit length below 126 (not minimal)");
    } else if (len == 127) {
        len = detail::load_be64(h + 2);
        key += 8;
        // RFC 6455 5.2: the most significant bit of a 64-bit length MUST be 0.
        if (len >> 63) [[unlikely]]
            return fail(close_code::protocol_error, "64-bit length with the top bit set");
        if (len < 65536) [[unlikely]]
            return fail(close_code::protocol_error, "64-bit length below 65536 (not minimal)");
    }
    if (is_server()) std::memcpy(&mask_, key, 4);
    remaining_ = len;
    done_ = 0;
    if (op_ & 0x08) {
        ctrl_len_ = 0;
        return true;
    }
    // RFC 6455 7.4.1 (1009): refused as soon as the header shows the message
    // cannot fit, before any of it is buffered. msg_len_ <= buf_cap_ always.
    if (len > buf_cap_ - msg_len_) [[unlikely]]
        return fail(close_code::message_too_big, "message larger than the maximum message size");
    if (op_ != 0) msg_op_ = static_cast<opcode>(op_);
    in_message_ = !fin_;
    return true;
}

// Header bytes that arrive in pieces gather in hdr_. False when the header is
// still incomplete (all input consumed) or the first two bytes are bad.
template <message_handler Handler>
bool message_decoder<Handler>::assemble_header(uint8_t*& p, uint8_t* end) noexcept {
    while (hdr_len_ < 2) {
        if (p == end) return false;
        hdr_[hdr_len_++] = *p++;
        if (hdr_len_ == 2 && !start_frame(hdr_[0], hdr_[1])) return false;
    }
    const size_t n = std::min<size_t>(hdr_need_ - hdr_len_, static_cast<size_t>(end - p));
    std::memcpy(hdr_ + hdr_len_, p, n);
    hdr_len_ = static_cast<uint8_t>(hdr_len_ + n);
    p += n;
    return hdr_len_ == hdr_need_;
}

// The whole payload (remaining_ bytes) lies in the caller's input.
template <message_handler Handler>
bool message_decoder<Handler>::whole_frame(uint8_t* payload, bool trailing, Handler& h) noexcept {
    const size_t n = static_cast<size_t>(remaining_);
    if (is_server()) detail::xor_mask(payload, n, mask_, 0);
    if (op_ & 0x08) {
        ++frames_;
        return control(payload, n, trailing, h);
    }
    if (fin_ && op_ != 0) [[likely]] {
        // Unfragmented and all here: deliver in place, no copy.
        // RFC 6455 8.1: text must be valid UTF-8. utf8_ is at a boundary here.
        if (op_ == static_cast<uint8_t>(opcode::text) &&
            !(utf8_.feed({payload, n}) && utf8_.at_boundary())) [[unlikely]]
            return fail(close_code::invalid_payload, "invalid UTF-8 in a text message");
        ++frames_;
        h.on_message(static_cast<opcode>(op_), std::span<const uint8_t>(payload, n));
        return true;
    }
    if (!append(payload, n)) return false;
    ++frames_;
    return fin_ ? end_message(h) : true;
}

// Takes what `in` holds of a frame whose payload spans feeds (p .. end, and
// perhaps beyond); completes the frame if its end is here.
template <message_handler Handler>
bool message_decoder<Handler>::partial_frame(uint8_t*& p, uint8_t* end, Handler& h) noexcept {
    const size_t n = static_cast<size_t>(
        std::min<uint64_t>(remaining_, static_cast<uint64_t>(end - p)));
    if (is_server()) detail::xor_mask(p, n, mask_, done_);
    if (op_ & 0x08) {
        if (n) std::memcpy(ctrl_ + ctrl_len_, p, n);
        ctrl_len_ = static_cast<uint8_t>(ctrl_len_ + n);
    } else if (!append(p, n)) {
        return false;
    }
    p += n;
    remaining_ -= n;
    done_ += n;
    if (remaining_) return true; // p == end
    phase_ = phase::header;
    ++frames_;
    if (op_ & 0x08) return control(ctrl_, ctrl_len_, p != end, h);
    return fin_ ? end_message(h) : true;
}

// Adds data payload bytes to the message being reassembled; finish_header
// has already made sure they fit.
template <message_handler Handler>
bool message_decoder<Handler>::append(const uint8_t* p, size_t n) noexcept {
    // RFC 6455 8.1: fail fast on invalid UTF-8, without waiting for the end.
    if (msg_op_ == opcode::text && !utf8_.feed({p, n})) [[unlikely]]
        return fail(close_code::invalid_payload, "invalid UTF-8 in a text message");
    if (n) std::memcpy(buf_ + msg_len_, p, n);
    msg_len_ += n;
    return true;
}

template <message_handler Handler>
bool message_decoder<Handler>::end_message(Handler& h) noexcept {
    // RFC 6455 8.1: a code point may span fragments, but not the message's end.
    if (msg_op_ == opcode::text && !utf8_.at_boundary()) [[unlikely]]
        return fail(close_code::invalid_payload, "text message ends inside a UTF-8 sequence");
    const size_t len = msg_len_;
    msg_len_ = 0;
    h.on_message(msg_op_, std::span<const uint8_t>(buf_, len));
    return true;
}

// A complete control frame. RFC 6455 5.4: it may arrive between the fragments
// of a message; reassembly of that message goes on after it.
template <message_handler Handler>
bool message_decoder<Handler>::control(const uint8_t* p, size_t n, bool trailing,
                                       Handler& h) noexcept {
    const std::span<const uint8_t> payload(p, n);
    if (op_ == static_cast<uint8_t>(opcode::ping)) {
        h.on_ping(payload);
        return true;
    }
    if (op_ == static_cast<uint8_t>(opcode::pong)) {
        h.on_pong(payload);
        return true;
    }
    const detail::close_body c = detail::parse_close_body(payload);
    if (c.fail_code) [[unlikely]]
        return fail(c.fail_code, c.error);
    h.on_close(c.code, c.reason);
    // RFC 6455 5.5.1: the peer sends nothing after its close frame.
    if (trailing) [[unlikely]]
        return fail(close_code::protocol_error, "data after close frame");
    phase_ = phase::closed;
    return false;
}

template <message_handler Handler>
bool message_decoder<Handler>::fail(uint16_t code, const char* why) noexcept {
    phase_ = phase::failed;
    close_code_ = code;
    error_ = why;
    return false;
}

template <message_handler Handler>
decode_status message_decoder<Handler>::status() const noexcept {
    switch (phase_) {
    case phase::failed: return decode_status::failed;
    case phase::closed: return decode_status::closed;
    default: return decode_status::ok;
    }
}

template <message_handler Handler>
void message_decoder<Handler>::reset() noexcept {
    phase_ = phase::header;
    op_ = 0;
    fin_ = false;
    hdr_len_ = 0;
    hdr_need_ = 0;
    mask_ = 0;
    remaining_ = 0;
    done_ = 0;
    in_message_ = false;
    msg_op_ = opcode::binary;
    msg_len_ = 0;
    utf8_.reset();
    ctrl_len_ = 0;
    close_code_ = 0;
    error_ = "";
    frames_ = 0;
}

} // namespace ef::ws
