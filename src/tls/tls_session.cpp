// TLS over memory buffers. See tls_session.hpp.
#include "tls/tls_session.hpp"

#include "tls/tls_io.hpp"

#include <cstring>

namespace ef::tls {

namespace {

constexpr size_t record_header_bytes = 5;
// Worst-case growth of one TLS 1.3 record: header, content type, AEAD tag.
constexpr size_t record_overhead_bytes = 64;
constexpr size_t max_record_plain = 16384;

int recv_cb(WOLFSSL*, char* buf, int sz, void* ctx) {
    return static_cast<tls_session*>(ctx)->on_recv(buf, sz);
}
int send_cb(WOLFSSL*, char* buf, int sz, void* ctx) {
    return static_cast<tls_session*>(ctx)->on_send(buf, sz);
}

} // namespace

void install_io_callbacks(WOLFSSL_CTX* ctx) {
    wolfSSL_CTX_SetIORecv(ctx, recv_cb);
    wolfSSL_CTX_SetIOSend(ctx, send_cb);
}

tls_session::tls_session(size_t staging_bytes, size_t outbound_bytes)
    : staging_(new uint8_t[staging_bytes]), staging_cap_(staging_bytes),
      out_(new uint8_t[outbound_bytes]), out_cap_(outbound_bytes) {}

tls_session::~tls_session() { reset(); }

void tls_session::reset() noexcept {
    if (ssl_) wolfSSL_free(ssl_);
    ssl_ = nullptr;
    st_head_ = st_tail_ = 0;
    out_head_ = out_tail_ = out_in_flight_ = 0;
    handshake_done_ = false;
    last_error_code_ = 0;
    last_error_[0] = 0;
}

status tls_session::start(const tls_context& ctx, std::string_view sni,
                          std::string_view verify_name, WOLFSSL_SESSION* resume) {
    reset();
    ssl_ = wolfSSL_new(ctx.get());
    if (!ssl_) return make_error("wolfSSL_new failed");
    wolfSSL_SetIOReadCtx(ssl_, this);
    wolfSSL_SetIOWriteCtx(ssl_, this);
    if (!ctx.is_server()) {
        if (!sni.empty() &&
            wolfSSL_UseSNI(ssl_, WOLFSSL_SNI_HOST_NAME, sni.data(),
                           static_cast<unsigned short>(sni.size())) != WOLFSSL_SUCCESS)
            return make_error("cannot set SNI");
        if (!verify_name.empty()) {
            // On the stack, not a std::string: a reconnect must not allocate,
            // and a venue's host name is longer than std::string's SSO buffer.
            char name[256]; // RFC 1035 2.3.4: a name is at most 255 octets
            if (verify_name.size() >= sizeof name) return make_error("name to verify is too long");
            std::memcpy(name, verify_name.data(), verify_name.size());
            name[verify_name.size()] = '\0';
            if (wolfSSL_check_domain_name(ssl_, name) != WOLFSSL_SUCCESS)
                return make_error("cannot set the name to verify");
        }
        if (resume) wolfSSL_set_session(ssl_, resume);
    }
    return ok();
}

size_t tls_session::push(std::span<const uint8_t> ct) noexcept {
    if (staging_cap_ - st_tail_ < ct.size()) compact_staging();
    const size_t n = std::min(ct.size(), staging_cap_ - st_tail_);
    std::memcpy(staging_.get() + st_tail_, ct.data(), n);
    st_tail_ += n;
    return n;
}

void tls_session::compact_staging() noexcept {
    if (st_head_ == 0) return;
    const size_t live = st_tail_ - st_head_;
    std::memmove(staging_.get(), staging_.get() + st_head_, live);
    st_head_ = 0;
    st_tail_ = live;
}

bool tls_session::has_record() const noexcept {
    if (ssl_ && wolfSSL_pending(ssl_) > 0) return true;
    const size_t staged = st_tail_ - st_head_;
    if (staged < record_header_bytes) return false;
    const uint8_t* h = staging_.get() + st_head_;
    const size_t len = (size_t{h[3]} << 8) | h[4];
    return staged >= record_header_bytes + len;
}

int tls_session::on_recv(char* buf, int sz) noexcept {
    const size_t staged = st_tail_ - st_head_;
    if (staged == 0) return WOLFSSL_CBIO_ERR_WANT_READ;
    const size_t n = std::min(staged, static_cast<size_t>(sz));
    std::memcpy(buf, staging_.get() + st_head_, n);
    st_head_ += n;
    if (st_head_ == st_tail_) st_head_ = st_tail_ = 0;
    return static_cast<int>(n);
}

int tls_session::on_send(const char* buf, int sz) noexcept {
    if (out_cap_ - out_tail_ < static_cast<size_t>(sz) && out_in_flight_ == 0 && out_head_ > 0) {
        const size_t live = out_tail_ - out_head_;
        std::memmove(out_.get(), out_.get() + out_head_, live);
        out_head_ = 0;
        out_tail_ = live;
    }
    if (out_cap_ - out_tail_ < static_cast<size_t>(sz)) return WOLFSSL_CBIO_ERR_WANT_WRITE;
    std::memcpy(out_.get() + out_tail_, buf, static_cast<size_t>(sz));
    out_tail_ += static_cast<size_t>(sz);
    return sz;
}

void tls_session::consume_out(size_t n) noexcept {
    out_head_ += n;
    out_in_flight_ = 0;
    if (out_head_ >= out_tail_) out_head_ = out_tail_ = 0;
}

size_t tls_session::outbound_room() const noexcept {
    // Compaction can reclaim [0, head) unless part of it is in flight.
    size_t room = out_cap_ - out_tail_;
    if (out_in_flight_ == 0) room += out_head_;
    return room;
}

io_status tls_session::fail(int ret) noexcept {
    const int err = wolfSSL_get_error(ssl_, ret);
    if (err == WOLFSSL_ERROR_WANT_READ) return io_status::want_more;
    if (err == WOLFSSL_ERROR_WANT_WRITE) return io_status::want_room;
    if (err == WOLFSSL_ERROR_ZERO_RETURN) return io_status::closed;
    last_error_code_ = err;
    wolfSSL_ERR_error_string_n(static_cast<unsigned long>(err), last_error_, sizeof last_error_);
    return io_status::failed;
}

io_status tls_session::handshake() noexcept {
    if (handshake_done_) return io_status::ok;
    const int ret = wolfSSL_is_server(ssl_) ? wolfSSL_accept(ssl_) : wolfSSL_connect(ssl_);
    if (ret == WOLFSSL_SUCCESS) {
        handshake_done_ = true;
        return io_status::ok;
    }
    return fail(ret);
}

bool tls_session::resumed() const noexcept { return ssl_ && wolfSSL_session_reused(ssl_); }

io_status tls_session::read(std::span<uint8_t> out, size_t& n) noexcept {
    n = 0;
    const int ret = wolfSSL_read(ssl_, out.data(), static_cast<int>(out.size()));
    if (ret > 0) {
        n = static_cast<size_t>(ret);
        return io_status::ok;
    }
    const io_status s = fail(ret);
    // A record with no application data (ticket, key update) leaves wolfSSL
    // wanting more: that is progress, not an error.
    return s;
}

io_status tls_session::write(std::span<const uint8_t> plain) noexcept {
    const size_t records = (plain.size() + max_record_plain - 1) / max_record_plain;
    if (outbound_room() < plain.size() + (records + 1) * record_overhead_bytes)
        return io_status::want_room;
    const int ret = wolfSSL_write(ssl_, plain.data(), static_cast<int>(plain.size()));
    if (ret == static_cast<int>(plain.size())) return io_status::ok;
    return fail(ret);
}

void tls_session::shutdown() noexcept {
    if (ssl_ && handshake_done_) wolfSSL_shutdown(ssl_);
}

WOLFSSL_SESSION* tls_session::save_session() noexcept {
    return ssl_ ? wolfSSL_get1_session(ssl_) : nullptr;
}

const char* tls_session::cipher() const noexcept {
    return ssl_ ? wolfSSL_get_cipher_name(ssl_) : "";
}
const char* tls_session::version() const noexcept { return ssl_ ? wolfSSL_get_version(ssl_) : ""; }

} // namespace ef::tls
