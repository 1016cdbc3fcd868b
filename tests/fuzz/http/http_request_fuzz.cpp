// libFuzzer target for ef::http::request_parser, as the venue simulator
// drives it: pipelined requests cut into pieces chosen by the input's first
// bytes. Checks the feed contract, that views stay inside the parser's
// buffers, that the target's path and query decode into buffers no larger
// than themselves, and that every complete request survives a round trip
// through write_request.
#include <memory>
#include <vector>

#include "http/request_parser.hpp"
#include "http/request_writer.hpp"
#include "tests/fuzz/http/fuzz_common.hpp"

namespace {

using namespace ef::http;
using ef::http::fuzz::inside;

void round_trip(const request_parser& p, const fuzz::plan& plan) {
    const request_head& h = p.head();
    if (h.target == "*") return; // write_request takes origin-form only
    std::string_view host = "h";
    bool host_seen = false;
    std::vector<header> kept;
    for (const header& x : h.headers) {
        if (iequals(x.name, "host")) {
            if (!host_seen) host = x.value;
            host_seen = true;
        } else if (!iequals(x.name, "content-length")) {
            kept.push_back(x);
        }
    }
    std::optional<std::string_view> body;
    if (h.content_length >= 0) body = p.body();
    std::vector<char> out(plan.head_cap * 2 + plan.body_cap + 256);
    const size_t n = write_request(out, h.method, h.target, host, kept, body);
    EF_FUZZ_CHECK(n > 0);
    std::vector<char> head2(plan.head_cap * 2 + 128), body2(plan.body_cap);
    request_parser again(head2, body2, plan.max_headers + 2);
    size_t consumed = 0;
    const parse_status s = again.feed({out.data(), n}, consumed);
    EF_FUZZ_CHECK(s == parse_status::done);
    EF_FUZZ_CHECK(consumed == n);
    EF_FUZZ_CHECK(again.head().method == h.method);
    EF_FUZZ_CHECK(again.head().target == h.target);
    EF_FUZZ_CHECK(again.head().path == h.path);
    EF_FUZZ_CHECK(again.head().query == h.query);
    EF_FUZZ_CHECK(again.body() == p.body());
    EF_FUZZ_CHECK(find_header(again.head().headers, "host") == host);
}

void check_decoders(const request_head& h) {
    char buf[8192];
    std::string_view out;
    if (h.path.size() <= sizeof buf && percent_decode(h.path, buf, out) == codec_status::ok)
        EF_FUZZ_CHECK(out.size() <= h.path.size());
    if (find_query_param(h.query, "api_key", buf, out) == codec_status::ok)
        EF_FUZZ_CHECK(out.size() <= h.query.size());
    const std::string_view raw = find_query_param(h.query, "api_key");
    EF_FUZZ_CHECK(raw.data() == nullptr || inside(raw, h.query.data(), h.query.size()));
}

void check_done(const request_parser& p, const fuzz::plan& plan, const std::vector<char>& head_buf,
                const std::vector<char>& body_buf) {
    EF_FUZZ_CHECK(p.head_complete());
    const request_head& h = p.head();
    EF_FUZZ_CHECK(!h.method.empty() && !h.target.empty());
    EF_FUZZ_CHECK(inside(h.target, head_buf.data(), head_buf.size()));
    EF_FUZZ_CHECK(h.headers.size() <= plan.max_headers);
    for (const header& x : h.headers) {
        EF_FUZZ_CHECK(inside(x.name, head_buf.data(), head_buf.size()));
        EF_FUZZ_CHECK(inside(x.value, head_buf.data(), head_buf.size()));
    }
    EF_FUZZ_CHECK(p.body().size() <= plan.body_cap);
    EF_FUZZ_CHECK(inside(p.body(), body_buf.data(), body_buf.size()));
    EF_FUZZ_CHECK(static_cast<int64_t>(p.body().size()) == std::max<int64_t>(h.content_length, 0));
    check_decoders(h);
    round_trip(p, plan);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::plan plan;
    if (!fuzz::make_plan(data, size, plan)) return 0;
    std::vector<char> head_buf(plan.head_cap), body_buf(plan.body_cap);
    request_parser p(head_buf, body_buf, plan.max_headers);

    fuzz::piece_source src(plan);
    std::unique_ptr<char[]> mem;
    std::string_view piece;
    while (src.next(mem, piece)) {
        while (true) {
            size_t consumed = ~size_t{0};
            const parse_status s = p.feed(piece, consumed);
            EF_FUZZ_CHECK(consumed <= piece.size());
            if (s == parse_status::need_more) {
                EF_FUZZ_CHECK(consumed == piece.size());
                break;
            }
            if (s == parse_status::bad) {
                // The simulator answers 400 and closes; so does this run.
                EF_FUZZ_CHECK(p.error_text()[0] != '\0');
                return 0;
            }
            check_done(p, plan, head_buf, body_buf);
            EF_FUZZ_CHECK(consumed > 0); // so this loop always moves on
            piece.remove_prefix(consumed);
            p.reset();
            if (piece.empty()) break;
        }
    }
    return 0;
}
