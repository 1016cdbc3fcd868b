// Helpers for the book tests: a region with a unique instance name that is
// removed when the test ends, and a consumer handle that closes itself.
#pragma once

#include "book/region.hpp"
#include "book/writer.hpp"
#include "consumer/reader.hpp"
#include "edgefeed/edgefeed.h"
#include "platform/shm.hpp"

#include <atomic>
#include <cstdlib>
#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>

namespace ef::book::test {

// prefix + decimal n. (GCC 12 warns falsely, -Wrestrict, on "literal" + std::string.)
inline std::string cat(std::string_view prefix, long long n) {
    std::string s(prefix);
    s += std::to_string(n);
    return s;
}

// Unique per process and call, so parallel test runs never share an object.
inline std::string unique_instance(const char* tag) {
    static std::atomic<int> n{0};
    std::string s = cat("eft", ::getpid());
    s += '.';
    s += tag;
    s += cat(".", n++);
    return s;
}

inline capacities small_caps() {
    capacities c;
    c.max_contests = 8;
    c.max_partners = 8;
    c.max_positions = 64;
    c.levels_per_position = 4;
    c.journal_shards = 2;
    c.journal_capacity = 64;
    c.max_loops = 2;
    c.max_connections = 2;
    return c;
}

// Creates the region or fails the test; removes the name afterwards.
class scoped_region {
public:
    explicit scoped_region(const capacities& caps, const char* tag = "r")
        : instance_(unique_instance(tag)) {
        auto spec = region_spec::make(caps);
        if (!spec) {
            ADD_FAILURE() << spec.err().message;
            std::abort();
        }
        auto r = book_region::create(instance_, spec.value());
        if (!r) {
            ADD_FAILURE() << r.err().message;
            std::abort();
        }
        region_.emplace(std::move(r.value()));
    }
    ~scoped_region() { (void)platform::shm_remove(instance_); }
    scoped_region(const scoped_region&) = delete;
    scoped_region& operator=(const scoped_region&) = delete;

    book_region& operator*() { return *region_; }
    book_region* operator->() { return &*region_; }
    const std::string& instance() const { return instance_; }

    position_writer writer(uint32_t shard) {
        auto w = position_writer::make(*region_, shard);
        if (!w) {
            ADD_FAILURE() << w.err().message;
            std::abort();
        }
        return std::move(w.value());
    }

private:
    std::string instance_;
    std::optional<book_region> region_;
};

// A consumer attachment that closes itself: by name (a second mapping, as
// in a consumer process) or to the writer's mapping.
struct scoped_book {
    ef_book* b = nullptr;
    scoped_book() = default;
    explicit scoped_book(const std::string& instance) {
        const int rc = ef_book_open(instance.c_str(), &b);
        if (rc != EF_OK) ADD_FAILURE() << "ef_book_open: " << ef_book_last_error();
    }
    // Through the writer's own mapping: the concurrency tests read this way
    // so that TSan, whose shadow memory is per virtual address, sees both sides.
    explicit scoped_book(book_region& r) {
        if (ef::consumer::attach_memory(r.header(), r.spec().total_bytes, &b, "test") != EF_OK)
            ADD_FAILURE() << "attach_memory: " << ef_book_last_error();
    }
    ~scoped_book() { ef_book_close(b); }
    scoped_book(const scoped_book&) = delete;
    scoped_book& operator=(const scoped_book&) = delete;
    operator const ef_book*() const { return b; }
};

constexpr int64_t cents(int64_t c) { return c * 10'000'000; }

} // namespace ef::book::test
