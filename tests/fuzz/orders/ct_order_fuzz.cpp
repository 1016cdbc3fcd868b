// libFuzzer target: arbitrary bytes as a Connect Trade normalized order and
// as a GET /orders list scanned for a cl_order_id (the first order's own, so
// the match path runs). Checks that nothing reads outside the input, that
// malformed means exactly "not one JSON value", that views stay inside the
// input or the text area, and the fill counts. Driven by libFuzzer, or by
// standalone_main.cpp over tests/fuzz/corpus/ct_order.
#include "json/ct_order.hpp"
#include "tests/fuzz/orders/fuzz_check.hpp"

#include <cstdint>
#include <string>

namespace {

void check_order(std::string_view in, const ef::json::ct_order& o) {
    constexpr const char* target = "ct_order";
    for (const std::string_view v : {o.order_id, o.cl_order_id, o.account_id, o.symbol,
                                     o.side_text, o.status_text, o.broker_message})
        ef::fuzz::check_view(target, in, o.text_, v);
    if (o.fills_count > EF_ORDER_FILLS_MAX || o.fills_count > o.fills_total ||
        (o.fills_total <= EF_ORDER_FILLS_MAX && o.fills_count != o.fills_total))
        ef::fuzz::fail(target, "fill counts");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ef::json;
    constexpr const char* target = "ct_order";
    const std::string_view in(reinterpret_cast<const char*>(data), size);

    ct_order o;
    const json_status st = parse_ct_order(in, o);
    ef::fuzz::check_malformed(target, in, st);
    if (st == json_status::ok) check_order(in, o);

    // The cl_order_id to look for: copied out, since `o` is reused.
    std::string want = "ef20261122-17";
    if (st == json_status::ok) want.assign(o.cl_order_id);
    bool found = false;
    std::string_view cursor;
    const json_status ls = find_ct_order(in, want, o, found, cursor);
    ef::fuzz::check_malformed(target, in, ls);
    if (ls == json_status::ok) {
        ef::fuzz::check_view(target, in, o.text_, cursor);
        if (found) {
            check_order(in, o);
            if (o.cl_order_id != want) ef::fuzz::fail(target, "found the wrong order");
        }
    } else if (found) {
        ef::fuzz::fail(target, "found on a refused list");
    }
    return 0;
}
