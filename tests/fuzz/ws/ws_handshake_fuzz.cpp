// libFuzzer target for the handshake checks. The input is read as an HTTP
// head already split by a parser: the first line's leading digits are the
// status, each later line "name:value" one header (value trimmed). Both the
// client's check of a response and the server's check of a request run over
// it; neither may crash or read outside the headers, and an ok verdict must
// mean what it says.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ws/handshake.hpp"

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    ef::http::header headers[32];
    size_t count = 0;
    int status = 0;
    bool first = true;
    while (!text.empty() && count < 32) {
        const size_t eol = text.find('\n');
        const std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (first) {
            first = false;
            for (char c : line) {
                if (c < '0' || c > '9' || status > 99999) break;
                status = status * 10 + (c - '0');
            }
            continue;
        }
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        headers[count++] = {trim(line.substr(0, colon)), trim(line.substr(colon + 1))};
    }
    const std::span<const ef::http::header> hs(headers, count);

    constexpr std::string_view key = "dGhlIHNhbXBsZSBub25jZQ==";
    const ef::ws::upgrade_check c = ef::ws::check_upgrade_response(status, hs, key);
    if (ef::ws::to_string(c) == nullptr) std::abort();
    if (c == ef::ws::upgrade_check::ok) {
        if (status != 101) std::abort();
        if (ef::http::find_header(hs, "Sec-WebSocket-Accept") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            std::abort();
    }
    const ef::ws::upgrade_request r = ef::ws::check_upgrade_request(hs);
    if (ef::ws::to_string(r.check) == nullptr) std::abort();
    if (r.check == ef::ws::request_check::ok) {
        if (r.client_key.size() != 24) std::abort();
        // A key the server accepts yields an accept the client accepts.
        const std::array<char, 28> accept = ef::ws::compute_accept(r.client_key);
        const ef::http::header reply[] = {{"Upgrade", "websocket"},
                                          {"Connection", "Upgrade"},
                                          {"Sec-WebSocket-Accept", {accept.data(), accept.size()}}};
        if (ef::ws::check_upgrade_response(101, reply, r.client_key) != ef::ws::upgrade_check::ok)
            std::abort();
    }
    return 0;
}
