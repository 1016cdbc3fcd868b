// See stream_client.hpp.
#include "feed/stream_client.hpp"

#include "common/backoff.hpp"
#include "common/clock.hpp"
#include "common/histogram.hpp"
#include "feed/protocol_rules.hpp"
#include "json/scanner.hpp"
#include "ws/frame_writer.hpp"
#include "ws/handshake.hpp"

#include <fmt/format.h>

namespace ef::feed {

namespace {

constexpr size_t http_head_bytes = 8192;
constexpr size_t http_body_bytes = 4096; // an upgrade refusal's body, for the log
constexpr int64_t close_grace_ns = 1'000'000'000;

std::span<const uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

} // namespace

stream_client::stream_client(net::event_loop& loop, const tls::tls_context& tls,
                             book::book_region& region, book::position_writer& writer,
                             ef_conn_stats& stats, stream_client_options opts,
                             net::https_client* rest)
    : loop_(loop), tls_ctx_(tls), region_(region), opts_(std::move(opts)),
      report_(stats, opts_.name.c_str()), applier_(region, writer, report_),
      sync_(loop, rest, region, writer, applier_, report_, opts_.conn_index, opts_.sync),
      slot_(loop.add_owner(this)), stream_(loop, *this, slot_, opts_.buffers),
      http_head_(new char[http_head_bytes]), http_body_(new char[http_body_bytes]),
      http_({http_head_.get(), http_head_bytes}, {http_body_.get(), http_body_bytes}),
      request_(new char[4096]), message_buf_(new uint8_t[opts_.max_message_bytes]),
      decoder_(ws::role::client, {message_buf_.get(), opts_.max_message_bytes}),
      rng_(opts_.seed ^ 0x5DEECE66DULL) {
    for (const auto& c : opts_.contests) (void)applier_.add_contest(c.first, c.second);
    // The largest subscribe message: every slot used by the longest id, escaped.
    const size_t max_subscribe = 96 + openmarkets::max_contests_per_connection * (EF_CONTEST_ID_MAX * 6 + 3);
    subscribe_json_.reserve(max_subscribe);
    if (opts_.sync.contest_state) subscribe_state_json_.reserve(max_subscribe);
    build_subscribe();
    // A frame we send is at most the subscribe message plus a header.
    frame_buf_len_ = max_subscribe + 64;
    confirmed_.reset(new uint32_t[openmarkets::max_contests_per_connection]);
    frame_buf_.reset(new uint8_t[frame_buf_len_]);
    // Escaped strings decode into the scratch: it must hold a whole message.
    scratch_mem_.reset(new char[opts_.max_message_bytes]);
    scratch_ = json::scratch({scratch_mem_.get(), opts_.max_message_bytes});
    unix_offset_ns_ = unix_ns() - mono_ns();
    publish(stats.in_use, 1u);
    publish(stats.loop, opts_.loop_index);
    publish(stats.contests, static_cast<uint32_t>(opts_.contests.size()));
    std::snprintf(stats.name, sizeof stats.name, "%s", opts_.name.c_str());
    set_state(EF_CONN_idle);
}

stream_client::~stream_client() {
    if (resume_) wolfSSL_SESSION_free(resume_);
}

void stream_client::build_subscribe() noexcept {
    // Capacity reserved in the constructor for the largest list: rebuilding
    // after discovery changes never allocates.
    const auto build = [this](std::string& out, std::string_view channel) {
        out.clear();
        out += R"({"action":"subscribe","channel":")";
        out += channel;
        out += R"(","contest_ids":[)";
        char esc[EF_CONTEST_ID_MAX * 6 + 8];
        bool first = true;
        for (const auto& c : applier_.contests()) {
            if (!first) out += ',';
            first = false;
            const size_t n = json::escape_json_string(c.id(), esc);
            out += '"';
            out.append(esc, n);
            out += '"';
        }
        out += "]}";
    };
    build(subscribe_json_, "liquidity");
    if (opts_.sync.contest_state) build(subscribe_state_json_, "contest_state");
}

