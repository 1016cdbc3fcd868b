// Test rig for the HTTP parsers: owns a parser whose head and body buffers
// sit right before PROT_NONE pages (so a write past either faults), feeds it
// an input cut into pieces, each piece in its own guarded buffer (so a read
// past a piece faults), and records everything the parser reports in a
// comparable outcome. The table tests use it to check that an input gives the
// same outcome whole, split at every byte and byte by byte.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/request_parser.hpp"
#include "http/response_parser.hpp"
#include "tests/support/guarded_buffer.hpp"

namespace ef::http::test {

// The table-driven parser tests' buffers: small, so the limits are reachable.
inline constexpr size_t head_cap = 1024;
inline constexpr size_t body_cap = 64;
inline constexpr size_t max_headers = 16;

using ef::test::guarded_buffer;

inline std::span<char> as_chars(guarded_buffer& g) {
    return {reinterpret_cast<char*>(g.data()), g.size()};
}

inline const char* name_of(parse_status s) {
    switch (s) {
    case parse_status::done:
        return "done";
    case parse_status::need_more:
        return "need_more";
    case parse_status::bad:
        return "bad";
    }
    return "?";
}

using header_list = std::vector<std::pair<std::string, std::string>>;

inline header_list copy_headers(std::span<const header> hs) {
    header_list out;
    for (const header& h : hs)
        out.emplace_back(std::string(h.name), std::string(h.value));
    return out;
}

struct response_outcome {
    parse_status status = parse_status::need_more;
    size_t consumed = 0;
    bool head_complete = false;
    int code = 0;
    int minor = 0;
    std::string reason;
    header_list headers;
    int64_t content_length = -1;
    bool chunked = false;
    bool keep_alive = false;
    std::string body;
    std::string error;
    bool operator==(const response_outcome&) const = default;
};

struct request_outcome {
    parse_status status = parse_status::need_more;
    size_t consumed = 0;
    bool head_complete = false;
    std::string method, target, path, query;
    int minor = 0;
    header_list headers;
    int64_t content_length = -1;
    bool keep_alive = false;
    std::string body;
    std::string error;
    bool operator==(const request_outcome&) const = default;
};

inline void PrintTo(const response_outcome& o, std::ostream* os) {
    *os << "{" << name_of(o.status) << " consumed=" << o.consumed << " code=" << o.code
        << " cl=" << o.content_length << " chunked=" << o.chunked << " ka=" << o.keep_alive
        << " body=\"" << o.body << "\" error=\"" << o.error << "\"}";
}

inline void PrintTo(const request_outcome& o, std::ostream* os) {
    *os << "{" << name_of(o.status) << " consumed=" << o.consumed << " " << o.method << " "
        << o.target << " cl=" << o.content_length << " ka=" << o.keep_alive << " body=\"" << o.body
        << "\" error=\"" << o.error << "\"}";
}

struct response_rig {
    guarded_buffer head_mem;
    guarded_buffer body_mem;
    response_parser parser;
    // head_request: the response answers a HEAD, so expect_no_body().
    explicit response_rig(size_t head_cap = 1024, size_t body_cap = 256, size_t max_headers = 16,
                          bool head_request = false)
        : head_mem(std::string(head_cap, '\0')), body_mem(std::string(body_cap, '\0')),
          parser(as_chars(head_mem), as_chars(body_mem), max_headers) {
        if (head_request) parser.expect_no_body();
    }

    response_outcome outcome(parse_status s, size_t consumed) const {
        response_outcome o;
        o.status = s;
        o.consumed = consumed;
        o.head_complete = parser.head_complete();
        if (o.head_complete) {
            const response_head& h = parser.head();
            o.code = h.status;
            o.minor = h.minor_version;
            o.reason = h.reason;
            o.headers = copy_headers(h.headers);
            o.content_length = h.content_length;
            o.chunked = h.chunked;
            o.keep_alive = h.keep_alive;
        }
        if (s == parse_status::done) o.body = parser.body();
        o.error = parser.error_text();
        return o;
    }
};

struct request_rig {
    guarded_buffer head_mem;
    guarded_buffer body_mem;
    request_parser parser;
    explicit request_rig(size_t head_cap = 1024, size_t body_cap = 256, size_t max_headers = 16)
        : head_mem(std::string(head_cap, '\0')), body_mem(std::string(body_cap, '\0')),
          parser(as_chars(head_mem), as_chars(body_mem), max_headers) {}

