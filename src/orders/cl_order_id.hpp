// cl_order_id allocation: `<prefix><YYYYMMDD>-<seq>` ("ef20261122-17"),
// unique per UTC day and never reused, across restarts and crashes. Driven by
// the order loop (next(), once per order sent); a helper thread of its own
// does the file work.
//
// How uniqueness survives a crash: the state file `<dir>/<instance>.clid`
// holds (day, high-water). Ids are handed out only below a high-water that is
// already on disk (written to a temporary file, fsync'ed, renamed over the
// state file, directory fsync'ed). A restart continues at the high-water, so
// a crash skips the ids left in the block but never repeats one.
//
// Why an order almost never waits: once half of the current block is used,
// next() asks the helper thread (one futex wake, the only system call next()
// makes per block) to persist the following block's end. By the time the
// first block runs out, the next one is on disk: next() only reads an atomic.
// Two cases wait for the disk: the first id of a new UTC day (the day is part
// of the state, so the new day's block must be written first: once a day, a
// few ms), and a burst that uses half a block faster than one fsync. next()
// waits at most `max_wait_ns`, then returns 0 (no id: the caller refuses the
// order rather than risk a duplicate).
//
// A lock file `<dir>/<instance>.clid.lock` (flock) keeps two processes from
// sharing one state file; instances have files of their own.
#pragma once

#include "common/result.hpp"

#include <edgefeed/orders.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace ef::orders {

class cl_order_id_source {
public:
    static constexpr uint32_t default_block = 4096;
    static constexpr size_t prefix_max = 16; // [A-Za-z0-9_-]
    static constexpr int64_t max_wait_ns = 50'000'000;

    // Reads or creates the state file and persists the first block of the
    // day of `now_unix_ns` (0: the real clock) before returning, so the
    // first order does not wait. Fails if the state file is unreadable or
    // corrupt (never guess: a wrong guess could repeat ids), if the lock is
    // held, or if the prefix is not [A-Za-z0-9_-]{0,16}.
    static result<cl_order_id_source> open(std::string dir, std::string instance,
                                           std::string prefix, uint32_t block = default_block,
                                           int64_t now_unix_ns = 0);

    cl_order_id_source(cl_order_id_source&&) noexcept;
    cl_order_id_source& operator=(cl_order_id_source&&) noexcept;
    ~cl_order_id_source(); // stops the helper thread; unused ids of the block are skipped

    // Writes the next id and a NUL into `out`; returns its length (< 40), or
    // 0 when no persisted id is available within max_wait_ns (disk trouble:
    // last_error() says what). No allocation. One thread only.
    size_t next(char out[EF_CL_ORDER_ID_MAX], int64_t now_unix_ns) noexcept;

    // The state file's path and the helper's last failure (empty if none);
    // for logs and tests, not for the hot path.
    const std::string& path() const noexcept;
    std::string last_error() const;
    // Blocks persisted so far (the helper's count), for stats and tests.
    uint64_t blocks_persisted() const noexcept;

private:
    struct impl;
    explicit cl_order_id_source(std::unique_ptr<impl> p) noexcept;
    std::unique_ptr<impl> p_;
};

// Days since 1970-01-01 -> YYYYMMDD as a number (20261122).
uint32_t yyyymmdd_of_day(int64_t days) noexcept;

} // namespace ef::orders
