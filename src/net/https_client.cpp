// See https_client.hpp.
#include "net/https_client.hpp"

#include "common/backoff.hpp"
#include "common/clock.hpp"
#include "common/counter.hpp"
#include "common/histogram.hpp"
#include "feed/conn_report.hpp"
#include "http/request_writer.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace ef::net {

const char* to_string(https_failure f) noexcept {
    switch (f) {
    case https_failure::timeout: return "timeout";
    case https_failure::connection: return "connection lost";
    case https_failure::malformed: return "malformed response";
    case https_failure::too_large: return "response too large";
    case https_failure::queue_full: return "request queue full";
    case https_failure::not_sent: return "not sent";
    }
    return "?";
}

struct https_client::request {
    https_handler* handler = nullptr;
    uint64_t tag = 0;
    char method[8] = {};
    char* target = nullptr; // opts_.max_target_bytes, within one block owned by the client
    size_t target_len = 0;
    char* body = nullptr;   // opts_.max_request_body_bytes
    size_t body_len = 0;
    bool has_body = false;
    bool submit_now = false;
    unsigned extra_count = 0;
    http::header extra[max_extra_headers]; // views into extra_bytes
    char extra_bytes[extra_header_bytes];
    int64_t queue_deadline = 0; // fails with `not_sent` if still queued then
};

class https_client::connection final : public completion_owner, public stream_handler {
public:
    connection(https_client& client, unsigned index, ef_conn_stats* stats)
        : client_(client), index_(index), name_(fmt::format("{}.{}", client.opts_.name, index)),
          report_(stats ? *stats : dummy_stats_, name_.c_str()),
          slot_(client.loop_.add_owner(this)),
          stream_(client.loop_, *this, slot_, buffers(client.opts_)),
          head_(new char[client.opts_.head_bytes]), body_(new char[client.opts_.body_bytes]),
          parser_({head_.get(), client.opts_.head_bytes}, {body_.get(), client.opts_.body_bytes}),
          out_len_(client.opts_.max_target_bytes + client.opts_.max_request_body_bytes + 2048),
          out_(new char[out_len_]), rng_(client.opts_.seed + index * 7919 + 1) {
        if (stats) {
            publish(stats->in_use, 1u);
            std::snprintf(stats->name, sizeof stats->name, "%s", name_.c_str());
        }
        report_.state(EF_CONN_idle);
    }
    ~connection() override {
        if (resume_) wolfSSL_SESSION_free(resume_);
    }

    bool idle() const noexcept { return phase_ == phase::idle; }
    bool busy() const noexcept { return phase_ == phase::busy; }
    bool live() const noexcept { return phase_ == phase::idle || phase_ == phase::busy; }

    void connect(int64_t now) noexcept {
        if (client_.stopped_) return;
        retry_at_ = no_deadline;
        auto s = stream_.connect(client_.opts_.ep, client_.tls_, client_.opts_.sni,
                                 client_.opts_.verify_name, resume_, client_.opts_.connect_timeout_ns);
        if (!s) {
            report_.error(EF_ERR_connect_failed, "{}: {}", client_.opts_.ep.text, s.err().message);
            backoff(now);
            return;
        }
        phase_ = phase::connecting;
        report_.state(EF_CONN_connecting);
        deadline_ = now + 2 * client_.opts_.connect_timeout_ns;
        client_.loop_.schedule(deadline_);
    }

    void send(request* r, int64_t now) noexcept {
        // (now is refreshed for an immediate submit: it stamps the send)
        http::header hs[16];
        size_t n = 0;
        for (const auto& h : client_.opts_.headers)
            if (n < 15 - max_extra_headers) hs[n++] = h;
        for (unsigned i = 0; i < r->extra_count; ++i) hs[n++] = r->extra[i];
        if (r->has_body) hs[n++] = {"Content-Type", "application/json"};
        const size_t len = http::write_request(
            {out_.get(), out_len_}, r->method, {r->target, r->target_len}, client_.opts_.host_header,
            {hs, n}, r->has_body ? std::optional<std::string_view>({r->body, r->body_len}) : std::nullopt);
        if (len == 0) {
            finish_failed(r, https_failure::too_large, "request does not fit its buffer");
            return;
        }
        if (stream_.write({reinterpret_cast<const uint8_t*>(out_.get()), len}) != tls::io_status::ok) {
            finish_failed(r, https_failure::not_sent, "cannot queue the request");
            return;
        }
        if (r->submit_now) {
            // Stamped as the bytes are handed to the kernel (the io_uring_enter
            // that sends them), not when it returns: the send on loopback runs
            // inside that call, and a libcurl client's figure is stamped as its
            // write call starts too (edgebench's send_probe).
            now = mono_ns();
            client_.loop_.ring().submit();
        }
        r->handler->on_https_sent(r->tag, now);
        current_ = r;
        phase_ = phase::busy;
        parser_.reset();
        sent_at_ = now;
        deadline_ = now + client_.opts_.request_timeout_ns;
        client_.loop_.schedule(deadline_);
        bump(report_.stats().requests);
    }

