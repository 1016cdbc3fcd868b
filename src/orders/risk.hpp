// Pre-trade risk: every order a strategy submits passes here before a byte of
// it is written for a venue. Driven by the order loop, on its one thread, for
// each request it takes off a strategy's ring; pure (no clock of its own, no
// I/O) and allocation-free after construction.
//
// Conventions the loop relies on:
// - Limits are literal: a size, notional or rate limit of 0 lets nothing
//   through (fail closed). Only fat_finger_bps and max_price_e9 use 0 for "off",
//   as their comments say. Defaults are the config layer's business.
// - Notional of an OpenMarkets buy is its amount, or shares x max_price; its
//   size is its shares, or amount / max_price. Both are rounded up (a limit
//   never lets through more than it says).
// - Connect Trade notional is order_notional, or qty x price where the price is
//   the limit price (LMT, STPLMT) or the stop price (STP). A market order by
//   quantity has no price in edgefeed (no Connect Trade book here), so it is
//   rejected with EF_RISK_NO_REFERENCE: its notional could not be bounded.
//   For the same reason there is no fat-finger check for Connect Trade.
// - Buys and sells both count toward open and daily notional (gross).
#pragma once

#include <edgefeed/orders.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ef::orders {

struct risk_limits {
    int64_t max_order_qty_e9;      // OM shares (amount orders: amount / max_price) / CT quantity
    int64_t max_order_notional_e9; // OM amount, or shares x max_price; CT notional or qty x price
    int64_t max_open_notional_e9;  // notional sent and not yet done (in flight, working, UNKNOWN)
    int64_t max_daily_notional_e9; // executed + open since 00:00 UTC
    uint32_t max_orders_per_s;     // orders accepted by risk in any sliding 1 s window
    uint32_t fat_finger_bps;       // OM: max_price <= best x (1 + bps/10000); 0 = off
    int64_t max_price_e9;          // CT: limit/stop price ceiling; 0 = none (OM: (0,1] always)
    bool require_reference;        // OM: no fresh best in the book -> EF_RISK_NO_REFERENCE
};

struct strategy_risk {
    std::string name;
    std::vector<std::string> accounts; // "*" = any
    risk_limits limits;
};

struct account_risk {
    std::string account;
    int64_t max_open_notional_e9;
    int64_t max_daily_notional_e9;
};

struct risk_verdict {
    uint32_t limit; // 0 pass, else enum ef_risk_limit
    char reason[EF_REASON_MAX];
};

// What one order holds of the totals; the loop keeps it with the order and
// hands it back to settle(). `day` and `executed_e9` let settle() tell what
// counts toward today after a UTC midnight passed with the order open.
struct reservation {
    uint32_t strategy = 0;
    uint32_t account = 0; // index into the account limits, or no_account
    int64_t open_e9 = 0;  // this order's share of the open totals
    int64_t daily_e9 = 0; // its share of day `day`'s totals
    int64_t executed_e9 = 0; // executed notional as last settled
    int32_t day = 0;         // days since 1970-01-01 UTC of daily_e9
};

class risk_engine {
public:
    static constexpr uint32_t no_account = UINT32_MAX;

    // Strategy index = position in `strategies`; account index = position in
    // `accounts`. Accounts a strategy may trade without an entry in `accounts`
    // have no account-level limits.
    risk_engine(std::vector<strategy_risk> strategies, std::vector<account_risk> accounts);
    ~risk_engine();
    risk_engine(risk_engine&&) noexcept;
    risk_engine& operator=(risk_engine&&) noexcept;

    // Checks in a fixed order (halt all, halt strategy, account allowed, price
    // bounds, size, notional, fat finger / no reference, rate, strategy open,
    // strategy daily, account open, account daily) and, on pass, reserves
    // (open += n, daily += n, rate window += now). `best_e9` is the book's best
    // price for an OM position (0 = none); ignored for CT.
    // Cancel always passes (even halted: cancels reduce risk), reserves nothing
    // and does not count toward the rate.
    // Modify: `r` carries the order's complete values after the modify (the
    // loop fills in what the modify leaves unchanged) and `out` must hold, on
    // entry, the reservation of the order being modified. The new values pass
    // the per-order checks; only a rise in notional (the delta) is checked
    // against and added to the open and daily totals; a fall is released by
    // settle() once the venue answers. On reject `out` is unchanged; on pass
    // of a new order `out` is overwritten.
    risk_verdict check_and_reserve(uint32_t strategy, const ef_order_request& r, int64_t best_e9,
                                   int64_t now_mono_ns, int64_t now_unix_ns, bool halt_all,
                                   bool halt_strategy, reservation& out) noexcept;

    // The venue answered: the order now holds `still_open_e9` of open notional
    // (CT working remainder; 0 when done) and has executed `executed_e9` in
    // total. Calling it again with the same figures changes nothing; totals
    // never go below 0. Executed notional never goes down (a lower figure is
    // taken as the last one).
    void settle(reservation& r, int64_t still_open_e9, int64_t executed_e9) noexcept;

    // Starts a new UTC day if `now_unix_ns` is past the current one: each
    // daily total becomes its open total. check_and_reserve does it itself;
    // the loop may call it on idle ticks so the stats roll at midnight.
    void roll_day(int64_t now_unix_ns) noexcept;

    int64_t open_notional(uint32_t strategy) const noexcept;
    int64_t daily_notional(uint32_t strategy) const noexcept;
    int64_t account_open_notional(uint32_t account) const noexcept;
    int64_t account_daily_notional(uint32_t account) const noexcept;
    // For start-up wiring: no_account when `account` has no limits of its own.
    uint32_t account_index(std::string_view account) const noexcept;
    uint32_t strategy_count() const noexcept;

private:
    struct state;
    std::unique_ptr<state> s_;
};

} // namespace ef::orders
