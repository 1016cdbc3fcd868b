// edgeorder's command line and output lines (see args.hpp). Pure: CLI11
// parses into strings, this file checks them and builds the request through
// the C ABI's builders, exactly as a strategy would.
#include "edgeorder/args.hpp"

#include "json/decimal.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace ef::edgeorder {

namespace {

// Raw option texts; "" means "not given".
struct texts {
    std::string account, position, amount, shares, max_price, partner;
    bool paper = false;
    std::string broker, side, type, tif, instrument, symbol, qty, notional, limit, stop, order_id;
};

struct checker {
    std::string error;
    bool lenient = false; // --no-local-checks: combinations left to the daemon

    // Exact decimal > 0 into out; "" leaves out 0.
    void decimal(const std::string& text, const char* flag, int64_t& out) {
        out = 0;
        if (text.empty() || !error.empty()) return;
        int64_t v = 0;
        const json::decimal_status s = json::parse_decimal_e9(text, v);
        if (s != json::decimal_status::ok)
            error = std::string(flag) + " " + text + ": not an exact decimal (" +
                    json::to_string(s) + "; at most 9 fractional digits)";
        else if (v <= 0)
            error = std::string(flag) + " " + text + ": must be greater than 0";
        else
            out = v;
    }
    void one_of(const std::string& a, const char* fa, const std::string& b, const char* fb) {
        if (!error.empty() || lenient) return;
        if (a.empty() == b.empty()) error = std::string("give exactly one of ") + fa + " and " + fb;
    }
    void when(bool needed, const std::string& text, const char* flag, const char* why) {
        if (!error.empty() || lenient) return;
        if (needed && text.empty()) error = std::string(flag) + " is required " + why;
        if (!needed && !text.empty()) error = std::string(flag) + " is not allowed " + why;
    }
    template <typename Parse>
    uint32_t word(const std::string& text, const char* flag, Parse parse, const char* allowed) {
        if (!error.empty()) return 0;
        const uint32_t v = parse(text.c_str());
        if (v == 0) error = std::string(flag) + " " + text + ": want one of " + allowed;
        return v;
    }
    void built(int rc, const char* what) {
        if (error.empty() && rc != EF_OK)
            error = std::string(what) + ": a text is too long for its field (account <= 63, broker "
                                        "<= 31, symbol <= 31, instrument <= 15, order id <= 63, "
                                        "partner <= 31, position hash <= 124 bytes)";
    }
};

bool build(const std::string& command, const texts& t, options& o, std::string& error) {
    checker c;
    c.lenient = !o.local_checks;
    ef_order_request& r = o.request;
    if (command == "om-buy") {
        int64_t amount = 0, shares = 0, max_price = 0;
        c.one_of(t.amount, "--amount", t.shares, "--shares");
        c.decimal(t.amount, "--amount", amount);
        c.decimal(t.shares, "--shares", shares);
        c.decimal(t.max_price, "--max-price", max_price);
        if (c.error.empty())
            c.built(ef_order_init_om_buy(
                        &r, 0, t.account.c_str(), t.position.c_str(), amount, shares, max_price,
                        t.partner.empty() ? nullptr : t.partner.c_str(), t.paper ? 1 : 0),
                    "om-buy");
    } else if (command == "ct-new") {
        const uint32_t side = c.word(t.side, "--side", ef_ct_side_parse, "buy, sell");
        const uint32_t type =
            c.word(t.type, "--type", ef_ct_order_type_parse, "MKT, LMT, STP, STPLMT");
        const uint32_t tif =
            c.word(t.tif, "--tif", ef_ct_tif_parse, "DAY, GTC, IOC, FOK, OPEN, CLOSE, DAY+, GTC+");
        const bool limit_type = type == EF_TYPE_LMT || type == EF_TYPE_STPLMT;
        const bool stop_type = type == EF_TYPE_STP || type == EF_TYPE_STPLMT;
        c.when(limit_type, t.limit, "--limit", "with --type LMT and STPLMT only");
        c.when(stop_type, t.stop, "--stop", "with --type STP and STPLMT only");
        c.one_of(t.qty, "--qty", t.notional, "--notional");
        int64_t qty = 0, notional = 0, limit = 0, stop = 0;
        c.decimal(t.qty, "--qty", qty);
        c.decimal(t.notional, "--notional", notional);
        c.decimal(t.limit, "--limit", limit);
        c.decimal(t.stop, "--stop", stop);
        if (c.error.empty())
            c.built(ef_order_init_ct_new(&r, 0, t.account.c_str(), t.broker.c_str(), side, type,
                                         tif, t.instrument.c_str(), t.symbol.c_str(), qty, notional,
                                         limit, stop),
                    "ct-new");
    } else if (command == "ct-modify") {
        if (t.qty.empty() && t.notional.empty() && t.limit.empty() && t.stop.empty())
            c.error = "ct-modify: give at least one of --qty, --notional, --limit, --stop";
        int64_t qty = 0, notional = 0, limit = 0, stop = 0;
        c.decimal(t.qty, "--qty", qty);
        c.decimal(t.notional, "--notional", notional);
        c.decimal(t.limit, "--limit", limit);
        c.decimal(t.stop, "--stop", stop);
        if (c.error.empty())
            c.built(ef_order_init_ct_modify(&r, 0, t.account.c_str(), t.broker.c_str(),
                                            t.order_id.c_str(), qty, notional, limit, stop),
                    "ct-modify");
    } else {
        c.built(ef_order_init_ct_cancel(&r, 0, t.account.c_str(),
                                        t.broker.empty() ? nullptr : t.broker.c_str(),
                                        t.order_id.c_str()),
                "ct-cancel");
    }
    error = std::move(c.error);
    return error.empty();
}

void json_string(std::string& out, const char* s, size_t max) {
    out += '"';
    for (size_t i = 0; i < max && s[i]; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

std::string decimal_text(int64_t v) {
    std::array<char, json::decimal_e9_max_chars> buf{};
    const size_t n = json::format_decimal_e9(v, buf);
    return std::string(buf.data(), n);
}

std::string field(const char* s, size_t max) {
    const size_t n = ::strnlen(s, max);
    return n ? std::string(s, n) : std::string("-");
}

} // namespace

parse_result parse_args(const std::vector<std::string>& args) {
    parse_result res;
    options& o = res.opts;
    texts t;
    CLI::App app{"edgeorder: submit one order through an edgefeed daemon and print its outcome",
                 "edgeorder"};
    app.add_option("--instance", o.instance, "instance name (env EDGEFEED_INSTANCE, else default)");
    app.add_option("--strategy", o.strategy, "strategy slot to submit as")->required();
    app.add_flag("--json", o.json, "one JSON object per response line");
    bool no_local_checks = false;
    app.add_flag("--no-local-checks", no_local_checks,
                 "send field combinations as given (both --amount and --shares, --stop on MKT, ...): "
                 "the daemon refuses them itself; for testing its checks");
    app.add_option("--timeout-ms", o.timeout_ms, "wait this long for a final answer")
        ->capture_default_str()
        ->check(CLI::Range(int64_t{1}, int64_t{3'600'000}));
    app.require_subcommand(1);
    // --json, --timeout-ms and the rest may also follow the command.
    app.fallthrough();

    CLI::App* om = app.add_subcommand("om-buy", "OpenMarkets buy (POST /flow/v1/auth/orders/buy)");
    om->add_option("--account", t.account, "external_user_id")->required();
    om->add_option("--position", t.position, "position_hash")->required();
    om->add_option("--amount", t.amount, "USD stake (exactly one of --amount, --shares)");
    om->add_option("--shares", t.shares, "shares");
    om->add_option("--max-price", t.max_price, "highest price per share, 0 < P <= 1")->required();
    om->add_option("--partner", t.partner, "route to this partner_id");
    om->add_flag("--paper", t.paper, "practice order (mode paper)");

    CLI::App* cn = app.add_subcommand("ct-new", "Connect Trade new order (POST /orders)");
    cn->add_option("--account", t.account, "account_id")->required();
    cn->add_option("--broker", t.broker, "broker")->required();
    cn->add_option("--side", t.side, "buy|sell")->required();
    cn->add_option("--type", t.type, "MKT|LMT|STP|STPLMT")->required();
    cn->add_option("--tif", t.tif, "DAY|GTC|IOC|FOK|OPEN|CLOSE|DAY+|GTC+")->required();
    cn->add_option("--instrument", t.instrument, "e.g. EQUITY")->required();
    cn->add_option("--symbol", t.symbol, "symbol")->required();
    cn->add_option("--qty", t.qty, "quantity (exactly one of --qty, --notional)");
    cn->add_option("--notional", t.notional, "notional");
    cn->add_option("--limit", t.limit, "limit price (LMT, STPLMT)");
    cn->add_option("--stop", t.stop, "stop price (STP, STPLMT)");

    CLI::App* cm =
        app.add_subcommand("ct-modify", "Connect Trade modify (PATCH .../orders/{order_id})");
    cm->add_option("--account", t.account, "account_id")->required();
    cm->add_option("--broker", t.broker, "broker")->required();
    cm->add_option("--order-id", t.order_id, "the venue's order_id")->required();
    cm->add_option("--qty", t.qty, "new quantity");
    cm->add_option("--notional", t.notional, "new notional");
    cm->add_option("--limit", t.limit, "new limit price");
    cm->add_option("--stop", t.stop, "new stop price");

    CLI::App* cc =
        app.add_subcommand("ct-cancel", "Connect Trade cancel (DELETE .../orders/{order_id})");
    cc->add_option("--account", t.account, "account_id")->required();
    cc->add_option("--broker", t.broker, "broker (kept in the request; DELETE does not need it)");
    cc->add_option("--order-id", t.order_id, "the venue's order_id")->required();

    // CLI11 takes a vector in reverse order (it pops from the back).
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        std::ostringstream out, err;
        const int rc = app.exit(e, out, err);
        res.what = rc == 0 ? parse_result::status::help : parse_result::status::usage_error;
        res.message = rc == 0 ? out.str() : err.str();
        if (res.message.empty()) res.message = e.what();
        return res;
    }
    for (CLI::App* sub : {om, cn, cm, cc})
        if (sub->parsed()) o.command = sub->get_name();
    o.local_checks = !no_local_checks;
    if (!build(o.command, t, o, res.message)) {
        res.message = o.command + ": " + res.message;
        return res;
    }
    res.what = parse_result::status::ok;
    return res;
}

int exit_code_for(uint32_t outcome) noexcept {
    switch (outcome) {
    case EF_OUTCOME_REJECTED:
        return 2;
    case EF_OUTCOME_UNKNOWN:
        return 3;
    default:
        return 0;
    }
}

std::string format_response(const ef_order_response& r, bool json) {
    const int64_t sent_ns = r.sent_mono_ns ? r.sent_mono_ns - r.submit_mono_ns : -1;
    const int64_t done_ns = r.done_mono_ns ? r.done_mono_ns - r.submit_mono_ns : -1;
    const bool rejected = r.reject_source != EF_REJECT_NONE;
    std::string s;
    if (!json) {
        s = ef_order_outcome_name(r.outcome);
        s += r.final_ ? "" : " (more to come)";
        s += " cl_order_id=" + field(r.cl_order_id, sizeof r.cl_order_id);
        s += " order_id=" + field(r.order_id, sizeof r.order_id);
        s += " status=" + field(r.venue_status, sizeof r.venue_status);
        s += " filled_qty=" + decimal_text(r.filled_qty_e9);
        s += " filled_notional=" + decimal_text(r.filled_notional_e9);
        s += " avg_price=" + decimal_text(r.avg_price_e9);
        if (rejected) {
            s += std::string(" reject=") + ef_reject_source_name(r.reject_source);
            if (r.reject_source == EF_REJECT_RISK)
                s += std::string(" limit=") + ef_risk_limit_name(r.reject_code);
            else if (r.reject_source == EF_REJECT_VENUE)
                s += " http=" + std::to_string(r.reject_code);
        }
        if (r.reason[0])
            s += " reason=\"" + std::string(r.reason, ::strnlen(r.reason, sizeof r.reason)) + "\"";
        char lat[64];
        if (sent_ns >= 0)
            std::snprintf(lat, sizeof lat, " submit_to_sent=%.1fus",
                          static_cast<double>(sent_ns) / 1e3);
        else
            std::snprintf(lat, sizeof lat, " submit_to_sent=-");
        s += lat;
        s += '\n';
        return s;
    }
    // request_id as a string: CLOCK_REALTIME nanoseconds pass 2^53, where
    // JSON readers with binary-float numbers lose digits.
    s = "{\"request_id\":\"" + std::to_string(r.request_id) + "\"";
    s += std::string(",\"kind\":\"") + ef_order_kind_name(r.kind) + "\"";
    s += std::string(",\"outcome\":\"") + ef_order_outcome_name(r.outcome) + "\"";
    s += r.final_ ? ",\"final\":true" : ",\"final\":false";
    s += ",\"cl_order_id\":";
    json_string(s, r.cl_order_id, sizeof r.cl_order_id);
    s += ",\"order_id\":";
    json_string(s, r.order_id, sizeof r.order_id);
    s += ",\"venue_status\":";
    json_string(s, r.venue_status, sizeof r.venue_status);
    s += ",\"sor_decision_id\":";
    json_string(s, r.sor_decision_id, sizeof r.sor_decision_id);
    s += ",\"partner_id\":";
    json_string(s, r.partner_id, sizeof r.partner_id);
    s += ",\"http_status\":" + std::to_string(r.http_status);
    s += ",\"filled_qty\":\"" + decimal_text(r.filled_qty_e9) + "\"";
    s += ",\"filled_notional\":\"" + decimal_text(r.filled_notional_e9) + "\"";
    s += ",\"avg_price\":\"" + decimal_text(r.avg_price_e9) + "\"";
    s += ",\"fills_total\":" + std::to_string(r.fills_total) + ",\"fills\":[";
    const uint32_t fills = std::min<uint32_t>(r.fills_count, EF_ORDER_FILLS_MAX);
    for (uint32_t i = 0; i < fills; ++i) {
        const ef_order_fill& f = r.fills[i];
        s += i ? "," : "";
        s += "{\"qty\":\"" + decimal_text(f.qty_e9) + "\",\"price\":\"" + decimal_text(f.price_e9) +
             "\",\"time_unix_ns\":" + std::to_string(f.time_unix_ns) + "}";
    }
    s += std::string("],\"reject_source\":\"") + ef_reject_source_name(r.reject_source) + "\"";
    s += ",\"reject_code\":" + std::to_string(r.reject_code);
    s += ",\"risk_limit\":";
    s += r.reject_source == EF_REJECT_RISK
             ? "\"" + std::string(ef_risk_limit_name(r.reject_code)) + "\""
             : std::string("null");
    s += ",\"reason\":";
    json_string(s, r.reason, sizeof r.reason);
    s += ",\"submit_to_sent_ns\":" + (sent_ns >= 0 ? std::to_string(sent_ns) : std::string("null"));
    s += ",\"submit_to_done_ns\":" + (done_ns >= 0 ? std::to_string(done_ns) : std::string("null"));
    s += "}\n";
    return s;
}

} // namespace ef::edgeorder
