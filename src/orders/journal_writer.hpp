// The order journal's writer: the order loop appends every request, wire
// exchange, response, reject and note here, and a thread of its own writes
// them to `<dir>/<instance>-orders-<YYYYMMDD>.journal` (journal_format.hpp).
//
// append() is the order loop's side: it copies into a preallocated ring of
// fixed slots (one producer, the writer thread the one consumer): no
// allocation, no system call, no lock. A full ring refuses the record and
// counts it; when space returns, the writer thread journals a NOTE with the
// number dropped, so a gap is never silent. The thread wakes at most every
// ~1 ms, writes what it finds in batches with write(2), fdatasync()s about
// every 100 ms and on stop(). A record handed to the thread more than a few
// ms ago is in the kernel's page cache: it survives the process being
// killed (not a power cut before the next fdatasync).
#pragma once

#include "common/result.hpp"
#include "orders/journal_format.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace ef::orders {

// One piece of a record's payload, for the gathering append.
struct journal_part {
    const void* data;
    size_t len;
};

class journal_writer {
public:
    // `records`: ring slots (rounded up to a power of two); `record_max_bytes`:
    // the largest payload a slot holds. Allocates both now.
    journal_writer(std::string dir, std::string instance, uint32_t records,
                   uint32_t record_max_bytes);
    ~journal_writer(); // stop()s
    journal_writer(const journal_writer&) = delete;
    journal_writer& operator=(const journal_writer&) = delete;

    // Checks the directory is writable and spawns the writer thread.
    status start();
    // Drains every record appended before the call, fdatasync()s, closes the
    // file and joins the thread. Idempotent.
    void stop();

    // Order loop only. Copies `a` then `b` as one record's payload. false:
    // the ring is full, or the payload is larger than a slot (both counted
    // in dropped()).
    bool append(journal::record_type type, uint32_t strategy, const void* a, size_t alen,
                const void* b, size_t blen, int64_t wall_ns, int64_t mono_ns) noexcept;
    bool append_parts(journal::record_type type, uint32_t strategy, const journal_part* parts,
                      size_t nparts, int64_t wall_ns, int64_t mono_ns) noexcept;

    // Typed records (journal_format.hpp says what each holds). Bodies that do
    // not fit a slot are cut (WIRE_IN always at 4 KiB); the head records the
    // whole length.
    bool append_request(uint32_t strategy, std::string_view strategy_name,
                        const ef_order_request& r, std::string_view cl_order_id, int64_t wall_ns,
                        int64_t mono_ns) noexcept;
    bool append_wire_out(uint32_t strategy, journal::venue v, std::string_view cl_order_id,
                         std::string_view method, std::string_view target, std::string_view body,
                         int64_t wall_ns, int64_t mono_ns) noexcept;
    bool append_wire_in(uint32_t strategy, std::string_view cl_order_id, int http_status,
                        std::string_view body, int64_t wall_ns, int64_t mono_ns) noexcept;
    bool append_response(uint32_t strategy, const ef_order_response& r, int64_t wall_ns,
                         int64_t mono_ns) noexcept;
    bool append_reject(uint32_t strategy, const ef_order_response& r, int64_t wall_ns,
                       int64_t mono_ns) noexcept;
    bool append_note(uint32_t strategy, std::string_view cl_order_id, std::string_view text,
                     int64_t wall_ns, int64_t mono_ns) noexcept;

    // Counters for the stats (any thread may read them).
    uint64_t appended() const noexcept { return appended_.load(std::memory_order_relaxed); }
    uint64_t written() const noexcept { return written_.load(std::memory_order_relaxed); }
    uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
    uint64_t bytes() const noexcept { return bytes_.load(std::memory_order_relaxed); }
    uint64_t write_errors() const noexcept { return write_errors_.load(std::memory_order_relaxed); }
    uint32_t record_max_bytes() const noexcept { return slot_payload_; }
    // The file being written (empty before the first record); writer thread
    // state, for tests and logs only once stop() returned.
    std::string current_path() const;
    static std::string file_name(const std::string& instance, uint32_t yyyymmdd);

private:
    struct slot_head {
        uint16_t type;
        uint16_t pad;
        uint32_t strategy;
        uint32_t len;
        uint32_t pad2;
        int64_t wall_ns;
        int64_t mono_ns;
    };
    struct file_state;

    std::byte* slot(uint64_t i) const noexcept {
        return slots_.get() + (i & mask_) * slot_bytes_;
    }
    void run() noexcept;
    size_t drain(bool final) noexcept;
    void emit(uint16_t type, uint32_t strategy, const void* payload, size_t len, int64_t wall_ns,
              int64_t mono_ns) noexcept;
    void flush_batch() noexcept;
    void note_drops(int64_t wall_ns, int64_t mono_ns) noexcept;

    const std::string dir_;
    const std::string instance_;
    uint64_t mask_;
    uint32_t slot_payload_;
    size_t slot_bytes_;
    std::unique_ptr<std::byte[]> slots_;
    std::unique_ptr<std::byte[]> batch_; // writer thread: records laid out as on disk
    size_t batch_cap_;
    size_t batch_len_ = 0;
    std::unique_ptr<file_state> file_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    uint64_t drops_noted_ = 0; // writer thread: drops already journaled

    alignas(64) std::atomic<uint64_t> head_{0}; // writer thread; release frees slots
    alignas(64) std::atomic<uint64_t> tail_{0}; // order loop; release publishes slots
    uint64_t head_cache_ = 0;                   // order loop's last view of head_
    alignas(64) std::atomic<uint64_t> appended_{0};
    std::atomic<uint64_t> dropped_{0};
    alignas(64) std::atomic<uint64_t> written_{0};
    std::atomic<uint64_t> bytes_{0};
    std::atomic<uint64_t> write_errors_{0};
};

} // namespace ef::orders
