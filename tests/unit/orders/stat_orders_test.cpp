// edgestat's "orders" section (table, --json) as an operator sees it: the test
// plays the daemon (creates the books region and the order channel, keeps
// both heartbeats, sets counters and kill switches as the order loop and
// `edgestat halt` would), attaches one strategy, runs the real edgestat
// executable (meson passes its path in EDGESTAT) and checks what it prints.
#include "tests/support/run_command.hpp"
#include "book/region.hpp"
#include "channel_support.hpp"
#include "common/clock.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace ef::orders;
using namespace ef::orders::test;

namespace {

using run_result = ef::test::command_result;
inline run_result run(const std::string& command) { return ef::test::run_command(command); }

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

// The line of `text` whose first word is `first`, or "".
std::string line_starting(const std::string& text, const std::string& first) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto w = words(line);
        if (!w.empty() && w[0] == first) return line;
    }
    return {};
}

// The JSON value of the top-level "orders" key: the rest of the object after
// it, without the closing brace of the whole document.
std::string orders_json(const std::string& doc) {
    const std::string key = "\"orders\":";
    const size_t at = doc.rfind(key);
    if (at == std::string::npos) return {};
    const size_t end = doc.find_last_of('}');
    return end > at + key.size() ? doc.substr(at + key.size(), end - at - key.size()) : "";
}

// A books region (edgestat needs one to run at all), optionally an order
// channel of the same instance, and a thread beating both hearts.
class fake_daemon {
public:
    explicit fake_daemon(const char* tag, std::vector<std::string> strategies)
        : instance_(unique_instance(tag)) {
        ef::book::capacities caps;
        caps.max_contests = 4;
        caps.max_partners = 4;
        caps.max_positions = 16;
        caps.levels_per_position = 4;
        caps.journal_capacity = 64;
        caps.max_connections = 1;
        caps.max_depth = 0;
        auto spec = ef::book::region_spec::make(caps);
        if (!spec) {
            ADD_FAILURE() << spec.err().message;
            return;
        }
        auto book = ef::book::book_region::create(instance_, spec.value());
        if (!book) {
            ADD_FAILURE() << book.err().message;
            return;
        }
        book_.emplace(std::move(book.value()));
        book_->heartbeat(ef::mono_ns());
        book_->set_state(EF_DAEMON_RUNNING);
        if (!strategies.empty()) orders_ = make_region(instance_, std::move(strategies));
    }
    ~fake_daemon() {
        stop_beating();
        orders_.reset(); // unlinks the channel
        if (book_) (void)book_->unlink();
    }
    fake_daemon(const fake_daemon&) = delete;
    fake_daemon& operator=(const fake_daemon&) = delete;

    bool ok() const { return book_.has_value(); }
    const std::string& instance() const { return instance_; }
    order_channel_region& orders() { return *orders_; }
    ef_orders_header& orders_header() { return *reinterpret_cast<ef_orders_header*>(orders_->base()); }

