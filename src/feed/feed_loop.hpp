// One pinned thread with its own io_uring, its journal shard and the venue
// connections assigned to it: shared nothing with other loops, except the
// book region where each writes only the contests it owns. Created by the
// daemon at start-up; everything it needs is allocated before ready().
#pragma once

#include "book/region.hpp"
#include "common/spsc_ring.hpp"
#include "common/result.hpp"
#include "feed/stream_client.hpp"
#include "net/https_client.hpp"
#include "net/event_loop.hpp"
#include "platform/uring_loop.hpp"
#include "tls/tls_context.hpp"
#include "tls/tls_memory.hpp"

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace ef::feed {

struct feed_loop_options {
    uint32_t index = 0;   // loop number = journal shard
    int core = 0;         // CPU to pin to
    net::idle_policy idle;
    platform::uring_options uring;
    std::vector<stream_client_options> clients;
    // The loop's REST pool (snapshots, contest state); its connections use
    // stats slots rest_conn_index .. + rest.connections - 1.
    bool rest_enabled = false;
    net::https_client_options rest;
    uint32_t rest_conn_index = 0;
    int64_t shutdown_grace_ns = 500'000'000;
    size_t tls_pool_bytes = size_t{8} << 20; // this loop's wolfSSL heap
};

// What the control thread asks of a loop (discovery): serve a new contest on
// one of its connections, or drop one the venue closed.
struct loop_command {
    enum kind_t : uint8_t { add_contest, close_contest } kind = add_contest;
    uint32_t conn = 0;    // stats index of the stream connection
    uint32_t contest = 0; // book index
    char id[EF_CONTEST_ID_MAX] = {};
};

class feed_loop final : public net::completion_owner {
public:
    feed_loop(feed_loop_options opts, book::book_region& region, const tls::tls_context& tls,
              ef_loop_stats& stats, ef_conn_stats* conn_stats);
    ~feed_loop();

    // Starts the thread; the returned status says whether it came up (ring,
    // pinning, writer), after which it runs until stop is set.
    status start(const std::atomic<bool>& stop);
    void join();

    // The control thread's inbox (one producer). False when full: try later.
    bool post(const loop_command& c) noexcept { return inbox_.push(c); }

    // completion_owner: drains the inbox on a short tick.
    void on_completion(const io_uring_cqe&, platform::op_tag) noexcept override {}
    int64_t on_deadline(int64_t now) noexcept override;

private:
    void thread_main(const std::atomic<bool>* stop, std::promise<status>* ready);
    status set_up();

    feed_loop_options opts_;
    book::book_region& region_;
    const tls::tls_context& tls_;
    ef_loop_stats& stats_;
    ef_conn_stats* conn_stats_;
    std::thread thread_;
    std::optional<tls::tls_memory::pool> tls_pool_;
    std::unique_ptr<platform::uring_loop> ring_;
    std::unique_ptr<net::event_loop> loop_;
    std::unique_ptr<book::position_writer> writer_;
    spsc_ring<loop_command> inbox_{1024};
    std::unique_ptr<net::https_client> rest_;
    std::vector<std::unique_ptr<stream_client>> clients_;
};

} // namespace ef::feed
