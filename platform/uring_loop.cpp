// io_uring set-up and the few operations every loop needs. See uring_loop.hpp.
#include "platform/uring_loop.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/mman.h>

namespace ef::platform {

namespace {

error sys_error(const char* what, int err) {
    return make_error(std::string(what) + ": " + std::strerror(err));
}

bool is_power_of_two(unsigned v) { return v && (v & (v - 1)) == 0; }

} // namespace

result<std::unique_ptr<uring_loop>> uring_loop::create(const uring_options& opts) {
    if (!is_power_of_two(opts.recv_buffers) || opts.recv_buffers > 32768)
        return make_error("recv_buffers must be a power of two <= 32768");
    std::unique_ptr<uring_loop> loop(new uring_loop());

    io_uring_params p{};
    // SINGLE_ISSUER + DEFER_TASKRUN: completions run only when we enter the
    // kernel from this thread; CQSIZE so bursts of multishot CQEs never
    // overflow into the kernel's slow backlog list.
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_CQSIZE |
              IORING_SETUP_SUBMIT_ALL;
    p.cq_entries = opts.cq_entries;
    int rc = io_uring_queue_init_params(opts.sq_entries, &loop->ring_, &p);
    if (rc < 0) return sys_error("io_uring_queue_init (SINGLE_ISSUER|DEFER_TASKRUN)", -rc);
    loop->ring_ok_ = true;
    // The ring fd is used on every enter: register it to skip the fd lookup.
    io_uring_register_ring_fd(&loop->ring_);

    // Provided buffer ring, group 0.
    loop->buffer_count_ = opts.recv_buffers;
    loop->buffer_bytes_ = opts.recv_buffer_bytes;
    loop->buf_ring_bytes_ = sizeof(io_uring_buf) * opts.recv_buffers;
    void* br = mmap(nullptr, loop->buf_ring_bytes_, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (br == MAP_FAILED) return sys_error("mmap buffer ring", errno);
    loop->buf_ring_ = static_cast<io_uring_buf_ring*>(br);
    io_uring_buf_ring_init(loop->buf_ring_);
    io_uring_buf_reg reg{};
    reg.ring_addr = reinterpret_cast<uint64_t>(br);
    reg.ring_entries = opts.recv_buffers;
    reg.bgid = buffer_group;
    rc = io_uring_register_buf_ring(&loop->ring_, &reg, 0);
    if (rc < 0) return sys_error("io_uring_register_buf_ring", -rc);

    loop->buffers_bytes_ = size_t{opts.recv_buffers} * opts.recv_buffer_bytes;
    void* bufs = mmap(nullptr, loop->buffers_bytes_, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (bufs == MAP_FAILED) return sys_error("mmap receive buffers", errno);
    madvise(bufs, loop->buffers_bytes_, MADV_HUGEPAGE);
    if (opts.lock_memory) mlock(bufs, loop->buffers_bytes_); // best effort: RLIMIT_MEMLOCK
    loop->buffers_ = static_cast<uint8_t*>(bufs);
    const int mask = io_uring_buf_ring_mask(opts.recv_buffers);
    for (unsigned i = 0; i < opts.recv_buffers; ++i)
        io_uring_buf_ring_add(loop->buf_ring_, loop->buffer(static_cast<uint16_t>(i)),
                              opts.recv_buffer_bytes, static_cast<unsigned short>(i), mask,
                              static_cast<int>(i));
    io_uring_buf_ring_advance(loop->buf_ring_, static_cast<int>(opts.recv_buffers));

    rc = io_uring_register_files_sparse(&loop->ring_, opts.fixed_files);
    if (rc < 0) return sys_error("io_uring_register_files_sparse", -rc);
    loop->fixed_count_ = opts.fixed_files;
    loop->fixed_used_ = std::make_unique<int[]>(opts.fixed_files);
    return loop;
}

uring_loop::~uring_loop() {
    if (ring_ok_) io_uring_queue_exit(&ring_);
    if (buf_ring_) munmap(buf_ring_, buf_ring_bytes_);
    if (buffers_) munmap(buffers_, buffers_bytes_);
}

io_uring_sqe* uring_loop::sqe() noexcept {
    io_uring_sqe* s = io_uring_get_sqe(&ring_);
    if (s) [[likely]]
        return s;
    if (io_uring_submit(&ring_) < 0) return nullptr;
    return io_uring_get_sqe(&ring_);
}

int uring_loop::submit_and_wait(int64_t timeout_ns) noexcept {
    __kernel_timespec ts{};
    ts.tv_sec = timeout_ns / 1'000'000'000;
    ts.tv_nsec = timeout_ns % 1'000'000'000;
    io_uring_cqe* cqe = nullptr;
    int rc = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
    return rc == -ETIME ? 0 : rc;
}

void uring_loop::recycle_buffer(uint16_t bid) noexcept {
    io_uring_buf_ring_add(buf_ring_, buffer(bid), buffer_bytes_, bid,
                          io_uring_buf_ring_mask(buffer_count_),
                          static_cast<int>(pending_recycles_));
    ++pending_recycles_;
}

void uring_loop::publish_buffers() noexcept {
    if (pending_recycles_ == 0) return;
    // One release store of the tail makes all recycled entries visible.
    io_uring_buf_ring_advance(buf_ring_, static_cast<int>(pending_recycles_));
    pending_recycles_ = 0;
}

int uring_loop::install_fixed(int fd) noexcept {
    for (unsigned i = 0; i < fixed_count_; ++i) {
        if (fixed_used_[i]) continue;
        int rc = io_uring_register_files_update(&ring_, i, &fd, 1);
        if (rc < 0) return rc;
        fixed_used_[i] = 1;
        return static_cast<int>(i);
    }
    return -EMFILE;
}

void uring_loop::remove_fixed(int slot) noexcept {
    if (slot < 0 || static_cast<unsigned>(slot) >= fixed_count_) return;
    int none = -1;
    io_uring_register_files_update(&ring_, static_cast<unsigned>(slot), &none, 1);
    fixed_used_[slot] = 0;
}

void uring_loop::forget_fixed(int slot) noexcept {
    if (slot >= 0 && static_cast<unsigned>(slot) < fixed_count_) fixed_used_[slot] = 0;
}

} // namespace ef::platform
