// HTTP/1.1 request parser (see request_parser.hpp). Runs in the simulator's
// connection loop; shares head handling with response_parser through
// message_head.hpp.
#include "http/request_parser.hpp"

#include <algorithm>
#include <cstring>

namespace ef::http {

namespace {

using detail::head_reader;
using detail::is_digit;
using detail::is_tchar;

// RFC 3986 3.3/3.4: origin-form bytes are pchar ("unreserved / pct-encoded /
// sub-delims / ':' / '@'") plus '/' and '?'. Space, '#', '"', '<', '>', '\',
// '^', '`', '{', '|', '}', CTLs and non-ASCII are refused.
consteval detail::char_table make_target_table() {
    detail::char_table t{};
    for (int c = '0'; c <= '9'; ++c)
        t.v[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t.v[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        t.v[c] = true;
    for (char c : std::string_view("-._~%!$&'()*+,;=:@/?"))
        t.v[static_cast<unsigned char>(c)] = true;
    return t;
}
constexpr detail::char_table target_table = make_target_table();

} // namespace

request_parser::request_parser(std::span<char> head_buffer, std::span<char> body_buffer,
                               size_t max_headers)
    : reader_(head_buffer), body_(body_buffer.data()), body_cap_(body_buffer.size()),
      headers_(std::make_unique<header[]>(max_headers)), max_headers_(max_headers) {}

void request_parser::reset() noexcept {
    reader_.reset();
    body_len_ = 0;
    head_ = request_head{};
    remaining_ = 0;
    phase_ = phase::head;
    error_.clear();
}

parse_status request_parser::fail(const char* why) noexcept {
    head_ = request_head{}; // may hold half-parsed fields
    error_.set(why);
    phase_ = phase::bad;
    return parse_status::bad;
}

parse_status request_parser::fail_limit(const char* prefix, uint64_t n,
                                        const char* suffix) noexcept {
    head_ = request_head{};
    error_.set(prefix, n, suffix);
    phase_ = phase::bad;
    return parse_status::bad;
}

parse_status request_parser::feed(std::string_view in, size_t& consumed) noexcept {
    consumed = 0;
    const char* p = in.data();
    if (phase_ == phase::head) {
        size_t used = 0;
        const head_reader::step st = reader_.feed(in, used);
        consumed = used;
        if (st == head_reader::step::need_more) return parse_status::need_more;
        if (st == head_reader::step::bare_lf) [[unlikely]]
            return fail("bare LF in head (lines must end in CRLF)");
        if (st == head_reader::step::too_large) [[unlikely]]
            return fail_limit("headers larger than ", reader_.capacity(), " bytes");
        p += used;
        const parse_status s = on_head();
        if (s != parse_status::need_more) return s;
    }
    if (phase_ == phase::done) return parse_status::done;
    if (phase_ == phase::bad) return parse_status::bad;
    const size_t avail = static_cast<size_t>(in.data() + in.size() - p);
    const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, avail));
    if (n) std::memcpy(body_ + body_len_, p, n);
    body_len_ += n;
    remaining_ -= n;
    consumed = static_cast<size_t>(p + n - in.data());
    if (remaining_ != 0) return parse_status::need_more;
    phase_ = phase::done;
    return parse_status::done;
}

// RFC 9112 3: request-line = method SP request-target SP HTTP-version.
const char* request_parser::parse_request_line(std::string_view line) noexcept {
    size_t i = 0;
    while (i < line.size() && is_tchar(line[i]))
        ++i;
    if (i == 0) return "request line does not start with a method";
    if (i == line.size() || line[i] != ' ') return "invalid character in method";
    head_.method = line.substr(0, i);
    const size_t t0 = ++i;
    while (i < line.size() && target_table.v[static_cast<unsigned char>(line[i])])
        ++i;
    if (i == line.size() || line[i] != ' ')
        return i == line.size() ? "request line has no HTTP version"
                                : "invalid character in request target";
    const std::string_view target = line.substr(t0, i - t0);
    // RFC 9112 3.2.1 origin-form, or 3.2.4 asterisk-form (OPTIONS *).
    if (target.empty() || (target[0] != '/' && target != "*"))
        return "request target not in origin-form";
    const std::string_view version = line.substr(i + 1);
    if (version.size() != 8 || !version.starts_with("HTTP/1.") || !is_digit(version[7]))
        return version.starts_with("HTTP/") && !version.starts_with("HTTP/1.")
                   ? "unsupported HTTP version"
                   : "malformed HTTP version";
    head_.target = target;
    const size_t q = target.find('?');
    head_.path = target.substr(0, q);
    head_.query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    head_.minor_version = version[7] - '0';
    return nullptr;
}

parse_status request_parser::on_head() noexcept {
    const std::string_view text = reader_.text();
    const size_t eol = text.find('\n'); // head_reader: present, after a CR
    if (const char* why = parse_request_line(text.substr(0, eol - 1))) return fail(why);
    size_t n = 0;
    detail::framing f;
    const char* why =
        detail::parse_fields(text.substr(eol + 1), headers_.get(), max_headers_, n, f);
    if (why == detail::too_many_headers) [[unlikely]]
        return fail_limit("more than ", max_headers_, " headers");
    if (why) return fail(why);
    if (f.te_headers) return fail("Transfer-Encoding in requests is not supported");
    // RFC 9112 3.2: a 1.1 request without exactly one Host gets a 400.
    if (head_.minor_version >= 1 && f.host_headers != 1)
        return fail(f.host_headers ? "more than one Host header" : "missing Host header");
    if (f.content_length > 0 && static_cast<uint64_t>(f.content_length) > body_cap_)
        return fail_limit("body larger than ", body_cap_, " bytes");
    head_.headers = {headers_.get(), n};
    head_.content_length = f.content_length;
    head_.keep_alive = head_.minor_version >= 1 ? !f.connection_close
                                                : f.connection_keep_alive && !f.connection_close;
    // RFC 9112 6.3 item 7: no Content-Length (and no TE) means no body.
    if (f.content_length <= 0) {
        phase_ = phase::done;
        return parse_status::done;
    }
    remaining_ = static_cast<uint64_t>(f.content_length);
    phase_ = phase::body;
    return parse_status::need_more;
}

} // namespace ef::http
