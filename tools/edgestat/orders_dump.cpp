// See orders_dump.hpp. Orders are keyed by (strategy slot, request_id), the
// key every REQUEST, RESPONSE and REJECT carries; wire records and notes
// carry the cl_order_id, which the REQUEST record ties to the same order.
#include "edgestat/orders_dump.hpp"

#include "common/clock.hpp"
#include "edgestat/text.hpp"
#include "json/decimal.hpp"
#include "json/timestamp.hpp"
#include "orders/cl_order_id.hpp"
#include "orders/journal_reader.hpp"
#include "orders/journal_writer.hpp"
#include "orders/utc_day.hpp"

#include <cstring>
#include <fmt/format.h>
#include <map>
#include <vector>

namespace ef::stat {

namespace {

using orders::journal::field;
using orders::journal::record_type;

std::string iso(int64_t unix_ns) {
    char buf[json::timestamp_max_chars];
    return std::string(buf, json::format_timestamp_ns(unix_ns, buf));
}

// HH:MM:SS.mmm of a Unix time, for the table.
std::string clock_time(int64_t unix_ns) {
    const std::string t = iso(unix_ns);
    return t.size() >= 23 ? t.substr(11, 12) : t;
}

const char* kind_name(uint32_t k) {
    switch (k) {
    case EF_ORDER_OM_BUY: return "om_buy";
    case EF_ORDER_CT_NEW: return "ct_new";
    case EF_ORDER_CT_MODIFY: return "ct_modify";
    case EF_ORDER_CT_CANCEL: return "ct_cancel";
    }
    return "?";
}

const char* outcome_name(uint32_t o) {
    switch (o) {
    case EF_OUTCOME_ACCEPTED: return "accepted";
    case EF_OUTCOME_FILLED: return "filled";
    case EF_OUTCOME_PARTIAL: return "partial";
    case EF_OUTCOME_UNFILLED: return "unfilled";
    case EF_OUTCOME_REJECTED: return "rejected";
    case EF_OUTCOME_UNKNOWN: return "unknown";
    case EF_OUTCOME_RECONCILED: return "reconciled";
    case EF_OUTCOME_CANCELLED: return "cancelled";
    case EF_OUTCOME_MODIFIED: return "modified";
    }
    return "?";
}

const char* reject_source_name(uint32_t s) {
    switch (s) {
    case EF_REJECT_NONE: return "none";
    case EF_REJECT_RISK: return "risk";
    case EF_REJECT_INVALID: return "invalid";
    case EF_REJECT_VENUE: return "venue";
    case EF_REJECT_DAEMON: return "daemon";
    }
    return "?";
}

const char* side_name(uint8_t s) { return s == EF_SIDE_BUY ? "buy" : s == EF_SIDE_SELL ? "sell" : "?"; }

const char* type_name(uint8_t t) {
    switch (t) {
    case EF_TYPE_MKT: return "MKT";
    case EF_TYPE_LMT: return "LMT";
    case EF_TYPE_STP: return "STP";
    case EF_TYPE_STPLMT: return "STPLMT";
    }
    return "?";
}

const char* tif_name(uint8_t t) {
    static const char* const names[] = {"?", "DAY", "GTC", "IOC", "FOK", "OPEN", "CLOSE", "DAY+", "GTC+"};
    return t < std::size(names) ? names[t] : "?";
}

template <size_t N>
std::string_view fld(const char (&s)[N]) {
    return field(s, N);
}

struct order_life {
    uint32_t strategy = UINT32_MAX;
    uint64_t request_id = 0;
    bool have_request = false;
    ef_order_request request{};
    std::string strategy_name;
    std::string cl_order_id;
    int64_t first_wall = 0;
    std::vector<std::string> events_json; // one JSON object per event
    std::vector<uint32_t> outcomes;
    bool have_response = false;
    ef_order_response last{};
    int64_t latency_ns = 0; // the first response's done - submit
};

std::string request_json(const ef_order_request& r) {
    std::string s = fmt::format("\"request_id\":{},\"kind\":\"{}\",\"account\":{}", r.request_id,
                                kind_name(r.kind), json_str(fld(r.account)));
    if (r.kind == EF_ORDER_OM_BUY) {
        s += fmt::format(",\"position_hash\":{},\"amount\":\"{}\",\"shares\":\"{}\",\"max_price\":\"{}\","
                         "\"partner_id\":{},\"paper\":{}",
                         json_str(field(r.position_hash, std::min<size_t>(r.position_hash_len,
                                                                         sizeof r.position_hash))),
                         decimal_text(r.amount_e9), decimal_text(r.shares_e9), decimal_text(r.max_price_e9),
                         json_str(fld(r.partner_id)), (r.flags & EF_ORDER_PAPER) ? "true" : "false");
    } else {
        s += fmt::format(",\"broker\":{},\"instrument\":{},\"symbol\":{},\"side\":\"{}\","
                         "\"order_type\":\"{}\",\"order_tif\":\"{}\",\"qty\":\"{}\",\"notional\":\"{}\","
                         "\"limit_price\":\"{}\",\"stop_price\":\"{}\",\"order_id\":{}",
                         json_str(fld(r.broker)), json_str(fld(r.instrument)), json_str(fld(r.symbol)),
                         side_name(r.side), type_name(r.order_type), tif_name(r.tif), decimal_text(r.qty_e9),
                         decimal_text(r.notional_e9), decimal_text(r.limit_price_e9), decimal_text(r.stop_price_e9),
                         json_str(fld(r.order_id)));
    }
    return s;
}

std::string response_json(const ef_order_response& r) {
    std::string s = fmt::format(
        "\"request_id\":{},\"outcome\":\"{}\",\"reject_source\":\"{}\",\"reject_code\":{},"
        "\"http_status\":{},\"final\":{},\"cl_order_id\":{},\"order_id\":{},\"venue_status\":{},"
        "\"sor_decision_id\":{},\"partner_id\":{},\"filled_qty\":\"{}\",\"filled_notional\":\"{}\","
        "\"avg_price\":\"{}\",\"fills_total\":{},\"fills\":[",
        r.request_id, outcome_name(r.outcome), reject_source_name(r.reject_source), r.reject_code,
        r.http_status, r.final_ ? "true" : "false", json_str(fld(r.cl_order_id)),
        json_str(fld(r.order_id)), json_str(fld(r.venue_status)), json_str(fld(r.sor_decision_id)),
        json_str(fld(r.partner_id)), decimal_text(r.filled_qty_e9), decimal_text(r.filled_notional_e9),
        decimal_text(r.avg_price_e9), r.fills_total);
    for (uint32_t i = 0; i < std::min<uint32_t>(r.fills_count, EF_ORDER_FILLS_MAX); ++i)
        s += fmt::format("{}{{\"qty\":\"{}\",\"price\":\"{}\",\"time\":\"{}\"}}", i ? "," : "",
                         decimal_text(r.fills[i].qty_e9), decimal_text(r.fills[i].price_e9), iso(r.fills[i].time_unix_ns));
    s += fmt::format("],\"submit_mono_ns\":{},\"sent_mono_ns\":{},\"done_mono_ns\":{},\"reason\":{}",
                     r.submit_mono_ns, r.sent_mono_ns, r.done_mono_ns, json_str(fld(r.reason)));
    return s;
}

template <typename T>
bool read_head(std::span<const std::byte> p, T& out) {
    if (p.size() < sizeof(T)) return false;
    std::memcpy(&out, p.data(), sizeof(T));
    return true;
}

std::string_view bytes_after(std::span<const std::byte> p, size_t from, size_t len) {
    if (from > p.size()) return {};
    len = std::min(len, p.size() - from);
    return {reinterpret_cast<const char*>(p.data()) + from, len};
}

class rebuilder {
public:
    std::vector<order_life> orders;
    struct loose_note {
        int64_t wall;
        std::string text;
        std::string json;
    };
    std::vector<loose_note> loose_notes; // notes about no order in particular

