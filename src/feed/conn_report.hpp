// How a connection reports what happens to it: counters and state in its
// shared-memory stats block (layout.h ef_conn_stats, one writer: the loop
// that owns the connection) and, for errors, a rate-limited log line and the
// last error text under the block's small seqlock.
#pragma once

#include "common/counter.hpp"
#include "common/log.hpp"

#include <edgefeed/layout.h>

#include <atomic>
#include <cstring>
#include <fmt/format.h>

namespace ef::feed {

const char* error_kind_name(ef_error_kind k) noexcept;
const char* conn_state_name(ef_conn_state s) noexcept;

class conn_report {
public:
    conn_report(ef_conn_stats& stats, const char* name) noexcept : s_(stats), name_(name) {}

    ef_conn_stats& stats() noexcept { return s_; }
    const char* name() const noexcept { return name_; }

    void state(ef_conn_state st) noexcept { publish(s_.state, static_cast<uint32_t>(st)); }
    ef_conn_state state() const noexcept { return static_cast<ef_conn_state>(s_.state); }

    // Counts the error, keeps its text for edgestat, logs it (rate-limited
    // per call site of the caller's kind). Never allocates.
    template <typename... Args>
    void error(ef_error_kind kind, fmt::format_string<Args...> f, Args&&... args) noexcept {
        bump(s_.errors[kind]);
        char text[EF_LAST_ERROR_MAX];
        auto r = fmt::format_to_n(text, sizeof text - 1, f, std::forward<Args>(args)...);
        const size_t n = r.size < sizeof text - 1 ? r.size : sizeof text - 1;
        text[n] = 0;
        set_last_error(text, n);
        EF_LOG_WARN("{}: {}: {}", name_, error_kind_name(kind), std::string_view(text, n));
    }

private:
    void set_last_error(const char* text, size_t n) noexcept;

    ef_conn_stats& s_;
    const char* name_;
};

} // namespace ef::feed
