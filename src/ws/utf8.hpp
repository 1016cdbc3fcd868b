// Incremental UTF-8 validation for WebSocket text messages and close reasons
// (RFC 6455 8.1: invalid UTF-8 fails the connection). The frame decoder feeds
// it each piece of a text message as the piece arrives, so a code point may be
// split across fragments and feeds and a bad byte fails at once.
// Well-formed means Unicode table 3-7: no overlong forms, no surrogates
// (U+D800..DFFF), nothing above U+10FFFF.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ef::ws {

class utf8_validator {
public:
    // Checks the next bytes of the text. Returns false as soon as the bytes
    // so far cannot begin well-formed UTF-8, and keeps returning false until
    // reset(). A code point left incomplete at the end is carried over.
    bool feed(std::span<const uint8_t> bytes) noexcept;
    // True when no code point is left incomplete: the text may end here.
    bool at_boundary() const noexcept { return state_ == accept_state; }
    void reset() noexcept { state_ = accept_state; }

    // Whole-text check, for a text that is all in hand.
    static bool is_valid(std::span<const uint8_t> bytes) noexcept;
    static bool is_valid(std::string_view s) noexcept {
        return is_valid({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    }

    static constexpr uint8_t accept_state = 0;

private:
    uint8_t state_ = accept_state;
};

} // namespace ef::ws
