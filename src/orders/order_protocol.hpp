// The venue choices the order client makes, in one place: paths, header and
// field names, status words, the order list's shape and the cl_order_id
// format. Read by the request writers (om_request, ct_request), the answer
// parsers (json/om_order_response, json/ct_order), the order loop and the
// simulator, so that a venue correcting one of them is a change here only.
// Rules marked (ours) are PROTOCOL.md's choices where the seeds are silent
// (seed 000: OpenMarkets Connect, seed 003: Connect Trade).
#pragma once

#include "edgefeed/orders.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ef::orders::protocol {

// ------------------------------------------------------------ OpenMarkets

inline constexpr std::string_view om_buy_method = "POST";
inline constexpr std::string_view om_buy_path = "/flow/v1/auth/orders/buy"; // seed 000 step 4
// The same path under the configured REST base (openmarkets.rest_url, "/flow/v1" by default).
inline constexpr std::string_view om_buy_path_under_base = "/auth/orders/buy";
inline constexpr std::string_view om_header_api_key = "X-API-Key";
inline constexpr std::string_view om_header_account = "X-OpenMarkets-Account"; // external_user_id
// (ours) "mode":"paper" sits at the top level of the body, after "orders".
inline constexpr std::string_view om_mode_paper = "paper";
// PROTOCOL.md: a position_hash is contest:market:side:variant:participant:timeframe.
inline constexpr unsigned om_position_hash_parts = 6;

// (ours) status of one leg in the 200 answer.
enum class om_leg_status : uint8_t { unknown, filled, partially_filled, unfilled, rejected };
inline constexpr std::string_view om_leg_status_words[] = {"", "filled", "partially_filled",
                                                           "unfilled", "rejected"};

// The buy body's template (ours: key order as PROTOCOL.md lists them). The
// writer copies these pieces whole and formats only what lies between them:
// {"orders":[{"position_hash":"H","amount":A|"shares":S,"max_price":P[,"partner_id":"I"]}][,"mode":"paper"]}
namespace om_body {
inline constexpr char open[] = "{\"orders\":[{\"position_hash\":\"";
inline constexpr char amount[] = "\",\"amount\":";
inline constexpr char shares[] = "\",\"shares\":";
inline constexpr char max_price[] = ",\"max_price\":";
inline constexpr char partner_id[] = ",\"partner_id\":\"";
inline constexpr char leg_close_after_string[] = "\"}]";
inline constexpr char leg_close[] = "}]";
inline constexpr char mode_paper_close[] = ",\"mode\":\"paper\"}";
inline constexpr char close[] = "}";
} // namespace om_body

// The answer's member names (ours): {"data":{"orders":[leg…]},"meta":{…}}.
inline constexpr std::string_view om_answer_data = "data";
inline constexpr std::string_view om_answer_orders = "orders";
inline constexpr std::string_view om_leg_fields[] = {
    "position_hash", "partner_id",      "status", "filled_shares", "filled_notional",
    "avg_price",     "sor_decision_id", "reason"};
enum om_leg_field : unsigned {
    om_leg_position_hash, om_leg_partner_id, om_leg_status_field, om_leg_filled_shares,
    om_leg_filled_notional, om_leg_avg_price, om_leg_sor_decision_id, om_leg_reason};
// Error bodies: OpenMarkets {"error":{"code":…,"message":…}}, Connect Trade {"message":…}.
inline constexpr std::string_view om_error_key = "error";
inline constexpr std::string_view om_error_fields[] = {"code", "message"};
inline constexpr std::string_view ct_error_fields[] = {"message"};

// ----------------------------------------------------------- Connect Trade

inline constexpr std::string_view ct_new_method = "POST";
inline constexpr std::string_view ct_new_path = "/orders";
inline constexpr std::string_view ct_modify_method = "PATCH";  // /accounts/{a}/orders/{o}
inline constexpr std::string_view ct_cancel_method = "DELETE"; // same target
inline constexpr std::string_view ct_list_method = "GET";
inline constexpr std::string_view ct_header_client_id = "client-id";
inline constexpr std::string_view ct_header_client_secret = "client-secret";
inline constexpr std::string_view ct_header_user_id = "user-id";
inline constexpr std::string_view ct_header_user_secret = "user-secret";
// Seed 003: GET /orders takes limit 1..500; reconciliation asks for the most.
inline constexpr unsigned ct_list_limit = 500;
// POST /orders body (ours, exact key set, in this order): account_id,
// cl_order_id, broker, side, order_type, order_tif, instrument, symbol, one
// of order_qty | order_notional, order_limit_price (LMT, STPLMT), stop_price
// (STP, STPLMT). Numbers are JSON strings ("190.01").
// PATCH body: new_cl_order_id, broker, then the same optional numbers.
namespace ct_body {
inline constexpr char new_open[] = "{\"account_id\":\"";
inline constexpr char cl_order_id[] = "\",\"cl_order_id\":\"";
inline constexpr char broker[] = "\",\"broker\":\"";
inline constexpr char side[] = "\",\"side\":\"";
inline constexpr char order_type[] = "\",\"order_type\":\"";
inline constexpr char order_tif[] = "\",\"order_tif\":\"";
inline constexpr char instrument[] = "\",\"instrument\":\"";
inline constexpr char symbol[] = "\",\"symbol\":\"";
inline constexpr char order_qty[] = "\",\"order_qty\":\"";
inline constexpr char order_notional[] = "\",\"order_notional\":\"";
inline constexpr char order_limit_price[] = "\",\"order_limit_price\":\"";
inline constexpr char stop_price[] = "\",\"stop_price\":\"";
inline constexpr char close[] = "\"}";
inline constexpr char modify_open[] = "{\"new_cl_order_id\":\"";
} // namespace ct_body

