// The order channel's request builders and enum names (order_channel.h):
// every field set, strings copied whole or refused, and names that operators
// and edgeorder --json print, stable and round-tripping through the parsers.
#include "edgefeed/order_channel.h"

#include <cstring>
#include <gtest/gtest.h>
#include <set>
#include <string>

namespace {

bool all_zero(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i)
        if (b[i]) return false;
    return true;
}

TEST(orders_builders, om_buy_sets_every_field_and_zeroes_the_rest) {
    ef_order_request r;
    std::memset(&r, 0xab, sizeof r);
    ASSERT_EQ(ef_order_init_om_buy(&r, 42, "user-1", "c1:moneyline:home:main:team-a:full",
                                   50 * EF_SCALE_E9, 0, 420'000'000, "kalshi", 1),
              EF_OK);
    EXPECT_EQ(r.request_id, 42u);
    EXPECT_EQ(r.kind, uint32_t{EF_ORDER_OM_BUY});
    EXPECT_EQ(r.flags, uint32_t{EF_ORDER_PAPER});
    EXPECT_EQ(r.submit_mono_ns, 0);
    EXPECT_STREQ(r.account, "user-1");
    EXPECT_EQ(std::string(r.position_hash, r.position_hash_len),
              "c1:moneyline:home:main:team-a:full");
    EXPECT_EQ(r.amount_e9, 50 * EF_SCALE_E9);
    EXPECT_EQ(r.shares_e9, 0);
    EXPECT_EQ(r.max_price_e9, 420'000'000);
    EXPECT_STREQ(r.partner_id, "kalshi");
    EXPECT_TRUE(all_zero(r.broker, sizeof r.broker));
    EXPECT_TRUE(all_zero(r.symbol, sizeof r.symbol));
    EXPECT_EQ(r.side, 0);
    EXPECT_TRUE(all_zero(r.order_id, sizeof r.order_id));
    EXPECT_TRUE(all_zero(r.reserved, sizeof r.reserved));
    EXPECT_TRUE(all_zero(r.position_hash + r.position_hash_len,
                         sizeof r.position_hash - r.position_hash_len));

    ASSERT_EQ(ef_order_init_om_buy(&r, 43, "u", "h", 0, 7, 1, nullptr, 0), EF_OK);
    EXPECT_EQ(r.flags, 0u);
    EXPECT_EQ(r.partner_id[0], '\0');
    EXPECT_EQ(r.shares_e9, 7);
}

