// The hot path allocates nothing: parsing stream messages and walking their
// entries, after warm-up, makes no call to operator new. Counts through a
// replaced global operator new, so it is a binary of its own (json_alloc_test).
#include "tests/unit/json/message_builder.hpp"
#include "json/client_message.hpp"
#include "json/decimal.hpp"
#include "json/stream_message.hpp"
#include "json/timestamp.hpp"

#include "tests/support/counting_new.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace ef::json {
namespace {

TEST(json_allocations, parsing_and_walking_messages_allocates_nothing) {
    using test::quoted;
    std::vector<std::string> entries;
    for (int i = 0; i < 50; ++i)
        entries.push_back(test::render(
            {{"liquidity_hash", quoted("kalshi:ct\\u005f1:mk:s:v:p:tf" + std::to_string(i))},
             {"partner_id", quoted("kalshi")},
             {"price", i % 2 ? "4.9e-1" : "\"0.49\""},
             {"available", "5400.0"}}));
    const std::string update =
        test::render({{"type", quoted("liquidity.update")},
                      {"contest_id", quoted("ct_1")},
                      {"changed_entries", test::render_array(entries)},
                      {"refresh_required", "false"},
                      {"timestamp", quoted("2026-04-17T22:00:01.234567891Z")}});
    const std::string others[] = {
        R"({"type":"subscribed","channel":"liquidity","contest_ids":["a","b\u0021"]})",
        R"({"type":"connected","organization_id":"o","api_key_id":"k","server_time":"2026-04-17T22:00:00Z"})",
        R"({"type":"error","code":"invalid_channel","message":"x"})",
        R"({"type":"liquidity.update","contest_id":1})",
        R"({"type":"liquidity.update",)",
    };
    std::vector<char> buf(1 << 16);
    scratch s(buf);
    stream_message m;
    client_message c;
    uint64_t sum = 0;
    auto run = [&] {
        if (parse_stream_message(update, m, s) == message_status::ok) {
            entry_iterator it = m.liquidity.entries(s);
            liquidity_entry e;
            while (it.next(e) == item_status::ok)
                sum += static_cast<uint64_t>(e.price_e9);
        }
        for (const std::string& o : others) {
            if (parse_stream_message(o, m, s) == message_status::ok &&
                m.type == message_type::subscribed) {
                string_iterator ids = m.subscription.contest_ids(s);
                std::string_view id;
                while (ids.next(id) == item_status::ok)
                    sum += id.size();
            }
        }
        (void)parse_client_message(
            R"({"action":"subscribe","channel":"liquidity","contest_ids":["a"]})", c, s);
        int64_t v = 0;
        (void)parse_decimal_e9("123.456", v);
        (void)parse_timestamp_ns("2026-04-17T22:00:01Z", v);
        char text[64];
        sum += format_decimal_e9(v, text) + format_timestamp_ns(v, text) +
               escape_json_string("a\"b", text);
    };
    run(); // warm-up
    const uint64_t before = ef::test::operator_new_calls();
    for (int i = 0; i < 100; ++i)
        run();
    EXPECT_EQ(ef::test::operator_new_calls() - before, 0u);
    EXPECT_GT(sum, 0u);
}

} // namespace
} // namespace ef::json
