// Test helper: a wolfSSL client and server (the project's tls_context and
// tls_session) joined back to back through their memory buffers, with the
// simulator's throwaway PKI, so a test can run full handshakes, resumptions
// and records on one thread with no socket. Allocates only in its
// constructor; the calls that move bytes allocate nothing themselves.
#pragma once

#include "edgesim/test_ca.hpp"
#include "tls/tls_memory.hpp"
#include "tls/tls_session.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

namespace ef::tls::test {

// The contexts, made once per test binary: they allocate (certificates,
// keys), which is start-up work and not what the tests count.
struct tls_world {
    std::unique_ptr<tls_context> client;
    std::unique_ptr<tls_context> server;

    // The contexts, after one handshake between them with no pool attached:
    // the server context keeps what it allocates for its first session
    // ticket (a 136-byte RNG for the ticket key, wolfSSL 5.5.4) for its whole
    // life. Made here it is start-up work, and no test's pool holds it.
    static tls_world& get() {
        static const bool warm = warm_up();
        static_cast<void>(warm);
        return contexts();
    }
    // The contexts as made, not warmed (for tls_pair itself).
    static tls_world& contexts() {
        static tls_world w = make();
        return w;
    }

private:
    static bool warm_up();
    static tls_world make() {
        tls_world w;
        auto pki = sim::make_test_pki();
        if (!pki) {
            ADD_FAILURE() << pki.err().message;
            return w;
        }
        std::string dir = (std::filesystem::temp_directory_path() / "ef_tls_test_XXXXXX").string();
        if (!mkdtemp(dir.data())) std::abort();
        if (auto s = sim::write_test_pki(*pki, dir); !s) ADD_FAILURE() << s.err().message;
        auto c = tls_context::client(dir + "/ca.pem");
        auto s = tls_context::server(pki->server_cert_pem, pki->server_key_pem);
        std::filesystem::remove_all(dir);
        if (!c || !s) {
            ADD_FAILURE() << "cannot make the TLS contexts";
            return w;
        }
        w.client = std::make_unique<tls_context>(std::move(c).value());
        w.server = std::make_unique<tls_context>(std::move(s).value());
        return w;
    }
};

// Which pool each side's wolfSSL calls allocate from: nullptr leaves the
// thread's attachment as it is. Two pools measure one side alone.
struct side_pools {
    tls_memory::pool* client = nullptr;
    tls_memory::pool* server = nullptr;
};

class tls_pair {
public:
    explicit tls_pair(side_pools pools = {}) : pools_(pools) {}
    ~tls_pair() {
        drop_session();
        client_.reset();
        server_.reset();
    }

    // Starts both ends; resume: use the session saved from the last
    // connection. Returns false on any wolfSSL failure.
    bool start(bool resume) {
        on_client();
        const bool c = client_.start(*tls_world::contexts().client, "localhost", "localhost",
                                     resume ? saved_ : nullptr).ok();
        on_server();
        const bool s = server_.start(*tls_world::contexts().server, "", "", nullptr).ok();
        return c && s;
    }

    // Runs the handshake to the end on both sides.
    bool handshake() {
        for (int round = 0; round < 20; ++round) {
            if (client_.handshake_done() && server_.handshake_done()) return true;
            on_client();
            if (client_.handshake() == io_status::failed) return false;
            move(client_, server_);
            on_server();
            if (server_.handshake() == io_status::failed) return false;
            move(server_, client_);
        }
        return false;
    }

    // Sends n bytes each way (the server first, so the client also reads the
    // server's session ticket) and checks they arrive intact.
    bool exchange(size_t n) {
        return send(server_, client_, n, 0x5A) && send(client_, server_, n, 0xA5);
    }

    // Keeps this connection's session for the next start(true), as the
    // feed's stream_client does once a connection is live.
    bool save_session() {
        on_client();
        WOLFSSL_SESSION* fresh = client_.save_session();
        if (!fresh) return false;
        drop_session();
        saved_ = fresh;
        return true;
    }

    void close() {
        on_client();
        client_.reset();
        on_server();
        server_.reset();
    }

    void use_pools(side_pools pools) { pools_ = pools; }
    bool resumed() const { return client_.resumed(); }
    tls_session& client() { return client_; }

private:
    void on_client() {
        if (pools_.client) tls_memory::attach_thread_pool(*pools_.client);
    }
    void on_server() {
        if (pools_.server) tls_memory::attach_thread_pool(*pools_.server);
    }
    void on_side(const tls_session& s) { &s == &client_ ? on_client() : on_server(); }

    void drop_session() {
        if (saved_) {
            on_client();
            wolfSSL_SESSION_free(saved_);
            saved_ = nullptr;
        }
    }

    static void move(tls_session& from, tls_session& to) {
        for (auto out = from.pending_out(); !out.empty(); out = from.pending_out()) {
            const size_t n = to.push(out);
            if (n == 0) return;
            from.consume_out(n);
        }
    }

    bool send(tls_session& from, tls_session& to, size_t n, uint8_t fill) {
        buf_.fill(fill);
        on_side(from);
        if (from.write(std::span(buf_).first(n)) != io_status::ok) return false;
        move(from, to);
        on_side(to);
        size_t got = 0;
        while (to.has_record()) {
            size_t k = 0;
            const io_status s = to.read(std::span(in_).subspan(got), k);
            if (s == io_status::failed || s == io_status::closed) return false;
            got += k;
        }
        if (got != n) return false;
        for (size_t i = 0; i < n; ++i)
            if (in_[i] != fill) return false;
        return true;
    }

    side_pools pools_;
    tls_session client_{64 * 1024, 64 * 1024};
    tls_session server_{64 * 1024, 64 * 1024};
    WOLFSSL_SESSION* saved_ = nullptr;
    std::array<uint8_t, 32 * 1024> buf_{};
    std::array<uint8_t, 64 * 1024> in_{};
};

inline bool tls_world::warm_up() {
    if (tls_memory::thread_has_pool()) ADD_FAILURE() << "warm the contexts before attaching a pool";
    if (!contexts().client) return false;
    tls_pair t;
    const bool ok = t.start(false) && t.handshake() && t.exchange(600);
    if (!ok) ADD_FAILURE() << "the warm-up handshake failed";
    return ok;
}

} // namespace ef::tls::test
