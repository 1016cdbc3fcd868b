// See order_book_ct.hpp.
#include "edgesim/order_book_ct.hpp"

#include "edgesim/path_segments.hpp"
#include "edgesim/sim_json.hpp"
#include "http/uri.hpp"
#include "json/decimal.hpp"
#include "json/timestamp.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace ef::sim {

namespace {

constexpr int64_t day_ns = 86'400'000'000'000;
// Seed 003: list limit 1..500, default 50.
constexpr unsigned ct_default_limit = 50;
constexpr unsigned ct_max_limit = 500;

constexpr std::string_view place_keys[] = {
    "account_id", "cl_order_id", "broker",          "side",      "order_type",     "order_tif",
    "instrument", "symbol",      "order_qty",       "order_notional", "order_limit_price",
    "stop_price"};
constexpr std::string_view place_required[] = {"account_id", "cl_order_id", "broker",    "side",
                                               "order_type", "order_tif",   "instrument", "symbol"};
constexpr std::string_view modify_keys[] = {"new_cl_order_id", "broker",            "order_qty",
                                            "order_notional",  "order_limit_price", "stop_price"};
constexpr std::string_view order_types[] = {"MKT", "LMT", "STP", "STPLMT"};
constexpr std::string_view tifs[] = {"DAY", "GTC", "IOC", "FOK", "OPEN", "CLOSE", "DAY+", "GTC+"};
// Ours: what the simulator trades. MLEG_OPT needs legs, which it does not take.
constexpr std::string_view instruments[] = {"EQUITY", "ETF", "OPTION", "CRYPTO"};
constexpr std::string_view list_statuses[] = {"all",       "open",      "closed",   "filled",
                                              "cancelled", "partially_filled", "working",
                                              "rejected",  "pending",   "expired",  "replaced"};

template <size_t N>
bool one_of(std::string_view v, const std::string_view (&set)[N]) {
    return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

ct_reply error(int status, std::string_view message) {
    ct_reply r;
    r.status = status;
    r.body = ct_venue::error_body(message);
    return r;
}

bool is_open_status(std::string_view s) {
    return s == "pending" || s == "working" || s == "partially_filled" ||
           s == "pending_cancel" || s == "pending_replace";
}

std::string opt_e9(int64_t v) {
    return v ? e9_string(v) : "null";
}

// A request body: a JSON object of strings, keys from `allowed`, no repeats.
// Fills `fields`; returns a ready 400 otherwise.
template <size_t N>
bool read_fields(std::string_view body, const std::string_view (&allowed)[N],
                 std::map<std::string, std::string>& fields, ct_reply& bad) {
    jnode root;
    std::string why;
    if (!parse_json(body, root, why)) {
        bad = error(400, "invalid JSON: " + why);
        return false;
    }
    if (root.type != jnode::kind::object) {
        bad = error(400, "body must be a JSON object");
        return false;
    }
    for (const auto& [k, v] : root.members)
        if (!one_of(k, allowed)) {
            bad = error(400, "unknown field: " + k);
            return false;
        }
    for (const auto& [k, v] : root.members) {
        if (!v.is_string()) {
            bad = error(400, fmt::format("{} must be a string", k));
            return false;
        }
        if (!fields.emplace(k, v.text).second) {
            bad = error(400, fmt::format("{} given twice", k));
            return false;
        }
    }
    return true;
}

// A positive exact decimal in a string field; 0 when absent.
bool read_amount(const std::map<std::string, std::string>& f, const char* key, int64_t& out,
                 ct_reply& bad) {
    out = 0;
    const auto it = f.find(key);
    if (it == f.end()) return true;
    if (json::parse_decimal_e9(it->second, out) != json::decimal_status::ok || out <= 0) {
        bad = error(400, fmt::format("invalid {}: a positive decimal", key));
        return false;
    }
    return true;
}

// Which prices an order type takes: LMT and STPLMT a limit, STP and STPLMT a stop.
bool check_prices(std::string_view type, int64_t limit, int64_t stop, ct_reply& bad) {
    const bool wants_limit = type == "LMT" || type == "STPLMT";
    const bool wants_stop = type == "STP" || type == "STPLMT";
    if (wants_limit != (limit != 0)) {
        bad = error(400, wants_limit ? fmt::format("order_limit_price is required for {}", type)
                                     : fmt::format("order_limit_price is not allowed for {}", type));
        return false;
    }
    if (wants_stop != (stop != 0)) {
        bad = error(400, wants_stop ? fmt::format("stop_price is required for {}", type)
                                    : fmt::format("stop_price is not allowed for {}", type));
        return false;
    }
    return true;
}

// Query pairs, decoded; false on a bad escape.
bool query_pairs(std::string_view query, std::vector<std::pair<std::string, std::string>>& out) {
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (!pair.empty()) {
            const size_t eq = pair.find('=');
            const std::string_view raw_name = pair.substr(0, eq);
            const std::string_view raw_value =
                eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
            std::string nb(raw_name.size(), '\0'), vb(raw_value.size(), '\0');
            std::string_view n, v;
            if (http::query_decode(raw_name, {nb.data(), nb.size()}, n) != http::codec_status::ok ||
                http::query_decode(raw_value, {vb.data(), vb.size()}, v) != http::codec_status::ok)
                return false;
            out.emplace_back(n, v);
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return true;
}

std::string make_cursor(char dir, uint64_t seq) {
    return fmt::format("{}{:x}", dir, seq);
}

bool read_cursor(std::string_view c, char dir, uint64_t& seq) {
    if (c.size() < 2 || c[0] != dir) return false;
    const auto r = std::from_chars(c.data() + 1, c.data() + c.size(), seq, 16);
    return r.ec == std::errc() && r.ptr == c.data() + c.size();
}

bool list_match(const ct_order& o, std::string_view status) {
    if (status == "all") return true;
    if (status == "open") return is_open_status(o.status);
    if (status == "closed") return !is_open_status(o.status);
    return o.status == status;
}

// GET /orders filters (seed 003), decoded and checked.
struct list_query {
    std::string status = "all", side, next_cursor, prev_cursor, account;
    std::vector<std::string> symbols;
    int64_t start = INT64_MIN, end = INT64_MAX;
    unsigned limit = ct_default_limit;
};

std::vector<std::string> comma_list(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        const size_t comma = s.find(',');
        if (const auto one = s.substr(0, comma); !one.empty()) out.emplace_back(one);
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
    }
    return out;
}

// One filter into `q`; a 400 for a bad value or an unknown name.
ct_reply read_list_param(const std::string& n, const std::string& v, list_query& q) {
    if (n == "status") {
        if (!one_of(v, list_statuses)) return error(400, "invalid status");
        q.status = v;
    } else if (n == "symbols") {
        q.symbols = comma_list(v);
    } else if (n == "side") {
        if (v != "buy" && v != "sell") return error(400, "invalid side: buy or sell");
        q.side = v;
    } else if (n == "start_time" || n == "end_time") {
        if (json::parse_timestamp_ns(v, n == "start_time" ? q.start : q.end) !=
            json::timestamp_status::ok)
            return error(400, fmt::format("invalid {}: an ISO-8601 UTC time", n));
    } else if (n == "limit") {
        const auto r = std::from_chars(v.data(), v.data() + v.size(), q.limit);
        if (r.ec != std::errc() || r.ptr != v.data() + v.size() || q.limit == 0 ||
            q.limit > ct_max_limit)
            return error(400, "invalid limit: 1 to 500");
    } else if (n == "next_cursor" || n == "prev_cursor") {
        (n == "next_cursor" ? q.next_cursor : q.prev_cursor) = v;
    } else if (n == "account_id") {
        q.account = v;
    } else {
        return error(400, fmt::format("unknown query parameter: {}", n));
    }
    return {};
}

ct_reply read_list_query(std::string_view query, list_query& q) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!query_pairs(query, params)) return error(400, "bad percent-escape in the query");
    std::set<std::string> seen;
    for (const auto& [n, v] : params) {
        if (!seen.insert(n).second) return error(400, fmt::format("{} given twice", n));
        if (ct_reply bad = read_list_param(n, v, q); bad.status != 200) return bad;
    }
    return {};
}

} // namespace