void stream_client::send_subscribe() noexcept {
    if (!send_frame(ws::opcode::text, bytes_of(subscribe_json_)))
        report_.error(EF_ERR_send_buffer_full, "cannot queue the subscribe message");
    if (!subscribe_state_json_.empty() &&
        !send_frame(ws::opcode::text, bytes_of(subscribe_state_json_)))
        report_.error(EF_ERR_send_buffer_full, "cannot queue the contest_state subscribe message");
}

bool stream_client::add_contest(std::string_view id, uint32_t index) noexcept {
    if (!applier_.add_contest(id, index)) return false;
    region_.set_contest_connection(index, opts_.conn_index);
    region_.set_contest_status(index, EF_CONTEST_STALE, EF_STALE_NOT_SUBSCRIBED);
    publish(report_.stats().contests, static_cast<uint32_t>(applier_.contests().size()));
    build_subscribe();
    if (report_.state() == EF_CONN_live) send_subscribe();
    return true;
}

void stream_client::remove_contest(uint32_t index, bool closed) noexcept {
    sync_.on_removed(index);
    applier_.remove_contest(index);
    region_.set_contest_status(index, EF_CONTEST_STALE | (closed ? uint32_t{EF_CONTEST_CLOSED} : 0u),
                               closed ? EF_STALE_CLOSED : EF_STALE_NOT_SUBSCRIBED);
    region_.set_contest_connection(index, EF_NONE);
    publish(report_.stats().contests, static_cast<uint32_t>(applier_.contests().size()));
    build_subscribe();
    if (report_.state() == EF_CONN_live) send_subscribe();
}

void stream_client::set_state(ef_conn_state s) noexcept { report_.state(s); }

bool stream_client::stopped() const noexcept {
    return report_.state() == EF_CONN_stopped && stream_.is_idle();
}

void stream_client::start() noexcept {
    applier_.mark_all(EF_CONTEST_STALE, EF_STALE_NOT_SUBSCRIBED);
    connect_now(mono_ns());
}

void stream_client::connect_now(int64_t now) noexcept {
    reconnect_at_ = net::no_deadline;
    if (ever_connected_) bump(report_.stats().reconnects);
    ever_connected_ = true;
    http_.reset();
    decoder_.reset();
    close_sent_ = false;
    // RFC 6455 4.1: a fresh random key for every handshake.
    uint8_t nonce[16];
    for (int i = 0; i < 4; ++i) {
        const uint32_t k = masks_.next();
        std::memcpy(nonce + 4 * i, &k, 4);
    }
    ws_key_ = ws::make_client_key(std::span<const uint8_t, 16>(nonce, 16));
    http::header extra[1];
    size_t n_extra = 0;
    if (opts_.key_in_header)
        extra[n_extra++] = {openmarkets::api_key_header, opts_.api_key};
    request_len_ = ws::write_upgrade_request({request_.get(), 4096}, opts_.host_header,
                                             opts_.target, {ws_key_.data(), ws_key_.size()},
                                             {extra, n_extra});
    if (request_len_ == 0) {
        report_.error(EF_ERR_http_malformed, "upgrade request does not fit or has a bad field");
        lost(now);
        return;
    }
    auto s = stream_.connect(opts_.endpoint, tls_ctx_, opts_.sni, opts_.verify_name, resume_,
                             opts_.connect_timeout_ns);
    if (!s) {
        report_.error(EF_ERR_connect_failed, "{}: {}", opts_.endpoint.text, s.err().message);
        lost(now);
        return;
    }
    set_state(EF_CONN_connecting);
    phase_deadline_ = now + opts_.connect_timeout_ns + opts_.tls_timeout_ns;
    loop_.schedule(phase_deadline_);
}

void stream_client::on_tcp_connected() noexcept { set_state(EF_CONN_tls_handshake); }