// Targets: /accounts/{account_id}/orders/{order_id} (segments percent-encoded)
// and the list query (ours: start_time ISO-8601 UTC, limit 500, cursor last).
inline constexpr char ct_target_accounts[] = "/accounts/";
inline constexpr char ct_target_orders[] = "/orders/";
inline constexpr char ct_list_status_all[] = "/orders?status=all";
inline constexpr char ct_list_symbols[] = "&symbols=";
inline constexpr char ct_list_side[] = "&side=";
inline constexpr char ct_list_start_time[] = "&start_time=";
inline constexpr char ct_list_limit_param[] = "&limit=500";
inline constexpr char ct_list_next_cursor[] = "&next_cursor=";
static_assert(ct_list_limit == 500, "ct_list_limit_param spells it");

// The normalized order's members the parser reads (others are validated and
// ignored: broker, order_type, order_tif, instrument, created_at, ...).
inline constexpr std::string_view ct_order_fields[] = {
    "order_id",   "cl_order_id",    "account_id",        "symbol",
    "side",       "status",         "filled_qty",        "avg_fill_price",
    "order_qty",  "order_notional", "order_limit_price", "stop_price",
    "fills",      "broker_message"};
enum ct_order_field : unsigned {
    ct_f_order_id, ct_f_cl_order_id, ct_f_account_id, ct_f_symbol, ct_f_side, ct_f_status,
    ct_f_filled_qty, ct_f_avg_fill_price, ct_f_order_qty, ct_f_order_notional,
    ct_f_order_limit_price, ct_f_stop_price, ct_f_fills, ct_f_broker_message};
inline constexpr std::string_view ct_fill_fields[] = {"qty", "price", "time"};
enum ct_fill_field : unsigned { ct_fill_qty, ct_fill_price, ct_fill_time };

// The instrument of a multi-leg option order, which edgefeed refuses (ours).
inline constexpr std::string_view ct_instrument_mleg = "MLEG_OPT";

// Words indexed by the enums of include/edgefeed/orders.h; [0] is no value.
inline constexpr std::string_view ct_side_words[] = {"", "buy", "sell"};
inline constexpr std::string_view ct_order_type_words[] = {"", "MKT", "LMT", "STP", "STPLMT"};
inline constexpr std::string_view ct_tif_words[] = {"",     "DAY",   "GTC",  "IOC", "FOK",
                                                    "OPEN", "CLOSE", "DAY+", "GTC+"};

// Seed 003 "Normalized Order Status Values": the ten words.
enum class ct_order_status : uint8_t {
    unknown, // a word not in the seed's table (kept as text by the parser)
    pending,
    working,
    partially_filled,
    filled,
    cancelled,
    rejected,
    expired,
    replaced,
    pending_cancel,
    pending_replace,
};
inline constexpr std::string_view ct_order_status_words[] = {
    "",          "pending",  "working", "partially_filled", "filled",         "cancelled",
    "rejected",  "expired",  "replaced", "pending_cancel",  "pending_replace"};

// (ours) The list answer: {"orders":[normalized order…],"next_cursor":…|null,"prev_cursor":…|null}.
inline constexpr std::string_view ct_list_fields[] = {"orders", "next_cursor"};
enum ct_list_field : unsigned { ct_list_orders, ct_list_next_cursor_field };

// The index of `word` in `words`, or 0 when it is none of them.
template <size_t N>
constexpr uint8_t word_index(const std::string_view (&words)[N], std::string_view word) noexcept {
    for (size_t i = 1; i < N; ++i)
        if (words[i] == word) return static_cast<uint8_t>(i);
    return 0;
}

// ------------------------------------------------------------- cl_order_id

// (ours) <prefix><YYYYMMDD>-<decimal seq>, e.g. "ef20261122-17": unique per
// day as long as seq is never reused that day (the order loop persists it),
// and at most EF_CL_ORDER_ID_MAX - 1 = 39 bytes.
inline constexpr size_t cl_order_id_max_chars = EF_CL_ORDER_ID_MAX - 1;

// Writes the cl_order_id for (prefix, yyyymmdd, seq). Returns its length, or
// 0 when it does not fit in `out` or would exceed cl_order_id_max_chars. No NUL.
inline size_t write_cl_order_id(std::span<char> out, std::string_view prefix, uint32_t yyyymmdd,
                                uint64_t seq) noexcept {
    char digits[20];
    size_t nd = 0;
    do {
        digits[nd++] = static_cast<char>('0' + seq % 10);
        seq /= 10;
    } while (seq != 0);
    const size_t n = prefix.size() + 8 + 1 + nd;
    if (n > out.size() || n > cl_order_id_max_chars || yyyymmdd > 99999999) return 0;
    size_t o = 0;
    for (const char c : prefix)
        out[o++] = c;
    for (int i = 7; i >= 0; --i) {
        out[o + static_cast<size_t>(i)] = static_cast<char>('0' + yyyymmdd % 10);
        yyyymmdd /= 10;
    }
    o += 8;
    out[o++] = '-';
    while (nd != 0)
        out[o++] = digits[--nd];
    return o;
}

} // namespace ef::orders::protocol
