// See feed_loop.hpp.
#include "feed/feed_loop.hpp"

#include "common/clock.hpp"
#include "common/counter.hpp"
#include "common/log.hpp"
#include "platform/cpu.hpp"

#include <cstring>

namespace ef::feed {

feed_loop::feed_loop(feed_loop_options opts, book::book_region& region,
                     const tls::tls_context& tls, ef_loop_stats& stats, ef_conn_stats* conn_stats)
    : opts_(std::move(opts)), region_(region), tls_(tls), stats_(stats), conn_stats_(conn_stats) {}

feed_loop::~feed_loop() { join(); }

status feed_loop::start(const std::atomic<bool>& stop) {
    std::promise<status> ready;
    auto fut = ready.get_future();
    thread_ = std::thread(&feed_loop::thread_main, this, &stop, &ready);
    status s = fut.get();
    if (!s) join();
    return s;
}

void feed_loop::join() {
    if (thread_.joinable()) thread_.join();
}

status feed_loop::set_up() {
    if (auto s = platform::pin_current_thread(opts_.core); !s) return s;
    char name[16];
    std::snprintf(name, sizeof name, "ef-loop%u", opts_.index);
    platform::name_current_thread(name);
    publish(stats_.core, static_cast<uint32_t>(opts_.core));
    publish(stats_.tid, static_cast<uint32_t>(platform::current_tid()));
    publish(stats_.idle_strategy, static_cast<uint32_t>(opts_.idle.mode));
    publish(stats_.connections, static_cast<uint32_t>(opts_.clients.size()));

    // wolfSSL's heap for this thread: handshakes on reconnect allocate from
    // it, not from the system (created here so its pages are on this core's node).
    auto pool = tls::tls_memory::pool::create(opts_.tls_pool_bytes);
    if (!pool) return std::move(pool).err().context("loop " + std::to_string(opts_.index) + " TLS pool");
    tls_pool_.emplace(std::move(pool).value());
    tls::tls_memory::attach_thread_pool(*tls_pool_);

    opts_.uring.fixed_files = std::max<unsigned>(opts_.uring.fixed_files,
                                                 static_cast<unsigned>(opts_.clients.size() + opts_.rest.connections) * 2 + 4);
    auto ring = platform::uring_loop::create(opts_.uring);
    if (!ring) return std::move(ring).err().context("loop " + std::to_string(opts_.index));
    ring_ = std::move(ring).value();
    loop_ = std::make_unique<net::event_loop>(*ring_, opts_.idle, &stats_,
                                              opts_.clients.size() + opts_.rest.connections + 5);
    (void)loop_->add_owner(this);
    auto writer = book::position_writer::make(region_, opts_.index);
    if (!writer) return std::move(writer).err();
    writer_ = std::make_unique<book::position_writer>(std::move(writer).value());
    if (opts_.rest_enabled) {
        std::vector<ef_conn_stats*> slots;
        for (unsigned k = 0; k < opts_.rest.connections; ++k) {
            slots.push_back(region_.conn_stats(opts_.rest_conn_index + k));
            publish(slots.back()->loop, opts_.index);
        }
        rest_ = std::make_unique<net::https_client>(*loop_, tls_, opts_.rest, std::move(slots),
                                                    &stats_.stages[EF_STAGE_rest_round_trip]);
    }
    for (auto& c : opts_.clients) {
        const uint32_t idx = c.conn_index;
        c.loop_index = opts_.index;
        for (const auto& contest : c.contests) writer_->adopt_contest(contest.second);
        clients_.push_back(std::make_unique<stream_client>(*loop_, tls_, region_, *writer_,
                                                           *region_.conn_stats(idx), c, rest_.get()));
    }
    return ok();
}

int64_t feed_loop::on_deadline(int64_t now) noexcept {
    loop_command c;
    while (inbox_.pop(c)) {
        for (auto& client : clients_) {
            if (client->conn_index() != c.conn) continue;
            if (c.kind == loop_command::add_contest) {
                if (!client->add_contest({c.id, ::strnlen(c.id, sizeof c.id)}, c.contest))
                    EF_LOG_WARN("loop {}: connection {} cannot take contest {} (full)", opts_.index,
                                c.conn, c.id);
            } else {
                client->remove_contest(c.contest, true);
            }
        }
    }
    // Discovery changes are rare and not urgent: a 10 ms tick is plenty.
    return now + 10'000'000;
}

void feed_loop::thread_main(const std::atomic<bool>* stop, std::promise<status>* ready) {
    // The ring must be created on this thread: SINGLE_ISSUER binds it here.
    status s = set_up();
    const bool up = s.ok();
    ready->set_value(std::move(s));
    if (!up) return;
    if (rest_) rest_->start();
    for (auto& c : clients_) c->start();
    loop_->schedule(mono_ns());
    loop_->run(*stop);

    for (auto& c : clients_) c->shutdown();
    if (rest_) rest_->stop();
    const int64_t deadline = mono_ns() + opts_.shutdown_grace_ns;
    for (;;) {
        bool all = true;
        for (auto& c : clients_) all = all && c->stopped();
        if (all || mono_ns() > deadline) break;
        loop_->poll_once(false);
    }
    // wolfSSL objects go back to this thread's pool while it is attached.
    clients_.clear();
    rest_.reset();
    tls::tls_memory::detach_thread_pool();
}

} // namespace ef::feed
