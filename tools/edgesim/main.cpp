// edgesim: a simulated OpenMarkets venue (stream, REST, orders) and Connect
// Trade order API over real TLS on loopback, for the demo, the tests and the
// benchmarks. `edgesim --help` lists the flags and the fault kinds.
#include "common/clock.hpp"
#include "common/log.hpp"
#include "edgesim/sim_server.hpp"
#include "edgesim/test_ca.hpp"
#include "edgesim/venue_book.hpp"
#include "platform/uring_loop.hpp"

#include <CLI/CLI.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/signalfd.h>
#include <unistd.h>

namespace {

// Turns SIGINT/SIGTERM (stop) and SIGUSR1 (write the truth file) into
// io_uring completions, so the single loop never blocks in a handler.
class signal_owner final : public ef::net::completion_owner {
public:
    signal_owner(ef::net::event_loop& loop, int fd) : loop_(loop), fd_(fd), slot_(loop.add_owner(this)) { arm(); }
    void arm() {
        io_uring_sqe* sqe = loop_.ring().sqe();
        io_uring_prep_read(sqe, fd_, &info_, sizeof info_, 0);
        sqe->user_data = ef::platform::op_tag::pack(1, slot_, 0);
    }
    void on_completion(const io_uring_cqe& cqe, ef::platform::op_tag) noexcept override {
        if (cqe.res == sizeof info_) {
            if (info_.ssi_signo == SIGUSR1) write_truth = true;
            else stop = true;
        }
        arm();
    }
    int64_t on_deadline(int64_t) noexcept override { return ef::net::no_deadline; }
    std::atomic<bool> stop{false};
    bool write_truth = false;

private:
    ef::net::event_loop& loop_;
    int fd_;
    uint32_t slot_;
    signalfd_siginfo info_{};
};

bool write_file(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    std::ofstream f(tmp, std::ios::trunc);
    f << text;
    f.close();
    return f && std::rename(tmp.c_str(), path.c_str()) == 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"edgesim: a simulated OpenMarkets venue over TLS on loopback"};
    std::string host = "127.0.0.1", state_dir = "edgesim-state", port_file, truth_file,
                api_key = "sim-key", api_key_file;
    uint16_t port = 8443;
    uint64_t seed = 1, burst = 0;
    unsigned contests = 4, positions = 16, entries = 3, sessions = 32, ts_digits = 9;
    double rate = 0, seconds = 0;
    int64_t ping_ms = 25'000;
    bool replay = false, no_replay = false, new_ca = false, plain_numbers = false,
         rest_chunked = false;
    std::vector<std::string> fault_args;
    double chaos_seconds = 0;
    int64_t state_ms = 1000;
    app.add_option("--host", host, "address to listen on (loopback)")->capture_default_str();
    app.add_option("--port", port, "TCP port; 0 picks a free one")->capture_default_str();
    app.add_option("--port-file", port_file, "write the port here once listening");
    app.add_option("--state-dir", state_dir, "where the test CA (ca.pem) and contests.txt go")->capture_default_str();
    app.add_flag("--new-ca", new_ca, "generate a new CA even if state-dir has one");
    app.add_option("--api-key", api_key, "the API key clients must present")->capture_default_str();
    app.add_option("--api-key-file", api_key_file, "read the API key from this file");
    app.add_option("--seed", seed, "generator seed: same seed, same updates")->capture_default_str();
    app.add_option("--contests", contests, "contests the venue lists")->capture_default_str();
    app.add_option("--positions", positions, "positions per contest")->capture_default_str();
    app.add_option("--entries", entries, "entries per liquidity.update")->capture_default_str();
    app.add_option("--rate", rate, "steady updates per second across subscribed contests");
    double rate_seconds = 0;
    app.add_option("--rate-seconds", rate_seconds, "stop the steady rate after this long (0: never)");
    app.add_option("--burst", burst, "send this many updates as fast as possible once a client subscribes");
    app.add_option("--ping-interval-ms", ping_ms, "WebSocket ping interval (seed: 25 s)")->capture_default_str();
    app.add_flag("--replay", replay,
                 "also stream a contest's liquidity as updates when it is subscribed");
    app.add_flag("--no-replay", no_replay, "do not replay (the default; kept for old scripts)");
    app.add_flag("--rest-chunked", rest_chunked, "chunk every REST answer, not every second one");
    app.add_option("--fault", fault_args,
                   "inject a fault at start: KIND[&contest=ID][&count=N][&ms=M][&when=before|after]"
                   "[&status=NNN] (repeatable); also order_latency_ms=N, order_drop=before|after, "
                   "order_status=NNN. Kinds: " + ef::sim::fault_kind_list());
    std::string om_users = "demo-user,test-user", ct_client_id = "sim-client",
                ct_client_secret = "sim-client-secret", ct_client_secret_file,
                ct_users = "ct-user:ct-user-secret:ct-acct-1,ct-acct-2";
    std::vector<std::string> ct_quotes;
    double idle_timeout_s = 60;
    app.add_option("--om-users", om_users,
                   "OpenMarkets external_user_ids the key may trade for (comma-separated)")
        ->capture_default_str();
    app.add_option("--ct-client-id", ct_client_id, "Connect Trade client-id")->capture_default_str();
    app.add_option("--ct-client-secret", ct_client_secret, "Connect Trade client-secret")
        ->capture_default_str();
    app.add_option("--ct-client-secret-file", ct_client_secret_file,
                   "read the Connect Trade client-secret from this file");
    app.add_option("--ct-users", ct_users,
                   "Connect Trade users: user:secret:acct[,acct...][;user:secret:acct...]")
        ->capture_default_str();
    app.add_option("--ct-quote", ct_quotes,
                   "add or replace a Connect Trade quote: SYMBOL:bid:bid_size:ask:ask_size "
                   "(repeatable; seeded: AAPL, MSFT, SPY, BTC-USD)");
    app.add_option("--idle-timeout-s", idle_timeout_s,
                   "close a plain HTTP connection idle this long (0: never)")
        ->capture_default_str();
    app.add_option("--chaos", chaos_seconds,
                   "fire a random stream fault every ~SECONDS (seeded by --seed)");
    app.add_option("--state-interval-ms", state_ms, "game state tick (0: frozen)")
        ->capture_default_str();
    app.add_flag("--plain-numbers", plain_numbers, "write numbers only in plain decimal form");
    app.add_option("--timestamp-digits", ts_digits, "fractional digits in update timestamps (3..9)")->capture_default_str();
    app.add_option("--sessions", sessions, "concurrent TLS sessions")->capture_default_str();
    app.add_option("--truth-file", truth_file, "write the truth book here on SIGUSR1 and at exit");
    app.add_option("--seconds", seconds, "exit after this long (0: run until SIGINT/SIGTERM)");
    CLI11_PARSE(app, argc, argv);

