// edgebench's order codec comparison (see order_codec_bench.hpp). Writers:
// write_om_buy_body / write_ct_new_body (literal pieces memcpy'd, exact e9
// digits) against fmt::format_to and snprintf building the same text, the
// latter two from doubles as generic code would (the bodies are checked
// identical first; our writers never touch a float). Parsers:
// parse_om_buy_response / parse_ct_order against simdjson On-Demand reading
// the same fields, numbers converted on both sides by parse_decimal_e9 on
// the raw token, so the difference is the JSON work alone. Runs interleave and
// medians of thread CPU time are compared (the machine is shared and noisy).
#include "tools/edgebench/order_codec_bench.hpp"
#include "tools/edgebench/cpu_timing.hpp"

#include "json/ct_order.hpp"
#include "json/decimal.hpp"
#include "json/om_order_response.hpp"
#include "json/timestamp.hpp"
#include "orders/ct_request.hpp"
#include "orders/om_request.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

namespace ef::bench {

namespace {

template <size_t N>
void set(char (&field)[N], std::string_view s) {
    std::memset(field, 0, N);
    std::memcpy(field, s.data(), std::min(s.size(), N - 1));
}

double as_double(int64_t e9) { return static_cast<double>(e9) / 1e9; }

// ------------------------------------------------------------- writers

ef_order_request om_request() {
    ef_order_request r{};
    r.kind = EF_ORDER_OM_BUY;
    set(r.account, "user-123");
    const std::string_view hash = "c_8f2a41:m_moneyline:home:v0:p_lakers:full_game";
    std::memcpy(r.position_hash, hash.data(), hash.size());
    r.position_hash_len = static_cast<uint32_t>(hash.size());
    r.amount_e9 = 50'000'000'000;
    r.max_price_e9 = 420'000'000;
    set(r.partner_id, "kalshi");
    return r;
}

ef_order_request ct_request() {
    ef_order_request r{};
    r.kind = EF_ORDER_CT_NEW;
    set(r.account, "acc_7f3e2d1c");
    set(r.broker, "ALPACA");
    set(r.instrument, "EQUITY");
    set(r.symbol, "AAPL");
    r.side = EF_SIDE_BUY;
    r.order_type = EF_TYPE_LMT;
    r.tif = EF_TIF_DAY;
    r.qty_e9 = 10'000'000'000;
    r.limit_price_e9 = 190'010'000'000;
    return r;
}

size_t om_fmt(char* buf, size_t cap, const ef_order_request& r) {
    const auto res = fmt::format_to_n(
        buf, cap,
        R"({{"orders":[{{"position_hash":"{}","amount":{},"max_price":{},"partner_id":"{}"}}]}})",
        std::string_view(r.position_hash, r.position_hash_len), as_double(r.amount_e9),
        as_double(r.max_price_e9), std::string_view(r.partner_id));
    return res.size <= cap ? res.size : 0;
}

size_t om_snprintf(char* buf, size_t cap, const ef_order_request& r) {
    const int n = std::snprintf(
        buf, cap,
        R"({"orders":[{"position_hash":"%.*s","amount":%.15g,"max_price":%.15g,"partner_id":"%s"}]})",
        static_cast<int>(r.position_hash_len), r.position_hash, as_double(r.amount_e9),
        as_double(r.max_price_e9), r.partner_id);
    return n > 0 && static_cast<size_t>(n) < cap ? static_cast<size_t>(n) : 0;
}

size_t ct_fmt(char* buf, size_t cap, const ef_order_request& r, std::string_view cl) {
    const auto res = fmt::format_to_n(
        buf, cap,
        R"({{"account_id":"{}","cl_order_id":"{}","broker":"{}","side":"{}","order_type":"{}","order_tif":"{}","instrument":"{}","symbol":"{}","order_qty":"{}","order_limit_price":"{}"}})",
        std::string_view(r.account), cl, std::string_view(r.broker), "buy", "LMT", "DAY",
        std::string_view(r.instrument), std::string_view(r.symbol), as_double(r.qty_e9),
        as_double(r.limit_price_e9));
    return res.size <= cap ? res.size : 0;
}

size_t ct_snprintf(char* buf, size_t cap, const ef_order_request& r, const char* cl) {
    const int n = std::snprintf(
        buf, cap,
        R"({"account_id":"%s","cl_order_id":"%s","broker":"%s","side":"%s","order_type":"%s","order_tif":"%s","instrument":"%s","symbol":"%s","order_qty":"%.15g","order_limit_price":"%.15g"})",
        r.account, cl, r.broker, "buy", "LMT", "DAY", r.instrument, r.symbol,
        as_double(r.qty_e9), as_double(r.limit_price_e9));
    return n > 0 && static_cast<size_t>(n) < cap ? static_cast<size_t>(n) : 0;
}

// -------------------------------------------------------------- parsers

// The fields both parsers extract, compared before timing.
struct om_fields {
    std::string position_hash, partner_id, status, sor, reason;
    int64_t shares = 0, notional = 0, avg = 0;
    uint32_t legs = 0;
    bool operator==(const om_fields&) const = default;
};

struct ct_fields {
    std::string order_id, cl_order_id, status, broker_message;
    int64_t filled = 0, avg = 0, qty = 0, limit = 0;
    std::vector<ef_order_fill> fills;
    bool operator==(const ct_fields& o) const {
        if (fills.size() != o.fills.size()) return false;
        for (size_t i = 0; i < fills.size(); ++i)
            if (fills[i].qty_e9 != o.fills[i].qty_e9 || fills[i].price_e9 != o.fills[i].price_e9 ||
                fills[i].time_unix_ns != o.fills[i].time_unix_ns)
                return false;
        return order_id == o.order_id && cl_order_id == o.cl_order_id && status == o.status &&
               broker_message == o.broker_message && filled == o.filled && avg == o.avg &&
               qty == o.qty && limit == o.limit;
    }
};

using namespace simdjson;

// A number or a string holding one, exact, via the same converter ours uses.
bool simd_amount(ondemand::value v, int64_t& out) {
    ondemand::json_type t;
    if (v.type().get(t)) return false;
    if (t == ondemand::json_type::null) {
        out = 0;
        return true;
    }
    std::string_view text;
    if (t == ondemand::json_type::string) {
        if (v.get_string().get(text)) return false;
    } else {
        text = v.raw_json_token();
        while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
    }
    return json::parse_decimal_e9(text, out) == json::decimal_status::ok;
}

bool simd_text(ondemand::value v, std::string_view& out) {
    if (v.is_null()) {
        out = {};
        return true;
    }
    return !v.get_string().get(out);
}

bool simd_om(ondemand::parser& parser, const padded_string& body, om_fields* keep) {
    ondemand::document doc;
    ondemand::array orders;
    if (parser.iterate(body).get(doc) || doc["data"]["orders"].get_array().get(orders))
        return false;
    uint32_t legs = 0;
    std::string_view ph, pid, st, sor, reason;
    int64_t shares = 0, notional = 0, avg = 0;
    for (auto element : orders) {
        if (legs++ != 0) continue;
        ondemand::object leg;
        if (element.get_object().get(leg)) return false;
        for (auto field : leg) {
            std::string_view key;
            ondemand::value v;
            if (field.unescaped_key().get(key) || field.value().get(v)) return false;
            bool ok = true;
            if (key == "position_hash") ok = simd_text(v, ph);
            else if (key == "partner_id") ok = simd_text(v, pid);
            else if (key == "status") ok = simd_text(v, st);
            else if (key == "sor_decision_id") ok = simd_text(v, sor);
            else if (key == "reason") ok = simd_text(v, reason);
            else if (key == "filled_shares") ok = simd_amount(v, shares);
            else if (key == "filled_notional") ok = simd_amount(v, notional);
            else if (key == "avg_price") ok = simd_amount(v, avg);
            if (!ok) return false;
        }
    }
    if (keep)
        *keep = {std::string(ph), std::string(pid), std::string(st), std::string(sor),
                 std::string(reason), shares, notional, avg, legs};
    return legs != 0;
}

bool ours_om(std::string_view body, json::om_buy_leg& leg, om_fields* keep) {
    if (json::parse_om_buy_response(body, leg) != json::json_status::ok) return false;
    if (keep)
        *keep = {std::string(leg.position_hash), std::string(leg.partner_id),
                 std::string(leg.status_text),   std::string(leg.sor_decision_id),
                 std::string(leg.reason),        leg.filled_shares_e9,
                 leg.filled_notional_e9,         leg.avg_price_e9,
                 leg.legs};
    return true;
}

bool simd_ct(ondemand::parser& parser, const padded_string& body, ct_fields* keep) {
    ondemand::document doc;
    ondemand::object obj;
    if (parser.iterate(body).get(doc) || doc.get_object().get(obj)) return false;
    std::string_view oid, cl, st, msg;
    int64_t filled = 0, avg = 0, qty = 0, limit = 0;
    ef_order_fill fills[EF_ORDER_FILLS_MAX];
    size_t nf = 0;
    for (auto field : obj) {
        std::string_view key;
        ondemand::value v;
        if (field.unescaped_key().get(key) || field.value().get(v)) return false;
        bool ok = true;
        if (key == "order_id") ok = simd_text(v, oid);
        else if (key == "cl_order_id") ok = simd_text(v, cl);
        else if (key == "status") ok = simd_text(v, st);
        else if (key == "broker_message") ok = simd_text(v, msg);
        else if (key == "filled_qty") ok = simd_amount(v, filled);
        else if (key == "avg_fill_price") ok = simd_amount(v, avg);
        else if (key == "order_qty") ok = simd_amount(v, qty);
        else if (key == "order_limit_price") ok = simd_amount(v, limit);
        else if (key == "fills") {
            ondemand::array arr;
            if (v.get_array().get(arr)) return false;
            for (auto e : arr) {
                ondemand::object f;
                if (e.get_object().get(f)) return false;
                ef_order_fill x{};
                for (auto ff : f) {
                    std::string_view k;
                    ondemand::value fv;
                    if (ff.unescaped_key().get(k) || ff.value().get(fv)) return false;
                    if (k == "qty") ok = simd_amount(fv, x.qty_e9);
                    else if (k == "price") ok = simd_amount(fv, x.price_e9);
                    else if (k == "time") {
                        std::string_view t;
                        ok = !fv.get_string().get(t) &&
                             json::parse_timestamp_ns(t, x.time_unix_ns) == json::timestamp_status::ok;
                    }
                    if (!ok) return false;
                }
                if (nf < EF_ORDER_FILLS_MAX) fills[nf++] = x;
            }
        }
        if (!ok) return false;
    }
    if (keep)
        *keep = {std::string(oid), std::string(cl), std::string(st), std::string(msg), filled,
                 avg, qty, limit, std::vector<ef_order_fill>(fills, fills + nf)};
    return true;
}

bool ours_ct(std::string_view body, json::ct_order& o, ct_fields* keep) {
    if (json::parse_ct_order(body, o) != json::json_status::ok) return false;
    if (keep)
        *keep = {std::string(o.order_id), std::string(o.cl_order_id), std::string(o.status_text),
                 std::string(o.broker_message), o.filled_qty_e9, o.avg_fill_price_e9,
                 o.order_qty_e9, o.limit_price_e9,
                 std::vector<ef_order_fill>(o.fills, o.fills + o.fills_count)};
    return true;
}

const char om_answer[] =
    R"({"data":{"orders":[{"position_hash":"c_8f2a41:m_moneyline:home:v0:p_lakers:full_game","partner_id":"kalshi","status":"partially_filled","filled_shares":119.047619,"filled_notional":49.99999998,"avg_price":0.42,"sor_decision_id":"sor_01JD8X2K7Q4M9N3P5R6T8V0W2Y","reason":"only 119.047619 shares at or below max_price"}]},"meta":{"timestamp":"2026-11-22T04:00:00.123Z","api_version":"v1"}})";

const char ct_answer[] =
    R"({"order_id":"ord_01JD8X3A5B7C9D1E3F5G7H9J1K","cl_order_id":"ef20261122-17","account_id":"acc_7f3e2d1c","broker":"ALPACA","symbol":"AAPL","side":"buy","order_type":"LMT","order_tif":"DAY","instrument":"EQUITY","order_qty":"10","order_notional":null,"order_limit_price":"190.01","stop_price":null,"status":"partially_filled","filled_qty":"4","avg_fill_price":"190.005","fills":[{"qty":"3","price":"190.00","time":"2026-11-22T04:00:00.123456Z"},{"qty":"1","price":"190.02","time":"2026-11-22T04:00:00.234567Z"}],"broker_message":null,"created_at":"2026-11-22T04:00:00.100000Z"})";

} // namespace

int run_order_codec_bench(FILE* out, unsigned seconds_budget) {
    const double budget_ns = std::max(1u, seconds_budget) * 1e9 / 4;
    int disagreements = 0;
    uint64_t keep = 0;
    char a[1024], b[1024], c[1024];
    std::fprintf(out, "orders: median of interleaved runs, thread CPU time; ratio = theirs / ours\n");
    std::fprintf(out, "%-34s %6s %9s %9s %9s %7s %7s\n", "row", "bytes", "ours ns", "fmt ns",
                 "snpf ns", "fmt x", "snpf x");

    // Writers: the three bodies must be byte-identical before anything is timed.
    const ef_order_request om = om_request();
    const ef_order_request ct = ct_request();
    const char* cl = "ef20261122-17";
    struct writer_row {
        const char* name;
        std::function<size_t(char*)> ours, with_fmt, with_snprintf;
    };
    const writer_row writers[] = {
        {"write_om_buy_body",
         [&](char* o) { return orders::write_om_buy_body({o, 1024}, om); },
         [&](char* o) { return om_fmt(o, 1024, om); },
         [&](char* o) { return om_snprintf(o, 1024, om); }},
        {"write_ct_new_body (LMT)",
         [&](char* o) { return orders::write_ct_new_body({o, 1024}, ct, cl); },
         [&](char* o) { return ct_fmt(o, 1024, ct, cl); },
         [&](char* o) { return ct_snprintf(o, 1024, ct, cl); }},
    };
    for (const writer_row& w : writers) {
        const size_t na = w.ours(a), nb = w.with_fmt(b), nc = w.with_snprintf(c);
        if (na == 0 || std::string_view(a, na) != std::string_view(b, nb) ||
            std::string_view(a, na) != std::string_view(c, nc)) {
            std::fprintf(out, "orders: MISMATCH in %s\n  ours:     %.*s\n  fmt:      %.*s\n  snprintf: %.*s\n",
                         w.name, static_cast<int>(na), a, static_cast<int>(nb), b,
                         static_cast<int>(nc), c);
            ++disagreements;
            continue;
        }
        const std::vector<double> m = compare_interleaved({[&] { keep += w.ours(a); },
                                               [&] { keep += w.with_fmt(b); },
                                               [&] { keep += w.with_snprintf(c); }},
                                              budget_ns);
        std::fprintf(out, "%-34s %6zu %9.1f %9.1f %9.1f %6.2fx %6.2fx\n", w.name, na, m[0], m[1],
                     m[2], m[1] / m[0], m[2] / m[0]);
    }

    // Parsers: the same fields from the same bodies before anything is timed.
    std::fprintf(out, "%-34s %6s %9s %9s %9s %7s\n", "row", "bytes", "ours ns", "simd ns", "",
                 "simd x");
    ondemand::parser parser;
    const padded_string om_padded(std::string_view{om_answer});
    const padded_string ct_padded(std::string_view{ct_answer});
    json::om_buy_leg leg;
    json::ct_order order;
    {
        om_fields x, y;
        if (!ours_om(om_answer, leg, &x) || !simd_om(parser, om_padded, &y) || !(x == y)) {
            std::fprintf(out, "orders: MISMATCH in parse_om_buy_response\n");
            ++disagreements;
        } else {
            const std::vector<double> m =
                compare_interleaved({[&] { keep += ours_om(om_answer, leg, nullptr) + leg.legs; },
                         [&] { keep += simd_om(parser, om_padded, nullptr); }},
                        budget_ns);
            std::fprintf(out, "%-34s %6zu %9.1f %9.1f %9s %6.2fx\n", "parse_om_buy_response",
                         sizeof om_answer - 1, m[0], m[1], "", m[1] / m[0]);
        }
    }
    {
        ct_fields x, y;
        if (!ours_ct(ct_answer, order, &x) || !simd_ct(parser, ct_padded, &y) || !(x == y)) {
            std::fprintf(out, "orders: MISMATCH in parse_ct_order\n");
            ++disagreements;
        } else {
            const std::vector<double> m =
                compare_interleaved({[&] { keep += ours_ct(ct_answer, order, nullptr) + order.fills_count; },
                         [&] { keep += simd_ct(parser, ct_padded, nullptr); }},
                        budget_ns);
            std::fprintf(out, "%-34s %6zu %9.1f %9.1f %9s %6.2fx\n", "parse_ct_order",
                         sizeof ct_answer - 1, m[0], m[1], "", m[1] / m[0]);
        }
    }
    std::fprintf(out,
                 "(fmt / snprintf format doubles, as generic code would; the bodies were checked "
                 "identical. Our parsers validate every byte, simdjson On-Demand (%s kernel) only "
                 "what it visits. checksum %llu)\n",
                 SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION),
                 static_cast<unsigned long long>(keep & 0xff));
    return disagreements;
}

} // namespace ef::bench
