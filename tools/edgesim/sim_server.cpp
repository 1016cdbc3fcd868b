// See sim_server.hpp.
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

constexpr size_t head_bytes = 16384;
constexpr size_t body_bytes = 65536;
constexpr size_t pump_chunk = 16384;
constexpr uint8_t op_listen_accept = net::op_accept;

std::string_view as_text(std::span<const uint8_t> s) {
    return {reinterpret_cast<const char*>(s.data()), s.size()};
}

} // namespace

// ------------------------------------------------------------------ session

sim_session::sim_session(sim_server& server, net::event_loop& loop, uint32_t index)
    : server_(server), loop_(loop), index_(index), slot_(loop.add_owner(this)),
      head_buf_(new char[head_bytes]), body_buf_(new char[body_bytes]),
      http_({head_buf_.get(), head_bytes}, {body_buf_.get(), body_bytes}),
      msg_buf_(new uint8_t[server.options().max_message_bytes]),
      decoder_(ws::role::server, {msg_buf_.get(), server.options().max_message_bytes}),
      scratch_mem_(new char[server.options().max_message_bytes]),
      scratch_({scratch_mem_.get(), server.options().max_message_bytes}) {
    net::stream_buffers b;
    b.outbound_bytes = 1 << 20;
    stream_ = std::make_unique<net::tls_stream>(loop, *this, slot_, b);
}

status sim_session::adopt(int fd) {
    http_.reset();
    decoder_.reset();
    contests_.clear();
    backlog_.clear();
    backlog_off_ = 0;
    ws_ = closing_ = awaiting_pong_ = false;
    key_.clear();
    auto s = stream_->adopt(fd, server_.tls());
    if (s) active_ = true;
    return s;
}

void sim_session::release() {
    active_ = false;
    ws_ = false;
    contests_.clear();
    backlog_.clear();
    backlog_off_ = 0;
}

void sim_session::drop(const char* why) {
    EF_LOG_INFO("session {}: dropping: {}", index_, why);
    stream_->abort();
    release();
}

void sim_session::on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept {
    stream_->on_completion(cqe, tag);
    if (active_ && tag.op == net::op_send) pump();
}

void sim_session::on_stream_closed(net::stream_end why, const char* text) noexcept {
    if (why != net::stream_end::peer_closed) EF_LOG_INFO("session {}: {} ({})", index_, text, net::to_string(why));
    release();
}

void sim_session::on_plaintext(std::span<uint8_t> bytes) noexcept {
    while (!bytes.empty() && active_ && !ws_) {
        size_t consumed = 0;
        const auto st = http_.feed(as_text(bytes), consumed);
        bytes = bytes.subspan(consumed);
        if (st == http::parse_status::need_more) return;
        if (st == http::parse_status::bad) {
            respond(400, "Bad Request", "application/json",
                    fmt::format(R"({{"error":{{"code":"bad_request","message":"{}"}}}})", http_.error_text()));
            closing_ = true;
            return;
        }
        on_request();
        if (!ws_) http_.reset();
    }
    if (active_ && ws_ && !bytes.empty()) {
        if (decoder_.feed(bytes, events_) == ws::decode_status::failed) {
            char frame[160];
            const size_t n = ws::encode_close(std::span<uint8_t>(reinterpret_cast<uint8_t*>(frame), sizeof frame),
                                              decoder_.close_code(), decoder_.error_text(), std::nullopt);
            backlog_.append(frame, n);
            closing_ = true;
            pump();
        }
    }
}

void sim_session::respond(int status, std::string_view reason, std::string_view content_type,
                          std::string_view body) {
    http::header h[] = {{"Content-Type", content_type}};
    std::string out(body.size() + 512, '\0');
    const size_t n = http::write_response({out.data(), out.size()}, status, reason, h, body);
    out.resize(n);
    backlog_ += out;
    pump();
}

