// See order_routes.hpp.
#include "edgesim/order_routes.hpp"

#include "edgesim/sim_json.hpp"
#include "feed/protocol_rules.hpp"

#include <fmt/format.h>

namespace ef::sim {

namespace {

const char* om_code(int status) {
    switch (status) {
    case 400: return "invalid_parameter";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 409: return "conflict";
    case 429: return "rate_limited";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal_error" : "error";
    }
}

std::string string_list(const std::vector<std::string>& v) {
    std::string out = "[";
    for (const auto& s : v) {
        if (out.size() > 1) out += ',';
        out += json_quote(s);
    }
    return out + "]";
}

} // namespace

bool is_order_path(std::string_view path) noexcept {
    return path == om_buy_path || ct_venue::serves(path);
}

order_desk::order_desk(order_desk_options opts) : opts_(std::move(opts)), ct_(opts_.ct) {
    for (const auto& [symbol, q] : opts_.quotes)
        ct_.set_quote(symbol, q);
}

order_record order_desk::start_record(const http::request_head& h, std::string_view body,
                                      int64_t now) {
    order_record r;
    const bool om = h.path == om_buy_path;
    r.venue = om ? "openmarkets" : "connect_trade";
    r.method = h.method;
    r.path = h.path;
    if (om) r.account = http::find_header(h.headers, om_account_header);
    r.body = body;
    r.unix_ns = now;
    return r;
}

order_answer order_desk::answer(venue_book& book, const http::request_head& h,
                                std::string_view body, int64_t now,
                                std::string_view meta_timestamp, contest_changes& changes) {
    order_answer a;
    a.record = start_record(h, body, now);
    if (h.path == om_buy_path) {
        if (h.method != "POST") {
            a.status = 405;
            a.body = om_error_body("method_not_allowed", "POST only");
        } else {
            om_outcome o = om_buy(book, opts_.om,
                                  http::find_header(h.headers, openmarkets::api_key_header),
                                  a.record.account, body, sor_counter_, meta_timestamp);
            a.status = o.status;
            a.body = std::move(o.body);
            a.record.executed = o.executed;
            a.record.paper = o.paper;
            for (const om_leg_result& l : o.legs) {
                a.record.sor_decision_ids.push_back(l.sor_decision_id);
                a.record.leg_statuses.push_back(l.status);
            }
            for (auto& c : o.changes)
                changes.push_back(std::move(c));
        }
    } else {
        const ct_credentials cred{http::find_header(h.headers, "client-id"),
                                  http::find_header(h.headers, "client-secret"),
                                  http::find_header(h.headers, "user-id"),
                                  http::find_header(h.headers, "user-secret")};
        ct_reply r = ct_.handle(h.method, h.path, h.query, cred, body, now);
        a.status = r.status;
        a.body = std::move(r.body);
        a.record.executed = r.executed;
        if (!r.account_id.empty()) a.record.account = r.account_id;
        a.record.cl_order_id = r.cl_order_id;
        a.record.order_id = r.order_id;
    }
    a.record.status = a.status;
    return a;
}

order_answer order_desk::injected(const http::request_head& h, std::string_view body, int status,
                                  int64_t now) {
    order_answer a;
    a.record = start_record(h, body, now);
    a.status = a.record.status = status;
    a.record.fault = "status";
    const std::string why = fmt::format("injected fault: order_status {}", status);
    a.body = h.path == om_buy_path ? om_error_body(om_code(status), why) : ct_venue::error_body(why);
    return a;
}

order_record order_desk::unanswered(const http::request_head& h, std::string_view body,
                                    int64_t now) {
    order_record r = start_record(h, body, now);
    r.fault = "drop_before";
    return r;
}

void order_desk::add(order_record r) {
    if (r.method == "GET") return;
    r.seq = records_.size() + 1;
    records_.push_back(std::move(r));
}

std::string order_desk::records_json() const {
    std::string out = "{\"orders\":[";
    for (size_t i = 0; i < records_.size(); ++i) {
        const order_record& r = records_[i];
        if (i) out += ',';
        out += fmt::format(
            R"({{"seq":{},"venue":"{}","method":{},"path":{},"account":{},"cl_order_id":{},"order_id":{},"sor_decision_ids":{},"leg_statuses":{},"body":{},"status":{},"fault":"{}","executed":{},"paper":{},"time":"{}"}})",
            r.seq, r.venue, json_quote(r.method), json_quote(r.path), json_quote(r.account),
            json_quote(r.cl_order_id), json_quote(r.order_id), string_list(r.sor_decision_ids),
            string_list(r.leg_statuses), json_quote(r.body), r.status, r.fault,
            r.executed ? "true" : "false", r.paper ? "true" : "false", iso_utc(r.unix_ns, 9));
    }
    return out + "]}";
}

} // namespace ef::sim
