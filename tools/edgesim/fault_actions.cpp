// How the simulated venue carries out the faults of faults.hpp: arming the
// per-request ones, queueing stream faults until a WebSocket session can
// receive them, the silent truth changes behind refresh_required and
// snapshot_change, and chaos (random stream faults at random intervals).
// Driven by the control API (/_sim/fault, /_sim/chaos), --fault/--chaos at
// start, and sim_server::on_deadline on the simulator's loop.
#include "edgesim/sim_server.hpp"

#include "common/clock.hpp"
#include "common/log.hpp"
#include "ws/frame_writer.hpp"

#include <fmt/format.h>

namespace ef::sim {

namespace {

// Changes a silent fault makes to the truth: enough that a client which
// skips the re-fetch is caught by the book comparison.
constexpr unsigned silent_changes = 8;
constexpr int64_t default_stall_ms = 2000;
// RFC 6455 5.2: a 64-bit length only for payloads over 65535 bytes.
constexpr size_t big_message_bytes = 70000;

// What chaos draws from: faults a correct client survives and recovers from.
constexpr fault_kind chaos_kinds[] = {
    fault_kind::refresh_required,
    fault_kind::snapshot_change,
    fault_kind::drop,
    fault_kind::stall,
    fault_kind::garbage,
    fault_kind::truncated,
    fault_kind::invalid_json,
    fault_kind::invalid_utf8,
    fault_kind::big,
};

uint64_t splitmix(uint64_t& state) noexcept {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string frame(ws::opcode op, std::string_view payload, uint8_t extra_first_byte_bits = 0) {
    uint8_t hdr[14];
    const size_t n = ws::encode_frame_header(hdr, op, true, payload.size(), std::nullopt);
    hdr[0] |= extra_first_byte_bits;
    std::string out(reinterpret_cast<const char*>(hdr), n);
    out += payload;
    return out;
}

} // namespace

std::string sim_server::pick_contest(const std::string& wanted) {
    if (!wanted.empty()) return wanted;
    const auto subscribed = subscribed_contests();
    if (!subscribed.empty()) return subscribed[rr_++ % subscribed.size()];
    return {};
}

result<std::string> sim_server::apply_fault(const fault_request& r) {
    if (!r.contest.empty() && !book_.has_contest(r.contest))
        return make_error(fmt::format("no contest '{}'", r.contest));
    ++faults_.requested[static_cast<size_t>(r.kind)];
    if (is_stream_fault(r.kind)) {
        for (uint64_t i = 0; i < r.count; ++i)
            faults_.queue.push_back(r);
        wake();
        return std::string("null");
    }
    switch (r.kind) {
    case fault_kind::snapshot_change:
        if (!r.contest.empty()) {
            faults_.snapshot_change.insert(r.contest);
        } else {
            for (const auto& c : book_.contest_ids())
                if (book_.is_open(c)) faults_.snapshot_change.insert(c);
        }
        break;
    case fault_kind::fragment:
        faults_.fragment = r.count > 0;
        if (faults_.fragment) faults_.fire(r.kind);
        break;
    case fault_kind::reject_upgrade_401:
        faults_.reject_401_left += r.count;
        break;
    case fault_kind::reject_upgrade_429:
        faults_.reject_429_left += r.count;
        break;
    case fault_kind::rest_slow:
        faults_.rest_slow_ms = r.ms < 0 ? 1000 : r.ms;
        break;
    case fault_kind::rest_fail:
        faults_.rest_fail_left += r.count;
        break;
    case fault_kind::rest_hang:
        faults_.rest_hang_left += r.count;
        break;
    case fault_kind::order_latency:
        faults_.order_latency_ms = r.ms < 0 ? 1000 : r.ms;
        break;
    case fault_kind::order_drop:
        if (r.count == 0)
            faults_.order_drop_before_left = faults_.order_drop_after_left = 0;
        else
            (r.after ? faults_.order_drop_after_left : faults_.order_drop_before_left) += r.count;
        break;
    case fault_kind::order_hang:
        faults_.order_hang_left = r.count == 0 ? 0 : faults_.order_hang_left + r.count;
        break;
    case fault_kind::order_status:
        if (r.count == 0) faults_.order_status_queue.clear();
        for (uint64_t i = 0; i < r.count; ++i)
            faults_.order_status_queue.push_back(r.http_status);
        break;
    case fault_kind::contest_open: {
        // Starts after every listed contest, so it lands on the last page
        // and cursors already handed out stay valid.
        int64_t last = 0;
        for (const auto& c : book_.contest_ids())
            last = std::max(last, book_.info(c)->starts_at_ns);
        const std::string id = book_.add_contest(last + 600'000'000'000);
        contest_info& ci = *book_.info(id);
        ci.last_change_ns = ci.state_changed_ns = unix_ns();
        ci.state.ticks_to_start = 0; // kicks off at the next state tick
        faults_.fire(r.kind);
        return fmt::format(R"({{"contest_id":"{}"}})", id);
    }
    case fault_kind::contest_close: {
        std::string id = r.contest;
        if (id.empty())
            for (const auto& c : book_.contest_ids())
                if (book_.is_open(c)) id = c; // the newest open one
        if (id.empty() || !book_.is_open(id)) return make_error("no open contest to close");
        book_.info(id)->open = false;
        if (book_.info(id)->state.finish()) send_state(id);
        faults_.fire(r.kind);
        return fmt::format(R"({{"contest_id":"{}"}})", id);
    }
    default:
        break;
    }
    return std::string("null");
}

void sim_server::before_snapshot(const std::string& contest) {
    if (!faults_.snapshot_change.erase(contest)) return;
    // Changed in the truth, never streamed: only the snapshot carries it.
    (void)book_.random_changes(contest, silent_changes);
    (void)stamp_text(contest);
    faults_.fire(fault_kind::snapshot_change);
}

void sim_server::set_chaos(int64_t period_ms, uint64_t seed) {
    chaos_period_ns_ = period_ms * 1'000'000;
    chaos_rng_ = seed * 0xA24BAED4963EE407ULL + 3;
    chaos_next_ = mono_ns() + chaos_period_ns_;
    wake();
}

void sim_server::run_chaos(int64_t now) {
    if (chaos_period_ns_ <= 0 || now < chaos_next_) return;
    // Uniform in [period/2, 3*period/2): random, but the mean is the period.
    chaos_next_ =
        now + chaos_period_ns_ / 2 +
        static_cast<int64_t>(splitmix(chaos_rng_) % static_cast<uint64_t>(chaos_period_ns_));
    if (!faults_.queue.empty()) return; // one at a time: the client must recover in between
    fault_request r;
    r.kind = chaos_kinds[splitmix(chaos_rng_) % std::size(chaos_kinds)];
    r.ms = 200 + static_cast<int64_t>(splitmix(chaos_rng_) % 1800);
    if (r.kind == fault_kind::snapshot_change) r.contest = pick_contest({});
    ++faults_.chaos_fired;
    EF_LOG_INFO("chaos: {}", to_string(r.kind));
    (void)apply_fault(r);
}

void sim_server::run_fault_queue(int64_t now) {
    while (!faults_.queue.empty()) {
        if (!run_stream_fault(faults_.queue.front(), now)) return; // no session for it yet
        faults_.queue.pop_front();
    }
}

bool sim_server::run_stream_fault(const fault_request& r, int64_t now) {
    std::vector<sim_session*> targets;
    for (auto& s : sessions_)
        if (!s->free() && s->is_live_ws() && !s->contests().empty() &&
            (r.contest.empty() || s->contests().count(r.contest)))
            targets.push_back(s.get());
    if (targets.empty()) return false;
    // refresh_required and big speak about one contest: the one asked for,
    // else an open one the first target takes.
    std::string contest = r.contest;
    if (contest.empty())
        for (const auto& c : targets.front()->contests())
            if (book_.is_open(c)) {
                contest = c;
                break;
            }
    const uint64_t nth = faults_.fired[static_cast<size_t>(r.kind)];
    switch (r.kind) {
    case fault_kind::drop:
        for (sim_session* s : targets)
            s->drop_rst();
        break;
    case fault_kind::stall:
        for (sim_session* s : targets)
            s->stall_until(now + (r.ms < 0 ? default_stall_ms : r.ms) * 1'000'000);
        break;
    case fault_kind::garbage: {
        // Alternately RSV1 on a text frame (no extension was negotiated) and
        // the reserved opcode 0x3: either way the client must close 1002.
        const std::string bad = nth % 2 == 0 ? frame(ws::opcode::text, "{}", 0x40)
                                             : frame(static_cast<ws::opcode>(3), "{}");
        for (sim_session* s : targets)
            s->send_raw(bad);
        break;
    }
    case fault_kind::truncated: {
        // A header for 256 bytes followed by 10, then the TCP close.
        uint8_t hdr[14];
        const size_t n = ws::encode_frame_header(hdr, ws::opcode::text, true, 256, std::nullopt);
        std::string bad(reinterpret_cast<const char*>(hdr), n);
        bad += R"({"type":"l)";
        for (sim_session* s : targets)
            s->send_then_close(bad);
        break;
    }
    case fault_kind::invalid_json:
        for (sim_session* s : targets)
            s->send_text(R"({"type":"liquidity.update","contest_id":)");
        break;
    case fault_kind::invalid_utf8: {
        // RFC 6455 8.1: a text frame must be UTF-8; 0xC3 0x28 is not (and
        // 0xC0 0xAF is an overlong '/'). The client must close 1007.
        const std::string bad =
            "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xC3\x28\xC0\xAF\"}";
        for (sim_session* s : targets)
            s->send_raw(frame(ws::opcode::text, bad));
        break;
    }
    case fault_kind::big: {
        const std::string& c = contest;
        if (!book_.is_open(c)) return true; // closed: it no longer moves
        std::vector<sim_entry> changes;
        std::string msg;
        while (msg.size() <= big_message_bytes) {
            auto more = book_.random_changes(c, 200);
            changes.insert(changes.end(), more.begin(), more.end());
            msg = book_.update_json(c, changes, "");
        }
        msg = book_.update_json(c, changes, stamp_text(c));
        for (sim_session* s : targets)
            if (s->contests().count(c)) s->send_text(msg);
        ++stats_.messages_sent;
        stats_.entries_sent += changes.size();
        break;
    }
    case fault_kind::refresh_required: {
        const std::string& c = contest;
        if (!book_.is_open(c)) return true;
        (void)book_.random_changes(c, silent_changes);
        const std::string msg = fmt::format(
            R"({{"type":"liquidity.update","contest_id":"{}","changed_entries":[],"refresh_required":true,"timestamp":"{}"}})",
            c, stamp_text(c));
        for (sim_session* s : targets)
            if (s->contests().count(c)) s->send_text(msg);
        ++stats_.messages_sent;
        break;
    }
    default:
        break;
    }
    faults_.fire(r.kind);
    EF_LOG_INFO("fault {} on {} session(s)", to_string(r.kind), targets.size());
    return true;
}

} // namespace ef::sim