    // stream_handler
    void on_tcp_connected() noexcept override { report_.state(EF_CONN_tls_handshake); }
    void on_tls_ready() noexcept override {
        bump(report_.stats().tls_handshakes);
        if (stream_.resumed()) bump(report_.stats().tls_resumed);
        if (!resume_) resume_ = stream_.session().save_session();
        failures_ = 0;
        phase_ = phase::idle;
        deadline_ = idle_deadline(mono_ns());
        report_.state(EF_CONN_live);
        publish(report_.stats().connected_since_unix_ns, unix_ns());
        client_.dispatch();
    }
    void on_plaintext(std::span<uint8_t> bytes) noexcept override {
        publish(report_.stats().last_rx_mono_ns, mono_ns());
        if (phase_ != phase::busy) {
            report_.error(EF_ERR_http_malformed, "{} bytes arrived with no request outstanding", bytes.size());
            drop(mono_ns(), false);
            return;
        }
        size_t consumed = 0;
        const auto st = parser_.feed({reinterpret_cast<const char*>(bytes.data()), bytes.size()}, consumed);
        if (st == http::parse_status::need_more) return;
        if (st == http::parse_status::bad) {
            const bool big = std::strstr(parser_.error_text(), "larger") != nullptr;
            report_.error(EF_ERR_http_malformed, "{}", parser_.error_text());
            request* r = take_current();
            drop(mono_ns(), false);
            finish_failed(r, big ? https_failure::too_large : https_failure::malformed, parser_.error_text());
            return;
        }
        const int64_t now = mono_ns();
        bump(report_.stats().responses);
        const int status = parser_.head().status;
        const bool keep = parser_.head().keep_alive && consumed == bytes.size();
        if (status >= 400)
            report_.error(EF_ERR_rest_status, "HTTP {} for {} {}", status, current_->method,
                          std::string_view(current_->target, std::min<size_t>(current_->target_len, 80)));
        if (client_.round_trip_) record_latency(*client_.round_trip_, now - sent_at_);
        request* r = take_current();
        phase_ = phase::idle;
        deadline_ = idle_deadline(now);
        if (!keep) drop(now, true); // reconnect at once: Connection: close is not a failure
        r->handler->on_https_response(r->tag, status, parser_.body(), now - sent_at_);
        client_.release(r);
        client_.dispatch();
    }
    void on_stream_closed(stream_end why, const char* text) noexcept override {
        const int64_t now = mono_ns();
        request* r = take_current();
        report_.error(why == stream_end::tls_verify_failed ? EF_ERR_tls_verify_failed
                      : why == stream_end::connect_failed  ? EF_ERR_connect_failed
                      : why == stream_end::tls_failed      ? EF_ERR_tls_handshake_failed
                                                           : EF_ERR_socket_error,
                      "{} ({})", text, to_string(why));
        phase_ = phase::down;
        if (r) finish_failed(r, https_failure::connection, text);
        backoff(now);
    }