// ------------------------------------------------------------ configuration

result<std::vector<ct_user>> parse_ct_users(std::string_view text) {
    std::vector<ct_user> out;
    while (!text.empty()) {
        const size_t semi = text.find(';');
        const std::string_view one = text.substr(0, semi);
        const size_t a = one.find(':');
        const size_t b = a == std::string_view::npos ? a : one.find(':', a + 1);
        if (b == std::string_view::npos || a == 0 || b == a + 1)
            return make_error(fmt::format("ct user '{}': want user:secret:acct[,acct...]", one));
        ct_user u{std::string(one.substr(0, a)), std::string(one.substr(a + 1, b - a - 1)), {}};
        std::string_view accts = one.substr(b + 1);
        while (!accts.empty()) {
            const size_t comma = accts.find(',');
            if (const auto acct = accts.substr(0, comma); !acct.empty()) u.accounts.emplace_back(acct);
            if (comma == std::string_view::npos) break;
            accts.remove_prefix(comma + 1);
        }
        if (u.accounts.empty()) return make_error(fmt::format("ct user '{}' has no account", u.id));
        out.push_back(std::move(u));
        if (semi == std::string_view::npos) break;
        text.remove_prefix(semi + 1);
    }
    if (out.empty()) return make_error("no ct users");
    return out;
}

