// Pre-trade risk (risk.hpp): the checks, the reservations and their
// settlement. Runs on the order loop's thread for every request; integer
// arithmetic on e9 fixed point (128-bit where a product could overflow), no
// allocation after the constructor, no clock, no I/O.
#include "orders/risk.hpp"
#include "orders/utc_day.hpp"
#include "common/u64_text.hpp"

#include "json/decimal.hpp"

#include <algorithm>
#include <cstring>

namespace ef::orders {

namespace {

// 128-bit products: shares x price in e9 needs up to ~2^126 before the divide.
__extension__ typedef __int128 i128;

constexpr int64_t e9 = 1'000'000'000;
int32_t day_of(int64_t unix_ns) noexcept { return static_cast<int32_t>(utc_day_of(unix_ns)); }

int64_t saturate(i128 v) noexcept {
    if (v > INT64_MAX) return INT64_MAX;
    if (v < INT64_MIN) return INT64_MIN;
    return static_cast<int64_t>(v);
}

// a x b / c, rounded up, for non-negative a, b and positive c.
int64_t mul_div_up(int64_t a, int64_t b, int64_t c) noexcept {
    const i128 p = static_cast<i128>(a) * b;
    return saturate((p + c - 1) / c);
}

int64_t add_sat(int64_t a, int64_t b) noexcept {
    return saturate(static_cast<i128>(a) + b);
}

std::string_view fixed_str(const char* s, size_t cap) noexcept {
    return {s, strnlen(s, cap)};
}

// Builds a NUL-terminated reason in a verdict; cuts what does not fit.
class reason_text {
public:
    explicit reason_text(char (&buf)[EF_REASON_MAX]) noexcept : buf_(buf) { buf_[0] = '\0'; }
    reason_text& put(std::string_view s) noexcept {
        const size_t n = std::min(s.size(), EF_REASON_MAX - 1 - len_);
        if (n) std::memcpy(buf_ + len_, s.data(), n); // an empty view may have no data at all
        len_ += n;
        buf_[len_] = '\0';
        return *this;
    }
    reason_text& dec(int64_t v_e9) noexcept {
        char tmp[json::decimal_e9_max_chars];
        // (the min tells the compiler what format_decimal_e9 guarantees)
        return put({tmp, std::min(json::format_decimal_e9(v_e9, tmp), sizeof tmp)});
    }
    reason_text& num(uint64_t v) noexcept {
        char tmp[20];
        return put({tmp, write_u64_text(tmp, v)});
    }

private:
    char* buf_;
    size_t len_ = 0;
};

// What an order weighs: its size and notional, when they can be known.
struct order_weight {
    int64_t qty_e9 = 0;
    int64_t notional_e9 = 0;
    bool qty_known = false;
    bool notional_known = false;
};

bool is_om(uint32_t kind) noexcept { return kind == EF_ORDER_OM_BUY; }

} // namespace

struct risk_engine::state {
    struct strategy {
        strategy_risk cfg;
        bool any_account = false;
        int64_t open_e9 = 0;
        int64_t daily_e9 = 0;
        std::unique_ptr<int64_t[]> rate_ts; // max_orders_per_s accepted-order times
        uint32_t rate_next = 0;             // oldest entry once full
        uint32_t rate_count = 0;
    };
    struct account {
        account_risk cfg;
        int64_t open_e9 = 0;
        int64_t daily_e9 = 0;
    };
    std::vector<strategy> strategies;
    std::vector<account> accounts;
    int32_t day = INT32_MIN;

