// libFuzzer target for ef::http::response_parser, as the REST client and the
// WebSocket upgrade drive it: a stream of responses cut into pieces chosen by
// the input's first bytes, parsed one after another with reset() between
// them. Checks that consumed never exceeds a piece, need_more consumes all,
// the body and views stay inside the parser's buffers, and every complete
// response survives a round trip through write_response.
#include <memory>
#include <vector>

#include "http/request_writer.hpp"
#include "http/response_parser.hpp"
#include "tests/fuzz/http/fuzz_common.hpp"

namespace {

using namespace ef::http;
using ef::http::fuzz::inside;

// Re-writes a complete response and parses it again: the status, headers and
// body must come back, whatever framing the original used.
void round_trip(const response_parser& p, const fuzz::plan& plan) {
    const response_head& h = p.head();
    if (!is_field_value(h.reason)) return; // reasons are not trimmed; the writer wants them clean
    std::vector<header> kept;
    for (const header& x : h.headers)
        if (!iequals(x.name, "content-length") && !iequals(x.name, "transfer-encoding"))
            kept.push_back(x);
    const bool has_body = h.status >= 200 && h.status != 204 && h.status != 304;
    const std::string_view body = has_body ? p.body() : std::string_view{};
    std::vector<char> out(plan.head_cap * 2 + plan.body_cap * 4 + 256);
    const size_t n = write_response(out, h.status, h.reason, kept, body, plan.chunk_bytes);
    EF_FUZZ_CHECK(n > 0);
    std::vector<char> head2(plan.head_cap * 2 + 128), body2(plan.body_cap);
    response_parser again(head2, body2, plan.max_headers + 1);
    size_t consumed = 0;
    const parse_status s = again.feed({out.data(), n}, consumed);
    EF_FUZZ_CHECK(s == parse_status::done);
    EF_FUZZ_CHECK(consumed == n);
    EF_FUZZ_CHECK(again.head().status == h.status);
    EF_FUZZ_CHECK(again.head().reason == h.reason);
    EF_FUZZ_CHECK(again.body() == body);
    EF_FUZZ_CHECK(again.head().headers.size() == kept.size() + (has_body ? 1 : 0));
    for (size_t i = 0; i < kept.size(); ++i) {
        EF_FUZZ_CHECK(again.head().headers[i].name == kept[i].name);
        EF_FUZZ_CHECK(again.head().headers[i].value == kept[i].value);
    }
}

void check_done(const response_parser& p, const fuzz::plan& plan, const std::vector<char>& head_buf,
                const std::vector<char>& body_buf) {
    EF_FUZZ_CHECK(p.head_complete());
    const response_head& h = p.head();
    EF_FUZZ_CHECK(h.status >= 100 && h.status <= 599);
    EF_FUZZ_CHECK(h.minor_version >= 0 && h.minor_version <= 9);
    EF_FUZZ_CHECK(h.headers.size() <= plan.max_headers);
    EF_FUZZ_CHECK(inside(h.reason, head_buf.data(), head_buf.size()));
    for (const header& x : h.headers) {
        EF_FUZZ_CHECK(!x.name.empty());
        EF_FUZZ_CHECK(inside(x.name, head_buf.data(), head_buf.size()));
        EF_FUZZ_CHECK(inside(x.value, head_buf.data(), head_buf.size()));
    }
    EF_FUZZ_CHECK(p.body().size() <= plan.body_cap);
    EF_FUZZ_CHECK(inside(p.body(), body_buf.data(), body_buf.size()));
    EF_FUZZ_CHECK(p.error_text()[0] == '\0');
    round_trip(p, plan);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::plan plan;
    if (!fuzz::make_plan(data, size, plan)) return 0;
    std::vector<char> head_buf(plan.head_cap), body_buf(plan.body_cap);
    response_parser p(head_buf, body_buf, plan.max_headers);
    if (plan.flag) p.expect_no_body();

    fuzz::piece_source src(plan);
    std::unique_ptr<char[]> mem;
    std::string_view piece;
    parse_status s = parse_status::need_more;
    while (src.next(mem, piece)) {
        while (true) {
            size_t consumed = ~size_t{0};
            s = p.feed(piece, consumed);
            EF_FUZZ_CHECK(consumed <= piece.size());
            if (s == parse_status::need_more) {
                EF_FUZZ_CHECK(consumed == piece.size());
                break;
            }
            if (s == parse_status::bad) {
                // The client drops the connection; so does this run.
                EF_FUZZ_CHECK(p.error_text()[0] != '\0');
                return 0;
            }
            check_done(p, plan, head_buf, body_buf);
            EF_FUZZ_CHECK(consumed > 0); // so this loop always moves on
            piece.remove_prefix(consumed);
            p.reset();
            if (plan.flag) p.expect_no_body();
            if (piece.empty()) break;
        }
    }
    if (s == parse_status::need_more) {
        const parse_status f = p.finish();
        if (f == parse_status::done)
            check_done(p, plan, head_buf, body_buf);
        else
            EF_FUZZ_CHECK(f == parse_status::bad && p.error_text()[0] != '\0');
    }
    return 0;
}