void stream_client::on_tls_ready() noexcept {
    set_state(EF_CONN_ws_upgrade);
    bump(report_.stats().tls_handshakes);
    if (stream_.resumed()) bump(report_.stats().tls_resumed);
    if (stream_.write({reinterpret_cast<const uint8_t*>(request_.get()), request_len_}) !=
        tls::io_status::ok) {
        report_.error(EF_ERR_send_buffer_full, "cannot queue the upgrade request");
        stream_.close();
        lost(mono_ns());
        return;
    }
    phase_deadline_ = mono_ns() + opts_.upgrade_timeout_ns;
    loop_.schedule(phase_deadline_);
}

void stream_client::on_plaintext(std::span<uint8_t> bytes) noexcept {
    decrypted_at_ = mono_ns();
    last_rx_ = decrypted_at_;
    publish(report_.stats().last_rx_mono_ns, last_rx_);
    if (loop_.stats())
        record_latency(loop_.stats()->stages[EF_STAGE_recv_to_decrypted],
                       decrypted_at_ - loop_.batch_time());
    bump(report_.stats().tls_records_in);
    if (report_.state() == EF_CONN_ws_upgrade)
        on_upgrade_bytes(bytes);
    else
        on_ws_bytes(bytes);
}

void stream_client::on_upgrade_bytes(std::span<uint8_t> bytes) noexcept {
    size_t consumed = 0;
    const auto st = http_.feed({reinterpret_cast<const char*>(bytes.data()), bytes.size()}, consumed);
    if (st == http::parse_status::need_more) {
        // A refusal (401/429) may carry a body; the head is what matters.
        if (!http_.head_complete() || http_.head().status == 101) return;
    }
    if (st == http::parse_status::bad && !http_.head_complete()) {
        report_.error(EF_ERR_http_malformed, "bad upgrade response: {}", http_.error_text());
        stream_.close();
        lost(mono_ns());
        return;
    }
    const http::response_head& h = http_.head();
    const auto verdict = ws::check_upgrade_response(h.status, h.headers, {ws_key_.data(), ws_key_.size()});
    if (verdict != ws::upgrade_check::ok) {
        if (h.status == openmarkets::unauthorized_status) {
            report_.error(EF_ERR_http_upgrade_rejected,
                          "venue refused the API key (HTTP 401); retrying with backoff");
            retry_ += 3; // a key problem is not cured by retrying fast
        } else if (h.status == openmarkets::too_many_connections_status) {
            report_.error(EF_ERR_http_upgrade_rejected,
                          "venue refused: too many connections for this key (HTTP 429)");
            retry_ += 2;
        } else {
            report_.error(EF_ERR_http_upgrade_rejected, "upgrade refused: HTTP {} ({})", h.status,
                          ws::to_string(verdict));
        }
        stream_.close();
        lost(mono_ns());
        return;
    }
    set_state(EF_CONN_subscribing);
    phase_deadline_ = net::no_deadline;
    next_app_ping_ = mono_ns() + opts_.app_ping_interval_ns;
    loop_.schedule(next_app_ping_);
    if (consumed < bytes.size()) on_ws_bytes(bytes.subspan(consumed));
}

void stream_client::on_ws_bytes(std::span<uint8_t> bytes) noexcept {
    const ws::decode_status st = decoder_.feed(bytes, events_);
    if (st == ws::decode_status::failed) [[unlikely]] {
        const uint16_t code = decoder_.close_code();
        const ef_error_kind kind = code == 1007   ? EF_ERR_ws_invalid_utf8
                                   : code == 1009 ? EF_ERR_ws_message_too_big
                                                  : EF_ERR_ws_protocol_violation;
        report_.error(kind, "closing with {}: {}", code, decoder_.error_text());
        begin_close(code, decoder_.error_text());
    }
}

void stream_client::on_message(ws::opcode op, std::span<const uint8_t> payload) noexcept {
    if (close_sent_) return;
    bump(report_.stats().ws_messages_in);
    if (op != ws::opcode::text) [[unlikely]] {
        report_.error(EF_ERR_unknown_message_type, "binary message of {} bytes ignored",
                      payload.size());
        return;
    }
    handle_text({reinterpret_cast<const char*>(payload.data()), payload.size()});
}