    void add(const orders::journal::record_view& v) {
        const auto& h = v.header;
        const std::string head = fmt::format("{{\"type\":\"{}\",\"time\":\"{}\",\"mono_ns\":{}",
                                             orders::journal::to_string(static_cast<record_type>(h.type)),
                                             iso(h.wall_unix_ns), h.mono_ns);
        switch (static_cast<record_type>(h.type)) {
        case record_type::request: {
            orders::journal::request_head rh;
            if (!read_head(v.payload, rh)) return bad(h);
            order_life& o = by_request(h.strategy, rh.request.request_id, h.wall_unix_ns);
            o.have_request = true;
            o.request = rh.request;
            o.strategy_name = std::string(fld(rh.strategy_name));
            link(o, fld(rh.cl_order_id));
            o.events_json.push_back(head + fmt::format(",\"strategy\":{},\"cl_order_id\":{},",
                                                       json_str(o.strategy_name),
                                                       json_str(fld(rh.cl_order_id))) +
                                    request_json(rh.request) + "}");
            return;
        }
        case record_type::wire_out: {
            orders::journal::wire_out_head wo;
            if (!read_head(v.payload, wo)) return bad(h);
            order_life& o = by_clid(h.strategy, fld(wo.cl_order_id), h.wall_unix_ns);
            o.events_json.push_back(
                head + fmt::format(",\"venue\":\"{}\",\"method\":{},\"target\":{},\"body\":{},"
                                   "\"body_total\":{}}}",
                                   orders::journal::to_string(static_cast<orders::journal::venue>(wo.venue)),
                                   json_str(fld(wo.method)),
                                   json_str(bytes_after(v.payload, sizeof wo, wo.target_len)),
                                   json_str(bytes_after(v.payload, sizeof wo + wo.target_len, wo.body_len)),
                                   wo.body_total));
            return;
        }
        case record_type::wire_in: {
            orders::journal::wire_in_head wi;
            if (!read_head(v.payload, wi)) return bad(h);
            order_life& o = by_clid(h.strategy, fld(wi.cl_order_id), h.wall_unix_ns);
            o.events_json.push_back(head + fmt::format(",\"http_status\":{},\"body\":{},\"body_total\":{}}}",
                                                       wi.http_status,
                                                       json_str(bytes_after(v.payload, sizeof wi, wi.body_len)),
                                                       wi.body_total));
            return;
        }
        case record_type::response:
        case record_type::reject: {
            ef_order_response r;
            if (!read_head(v.payload, r)) return bad(h);
            order_life* o = find_request(h.strategy, r.request_id);
            if (!o) o = &by_clid(h.strategy, fld(r.cl_order_id), h.wall_unix_ns, r.request_id);
            link(*o, fld(r.cl_order_id));
            if (!o->have_response && r.done_mono_ns && r.submit_mono_ns)
                o->latency_ns = r.done_mono_ns - r.submit_mono_ns;
            o->have_response = true;
            o->last = r;
            o->outcomes.push_back(r.outcome);
            o->events_json.push_back(head + "," + response_json(r) + "}");
            return;
        }
        case record_type::note: {
            orders::journal::note_head nh;
            if (!read_head(v.payload, nh)) return bad(h);
            const std::string_view body = bytes_after(v.payload, sizeof nh, SIZE_MAX);
            const std::string text = fmt::format(",\"text\":{}}}", json_str(body));
            const std::string_view clid = fld(nh.cl_order_id);
            if (clid.empty()) {
                loose_notes.push_back({h.wall_unix_ns, std::string(body), head + text});
                return;
            }
            by_clid(h.strategy, clid, h.wall_unix_ns).events_json.push_back(head + text);
            return;
        }
        }
    }

private:
    std::map<std::pair<uint32_t, uint64_t>, size_t> by_request_;
    std::map<std::string, size_t, std::less<>> by_clid_;

