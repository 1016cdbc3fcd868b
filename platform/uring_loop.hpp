// One io_uring per pinned thread, set up the way a latency-critical loop wants
// it: SINGLE_ISSUER + DEFER_TASKRUN (completions are posted only when this
// thread enters the kernel, so no IPIs or task-work interrupts), a provided
// buffer ring for multishot receives, and a sparse fixed-file table. Created
// and used by exactly one thread; nothing here allocates after create().
#pragma once

#include "common/result.hpp"

#include <cstdint>
#include <liburing.h>
#include <memory>
#include <span>

namespace ef::platform {

struct uring_options {
    unsigned sq_entries = 256;
    unsigned cq_entries = 4096;
    unsigned recv_buffers = 256;      // power of two
    unsigned recv_buffer_bytes = 16384;
    unsigned fixed_files = 64;        // sockets this loop may own at once
    bool lock_memory = true;          // mlock the buffers (best effort)
};

// user_data layout: [63..56] op, [55..32] owner slot, [31..0] owner generation.
// The generation lets a connection ignore completions that belong to a
// previous socket of the same slot (e.g. a recv cancelled by a reconnect).
struct op_tag {
    uint8_t op;
    uint32_t slot;       // 24 bits used
    uint32_t generation;

    static constexpr uint64_t pack(uint8_t op, uint32_t slot, uint32_t generation) noexcept {
        return (uint64_t{op} << 56) | (uint64_t{slot & 0xFFFFFF} << 32) | generation;
    }
    static constexpr op_tag unpack(uint64_t v) noexcept {
        return {static_cast<uint8_t>(v >> 56), static_cast<uint32_t>((v >> 32) & 0xFFFFFF),
                static_cast<uint32_t>(v)};
    }
};

class uring_loop {
public:
    // Must run on the thread that will use the ring (SINGLE_ISSUER).
    static result<std::unique_ptr<uring_loop>> create(const uring_options& opts);
    ~uring_loop();
    uring_loop(const uring_loop&) = delete;
    uring_loop& operator=(const uring_loop&) = delete;

    io_uring* ring() noexcept { return &ring_; }

    // Next free SQE; when the SQ is full it submits what is queued first.
    // Returns nullptr only if the kernel refuses the submit (counted by caller).
    io_uring_sqe* sqe() noexcept;

    // Submits queued SQEs and runs deferred task work so completions post:
    // the poll that a spinning loop must do (FIELD.md: spinning on the CQ alone
    // still waits ~35 us for task work).
    int submit_and_poll() noexcept { return io_uring_submit_and_get_events(&ring_); }
    // Hands queued SQEs to the kernel now, without reaping (an order's bytes
    // leave at once instead of at the loop's next poll).
    int submit() noexcept { return io_uring_submit(&ring_); }
    // Submits and sleeps until a completion arrives or timeout_ns passes.
    int submit_and_wait(int64_t timeout_ns) noexcept;

    unsigned peek(io_uring_cqe** cqes, unsigned max) noexcept {
        return io_uring_peek_batch_cqe(&ring_, cqes, max);
    }
    void advance(unsigned n) noexcept { io_uring_cq_advance(&ring_, n); }

    // --- provided buffers (group 0) -----------------------------------
    static constexpr uint16_t buffer_group = 0;
    uint8_t* buffer(uint16_t bid) noexcept { return buffers_ + size_t{bid} * buffer_bytes_; }
    unsigned buffer_bytes() const noexcept { return buffer_bytes_; }
    // Hands a consumed buffer back; made visible to the kernel by
    // publish_buffers() (once per loop iteration, one release store).
    void recycle_buffer(uint16_t bid) noexcept;
    void publish_buffers() noexcept;

    // --- fixed files ---------------------------------------------------
    // Installs fd in a free slot of the fixed table (the fd itself stays open
    // and owned by the caller). Returns the slot or -errno.
    int install_fixed(int fd) noexcept;
    void remove_fixed(int slot) noexcept;
    // The slot's file was closed by an IORING_OP_CLOSE on the fixed index:
    // the table entry is already empty, only our bookkeeping changes.
    void forget_fixed(int slot) noexcept;

private:
    uring_loop() = default;

    io_uring ring_{};
    bool ring_ok_ = false;
    io_uring_buf_ring* buf_ring_ = nullptr;
    size_t buf_ring_bytes_ = 0;
    uint8_t* buffers_ = nullptr;
    size_t buffers_bytes_ = 0;
    unsigned buffer_count_ = 0;
    unsigned buffer_bytes_ = 0;
    unsigned pending_recycles_ = 0;
    std::unique_ptr<int[]> fixed_used_;
    unsigned fixed_count_ = 0;
};

} // namespace ef::platform