result<std::pair<std::string, ct_quote>> parse_ct_quote(std::string_view text) {
    std::vector<std::string_view> parts;
    while (true) {
        const size_t colon = text.find(':');
        parts.push_back(text.substr(0, colon));
        if (colon == std::string_view::npos) break;
        text.remove_prefix(colon + 1);
    }
    ct_quote q;
    int64_t* fields[] = {&q.bid_e9, &q.bid_size_e9, &q.ask_e9, &q.ask_size_e9};
    if (parts.size() != 5 || parts[0].empty())
        return make_error("quote: want SYMBOL:bid:bid_size:ask:ask_size");
    for (size_t i = 0; i < 4; ++i)
        if (json::parse_decimal_e9(parts[i + 1], *fields[i]) != json::decimal_status::ok ||
            *fields[i] < 0)
            return make_error(fmt::format("quote {}: bad number '{}'", parts[0], parts[i + 1]));
    return std::make_pair(std::string(parts[0]), q);
}

std::vector<std::pair<std::string, ct_quote>> default_ct_quotes() {
    std::vector<std::pair<std::string, ct_quote>> out;
    for (const char* q : {"AAPL:190.01:300:190.03:200", "MSFT:415.1:100:415.12:150",
                          "SPY:510:1000:510.01:1000", "BTC-USD:67000.5:2.5:67001:1.75"})
        out.push_back(parse_ct_quote(q).value());
    return out;
}

// ------------------------------------------------------------------ venue

ct_venue::ct_venue(ct_config cfg) : cfg_(std::move(cfg)) {
    for (auto& [s, q] : default_ct_quotes())
        quotes_[s] = q;
}

bool ct_venue::serves(std::string_view path) noexcept {
    return path == "/orders" || path.starts_with("/accounts/");
}

const ct_quote* ct_venue::quote(const std::string& symbol) const {
    const auto it = quotes_.find(symbol);
    return it == quotes_.end() ? nullptr : &it->second;
}

const ct_order* ct_venue::find(const std::string& order_id) const {
    const auto it = by_id_.find(order_id);
    return it == by_id_.end() ? nullptr : &orders_[it->second];
}

std::string ct_venue::error_body(std::string_view message) {
    return "{\"message\":" + json_quote(message) + "}";
}

std::string ct_venue::order_json(const ct_order& o) {
    std::string fills;
    i128 paid = 0;
    for (const ct_fill& f : o.fills) {
        if (!fills.empty()) fills += ',';
        fills += fmt::format(R"({{"qty":{},"price":{},"time":"{}"}})", e9_string(f.qty_e9),
                             e9_string(f.price_e9), iso_utc(f.time_ns));
        paid += static_cast<i128>(f.qty_e9) * f.price_e9;
    }
    const std::string avg =
        o.filled_qty_e9 > 0 ? e9_string(div_round_half_up(paid, o.filled_qty_e9)) : "null";
    return fmt::format(
        R"({{"order_id":{},"cl_order_id":{},"account_id":{},"broker":{},"symbol":{},"side":"{}","order_type":"{}","order_tif":"{}","instrument":{},"order_qty":{},"order_notional":{},"order_limit_price":{},"stop_price":{},"status":"{}","filled_qty":{},"avg_fill_price":{},"fills":[{}],"broker_message":{},"created_at":"{}"}})",
        json_quote(o.order_id), json_quote(o.cl_order_id), json_quote(o.account_id),
        json_quote(o.broker), json_quote(o.symbol), o.side, o.order_type, o.order_tif,
        json_quote(o.instrument), opt_e9(o.qty_e9), opt_e9(o.notional_e9),
        opt_e9(o.limit_price_e9), opt_e9(o.stop_price_e9), o.status, e9_string(o.filled_qty_e9),
        avg, fills, o.broker_message.empty() ? "null" : json_quote(o.broker_message),
        iso_utc(o.created_ns));
}

