// RFC 6455 frame encoder (see frame_writer.hpp). Called for every frame the
// daemon sends (subscriptions, pongs, closes) and every frame the simulator
// sends, so it does no more than write bytes.
#include "ws/frame_writer.hpp"

#include <cstring>

namespace ef::ws {

size_t frame_header_size(uint64_t payload_len, bool masked) noexcept {
    const size_t ext = payload_len < 126 ? 0 : payload_len <= 0xFFFF ? 2 : 8;
    return 2 + ext + (masked ? 4 : 0);
}

size_t encode_frame_header(std::span<uint8_t> out, opcode op, bool fin, uint64_t payload_len,
                           std::optional<uint32_t> mask_key) noexcept {
    const size_t size = frame_header_size(payload_len, mask_key.has_value());
    // RFC 6455 5.2: the most significant bit of a 64-bit length MUST be 0.
    if (out.size() < size || payload_len >> 63) return 0;
    uint8_t* p = out.data();
    *p++ = static_cast<uint8_t>((fin ? 0x80 : 0) | static_cast<uint8_t>(op));
    const uint8_t mask_bit = mask_key ? 0x80 : 0;
    if (payload_len < 126) {
        *p++ = static_cast<uint8_t>(mask_bit | payload_len);
    } else if (payload_len <= 0xFFFF) {
        *p++ = mask_bit | 126;
        *p++ = static_cast<uint8_t>(payload_len >> 8);
        *p++ = static_cast<uint8_t>(payload_len);
    } else {
        *p++ = mask_bit | 127;
        for (int shift = 56; shift >= 0; shift -= 8)
            *p++ = static_cast<uint8_t>(payload_len >> shift);
    }
    if (mask_key) {
        // Most significant byte first, as frame.hpp defines the key's number.
        for (int shift = 24; shift >= 0; shift -= 8)
            *p++ = static_cast<uint8_t>(*mask_key >> shift);
    }
    return size;
}

size_t encode_frame(std::span<uint8_t> out, opcode op, bool fin, std::span<const uint8_t> payload,
                    std::optional<uint32_t> mask_key) noexcept {
    const size_t hdr = frame_header_size(payload.size(), mask_key.has_value());
    if (out.size() < hdr || out.size() - hdr < payload.size()) return 0;
    if (encode_frame_header(out, op, fin, payload.size(), mask_key) != hdr) return 0;
    if (!payload.empty()) std::memcpy(out.data() + hdr, payload.data(), payload.size());
    if (mask_key) mask_in_place(out.subspan(hdr, payload.size()), *mask_key, 0);
    return hdr + payload.size();
}

size_t encode_close(std::span<uint8_t> out, uint16_t code, std::string_view reason,
                    std::optional<uint32_t> mask_key) noexcept {
    if (code == close_code::no_status)
        return encode_frame(out, opcode::close, true, {}, mask_key);
    // RFC 6455 5.5: a control frame's payload is at most 125 bytes.
    if (reason.size() > max_control_payload - 2) return 0;
    uint8_t body[max_control_payload];
    body[0] = static_cast<uint8_t>(code >> 8);
    body[1] = static_cast<uint8_t>(code);
    if (!reason.empty()) std::memcpy(body + 2, reason.data(), reason.size());
    return encode_frame(out, opcode::close, true, {body, 2 + reason.size()}, mask_key);
}

} // namespace ef::ws
