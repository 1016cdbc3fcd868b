// See conn_report.hpp.
#include "feed/conn_report.hpp"

#include "common/clock.hpp"

namespace ef::feed {

const char* error_kind_name(ef_error_kind k) noexcept {
    switch (k) {
#define EF_X(name)                                                                       \
    case EF_ERR_##name: return #name;
        EF_ERRORS(EF_X)
#undef EF_X
    case EF_ERR_COUNT: break;
    }
    return "?";
}

const char* conn_state_name(ef_conn_state s) noexcept {
    switch (s) {
#define EF_X(name)                                                                       \
    case EF_CONN_##name: return #name;
        EF_CONN_STATES(EF_X)
#undef EF_X
    case EF_CONN_STATE_COUNT: break;
    }
    return "?";
}

void conn_report::set_last_error(const char* text, size_t n) noexcept {
    // Seqlock (layout.h): odd while writing; readers retry. Bytes are stored
    // with relaxed atomics so a concurrent reader is not a data race.
    std::atomic_ref<uint64_t> seq(s_.error_seq);
    const uint64_t s0 = seq.load(std::memory_order_relaxed);
    seq.store(s0 + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release); // pairs with the reader's acquire fence
    publish(s_.last_error_unix_ns, unix_ns());
    for (size_t i = 0; i < sizeof s_.last_error; ++i)
        std::atomic_ref<char>(s_.last_error[i]).store(i < n ? text[i] : '\0', std::memory_order_relaxed);
    seq.store(s0 + 2, std::memory_order_release); // pairs with the reader's acquire load
}

} // namespace ef::feed