const ct_user* ct_venue::authenticate(const ct_credentials& c) const {
    if (c.client_id.empty() || c.client_id != cfg_.client_id ||
        c.client_secret != cfg_.client_secret)
        return nullptr;
    for (const ct_user& u : cfg_.users)
        if (!c.user_id.empty() && u.id == c.user_id && u.secret == c.user_secret) return &u;
    return nullptr;
}

bool ct_venue::claim(const ct_user& user, const std::string& cl_order_id, int64_t now) {
    return claimed_.insert(fmt::format("{}\n{}\n{}", user.id, now / day_ns, cl_order_id)).second;
}

ct_reply ct_venue::handle(std::string_view method, std::string_view path, std::string_view query,
                          const ct_credentials& cred, std::string_view body, int64_t now) {
    const ct_user* user = authenticate(cred);
    if (!user) return error(401, "invalid or missing credentials");
    std::vector<std::string> seg;
    if (!split_path_segments(path, seg)) return error(400, "bad percent-escape in the path");
    if (seg.size() == 1 && seg[0] == "orders") {
        if (method == "GET") return list(*user, query);
        if (method != "POST") return error(405, "method not allowed");
        if (!query.empty()) return error(400, "unexpected query");
        return place(*user, body, now);
    }
    if (seg.size() != 4 || seg[0] != "accounts" || seg[2] != "orders")
        return error(404, "not found");
    if (method != "PATCH" && method != "DELETE") return error(405, "method not allowed");
    if (!query.empty()) return error(400, "unexpected query");
    const auto& accts = user->accounts;
    if (std::find(accts.begin(), accts.end(), seg[1]) == accts.end())
        return error(404, "account not found");
    return method == "PATCH" ? modify(*user, seg[1], seg[3], body, now)
                             : cancel(*user, seg[1], seg[3]);
}

ct_reply ct_venue::place(const ct_user& user, std::string_view body, int64_t now) {
    std::map<std::string, std::string> f;
    ct_reply bad;
    if (!read_fields(body, place_keys, f, bad)) return bad;
    for (std::string_view k : place_required) {
        const auto it = f.find(std::string(k));
        if (it == f.end() || it->second.empty())
            return error(400, fmt::format("missing field: {}", k));
    }
    const auto& accts = user.accounts;
    if (std::find(accts.begin(), accts.end(), f["account_id"]) == accts.end())
        return error(404, "account not found");
    ct_order o;
    o.account_id = f["account_id"];
    o.cl_order_id = f["cl_order_id"];
    o.broker = f["broker"];
    o.side = f["side"];
    o.order_type = f["order_type"];
    o.order_tif = f["order_tif"];
    o.instrument = f["instrument"];
    o.symbol = f["symbol"];
    if (o.side != "buy" && o.side != "sell") return error(400, "invalid side: buy or sell");
    if (!one_of(o.order_type, order_types)) return error(400, "invalid order_type");
    if (!one_of(o.order_tif, tifs)) return error(400, "invalid order_tif");
    if (o.instrument == "MLEG_OPT")
        return error(400, "MLEG_OPT needs legs, which this venue does not take");
    if (!one_of(o.instrument, instruments)) return error(400, "invalid instrument");
    if (!read_amount(f, "order_qty", o.qty_e9, bad) ||
        !read_amount(f, "order_notional", o.notional_e9, bad) ||
        !read_amount(f, "order_limit_price", o.limit_price_e9, bad) ||
        !read_amount(f, "stop_price", o.stop_price_e9, bad))
        return bad;
    if ((o.qty_e9 != 0) == (o.notional_e9 != 0))
        return error(400, "exactly one of order_qty and order_notional");
    if (!check_prices(o.order_type, o.limit_price_e9, o.stop_price_e9, bad)) return bad;
    if (!claim(user, o.cl_order_id, now))
        return error(409, fmt::format("cl_order_id {} already used today", o.cl_order_id));
    o.user_id = user.id;
    o.seq = next_seq_++;
    o.order_id = fmt::format("ord_{:06}", o.seq);
    o.created_ns = now;
    if (!quotes_.count(o.symbol)) {
        o.status = "rejected";
        o.broker_message = "unknown symbol " + o.symbol;
    } else {
        execute(o, now);
    }
    by_id_[o.order_id] = orders_.size();
    orders_.push_back(o);
    return {200, order_json(o), o.account_id, o.cl_order_id, o.order_id, true};
}

