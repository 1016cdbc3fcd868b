// One connection of the simulated venue (see sim_server.hpp): HTTP requests
// (REST, the /_sim/ control API, the stream upgrade) on a keep-alive TLS
// connection, then, after an upgrade, the WebSocket side. Driven by the
// simulator's loop; faults reach it through sim_server.
#include "edgesim/sim_server.hpp"

#include "common/clock.hpp"
#include "common/log.hpp"
#include "edgesim/rest_routes.hpp"
#include "feed/protocol_rules.hpp"
#include "http/request_writer.hpp"
#include "ws/frame_writer.hpp"
#include "ws/handshake.hpp"
#include "json/client_message.hpp"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ef::sim {

namespace {

constexpr size_t head_bytes = 16384;
constexpr size_t body_bytes = 65536;
constexpr size_t pump_chunk = 16384;
constexpr std::string_view sim_prefix = "/_sim/";

std::string_view as_text(std::span<const uint8_t> s) {
    return {reinterpret_cast<const char*>(s.data()), s.size()};
}

uint64_t query_u64(std::string_view query, std::string_view name, uint64_t fallback) {
    const auto v = http::find_query_param(query, name);
    return v.empty() ? fallback : std::strtoull(std::string(v).c_str(), nullptr, 10);
}

std::string id_list(const std::set<std::string>& ids) {
    std::string list;
    for (const auto& c : ids)
        list += (list.empty() ? "\"" : ",\"") + c + "\"";
    return list;
}

} // namespace

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
    state_contests_.clear();
    backlog_.clear();
    backlog_off_ = 0;
    ws_ = closing_ = awaiting_pong_ = holding_ = hung_ = false;
    stalled_until_ = delayed_due_ = 0;
    last_active_ = mono_ns();
    delayed_.clear();
    inbox_.clear();
    key_.clear();
    // A reference of our own, so the drop fault can set SO_LINGER 0 on a
    // socket the stream holds as a fixed file.
    if (sock_fd_ >= 0) ::close(sock_fd_);
    sock_fd_ = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    auto s = stream_->adopt(fd, server_.tls());
    if (s) {
        active_ = true;
    } else if (sock_fd_ >= 0) {
        ::close(sock_fd_);
        sock_fd_ = -1;
    }
    return s;
}

void sim_session::release() {
    active_ = false;
    ws_ = false;
    contests_.clear();
    state_contests_.clear();
    backlog_.clear();
    backlog_off_ = 0;
    holding_ = hung_ = false;
    delayed_.clear();
    inbox_.clear();
    // The stream's fixed file keeps the socket until its own close.
    if (sock_fd_ >= 0) ::close(sock_fd_);
    sock_fd_ = -1;
}

void sim_session::drop(const char* why) {
    EF_LOG_INFO("session {}: dropping: {}", index_, why);
    stream_->abort();
    release();
}