void sim_session::on_request() {
    const http::request_head& h = http_.head();
    const std::string_view path = h.path;
    if (path == openmarkets::stream_path) {
        upgrade();
        return;
    }
    // Control API: loopback tests and the demo drive the simulator here.
    if (path == "/_sim/status") {
        respond(200, "OK", "application/json", server_.status_json());
        return;
    }
    if (path == "/_sim/truth") {
        respond(200, "OK", "application/x-ndjson", server_.book().truth_lines());
        return;
    }
    if (path == "/_sim/burst" && h.method == "POST") {
        const auto m = http::find_query_param(h.query, "messages");
        const auto e = http::find_query_param(h.query, "entries");
        const uint64_t messages = m.empty() ? 1000 : std::strtoull(std::string(m).c_str(), nullptr, 10);
        const unsigned entries = e.empty() ? 3 : static_cast<unsigned>(std::strtoul(std::string(e).c_str(), nullptr, 10));
        server_.start_burst(messages, std::max(1u, entries));
        respond(200, "OK", "application/json", server_.status_json());
        return;
    }
    if (path == "/_sim/prepare" && h.method == "POST") {
        const auto m = http::find_query_param(h.query, "messages");
        const auto e = http::find_query_param(h.query, "entries");
        server_.prepare(m.empty() ? 1000 : std::strtoull(std::string(m).c_str(), nullptr, 10),
                        e.empty() ? 3 : std::max(1u, static_cast<unsigned>(std::strtoul(std::string(e).c_str(), nullptr, 10))));
        respond(200, "OK", "application/json", server_.status_json());
        return;
    }
    if (path == "/_sim/release" && h.method == "POST") {
        const uint64_t n = server_.release_prepared();
        respond(200, "OK", "application/json", fmt::format(R"({{"released":{}}})", n));
        return;
    }
    if (path == "/_sim/drop" && h.method == "POST") {
        // An abrupt TCP drop of every WebSocket session (no close frame).
        const unsigned n = server_.drop_websockets();
        respond(200, "OK", "application/json", fmt::format(R"({{"dropped":{}}})", n));
        return;
    }
    if (path == "/_sim/rate" && h.method == "POST") {
        const auto r = http::find_query_param(h.query, "per_second");
        server_.set_rate(r.empty() ? 0.0 : std::strtod(std::string(r).c_str(), nullptr));
        respond(200, "OK", "application/json", server_.status_json());
        return;
    }
    // REST: GET /flow/v1/contests/:id/liquidity
    constexpr std::string_view contests_prefix = "/flow/v1/contests/";
    if (h.method == "GET" && path.starts_with(contests_prefix) && path.ends_with("/liquidity")) {
        const std::string id(path.substr(contests_prefix.size(),
                                         path.size() - contests_prefix.size() - std::strlen("/liquidity")));
        const std::string_view key = http::find_header(h.headers, openmarkets::api_key_header);
        if (key != server_.options().api_key) {
            respond(401, "Unauthorized", "application/json",
                    R"({"error":{"code":"unauthorized","message":"missing or invalid API key"}})");
            return;
        }
        if (!server_.book().has_contest(id)) {
            respond(404, "Not Found", "application/json",
                    R"({"error":{"code":"not_found","message":"no such contest"}})");
            return;
        }
        ++server_.stats().snapshots_served;
        respond(200, "OK", "application/json", server_.book().snapshot_json(id, server_.timestamp_now()));
        return;
    }
    respond(404, "Not Found", "application/json", R"({"error":{"code":"not_found","message":"no such route"}})");
}

void sim_session::upgrade() {
    const http::request_head& h = http_.head();
    const ws::upgrade_request req = ws::check_upgrade_request(h.headers);
    if (req.check != ws::request_check::ok) {
        respond(400, "Bad Request", "text/plain", ws::to_string(req.check));
        closing_ = true;
        return;
    }
    // Seed: the key as api_key query parameter, or X-API-Key for server-side clients.
    std::string_view key = http::find_header(h.headers, openmarkets::api_key_header);
    char decoded[256];
    std::string_view qkey;
    if (http::find_query_param(h.query, openmarkets::api_key_query_param, decoded, qkey) ==
        http::codec_status::ok)
        key = qkey;
    if (key != server_.options().api_key) {
        ++server_.stats().rejected_401;
        respond(openmarkets::unauthorized_status, "Unauthorized", "application/json",
                R"({"error":{"code":"unauthorized","message":"missing or invalid API key"}})");
        closing_ = true;
        return;
    }
    key_ = std::string(key);
    if (server_.sessions_with_key(key_) >= openmarkets::max_connections_per_key) {
        ++server_.stats().rejected_429;
        key_.clear();
        respond(openmarkets::too_many_connections_status, "Too Many Requests", "application/json",
                R"({"error":{"code":"too_many_connections","message":"3 connections per key"}})");
        closing_ = true;
        return;
    }
    const auto accept = ws::compute_accept(req.client_key);
    char out[512];
    const size_t n = ws::write_upgrade_response(out, {accept.data(), accept.size()});
    backlog_.append(out, n);
    ws_ = true;
    ++server_.stats().upgrades;
    send_text(fmt::format(R"({{"type":"connected","organization_id":"org_sim","api_key_id":"key_sim","server_time":"{}"}})",
                          server_.timestamp_now()));
}