    bool may_trade(const strategy& s, std::string_view acct) const noexcept {
        if (s.any_account) return true;
        for (const std::string& a : s.cfg.accounts)
            if (a == acct) return true;
        return false;
    }
    uint32_t find_account(std::string_view acct) const noexcept {
        for (size_t i = 0; i < accounts.size(); ++i)
            if (accounts[i].cfg.account == acct) return static_cast<uint32_t>(i);
        return no_account;
    }
};

risk_engine::risk_engine(std::vector<strategy_risk> strategies, std::vector<account_risk> accounts)
    : s_(std::make_unique<state>()) {
    s_->strategies.reserve(strategies.size());
    for (strategy_risk& cfg : strategies) {
        state::strategy st;
        st.any_account = std::find(cfg.accounts.begin(), cfg.accounts.end(), "*") != cfg.accounts.end();
        st.rate_ts = std::make_unique<int64_t[]>(std::max<uint32_t>(cfg.limits.max_orders_per_s, 1));
        st.cfg = std::move(cfg);
        s_->strategies.push_back(std::move(st));
    }
    s_->accounts.reserve(accounts.size());
    for (account_risk& cfg : accounts) s_->accounts.push_back({std::move(cfg), 0, 0});
}

risk_engine::~risk_engine() = default;
risk_engine::risk_engine(risk_engine&&) noexcept = default;
risk_engine& risk_engine::operator=(risk_engine&&) noexcept = default;

namespace {

// Price bounds, then the order's weight. Returns 0 or the limit that failed.
uint32_t weigh(const ef_order_request& r, const risk_limits& lim, order_weight& w,
               reason_text& why) noexcept {
    if (is_om(r.kind)) {
        const int64_t px = r.max_price_e9;
        if (px <= 0 || px > e9) {
            why.put("price_bounds: max_price ").dec(px).put(" not in (0, 1]");
            return EF_RISK_PRICE_BOUNDS;
        }
        if (r.amount_e9 < 0 || r.shares_e9 < 0) {
            why.put("order_size: amount ").dec(r.amount_e9).put(", shares ").dec(r.shares_e9)
                .put(" is negative");
            return EF_RISK_ORDER_SIZE;
        }
        // Exactly one of the two is set once validated; adding both stays
        // conservative if a caller ever passes both.
        w.qty_e9 = add_sat(r.shares_e9, mul_div_up(r.amount_e9, e9, px));
        w.notional_e9 = add_sat(r.amount_e9, mul_div_up(r.shares_e9, px, e9));
        w.qty_known = w.notional_known = true;
        return 0;
    }
    const bool has_limit = r.order_type == EF_TYPE_LMT || r.order_type == EF_TYPE_STPLMT;
    const bool has_stop = r.order_type == EF_TYPE_STP || r.order_type == EF_TYPE_STPLMT;
    const struct {
        bool used;
        int64_t px;
        const char* name;
    } prices[2] = {{has_limit, r.limit_price_e9, "limit price "},
                   {has_stop, r.stop_price_e9, "stop price "}};
    for (const auto& p : prices) {
        if (!p.used) continue;
        if (p.px <= 0) {
            why.put("price_bounds: ").put(p.name).dec(p.px).put(" <= 0");
            return EF_RISK_PRICE_BOUNDS;
        }
        if (lim.max_price_e9 > 0 && p.px > lim.max_price_e9) {
            why.put("price_bounds: ").put(p.name).dec(p.px).put(" > ").dec(lim.max_price_e9);
            return EF_RISK_PRICE_BOUNDS;
        }
    }
    if (r.qty_e9 < 0 || r.notional_e9 < 0) {
        why.put("order_size: qty ").dec(r.qty_e9).put(", notional ").dec(r.notional_e9)
            .put(" is negative");
        return EF_RISK_ORDER_SIZE;
    }
    // The price that values the order: the limit, else the stop.
    const int64_t px = has_limit ? r.limit_price_e9 : has_stop ? r.stop_price_e9 : 0;
    w.qty_known = w.notional_known = true;
    if (r.qty_e9 > 0) {
        w.qty_e9 = r.qty_e9;
        if (px > 0) w.notional_e9 = mul_div_up(r.qty_e9, px, e9);
        else w.notional_known = false;
    }
    if (r.notional_e9 > 0) {
        w.notional_e9 = add_sat(w.notional_e9, r.notional_e9);
        if (px > 0) w.qty_e9 = add_sat(w.qty_e9, mul_div_up(r.notional_e9, e9, px));
        else if (r.qty_e9 == 0) w.qty_known = false; // a market order by notional: size unknown
    }
    return 0;
}

} // namespace

risk_verdict risk_engine::check_and_reserve(uint32_t strategy, const ef_order_request& r,
                                            int64_t best_e9, int64_t now_mono_ns,
                                            int64_t now_unix_ns, bool halt_all, bool halt_strategy,
                                            reservation& out) noexcept {
    risk_verdict v;
    v.limit = 0;
    reason_text why(v.reason);
    roll_day(now_unix_ns);
    if (r.kind == EF_ORDER_CT_CANCEL) return v;
    auto fail = [&](uint32_t limit) noexcept {
        v.limit = limit;
        return v;
    };
    if (halt_all) {
        why.put("halt_all: the kill switch is on for every strategy");
        return fail(EF_RISK_HALT_ALL);
    }
    if (strategy >= s_->strategies.size()) [[unlikely]] {
        why.put("account: no strategy with index ").num(strategy);
        return fail(EF_RISK_ACCOUNT);
    }
    state::strategy& st = s_->strategies[strategy];
    const std::string_view sname = st.cfg.name;
    const risk_limits& lim = st.cfg.limits;
    if (halt_strategy) {
        why.put("halt_strategy: strategy ").put(sname).put(" is halted");
        return fail(EF_RISK_HALT_STRATEGY);
    }
    const std::string_view acct = fixed_str(r.account, sizeof r.account);
    if (!s_->may_trade(st, acct)) {
        why.put("account: strategy ").put(sname).put(" may not trade account '").put(acct).put("'");
        return fail(EF_RISK_ACCOUNT);
    }
    order_weight w;
    if (const uint32_t limit = weigh(r, lim, w, why)) {
        why.put(" (strategy ").put(sname).put(")");
        return fail(limit);
    }
    if (w.qty_known && w.qty_e9 > lim.max_order_qty_e9) {
        why.put("max_order_qty: ").dec(w.qty_e9).put(" > ").dec(lim.max_order_qty_e9)
            .put(" (strategy ").put(sname).put(")");
        return fail(EF_RISK_ORDER_SIZE);
    }
    if (!w.notional_known) {
        why.put("no_reference: a market order by quantity has no price to value its notional")
            .put(" (strategy ").put(sname).put(")");
        return fail(EF_RISK_NO_REFERENCE);
    }
    if (w.notional_e9 > lim.max_order_notional_e9) {
        why.put("max_order_notional: ").dec(w.notional_e9).put(" > ")
            .dec(lim.max_order_notional_e9).put(" (strategy ").put(sname).put(")");
        return fail(EF_RISK_ORDER_NOTIONAL);
    }
    if (is_om(r.kind)) {
        if (best_e9 <= 0) {
            if (lim.require_reference) {
                why.put("no_reference: no best price in the book for this position (strategy ")
                    .put(sname).put(")");
                return fail(EF_RISK_NO_REFERENCE);
            }
        } else if (lim.fat_finger_bps > 0) {
            // max_price <= best x (10000 + bps) / 10000, exactly.
            const i128 lhs = static_cast<i128>(r.max_price_e9) * 10'000;
            const i128 rhs = static_cast<i128>(best_e9) * (10'000 + lim.fat_finger_bps);
            if (lhs > rhs) {
                why.put("fat_finger: max_price ").dec(r.max_price_e9).put(" > best ").dec(best_e9)
                    .put(" + ").num(lim.fat_finger_bps).put(" bps (strategy ").put(sname).put(")");
                return fail(EF_RISK_FAT_FINGER);
            }
        }
    }
    const uint32_t rate_cap = lim.max_orders_per_s;
    if (rate_cap == 0 || (st.rate_count == rate_cap &&
                          now_mono_ns - st.rate_ts[st.rate_next] < e9)) {
        why.put("max_orders_per_s: ").num(uint64_t{rate_cap} + 1).put(" in 1 s > ").num(rate_cap)
            .put(" (strategy ").put(sname).put(")");
        return fail(EF_RISK_ORDER_RATE);
    }
    // A modify adds only its rise in notional to the totals.
    const bool modify = r.kind == EF_ORDER_CT_MODIFY;
    if (modify && out.day != s_->day) {
        out.daily_e9 = out.open_e9;
        out.day = s_->day;
    }
    const int64_t add = modify ? std::max<int64_t>(0, w.notional_e9 - out.open_e9) : w.notional_e9;
    const struct {
        int64_t total, limit;
        uint32_t code;
        const char* name;
    } totals[2] = {{st.open_e9, lim.max_open_notional_e9, EF_RISK_OPEN_NOTIONAL, "max_open_notional: "},
                   {st.daily_e9, lim.max_daily_notional_e9, EF_RISK_DAILY_NOTIONAL,
                    "max_daily_notional: "}};
    for (const auto& t : totals) {
        if (add_sat(t.total, add) > t.limit) {
            why.put(t.name).dec(add_sat(t.total, add)).put(" > ").dec(t.limit).put(" (strategy ")
                .put(sname).put(")");
            return fail(t.code);
        }
    }
    const uint32_t ai = s_->find_account(acct);
    state::account* ac = ai == no_account ? nullptr : &s_->accounts[ai];
    if (ac) {
        const struct {
            int64_t total, limit;
            uint32_t code;
            const char* name;
        } atotals[2] = {{ac->open_e9, ac->cfg.max_open_notional_e9, EF_RISK_ACCOUNT_OPEN_NOTIONAL,
                         "account max_open_notional: "},
                        {ac->daily_e9, ac->cfg.max_daily_notional_e9,
                         EF_RISK_ACCOUNT_DAILY_NOTIONAL, "account max_daily_notional: "}};
        for (const auto& t : atotals) {
            if (add_sat(t.total, add) > t.limit) {
                why.put(t.name).dec(add_sat(t.total, add)).put(" > ").dec(t.limit)
                    .put(" (account ").put(acct).put(")");
                return fail(t.code);
            }
        }
    }
    // Passed: reserve.
    st.rate_ts[st.rate_next] = now_mono_ns;
    st.rate_next = st.rate_next + 1 == rate_cap ? 0 : st.rate_next + 1;
    st.rate_count = std::min(st.rate_count + 1, rate_cap);
    st.open_e9 = add_sat(st.open_e9, add);
    st.daily_e9 = add_sat(st.daily_e9, add);
    if (ac) {
        ac->open_e9 = add_sat(ac->open_e9, add);
        ac->daily_e9 = add_sat(ac->daily_e9, add);
    }
    if (modify) {
        out.strategy = strategy;
        out.account = ai;
        out.open_e9 = add_sat(out.open_e9, add);
        out.daily_e9 = add_sat(out.daily_e9, add);
    } else {
        out = reservation{strategy, ai, add, add, 0, s_->day};
    }
    return v;
}

void risk_engine::settle(reservation& r, int64_t still_open_e9, int64_t executed_e9) noexcept {
    if (r.strategy >= s_->strategies.size()) [[unlikely]]
        return;
    if (r.day != s_->day) {
        // The roll made each daily total its open total: of this order only
        // its open part counts toward the new day.
        r.daily_e9 = r.open_e9;
        r.day = s_->day;
    }
    const int64_t still = std::max<int64_t>(0, still_open_e9);
    const int64_t executed = std::max(r.executed_e9, executed_e9);
    const int64_t d_open = still - r.open_e9;
    const int64_t daily = std::max<int64_t>(0, add_sat(r.daily_e9, add_sat(executed - r.executed_e9, d_open)));
    const int64_t d_daily = daily - r.daily_e9;
    auto apply = [](int64_t& total, int64_t delta) noexcept {
        total = std::max<int64_t>(0, add_sat(total, delta));
    };
    state::strategy& st = s_->strategies[r.strategy];
    apply(st.open_e9, d_open);
    apply(st.daily_e9, d_daily);
    if (r.account < s_->accounts.size()) {
        apply(s_->accounts[r.account].open_e9, d_open);
        apply(s_->accounts[r.account].daily_e9, d_daily);
    }
    r.open_e9 = still;
    r.daily_e9 = daily;
    r.executed_e9 = executed;
}

void risk_engine::roll_day(int64_t now_unix_ns) noexcept {
    const int32_t d = day_of(now_unix_ns);
    if (d <= s_->day) return; // a clock stepping back does not reopen a day
    s_->day = d;
    for (state::strategy& st : s_->strategies) st.daily_e9 = st.open_e9;
    for (state::account& ac : s_->accounts) ac.daily_e9 = ac.open_e9;
}

int64_t risk_engine::open_notional(uint32_t strategy) const noexcept {
    return strategy < s_->strategies.size() ? s_->strategies[strategy].open_e9 : 0;
}
int64_t risk_engine::daily_notional(uint32_t strategy) const noexcept {
    return strategy < s_->strategies.size() ? s_->strategies[strategy].daily_e9 : 0;
}
int64_t risk_engine::account_open_notional(uint32_t account) const noexcept {
    return account < s_->accounts.size() ? s_->accounts[account].open_e9 : 0;
}
int64_t risk_engine::account_daily_notional(uint32_t account) const noexcept {
    return account < s_->accounts.size() ? s_->accounts[account].daily_e9 : 0;
}
uint32_t risk_engine::account_index(std::string_view account) const noexcept {
    return s_->find_account(account);
}
uint32_t risk_engine::strategy_count() const noexcept {
    return static_cast<uint32_t>(s_->strategies.size());
}

} // namespace ef::orders