    // completion_owner
    void on_completion(const io_uring_cqe& cqe, platform::op_tag tag) noexcept override {
        stream_.on_completion(cqe, tag);
        publish(report_.stats().bytes_in, stream_.bytes_in());
        publish(report_.stats().bytes_out, stream_.bytes_out());
    }
    int64_t on_deadline(int64_t now) noexcept override {
        if (now >= deadline_) {
            if (phase_ == phase::busy) {
                bump(report_.stats().timeouts);
                report_.error(EF_ERR_rest_timeout, "no answer to {} {} within {} ms", current_->method,
                              std::string_view(current_->target, std::min<size_t>(current_->target_len, 80)),
                              client_.opts_.request_timeout_ns / 1'000'000);
                request* r = take_current();
                drop(now, true); // the late answer must not be read as the next one's
                finish_failed(r, https_failure::timeout, "timed out");
            } else if (phase_ == phase::connecting) {
                report_.error(EF_ERR_tls_handshake_failed, "connect + TLS handshake timed out");
                stream_.close();
                phase_ = phase::down;
                backoff(now);
            } else if (phase_ == phase::idle) {
                // Idle past recycle_idle_ns: replace it before the server's
                // idle timeout does, unless it is the only live one while
                // another reconnects (then look again shortly).
                if (client_.conns_.size() == 1 || client_.live_connections() > 1) {
                    ++client_.recycled_;
                    drop(now, true);
                } else {
                    deadline_ = now + client_.opts_.recycle_idle_ns / 8;
                }
            }
        }
        if (phase_ == phase::down && now >= retry_at_ && stream_.is_idle()) connect(now);
        return std::min({deadline_, retry_at_, client_.expire_queued(now)});
    }

    void stop() noexcept {
        stream_.close();
        phase_ = phase::down;
        retry_at_ = deadline_ = no_deadline;
        report_.state(EF_CONN_stopped);
        if (request* r = take_current()) finish_failed(r, https_failure::connection, "stopped");
    }

private:
    enum class phase : uint8_t { down, connecting, idle, busy };

    static stream_buffers buffers(const https_client_options& o) {
        stream_buffers b;
        b.outbound_bytes = o.max_target_bytes + o.max_request_body_bytes + 4096;
        return b;
    }

    int64_t idle_deadline(int64_t now) const noexcept {
        return client_.opts_.recycle_idle_ns > 0 ? now + client_.opts_.recycle_idle_ns : no_deadline;
    }

    request* take_current() noexcept {
        request* r = current_;
        current_ = nullptr;
        return r;
    }

    void finish_failed(request* r, https_failure why, const char* text) noexcept {
        if (!r) return;
        r->handler->on_https_failure(r->tag, why, text);
        client_.release(r);
    }

    // Closes this connection; `soon`: reconnect at once (not a failure).
    void drop(int64_t now, bool soon) noexcept {
        stream_.close();
        phase_ = phase::down;
        deadline_ = no_deadline;
        if (soon) {
            retry_at_ = now;
            client_.loop_.schedule(now);
        } else {
            backoff(now);
        }
    }

    void backoff(int64_t now) noexcept {
        phase_ = phase::down;
        report_.state(EF_CONN_backoff);
        publish(report_.stats().connected_since_unix_ns, int64_t{0});
        const int64_t d = backoff_delay_ns(client_.opts_.backoff_initial_ns,
                                           client_.opts_.backoff_max_ns, failures_++, 20, rng_);
        retry_at_ = now + d;
        bump(report_.stats().reconnects);
        client_.loop_.schedule(retry_at_);
    }

    static inline ef_conn_stats dummy_stats_{};
    https_client& client_;
    unsigned index_;
    std::string name_;
    feed::conn_report report_;
    uint32_t slot_;
    tls_stream stream_;
    std::unique_ptr<char[]> head_, body_;
    http::response_parser parser_;
    size_t out_len_;
    std::unique_ptr<char[]> out_;
    WOLFSSL_SESSION* resume_ = nullptr;
    phase phase_ = phase::down;
    request* current_ = nullptr;
    int64_t sent_at_ = 0;
    int64_t deadline_ = no_deadline;
    int64_t retry_at_ = no_deadline;
    unsigned failures_ = 0;
    uint64_t rng_;
};

https_client::https_client(event_loop& loop, const tls::tls_context& tls, https_client_options opts,
                           std::vector<ef_conn_stats*> conn_stats, ef_histogram* round_trip)
    : loop_(loop), tls_(tls), opts_(std::move(opts)), round_trip_(round_trip) {
    requests_.reset(new request[opts_.queue + opts_.connections]);
    const size_t per = opts_.max_target_bytes + opts_.max_request_body_bytes;
    storage_.reset(new char[per * (opts_.queue + opts_.connections)]);
    free_.reserve(opts_.queue + opts_.connections);
    for (unsigned i = 0; i < opts_.queue + opts_.connections; ++i) {
        requests_[i].target = storage_.get() + i * per;
        requests_[i].body = requests_[i].target + opts_.max_target_bytes;
        free_.push_back(&requests_[i]);
    }
    fifo_.assign(opts_.queue, nullptr);
    for (unsigned i = 0; i < opts_.connections; ++i)
        conns_.push_back(std::make_unique<connection>(*this, i, i < conn_stats.size() ? conn_stats[i] : nullptr));
}

