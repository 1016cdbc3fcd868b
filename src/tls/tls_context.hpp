// A wolfSSL context per role: the client's (CA file, peer verification, TLS
// 1.2 minimum, AES-GCM first) and the simulator's server one (a certificate
// and key in memory). Built at start-up on the control path; read-only once
// sessions use it, so one context may serve every loop.
#pragma once

#include "common/result.hpp"
#include "tls/wolfssl.hpp"

#include <string>
#include <string_view>

namespace ef::tls {

// Initialises wolfSSL once per process; safe to call from several threads.
void library_init();

// What the linked wolfSSL can do; shown by edgestat ("tls_crypto").
struct crypto_info {
    bool aes_ni;          // built with AES-NI + Intel asm (tools/setup.sh does this)
    const char* version;  // e.g. "5.5.4"
};
crypto_info crypto();

class tls_context {
public:
    static result<tls_context> client(const std::string& ca_file);
    static result<tls_context> server(std::string_view cert_pem, std::string_view key_pem);

    tls_context(tls_context&& o) noexcept : ctx_(o.ctx_) { o.ctx_ = nullptr; }
    tls_context& operator=(tls_context&& o) noexcept;
    tls_context(const tls_context&) = delete;
    ~tls_context();

    WOLFSSL_CTX* get() const noexcept { return ctx_; }
    bool is_server() const noexcept { return server_; }

private:
    explicit tls_context(WOLFSSL_CTX* c, bool server) : ctx_(c), server_(server) {}
    WOLFSSL_CTX* ctx_ = nullptr;
    bool server_ = false;
};

// wolfSSL's text for an error code ("ASN no signer error to confirm failure").
std::string error_text(int code);
// True for the errors that mean "the peer's certificate or name is not trusted".
bool is_verify_error(int code);

} // namespace ef::tls
