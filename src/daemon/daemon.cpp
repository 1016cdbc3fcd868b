// See daemon.hpp. Start-up order matters: the book region exists before any
// loop (loops write into it), contests are claimed before loops start (only
// the control thread claims), and "ready" is published only when every loop
// came up, so edgestat's "allocations since ready" counts steady state only.
#include "daemon/daemon.hpp"

#include "book/region.hpp"
#include "common/alloc_count.hpp"
#include "common/clock.hpp"
#include "common/counter.hpp"
#include "common/log.hpp"
#include "config/url.hpp"
#include "daemon/control_plane.hpp"
#include "daemon/order_path.hpp"
#include "feed/feed_loop.hpp"
#include "tls/tls_memory.hpp"
#include "feed/protocol_rules.hpp"
#include "net/socket_ops.hpp"
#include "platform/cpu.hpp"
#include "tls/tls_context.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/mman.h>
#include <unistd.h>

namespace ef::daemon {

namespace {

int fail(const std::string& what) {
    const std::string line = "edgefeed: " + what;
    log::write_now(log::level::error, line.data(), line.size());
    log::stop();
    return 1;
}

// Contests split into `connections` groups, each at most per_connection, in
// config order: a contest keeps its connection across restarts.
std::vector<std::vector<std::string>> split_contests(const std::vector<std::string>& ids,
                                                     uint32_t connections) {
    std::vector<std::vector<std::string>> groups(connections);
    for (size_t i = 0; i < ids.size(); ++i) groups[i % connections].push_back(ids[i]);
    return groups;
}

} // namespace

int run(config::daemon_options opts) {
    const config::daemon_config& cfg = opts.config;
    const config::openmarkets_section& om = cfg.openmarkets;
    // Block the stop signals before any thread exists (the logger's, the
    // loops'): they inherit the mask, and only sigtimedwait below takes them.
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
    // Housekeeping (this thread, the logger) stays off the loops' cores so a
    // spinning loop is never preempted by our own threads.
    // The order loop's core above all: an order must not wait behind the
    // logger. With no core to spare, housekeeping shares the feed loops'.
    std::vector<int> hot = cfg.daemon.cores;
    const int order_core =
        cfg.orders.enabled ? config::effective_orders_core(cfg, static_cast<int>(platform::online_cpus())) : -1;
    if (order_core >= 0) hot.push_back(order_core);
    std::vector<int> housekeeping = platform::keep_off_cores(hot);
    if (housekeeping.empty() && order_core >= 0) housekeeping = platform::keep_off_cores({order_core});
    log::set_min_level(cfg.daemon.log_level);
    log::start();
    for (const auto& w : opts.warnings) EF_LOG_WARN("{}", w);

    tls::library_init();
    const tls::crypto_info crypto = tls::crypto();
    if (!crypto.aes_ni) {
        EF_LOG_ERROR("tls_crypto: slow, no AES-NI: this wolfSSL {} was not built by "
                     "tools/setup.sh (AES-GCM ~30x slower); edgestat shows it too",
                     crypto.version);
    }

    const unsigned cpus = platform::online_cpus();
    for (size_t i = 0; i < cfg.daemon.cores.size(); ++i)
        if (static_cast<unsigned>(cfg.daemon.cores[i]) >= cpus)
            return fail(fmt::format("daemon.cores[{}]: core {} does not exist (this machine has {})",
                                    i, cfg.daemon.cores[i], cpus));
    if (cfg.daemon.mlock && mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
        EF_LOG_WARN("mlockall failed ({}); page faults may reach the hot path", std::strerror(errno));

    const uint32_t loops = static_cast<uint32_t>(cfg.daemon.cores.size());
    const bool discovering = !om.discovery.leagues.empty();
    const uint32_t connections = om.contests.empty() && !discovering ? 1 : om.connections;

    book::capacities caps;
    caps.max_contests = cfg.capacity.contests;
    caps.max_partners = cfg.capacity.partners;
    caps.max_positions = cfg.capacity.positions;
    caps.levels_per_position = cfg.capacity.levels_per_position;
    caps.journal_shards = loops;
    caps.journal_capacity = cfg.capacity.journal_entries;
    // The order loop, when orders are on, takes the loop slot after the feed loops.
    caps.max_loops = loops + order_loops(cfg);
    // Stats slots: the stream connections, then each loop's REST pool.
    const uint32_t rest_per_loop = om.rest_connections;
    // ... and one for the control thread's REST connection.
    const uint32_t control_conn = connections + loops * rest_per_loop;
    // ... then the order loop's venue connections.
    const uint32_t order_conn = control_conn + 1;
    caps.max_connections = order_conn + order_connections(cfg);
    caps.max_depth = cfg.capacity.depth_positions;
    caps.depth_partners = cfg.capacity.depth_partners;
    caps.depth_levels = cfg.capacity.depth_levels;
    auto spec = book::region_spec::make(caps);
    if (!spec) return fail("capacity: " + spec.err().message);
    auto region_r = book::book_region::create(cfg.instance, *spec, {cfg.daemon.mlock});
    if (!region_r) return fail(region_r.err().message);
    book::book_region region = std::move(region_r).value();

    ef_process_stats& ps = region.stats()->process;
    publish(ps.pid, static_cast<uint32_t>(getpid()));
    publish(ps.tls_crypto, static_cast<uint32_t>(crypto.aes_ni ? EF_TLS_CRYPTO_AESNI : EF_TLS_CRYPTO_SLOW));
    publish(ps.started_unix_ns, unix_ns());
    publish(ps.loops, caps.max_loops);
    publish(ps.connections, caps.max_connections);
    std::snprintf(ps.tls_library, sizeof ps.tls_library, "wolfSSL %s", crypto.version);

    auto url = config::parse_url(om.stream_url);
    if (!url) return fail("openmarkets.stream_url: " + url.err().message);
    auto ep = net::resolve(url->host, url->port);
    if (!ep) return fail("openmarkets.stream_url: " + ep.err().message);
    auto tls_ctx = tls::tls_context::client(config::effective_ca_file(om));
    if (!tls_ctx) return fail("openmarkets.ca_file: " + tls_ctx.err().message);

    const std::string verify_name = config::effective_server_name(om, url->host);
    const bool verify_is_ip = verify_name == url->host && url->is_ip_literal;
    std::string target = url->target();
    if (om.key_in == config::api_key_in::query) {
        target += url->query.empty() ? '?' : '&';
        target += std::string(openmarkets::api_key_query_param) + "=" +
                  config::percent_encoded(opts.api_key.view());
    }

    auto rest_url = config::parse_url(config::effective_rest_url(om));
    if (!rest_url) return fail("openmarkets.rest_url: " + rest_url.err().message);
    auto rest_ep = net::resolve(rest_url->host, rest_url->port);
    if (!rest_ep) return fail("openmarkets.rest_url: " + rest_ep.err().message);
    const std::string rest_verify = config::effective_server_name(om, rest_url->host);
    const bool rest_verify_is_ip = rest_verify == rest_url->host && rest_url->is_ip_literal;
    std::string rest_base = rest_url->path;
    while (rest_base.size() > 1 && rest_base.back() == '/') rest_base.pop_back();
    if (rest_base == "/") rest_base.clear();

    // The control thread: partners, depth, discovery (daemon/control_plane.hpp).
    control_plane_options cpo;
    cpo.rest.name = "openmarkets-control";
    cpo.rest.ep = *rest_ep;
    cpo.rest.host_header = rest_url->host_header();
    cpo.rest.sni = rest_url->is_ip_literal && rest_verify_is_ip ? "" : rest_verify;
    cpo.rest.verify_name = rest_verify;
    cpo.rest.headers = {{openmarkets::api_key_header, opts.api_key.view()},
                        {"Accept", "application/json"}};
    cpo.rest.connections = 1;
    cpo.rest.body_bytes = cfg.capacity.rest_body_bytes;
    cpo.rest.request_timeout_ns = int64_t{om.timeouts.rest_timeout_ms} * 1'000'000;
    cpo.rest.connect_timeout_ns = int64_t{om.timeouts.connect_ms} * 1'000'000;
    cpo.rest.seed = region.epoch() + 999;
    cpo.rest_conn_index = control_conn;
    cpo.rest_base = rest_base;
    cpo.partners_refresh_ns = int64_t{om.partners_refresh_s} * 1'000'000'000;
    cpo.depth_positions = om.depth.positions;
    cpo.depth_refresh_ns = int64_t{om.depth.refresh_ms} * 1'000'000;
    cpo.max_rest_body_bytes = cfg.capacity.rest_body_bytes;
    cpo.tls_pool_bytes = cfg.capacity.tls_pool_bytes;
    control_plane control(std::move(cpo), region, *tls_ctx);

    // Contests: the configured ids, plus what discovery selects.
    std::vector<std::string> contest_ids = om.contests;
    if (discovering) {
        auto found = control.discover(om.discovery.leagues, om.discovery.status);
        if (!found) return fail(found.err().message);
        const size_t room = size_t{connections} * om.contests_per_connection;
        for (const auto& c : *found) {
            if (c.status == "closed" || std::find(contest_ids.begin(), contest_ids.end(), c.id) != contest_ids.end())
                continue;
            if (contest_ids.size() == room) {
                EF_LOG_WARN("discovery: {} contests found, {} fit {} connection(s); the rest are not "
                            "subscribed", found->size(), room, connections);
                break;
            }
            contest_ids.push_back(c.id);
        }
        EF_LOG_INFO("discovery: {} contest(s) in league(s) {} with status {}", found->size(),
                    fmt::join(om.discovery.leagues, ","), om.discovery.status);
    }

    // Plan: contests -> connections -> loops (round-robin over the cores).
    const auto groups = split_contests(contest_ids, connections);
    std::vector<feed::feed_loop_options> plans(loops);
    for (uint32_t l = 0; l < loops; ++l) {
        plans[l].index = l;
        plans[l].core = cfg.daemon.cores[l];
        plans[l].idle.mode = static_cast<net::idle_mode>(cfg.daemon.idle);
        plans[l].idle.spin_before_sleep_ns = int64_t{cfg.daemon.spin_before_sleep_us} * 1000;
        plans[l].idle.sleep_max_ns = int64_t{cfg.daemon.sleep_max_us} * 1000;
        plans[l].uring.recv_buffers = cfg.capacity.recv_buffers;
        plans[l].uring.recv_buffer_bytes = cfg.capacity.recv_buffer_bytes;
        plans[l].uring.lock_memory = cfg.daemon.mlock;
        plans[l].tls_pool_bytes = cfg.capacity.tls_pool_bytes;
        // The loop's REST pool: warm keep-alive connections for snapshots and
        // contest state. The key goes in a header, never in a URL.
        plans[l].rest_enabled = true;
        plans[l].rest_conn_index = connections + l * rest_per_loop;
        net::https_client_options& r = plans[l].rest;
        r.name = fmt::format("openmarkets-rest#{}", l);
        r.ep = *rest_ep;
        r.host_header = rest_url->host_header();
        r.sni = rest_url->is_ip_literal && rest_verify_is_ip ? "" : rest_verify;
        r.verify_name = rest_verify;
        r.headers = {{openmarkets::api_key_header, opts.api_key.view()},
                     {"Accept", "application/json"}};
        r.connections = rest_per_loop;
        r.queue = std::max<unsigned>(64, om.snapshot_concurrency * om.connections + 8);
        r.max_target_bytes = 1024;
        r.max_request_body_bytes = 64 + openmarkets::max_contests_per_connection * (EF_CONTEST_ID_MAX + 3);
        r.body_bytes = cfg.capacity.rest_body_bytes;
        r.request_timeout_ns = int64_t{om.timeouts.rest_timeout_ms} * 1'000'000;
        r.connect_timeout_ns = int64_t{om.timeouts.connect_ms} * 1'000'000;
        r.seed = region.epoch() + 1000 + l;
    }
    for (uint32_t c = 0; c < connections; ++c) {
        feed::stream_client_options o;
        o.name = fmt::format("openmarkets#{}", c);
        o.conn_index = c;
        o.endpoint = *ep;
        o.host_header = url->host_header();
        o.target = target;
        o.sni = url->is_ip_literal && verify_is_ip ? "" : verify_name;
        o.verify_name = verify_name;
        o.api_key = opts.api_key.view();
        o.key_in_header = om.key_in == config::api_key_in::header;
        for (const auto& id : groups[c]) {
            const uint32_t idx = region.claim_contest(id);
            if (!book::is_index(idx))
                return fail(fmt::format("capacity.contests: no room for contest '{}'", id));
            region.set_contest_connection(idx, c);
            o.contests.emplace_back(id, idx);
        }
        o.max_message_bytes = cfg.capacity.max_message_bytes;
        o.buffers.outbound_bytes = cfg.capacity.send_buffer_bytes;
        o.connect_timeout_ns = int64_t{om.timeouts.connect_ms} * 1'000'000;
        o.tls_timeout_ns = int64_t{om.timeouts.tls_handshake_ms} * 1'000'000;
        o.upgrade_timeout_ns = int64_t{om.timeouts.upgrade_ms} * 1'000'000;
        o.heartbeat_timeout_ns = int64_t{om.timeouts.heartbeat_timeout_ms} * 1'000'000;
        o.app_ping_interval_ns = int64_t{om.timeouts.app_ping_interval_ms} * 1'000'000;
        o.backoff_initial_ns = int64_t{om.backoff.initial_ms} * 1'000'000;
        o.backoff_max_ns = int64_t{om.backoff.max_ms} * 1'000'000;
        o.jitter_pct = static_cast<int>(om.backoff.jitter_pct);
        o.healthy_after_ns = int64_t{om.backoff.healthy_after_ms} * 1'000'000;
        o.seed = region.epoch() + c;
        o.sync.rest_base = rest_base;
        o.sync.hold_bytes = cfg.capacity.hold_bytes;
        o.sync.max_snapshots_in_flight = om.snapshot_concurrency;
        o.sync.contest_state = om.contest_state;
        o.sync.max_rest_body_bytes = cfg.capacity.rest_body_bytes;
        o.sync.seed = region.epoch() + 7 * c + 3;
        plans[c % loops].clients.push_back(std::move(o));
    }

    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<feed::feed_loop>> running;
    for (uint32_t l = 0; l < loops; ++l) {
        auto loop = std::make_unique<feed::feed_loop>(std::move(plans[l]), region, *tls_ctx,
                                                      *region.loop_stats(l), region.conn_stats(0));
        if (auto s = loop->start(stop); !s) {
            stop = true;
            for (auto& r : running) r->join();
            return fail(s.err().message);
        }
        running.push_back(std::move(loop));
    }

    if (discovering) {
        discovery_plan plan;
        plan.leagues = om.discovery.leagues;
        plan.status = om.discovery.status;
        plan.refresh_ns = int64_t{om.discovery.refresh_s} * 1'000'000'000;
        plan.per_connection = om.contests_per_connection;
        for (uint32_t c = 0; c < connections; ++c) {
            plan.connections.push_back({c, running[c % loops].get(), static_cast<uint32_t>(groups[c].size())});
            for (const auto& id : groups[c]) plan.assigned.emplace(id, c);
        }
        control.set_discovery(std::move(plan));
    }
    if (auto s = control.start(stop); !s) {
        stop = true;
        for (auto& r : running) r->join();
        return fail(s.err().message);
    }

    // The order path: strategies' channel, journal, pinned order loop with
    // warm connections to each venue's order endpoint.
    std::unique_ptr<order_path> orders;
    if (cfg.orders.enabled) {
        auto made = order_path::create(cfg, region, *tls_ctx, opts.api_key, order_conn, loops);
        status s = made ? made.value()->start(stop) : status(std::move(made).err());
        if (!s) {
            stop = true;
            for (auto& r : running) r->join();
            control.join();
            return fail(s.err().message);
        }
        orders = std::move(made).value();
    }

    // Process stats (heartbeat, allocation counters, TLS pool) are published
    // once before the state turns RUNNING and then every housekeeping tick, so
    // a reader that sees RUNNING never sees the counters still unset.
    const alloc::counts at_ready = alloc::read();
    auto publish_process_stats = [&] {
        region.heartbeat(mono_ns());
        const alloc::counts now = alloc::read();
        publish(ps.allocs_total, now.allocs);
        publish(ps.allocs_since_ready, now.allocs - at_ready.allocs);
        publish(ps.alloc_bytes_since_ready, now.bytes - at_ready.bytes);
        const tls::tls_memory::global_stats pool = tls::tls_memory::read_global();
        publish(ps.tls_pool_fallbacks, pool.pool_fallbacks - pool.unattached);
        publish(ps.tls_pool_exhausted, pool.pool_exhausted);
    };
    publish(ps.ready_unix_ns, unix_ns());
    publish_process_stats();
    region.set_state(EF_DAEMON_RUNNING);
    EF_LOG_INFO("edgefeed ready: instance '{}', {} loop(s) on core(s) {}, {} connection(s) to {}, "
                "{} contest(s), {} {}",
                cfg.instance, loops, fmt::join(cfg.daemon.cores, ","), connections, ep->text,
                contest_ids.size(), ps.tls_library, crypto.aes_ni ? "(AES-NI)" : "(SLOW: no AES-NI)");
    if (housekeeping.empty())
        EF_LOG_WARN("no core left for housekeeping: the heartbeat and logger threads share the loops' cores");

    // Housekeeping: heartbeat and process stats every 10 ms, until a signal.
    const timespec tick{0, 10'000'000};
    for (;;) {
        const int sig = sigtimedwait(&sigs, nullptr, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            EF_LOG_INFO("signal {}: shutting down", sig);
            break;
        }
        publish_process_stats();
    }
    region.set_state(EF_DAEMON_STOPPING);
    stop = true;
    for (auto& r : running) r->join();
    control.join();
    if (orders) orders->join(); // drains the journal to disk
    region.set_state(EF_DAEMON_STOPPED);
    log::stop();
    return 0;
}

} // namespace ef::daemon
