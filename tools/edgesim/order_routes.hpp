// The simulator's order desk: routes an order request to OpenMarkets'
// buy endpoint (order_routes_om) or Connect Trade's order API
// (order_book_ct), and keeps the record of every order request that reached
// the venue (/_sim/orders), so tests can check that a client never sent a
// duplicate and never sent what strict-field rules refuse. The session
// decides the connection's fate (faults); the desk only answers and records.
// Driven by sim_session on the simulator's loop.
#pragma once

#include "edgesim/order_book_ct.hpp"
#include "edgesim/order_routes_om.hpp"
#include "http/request_parser.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ef::sim {

struct order_desk_options {
    om_config om;
    ct_config ct;
    std::vector<std::pair<std::string, ct_quote>> quotes; // added to the seeded table
};

// One order request as the venue saw it.
struct order_record {
    uint64_t seq = 0;
    std::string venue; // "openmarkets" | "connect_trade"
    std::string method, path, account, cl_order_id, order_id;
    std::vector<std::string> sor_decision_ids;
    std::vector<std::string> leg_statuses;
    std::string body;  // as received
    int status = 0;    // the HTTP status answered; 0: none (dropped or hung)
    std::string fault; // "", "drop_before", "drop_after", "hang", "status"
    bool executed = false;
    bool paper = false;
    int64_t unix_ns = 0;
};

struct order_answer {
    int status = 200;
    std::string body;
    order_record record;
};

using contest_changes = std::vector<std::pair<std::string, std::vector<sim_entry>>>;

// Paths the desk serves: the OM buy path, /orders, /accounts/...
bool is_order_path(std::string_view path) noexcept;

class order_desk {
public:
    explicit order_desk(order_desk_options opts);

    // Executes one request. An OM real fill changes `book`; the levels it
    // changed are appended to `changes` for the server to stream.
    order_answer answer(venue_book& book, const http::request_head& h, std::string_view body,
                        int64_t now_unix_ns, std::string_view meta_timestamp,
                        contest_changes& changes);
    // What an order_status fault answers instead (nothing executed).
    order_answer injected(const http::request_head& h, std::string_view body, int status,
                          int64_t now_unix_ns);
    // The record of a request dropped before it was looked at.
    order_record unanswered(const http::request_head& h, std::string_view body,
                            int64_t now_unix_ns);
    // Keeps the record of a placing/changing request (GET queries are not kept).
    void add(order_record r);
    // {"orders":[{seq,venue,method,path,account,cl_order_id,order_id,
    // sor_decision_ids,leg_statuses,body,status,fault,executed,paper,time}]}
    std::string records_json() const;
    const std::vector<order_record>& records() const noexcept { return records_; }

    ct_venue& ct() noexcept { return ct_; }
    const om_config& om() const noexcept { return opts_.om; }

private:
    order_record start_record(const http::request_head& h, std::string_view body, int64_t now);

    order_desk_options opts_;
    ct_venue ct_;
    uint64_t sor_counter_ = 0;
    std::vector<order_record> records_;
};

} // namespace ef::sim