TEST(orders_builders, ct_builders_set_their_fields) {
    ef_order_request r;
    ASSERT_EQ(ef_order_init_ct_new(&r, 1, "acc-1", "alpaca", EF_SIDE_SELL, EF_TYPE_STPLMT,
                                   EF_TIF_DAY_EXT, "EQUITY", "AAPL", 10 * EF_SCALE_E9, 0,
                                   190'010'000'000, 189'000'000'000),
              EF_OK);
    EXPECT_EQ(r.kind, uint32_t{EF_ORDER_CT_NEW});
    EXPECT_STREQ(r.broker, "alpaca");
    EXPECT_STREQ(r.instrument, "EQUITY");
    EXPECT_STREQ(r.symbol, "AAPL");
    EXPECT_EQ(r.side, EF_SIDE_SELL);
    EXPECT_EQ(r.order_type, EF_TYPE_STPLMT);
    EXPECT_EQ(r.tif, EF_TIF_DAY_EXT);
    EXPECT_EQ(r.limit_price_e9, 190'010'000'000);
    EXPECT_EQ(r.stop_price_e9, 189'000'000'000);
    EXPECT_EQ(r.position_hash_len, 0u);

    ASSERT_EQ(ef_order_init_ct_modify(&r, 2, "acc-1", "alpaca", "ord-9", 0, 0, 5, 0), EF_OK);
    EXPECT_EQ(r.kind, uint32_t{EF_ORDER_CT_MODIFY});
    EXPECT_STREQ(r.order_id, "ord-9");
    EXPECT_EQ(r.limit_price_e9, 5);
    EXPECT_EQ(r.symbol[0], '\0') << "the previous request's fields are gone";

    ASSERT_EQ(ef_order_init_ct_cancel(&r, 3, "acc-1", nullptr, "ord-9"), EF_OK);
    EXPECT_EQ(r.kind, uint32_t{EF_ORDER_CT_CANCEL});
    EXPECT_EQ(r.broker[0], '\0');
    EXPECT_STREQ(r.order_id, "ord-9");
    EXPECT_EQ(r.limit_price_e9, 0);
}

TEST(orders_builders,
     a_string_that_does_not_fit_its_field_is_refused_and_leaves_the_request_zeroed) {
    const std::string account_max(EF_ACCOUNT_MAX - 1, 'a');
    const std::string account_long(EF_ACCOUNT_MAX, 'a');
    const std::string hash_max(EF_POSITION_HASH_MAX, 'h');
    const std::string hash_long(EF_POSITION_HASH_MAX + 1, 'h');
    const std::string broker_long(EF_BROKER_MAX, 'b');
    const std::string instrument_long(EF_INSTRUMENT_MAX, 'i');
    const std::string symbol_long(EF_SYMBOL_MAX, 's');
    const std::string order_id_long(EF_ORDER_ID_MAX, 'o');
    const std::string partner_long(EF_PARTNER_ID_MAX, 'p');
    ef_order_request r;
    const struct {
        int rc;
        int want;
        const char* why;
    } cases[] = {
        {ef_order_init_om_buy(&r, 1, account_max.c_str(), hash_max.c_str(), 1, 0, 1, nullptr, 0),
         EF_OK, "both at their longest"},
        {ef_order_init_om_buy(&r, 1, account_long.c_str(), "h", 1, 0, 1, nullptr, 0), EF_EINVAL,
         "account without room for its NUL"},
        {ef_order_init_om_buy(&r, 1, "a", hash_long.c_str(), 1, 0, 1, nullptr, 0), EF_EINVAL,
         "position hash above EF_POSITION_HASH_MAX"},
        {ef_order_init_om_buy(&r, 1, "a", "", 1, 0, 1, nullptr, 0), EF_EINVAL,
         "empty position hash"},
        {ef_order_init_om_buy(&r, 1, "a", nullptr, 1, 0, 1, nullptr, 0), EF_EINVAL,
         "NULL position hash"},
        {ef_order_init_om_buy(&r, 1, nullptr, "h", 1, 0, 1, nullptr, 0), EF_EINVAL, "NULL account"},
        {ef_order_init_om_buy(&r, 1, "a", "h", 1, 0, 1, partner_long.c_str(), 0), EF_EINVAL,
         "partner id too long"},
        {ef_order_init_ct_new(&r, 1, "a", broker_long.c_str(), 1, 1, 1, "EQUITY", "S", 1, 0, 0, 0),
         EF_EINVAL, "broker too long"},
        {ef_order_init_ct_new(&r, 1, "a", "b", 1, 1, 1, instrument_long.c_str(), "S", 1, 0, 0, 0),
         EF_EINVAL, "instrument too long"},
        {ef_order_init_ct_new(&r, 1, "a", "b", 1, 1, 1, "EQUITY", symbol_long.c_str(), 1, 0, 0, 0),
         EF_EINVAL, "symbol too long"},
        {ef_order_init_ct_new(&r, 1, "a", "b", 256, 1, 1, "EQUITY", "S", 1, 0, 0, 0), EF_EINVAL,
         "side does not fit its byte"},
        {ef_order_init_ct_modify(&r, 1, "a", "b", order_id_long.c_str(), 1, 0, 0, 0), EF_EINVAL,
         "order id too long"},
        {ef_order_init_ct_modify(&r, 1, "a", nullptr, "o", 1, 0, 0, 0), EF_EINVAL,
         "modify needs a broker"},
        {ef_order_init_ct_cancel(&r, 1, "a", nullptr, nullptr), EF_EINVAL,
         "cancel needs an order id"},
        {ef_order_init_ct_cancel(nullptr, 1, "a", nullptr, "o"), EF_EINVAL, "NULL request"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(c.rc, c.want) << c.why;
    ASSERT_EQ(ef_order_init_om_buy(&r, 5, account_long.c_str(), "h", 1, 0, 1, nullptr, 0),
              EF_EINVAL);
    EXPECT_TRUE(all_zero(&r, sizeof r)) << "a refused request cannot be submitted half-built";
}

TEST(orders_names, every_enum_value_has_one_distinct_snake_case_word) {
    struct family {
        const char* (*name)(uint32_t);
        uint32_t first, last;
    };
    const family families[] = {
        {ef_order_kind_name, EF_ORDER_OM_BUY, EF_ORDER_CT_CANCEL},
        {ef_order_outcome_name, EF_OUTCOME_ACCEPTED, EF_OUTCOME_MODIFIED},
        {ef_reject_source_name, EF_REJECT_NONE, EF_REJECT_DAEMON},
        {ef_risk_limit_name, EF_RISK_HALT_ALL, EF_RISK_ACCOUNT_DAILY_NOTIONAL},
    };
    for (const family& f : families) {
        std::set<std::string> seen;
        for (uint32_t v = f.first; v <= f.last; ++v) {
            const std::string word = f.name(v);
            EXPECT_NE(word, "unknown_value") << v;
            EXPECT_TRUE(seen.insert(word).second) << word;
            for (char c : word)
                EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << word;
        }
        EXPECT_STREQ(f.name(f.last + 1), "unknown_value");
    }
    EXPECT_STREQ(ef_risk_limit_name(EF_RISK_ORDER_NOTIONAL), "max_order_notional");
    EXPECT_STREQ(ef_order_outcome_name(EF_OUTCOME_PARTIAL), "partial");
}

TEST(orders_names, connect_trade_words_round_trip_and_nothing_else_parses) {
    for (uint32_t v = EF_SIDE_BUY; v <= EF_SIDE_SELL; ++v)
        EXPECT_EQ(ef_ct_side_parse(ef_ct_side_name(v)), v);
    for (uint32_t v = EF_TYPE_MKT; v <= EF_TYPE_STPLMT; ++v)
        EXPECT_EQ(ef_ct_order_type_parse(ef_ct_order_type_name(v)), v);
    for (uint32_t v = EF_TIF_DAY; v <= EF_TIF_GTC_EXT; ++v)
        EXPECT_EQ(ef_ct_tif_parse(ef_ct_tif_name(v)), v);
    EXPECT_EQ(ef_ct_tif_parse("DAY+"), uint32_t{EF_TIF_DAY_EXT});
    EXPECT_STREQ(ef_ct_tif_name(EF_TIF_GTC_EXT), "GTC+");
    const struct {
        uint32_t got;
        const char* why;
    } refused[] = {
        {ef_ct_side_parse("BUY"), "the wire's words are lower case"},
        {ef_ct_side_parse(""), "empty"},
        {ef_ct_side_parse(nullptr), "NULL"},
        {ef_ct_order_type_parse("lmt"), "types are upper case"},
        {ef_ct_order_type_parse("LMT "), "trailing space"},
        {ef_ct_tif_parse("DAY_EXT"), "the enum's name is not the wire's"},
        {ef_ct_tif_parse("DAY+x"), "a longer word"},
    };
    for (const auto& c : refused)
        EXPECT_EQ(c.got, 0u) << c.why;
    EXPECT_STREQ(ef_ct_side_name(0), "");
    EXPECT_STREQ(ef_ct_tif_name(9), "");
}

} // namespace
