// See tls_stream.hpp.
#include "net/tls_stream.hpp"

#include "common/check.hpp"
#include "common/counter.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

namespace ef::net {

const char* to_string(stream_end e) noexcept {
    switch (e) {
    case stream_end::peer_closed: return "peer closed";
    case stream_end::io_error: return "I/O error";
    case stream_end::connect_failed: return "connect failed";
    case stream_end::tls_failed: return "TLS failed";
    case stream_end::tls_verify_failed: return "TLS verification failed";
    case stream_end::local_close: return "closed locally";
    }
    return "?";
}

tls_stream::tls_stream(event_loop& loop, stream_handler& handler, uint32_t owner_slot,
                       const stream_buffers& sizes)
    : loop_(loop), handler_(handler), owner_slot_(owner_slot),
      tls_(sizes.staging_bytes, sizes.outbound_bytes), plain_(new uint8_t[sizes.plain_bytes]),
      plain_bytes_(sizes.plain_bytes) {}

tls_stream::~tls_stream() = default;

status tls_stream::connect(const endpoint& ep, const tls::tls_context& ctx, std::string_view sni,
                           std::string_view verify_name, WOLFSSL_SESSION* resume,
                           int64_t timeout_ns) {
    EF_ASSERT(state_ == state::closed);
    // The linked close_notify send of the previous socket reads our buffers
    // until its close completes; the caller retries a little later.
    if (close_pending_) return make_error("previous socket still closing");
    auto fd = make_tcp_socket(ep.addr.ss_family);
    if (!fd) return std::move(fd).err();
    const int slot = loop_.ring().install_fixed(*fd);
    ::close(*fd); // the fixed table holds the socket from here on
    if (slot < 0) return make_error(std::string("fixed file table: ") + std::strerror(-slot));
    fixed_ = slot;
    if (auto s = tls_.start(ctx, sni, verify_name, resume); !s) {
        release_socket(false);
        return s;
    }
    ++generation_;
    state_ = state::connecting;
    io_uring_sqe* sqe = loop_.ring().sqe();
    if (!sqe) {
        release_socket(false);
        return make_error("submission queue full");
    }
    io_uring_prep_connect(sqe, fixed_, reinterpret_cast<const sockaddr*>(&ep.addr), ep.len);
    sqe->flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK;
    sqe->user_data = tag(op_connect);
    // The timespec must outlive the submission: the kernel reads it at
    // submit time, which happens on the next poll of this loop.
    connect_timeout_.tv_sec = timeout_ns / 1'000'000'000;
    connect_timeout_.tv_nsec = timeout_ns % 1'000'000'000;
    io_uring_sqe* t = loop_.ring().sqe();
    if (t) {
        io_uring_prep_link_timeout(t, &connect_timeout_, 0);
        t->user_data = tag(op_connect_timeout);
    }
    return ok();
}

status tls_stream::adopt(int fd, const tls::tls_context& ctx) {
    EF_ASSERT(state_ == state::closed);
    if (close_pending_) {
        ::close(fd);
        return make_error("previous socket still closing");
    }
    // Accepted sockets do not inherit TCP_NODELAY: without it Nagle and the
    // peer's delayed ACK hold small frames back for ~40 ms.
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const int slot = loop_.ring().install_fixed(fd);
    ::close(fd);
    if (slot < 0) return make_error(std::string("fixed file table: ") + std::strerror(-slot));
    fixed_ = slot;
    if (auto s = tls_.start(ctx, {}, {}, nullptr); !s) {
        release_socket(false);
        return s;
    }
    ++generation_;
    state_ = state::handshaking;
    arm_recv();
    return ok();
}

void tls_stream::arm_recv() noexcept {
    io_uring_sqe* sqe = loop_.ring().sqe();
    if (!sqe) {
        fail(stream_end::io_error, "submission queue full");
        return;
    }
    io_uring_prep_recv_multishot(sqe, fixed_, nullptr, 0, 0);
    sqe->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
    sqe->buf_group = platform::uring_loop::buffer_group;
    sqe->user_data = tag(op_recv);
    recv_armed_ = true;
}

void tls_stream::on_completion(const io_uring_cqe& cqe, platform::op_tag t) noexcept {
    if (t.op == op_close) {
        // generation carries the fixed index for closes (see release_socket).
        loop_.ring().forget_fixed(static_cast<int>(t.generation));
        close_pending_ = false;
        return;
    }
    if (t.generation != generation_) {
        // An operation of a socket we already dropped: give its buffer back.
        if (t.op == op_recv && (cqe.flags & IORING_CQE_F_BUFFER))
            loop_.ring().recycle_buffer(static_cast<uint16_t>(cqe.flags >> IORING_CQE_BUFFER_SHIFT));
        return;
    }
    switch (t.op) {
    case op_connect: on_connect(cqe); break;
    case op_recv: on_recv(cqe); break;
    case op_send: on_send(cqe); break;
    default: break; // link timeout and cancel completions carry nothing we need
    }
}

void tls_stream::on_connect(const io_uring_cqe& cqe) noexcept {
    if (state_ != state::connecting) return;
    if (cqe.res < 0) {
        fmt::format_to_n(error_text_, sizeof error_text_ - 1, "connect: {}{}",
                         cqe.res == -ECANCELED ? "timed out" : std::strerror(-cqe.res), '\0');
        fail(stream_end::connect_failed, error_text_);
        return;
    }
    state_ = state::handshaking;
    handler_.on_tcp_connected();
    arm_recv();
    // The first handshake step writes the ClientHello.
    const tls::io_status s = tls_.handshake();
    if (s == tls::io_status::failed) {
        fail(stream_end::tls_failed, tls_.last_error());
        return;
    }
    flush();
}

void tls_stream::on_recv(const io_uring_cqe& cqe) noexcept {
    const bool more = cqe.flags & IORING_CQE_F_MORE;
    if (!more) recv_armed_ = false;
    if (cqe.res > 0) {
        const auto bid = static_cast<uint16_t>(cqe.flags >> IORING_CQE_BUFFER_SHIFT);
        const uint8_t* data = loop_.ring().buffer(bid);
        const size_t len = static_cast<size_t>(cqe.res);
        bytes_in_ += len;
        size_t off = 0;
        while (off < len && state_ != state::closed) {
            off += tls_.push({data + off, len - off});
            drain();
        }
        loop_.ring().recycle_buffer(bid);
    } else if (cqe.res == 0) {
        fail(stream_end::peer_closed, "connection closed by peer");
        return;
    } else if (cqe.res == -ENOBUFS) {
        // The provided buffers ran out: counted, and the receive is re-armed
        // below once this batch has handed buffers back.
        if (loop_.stats()) bump(loop_.stats()->recv_buffers_exhausted);
    } else if (cqe.res != -ECANCELED) {
        fmt::format_to_n(error_text_, sizeof error_text_ - 1, "recv: {}{}", std::strerror(-cqe.res),
                         '\0');
        fail(stream_end::io_error, error_text_);
        return;
    }
    if (!recv_armed_ && (state_ == state::handshaking || state_ == state::open)) arm_recv();
}

void tls_stream::drain() noexcept {
    while ((state_ == state::handshaking || state_ == state::open) && tls_.has_record()) {
        if (state_ == state::handshaking) {
            const tls::io_status s = tls_.handshake();
            flush();
            if (s == tls::io_status::ok) {
                state_ = state::open;
                handler_.on_tls_ready();
                continue;
            }
            if (s == tls::io_status::failed) {
                const bool verify = tls::is_verify_error(tls_.last_error_code());
                fail(verify ? stream_end::tls_verify_failed : stream_end::tls_failed,
                     tls_.last_error());
            }
            if (s != tls::io_status::want_more) return;
            continue;
        }
        size_t n = 0;
        const tls::io_status s = tls_.read({plain_.get(), plain_bytes_}, n);
        if (s == tls::io_status::ok) {
            ++records_in_;
            handler_.on_plaintext({plain_.get(), n});
        } else if (s == tls::io_status::closed) {
            fail(stream_end::peer_closed, "TLS close_notify");
            return;
        } else if (s == tls::io_status::failed) {
            fail(stream_end::tls_failed, tls_.last_error());
            return;
        }
        // want_more: the record carried no application data (ticket, key update)
    }
}

tls::io_status tls_stream::write(std::span<const uint8_t> plain) noexcept {
    if (state_ != state::open) return tls::io_status::failed;
    const tls::io_status s = tls_.write(plain);
    if (s == tls::io_status::ok) flush();
    return s;
}

void tls_stream::flush() noexcept {
    if (fixed_ < 0 || tls_.in_flight()) return;
    const auto out = tls_.pending_out();
    if (out.empty()) return;
    io_uring_sqe* sqe = loop_.ring().sqe();
    if (!sqe) return; // retried on the next send completion or write
    io_uring_prep_send(sqe, fixed_, out.data(), out.size(), MSG_NOSIGNAL);
    sqe->flags |= IOSQE_FIXED_FILE;
    sqe->user_data = tag(op_send);
    tls_.mark_in_flight(out.size());
}

void tls_stream::on_send(const io_uring_cqe& cqe) noexcept {
    if (cqe.res < 0) {
        tls_.consume_out(0);
        fmt::format_to_n(error_text_, sizeof error_text_ - 1, "send: {}{}", std::strerror(-cqe.res),
                         '\0');
        fail(stream_end::io_error, error_text_);
        return;
    }
    bytes_out_ += static_cast<size_t>(cqe.res);
    tls_.consume_out(static_cast<size_t>(cqe.res));
    if (close_when_flushed_ && tls_.pending_out().empty()) {
        release_socket(true);
        return;
    }
    flush();
}

void tls_stream::abort() noexcept {
    if (state_ == state::closed) return;
    release_socket(false);
}

void tls_stream::close_after_flush() noexcept {
    if (state_ == state::closed) return;
    if (!tls_.in_flight() && tls_.pending_out().empty()) {
        release_socket(state_ == state::open);
        return;
    }
    close_when_flushed_ = true;
}

void tls_stream::fail(stream_end why, const char* text) noexcept {
    if (state_ == state::closed) return;
    release_socket(false);
    handler_.on_stream_closed(why, text);
}

void tls_stream::close() noexcept {
    if (state_ == state::closed) return;
    release_socket(state_ == state::open);
}

void tls_stream::release_socket(bool send_close_notify) noexcept {
    const int fixed = fixed_;
    state_ = state::closed;
    close_when_flushed_ = false;
    fixed_ = -1;
    if (fixed < 0) return;
    platform::uring_loop& ring = loop_.ring();
    // Stop the multishot receive of this socket; its completion (and any
    // straggler) carries the old generation and is ignored.
    if (recv_armed_) {
        if (io_uring_sqe* c = ring.sqe()) {
            io_uring_prep_cancel64(c, tag(op_recv), 0);
            c->user_data = tag(op_cancel);
        }
        recv_armed_ = false;
    }
    io_uring_sqe* last = nullptr;
    if (send_close_notify && !tls_.in_flight()) {
        tls_.shutdown();
        const auto out = tls_.pending_out();
        if (!out.empty() && (last = ring.sqe())) {
            // Linked to the close below; the data stays valid because the
            // session is not restarted until that close has completed.
            io_uring_prep_send(last, fixed, out.data(), out.size(), MSG_NOSIGNAL);
            last->flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK;
            last->user_data = tag(op_send);
        }
    }
    ++generation_; // from here on, completions of this socket are stale
    if (io_uring_sqe* c = ring.sqe()) {
        io_uring_prep_close_direct(c, static_cast<unsigned>(fixed));
        c->user_data = platform::op_tag::pack(op_close, owner_slot_, static_cast<uint32_t>(fixed));
        close_pending_ = true;
    } else {
        ring.remove_fixed(fixed);
    }
}

} // namespace ef::net
