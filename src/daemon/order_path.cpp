// See order_path.hpp.
#include "daemon/order_path.hpp"

#include "common/log.hpp"
#include "config/url.hpp"
#include "feed/protocol_rules.hpp"
#include "net/socket_ops.hpp"
#include "orders/order_protocol.hpp"
#include "platform/cpu.hpp"

#include <filesystem>
#include <fmt/format.h>

namespace ef::daemon {

uint32_t order_connections(const config::daemon_config& cfg) {
    const config::orders_section& o = cfg.orders;
    if (!o.enabled) return 0;
    return o.openmarkets_connections + (o.connecttrade.enabled ? o.connecttrade.connections : 0);
}

uint32_t order_loops(const config::daemon_config& cfg) { return cfg.orders.enabled ? 1 : 0; }

namespace {

// Secrets read as plain strings are wiped once copied into a config::secret.
void wipe(std::string& s) noexcept {
    volatile char* p = s.data();
    for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
    s.clear();
}

orders::risk_limits to_risk(const config::limits_section& l) {
    orders::risk_limits r{};
    r.max_order_qty_e9 = l.max_order_qty_e9;
    r.max_order_notional_e9 = l.max_order_notional_e9;
    r.max_open_notional_e9 = l.max_open_notional_e9;
    r.max_daily_notional_e9 = l.max_daily_notional_e9;
    r.max_orders_per_s = l.max_orders_per_s;
    r.fat_finger_bps = l.fat_finger_bps;
    r.max_price_e9 = l.max_price_e9;
    r.require_reference = l.require_reference;
    return r;
}

// Options shared by both venues' pools: warm, kept alive, recycled before the
// venue's idle timeout, one order per connection at a time.
net::https_client_options pool_options(const config::daemon_config& cfg, std::string name,
                                       const config::url& u, const std::string& verify, net::endpoint ep,
                                       unsigned connections, uint64_t seed) {
    const config::orders_section& o = cfg.orders;
    net::https_client_options p;
    p.name = std::move(name);
    p.ep = ep;
    p.host_header = u.host_header();
    p.sni = u.is_ip_literal && verify == u.host ? "" : verify;
    p.verify_name = verify;
    p.connections = connections;
    p.queue = o.max_in_flight;
    p.max_target_bytes = 1024;
    p.max_request_body_bytes = 4096;
    p.head_bytes = 16384;
    p.body_bytes = 1 << 20; // a page of GET /orders during reconciliation
    p.request_timeout_ns = int64_t{o.request_timeout_ms} * 1'000'000;
    p.connect_timeout_ns = int64_t{cfg.openmarkets.timeouts.connect_ms} * 1'000'000;
    p.recycle_idle_ns = int64_t{o.recycle_idle_ms} * 1'000'000;
    p.seed = seed;
    return p;
}

} // namespace

result<std::unique_ptr<order_path>> order_path::create(const config::daemon_config& cfg,
                                                       book::book_region& region,
                                                       const tls::tls_context& om_tls,
                                                       const config::secret& api_key, uint32_t conn_index,
                                                       uint32_t loop_index) {
    const config::orders_section& oc = cfg.orders;
    std::unique_ptr<order_path> p(new order_path());
    orders::order_loop_options lo;

    std::vector<std::string> names;
    for (const auto& s : oc.strategies) {
        names.push_back(s.name);
        orders::strategy_risk r;
        r.name = s.name;
        r.accounts = s.accounts;
        r.limits = to_risk(s.limits);
        lo.strategies.push_back(std::move(r));
        lo.start_halted.push_back(s.halted);
    }
    for (const auto& a : oc.accounts)
        lo.accounts.push_back({a.account, a.max_open_notional_e9, a.max_daily_notional_e9});

    auto channel = orders::order_channel_region::create(cfg.instance, names, oc.request_ring, oc.response_ring);
    if (!channel) return std::move(channel).err().context("orders channel");
    p->channel_ = std::move(channel).value();

    // The journal directory is ours to create (0750: orders are not for everyone).
    {
        std::error_code ec;
        const bool made = std::filesystem::create_directories(oc.journal_dir, ec);
        if (ec)
            return error(fmt::format("orders.journal_dir: cannot create {}: {} (or set orders.enabled = false)",
                                     oc.journal_dir, ec.message()));
        if (made) std::filesystem::permissions(oc.journal_dir, std::filesystem::perms(0750), ec);
    }
    auto ids = orders::cl_order_id_source::open(oc.journal_dir, cfg.instance, oc.cl_order_id_prefix);
    if (!ids) return std::move(ids).err().context("orders.journal_dir (cl_order_id state)");
    p->ids_.emplace(std::move(ids).value());
    // A slot holds the largest record: a wire answer's first 4 KiB with its head.
    p->journal_ = std::make_unique<orders::journal_writer>(oc.journal_dir, cfg.instance, oc.journal_records,
                                                           uint32_t{8192});

    // The loop's core: its own when the machine has one to spare.
    p->core_ = config::effective_orders_core(cfg, static_cast<int>(platform::online_cpus()));
    lo.core = p->core_;
    lo.loop_index = loop_index;
    lo.idle.mode = static_cast<net::idle_mode>(oc.idle);
    lo.idle.spin_before_sleep_ns = int64_t{cfg.daemon.spin_before_sleep_us} * 1000;
    lo.idle.sleep_max_ns = int64_t{cfg.daemon.sleep_max_us} * 1000;
    lo.uring.recv_buffers = 64;
    lo.uring.recv_buffer_bytes = cfg.capacity.recv_buffer_bytes;
    lo.uring.lock_memory = cfg.daemon.mlock;
    lo.tls_pool_bytes = cfg.capacity.tls_pool_bytes;
    lo.max_in_flight = oc.max_in_flight;
    lo.warm_interval_ns = int64_t{oc.warm_interval_ms} * 1'000'000;
    lo.reconcile_interval_ns = int64_t{oc.reconcile_interval_ms} * 1'000'000;
    lo.reconcile_attempts = oc.reconcile_attempts;

    // OpenMarkets: the REST host of the feed, POST <base>/auth/orders/buy.
    const config::openmarkets_section& om = cfg.openmarkets;
    auto om_url = config::parse_url(config::effective_rest_url(om));
    if (!om_url) return std::move(om_url).err().context("openmarkets.rest_url");
    auto om_ep = net::resolve(om_url->host, om_url->port);
    if (!om_ep) return std::move(om_ep).err().context("openmarkets.rest_url");
    std::string base = om_url->path;
    while (!base.empty() && base.back() == '/') base.pop_back();
    lo.om_enabled = true;
    lo.om_orders_target = base + std::string(orders::protocol::om_buy_path_under_base);
    lo.om = pool_options(cfg, "openmarkets-orders", *om_url, config::effective_server_name(om, om_url->host),
                         *om_ep, oc.openmarkets_connections, region.epoch() + 5000);
    lo.om.headers = {{openmarkets::api_key_header, api_key.view()}, {"Accept", "application/json"}};
    lo.om_conn_index = conn_index;

    const config::connecttrade_section& ct = oc.connecttrade;
    if (ct.enabled) {
        auto u = config::parse_url(ct.rest_url);
        if (!u) return std::move(u).err().context("orders.connecttrade.rest_url");
        if (u->path != "/")
            return error("orders.connecttrade.rest_url: the venue's endpoints sit at the root; drop the path '" +
                         u->path + "'");
        auto ep = net::resolve(u->host, u->port);
        if (!ep) return std::move(ep).err().context("orders.connecttrade.rest_url");
        auto tls = tls::tls_context::client(config::effective_ct_ca_file(cfg));
        if (!tls) return std::move(tls).err().context("orders.connecttrade.ca_file");
        p->ct_tls_.emplace(std::move(tls).value());
        auto secret = config::read_ct_client_secret(ct);
        if (!secret) return std::move(secret).err();
        std::string text = std::move(secret).value();
        p->ct_client_secret_ = config::secret(text);
        wipe(text);
        const std::string verify = ct.server_name.empty() ? u->host : ct.server_name;
        lo.ct_enabled = true;
        lo.ct = pool_options(cfg, "connecttrade-orders", *u, verify, *ep, ct.connections, region.epoch() + 6000);
        lo.ct.headers = {{orders::protocol::ct_header_client_id, ct.client_id},
                         {orders::protocol::ct_header_client_secret, p->ct_client_secret_.view()},
                         {"Accept", "application/json"}};
        lo.ct_conn_index = conn_index + oc.openmarkets_connections;
        for (const auto& a : ct.accounts) {
            auto s = config::read_ct_user_secret(a);
            if (!s) return std::move(s).err();
            std::string text = std::move(s).value();
            lo.ct_accounts.push_back({a.account_id, a.user_id, config::secret(text)});
            wipe(text);
        }
    }
    const tls::tls_context& ct_tls = p->ct_tls_ ? *p->ct_tls_ : om_tls;
    // The CT pool's fixed headers point into this object's strings and secret.
    p->loop_ = std::make_unique<orders::order_loop>(std::move(lo), region, om_tls, ct_tls, *p->channel_,
                                                    *p->journal_, *p->ids_);
    return p;
}

order_path::~order_path() { join(); }

status order_path::start(const std::atomic<bool>& stop) {
    if (auto s = journal_->start(); !s) return s;
    return loop_->start(stop);
}

void order_path::join() {
    if (loop_) loop_->join();
    if (journal_) journal_->stop();
}

} // namespace ef::daemon