void sim_session::send_frame(ws::opcode op, std::string_view payload) {
    uint8_t hdr[14];
    const size_t n = ws::encode_frame_header(hdr, op, true, payload.size(), std::nullopt);
    backlog_.append(reinterpret_cast<const char*>(hdr), n);
    backlog_.append(payload);
    pump();
}

void sim_session::send_text(std::string_view text) { send_frame(ws::opcode::text, text); }

void sim_session::send_raw(std::string_view frames) {
    backlog_.append(frames);
    pump();
}

void sim_session::send_ping() {
    awaiting_pong_ = true;
    ++server_.stats().pings_sent;
    send_frame(ws::opcode::ping, "sim-ping");
}

void sim_session::pump() noexcept {
    while (active_ && stream_->is_open() && backlog_off_ < backlog_.size()) {
        const size_t n = std::min(pump_chunk, backlog_.size() - backlog_off_);
        const auto s = stream_->write({reinterpret_cast<const uint8_t*>(backlog_.data()) + backlog_off_, n});
        if (s != tls::io_status::ok) break; // want_room: resumed on the next send completion
        backlog_off_ += n;
    }
    if (backlog_off_ == backlog_.size()) {
        backlog_.clear();
        backlog_off_ = 0;
        if (closing_ && active_) {
            stream_->close_after_flush();
            release();
        }
    } else if (backlog_off_ > (8u << 20) && backlog_off_ > backlog_.size() / 2) {
        // Compact only when most of it is sent: erasing the front of a large
        // prepared burst on every pump would be quadratic.
        backlog_.erase(0, backlog_off_);
        backlog_off_ = 0;
    }
}

void sim_session::on_message(ws::opcode op, std::span<const uint8_t> payload) noexcept {
    if (op != ws::opcode::text) {
        send_text(R"({"type":"error","code":"invalid_message","message":"binary frames are not accepted"})");
        return;
    }
    handle_client_text(as_text(payload));
}

void sim_session::handle_client_text(std::string_view text) {
    json::client_message m;
    const auto st = json::parse_client_message(text, m, scratch_);
    if (st == json::client_status::malformed) {
        send_text(R"({"type":"error","code":"invalid_message","message":"not JSON"})");
        return;
    }
    if (st != json::client_status::ok) {
        send_text(fmt::format(R"({{"type":"error","code":"invalid_message","message":"bad {}"}})", m.field));
        return;
    }
    if (m.action == json::client_action::ping) {
        ++server_.stats().client_pings;
        send_text(fmt::format(R"({{"type":"pong","server_time":"{}"}})", server_.timestamp_now()));
        return;
    }
    if (m.channel != "liquidity") {
        send_text(R"({"type":"error","code":"invalid_channel","message":"unknown channel"})");
        return;
    }
    std::vector<std::string> ids;
    json::string_iterator it = m.contest_ids(scratch_);
    std::string_view id;
    while (it.next(id) == json::item_status::ok) ids.emplace_back(id);
    if (m.action == json::client_action::subscribe) {
        if (ids.empty()) return; // seed: an empty list is a no-op
        if (ids.size() > openmarkets::max_contests_per_connection) {
            send_text(fmt::format(R"({{"type":"error","code":"{}","message":"at most {} contests"}})",
                                  openmarkets::too_many_contests_code,
                                  openmarkets::max_contests_per_connection));
            return;
        }
        // Re-subscribing replaces the channel's list (PROTOCOL.md).
        std::set<std::string> next(ids.begin(), ids.end());
        std::vector<std::string> added;
        for (const auto& c : next)
            if (!contests_.count(c) && server_.book().has_contest(c)) added.push_back(c);
        contests_.clear();
        for (const auto& c : next)
            if (server_.book().has_contest(c)) contests_.insert(c);
        std::string list;
        for (const auto& c : contests_) list += (list.empty() ? "\"" : ",\"") + c + "\"";
        send_text(fmt::format(R"({{"type":"subscribed","channel":"liquidity","contest_ids":[{}]}})", list));
        server_.on_subscribed(*this, added);
    } else {
        std::string list;
        for (const auto& c : ids)
            if (contests_.erase(c)) list += (list.empty() ? "\"" : ",\"") + c + "\"";
        send_text(fmt::format(R"({{"type":"unsubscribed","channel":"liquidity","contest_ids":[{}]}})", list));
    }
}