void stream_client::handle_text(std::string_view text) noexcept {
    const json::message_status st = json::parse_stream_message(text, msg_, scratch_);
    const int64_t parsed_at = mono_ns();
    if (st != json::message_status::ok) [[unlikely]] {
        const bool missing = st == json::message_status::missing_field ||
                             st == json::message_status::wrong_type;
        report_.error(missing ? EF_ERR_json_missing_field : EF_ERR_json_malformed,
                      "message dropped: {} {} at byte {}", json::to_string(st), msg_.field,
                      msg_.error_offset);
        // A message we could not read may have carried an update for any of
        // this connection's contests: none of them can be trusted now.
        sync_.resync_all(EF_STALE_UPDATE_LOST);
        return;
    }
    bump(report_.stats().json_messages);
    if (loop_.stats())
        record_latency(loop_.stats()->stages[EF_STAGE_decrypted_to_parsed], parsed_at - decrypted_at_);
    switch (msg_.type) {
    case json::message_type::liquidity_update: on_update(msg_.liquidity, text); break;
    case json::message_type::connected: on_greeting(); break;
    case json::message_type::subscribed: on_subscribed(msg_.subscription); break;
    case json::message_type::pong: break; // last_rx_ already moved
    case json::message_type::error:
        report_.error(EF_ERR_venue_error, "venue error {}: {}", msg_.error.code, msg_.error.message);
        break;
    case json::message_type::contest_state_update: on_state_update(msg_.contest_state); break;
    case json::message_type::unsubscribed: break;
    case json::message_type::unknown:
        report_.error(EF_ERR_unknown_message_type, "message type '{}' ignored", msg_.type_text);
        break;
    }
}

void stream_client::on_greeting() noexcept {
    if (report_.state() != EF_CONN_subscribing) return;
    if (applier_.contests().empty()) {
        set_state(EF_CONN_live);
        live_since_ = mono_ns();
        return;
    }
    send_subscribe();
}

void stream_client::on_subscribed(const json::subscription_message& m) noexcept {
    const bool liquidity = m.channel == "liquidity";
    if (!liquidity && m.channel != "contest_state") return;
    json::string_iterator it = m.contest_ids(scratch_);
    std::string_view id;
    unsigned confirmed = 0;
    while (it.next(id) == json::item_status::ok) {
        const uint32_t c = applier_.find_contest(id);
        if (c == EF_NONE || confirmed == openmarkets::max_contests_per_connection) continue;
        confirmed_[confirmed++] = c;
    }
    if (!liquidity) {
        sync_.on_state_subscribed({confirmed_.get(), confirmed});
        return;
    }
    // Each confirmed contest is stale until its REST snapshot is applied;
    // updates arriving meanwhile are held (contest_sync).
    for (unsigned i = 0; i < confirmed; ++i) sync_.on_subscribed(confirmed_[i]);
    if (confirmed < applier_.contests().size())
        report_.error(EF_ERR_venue_error, "venue confirmed {} of {} contests", confirmed,
                      applier_.contests().size());
    // Keep the newest session (its ticket) for the next reconnect: resumption
    // skips the certificate exchange and the full key agreement.
    if (WOLFSSL_SESSION* fresh = stream_.session().save_session()) {
        if (resume_) wolfSSL_SESSION_free(resume_);
        resume_ = fresh;
    }
    if (report_.state() != EF_CONN_live) {
        set_state(EF_CONN_live);
        live_since_ = mono_ns();
        publish(report_.stats().connected_since_unix_ns, unix_ns());
    }
}

