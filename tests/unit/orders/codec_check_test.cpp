// check_request: every request the venue would refuse with 400 is refused
// before risk with a reason naming the fault, and every well-formed one of
// each kind passes. One table of (request, reason, why).
#include "orders/request_check.hpp"
#include "tests/unit/orders/codec_test_util.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace ef::orders {
namespace {

using namespace ef::orders::test;

struct check_case {
    std::function<ef_order_request()> make;
    const char* reason; // nullptr: well-formed
    const char* why;
};

template <typename F>
std::function<ef_order_request()> om(F&& change) {
    return [change] {
        ef_order_request r = om_buy(50 * e9, 0, 420'000'000);
        change(r);
        return r;
    };
}
template <typename F>
std::function<ef_order_request()> ctn(uint8_t type, F&& change) {
    return [type, change] {
        const bool limit = type == EF_TYPE_LMT || type == EF_TYPE_STPLMT;
        const bool stop = type == EF_TYPE_STP || type == EF_TYPE_STPLMT;
        ef_order_request r = ct_new(type, 10 * e9, 0, limit ? 190 * e9 : 0, stop ? 189 * e9 : 0);
        change(r);
        return r;
    };
}
template <typename F>
std::function<ef_order_request()> ctm(F&& change) {
    return [change] {
        ef_order_request r = ct_modify(0, 0, 191 * e9, 0);
        change(r);
        return r;
    };
}
template <typename F>
std::function<ef_order_request()> ctc(F&& change) {
    return [change] {
        ef_order_request r = ct_cancel();
        change(r);
        return r;
    };
}
const auto same = [](ef_order_request&) {};

const check_case check_cases[] = {
    // well-formed
    {om(same), nullptr, "OpenMarkets buy by amount"},
    {om([](auto& r) { r.amount_e9 = 0, r.shares_e9 = 100 * e9; }), nullptr, "by shares"},
    {om([](auto& r) { set(r.partner_id, "kalshi"), r.flags = EF_ORDER_PAPER; }), nullptr,
     "partner pinned, paper"},
    {om([](auto& r) { r.max_price_e9 = e9; }), nullptr, "max_price 1 is allowed"},
    {om([](auto& r) { r.max_price_e9 = e9 + 1; }), nullptr, "max_price above 1: the risk engine's price bounds name it"},
    {om([](auto& r) { r.max_price_e9 = 0; }), nullptr, "max_price 0: likewise a price-bounds reject, not a malformed one"},
    {ctn(EF_TYPE_MKT, same), nullptr, "market"},
    {ctn(EF_TYPE_LMT, same), nullptr, "limit"},
    {ctn(EF_TYPE_STP, same), nullptr, "stop"},
    {ctn(EF_TYPE_STPLMT, same), nullptr, "stop-limit"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.qty_e9 = 0, r.notional_e9 = 500 * e9; }), nullptr,
     "by notional"},
    {ctm(same), nullptr, "modify the limit price"},
    {ctm([](auto& r) { set(r.symbol, "AAPL"), r.side = EF_SIDE_BUY; }), nullptr,
     "modify with symbol and side as risk context"},
    {ctc(same), nullptr, "cancel"},
    // common
    {om([](auto& r) { r.kind = 9; }), "unknown order kind", "kind outside the enum"},
    {om([](auto& r) { std::memset(r.account, 'a', sizeof r.account); }),
     "string not NUL-terminated", "account fills its array"},
    {ctn(EF_TYPE_MKT, [](auto& r) { std::memset(r.symbol, 'S', sizeof r.symbol); }),
     "string not NUL-terminated", "symbol fills its array"},
    {om([](auto& r) { set(r.account, ""); }), "account missing", "empty account"},
    {om([](auto& r) { set(r.account, "u\r\nX-Evil: 1"); }), "account has a control character",
     "header injection through the account"},
    // OpenMarkets
    {om([](auto& r) { r.shares_e9 = e9; }), "exactly one of amount or shares", "both given"},
    {om([](auto& r) { r.amount_e9 = 0; }), "exactly one of amount or shares", "neither given"},
    {om([](auto& r) { r.amount_e9 = -1; }), "amount must be > 0", "negative amount"},
    {om([](auto& r) { r.amount_e9 = 0, r.shares_e9 = -e9; }), "shares must be > 0",
     "negative shares"},
    {om([](auto& r) { r.position_hash_len = 0; }), "position hash missing", "no hash"},
    {om([](auto& r) { r.position_hash_len = EF_POSITION_HASH_MAX + 1; }),
     "position hash too long", "length past the array"},
    {om([](auto& r) {
         std::memcpy(r.position_hash, "a:b:c:d:e", 9), r.position_hash_len = 9;
     }),
     "position hash must have 6 parts", "five parts"},
    {om([](auto& r) {
         std::memcpy(r.position_hash, "a:b:c:d:e:f:g", 13), r.position_hash_len = 13;
     }),
     "position hash must have 6 parts", "seven parts"},
    {om([](auto& r) {
         std::memcpy(r.position_hash, "a:b::d:e:f", 10), r.position_hash_len = 10;
     }),
     "position hash has an empty part", "empty part"},
    {om([](auto& r) { r.position_hash[0] = '\n'; }), "position hash has a control character",
     "control byte in the hash"},
    {om([](auto& r) { r.flags = 2; }), "unknown flag", "flag outside the enum"},
    {om([](auto& r) { set(r.symbol, "AAPL"); }), "Connect Trade field set on an OpenMarkets order",
     "symbol on an OpenMarkets order"},
    {om([](auto& r) { r.limit_price_e9 = 1; }), "Connect Trade field set on an OpenMarkets order",
     "limit price on an OpenMarkets order"},
    {om([](auto& r) { set(r.order_id, "x"); }), "Connect Trade field set on an OpenMarkets order",
     "order_id on an OpenMarkets order"},
    // Connect Trade new
    {ctn(EF_TYPE_MKT, [](auto& r) { r.amount_e9 = e9; }),
     "OpenMarkets field set on a Connect Trade order", "amount on a CT order"},
    {ctn(EF_TYPE_MKT, [](auto& r) { set(r.partner_id, "kalshi"); }),
     "OpenMarkets field set on a Connect Trade order", "partner on a CT order"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.flags = EF_ORDER_PAPER; }),
     "flags are for OpenMarkets orders only", "paper on a CT order"},
    {ctn(EF_TYPE_MKT, [](auto& r) { set(r.broker, ""); }), "broker missing", "no broker"},
    {ctn(EF_TYPE_MKT, [](auto& r) { set(r.instrument, ""); }), "instrument missing",
     "no instrument"},
    {ctn(EF_TYPE_MKT, [](auto& r) { set(r.instrument, "MLEG_OPT"); }),
     "MLEG_OPT is not supported", "multi-leg options"},
    {ctn(EF_TYPE_MKT, [](auto& r) { set(r.symbol, ""); }), "symbol missing", "no symbol"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.side = 3; }), "unknown side", "side outside the enum"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.order_type = 5; }), "unknown order type", "type 5"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.tif = 0; }), "unknown tif", "tif 0"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.tif = 9; }), "unknown tif", "tif 9"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.notional_e9 = e9; }), "exactly one of qty or notional",
     "both"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.qty_e9 = 0; }), "exactly one of qty or notional",
     "neither"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.qty_e9 = -e9; }), "qty must be > 0", "negative qty"},
    {ctn(EF_TYPE_LMT, [](auto& r) { r.limit_price_e9 = 0; }), "LMT needs a limit price",
     "limit without price"},
    {ctn(EF_TYPE_LMT, [](auto& r) { r.limit_price_e9 = -1; }), "limit price must be > 0",
     "negative limit price"},
    {ctn(EF_TYPE_STPLMT, [](auto& r) { r.limit_price_e9 = 0; }), "STPLMT needs a limit price",
     "stop-limit without limit"},
    {ctn(EF_TYPE_STPLMT, [](auto& r) { r.stop_price_e9 = 0; }), "STPLMT needs a stop price",
     "stop-limit without stop"},
    {ctn(EF_TYPE_STP, [](auto& r) { r.stop_price_e9 = 0; }), "STP needs a stop price",
     "stop without stop price"},
    {ctn(EF_TYPE_MKT, [](auto& r) { r.limit_price_e9 = e9; }), "limit price only for LMT/STPLMT",
     "market with a limit price"},
    {ctn(EF_TYPE_STP, [](auto& r) { r.limit_price_e9 = e9; }), "limit price only for LMT/STPLMT",
     "stop with a limit price"},
    {ctn(EF_TYPE_LMT, [](auto& r) { r.stop_price_e9 = e9; }), "stop_price only for STP/STPLMT",
     "limit with a stop price"},
    {ctn(EF_TYPE_MKT, [](auto& r) { set(r.order_id, "o"); }), "order_id only for modify or cancel",
     "order_id on a new order"},
    {ctn(EF_TYPE_MKT, [](auto& r) { set(r.symbol, "AA\tPL"); }),
     "Connect Trade field has a control character", "control byte in the symbol"},
    // Connect Trade modify / cancel
    {ctm([](auto& r) { set(r.order_id, ""); }), "order_id missing", "modify without order_id"},
    {ctm([](auto& r) { set(r.broker, ""); }), "broker missing", "modify without broker"},
    {ctm([](auto& r) { r.limit_price_e9 = 0; }), "modify changes nothing", "nothing to change"},
    {ctm([](auto& r) { r.qty_e9 = e9, r.notional_e9 = e9; }), "at most one of qty or notional",
     "both sizes"},
    {ctm([](auto& r) { r.order_type = EF_TYPE_MKT; }),
     "order_type, tif and instrument cannot be modified", "type change"},
    {ctm([](auto& r) { r.tif = EF_TIF_GTC; }), "order_type, tif and instrument cannot be modified",
     "tif change"},
    {ctm([](auto& r) { r.max_price_e9 = e9; }), "OpenMarkets field set on a Connect Trade order",
     "OpenMarkets field on a modify"},
    {ctc([](auto& r) { set(r.order_id, ""); }), "order_id missing", "cancel without order_id"},
    {ctc([](auto& r) { r.qty_e9 = e9; }), "cancel takes no quantity or price", "qty on cancel"},
    {ctc([](auto& r) { r.stop_price_e9 = e9; }), "cancel takes no quantity or price",
     "stop on cancel"},
    {ctc([](auto& r) { set(r.instrument, "EQUITY"); }),
     "order_type, tif and instrument cannot be modified", "instrument on cancel"},
    {ctc([](auto& r) { r.shares_e9 = e9; }), "OpenMarkets field set on a Connect Trade order",
     "OpenMarkets field on a cancel"},
};

TEST(check_request, names_the_fault_of_every_malformed_request_and_passes_the_rest) {
    for (const check_case& c : check_cases) {
        const char* got = check_request(c.make());
        if (c.reason == nullptr)
            EXPECT_EQ(got, nullptr) << c.why << ": " << (got ? got : "");
        else
            EXPECT_STREQ(got ? got : "(accepted)", c.reason) << c.why;
    }
}

} // namespace
} // namespace ef::orders
