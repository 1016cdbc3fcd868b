// See orders_view.hpp. Counters are copied by ef_orders_slot_info with relaxed
// loads while the order loop writes them: each is exact, the set is a few
// microseconds wide at most, which is all a refresh needs.
#include "edgestat/orders_view.hpp"

#include "edgestat/render.hpp"
#include "json/decimal.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace ef::stat {

namespace {

// A heartbeat never written (0) is unknown, not infinitely old.
bool heartbeat_known(const struct ef_orders_info& i) { return i.heartbeat_mono_ns != 0; }

bool heartbeat_stale(const struct ef_orders_info& i) {
    return !heartbeat_known(i) || i.heartbeat_age_ns > EF_ORDERS_HEARTBEAT_STALE_NS;
}

std::string heartbeat_text(const struct ef_orders_info& i) {
    if (!heartbeat_known(i)) return "heartbeat never";
    const uint64_t age = static_cast<uint64_t>(std::max<int64_t>(i.heartbeat_age_ns, 0));
    return fmt::format("heartbeat {} ago{}", human_ns(age), heartbeat_stale(i) ? " (STALE)" : "");
}

std::string strategy_row(const struct ef_orders_slot_info& s) {
    const ef_order_slot_stats& t = s.stats;
    const std::string pid = s.owner_pid ? fmt::format("{}", s.owner_pid) : "-";
    const std::string rejected = fmt::format("{}/{}/{}/{}", t.rejected_risk, t.rejected_invalid,
                                             t.rejected_venue, t.rejected_daemon);
    const uint64_t latency = static_cast<uint64_t>(std::max<int64_t>(t.last_submit_to_send_ns, 0));
    return fmt::format("{:<20} {:>8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>17} {:>7} {:>10} {:>8} "
                       "{:>16} {:>16} {:>12}\n",
                       s.name, pid, s.halted ? "HALTED" : "no", t.submitted, t.sent, t.accepted,
                       t.filled, rejected, t.unknown, t.reconciled, t.responses_deferred,
                       decimal_text(t.open_notional_e9), decimal_text(t.daily_notional_e9), human_ns(latency));
}

std::string strategy_json(const struct ef_orders_slot_info& s) {
    const ef_order_slot_stats& t = s.stats;
    return fmt::format(
        R"({{"name":{},"owner_pid":{},"attached":{},"halted":{},"attach_count":{},)"
        R"("requests_queued":{},"responses_queued":{},"submitted":{},"sent":{},"accepted":{},)"
        R"("filled":{},"rejected_risk":{},"rejected_invalid":{},"rejected_venue":{},)"
        R"("rejected_daemon":{},"unknown":{},"reconciled":{},"responses_deferred":{},)"
        R"("open_notional":"{}","daily_notional":"{}","last_submit_to_send_ns":{}}})",
        json_str(s.name), s.owner_pid, s.owner_pid ? "true" : "false",
        s.halted ? "true" : "false", s.attach_count, s.requests_queued, s.responses_queued,
        t.submitted, t.sent, t.accepted, t.filled, t.rejected_risk, t.rejected_invalid,
        t.rejected_venue, t.rejected_daemon, t.unknown, t.reconciled, t.responses_deferred,
        decimal_text(t.open_notional_e9), decimal_text(t.daily_notional_e9), t.last_submit_to_send_ns);
}

} // namespace

const char* orders_loop_state_name(uint32_t state) {
    switch (state) {
    case 0: return "starting";
    case 1: return "running";
    case 2: return "stopping";
    }
    return "?";
}

orders_copy take_orders(const char* instance) {
    orders_copy out;
    ef_order_channel* view = nullptr;
    const int rc = ef_orders_open_view(instance, &view);
    if (rc == EF_ENOENT) return out; // orders disabled, or no daemon
    if (rc != EF_OK) {
        out.state = orders_copy::status::unreadable;
        out.error = ef_orders_last_error();
        return out;
    }
    out.state = orders_copy::status::ok;
    (void)ef_orders_info(view, &out.info);
    out.strategies.resize(out.info.slot_count);
    for (uint32_t i = 0; i < out.info.slot_count; ++i)
        (void)ef_orders_slot_info(view, i, &out.strategies[i]);
    ef_orders_detach(view);
    return out;
}

std::string render_orders_table(const orders_copy& o, uint32_t book_daemon_pid) {
    if (o.state == orders_copy::status::disabled) return {};
    if (o.state == orders_copy::status::unreadable)
        return fmt::format("\norders: cannot read the order channel: {}\n", o.error);
    const struct ef_orders_info& i = o.info;
    std::string s = fmt::format("\norders  loop {}  {}  daemon pid {}  rings {}/{}\n",
                                orders_loop_state_name(i.loop_state), heartbeat_text(i),
                                i.daemon_pid, i.request_capacity, i.response_capacity);
    if (i.daemon_pid != book_daemon_pid)
        s += fmt::format("    channel left by pid {}, not the books' daemon (pid {})\n",
                         i.daemon_pid, book_daemon_pid);
    if (i.halt_all)
        s += "HALT ALL: no strategy sends new orders (`edgestat resume` lifts it)\n";
    s += fmt::format("{:<20} {:>8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>17} {:>7} {:>10} {:>8} "
                     "{:>16} {:>16} {:>12}\n",
                     "strategy", "pid", "halted", "submitted", "sent", "accepted", "filled",
                     "rejected r/i/v/d", "unknown", "reconciled", "deferred", "open notional",
                     "daily notional", "submit->sent");
    for (const struct ef_orders_slot_info& st : o.strategies)
        s += strategy_row(st);
    return s;
}

std::string render_orders_json(const orders_copy& o, uint32_t book_daemon_pid) {
    if (o.state == orders_copy::status::disabled) return "null";
    if (o.state == orders_copy::status::unreadable)
        return fmt::format(R"({{"error":{}}})", json_str(o.error));
    const struct ef_orders_info& i = o.info;
    std::string s = fmt::format(
        R"({{"loop_state":"{}","heartbeat_age_ns":{},"heartbeat_stale":{},"halt_all":{},)"
        R"("daemon_pid":{},"same_daemon":{},"epoch":{},"layout":"{}.{}",)"
        R"("request_capacity":{},"response_capacity":{},"strategies":[)",
        orders_loop_state_name(i.loop_state), heartbeat_known(i) ? i.heartbeat_age_ns : -1,
        heartbeat_stale(i) ? "true" : "false", i.halt_all ? "true" : "false", i.daemon_pid,
        i.daemon_pid == book_daemon_pid ? "true" : "false", i.epoch, i.layout_major,
        i.layout_minor, i.request_capacity, i.response_capacity);
    for (size_t k = 0; k < o.strategies.size(); ++k) {
        if (k) s += ",";
        s += strategy_json(o.strategies[k]);
    }
    s += "]}";
    return s;
}

} // namespace ef::stat
