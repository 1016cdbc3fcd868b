// Reads an order journal file back, record by record (journal_format.hpp):
// for `edgestat orders` and the tests, after a crash as after a clean stop.
// A torn or corrupt tail ends iteration with a warning, never a crash.
#pragma once

#include "common/result.hpp"
#include "orders/journal_format.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace ef::orders {

class journal_reader {
public:
    // Maps `path` read-only. Fails if it cannot be opened.
    static result<journal_reader> open(const std::string& path);
    journal_reader(journal_reader&&) noexcept;
    journal_reader& operator=(journal_reader&&) noexcept;
    ~journal_reader();

    // The next whole, valid record; false at the end of the good records.
    // The view stays valid as long as the reader.
    bool next(journal::record_view& out) noexcept;

    // After next() returned false: `end` for a clean end; `torn` or
    // `corrupt` when bytes remain that are not a valid record (warning()
    // then says where and how many).
    journal::scan_status end_status() const noexcept { return status_; }
    std::string warning() const;
    uint64_t size() const noexcept { return size_; }
    uint64_t records_read() const noexcept { return records_; }

private:
    journal_reader() = default;
    std::string path_;
    const std::byte* data_ = nullptr;
    uint64_t size_ = 0;
    uint64_t offset_ = 0;
    uint64_t records_ = 0;
    journal::scan_status status_ = journal::scan_status::ok;
};

} // namespace ef::orders
