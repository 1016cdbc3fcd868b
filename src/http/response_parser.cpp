// HTTP/1.1 response parser (see response_parser.hpp). Runs inside the
// connection's feed path: a head arriving whole costs one memchr pass to find
// its end, one copy and one validating pass; bodies are copied in bulk.
#include "http/response_parser.hpp"

#include "common/hex.hpp"

#include <algorithm>
#include <cstring>

namespace ef::http {

namespace {

using detail::head_reader;
using detail::is_digit;
using detail::is_field_char;
using detail::is_ows;
using detail::is_tchar;
} // namespace

response_parser::response_parser(std::span<char> head_buffer, std::span<char> body_buffer,
                                 size_t max_headers)
    : reader_(head_buffer), body_(body_buffer.data()), body_cap_(body_buffer.size()),
      headers_(std::make_unique<header[]>(max_headers)), max_headers_(max_headers) {}

void response_parser::reset() noexcept {
    reader_.reset();
    body_len_ = 0;
    head_ = response_head{};
    remaining_ = chunk_size_ = 0;
    extra_bytes_ = 0;
    chunk_digits_ = false;
    no_body_expected_ = false;
    phase_ = phase::head;
    error_.clear();
}

parse_status response_parser::fail(const char* why) noexcept {
    error_.set(why);
    phase_ = phase::bad;
    return parse_status::bad;
}

parse_status response_parser::fail_limit(const char* prefix, uint64_t n,
                                         const char* suffix) noexcept {
    error_.set(prefix, n, suffix);
    phase_ = phase::bad;
    return parse_status::bad;
}

parse_status response_parser::fail_head(const char* why) noexcept {
    head_ = response_head{}; // may hold half-parsed fields; nobody may read them
    error_.set(why);
    phase_ = phase::bad_head;
    return parse_status::bad;
}

parse_status response_parser::feed(std::string_view in, size_t& consumed) noexcept {
    consumed = 0;
    const char* p = in.data();
    const char* const end = p + in.size();
    if (phase_ == phase::head) {
        size_t used = 0;
        const head_reader::step st = reader_.feed(in, used);
        consumed = used;
        if (st == head_reader::step::need_more) return parse_status::need_more;
        if (st == head_reader::step::bare_lf) [[unlikely]]
            return fail_head("bare LF in head (lines must end in CRLF)");
        if (st == head_reader::step::too_large) [[unlikely]] {
            error_.set("headers larger than ", reader_.capacity(), " bytes");
            phase_ = phase::bad_head;
            return parse_status::bad;
        }
        p += used;
        const parse_status s = on_head();
        if (s != parse_status::need_more) return s;
    }
    parse_status s;
    switch (phase_) {
    case phase::done:
        return parse_status::done;
    case phase::bad:
    case phase::bad_head:
        return parse_status::bad;
    case phase::length_body:
        s = feed_length(p, end);
        break;
    case phase::close_body:
        s = feed_close(p, end);
        break;
    default:
        s = feed_chunked(p, end);
        break;
    }
    consumed = static_cast<size_t>(p - in.data());
    return s;
}

// RFC 9112 4: status-line = HTTP-version SP status-code SP [ reason-phrase ].
// The SP after the code is required even when the reason is empty.
const char* response_parser::parse_status_line(std::string_view line) noexcept {
    if (line.size() < 8 || std::memcmp(line.data(), "HTTP/1.", 7) != 0 || !is_digit(line[7]))
        return line.starts_with("HTTP/") ? "unsupported HTTP version"
                                         : "not an HTTP/1.x status line";
    if (line.size() < 9 || line[8] != ' ') return "no space after HTTP version";
    // RFC 9110 15: a status code is three digits, the first 1 to 5.
    if (line.size() < 12 || line[9] < '1' || line[9] > '5' || !is_digit(line[10]) ||
        !is_digit(line[11]))
        return "status code not three digits from 100 to 599";
    if (line.size() < 13 || line[12] != ' ') return "no space after status code";
    const std::string_view reason = line.substr(13);
    if (detail::find_non_field_char(reason.data(), reason.data() + reason.size()) !=
        reason.data() + reason.size())
        return "invalid character in reason phrase";
    head_.minor_version = line[7] - '0';
    head_.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    head_.reason = reason;
    return nullptr;
}

// Parses the whole head and chooses how the body is delimited (RFC 9112 6.3).
// Returns done (no body), bad, or need_more (a body follows; phase_ says how).
parse_status response_parser::on_head() noexcept {
    const std::string_view text = reader_.text();
    const size_t eol = text.find('\n'); // head_reader: present, after a CR
    if (const char* why = parse_status_line(text.substr(0, eol - 1))) return fail_head(why);
    size_t n = 0;
    detail::framing f;
    const char* why =
        detail::parse_fields(text.substr(eol + 1), headers_.get(), max_headers_, n, f);
    if (why == detail::too_many_headers) [[unlikely]] {
        head_ = response_head{};
        error_.set("more than ", max_headers_, " headers");
        phase_ = phase::bad_head;
        return parse_status::bad;
    }
    if (why) return fail_head(why);
    head_.headers = {headers_.get(), n};
    head_.content_length = f.content_length;
    // RFC 9112 9.3: persistent by default from 1.1 on; 1.0 only when asked.
    head_.keep_alive = head_.minor_version >= 1 ? !f.connection_close
                                                : f.connection_keep_alive && !f.connection_close;
    head_.chunked = f.te_chunked;

    // RFC 9112 6.3 item 1: these never have a body, whatever the headers say.
    const int st = head_.status;
    if (no_body_expected_ || st < 200 || st == 204 || st == 304) {
        phase_ = phase::done;
        return parse_status::done;
    }
    if (f.te_headers) {
        // RFC 9112 6.1: Transfer-Encoding in a 1.0 message means faulty framing.
        if (head_.minor_version == 0) return fail("Transfer-Encoding in an HTTP/1.0 response");
        // We never send TE or Accept-Encoding, so "chunked" alone is all a
        // server may apply; anything else we could not decode anyway.
        if (f.te_codings != 1 || !f.te_chunked)
            return fail("unsupported Transfer-Encoding (only chunked is accepted)");
        // RFC 9112 6.3 item 3: chunked wins over Content-Length, but the
        // message smells of smuggling: read it, then do not reuse the line.
        if (f.content_length >= 0) head_.keep_alive = false;
        phase_ = phase::chunk_size;
        return parse_status::need_more;
    }
    if (f.content_length >= 0) {
        if (static_cast<uint64_t>(f.content_length) > body_cap_)
            return fail_limit("body larger than ", body_cap_, " bytes");
        if (f.content_length == 0) {
            phase_ = phase::done;
            return parse_status::done;
        }
        remaining_ = static_cast<uint64_t>(f.content_length);
        phase_ = phase::length_body;
        return parse_status::need_more;
    }
    // RFC 9112 6.3 item 8: the body runs until the server closes.
    head_.keep_alive = false;
    phase_ = phase::close_body;
    return parse_status::need_more;
}

parse_status response_parser::feed_length(const char*& p, const char* end) noexcept {
    const size_t n =
        static_cast<size_t>(std::min<uint64_t>(remaining_, static_cast<uint64_t>(end - p)));
    if (n) std::memcpy(body_ + body_len_, p, n);
    body_len_ += n;
    p += n;
    remaining_ -= n;
    if (remaining_ != 0) return parse_status::need_more;
    phase_ = phase::done;
    return parse_status::done;
}

parse_status response_parser::feed_close(const char*& p, const char* end) noexcept {
    const size_t n = static_cast<size_t>(end - p);
    if (n > body_cap_ - body_len_) return fail_limit("body larger than ", body_cap_, " bytes");
    if (n) std::memcpy(body_ + body_len_, p, n);
    body_len_ += n;
    p += n;
    return parse_status::need_more;
}

parse_status response_parser::finish() noexcept {
    switch (phase_) {
    case phase::close_body:
        phase_ = phase::done;
        return parse_status::done;
    case phase::done:
        return parse_status::done;
    case phase::bad:
    case phase::bad_head:
        return parse_status::bad;
    default:
        return fail("connection closed before the response was complete");
    }
}

// RFC 9112 7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF,
// last-chunk = 1*"0" [ chunk-ext ] CRLF, then trailer-section CRLF. Chunk
// data is copied in bulk; the size lines and trailers, a few bytes each, go
// through the byte-wise state machine below. Extensions are checked for
// legal bytes and dropped; trailers are checked as field lines and dropped.
parse_status response_parser::feed_chunked(const char*& p, const char* end) noexcept {
    while (p < end) {
        if (phase_ == phase::chunk_data) {
            const size_t n =
                static_cast<size_t>(std::min<uint64_t>(remaining_, static_cast<uint64_t>(end - p)));
            std::memcpy(body_ + body_len_, p, n);
            body_len_ += n;
            p += n;
            remaining_ -= n;
            if (remaining_ == 0) phase_ = phase::chunk_data_cr;
            continue;
        }
        const char c = *p++;
        switch (phase_) {
        case phase::chunk_size: {
            const int d = hex_digit_value(c);
            if (d >= 0) {
                if (chunk_size_ > (static_cast<uint64_t>(INT64_MAX) >> 4))
                    return fail("chunk size overflows");
                chunk_size_ = chunk_size_ << 4 | static_cast<uint64_t>(d);
                chunk_digits_ = true;
                break;
            }
            if (c == '\n') return fail("chunk size line not ended by CRLF");
            if (!chunk_digits_) return fail("chunk size not hex");
            if (chunk_size_ > body_cap_ - body_len_)
                return fail_limit("body larger than ", body_cap_, " bytes");
            extra_bytes_ = 0;
            if (c == '\r')
                phase_ = phase::chunk_size_lf;
            else if (c == ';')
                phase_ = phase::chunk_ext;
            else if (is_ows(c))
                phase_ = phase::chunk_ext_ws;
            else
                return fail("chunk size not hex");
            break;
        }
        case phase::chunk_ext_ws: // BWS is allowed only before a ';'
            if (c == ';')
                phase_ = phase::chunk_ext;
            else if (!is_ows(c))
                return fail("invalid chunk extension");
            break;
        case phase::chunk_ext:
            if (c == '\r')
                phase_ = phase::chunk_size_lf;
            else if (c == '\n')
                return fail("chunk size line not ended by CRLF");
            else if (!is_field_char(c))
                return fail("invalid character in chunk extension");
            else if (++extra_bytes_ > reader_.capacity())
                return fail_limit("chunk extension longer than ", reader_.capacity(), " bytes");
            break;
        case phase::chunk_size_lf:
            if (c != '\n') return fail("chunk size line not ended by CRLF");
            if (chunk_size_ == 0) {
                extra_bytes_ = 0;
                phase_ = phase::trailer_line;
            } else {
                remaining_ = chunk_size_;
                phase_ = phase::chunk_data;
            }
            break;
        case phase::chunk_data_cr:
            if (c != '\r') return fail("chunk data not followed by CRLF");
            phase_ = phase::chunk_data_lf;
            break;
        case phase::chunk_data_lf:
            if (c != '\n') return fail("chunk data not followed by CRLF");
            chunk_size_ = 0;
            chunk_digits_ = false;
            phase_ = phase::chunk_size;
            break;
        case phase::last_lf:
            if (c != '\n') return fail("chunked body not ended by CRLF");
            phase_ = phase::done;
            return parse_status::done;
        default: // trailer field lines (RFC 9112 7.1.2), same syntax as headers
            if (++extra_bytes_ > reader_.capacity())
                return fail_limit("trailers larger than ", reader_.capacity(), " bytes");
            switch (phase_) {
            case phase::trailer_line:
                if (c == '\r')
                    phase_ = phase::last_lf;
                else if (is_tchar(c))
                    phase_ = phase::trailer_name;
                else if (is_ows(c))
                    return fail("obs-fold (trailer line starting with whitespace)");
                else
                    return fail("invalid character in trailer name");
                break;
            case phase::trailer_name:
                if (c == ':')
                    phase_ = phase::trailer_value;
                else if (is_ows(c))
                    return fail("whitespace between trailer name and colon");
                else if (!is_tchar(c))
                    return fail("invalid character in trailer name");
                break;
            case phase::trailer_value:
                if (c == '\r')
                    phase_ = phase::trailer_lf;
                else if (!is_field_char(c))
                    return fail("invalid character in trailer value");
                break;
            default: // trailer_lf
                if (c != '\n') return fail("bare CR in trailer");
                phase_ = phase::trailer_line;
                break;
            }
            break;
        }
    }
    return parse_status::need_more;
}

} // namespace ef::http