    // Before any thread exists (the logger's): every thread inherits the
    // mask, so these signals reach only the signalfd below.
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGUSR1);
    sigprocmask(SIG_BLOCK, &sigs, nullptr);
    ef::log::start();
    if (!api_key_file.empty()) {
        std::ifstream f(api_key_file);
        if (!std::getline(f, api_key)) {
            std::fprintf(stderr, "edgesim: cannot read --api-key-file %s\n", api_key_file.c_str());
            return 2;
        }
    }
    if (!ct_client_secret_file.empty()) {
        std::ifstream f(ct_client_secret_file);
        if (!std::getline(f, ct_client_secret)) {
            std::fprintf(stderr, "edgesim: cannot read --ct-client-secret-file %s\n",
                         ct_client_secret_file.c_str());
            return 2;
        }
    }
    ef::sim::order_desk_options desk;
    desk.om.users = ef::sim::parse_om_users(om_users);
    desk.ct.client_id = ct_client_id;
    desk.ct.client_secret = ct_client_secret;
    if (auto u = ef::sim::parse_ct_users(ct_users); u) {
        desk.ct.users = std::move(*u);
    } else {
        std::fprintf(stderr, "edgesim: --ct-users: %s\n", u.err().message.c_str());
        return 2;
    }
    for (const std::string& q : ct_quotes) {
        auto parsed = ef::sim::parse_ct_quote(q);
        if (!parsed) {
            std::fprintf(stderr, "edgesim: --ct-quote: %s\n", parsed.err().message.c_str());
            return 2;
        }
        desk.quotes.push_back(std::move(*parsed));
    }
    ef::result<ef::sim::test_pki> pki = ef::make_error("unset");
    if (!new_ca && std::filesystem::exists(state_dir + "/ca.pem")) pki = ef::sim::read_test_pki(state_dir);
    if (!pki) {
        pki = ef::sim::make_test_pki();
        if (!pki) {
            std::fprintf(stderr, "edgesim: %s\n", pki.err().message.c_str());
            return 1;
        }
        if (auto s = ef::sim::write_test_pki(*pki, state_dir); !s) {
            std::fprintf(stderr, "edgesim: %s\n", s.err().message.c_str());
            return 1;
        }
    }
    auto tls = ef::tls::tls_context::server(pki->server_cert_pem, pki->server_key_pem);
    if (!tls) {
        std::fprintf(stderr, "edgesim: %s\n", tls.err().message.c_str());
        return 1;
    }

    ef::sim::venue_options vo;
    vo.seed = seed;
    vo.contests = contests;
    vo.positions_per_contest = positions;
    vo.varied_number_forms = !plain_numbers;
    vo.start_unix_ns = ef::unix_ns();
    ef::sim::venue_book book(vo);
    {
        std::string ids;
        for (const auto& c : book.contest_ids()) ids += c + "\n";
        write_file(state_dir + "/contests.txt", ids);
    }

    ef::platform::uring_options uo;
    uo.fixed_files = sessions * 2 + 8;
    uo.recv_buffers = 512;
    uo.lock_memory = false;
    auto ring = ef::platform::uring_loop::create(uo);
    if (!ring) {
        std::fprintf(stderr, "edgesim: %s\n", ring.err().message.c_str());
        return 1;
    }
    ef::net::idle_policy idle;
    idle.mode = ef::net::idle_mode::sleep;
    idle.sleep_max_ns = 1'000'000;
    ef::net::event_loop loop(**ring, idle, nullptr, sessions + 8);

    ef::sim::sim_options so;
    so.api_key = api_key;
    so.ping_interval_ns = ping_ms * 1'000'000;
    so.rate_per_second = rate;
    so.entries_per_message = entries;
    so.replay_on_subscribe = replay && !no_replay;
    so.rest_chunked = rest_chunked;
    so.state_interval_ns = state_ms * 1'000'000;
    so.seed = seed;
    so.max_sessions = sessions;
    so.timestamp_digits = static_cast<int>(ts_digits);
    so.idle_timeout_ns = static_cast<int64_t>(idle_timeout_s * 1e9);
    so.orders = std::move(desk);
    ef::sim::sim_server server(so, book, *tls, loop);
    if (auto s = server.listen(host, port); !s) {
        std::fprintf(stderr, "edgesim: listening on %s:%u: %s\n", host.c_str(), port, s.err().message.c_str());
        return 1;
    }

    for (const std::string& f : fault_args) {
        auto req = ef::sim::parse_fault_request(f);
        auto applied =
            req ? server.apply_fault(*req) : ef::result<std::string>(std::move(req).err());
        if (!applied) {
            std::fprintf(stderr, "edgesim: --fault %s: %s\n", f.c_str(),
                         applied.err().message.c_str());
            return 2;
        }
    }
    if (chaos_seconds > 0) server.set_chaos(static_cast<int64_t>(chaos_seconds * 1000), seed);

    signal_owner signals(loop, signalfd(-1, &sigs, SFD_CLOEXEC));

    if (!port_file.empty()) write_file(port_file, std::to_string(server.port()) + "\n");
    std::printf("edgesim listening on %s:%u (CA: %s/ca.pem, %u contests, seed %llu)\n", host.c_str(),
                server.port(), state_dir.c_str(), contests, static_cast<unsigned long long>(seed));
    std::fflush(stdout);

    const int64_t end = seconds > 0 ? ef::mono_ns() + static_cast<int64_t>(seconds * 1e9) : INT64_MAX;
    bool burst_started = burst == 0;
    const int64_t rate_end = rate_seconds > 0 ? ef::mono_ns() + static_cast<int64_t>(rate_seconds * 1e9) : INT64_MAX;
    bool rate_stopped = false;
    while (!signals.stop.load() && ef::mono_ns() < end) {
        loop.poll_once(true);
        if (!burst_started && server.any_subscribed()) {
            server.start_burst(burst, entries);
            burst_started = true;
        }
        if (!rate_stopped && ef::mono_ns() >= rate_end) {
            server.set_rate(0);
            rate_stopped = true;
        }
        if (signals.write_truth && !truth_file.empty()) {
            signals.write_truth = false;
            write_file(truth_file, book.truth_lines());
        }
    }
    if (!truth_file.empty()) write_file(truth_file, book.truth_lines());
    ef::log::stop();
    return 0;
}
