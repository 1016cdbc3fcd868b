// libFuzzer target: arbitrary bytes as every OpenMarkets order answer (the
// buy answer's first leg, the error body) and as a Connect Trade error body.
// Checks that nothing reads outside the input, that malformed means exactly
// "not one JSON value", that views stay inside the input or the text area,
// and that an ok leg's status agrees with its word. Driven by libFuzzer, or
// by standalone_main.cpp over tests/fuzz/corpus/om_order_response.
#include "json/om_order_response.hpp"
#include "tests/fuzz/orders/fuzz_check.hpp"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ef::json;
    constexpr const char* target = "om_order_response";
    const std::string_view in(reinterpret_cast<const char*>(data), size);

    om_buy_leg leg;
    const json_status st = parse_om_buy_response(in, leg);
    ef::fuzz::check_malformed(target, in, st);
    if (st == json_status::ok) {
        for (const std::string_view v : {leg.position_hash, leg.partner_id, leg.status_text,
                                         leg.sor_decision_id, leg.reason})
            ef::fuzz::check_view(target, in, leg.text_, v);
        if (leg.legs == 0) ef::fuzz::fail(target, "ok without a leg");
        const auto word = ef::orders::protocol::om_leg_status_words[static_cast<unsigned>(leg.status)];
        if (leg.status != ef::orders::protocol::om_leg_status::unknown && word != leg.status_text)
            ef::fuzz::fail(target, "status enum and word disagree");
    }

    venue_error e;
    const json_status om = parse_om_error(in, e);
    ef::fuzz::check_malformed(target, in, om);
    if (om == json_status::ok) {
        ef::fuzz::check_view(target, in, e.text_, e.code);
        ef::fuzz::check_view(target, in, e.text_, e.message);
    }
    const json_status ct = parse_ct_error(in, e);
    ef::fuzz::check_malformed(target, in, ct);
    if (ct == json_status::ok) ef::fuzz::check_view(target, in, e.text_, e.message);
    return 0;
}