    request_outcome outcome(parse_status s, size_t consumed) const {
        request_outcome o;
        o.status = s;
        o.consumed = consumed;
        o.head_complete = parser.head_complete();
        if (o.head_complete) {
            const request_head& h = parser.head();
            o.method = h.method;
            o.target = h.target;
            o.path = h.path;
            o.query = h.query;
            o.minor = h.minor_version;
            o.headers = copy_headers(h.headers);
            o.content_length = h.content_length;
            o.keep_alive = h.keep_alive;
        }
        if (s == parse_status::done) o.body = parser.body();
        o.error = parser.error_text();
        return o;
    }
};

// How a run ends once the pieces are fed: response bodies delimited by the
// close need finish().
enum class at_end : uint8_t { nothing, finish };

inline parse_status finish_if(response_rig& r, parse_status s, at_end e) {
    return e == at_end::finish && s == parse_status::need_more ? r.parser.finish() : s;
}
inline parse_status finish_if(request_rig&, parse_status s, at_end) {
    return s;
}

// Feeds `input` cut at `cuts` (ascending offsets), each piece copied to its own
// guarded buffer, stopping at the first done or bad; checks the feed contract
// on every call (need_more consumes everything, nothing consumes more than
// offered).
template <typename Rig>
auto feed_pieces(Rig& rig, std::string_view input, const std::vector<size_t>& cuts,
                 at_end e = at_end::nothing) {
    size_t total = 0;
    size_t from = 0;
    parse_status s = parse_status::need_more;
    for (size_t i = 0; i <= cuts.size(); ++i) {
        const size_t to = i < cuts.size() ? cuts[i] : input.size();
        guarded_buffer piece(input.substr(from, to - from));
        size_t consumed = 12345;
        s = rig.parser.feed(piece.view(), consumed);
        EXPECT_LE(consumed, piece.size());
        if (s == parse_status::need_more) {
            EXPECT_EQ(consumed, piece.size());
        }
        total += consumed;
        from = to;
        if (s != parse_status::need_more) break;
    }
    s = finish_if(rig, s, e);
    return rig.outcome(s, total);
}

template <typename Rig, typename... A>
auto run_whole(std::string_view input, at_end e, A... rig_args) {
    Rig rig(rig_args...);
    return feed_pieces(rig, input, {}, e);
}

// Compares outcomes of a split run with the whole run. A bad input may be
// caught in an earlier piece, which changes only how much was consumed.
template <typename Outcome>
void expect_same(const Outcome& whole, Outcome split) {
    if (whole.status == parse_status::bad) split.consumed = whole.consumed;
    EXPECT_EQ(whole, split);
}

// The ladder every table input climbs: every prefix, every two-way split and
// byte by byte must agree with the whole input. A prefix of a good input is
// need_more until it holds the whole message (whole.consumed bytes), then the
// same as the whole; a prefix of a bad input is never done, and if already bad,
// bad for the same reason.
template <typename Rig, typename Outcome, typename... A>
void check_every_cut(std::string_view input, const Outcome& whole, at_end e, A... rig_args) {
    const bool good = whole.status != parse_status::bad;
    for (size_t k = 0; k < input.size(); ++k) {
        SCOPED_TRACE("prefix of " + std::to_string(k) + " bytes");
        Rig rig(rig_args...);
        const Outcome o = feed_pieces(rig, input.substr(0, k), {});
        if (good && e == at_end::nothing && k >= whole.consumed) {
            expect_same(whole, o); // the message is complete within the prefix
        } else if (good) {
            EXPECT_EQ(o.status, parse_status::need_more);
            EXPECT_EQ(o.consumed, k);
        } else {
            EXPECT_NE(o.status, parse_status::done);
            if (o.status == parse_status::bad) {
                EXPECT_EQ(o.error, whole.error);
            }
        }
    }
    for (size_t k = 1; k < input.size(); ++k) {
        SCOPED_TRACE("split at byte " + std::to_string(k));
        Rig rig(rig_args...);
        expect_same(whole, feed_pieces(rig, input, {k}, e));
    }
    std::vector<size_t> every;
    for (size_t k = 1; k < input.size(); ++k)
        every.push_back(k);
    SCOPED_TRACE("byte by byte");
    Rig rig(rig_args...);
    expect_same(whole, feed_pieces(rig, input, every, e));
}

} // namespace ef::http::test
