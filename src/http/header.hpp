// One HTTP header as views into a parser's buffer; shared by the HTTP parsers
// and the WebSocket handshake so neither depends on the other's internals.
#pragma once

#include <span>
#include <string_view>

namespace ef::http {

struct header {
    std::string_view name;
    std::string_view value; // leading/trailing spaces and tabs removed
};

// ASCII case-insensitive comparison, as header names require (RFC 9110 5.1).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
        if (x != y) return false;
    }
    return true;
}

// First header with this name, or an empty view with data() == nullptr.
constexpr std::string_view find_header(std::span<const header> headers,
                                       std::string_view name) noexcept {
    for (const header& h : headers)
        if (iequals(h.name, name)) return h.value;
    return {};
}

} // namespace ef::http
