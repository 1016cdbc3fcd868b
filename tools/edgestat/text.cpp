// See text.hpp.
#include "edgestat/text.hpp"

#include "json/decimal.hpp"
#include "json/scanner.hpp"
#include "ws/utf8.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace ef::stat {

std::string decimal_text(int64_t v_e9) {
    char buf[json::decimal_e9_max_chars + 1];
    return std::string(buf, json::format_decimal_e9(v_e9, buf));
}

std::string human_ns(uint64_t ns) {
    if (ns == 0) return "-";
    if (ns < 1'000) return fmt::format("{} ns", ns);
    if (ns < 1'000'000) return fmt::format("{:.1f} µs", static_cast<double>(ns) / 1e3);
    if (ns < 1'000'000'000) return fmt::format("{:.1f} ms", static_cast<double>(ns) / 1e6);
    return fmt::format("{:.2f} s", static_cast<double>(ns) / 1e9);
}

namespace {

// Bytes of the UTF-8 sequence a lead byte starts (1 for a byte that cannot
// lead one: it is then replaced alone).
size_t sequence_bytes(unsigned char c) noexcept {
    return c < 0xc2 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 1;
}

// s with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string well_formed(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (size_t i = 0; i < s.size();) {
        const size_t n = std::min(sequence_bytes(static_cast<unsigned char>(s[i])), s.size() - i);
        if (ws::utf8_validator::is_valid(s.substr(i, n))) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out.append("\xef\xbf\xbd");
            ++i;
        }
    }
    return out;
}

} // namespace

std::string json_str(std::string_view s) {
    // JSON text is UTF-8 (RFC 8259 8.1): a venue's body or a corrupt journal
    // may hold anything, and one bad byte would make a consumer's parser
    // refuse the whole line.
    if (!ws::utf8_validator::is_valid(s)) return json_str(well_formed(s));
    char buf[512];
    const size_t n = json::escape_json_string(s, buf);
    if (n <= sizeof buf) return fmt::format("\"{}\"", std::string_view(buf, n));
    std::string big(n, '\0');
    json::escape_json_string(s, {big.data(), big.size()});
    return fmt::format("\"{}\"", big);
}

} // namespace ef::stat
