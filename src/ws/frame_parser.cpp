// The out-of-line part of message_decoder: checking a close frame's body, which
// is rare enough to keep out of the inlined decode loop.
#include "ws/frame_parser.hpp"

namespace ef::ws::detail {

close_body parse_close_body(std::span<const uint8_t> body) noexcept {
    // RFC 6455 5.5.1: the body is empty, or a 2-byte code then a reason.
    if (body.empty()) return {close_code::no_status, {}, 0, nullptr};
    if (body.size() == 1)
        return {0, {}, close_code::protocol_error, "close frame with a 1-byte body"};
    const auto code = static_cast<uint16_t>(load_be16(body.data()));
    // RFC 6455 7.4: codes reserved or meant for reporting only are a protocol error.
    if (!is_valid_wire_close_code(code))
        return {0, {}, close_code::protocol_error, "invalid close code"};
    const std::span<const uint8_t> reason = body.subspan(2);
    // RFC 6455 5.5.1: the reason is UTF-8; 8.1: invalid UTF-8 fails with 1007.
    if (!utf8_validator::is_valid(reason))
        return {0, {}, close_code::invalid_payload, "close reason is not valid UTF-8"};
    return {code, {reinterpret_cast<const char*>(reason.data()), reason.size()}, 0, nullptr};
}

} // namespace ef::ws::detail