void stream_client::on_update(const json::liquidity_update& u, std::string_view raw) noexcept {
    const int64_t t0 = mono_ns();
    bump(report_.stats().updates);
    const uint32_t contest = applier_.find_contest(u.contest_id);
    if (contest == EF_NONE) [[unlikely]] {
        report_.error(EF_ERR_entry_rejected, "update for contest '{}' we did not subscribe",
                      u.contest_id);
        return;
    }
    if (u.refresh_required) [[unlikely]] {
        sync_.resync(contest, EF_STALE_REFRESH_REQUIRED);
        return;
    }
    switch (sync_.route_update(contest, u.timestamp_ns, raw)) {
    case contest_sync::route::apply: break;
    case contest_sync::route::held:
    case contest_sync::route::skipped:
    case contest_sync::route::ignored: return;
    }
    const apply_outcome r = applier_.apply(u, scratch_, t0);
    const int64_t published = mono_ns();
    bump(report_.stats().entries_applied, r.applied);
    if (r.applied) region_.note_contest_update(contest, r.applied, u.timestamp_ns);
    if (r.rejected) [[unlikely]]
        sync_.resync(contest, EF_STALE_UPDATE_LOST); // the book missed something: rebuild it
    if (ef_loop_stats* ls = loop_.stats()) {
        bump(ls->messages);
        bump(ls->entries, r.applied);
        record_latency(ls->stages[EF_STAGE_parsed_to_published], published - t0);
        if (u.timestamp_ns > 0)
            record_latency(ls->stages[EF_STAGE_venue_to_published],
                           published + unix_offset_ns_ - u.timestamp_ns);
    }
}

void stream_client::on_state_update(const json::contest_state_update& u) noexcept {
    const uint32_t contest = applier_.find_contest(u.contest_id);
    if (contest == EF_NONE) return;
    sync_.on_state_update(contest, u.timestamp_ns, u.state_json);
}

void stream_client::on_ping(std::span<const uint8_t> payload) noexcept {
    // RFC 6455 5.5.3: a pong carries the ping's application data.
    if (send_frame(ws::opcode::pong, payload)) bump(report_.stats().pings_answered);
}

void stream_client::on_pong(std::span<const uint8_t>) noexcept {}

void stream_client::on_close(uint16_t code, std::string_view reason) noexcept {
    report_.error(EF_ERR_ws_closed_by_venue, "venue closed the WebSocket: {} {}", code, reason);
    // RFC 6455 5.5.1: answer with a close echoing the code, then drop TCP.
    begin_close(code == 1005 ? 1000 : code, "close echoed");
}

bool stream_client::send_frame(ws::opcode op, std::span<const uint8_t> payload) noexcept {
    if (close_sent_) return false;
    const size_t n = ws::encode_frame({frame_buf_.get(), frame_buf_len_}, op, true, payload,
                                      masks_.next());
    if (n == 0) return false;
    return stream_.write({frame_buf_.get(), n}) == tls::io_status::ok;
}

void stream_client::begin_close(uint16_t code, const char* why) noexcept {
    if (!close_sent_ && stream_.is_open()) {
        const size_t n = ws::encode_close({frame_buf_.get(), frame_buf_len_}, code, why, masks_.next());
        if (n) (void)stream_.write({frame_buf_.get(), n});
    }
    close_sent_ = true;
    set_state(EF_CONN_closing);
    applier_.mark_all(EF_CONTEST_STALE, EF_STALE_NOT_SUBSCRIBED);
    stream_.close_after_flush();
    phase_deadline_ = mono_ns() + close_grace_ns;
    loop_.schedule(phase_deadline_);
}

void stream_client::on_stream_closed(net::stream_end why, const char* text) noexcept {
    if (report_.state() != EF_CONN_closing) {
        ef_error_kind kind = EF_ERR_socket_error;
        switch (why) {
        case net::stream_end::connect_failed: kind = EF_ERR_connect_failed; break;
        case net::stream_end::tls_failed: kind = EF_ERR_tls_handshake_failed; break;
        case net::stream_end::tls_verify_failed: kind = EF_ERR_tls_verify_failed; break;
        case net::stream_end::peer_closed:
        case net::stream_end::io_error:
        case net::stream_end::local_close: kind = EF_ERR_socket_error; break;
        }
        if (report_.state() == EF_CONN_live && why == net::stream_end::peer_closed)
            kind = EF_ERR_ws_closed_by_venue;
        report_.error(kind, "{} ({})", text, net::to_string(why));
    }
    lost(mono_ns());
}

