// edgefeed C++ wrapper: RAII and value types over the consumer C ABI
// (edgefeed.h), header-only, for C++ strategy processes and tools such as
// edgestat. Costs nothing over the C calls on the read paths.
//
//     auto b = edgefeed::book::open_wait("default", std::chrono::seconds(5));
//     if (!b) { std::fprintf(stderr, "%s\n", b.err().message.c_str()); return 1; }
//     edgefeed::cursor cur = edgefeed::cursor::newest(*b);
//     ef_journal_entry e;
//     while (running)
//         switch (cur.next(*b, e)) {
//         case edgefeed::cursor::status::entry: on_change(b->read_position(e.position)); break;
//         case edgefeed::cursor::status::lapped: reread_everything(*b); break;
//         default: break;
//         }
#pragma once

#include "edgefeed.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace edgefeed {

// Relaxed atomic load of one field of the mapping: stats counters (one
// writer, never torn, maybe a few microseconds old) and other single words.
template <typename T>
inline T relaxed(const T& field) noexcept {
    return __atomic_load_n(&field, __ATOMIC_RELAXED);
}

struct error {
    int code = EF_OK;
    std::string message; // ef_book_last_error() for attach, ef_strerror() otherwise

    const char* code_text() const noexcept { return ef_strerror(code); }
};

// A value or an error: std::expected's shape until the project moves to C++23.
template <typename T>
class result {
public:
    result(T value) : value_(std::move(value)) {}
    result(error e) : error_(std::move(e)) {}

    bool ok() const noexcept { return value_.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
    T& value() & { return *value_; }
    const T& value() const& { return *value_; }
    T&& value() && { return std::move(*value_); }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }
    T& operator*() & { return *value_; }
    const T& operator*() const& { return *value_; }
    const error& err() const noexcept { return error_; }
    int code() const noexcept { return ok() ? EF_OK : error_.code; }

private:
    std::optional<T> value_;
    error error_;
};

// An attached region. Move-only; closes on destruction.
class book {
public:
    // Attach without waiting (see ef_book_open).
    static result<book> open(std::string_view instance = "default") {
        const std::string name(instance);
        ef_book* b = nullptr;
        const int rc = ef_book_open(name.c_str(), &b);
        if (rc != EF_OK) return error{rc, ef_book_last_error()};
        return book(b);
    }
    // Attach, retrying while the daemon is not up yet (see ef_book_open_wait).
    static result<book> open_wait(std::string_view instance, std::chrono::milliseconds timeout) {
        const std::string name(instance);
        ef_book* b = nullptr;
        const int rc = ef_book_open_wait(name.c_str(), timeout.count(), &b);
        if (rc != EF_OK) return error{rc, ef_book_last_error()};
        return book(b);
    }

    book(book&& o) noexcept : b_(std::exchange(o.b_, nullptr)) {}
    book& operator=(book&& o) noexcept {
        if (this != &o) {
            ef_book_close(b_);
            b_ = std::exchange(o.b_, nullptr);
        }
        return *this;
    }
    book(const book&) = delete;
    book& operator=(const book&) = delete;
    ~book() { ef_book_close(b_); }

    const ef_book* get() const noexcept { return b_; }

    // `struct`: the C function of the same name hides the type's plain name.
    struct ef_book_info info() const noexcept {
        struct ef_book_info i{};
        (void)::ef_book_info(b_, &i);
        return i;
    }
    uint64_t epoch() const noexcept { return info().epoch; }
    // System calls: call from an idle path (see ef_book_is_current).
    bool is_current() const noexcept { return ef_book_is_current(b_) == 1; }

    uint32_t contest_count() const noexcept { return ef_book_contest_count(b_); }
    uint32_t partner_count() const noexcept { return ef_book_partner_count(b_); }
    uint32_t position_count() const noexcept { return ef_book_position_count(b_); }

    std::optional<uint32_t> find(std::string_view hash) const noexcept {
        uint32_t p = 0;
        if (ef_book_find(b_, hash.data(), hash.size(), &p) != EF_OK) return std::nullopt;
        return p;
    }
    std::optional<uint32_t> find_contest(const std::string& id) const noexcept {
        uint32_t c = 0;
        if (ef_book_find_contest(b_, id.c_str(), &c) != EF_OK) return std::nullopt;
        return c;
    }
    std::optional<uint32_t> find_partner(const std::string& id) const noexcept {
        uint32_t p = 0;
        if (ef_book_find_partner(b_, id.c_str(), &p) != EF_OK) return std::nullopt;
        return p;
    }

