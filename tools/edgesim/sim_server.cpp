// The venue-wide side of the simulator (see sim_server.hpp): accepting
// connections, generating updates for subscribed contests, pings, the game
// state ticker and venue timestamps. Driven by the simulator's one loop.
#include "edgesim/sim_server.hpp"

#include "common/clock.hpp"
#include "common/log.hpp"
#include "feed/protocol_rules.hpp"
#include "http/request_writer.hpp"
#include "json/client_message.hpp"
#include "json/timestamp.hpp"
#include "ws/frame_writer.hpp"
#include "ws/handshake.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>

namespace ef::sim {

namespace {

constexpr uint8_t op_listen_accept = net::op_accept;

} // namespace

// ------------------------------------------------------------------- server

sim_server::sim_server(sim_options opts, venue_book& book, const tls::tls_context& tls,
                       net::event_loop& loop)
    : opts_(std::move(opts)), book_(book), tls_(tls), loop_(loop), slot_(loop.add_owner(this)),
      rate_(opts_.rate_per_second), orders_([this] {
          order_desk_options o = opts_.orders;
          o.om.api_key = opts_.api_key;
          return o;
      }()) {
    for (uint32_t i = 0; i < opts_.max_sessions; ++i)
        sessions_.push_back(std::make_unique<sim_session>(*this, loop, i));
    start_unix_ns_ = book_.start_unix_ns() ? book_.start_unix_ns() : unix_ns();
    rng_ = opts_.seed * 0xD1B54A32D192ED03ULL + 7;
    rate_start_ns_ = mono_ns();
    next_ping_ = rate_start_ns_ + opts_.ping_interval_ns;
    next_state_tick_ =
        opts_.state_interval_ns > 0 ? rate_start_ns_ + opts_.state_interval_ns : net::no_deadline;
    loop_.schedule(rate_ > 0 ? rate_start_ns_ : std::min(next_ping_, next_state_tick_));
}

uint64_t sim_server::next_random() noexcept {
    // splitmix64, as venue_book's generator but a stream of its own, so time
    // driven state ticks do not change which updates a seed produces.
    uint64_t z = (rng_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

status sim_server::listen(const std::string& host, uint16_t port) {
    auto fd = net::listen_tcp(host, port);
    if (!fd) return std::move(fd).err();
    listen_fd_ = *fd;
    port_ = net::local_port(listen_fd_);
    arm_accept();
    return ok();
}

void sim_server::arm_accept() {
    io_uring_sqe* sqe = loop_.ring().sqe();
    io_uring_prep_multishot_accept(sqe, listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    sqe->user_data = platform::op_tag::pack(op_listen_accept, slot_, 0);
}

void sim_server::on_completion(const io_uring_cqe& cqe, platform::op_tag) noexcept {
    if (!(cqe.flags & IORING_CQE_F_MORE)) arm_accept();
    if (cqe.res < 0) return;
    for (auto& s : sessions_) {
        if (!s->free()) continue;
        if (auto st = s->adopt(cqe.res); !st) {
            EF_LOG_WARN("accept: {}", st.err().message);
            return;
        }
        ++stats_.sessions_accepted;
        return;
    }
    EF_LOG_WARN("accept: all {} sessions busy; connection refused", sessions_.size());
    ::close(cqe.res);
}

namespace {

int64_t digit_unit_ns(int digits) {
    int64_t unit = 1;
    for (int d = std::clamp(digits, 0, 9); d < 9; ++d)
        unit *= 10;
    return unit;
}

} // namespace

std::string sim_server::timestamp_text(int64_t t) const {
    // format_timestamp_ns writes the fewest exact digits (3, 6 or 9); every
    // venue timestamp here shows the configured count instead.
    const int digits = std::clamp(opts_.timestamp_digits, 3, 9);
    const int64_t frac = t % 1'000'000'000;
    char buf[json::timestamp_max_chars + 1];
    const size_t n = json::format_timestamp_ns(t - frac, buf);
    constexpr size_t seconds_chars = 19; // "YYYY-MM-DDTHH:MM:SS"
    if (n < seconds_chars) return std::string(buf, n);
    const std::string digits9 = fmt::format("{:09}", frac);
    return fmt::format("{}.{}Z", std::string_view(buf, seconds_chars),
                       std::string_view(digits9).substr(0, static_cast<size_t>(digits)));
}

std::string sim_server::timestamp_now() const {
    return timestamp_text(unix_ns());
}

std::string sim_server::stamp_text(const std::string& contest) {
    return timestamp_text(
        book_.stamp(contest, unix_ns(), digit_unit_ns(std::clamp(opts_.timestamp_digits, 3, 9))));
}

bool sim_server::next_rest_chunked() noexcept {
    return opts_.rest_chunked || (rest_answers_++ % 2) == 1;
}

std::string sim_server::contests_truth() const {
    std::string out;
    for (const std::string& id : book_.contest_ids()) {
        const contest_info& ci = *book_.info(id);
        out += fmt::format(
            R"({{"contest_id":"{}","league_id":"{}","status":"{}","starts_at":"{}","timestamp":"{}","state_timestamp":"{}","state":{}}})",
            id, ci.league_id, ci.open ? "open" : "closed", timestamp_text(ci.starts_at_ns),
            timestamp_text(ci.last_change_ns), timestamp_text(ci.state_changed_ns),
            state_json(ci.state));
        out += '\n';
    }
    return out;
}

unsigned sim_server::sessions_with_key(const std::string& key) const {
    unsigned n = 0;
    for (const auto& s : sessions_)
        if (!s->free() && s->is_ws()) ++n;
    (void)key; // one key is configured; every WebSocket session holds it
    return n;
}

std::vector<std::string> sim_server::subscribed_contests() const {
    std::set<std::string> all;
    for (const auto& s : sessions_)
        if (!s->free() && s->is_ws())
            for (const auto& c : s->contests())
                if (book_.is_open(c)) all.insert(c); // a closed contest no longer moves
    return {all.begin(), all.end()};
}

void sim_server::on_subscribed(sim_session& s, const std::vector<std::string>& added) {
    if (!opts_.replay_on_subscribe) return;
    for (const auto& c : added) {
        auto entries = book_.initial_entries(c);
        for (size_t i = 0; i < entries.size(); i += opts_.entries_per_message) {
            std::vector<sim_entry> part(entries.begin() + static_cast<long>(i),
                                        entries.begin() + static_cast<long>(std::min(entries.size(), i + opts_.entries_per_message)));
            s.send_text(book_.update_json(c, part, stamp_text(c)));
            ++stats_.messages_sent;
            stats_.entries_sent += part.size();
        }
    }
}

void sim_server::generate(uint64_t messages, unsigned entries) {
    const auto contests = subscribed_contests();
    if (contests.empty()) return;
    for (uint64_t m = 0; m < messages; ++m) {
        const std::string& c = contests[rr_++ % contests.size()];
        const auto changes = book_.random_changes(c, entries);
        const std::string msg = book_.update_json(c, changes, stamp_text(c));
        for (auto& s : sessions_)
            if (!s->free() && s->is_ws() && s->contests().count(c)) s->send_text(msg);
        ++stats_.messages_sent;
        stats_.entries_sent += changes.size();
    }
}

void sim_server::publish_changes(const std::string& c, const std::vector<sim_entry>& entries) {
    if (entries.empty()) return;
    const std::string msg = book_.update_json(c, entries, stamp_text(c));
    for (auto& s : sessions_)
        if (!s->free() && s->is_live_ws() && s->contests().count(c)) s->send_text(msg);
    ++stats_.messages_sent;
    stats_.entries_sent += entries.size();
}

order_answer sim_server::answer_order(const http::request_head& h, std::string_view body) {
    contest_changes changes;
    order_answer a = orders_.answer(book_, h, body, unix_ns(), timestamp_now(), changes);
    for (const auto& [contest, entries] : changes)
        publish_changes(contest, entries);
    return a;
}

void sim_server::start_burst(uint64_t messages, unsigned entries) {
    burst_remaining_ += messages;
    burst_entries_ = entries;
    wake();
}

void sim_server::prepare(uint64_t messages, unsigned entries) {
    const auto contests = subscribed_contests();
    if (contests.empty()) return;
    prepared_.reserve(prepared_.size() + messages);
    for (uint64_t m = 0; m < messages; ++m) {
        const std::string& c = contests[rr_++ % contests.size()];
        const auto changes = book_.random_changes(c, entries);
        const std::string msg = book_.update_json(c, changes, stamp_text(c));
        uint8_t hdr[14];
        const size_t n = ws::encode_frame_header(hdr, ws::opcode::text, true, msg.size(), std::nullopt);
        std::string frame(reinterpret_cast<const char*>(hdr), n);
        frame += msg;
        prepared_.emplace_back(c, std::move(frame));
        stats_.entries_sent += entries;
    }
}

uint64_t sim_server::release_prepared() {
    const uint64_t n = prepared_.size();
    for (auto& s : sessions_) {
        if (s->free() || !s->is_ws()) continue;
        std::string all;
        for (const auto& [c, frame] : prepared_)
            if (s->contests().count(c)) all += frame;
        s->send_raw(all);
    }
    stats_.messages_sent += n;
    prepared_.clear();
    return n;
}

unsigned sim_server::drop_websockets() {
    unsigned n = 0;
    for (auto& s : sessions_)
        if (!s->free() && s->is_ws()) {
            s->drop("control: drop");
            ++n;
        }
    return n;
}

void sim_server::set_rate(double per_second) {
    rate_ = per_second;
    rate_start_ns_ = mono_ns();
    rate_sent_ = 0;
    wake();
}

std::string sim_server::status_json() const {
    size_t backlog = 0;
    unsigned ws = 0, subscribed = 0;
    for (const auto& s : sessions_) {
        if (s->free()) continue;
        backlog += s->backlog_bytes();
        if (s->is_ws()) ++ws;
        subscribed += static_cast<unsigned>(s->contests().size());
    }
    return fmt::format(
        R"({{"port":{},"ws_sessions":{},"subscribed_contests":{},"burst_remaining":{},"backlog_bytes":{},"messages_sent":{},"entries_sent":{},"changes":{},"upgrades":{},"rejected_401":{},"rejected_429":{},"pings_sent":{},"pongs_received":{},"client_pings":{},"snapshots_served":{},"rate_per_second":{},"prepared":{},"rest_requests":{},"rest_chunked":{},"state_updates_sent":{},"contests":{},"chaos_period_ms":{},"faults":{}}})",
        port_, ws, subscribed, burst_remaining_, backlog, stats_.messages_sent, stats_.entries_sent,
        book_.changes_applied(), stats_.upgrades, stats_.rejected_401, stats_.rejected_429,
        stats_.pings_sent, stats_.pongs_received, stats_.client_pings, stats_.snapshots_served,
        rate_, prepared_.size(), stats_.rest_requests, stats_.rest_chunked,
        stats_.state_updates_sent, book_.contest_ids().size(), chaos_period_ns_ / 1'000'000,
        faults_.json());
}

void sim_server::tick_states() {
    for (const std::string& c : book_.contest_ids()) {
        contest_info& ci = *book_.info(c);
        if (ci.open && ci.state.tick(next_random())) send_state(c);
    }
}

void sim_server::send_state(const std::string& c) {
    const std::string ts = stamp_text(c);
    contest_info& ci = *book_.info(c);
    ci.state_changed_ns = ci.last_change_ns;
    std::string msg;
    for (auto& s : sessions_) {
        if (s->free() || !s->is_live_ws() || !s->state_contests().count(c)) continue;
        if (msg.empty())
            msg = fmt::format(
                R"({{"type":"contest_state.update","contest_id":"{}","state":{},"timestamp":"{}"}})",
                c, state_json(ci.state), ts);
        s->send_text(msg);
        ++stats_.state_updates_sent;
    }
}

int64_t sim_server::on_deadline(int64_t now) noexcept {
    int64_t next = next_ping_;
    for (auto& s : sessions_)
        if (!s->free()) next = std::min(next, s->tick(now));
    if (now >= next_state_tick_) {
        tick_states();
        next_state_tick_ = now + opts_.state_interval_ns;
    }
    next = std::min(next, next_state_tick_);
    run_fault_queue(now);
    run_chaos(now);
    if (!faults_.queue.empty()) next = std::min(next, now + 10'000'000);
    if (chaos_period_ns_ > 0) next = std::min(next, chaos_next_);
    if (now >= next_ping_) {
        // Seed: ping every interval; a client that has not answered the
        // previous ping by this tick is terminated. A stalled session sends
        // nothing, pings included, and is not judged.
        for (auto& s : sessions_) {
            if (s->free() || !s->is_ws() || s->stalled(now)) continue;
            if (s->awaiting_pong())
                s->drop("no pong since the previous ping");
            else
                s->send_ping();
        }
        next_ping_ = now + opts_.ping_interval_ns;
        next = std::min(next, next_ping_);
    }
    if (burst_remaining_) {
        // Generate in slices so pings and control requests keep flowing.
        const uint64_t slice = std::min<uint64_t>(burst_remaining_, 2000);
        generate(slice, burst_entries_);
        burst_remaining_ -= slice;
        if (subscribed_contests().empty()) burst_remaining_ = 0;
        if (burst_remaining_) next = now;
    }
    if (rate_ > 0) {
        const auto due = static_cast<uint64_t>(static_cast<double>(now - rate_start_ns_) * rate_ / 1e9);
        if (due > rate_sent_) {
            const uint64_t n = std::min<uint64_t>(due - rate_sent_, 5000);
            generate(n, opts_.entries_per_message);
            rate_sent_ += n;
        }
        next = std::min(next, now + 1'000'000);
    }
    return next;
}

} // namespace ef::sim
