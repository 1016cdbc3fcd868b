// RFC 6455 frame encoder: writes frame headers, whole frames and close frames
// into caller-owned memory. The daemon's connections (client role, masked)
// and the venue simulator (server role, unmasked) drive it. Pure: no socket,
// no allocation; masking keys come from the caller (see mask_source.hpp).
//
// It writes exactly what it is told, with no protocol checks, so the
// simulator and the tests can also produce frames the decoder must reject.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "ws/frame.hpp"

namespace ef::ws {

// Header bytes for a payload of this length: 2, plus 2 or 8 for the extended
// length (RFC 6455 5.2: lengths 126..65535 use 16 bits, larger ones 64), plus
// 4 for the masking key. 2..14.
size_t frame_header_size(uint64_t payload_len, bool masked) noexcept;

// Writes only the header, with the minimal length encoding. Returns its size,
// or 0 if out is too small or payload_len >= 2^63 (RFC 6455 5.2). The caller
// then writes the payload right after it and, if mask_key is set, masks it
// with mask_in_place(payload, *mask_key, 0) (frame.hpp).
size_t encode_frame_header(std::span<uint8_t> out, opcode op, bool fin, uint64_t payload_len,
                           std::optional<uint32_t> mask_key) noexcept;

// Writes header + payload (masked with mask_key when set: the client role,
// RFC 6455 5.3). payload must not overlap out. Returns bytes written, or 0
// if out is too small.
size_t encode_frame(std::span<uint8_t> out, opcode op, bool fin, std::span<const uint8_t> payload,
                    std::optional<uint32_t> mask_key) noexcept;

// Writes a close frame (RFC 6455 5.5.1): the code in network order, then the
// reason. code 1005 (close_code::no_status) writes an empty body, which is
// what 1005 stands for; reason is then ignored. Returns bytes written, or 0 if
// out is too small or the body would pass 125 bytes (reason > 123 bytes).
size_t encode_close(std::span<uint8_t> out, uint16_t code, std::string_view reason,
                    std::optional<uint32_t> mask_key) noexcept;

} // namespace ef::ws
