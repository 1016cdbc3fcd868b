// The RFC 6455 opening handshake (see handshake.hpp). Runs once per connection
// at set-up, in the daemon and in the venue simulator.
#include "ws/handshake.hpp"

// wolfSSL's headers read its build options first.
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/sha.h>

#include <cstring>

namespace ef::ws {
namespace {

constexpr std::string_view websocket_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 1.3
constexpr char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// RFC 4648 section 4 base64 with '=' padding; out holds 4 * ceil(n / 3) chars.
void base64_encode(const uint8_t* in, size_t n, char* out) noexcept {
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        const uint32_t v = uint32_t{in[i]} << 16 | uint32_t{in[i + 1]} << 8 | in[i + 2];
        *out++ = b64_alphabet[v >> 18];
        *out++ = b64_alphabet[(v >> 12) & 63];
        *out++ = b64_alphabet[(v >> 6) & 63];
        *out++ = b64_alphabet[v & 63];
    }
    if (n - i == 1) {
        const uint32_t v = uint32_t{in[i]} << 16;
        *out++ = b64_alphabet[v >> 18];
        *out++ = b64_alphabet[(v >> 12) & 63];
        *out++ = '=';
        *out++ = '=';
    } else if (n - i == 2) {
        const uint32_t v = uint32_t{in[i]} << 16 | uint32_t{in[i + 1]} << 8;
        *out++ = b64_alphabet[v >> 18];
        *out++ = b64_alphabet[(v >> 12) & 63];
        *out++ = b64_alphabet[(v >> 6) & 63];
        *out++ = '=';
    }
}

int b64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// RFC 6455 4.2.1 item 5: the key must decode to 16 bytes, which base64 writes
// as 22 characters and "==". The last character carries 2 bits of data and 4
// of padding; RFC 4648 3.5 lets a decoder insist those are zero, and we do.
bool is_base64_of_16_bytes(std::string_view key) noexcept {
    if (key.size() != 24 || key[22] != '=' || key[23] != '=') return false;
    for (size_t i = 0; i < 22; ++i)
        if (b64_value(key[i]) < 0) return false;
    return (b64_value(key[21]) & 0x0F) == 0;
}

// Header values that are comma-separated token lists (RFC 9110 5.6.1), e.g.
// "Connection: keep-alive, Upgrade". True if any header named `name` lists
// `token`, compared without regard to ASCII case.
bool has_token(std::span<const http::header> headers, std::string_view name,
               std::string_view token) noexcept {
    for (const http::header& h : headers) {
        if (!http::iequals(h.name, name)) continue;
        std::string_view rest = h.value;
        while (!rest.empty()) {
            const size_t comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
                item.remove_prefix(1);
            while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
                item.remove_suffix(1);
            if (http::iequals(item, token)) return true;
        }
    }
    return false;
}

// True if any header named `name` has a non-empty value: for the response's
// Sec-WebSocket-Extensions and -Protocol, which we never offer.
bool has_nonempty(std::span<const http::header> headers, std::string_view name) noexcept {
    for (const http::header& h : headers)
        if (http::iequals(h.name, name) && !h.value.empty()) return true;
    return false;
}

bool has_forbidden_char(std::string_view s) noexcept {
    for (char c : s)
        if (c == '\r' || c == '\n' || c == '\0') return true;
    return false;
}

bool is_header_name(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (c == ':' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

// Appends to a fixed buffer; remembers if anything did not fit.
struct text_writer {
    char* p;
    char* end;
    bool fits = true;

    text_writer& operator<<(std::string_view s) noexcept {
        if (static_cast<size_t>(end - p) < s.size()) {
            fits = false;
            return *this;
        }
        if (!s.empty()) std::memcpy(p, s.data(), s.size());
        p += s.size();
        return *this;
    }
};

} // namespace

std::array<char, 24> make_client_key(std::span<const uint8_t, 16> random) noexcept {
    std::array<char, 24> key;
    base64_encode(random.data(), random.size(), key.data());
    return key;
}

std::array<char, 28> compute_accept(std::string_view client_key) noexcept {
    std::array<char, 28> accept{}; // all NUL if SHA-1 fails: then no header can match it
    uint8_t digest[WC_SHA_DIGEST_SIZE];
    wc_Sha sha;
    if (wc_InitSha(&sha) != 0) return accept;
    const bool hashed =
        wc_ShaUpdate(&sha, reinterpret_cast<const byte*>(client_key.data()),
                     static_cast<word32>(client_key.size())) == 0 &&
        wc_ShaUpdate(&sha, reinterpret_cast<const byte*>(websocket_guid.data()),
                     static_cast<word32>(websocket_guid.size())) == 0 &&
        wc_ShaFinal(&sha, digest) == 0;
    wc_ShaFree(&sha);
    if (hashed) base64_encode(digest, sizeof(digest), accept.data());
    return accept;
}

size_t write_upgrade_request(std::span<char> out, std::string_view host_header,
                             std::string_view path_and_query, std::string_view client_key,
                             std::span<const http::header> extra_headers) noexcept {
    if (path_and_query.empty()) path_and_query = "/";
    if (has_forbidden_char(host_header) || has_forbidden_char(path_and_query) ||
        has_forbidden_char(client_key))
        return 0;
    for (const http::header& h : extra_headers)
        if (!is_header_name(h.name) || has_forbidden_char(h.value)) return 0;
    text_writer w{out.data(), out.data() + out.size()};
    // RFC 6455 4.1: a GET of HTTP/1.1 or later, with these five headers.
    w << "GET " << path_and_query << " HTTP/1.1\r\n"
      << "Host: " << host_header << "\r\n"
      << "Upgrade: websocket\r\n"
      << "Connection: Upgrade\r\n"
      << "Sec-WebSocket-Key: " << client_key << "\r\n"
      << "Sec-WebSocket-Version: 13\r\n";
    for (const http::header& h : extra_headers)
        w << h.name << ": " << h.value << "\r\n";
    w << "\r\n";
    return w.fits ? static_cast<size_t>(w.p - out.data()) : 0;
}

upgrade_check check_upgrade_response(int status, std::span<const http::header> headers,
                                     std::string_view client_key) noexcept {
    // RFC 6455 4.1, the client's checks of the server's handshake, in order.
    if (status != 101) return upgrade_check::not_101;
    if (!http::iequals(http::find_header(headers, "Upgrade"), "websocket"))
        return upgrade_check::missing_upgrade;
    if (!has_token(headers, "Connection", "upgrade")) return upgrade_check::missing_connection;
    const std::array<char, 28> expected = compute_accept(client_key);
    // Base64 is case-sensitive: compared byte for byte.
    if (http::find_header(headers, "Sec-WebSocket-Accept") !=
        std::string_view(expected.data(), expected.size()))
        return upgrade_check::bad_accept;
    // We offer no extension and no subprotocol, so the server may name none.
    if (has_nonempty(headers, "Sec-WebSocket-Extensions"))
        return upgrade_check::unexpected_extension;
    if (has_nonempty(headers, "Sec-WebSocket-Protocol")) return upgrade_check::unexpected_protocol;
    return upgrade_check::ok;
}

const char* to_string(upgrade_check c) noexcept {
    switch (c) {
    case upgrade_check::ok: return "ok";
    case upgrade_check::not_101: return "status is not 101 Switching Protocols";
    case upgrade_check::missing_upgrade: return "no \"Upgrade: websocket\" header";
    case upgrade_check::missing_connection: return "no \"upgrade\" token in the Connection header";
    case upgrade_check::bad_accept: return "Sec-WebSocket-Accept missing or wrong";
    case upgrade_check::unexpected_extension: return "server chose an extension we did not offer";
    case upgrade_check::unexpected_protocol: return "server chose a subprotocol we did not offer";
    }
    return "unknown upgrade_check";
}

upgrade_request check_upgrade_request(std::span<const http::header> headers) noexcept {
    // RFC 6455 4.2.1, items 2-6.
    if (http::find_header(headers, "Host").data() == nullptr)
        return {request_check::missing_host, {}};
    if (!has_token(headers, "Upgrade", "websocket")) return {request_check::missing_upgrade, {}};
    if (!has_token(headers, "Connection", "upgrade"))
        return {request_check::missing_connection, {}};
    if (http::find_header(headers, "Sec-WebSocket-Version") != "13")
        return {request_check::bad_version, {}};
    const std::string_view key = http::find_header(headers, "Sec-WebSocket-Key");
    if (!is_base64_of_16_bytes(key)) return {request_check::bad_key, {}};
    return {request_check::ok, key};
}

const char* to_string(request_check c) noexcept {
    switch (c) {
    case request_check::ok: return "ok";
    case request_check::missing_host: return "no Host header";
    case request_check::missing_upgrade: return "no \"websocket\" token in the Upgrade header";
    case request_check::missing_connection: return "no \"upgrade\" token in the Connection header";
    case request_check::bad_version: return "Sec-WebSocket-Version is not 13";
    case request_check::bad_key: return "Sec-WebSocket-Key is not base64 of 16 bytes";
    }
    return "unknown request_check";
}

size_t write_upgrade_response(std::span<char> out, std::string_view accept) noexcept {
    if (has_forbidden_char(accept)) return 0;
    text_writer w{out.data(), out.data() + out.size()};
    // RFC 6455 4.2.2 item 5.
    w << "HTTP/1.1 101 Switching Protocols\r\n"
      << "Upgrade: websocket\r\n"
      << "Connection: Upgrade\r\n"
      << "Sec-WebSocket-Accept: " << accept << "\r\n"
      << "\r\n";
    return w.fits ? static_cast<size_t>(w.p - out.data()) : 0;
}

} // namespace ef::ws
