// Helpers for the journal tests: read a whole journal file back, wait for
// the writer thread to catch up.
#pragma once

#include "orders/journal_reader.hpp"
#include "orders/journal_writer.hpp"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace ef::orders::test {

struct read_record {
    journal::record_header header;
    std::string payload;
};

struct read_result {
    std::vector<read_record> records;
    journal::scan_status end = journal::scan_status::end;
    std::string warning;
};

inline read_result read_all(const std::string& path) {
    read_result out;
    auto r = journal_reader::open(path);
    if (!r.ok()) {
        out.warning = r.err().message;
        out.end = journal::scan_status::corrupt;
        return out;
    }
    journal::record_view v;
    while (r.value().next(v))
        out.records.push_back({v.header, std::string(reinterpret_cast<const char*>(v.payload.data()),
                                                     v.payload.size())});
    out.end = r.value().end_status();
    out.warning = r.value().warning();
    return out;
}

inline bool wait_written(const journal_writer& w, uint64_t n, int timeout_ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (w.written() < n) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

// 2026-11-22T04:00:00Z
inline constexpr int64_t jt0 = int64_t{1'795'320'000} * 1'000'000'000;
inline const std::string jfile = "main-orders-20261122.journal";

} // namespace ef::orders::test