void stream_client::lost(int64_t now) noexcept {
    if (live_since_ && now - live_since_ >= opts_.healthy_after_ns) retry_ = 0;
    live_since_ = 0;
    publish(report_.stats().connected_since_unix_ns, int64_t{0});
    sync_.on_connection_lost();
    applier_.mark_all(EF_CONTEST_STALE, EF_STALE_NOT_SUBSCRIBED);
    phase_deadline_ = net::no_deadline;
    next_app_ping_ = net::no_deadline;
    if (shutting_down_) {
        set_state(EF_CONN_stopped);
        return;
    }
    set_state(EF_CONN_backoff);
    reconnect_at_ = now + backoff_delay();
    loop_.schedule(reconnect_at_);
}

int64_t stream_client::backoff_delay() noexcept {
    return backoff_delay_ns(opts_.backoff_initial_ns, opts_.backoff_max_ns, retry_++, opts_.jitter_pct, rng_);
}

void stream_client::shutdown() noexcept {
    shutting_down_ = true;
    reconnect_at_ = net::no_deadline;
    if (stream_.is_open()) {
        begin_close(1001, "going away");
    } else {
        stream_.close();
        set_state(EF_CONN_stopped);
    }
}

void stream_client::on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept {
    stream_.on_completion(cqe, tag);
    publish(report_.stats().bytes_in, stream_.bytes_in());
    publish(report_.stats().bytes_out, stream_.bytes_out());
    publish(report_.stats().ws_frames_in, decoder_.frames());
    // A close we started finishes when the stream has flushed and closed.
    if (report_.state() == EF_CONN_closing && !stream_.is_open() && stream_.is_idle()) {
        lost(mono_ns());
    }
}

int64_t stream_client::on_deadline(int64_t now) noexcept {
    const ef_conn_state st = report_.state();
    if (now >= phase_deadline_) {
        phase_deadline_ = net::no_deadline;
        switch (st) {
        case EF_CONN_connecting:
        case EF_CONN_tls_handshake:
            report_.error(EF_ERR_tls_handshake_failed, "connect + TLS handshake timed out");
            stream_.close();
            lost(now);
            break;
        case EF_CONN_ws_upgrade:
            report_.error(EF_ERR_http_upgrade_rejected, "no upgrade response in time");
            stream_.close();
            lost(now);
            break;
        case EF_CONN_closing:
            stream_.close();
            lost(now);
            break;
        default: break;
        }
    }
    if ((st == EF_CONN_subscribing || st == EF_CONN_live) && now - last_rx_ >= opts_.heartbeat_timeout_ns) {
        // FIELD.md "silent stalls": an open socket that delivers nothing is dead.
        report_.error(EF_ERR_heartbeat_timeout, "nothing received for {} ms; reconnecting",
                      (now - last_rx_) / 1'000'000);
        stream_.close();
        lost(now);
    }
    if (now >= next_app_ping_ && (st == EF_CONN_subscribing || st == EF_CONN_live)) {
        static constexpr std::string_view ping = R"({"action":"ping"})";
        (void)send_frame(ws::opcode::text, bytes_of(ping));
        next_app_ping_ = now + opts_.app_ping_interval_ns;
    }
    if (now >= reconnect_at_ && report_.state() == EF_CONN_backoff) connect_now(now);

    int64_t next = std::min({phase_deadline_, reconnect_at_, next_app_ping_, sync_.on_deadline(now)});
    const ef_conn_state now_st = report_.state();
    if (now_st == EF_CONN_subscribing || now_st == EF_CONN_live)
        next = std::min(next, last_rx_ + opts_.heartbeat_timeout_ns);
    return next;
}

void stream_ws_events::on_message(ws::opcode op, std::span<const uint8_t> p) noexcept { client->on_message(op, p); }
void stream_ws_events::on_ping(std::span<const uint8_t> p) noexcept { client->on_ping(p); }
void stream_ws_events::on_pong(std::span<const uint8_t> p) noexcept { client->on_pong(p); }
void stream_ws_events::on_close(uint16_t code, std::string_view reason) noexcept { client->on_close(code, reason); }

} // namespace ef::feed