    void bad(const orders::journal::record_header& h) {
        loose_notes.push_back({h.wall_unix_ns, fmt::format("malformed record of type {}", h.type),
                               fmt::format("{{\"type\":\"malformed\",\"time\":\"{}\",\"record_type\":{}}}",
                                           iso(h.wall_unix_ns), h.type)});
    }
    order_life* find_request(uint32_t strategy, uint64_t request_id) {
        const auto it = by_request_.find({strategy, request_id});
        return it == by_request_.end() ? nullptr : &orders[it->second];
    }
    order_life& fresh(uint32_t strategy, uint64_t request_id, int64_t wall) {
        orders.push_back({});
        orders.back().strategy = strategy;
        orders.back().request_id = request_id;
        orders.back().first_wall = wall;
        return orders.back();
    }
    order_life& by_request(uint32_t strategy, uint64_t request_id, int64_t wall) {
        if (order_life* o = find_request(strategy, request_id)) return *o;
        by_request_[{strategy, request_id}] = orders.size();
        return fresh(strategy, request_id, wall);
    }
    // An order known by its cl_order_id only (its REQUEST is in an earlier
    // file, or was lost): a line of its own.
    order_life& by_clid(uint32_t strategy, std::string_view clid, int64_t wall, uint64_t request_id = 0) {
        if (const auto it = by_clid_.find(clid); it != by_clid_.end()) return orders[it->second];
        if (request_id) return by_request(strategy, request_id, wall);
        order_life& o = fresh(strategy, 0, wall);
        link(o, clid);
        return o;
    }
    void link(order_life& o, std::string_view clid) {
        if (clid.empty()) return;
        if (o.cl_order_id.empty()) o.cl_order_id = std::string(clid);
        by_clid_.emplace(std::string(clid), static_cast<size_t>(&o - orders.data()));
    }
};

std::string what_of(const order_life& o) {
    if (!o.have_request) return "-";
    const ef_order_request& r = o.request;
    if (r.kind == EF_ORDER_OM_BUY) {
        std::string ph(field(r.position_hash, std::min<size_t>(r.position_hash_len, sizeof r.position_hash)));
        if (ph.size() > 20) ph = fmt::format("{}...", ph.substr(0, 17));
        return ph;
    }
    return fmt::format("{} {} {}", side_name(r.side), fld(r.symbol), type_name(r.order_type));
}

std::string size_of(const order_life& o) {
    if (!o.have_request) return "-";
    const ef_order_request& r = o.request;
    if (r.kind == EF_ORDER_OM_BUY)
        return r.amount_e9 > 0 ? fmt::format("${} <={}", decimal_text(r.amount_e9), decimal_text(r.max_price_e9))
                               : fmt::format("{} sh <={}", decimal_text(r.shares_e9), decimal_text(r.max_price_e9));
    if (r.kind == EF_ORDER_CT_CANCEL) return "-";
    std::string s = r.qty_e9 > 0 ? decimal_text(r.qty_e9) : fmt::format("${}", decimal_text(r.notional_e9));
    if (r.limit_price_e9 > 0) s += fmt::format(" @{}", decimal_text(r.limit_price_e9));
    if (r.stop_price_e9 > 0) s += fmt::format(" stop {}", decimal_text(r.stop_price_e9));
    return s;
}

std::string outcome_of(const order_life& o) {
    if (o.outcomes.empty()) return "no answer";
    std::string s;
    for (size_t i = 0; i < o.outcomes.size(); ++i) {
        if (i && o.outcomes[i] == o.outcomes[i - 1]) continue;
        if (!s.empty()) s += ">";
        s += outcome_name(o.outcomes[i]);
    }
    if (o.last.outcome == EF_OUTCOME_REJECTED)
        s += fmt::format(" ({}: {})", reject_source_name(o.last.reject_source), fld(o.last.reason));
    else if (o.last.venue_status[0])
        s += fmt::format(" ({})", fld(o.last.venue_status));
    return s;
}

bool wanted(const order_life& o, const orders_options& opt) {
    if (!opt.order.empty() && o.cl_order_id != opt.order) return false;
    if (!opt.strategy.empty() && o.strategy_name != opt.strategy) return false;
    return true;
}

std::string journal_path(const orders_options& o) {
    if (!o.file.empty()) return o.file;
    std::string date = o.date;
    if (date.empty()) {
        const int64_t now = unix_ns();
        const int64_t day = orders::utc_day_of(now);
        date = std::to_string(orders::yyyymmdd_of_day(day));
    }
    return o.journal_dir + "/" + o.instance + "-orders-" + date + ".journal";
}

} // namespace

bool orders_report(const orders_options& opt, std::string& out, std::string& warn) {
    const std::string path = journal_path(opt);
    auto reader = orders::journal_reader::open(path);
    if (!reader.ok()) {
        warn = reader.err().message;
        return false;
    }
    rebuilder rb;
    orders::journal::record_view v;
    while (reader.value().next(v)) rb.add(v);
    warn = reader.value().warning();
    const bool filtered = !opt.order.empty() || !opt.strategy.empty();
    if (opt.json) {
        for (const order_life& o : rb.orders) {
            if (!wanted(o, opt)) continue;
            out += fmt::format("{{\"cl_order_id\":{},\"strategy\":{},\"strategy_index\":{},"
                               "\"request_id\":{},\"kind\":\"{}\",\"outcome\":\"{}\","
                               "\"filled_qty\":\"{}\",\"filled_notional\":\"{}\",\"latency_ns\":{},"
                               "\"events\":[",
                               json_str(o.cl_order_id), json_str(o.strategy_name),
                               static_cast<int64_t>(o.strategy == UINT32_MAX ? -1 : int64_t{o.strategy}),
                               o.request_id, o.have_request ? kind_name(o.request.kind) : "?",
                               o.have_response ? outcome_name(o.last.outcome) : "none",
                               decimal_text(o.last.filled_qty_e9), decimal_text(o.last.filled_notional_e9), o.latency_ns);
            for (size_t i = 0; i < o.events_json.size(); ++i) out += (i ? "," : "") + o.events_json[i];
            out += "]}\n";
        }
        if (!filtered)
            for (const auto& n : rb.loose_notes) out += n.json + "\n";
        return true;
    }
    out += fmt::format("{:<12} {:<12} {:<9} {:<24} {:<14} {:<20} {:<20} {:<28} {:>12} {:>10}\n",
                       "time", "strategy", "kind", "cl_order_id", "account", "what", "price/size",
                       "outcome", "filled", "latency");
    for (const order_life& o : rb.orders) {
        if (!wanted(o, opt)) continue;
        out += fmt::format("{:<12} {:<12} {:<9} {:<24} {:<14} {:<20} {:<20} {:<28} {:>12} {:>10}\n",
                           clock_time(o.first_wall),
                           o.strategy_name.empty() ? fmt::format("#{}", o.strategy) : o.strategy_name,
                           o.have_request ? kind_name(o.request.kind) : "?",
                           o.cl_order_id.empty() ? "-" : o.cl_order_id,
                           o.have_request ? std::string(fld(o.request.account)) : "-", what_of(o),
                           size_of(o), outcome_of(o),
                           o.have_response ? decimal_text(o.last.filled_qty_e9) : "-",
                           o.latency_ns > 0 ? human_ns(static_cast<uint64_t>(o.latency_ns)) : "-");
    }
    if (!filtered && !rb.loose_notes.empty()) {
        out += "notes:\n";
        for (const auto& n : rb.loose_notes) out += fmt::format("  {} {}\n", clock_time(n.wall), n.text);
    }
    return true;
}

} // namespace ef::stat