void ct_venue::execute(ct_order& o, int64_t now) {
    if (o.order_tif == "OPEN" || o.order_tif == "CLOSE") {
        o.status = "pending"; // waits for the auction, which the simulator never holds
        return;
    }
    ct_quote& q = quotes_[o.symbol];
    const bool buy = o.side == "buy";
    const int64_t price = buy ? q.ask_e9 : q.bid_e9;
    int64_t& size = buy ? q.ask_size_e9 : q.bid_size_e9;
    std::string type = o.order_type;
    if (type == "STP" || type == "STPLMT") {
        // A buy stop triggers once the market trades up to it, a sell stop
        // down; once triggered it stays a market (limit) order.
        o.triggered = o.triggered ||
                      (price > 0 && (buy ? price >= o.stop_price_e9 : price <= o.stop_price_e9));
        if (!o.triggered) {
            o.status = "working";
            return;
        }
        type = type == "STP" ? "MKT" : "LMT";
    }
    const bool marketable = price > 0 && size > 0 &&
                            (type == "MKT" ||
                             (buy ? price <= o.limit_price_e9 : price >= o.limit_price_e9));
    int64_t take = 0;
    bool complete = false;
    if (marketable) {
        int64_t want;
        if (o.qty_e9) {
            want = o.qty_e9 - o.filled_qty_e9;
        } else {
            // Notional orders buy fractional quantities, cut to 1e-9, with
            // what is left of the notional after earlier fills.
            i128 paid = 0;
            for (const ct_fill& f : o.fills)
                paid += static_cast<i128>(f.qty_e9) * f.price_e9;
            const int64_t left = o.notional_e9 - div_round_half_up(paid, one_e9);
            want = left > 0 ? static_cast<int64_t>(static_cast<i128>(left) * one_e9 / price) : 0;
        }
        take = std::min(want, size);
        complete = want <= size;
    }
    if (o.order_tif == "FOK" && !complete) {
        o.status = "cancelled";
        o.broker_message = "FOK: not enough liquidity to fill it whole";
        return;
    }
    if (take > 0) {
        o.fills.push_back({take, price, now});
        o.filled_qty_e9 += take;
        size -= take;
    }
    if (complete && take > 0) {
        o.status = "filled";
    } else if (o.order_tif == "IOC") {
        o.status = "cancelled";
        o.broker_message = "IOC: unfilled remainder cancelled";
    } else {
        o.status = o.filled_qty_e9 > 0 ? "partially_filled" : "working";
    }
}

void ct_venue::move_market(const std::string& symbol, const ct_quote& q, int64_t now) {
    quotes_[symbol] = q;
    // Resting orders meet the new quote in the order they arrived.
    for (ct_order& o : orders_)
        if (o.symbol == symbol && (o.status == "working" || o.status == "partially_filled"))
            execute(o, now);
}

ct_reply ct_venue::modify(const ct_user& user, const std::string& account,
                          const std::string& order_id, std::string_view body, int64_t now) {
    const auto it = by_id_.find(order_id);
    if (it == by_id_.end() || orders_[it->second].account_id != account)
        return error(404, "order not found");
    std::map<std::string, std::string> f;
    ct_reply bad;
    if (!read_fields(body, modify_keys, f, bad)) return bad;
    for (const char* k : {"new_cl_order_id", "broker"})
        if (f[k].empty()) return error(400, fmt::format("missing field: {}", k));
    ct_order next = orders_[it->second]; // a copy: claim may reallocate nothing, but push_back does
    if (next.status != "working" && next.status != "partially_filled")
        return error(400, "order not open");
    if (f["broker"] != next.broker) return error(400, "broker does not match the order's");
    int64_t qty, notional, limit, stop;
    if (!read_amount(f, "order_qty", qty, bad) || !read_amount(f, "order_notional", notional, bad) ||
        !read_amount(f, "order_limit_price", limit, bad) || !read_amount(f, "stop_price", stop, bad))
        return bad;
    if (qty && notional) return error(400, "at most one of order_qty and order_notional");
    const bool takes_limit = next.order_type == "LMT" || next.order_type == "STPLMT";
    const bool takes_stop = next.order_type == "STP" || next.order_type == "STPLMT";
    if (limit && !takes_limit)
        return error(400, fmt::format("order_limit_price is not allowed for {}", next.order_type));
    if (stop && !takes_stop)
        return error(400, fmt::format("stop_price is not allowed for {}", next.order_type));
    if (!claim(user, f["new_cl_order_id"], now))
        return error(409, fmt::format("cl_order_id {} already used today", f["new_cl_order_id"]));
    // Ours: the new order is what is left to do; the old keeps its fills.
    const ct_order& old = orders_[it->second];
    i128 paid = 0;
    for (const ct_fill& fl : old.fills)
        paid += static_cast<i128>(fl.qty_e9) * fl.price_e9;
    if (qty) {
        next.qty_e9 = qty, next.notional_e9 = 0;
    } else if (notional) {
        next.notional_e9 = notional, next.qty_e9 = 0;
    } else if (old.qty_e9) {
        next.qty_e9 = old.qty_e9 - old.filled_qty_e9;
    } else {
        next.notional_e9 = old.notional_e9 - div_round_half_up(paid, one_e9);
    }
    if (limit) next.limit_price_e9 = limit;
    if (stop) next.stop_price_e9 = stop;
    next.cl_order_id = f["new_cl_order_id"];
    next.seq = next_seq_++;
    next.order_id = fmt::format("ord_{:06}", next.seq);
    next.created_ns = now;
    next.filled_qty_e9 = 0;
    next.fills.clear();
    next.broker_message.clear();
    orders_[it->second].status = "replaced";
    orders_[it->second].broker_message = "replaced by " + next.order_id;
    execute(next, now);
    by_id_[next.order_id] = orders_.size();
    orders_.push_back(next);
    return {200, order_json(next), next.account_id, next.cl_order_id, next.order_id, true};
}