    // Consistent copies; the error carries EF_ENOENT, EF_EINVAL or EF_EBUSY.
    result<ef_position_view> read_position(uint32_t position) const {
        ef_position_view v;
        const int rc = ef_book_read_position(b_, position, &v);
        if (rc != EF_OK) return error{rc, ef_strerror(rc)};
        return v;
    }
    // Allocation-free form for hot loops: EF_OK or the code above.
    int read_position(uint32_t position, ef_position_view& out) const noexcept {
        return ef_book_read_position(b_, position, &out);
    }
    int read_best(uint32_t position, ef_best_view& out) const noexcept {
        return ef_book_read_best(b_, position, &out);
    }
    result<ef_contest_view> read_contest(uint32_t contest) const {
        ef_contest_view v;
        const int rc = ef_book_read_contest(b_, contest, &v);
        if (rc != EF_OK) return error{rc, ef_strerror(rc)};
        return v;
    }
    result<ef_partner_view> read_partner(uint32_t partner) const {
        ef_partner_view v;
        const int rc = ef_book_read_partner(b_, partner, &v);
        if (rc != EF_OK) return error{rc, ef_strerror(rc)};
        return v;
    }

    // Live game state of a contest (ef_book_read_state).
    result<ef_state_view> read_state(uint32_t contest) const {
        ef_state_view v;
        const int rc = ef_book_read_state(b_, contest, &v);
        if (rc != EF_OK) return error{rc, ef_strerror(rc)};
        return v;
    }
    int read_state(uint32_t contest, ef_state_view& out) const noexcept {
        return ef_book_read_state(b_, contest, &out);
    }

    // Full depth records (ef_book_read_depth). The view is about 9 KB: the
    // by-reference form lets a loop keep one and reuse it.
    uint32_t depth_count() const noexcept { return ef_book_depth_count(b_); }
    std::optional<uint32_t> find_depth(std::string_view hash) const noexcept {
        uint32_t i = 0;
        if (ef_book_find_depth(b_, hash.data(), hash.size(), &i) != EF_OK) return std::nullopt;
        return i;
    }
    int read_depth(uint32_t index, ef_depth_view& out) const noexcept {
        return ef_book_read_depth(b_, index, &out);
    }
    result<ef_depth_view> read_depth(uint32_t index) const {
        ef_depth_view v;
        const int rc = ef_book_read_depth(b_, index, &v);
        if (rc != EF_OK) return error{rc, ef_strerror(rc)};
        return v;
    }

    // Raw layout.h structs for tools; read their fields with relaxed().
    const ef_region_header& region() const noexcept { return *ef_book_region(b_); }
    const ef_stats_section& stats() const noexcept { return *ef_book_stats(b_); }
    const ef_loop_stats* loop_stats(uint32_t loop) const noexcept {
        return ef_book_loop_stats(b_, loop);
    }
    const ef_conn_stats* conn_stats(uint32_t conn) const noexcept {
        return ef_book_conn_stats(b_, conn);
    }

private:
    explicit book(ef_book* b) noexcept : b_(b) {}
    ef_book* b_ = nullptr;
};

// Follows the journal of one book (see ef_cursor_next). Plain data: copyable.
class cursor {
public:
    enum class status { entry, empty, lapped, stale };

    static cursor newest(const book& b) noexcept {
        cursor c;
        (void)ef_cursor_init_newest(b.get(), &c.c_);
        return c;
    }
    static cursor oldest(const book& b) noexcept {
        cursor c;
        (void)ef_cursor_init_oldest(b.get(), &c.c_);
        return c;
    }

    // entry: `out` holds the next change. empty: nothing new. lapped: entries
    // were lost (counted in lapped_count()); re-read the positions you follow.
    // stale: this cursor belongs to another region; make a new one.
    status next(const book& b, ef_journal_entry& out) noexcept {
        const int rc = ef_cursor_next(b.get(), &c_, &out);
        if (rc == 1) return status::entry;
        if (rc == 0) return status::empty;
        if (rc == EF_LAPPED) return status::lapped;
        return status::stale;
    }

    uint64_t lapped_count() const noexcept { return c_.lapped_count; }
    uint64_t laps() const noexcept { return c_.laps; }
    uint32_t last_shard() const noexcept { return c_.last_shard; }
    const ef_cursor& raw() const noexcept { return c_; }

private:
    ef_cursor c_{};
};

} // namespace edgefeed