    // The order loop is running and both heartbeats stay fresh until the end.
    void start_beating() {
        if (orders_) orders_->set_loop_state(1);
        beat_ = std::thread([this] {
            while (!stop_.load(std::memory_order_relaxed)) {
                const int64_t now = ef::mono_ns();
                book_->heartbeat(now);
                if (orders_) orders_->heartbeat(now);
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        });
    }
    void stop_beating() {
        stop_.store(true);
        if (beat_.joinable()) beat_.join();
    }

    run_result edgestat(const std::string& args) {
        return run(std::string(std::getenv("EDGESTAT")) + " --instance " + instance_ + " " + args);
    }

private:
    std::string instance_;
    std::optional<ef::book::book_region> book_;
    std::unique_ptr<order_channel_region> orders_;
    std::atomic<bool> stop_{false};
    std::thread beat_;
};

// What the order loop would have counted for slot 0 ("alpha"); each counter
// a different number, so a swapped column shows.
void set_alpha_stats(order_channel_region& r) {
    ef_order_slot_stats& s = r.stats(0);
    s.submitted = 31;
    s.sent = 29;
    s.accepted = 23;
    s.filled = 19;
    s.rejected_risk = 1;
    s.rejected_invalid = 2;
    s.rejected_venue = 3;
    s.rejected_daemon = 4;
    s.unknown = 5;
    s.reconciled = 6;
    s.responses_deferred = 7;
    s.open_notional_e9 = 1'234'500'000'000;   // 1234.5
    s.daily_notional_e9 = 98'765'432'101'234; // 98765.432101234: a double would round it
    s.last_submit_to_send_ns = 12'345;
}

// Two strategies: alpha attached by this process with counters and its own
// halt, beta idle; the daemon-wide switch on.
struct populated {
    fake_daemon d{"st", {"alpha", "beta"}};
    ef_order_channel* alpha = nullptr;
    populated() {
        if (!d.ok()) return;
        set_alpha_stats(d.orders());
        d.orders().set_halted(0, true);
        d.orders().set_halted_all(true);
        EXPECT_EQ(ef_orders_attach(d.instance().c_str(), "alpha", &alpha), EF_OK)
            << ef_orders_last_error();
        d.start_beating();
    }
    ~populated() { ef_orders_detach(alpha); }
};

#define REQUIRE_EDGESTAT()                                                                         \
    if (!std::getenv("EDGESTAT"))                                                                  \
    GTEST_SKIP() << "run through meson test (EDGESTAT names the executable)"

TEST(stat_orders, table_shows_the_loop_state_a_fresh_heartbeat_and_halt_all) {
    REQUIRE_EDGESTAT();
    populated p;
    ASSERT_TRUE(p.d.ok());
    const run_result res = p.d.edgestat("");
    ASSERT_EQ(res.status, 0) << res.out;
    const std::string head = line_starting(res.out, "orders");
    ASSERT_FALSE(head.empty()) << res.out;
    EXPECT_NE(head.find("loop running"), std::string::npos) << head;
    EXPECT_NE(head.find("heartbeat "), std::string::npos) << head;
    EXPECT_EQ(head.find("STALE"), std::string::npos) << head;
    EXPECT_NE(head.find("daemon pid " + std::to_string(::getpid())), std::string::npos) << head;
    EXPECT_NE(res.out.find("\nHALT ALL"), std::string::npos) << res.out;
    EXPECT_EQ(res.out.find("left by pid"), std::string::npos) << res.out;
}

TEST(stat_orders, table_has_one_line_per_strategy_with_every_counter_and_exact_decimals) {
    REQUIRE_EDGESTAT();
    populated p;
    ASSERT_TRUE(p.d.ok());
    const run_result res = p.d.edgestat("");
    ASSERT_EQ(res.status, 0) << res.out;
    const std::vector<std::string> alpha = {
        "alpha", std::to_string(::getpid()), "HALTED", "31", "29", "23", "19", "1/2/3/4", "5", "6",
        "7", "1234.5", "98765.432101234", "12.3", "µs"};
    EXPECT_EQ(words(line_starting(res.out, "alpha")), alpha) << res.out;
    const std::vector<std::string> beta = {"beta", "-", "no", "0", "0", "0", "0", "0/0/0/0",
                                           "0",    "0", "0",  "0", "0", "-"};
    EXPECT_EQ(words(line_starting(res.out, "beta")), beta) << res.out;
}

TEST(stat_orders, json_has_the_same_state_under_an_orders_key_with_decimal_strings) {
    REQUIRE_EDGESTAT();
    populated p;
    ASSERT_TRUE(p.d.ok());
    const run_result res = p.d.edgestat("--json");
    ASSERT_EQ(res.status, 0) << res.out;
    const std::string o = orders_json(res.out);
    ASSERT_FALSE(o.empty()) << res.out;
    EXPECT_EQ(o.rfind(R"({"loop_state":"running","heartbeat_age_ns":)", 0), 0u) << o;
    EXPECT_NE(o.find(R"("heartbeat_stale":false,"halt_all":true,"daemon_pid":)" +
                     std::to_string(::getpid()) + R"(,"same_daemon":true,)"),
              std::string::npos)
        << o;
    EXPECT_NE(o.find(R"("layout":"1.0","request_capacity":8,"response_capacity":8,)"),
              std::string::npos)
        << o;
    const std::string alpha =
        R"({"name":"alpha","owner_pid":)" + std::to_string(::getpid()) +
        R"(,"attached":true,"halted":true,"attach_count":1,"requests_queued":0,)"
        R"("responses_queued":0,"submitted":31,"sent":29,"accepted":23,"filled":19,)"
        R"("rejected_risk":1,"rejected_invalid":2,"rejected_venue":3,"rejected_daemon":4,)"
        R"("unknown":5,"reconciled":6,"responses_deferred":7,"open_notional":"1234.5",)"
        R"("daily_notional":"98765.432101234","last_submit_to_send_ns":12345})";
    const std::string beta =
        R"({"name":"beta","owner_pid":0,"attached":false,"halted":false,"attach_count":0,)"
        R"("requests_queued":0,"responses_queued":0,"submitted":0,"sent":0,"accepted":0,)"
        R"("filled":0,"rejected_risk":0,"rejected_invalid":0,"rejected_venue":0,)"
        R"("rejected_daemon":0,"unknown":0,"reconciled":0,"responses_deferred":0,)"
        R"("open_notional":"0","daily_notional":"0","last_submit_to_send_ns":0})";
    EXPECT_NE(o.find(R"("strategies":[)" + alpha + "," + beta + "]}"), std::string::npos) << o;
}

TEST(stat_orders, without_an_order_channel_the_table_has_no_orders_section_and_json_says_null) {
    REQUIRE_EDGESTAT();
    fake_daemon d("none", {});
    ASSERT_TRUE(d.ok());
    d.start_beating();
    const run_result table = d.edgestat("");
    EXPECT_EQ(table.status, 0) << table.out;
    EXPECT_NE(table.out.find("edgefeed instance"), std::string::npos) << table.out;
    EXPECT_TRUE(line_starting(table.out, "orders").empty()) << table.out;
    EXPECT_EQ(table.out.find("order channel"), std::string::npos) << table.out;
    const run_result json = d.edgestat("--json");
    EXPECT_EQ(json.status, 0) << json.out;
    EXPECT_EQ(orders_json(json.out), "null") << json.out;
}

TEST(stat_orders, a_loop_that_never_beat_shows_starting_heartbeat_never_and_stale) {
    REQUIRE_EDGESTAT();
    fake_daemon d("cold", {"alpha"});
    ASSERT_TRUE(d.ok());
    const run_result table = d.edgestat("");
    EXPECT_EQ(table.status, 0) << table.out;
    const std::string head = line_starting(table.out, "orders");
    EXPECT_NE(head.find("loop starting  heartbeat never"), std::string::npos) << table.out;
    EXPECT_EQ(table.out.find("HALT ALL"), std::string::npos) << table.out;
    const std::string o = orders_json(d.edgestat("--json").out);
    EXPECT_EQ(o.rfind(R"({"loop_state":"starting","heartbeat_age_ns":-1,"heartbeat_stale":true,)"
                      R"("halt_all":false,)",
                      0),
              0u)
        << o;
}

TEST(stat_orders, a_channel_left_by_another_daemon_is_flagged) {
    REQUIRE_EDGESTAT();
    fake_daemon d("left", {"alpha"});
    ASSERT_TRUE(d.ok());
    d.orders_header().pid = 1; // what a crashed daemon's leftover would say
    d.start_beating();
    const run_result table = d.edgestat("");
    EXPECT_EQ(table.status, 0) << table.out;
    EXPECT_NE(table.out.find("channel left by pid 1, not the books' daemon (pid " +
                             std::to_string(::getpid()) + ")"),
              std::string::npos)
        << table.out;
    const std::string o = orders_json(d.edgestat("--json").out);
    EXPECT_NE(o.find(R"("daemon_pid":1,"same_daemon":false,)"), std::string::npos) << o;
}

TEST(stat_orders, an_unreadable_channel_is_reported_and_edgestat_still_exits_0) {
    REQUIRE_EDGESTAT();
    fake_daemon d("bad", {"alpha"});
    ASSERT_TRUE(d.ok());
    d.orders_header().layout_major = EF_ORDERS_LAYOUT_MAJOR + 1; // a newer daemon
    d.start_beating();
    const run_result table = d.edgestat("");
    EXPECT_EQ(table.status, 0) << table.out;
    EXPECT_NE(table.out.find("orders: cannot read the order channel: "), std::string::npos)
        << table.out;
    EXPECT_NE(table.out.find("order channel layout is 2.0"), std::string::npos) << table.out;
    const std::string o = orders_json(d.edgestat("--json").out);
    EXPECT_EQ(o.rfind(R"({"error":")", 0), 0u) << o;
}

} // namespace