void sim_session::drop_rst() {
    EF_LOG_INFO("session {}: fault: RST", index_);
    if (sock_fd_ >= 0) {
        // SO_LINGER with a zero timeout: the last close sends RST, not FIN.
        const linger l{1, 0};
        setsockopt(sock_fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    stream_->abort();
    release();
}

void sim_session::stall_until(int64_t until) {
    stalled_until_ = std::max(stalled_until_, until);
    server_.wake();
}

void sim_session::send_then_close(std::string_view bytes) {
    backlog_.append(bytes);
    closing_ = true;
    pump();
}

int64_t sim_session::tick(int64_t now) noexcept {
    if (!active_) return net::no_deadline;
    int64_t next = net::no_deadline;
    if (stalled_until_) {
        if (now >= stalled_until_) {
            stalled_until_ = 0;
            pump();
        } else {
            next = stalled_until_;
        }
    }
    // Idle plain HTTP connections are closed (FIN after close_notify), as a
    // venue's front end does; a client must reconnect before it lapses. An
    // answer still owed (delayed) keeps the connection; a hung one does not.
    const int64_t idle_ns = server_.options().idle_timeout_ns;
    if (!ws_ && idle_ns > 0 && !(holding_ && !hung_)) {
        if (now >= last_active_ + idle_ns) {
            EF_LOG_INFO("session {}: idle for {} s: closing", index_, idle_ns / 1'000'000'000);
            holding_ = hung_ = false;
            closing_ = true;
            pump();
            return net::no_deadline;
        }
        next = std::min(next, last_active_ + idle_ns);
    }
    if (holding_ && !hung_ && delayed_due_) {
        if (now >= delayed_due_) {
            delayed_due_ = 0;
            backlog_ += delayed_;
            delayed_.clear();
            holding_ = false;
            pump();
            std::string pending = std::move(inbox_);
            inbox_.clear();
            if (!pending.empty() && active_)
                on_plaintext({reinterpret_cast<uint8_t*>(pending.data()), pending.size()});
        } else {
            next = std::min(next, delayed_due_);
        }
    }
    return next;
}

void sim_session::on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept {
    stream_->on_completion(cqe, tag);
    if (active_ && tag.op == net::op_send) pump();
}

void sim_session::on_stream_closed(net::stream_end why, const char* text) noexcept {
    if (why != net::stream_end::peer_closed)
        EF_LOG_INFO("session {}: {} ({})", index_, text, net::to_string(why));
    release();
}

void sim_session::hold_input(std::span<uint8_t> rest) {
    holding_ = true;
    if (!hung_) inbox_.append(reinterpret_cast<const char*>(rest.data()), rest.size());
}

void sim_session::on_plaintext(std::span<uint8_t> bytes) noexcept {
    last_active_ = mono_ns();
    if (holding_) {
        hold_input(bytes);
        return;
    }
    while (!bytes.empty() && active_ && !ws_ && !closing_) {
        size_t consumed = 0;
        const auto st = http_.feed(as_text(bytes), consumed);
        bytes = bytes.subspan(consumed);
        if (st == http::parse_status::need_more) return;
        if (st == http::parse_status::bad) {
            respond(400, "Bad Request", "application/json",
                    fmt::format(R"({{"error":{{"code":"bad_request","message":"{}"}}}})",
                                http_.error_text()));
            closing_ = true;
            pump();
            return;
        }
        on_request();
        if (!ws_) http_.reset();
        if (holding_) {
            hold_input(bytes);
            return;
        }
    }
    if (active_ && ws_ && !bytes.empty()) {
        if (decoder_.feed(bytes, events_) == ws::decode_status::failed) {
            char frame[160];
            const size_t n = ws::encode_close(
                std::span<uint8_t>(reinterpret_cast<uint8_t*>(frame), sizeof frame),
                decoder_.close_code(), decoder_.error_text(), std::nullopt);
            backlog_.append(frame, n);
            closing_ = true;
            pump();
        }
    }
}

void sim_session::respond(int status, std::string_view reason, std::string_view content_type,
                          std::string_view body, bool chunked) {
    // Several chunks, so a client must join them (RFC 9112 7.1).
    const size_t chunk = chunked ? std::max<size_t>(1, body.size() / 4 + 1) : 0;
    const bool close = !http_.head().keep_alive;
    http::header with_close[] = {{"Content-Type", content_type}, {"Connection", "close"}};
    std::string out(body.size() + 512 + (chunked ? 5 * 24 : 0), '\0');
    const size_t n =
        http::write_response({out.data(), out.size()}, status, reason,
                             std::span<const http::header>(with_close, close ? 2 : 1), body, chunk);
    out.resize(n);
    last_active_ = mono_ns();
    if (close) closing_ = true;
    if (holding_ && !hung_) {
        delayed_ = std::move(out);
        return;
    }
    backlog_ += out;
    pump();
}

void sim_session::on_request() {
    const std::string_view path = http_.head().path;
    if (path == openmarkets::stream_path) {
        upgrade();
        return;
    }
    if (path.starts_with(sim_prefix)) {
        on_control();
        return;
    }
    if (is_order_path(path)) {
        on_order();
        return;
    }
    const std::string_view base = openmarkets::rest_base_path;
    if (path.starts_with(base) && (path.size() == base.size() || path[base.size()] == '/')) {
        on_rest();
        return;
    }
    respond(404, "Not Found", "application/json",
            R"({"error":{"code":"not_found","message":"no such route"}})");
}

void sim_session::on_rest() {
    ++server_.stats().rest_requests;
    fault_book& f = server_.faults();
    if (f.rest_hang_left) {
        // Never answered; the connection stays open and reads nothing more.
        --f.rest_hang_left;
        f.fire(fault_kind::rest_hang);
        hung_ = holding_ = true;
        return;
    }
    rest_reply r;
    if (f.rest_fail_left) {
        --f.rest_fail_left;
        f.fire(fault_kind::rest_fail);
        r = rest_error(503, "unavailable", "injected fault: rest_fail");
    } else {
        r = answer_rest(server_, http_.head(), http_.body());
    }
    const bool chunked = server_.next_rest_chunked();
    if (chunked) ++server_.stats().rest_chunked;
    if (f.rest_slow_ms > 0) {
        f.fire(fault_kind::rest_slow);
        holding_ = true;
        delayed_due_ = mono_ns() + f.rest_slow_ms * 1'000'000;
        server_.wake();
    }
    respond(r.status, reason_phrase(r.status), "application/json", r.body, chunked);
    if (holding_ && delayed_due_) loop_.schedule(delayed_due_);
}

void sim_session::on_order() {
    fault_book& f = server_.faults();
    order_desk& desk = server_.orders();
    const http::request_head& h = http_.head();
    const std::string_view body = http_.body();
    if (f.order_drop_before_left) {
        // Closed before the venue looked at it: nothing executed.
        --f.order_drop_before_left;
        f.fire(fault_kind::order_drop);
        desk.add(desk.unanswered(h, body, unix_ns()));
        drop("fault: order_drop before");
        return;
    }
    order_answer a;
    if (!f.order_status_queue.empty()) {
        const int status = f.order_status_queue.front();
        f.order_status_queue.pop_front();
        f.fire(fault_kind::order_status);
        a = desk.injected(h, body, status, unix_ns());
    } else {
        a = server_.answer_order(h, body);
    }
    if (f.order_drop_after_left) {
        // Executed at the venue; the client only sees the connection go.
        --f.order_drop_after_left;
        f.fire(fault_kind::order_drop);
        a.record.fault = "drop_after";
        a.record.status = 0;
        desk.add(std::move(a.record));
        drop("fault: order_drop after");
        return;
    }
    if (f.order_hang_left) {
        --f.order_hang_left;
        f.fire(fault_kind::order_hang);
        a.record.fault = "hang";
        a.record.status = 0;
        desk.add(std::move(a.record));
        hung_ = holding_ = true;
        return;
    }
    desk.add(std::move(a.record));
    if (f.order_latency_ms > 0) {
        // Held, not slept on: the loop keeps serving everyone else.
        f.fire(fault_kind::order_latency);
        holding_ = true;
        delayed_due_ = mono_ns() + f.order_latency_ms * 1'000'000;
        server_.wake();
    }
    respond(a.status, reason_phrase(a.status), "application/json", a.body);
    if (holding_ && delayed_due_) loop_.schedule(delayed_due_);
}

void sim_session::on_control() {
    const http::request_head& h = http_.head();
    const std::string_view path = h.path;
    auto json_ok = [&](std::string_view body) { respond(200, "OK", "application/json", body); };
    if (path == "/_sim/status") return json_ok(server_.status_json());
    if (path == "/_sim/truth") {
        char buf[256];
        std::string_view v;
        if (http::find_query_param(h.query, "view", buf, v) == http::codec_status::ok &&
            v == "contests")
            return respond(200, "OK", "application/x-ndjson", server_.contests_truth());
        std::string only;
        if (http::find_query_param(h.query, "contest", buf, v) == http::codec_status::ok) only = v;
        return respond(200, "OK", "application/x-ndjson", server_.book().truth_lines(only));
    }
    if (path == "/_sim/orders" && h.method == "GET")
        return json_ok(server_.orders().records_json());
    if (path == "/_sim/quote" && (h.method == "POST" || h.method == "GET")) {
        // symbol=S&bid=..&bid_size=..&ask=..&ask_size=..: sets a Connect Trade
        // quote; resting orders on the symbol fill against it.
        char buf[256];
        std::string_view v;
        std::string spec;
        for (const char* k : {"symbol", "bid", "bid_size", "ask", "ask_size"}) {
            if (http::find_query_param(h.query, k, buf, v) != http::codec_status::ok) v = {};
            spec += (spec.empty() ? "" : ":") + std::string(v);
        }
        auto q = parse_ct_quote(spec);
        if (!q)
            return respond(400, "Bad Request", "application/json",
                           fmt::format(R"({{"error":{{"code":"bad_quote","message":"{}"}}}})",
                                       q.err().message));
        server_.orders().ct().move_market(q->first, q->second, unix_ns());
        return json_ok(R"({"ok":true})");
    }
    if (path == "/_sim/fault" && (h.method == "POST" || h.method == "GET")) {
        if (!is_fault_query(h.query)) return json_ok(server_.faults().json());
        auto req = parse_fault_request(h.query);
        result<std::string> r =
            req ? server_.apply_fault(*req) : result<std::string>(std::move(req).err());
        if (!r)
            return respond(400, "Bad Request", "application/json",
                           fmt::format(R"({{"error":{{"code":"bad_fault","message":"{}"}}}})",
                                       r.err().message));
        return json_ok(fmt::format(R"({{"ok":true,"kind":"{}","note":{},"faults":{}}})",
                                   to_string(req->kind), *r, server_.faults().json()));
    }
    if (path == "/_sim/chaos" && (h.method == "POST" || h.method == "GET")) {
        server_.set_chaos(static_cast<int64_t>(query_u64(h.query, "period_ms", 0)),
                          query_u64(h.query, "seed", server_.options().seed));
        return json_ok(server_.status_json());
    }
    if (path == "/_sim/burst" && h.method == "POST") {
        server_.start_burst(
            query_u64(h.query, "messages", 1000),
            std::max<unsigned>(1, static_cast<unsigned>(query_u64(h.query, "entries", 3))));
        return json_ok(server_.status_json());
    }
    if (path == "/_sim/prepare" && h.method == "POST") {
        server_.prepare(
            query_u64(h.query, "messages", 1000),
            std::max<unsigned>(1, static_cast<unsigned>(query_u64(h.query, "entries", 3))));
        return json_ok(server_.status_json());
    }
    if (path == "/_sim/release" && h.method == "POST")
        return json_ok(fmt::format(R"({{"released":{}}})", server_.release_prepared()));
    if (path == "/_sim/drop" && h.method == "POST") {
        // An abrupt TCP drop of every WebSocket session (no close frame).
        return json_ok(fmt::format(R"({{"dropped":{}}})", server_.drop_websockets()));
    }
    if (path == "/_sim/rate" && h.method == "POST") {
        const auto r = http::find_query_param(h.query, "per_second");
        server_.set_rate(r.empty() ? 0.0 : std::strtod(std::string(r).c_str(), nullptr));
        return json_ok(server_.status_json());
    }
    respond(404, "Not Found", "application/json",
            R"({"error":{"code":"not_found","message":"no such control"}})");
}

void sim_session::upgrade() {
    const http::request_head& h = http_.head();
    const ws::upgrade_request req = ws::check_upgrade_request(h.headers);
    if (req.check != ws::request_check::ok) {
        respond(400, "Bad Request", "text/plain", ws::to_string(req.check));
        closing_ = true;
        pump();
        return;
    }
    // Seed: the key as api_key query parameter, or X-API-Key for server-side clients.
    std::string_view key = http::find_header(h.headers, openmarkets::api_key_header);
    char decoded[256];
    std::string_view qkey;
    if (http::find_query_param(h.query, openmarkets::api_key_query_param, decoded, qkey) ==
        http::codec_status::ok)
        key = qkey;
    fault_book& f = server_.faults();
    const bool inject_401 = f.reject_401_left > 0;
    if (key != server_.options().api_key || inject_401) {
        if (inject_401) {
            --f.reject_401_left;
            f.fire(fault_kind::reject_upgrade_401);
        }
        ++server_.stats().rejected_401;
        respond(openmarkets::unauthorized_status, "Unauthorized", "application/json",
                R"({"error":{"code":"unauthorized","message":"missing or invalid API key"}})");
        closing_ = true;
        pump();
        return;
    }
    const bool inject_429 = f.reject_429_left > 0;
    if (inject_429 ||
        server_.sessions_with_key(std::string(key)) >= openmarkets::max_connections_per_key) {
        if (inject_429) {
            --f.reject_429_left;
            f.fire(fault_kind::reject_upgrade_429);
        }
        ++server_.stats().rejected_429;
        respond(openmarkets::too_many_connections_status, "Too Many Requests", "application/json",
                R"({"error":{"code":"too_many_connections","message":"3 connections per key"}})");
        closing_ = true;
        pump();
        return;
    }
    key_ = std::string(key);
    const auto accept = ws::compute_accept(req.client_key);
    char out[512];
    const size_t n = ws::write_upgrade_response(out, {accept.data(), accept.size()});
    backlog_.append(out, n);
    ws_ = true;
    ++server_.stats().upgrades;
    send_text(fmt::format(
        R"({{"type":"connected","organization_id":"org_sim","api_key_id":"key_sim","server_time":"{}"}})",
        server_.timestamp_now()));
}

void sim_session::send_frame(ws::opcode op, std::string_view payload, bool fin) {
    uint8_t hdr[14];
    const size_t n = ws::encode_frame_header(hdr, op, fin, payload.size(), std::nullopt);
    backlog_.append(reinterpret_cast<const char*>(hdr), n);
    backlog_.append(payload);
    pump();
}

void sim_session::send_text(std::string_view text) {
    if (!server_.faults().fragment || text.size() < 3) {
        send_frame(ws::opcode::text, text);
        return;
    }
    // RFC 6455 5.4: a message may go as a text frame and continuations, with
    // control frames between the fragments (5.5).
    const size_t a = text.size() / 3, b = 2 * text.size() / 3;
    send_frame(ws::opcode::text, text.substr(0, a), false);
    send_frame(ws::opcode::ping, "frag");
    send_frame(ws::opcode::continuation, text.substr(a, b - a), false);
    send_frame(ws::opcode::ping, "frag");
    send_frame(ws::opcode::continuation, text.substr(b), true);
}

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
    // A stall holds everything back; tick() resumes once it ends.
    if (stalled_until_ && mono_ns() < stalled_until_) return;
    while (active_ && stream_->is_open() && backlog_off_ < backlog_.size()) {
        const size_t n = std::min(pump_chunk, backlog_.size() - backlog_off_);
        const auto s =
            stream_->write({reinterpret_cast<const uint8_t*>(backlog_.data()) + backlog_off_, n});
        if (s != tls::io_status::ok) break; // want_room: resumed on the next send completion
        backlog_off_ += n;
    }
    if (backlog_off_ == backlog_.size()) {
        backlog_.clear();
        backlog_off_ = 0;
        // A delayed or hung answer is still owed: closing now would lose it.
        if (closing_ && active_ && !holding_) {
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
        send_text(
            R"({"type":"error","code":"invalid_message","message":"binary frames are not accepted"})");
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
        send_text(fmt::format(R"({{"type":"error","code":"invalid_message","message":"bad {}"}})",
                              m.field));
        return;
    }
    if (m.action == json::client_action::ping) {
        ++server_.stats().client_pings;
        send_text(fmt::format(R"({{"type":"pong","server_time":"{}"}})", server_.timestamp_now()));
        return;
    }
    const bool liquidity = m.channel == "liquidity";
    if (!liquidity && m.channel != "contest_state") {
        send_text(R"({"type":"error","code":"invalid_channel","message":"unknown channel"})");
        return;
    }
    std::set<std::string>& subs = liquidity ? contests_ : state_contests_;
    const std::string channel(m.channel);
    std::vector<std::string> ids;
    json::string_iterator it = m.contest_ids(scratch_);
    std::string_view id;
    while (it.next(id) == json::item_status::ok)
        ids.emplace_back(id);
    if (m.action == json::client_action::subscribe) {
        if (ids.empty()) return; // seed: an empty list is a no-op
        if (ids.size() > openmarkets::max_contests_per_connection) {
            send_text(fmt::format(
                R"({{"type":"error","code":"{}","message":"at most {} contests"}})",
                openmarkets::too_many_contests_code, openmarkets::max_contests_per_connection));
            return;
        }
        // Re-subscribing replaces the channel's list (PROTOCOL.md).
        std::set<std::string> next;
        std::vector<std::string> added;
        for (const auto& c : ids) {
            if (!server_.book().has_contest(c)) continue;
            if (!subs.count(c) && next.insert(c).second) added.push_back(c);
            next.insert(c);
        }
        subs = std::move(next);
        send_text(fmt::format(R"({{"type":"subscribed","channel":"{}","contest_ids":[{}]}})",
                              channel, id_list(subs)));
        if (liquidity) server_.on_subscribed(*this, added);
    } else {
        std::set<std::string> removed;
        for (const auto& c : ids)
            if (subs.erase(c)) removed.insert(c);
        send_text(fmt::format(R"({{"type":"unsubscribed","channel":"{}","contest_ids":[{}]}})",
                              channel, id_list(removed)));
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
    const size_t n =
        ws::encode_close(std::span<uint8_t>(reinterpret_cast<uint8_t*>(frame), sizeof frame),
                         code == 1005 ? 1000 : code, "", std::nullopt);
    backlog_.append(frame, n);
    closing_ = true;
    pump();
}

void sim_ws_events::on_message(ws::opcode op, std::span<const uint8_t> p) noexcept {
    session->on_message(op, p);
}
void sim_ws_events::on_ping(std::span<const uint8_t> p) noexcept {
    session->on_ping(p);
}
void sim_ws_events::on_pong(std::span<const uint8_t> p) noexcept {
    session->on_pong(p);
}
void sim_ws_events::on_close(uint16_t code, std::string_view reason) noexcept {
    session->on_close(code, reason);
}

} // namespace ef::sim