void sim_session::on_ping(std::span<const uint8_t> payload) noexcept {
    send_frame(ws::opcode::pong, as_text(payload));
}

void sim_session::on_pong(std::span<const uint8_t>) noexcept {
    awaiting_pong_ = false;
    ++server_.stats().pongs_received;
}

void sim_session::on_close(uint16_t code, std::string_view) noexcept {
    char frame[16];
    const size_t n = ws::encode_close(std::span<uint8_t>(reinterpret_cast<uint8_t*>(frame), sizeof frame),
                                      code == 1005 ? 1000 : code, "", std::nullopt);
    backlog_.append(frame, n);
    closing_ = true;
    pump();
}

void sim_ws_events::on_message(ws::opcode op, std::span<const uint8_t> p) noexcept { session->on_message(op, p); }
void sim_ws_events::on_ping(std::span<const uint8_t> p) noexcept { session->on_ping(p); }
void sim_ws_events::on_pong(std::span<const uint8_t> p) noexcept { session->on_pong(p); }
void sim_ws_events::on_close(uint16_t code, std::string_view reason) noexcept { session->on_close(code, reason); }

// ------------------------------------------------------------------- server

sim_server::sim_server(sim_options opts, venue_book& book, const tls::tls_context& tls,
                       net::event_loop& loop)
    : opts_(std::move(opts)), book_(book), tls_(tls), loop_(loop), slot_(loop.add_owner(this)),
      rate_(opts_.rate_per_second) {
    for (uint32_t i = 0; i < opts_.max_sessions; ++i)
        sessions_.push_back(std::make_unique<sim_session>(*this, loop, i));
    rate_start_ns_ = mono_ns();
    next_ping_ = rate_start_ns_ + opts_.ping_interval_ns;
    loop_.schedule(rate_ > 0 ? rate_start_ns_ : next_ping_);
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

std::string sim_server::timestamp_now() const {
    int64_t t = unix_ns();
    int64_t unit = 1;
    for (int d = opts_.timestamp_digits; d < 9; ++d) unit *= 10;
    t -= t % unit;
    char buf[json::timestamp_max_chars + 1];
    const size_t n = json::format_timestamp_ns(t, buf);
    return std::string(buf, n);
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
        if (!s->free() && s->is_ws()) all.insert(s->contests().begin(), s->contests().end());
    return {all.begin(), all.end()};
}

void sim_server::on_subscribed(sim_session& s, const std::vector<std::string>& added) {
    if (!opts_.replay_on_subscribe) return;
    for (const auto& c : added) {
        auto entries = book_.initial_entries(c);
        for (size_t i = 0; i < entries.size(); i += opts_.entries_per_message) {
            std::vector<sim_entry> part(entries.begin() + static_cast<long>(i),
                                        entries.begin() + static_cast<long>(std::min(entries.size(), i + opts_.entries_per_message)));
            s.send_text(book_.update_json(c, part, timestamp_now()));
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
        const std::string msg = book_.update_json(c, changes, timestamp_now());
        for (auto& s : sessions_)
            if (!s->free() && s->is_ws() && s->contests().count(c)) s->send_text(msg);
        ++stats_.messages_sent;
        stats_.entries_sent += changes.size();
    }
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
        const std::string msg = book_.update_json(c, book_.random_changes(c, entries), timestamp_now());
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
        R"({{"port":{},"ws_sessions":{},"subscribed_contests":{},"burst_remaining":{},"backlog_bytes":{},"messages_sent":{},"entries_sent":{},"changes":{},"upgrades":{},"rejected_401":{},"rejected_429":{},"pings_sent":{},"pongs_received":{},"client_pings":{},"snapshots_served":{},"rate_per_second":{},"prepared":{}}})",
        port_, ws, subscribed, burst_remaining_, backlog, stats_.messages_sent, stats_.entries_sent,
        book_.changes_applied(), stats_.upgrades, stats_.rejected_401, stats_.rejected_429,
        stats_.pings_sent, stats_.pongs_received, stats_.client_pings, stats_.snapshots_served, rate_,
        prepared_.size());
}

int64_t sim_server::on_deadline(int64_t now) noexcept {
    int64_t next = next_ping_;
    if (now >= next_ping_) {
        // Seed: ping every interval; a client that has not answered the
        // previous ping by this tick is terminated.
        for (auto& s : sessions_) {
            if (s->free() || !s->is_ws()) continue;
            if (s->awaiting_pong())
                s->drop("no pong since the previous ping");
            else
                s->send_ping();
        }
        next_ping_ = now + opts_.ping_interval_ns;
        next = next_ping_;
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
