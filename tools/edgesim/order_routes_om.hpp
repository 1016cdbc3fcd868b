// OpenMarkets' order endpoint in the simulator, POST /flow/v1/auth/orders/buy
// (orders_common.md, PROTOCOL.md "OpenMarkets orders"): the key and user
// checks, the strict body (any unknown key -> 400 unknown_parameter), and the
// fill walk over the venue book's truth. A real fill consumes liquidity and
// reports the levels it changed so the server streams them as
// liquidity.update; a paper fill changes nothing. Pure: no socket, no clock
// (the caller passes the answer's timestamp). Driven by order_routes.cpp and
// the sim unit tests.
#pragma once

#include "edgesim/venue_book.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ef::sim {

inline constexpr std::string_view om_buy_path = "/flow/v1/auth/orders/buy";
inline constexpr std::string_view om_account_header = "X-OpenMarkets-Account";
// Ours: a request may carry at most this many legs.
inline constexpr size_t om_max_legs = 50;

struct om_config {
    std::string api_key = "sim-key";
    std::vector<std::string> users{"demo-user", "test-user"}; // external_user_ids
};

// "u1,u2" -> {"u1","u2"}; empty names are dropped.
std::vector<std::string> parse_om_users(std::string_view list);

struct om_leg_result {
    std::string position_hash;
    std::string partner_id; // the partner that filled most; empty: none
    std::string status;     // filled | partially_filled | unfilled | rejected
    int64_t filled_shares_e9 = 0;
    int64_t filled_notional_e9 = 0;
    int64_t avg_price_e9 = 0;
    std::string sor_decision_id;
    std::string reason; // rejected legs only
};

struct om_outcome {
    int status = 200;
    std::string body;     // the answer: {"data":...} or {"error":...}
    bool executed = false; // the legs were walked (a 200)
    bool paper = false;
    std::vector<om_leg_result> legs;
    // Levels a real fill changed, per contest (available 0: the level is gone).
    std::vector<std::pair<std::string, std::vector<sim_entry>>> changes;
};

// One buy request. `api_key` and `account` are the headers' values (empty if
// absent); `sor_counter` numbers decisions across requests; `meta_timestamp`
// goes into meta.timestamp.
om_outcome om_buy(venue_book& book, const om_config& cfg, std::string_view api_key,
                  std::string_view account, std::string_view body, uint64_t& sor_counter,
                  std::string_view meta_timestamp);

// {"error":{"code":...,"message":...}}.
std::string om_error_body(std::string_view code, std::string_view message);

} // namespace ef::sim