ct_reply ct_venue::cancel(const ct_user&, const std::string& account, const std::string& order_id) {
    const auto it = by_id_.find(order_id);
    if (it == by_id_.end() || orders_[it->second].account_id != account)
        return error(404, "order not found");
    ct_order& o = orders_[it->second];
    if (!is_open_status(o.status)) return error(400, "order not open");
    o.status = "cancelled";
    o.broker_message = "cancelled by request";
    return {200, order_json(o), o.account_id, o.cl_order_id, o.order_id, true};
}

ct_reply ct_venue::list(const ct_user& user, std::string_view query) {
    list_query q;
    if (ct_reply bad = read_list_query(query, q); bad.status != 200) return bad;
    const std::string &status = q.status, &side = q.side, &account = q.account;
    const std::string &next_cursor = q.next_cursor, &prev_cursor = q.prev_cursor;
    const std::vector<std::string>& symbols = q.symbols;
    const int64_t start = q.start, end = q.end;
    const unsigned limit = q.limit;
    if (!next_cursor.empty() && !prev_cursor.empty())
        return error(400, "next_cursor and prev_cursor exclude each other");
    uint64_t after = 0, before = UINT64_MAX;
    if (!next_cursor.empty() && !read_cursor(next_cursor, 'n', after))
        return error(400, "invalid next_cursor");
    if (!prev_cursor.empty() && !read_cursor(prev_cursor, 'p', before))
        return error(400, "invalid prev_cursor");
    std::vector<const ct_order*> rows;
    for (const ct_order& o : orders_) {
        if (o.user_id != user.id || (!account.empty() && o.account_id != account)) continue;
        if (!list_match(o, status) || (!side.empty() && o.side != side)) continue;
        if (!symbols.empty() && std::find(symbols.begin(), symbols.end(), o.symbol) == symbols.end())
            continue;
        if (o.created_ns < start || o.created_ns > end) continue;
        rows.push_back(&o);
    }
    // A page after `after`, or the page just before `before`.
    auto first = std::find_if(rows.begin(), rows.end(), [&](const ct_order* o) { return o->seq > after; });
    auto last = std::find_if(rows.begin(), rows.end(), [&](const ct_order* o) { return o->seq >= before; });
    if (prev_cursor.empty()) {
        last = first + std::min<ptrdiff_t>(limit, rows.end() - first);
    } else {
        first = last - std::min<ptrdiff_t>(limit, last - rows.begin());
    }
    std::string items;
    for (auto i = first; i != last; ++i) {
        if (!items.empty()) items += ',';
        items += order_json(**i);
    }
    const std::string next =
        last != rows.end() && first != last ? json_quote(make_cursor('n', (*(last - 1))->seq)) : "null";
    const std::string prev =
        first != rows.begin() && first != last ? json_quote(make_cursor('p', (*first)->seq)) : "null";
    ct_reply r;
    r.body = fmt::format(R"({{"orders":[{}],"next_cursor":{},"prev_cursor":{}}})", items, next, prev);
    return r;
}

} // namespace ef::sim
