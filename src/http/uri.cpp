// Percent-encoding and query lookup (see uri.hpp). Called by the REST client
// when it builds a target and by the simulator when it reads one.
#include "http/uri.hpp"

#include "common/hex.hpp"

namespace ef::http {

namespace {

bool is_unreserved(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// Reads one decoded byte at in[i], advancing i. Returns -1 on a bad escape.
int next_decoded(std::string_view in, size_t& i, bool plus_is_space) noexcept {
    const char c = in[i];
    if (c == '%') {
        if (in.size() - i < 3) return -1;
        const int hi = hex_digit_value(in[i + 1]);
        const int lo = hex_digit_value(in[i + 2]);
        if (hi < 0 || lo < 0) return -1;
        i += 3;
        return hi << 4 | lo;
    }
    ++i;
    if (c == '+' && plus_is_space) return ' ';
    return static_cast<unsigned char>(c);
}

codec_status decode(std::string_view in, std::span<char> out, std::string_view& decoded,
                    bool plus_is_space) noexcept {
    size_t i = 0;
    size_t n = 0;
    while (i < in.size()) {
        const int b = next_decoded(in, i, plus_is_space);
        if (b < 0) return codec_status::bad_escape;
        if (n == out.size()) return codec_status::no_room;
        out[n++] = static_cast<char>(b);
    }
    decoded = {out.data(), n};
    return codec_status::ok;
}

// Does the form-encoded `raw` decode to exactly `plain`? Decodes on the fly,
// so comparing names needs no buffer.
bool decodes_to(std::string_view raw, std::string_view plain) noexcept {
    size_t i = 0;
    size_t k = 0;
    while (i < raw.size()) {
        const int b = next_decoded(raw, i, true);
        if (b < 0 || k == plain.size() || static_cast<unsigned char>(plain[k]) != b) return false;
        ++k;
    }
    return k == plain.size();
}

} // namespace

codec_status percent_encode_segment(std::string_view segment, std::span<char> out,
                                    std::string_view& encoded) noexcept {
    static constexpr char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (char c : segment) {
        if (is_unreserved(c)) {
            if (n == out.size()) return codec_status::no_room;
            out[n++] = c;
            continue;
        }
        if (out.size() - n < 3) return codec_status::no_room;
        const auto b = static_cast<unsigned char>(c);
        out[n] = '%';
        out[n + 1] = hex[b >> 4];
        out[n + 2] = hex[b & 15];
        n += 3;
    }
    encoded = {out.data(), n};
    return codec_status::ok;
}

codec_status percent_decode(std::string_view in, std::span<char> out,
                            std::string_view& decoded) noexcept {
    return decode(in, out, decoded, false);
}

codec_status query_decode(std::string_view in, std::span<char> out,
                          std::string_view& decoded) noexcept {
    return decode(in, out, decoded, true);
}

std::string_view find_query_param(std::string_view query, std::string_view name) noexcept {
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const size_t eq = pair.find('=');
        if (eq == std::string_view::npos) {
            if (decodes_to(pair, name)) return pair.substr(pair.size());
        } else if (decodes_to(pair.substr(0, eq), name)) {
            return pair.substr(eq + 1);
        }
    }
    return {};
}

codec_status find_query_param(std::string_view query, std::string_view name, std::span<char> out,
                              std::string_view& value) noexcept {
    const std::string_view raw = find_query_param(query, name);
    if (raw.data() == nullptr) return codec_status::absent;
    return query_decode(raw, out, value);
}

} // namespace ef::http
