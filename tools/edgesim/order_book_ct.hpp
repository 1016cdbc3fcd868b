// Connect Trade's order API in the simulator (orders_common.md, PROTOCOL.md
// "Connect Trade", seed 003): credentials and account ownership, a small
// quote table, POST /orders with its strict key set, the normalized order,
// fills against the quote (MKT/LMT/STP/STPLMT x DAY/GTC/IOC/FOK/OPEN/CLOSE/
// DAY+/GTC+), PATCH (cancel/replace), DELETE, and GET /orders with filters
// and real cursor pagination. cl_order_ids are unique per user (user-id) and
// UTC day, PATCH's new_cl_order_id included (409 otherwise). Pure: the
// caller passes the time; no socket, no logging. Driven by order_routes.cpp
// and the sim unit tests.
#pragma once

#include "common/result.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ef::sim {

struct ct_user {
    std::string id, secret;
    std::vector<std::string> accounts;
};

struct ct_config {
    std::string client_id = "sim-client";
    std::string client_secret = "sim-client-secret";
    std::vector<ct_user> users{{"ct-user", "ct-user-secret", {"ct-acct-1", "ct-acct-2"}}};
};

// "user1:secret1:acct-1,acct-2;user2:secret2:acct-9"
result<std::vector<ct_user>> parse_ct_users(std::string_view text);

struct ct_quote {
    int64_t bid_e9 = 0, bid_size_e9 = 0, ask_e9 = 0, ask_size_e9 = 0;
};

// "SYM:bid:bid_size:ask:ask_size" (decimals), e.g. "AAPL:190.01:300:190.03:200".
result<std::pair<std::string, ct_quote>> parse_ct_quote(std::string_view text);

// The seeded table: AAPL, MSFT, SPY, BTC-USD.
std::vector<std::pair<std::string, ct_quote>> default_ct_quotes();

struct ct_credentials {
    std::string_view client_id, client_secret, user_id, user_secret;
};

struct ct_fill {
    int64_t qty_e9, price_e9, time_ns;
};

struct ct_order {
    uint64_t seq = 0; // creation order: the list's sort key and cursor
    std::string order_id, cl_order_id, account_id, user_id, broker, symbol, instrument;
    std::string side, order_type, order_tif, status;
    int64_t qty_e9 = 0, notional_e9 = 0, limit_price_e9 = 0, stop_price_e9 = 0; // 0: null
    int64_t filled_qty_e9 = 0;
    std::vector<ct_fill> fills;
    std::string broker_message;
    int64_t created_ns = 0;
    bool triggered = false; // STP / STPLMT: the stop was crossed
};

struct ct_reply {
    int status = 200;
    std::string body;
    std::string account_id, cl_order_id, order_id; // for the sim's order record
    bool executed = false; // an order was created, replaced or cancelled
};

class ct_venue {
public:
    explicit ct_venue(ct_config cfg);

    // Paths this API serves: /orders and /accounts/...
    static bool serves(std::string_view path) noexcept;

    void set_quote(const std::string& symbol, const ct_quote& q) { quotes_[symbol] = q; }
    // A new quote that resting (working, partially filled) orders on the
    // symbol then meet: they fill as far as it allows, oldest first.
    void move_market(const std::string& symbol, const ct_quote& q, int64_t now_unix_ns);
    const ct_quote* quote(const std::string& symbol) const;
    const ct_order* find(const std::string& order_id) const;
    const std::vector<ct_order>& orders() const noexcept { return orders_; }

    // One request: `path` still percent-encoded, `query` without '?'.
    ct_reply handle(std::string_view method, std::string_view path, std::string_view query,
                    const ct_credentials& cred, std::string_view body, int64_t now_unix_ns);

    static std::string order_json(const ct_order& o);
    static std::string error_body(std::string_view message);

private:
    const ct_user* authenticate(const ct_credentials& cred) const;
    ct_reply place(const ct_user& user, std::string_view body, int64_t now);
    ct_reply modify(const ct_user& user, const std::string& account, const std::string& order_id,
                    std::string_view body, int64_t now);
    ct_reply cancel(const ct_user& user, const std::string& account, const std::string& order_id);
    ct_reply list(const ct_user& user, std::string_view query);
    // Fills what the quote allows now and sets the status.
    void execute(ct_order& o, int64_t now);
    // Takes the cl_order_id for the user's UTC day; false if it was taken.
    bool claim(const ct_user& user, const std::string& cl_order_id, int64_t now);

    ct_config cfg_;
    std::map<std::string, ct_quote> quotes_;
    std::vector<ct_order> orders_;
    std::map<std::string, size_t> by_id_;
    std::set<std::string> claimed_; // user \n day \n cl_order_id
    uint64_t next_seq_ = 1;
};

} // namespace ef::sim