https_client::~https_client() = default;

void https_client::start() noexcept {
    stopped_ = false;
    const int64_t now = mono_ns();
    for (auto& c : conns_) c->connect(now);
}

void https_client::stop() noexcept {
    stopped_ = true;
    for (auto& c : conns_) c->stop();
    while (request* r = pop_request()) {
        r->handler->on_https_failure(r->tag, https_failure::not_sent, "stopped");
        release(r);
    }
}

unsigned https_client::in_flight() const noexcept {
    unsigned n = 0;
    for (const auto& c : conns_) n += c->busy();
    return n;
}

unsigned https_client::live_connections() const noexcept {
    unsigned n = 0;
    for (const auto& c : conns_) n += c->live();
    return n;
}

bool https_client::get(https_handler& h, uint64_t tag, std::string_view target) noexcept {
    return enqueue(h, tag, "GET", target, {}, {}, false, false);
}

bool https_client::post(https_handler& h, uint64_t tag, std::string_view target,
                        std::string_view json_body) noexcept {
    return enqueue(h, tag, "POST", target, {}, json_body, true, false);
}

bool https_client::send(https_handler& h, uint64_t tag, std::string_view method, std::string_view target,
                        std::span<const http::header> extra_headers, std::string_view json_body,
                        bool submit_now) noexcept {
    return enqueue(h, tag, method, target, extra_headers, json_body, !json_body.empty(), submit_now);
}

bool https_client::enqueue(https_handler& h, uint64_t tag, std::string_view method,
                           std::string_view target, std::span<const http::header> extra_headers,
                           std::string_view body, bool has_body, bool submit_now) noexcept {
    if (stopped_ || queued_ >= opts_.queue || free_.empty() || target.size() > opts_.max_target_bytes ||
        body.size() > opts_.max_request_body_bytes || extra_headers.size() > max_extra_headers)
        return false;
    size_t extra_len = 0;
    for (const auto& x : extra_headers) extra_len += x.name.size() + x.value.size();
    if (extra_len > extra_header_bytes) return false;
    request* r = free_.back();
    free_.pop_back();
    r->handler = &h;
    r->tag = tag;
    std::memcpy(r->method, method.data(), std::min(method.size(), sizeof r->method - 1));
    r->method[std::min(method.size(), sizeof r->method - 1)] = 0;
    std::memcpy(r->target, target.data(), target.size());
    r->target_len = target.size();
    r->has_body = has_body;
    r->submit_now = submit_now;
    r->extra_count = 0;
    char* at = r->extra_bytes;
    for (const auto& x : extra_headers) {
        // (an empty view may have no data: memcpy must not see its null)
        if (!x.name.empty()) std::memcpy(at, x.name.data(), x.name.size());
        if (!x.value.empty()) std::memcpy(at + x.name.size(), x.value.data(), x.value.size());
        r->extra[r->extra_count++] = {{at, x.name.size()}, {at + x.name.size(), x.value.size()}};
        at += x.name.size() + x.value.size();
    }
    if (!body.empty()) std::memcpy(r->body, body.data(), body.size());
    r->body_len = body.size();
    r->queue_deadline = mono_ns() + opts_.request_timeout_ns;
    fifo_[(head_ + queued_) % opts_.queue] = r;
    ++queued_;
    loop_.schedule(r->queue_deadline);
    dispatch();
    return true;
}

https_client::request* https_client::pop_request() noexcept {
    if (!queued_) return nullptr;
    request* r = fifo_[head_];
    head_ = (head_ + 1) % opts_.queue;
    --queued_;
    return r;
}

void https_client::release(request* r) noexcept {
    r->handler = nullptr;
    free_.push_back(r); // capacity reserved: never reallocates
}

int64_t https_client::expire_queued(int64_t now) noexcept {
    while (queued_ && fifo_[head_]->queue_deadline <= now) {
        request* r = pop_request();
        r->handler->on_https_failure(r->tag, https_failure::not_sent, "no connection within the timeout");
        release(r);
    }
    return queued_ ? fifo_[head_]->queue_deadline : no_deadline;
}

void https_client::dispatch() noexcept {
    const int64_t now = mono_ns();
    for (auto& c : conns_) {
        if (!queued_) return;
        if (c->idle()) c->send(pop_request(), now);
    }
}

} // namespace ef::net
