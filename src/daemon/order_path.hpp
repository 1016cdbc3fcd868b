// Start-up of the order path: from the [orders] config to the strategies'
// shared-memory channel, the journal thread, the cl_order_id source and the
// pinned order loop with its warm venue connections. Called once by the
// daemon after the book region exists; stopped after the feed loops.
#pragma once

#include "book/region.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "config/secret.hpp"
#include "orders/order_loop.hpp"
#include "tls/tls_context.hpp"

#include <atomic>
#include <memory>
#include <optional>

namespace ef::daemon {

// Stats slots the order path needs in the book region (connections, loops).
uint32_t order_connections(const config::daemon_config& cfg);
uint32_t order_loops(const config::daemon_config& cfg);

class order_path {
public:
    // conn_index: its first connection stats slot; loop_index: its loop slot.
    static result<std::unique_ptr<order_path>> create(const config::daemon_config& cfg,
                                                      book::book_region& region,
                                                      const tls::tls_context& om_tls,
                                                      const config::secret& api_key,
                                                      uint32_t conn_index, uint32_t loop_index);
    ~order_path();
    status start(const std::atomic<bool>& stop);
    // After stop was set: joins the loop, then drains and closes the journal.
    void join();
    int core() const noexcept { return core_; }

private:
    order_path() = default;
    std::unique_ptr<orders::order_channel_region> channel_;
    std::unique_ptr<orders::journal_writer> journal_;
    std::optional<orders::cl_order_id_source> ids_;
    std::optional<tls::tls_context> ct_tls_;
    config::secret ct_client_secret_;
    std::unique_ptr<orders::order_loop> loop_;
    int core_ = -1;
};

} // namespace ef::daemon
