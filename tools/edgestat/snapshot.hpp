// A consistent-enough copy of an instance's stats for one refresh of
// edgestat: every counter read once with a relaxed load, the last-error
// texts under their seqlock. Rates come from the difference of two copies.
#pragma once

#include "edgestat/orders_view.hpp"

#include <edgefeed/edgefeed.h>
#include <edgefeed/layout.h>

#include <string>
#include <vector>

namespace ef::stat {

struct loop_copy {
    ef_loop_stats s; // histograms included
};

struct conn_copy {
    ef_conn_stats s;
    std::string last_error; // read under error_seq
};

struct contest_copy {
    ef_contest_view v;
};

struct snapshot {
    int64_t taken_mono_ns = 0;
    int64_t taken_unix_ns = 0; // ages of the venue-clock and wall-clock fields
    struct ef_book_info info {};
    ef_process_stats process{};
    std::vector<loop_copy> loops;
    std::vector<conn_copy> conns;
    std::vector<contest_copy> contests;
    uint32_t stale_contests = 0;
    orders_copy orders; // the order channel; disabled when there is none
};

snapshot take_snapshot(const ef_book* book);

} // namespace ef::stat
