// The order codecs allocate nothing: writing every kind of body and target,
// checking requests and parsing every kind of answer makes no call to
// operator new after warm-up. Counts through a replaced global operator new,
// so it is a binary of its own (orders_codec_alloc_test).
#include "json/ct_order.hpp"
#include "json/om_order_response.hpp"
#include "orders/ct_request.hpp"
#include "orders/om_request.hpp"
#include "orders/request_check.hpp"
#include "tests/support/counting_new.hpp"
#include "tests/unit/orders/codec_test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ef::orders {
namespace {

using namespace ef::orders::test;

// Runs every writer and parser once; returns a sum so nothing is dropped.
uint64_t run_all(const ef_order_request (&requests)[4], const std::string (&bodies)[5]) {
    uint64_t sum = 0;
    char buf[1024];
    for (const ef_order_request& r : requests)
        sum += check_request(r) == nullptr;
    sum += write_om_buy_body(buf, requests[0]);
    sum += write_ct_new_body(buf, requests[1], "ef20261122-17");
    sum += write_ct_modify_body(buf, requests[2], "ef20261122-18");
    sum += write_ct_order_target(buf, "acc 1", "ord/9");
    sum += write_ct_list_target(buf, "AAPL", EF_SIDE_BUY, 1'795'320'000'123'456'000, "c/1");
    json::om_buy_leg leg;
    sum += json::parse_om_buy_response(bodies[0], leg) == json::json_status::ok;
    sum += leg.reason.size();
    json::ct_order o;
    sum += json::parse_ct_order(bodies[1], o) == json::json_status::ok;
    sum += o.fills_count + o.broker_message.size();
    bool found = false;
    std::string_view cursor;
    sum += json::find_ct_order(bodies[2], "ef\u00e9", o, found, cursor) == json::json_status::ok;
    sum += found + cursor.size();
    json::venue_error e;
    sum += json::parse_om_error(bodies[3], e) == json::json_status::ok;
    sum += json::parse_ct_error(bodies[4], e) == json::json_status::ok;
    return sum + e.message.size();
}

TEST(orders_codec_alloc, writing_checking_and_parsing_allocate_nothing_after_warm_up) {
    const ef_order_request requests[4] = {
        om_buy(50 * e9, 0, 420'000'000, "p\"1", EF_ORDER_PAPER),
        ct_new(EF_TYPE_STPLMT, 3 * e9, 0, 181 * e9, 180 * e9),
        ct_modify(0, 0, 190 * e9, 0),
        ct_cancel(),
    };
    // Escapes everywhere, so the decoding paths run too.
    const std::string bodies[5] = {
        R"({"data":{"orders":[{"position_hash":"h\u003a1","partner_id":"kalshi","status":"partially_filled","filled_shares":"20","filled_notional":8.2,"avg_price":4.1e-1,"sor_decision_id":"s","reason":"only \"20\""}]},"meta":{"timestamp":"2026-11-22T04:00:00Z"}})",
        R"({"order_id":"o\/1","cl_order_id":"c","status":"filled","filled_qty":"2","avg_fill_price":"190.5","fills":[{"qty":"1","price":"190","time":"2026-11-22T04:00:00.123Z"},{"qty":"1","price":"191","time":"2026-11-22T04:00:00.5Z"}],"broker_message":"ok\n"})",
        R"({"orders":[{"cl_order_id":"a"},{"cl_order_id":"ef\u00e9","order_id":"o","status":"working","filled_qty":"0"}],"next_cursor":"n\/2","prev_cursor":null})",
        R"({"error":{"code":"unknown_parameter","message":"unknown field \"x\""}})",
        R"({"message":"account not found"})",
    };
    const uint64_t warm = run_all(requests, bodies);
    const uint64_t before = ef::test::operator_new_calls();
    uint64_t sum = 0;
    for (int i = 0; i < 1000; ++i)
        sum += run_all(requests, bodies);
    EXPECT_EQ(ef::test::operator_new_calls() - before, 0u);
    EXPECT_EQ(sum, warm * 1000) << "every run did the same work";
    EXPECT_GT(warm, 20u) << "the writers and parsers succeeded";
}

} // namespace
} // namespace ef::orders
