// libedgefeed: attaching to a region (ef_book_open*), checking that it is
// still current, the info and stats accessors, and error texts. Called by
// consumer processes on their control path; the only part of the library
// that makes system calls.
#include "consumer/reader.hpp"
#include "consumer/shm_object.hpp"
#include "platform/shm.hpp"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ef::consumer;

namespace {

// Constant-initialised, so no TLS constructor and nothing from libstdc++.
thread_local char t_last_error[error_text_bytes];

[[gnu::format(printf, 2, 3)]] int fail(int code, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(t_last_error, sizeof t_last_error, fmt, ap);
    va_end(ap);
    return code;
}

bool checked_end(uint64_t off, uint64_t count, uint64_t size, uint64_t limit) {
    uint64_t bytes = 0;
    uint64_t end = 0;
    return !__builtin_mul_overflow(count, size, &bytes) && !__builtin_add_overflow(off, bytes, &end) &&
           end <= limit && off % 8 == 0;
}

bool is_pow2(uint64_t v) { return v && (v & (v - 1)) == 0; }

// Every section must lie inside region_bytes, which must lie inside the
// mapping: a broken or hostile header must not make a reader fault.
int validate(const ef_region_header* h, size_t mapped, const char* name) {
    const uint64_t limit = h->region_bytes;
    if (limit < sizeof(ef_region_header) || limit > mapped)
        return fail(EF_ECORRUPT, "%s: region_bytes %llu but the object is %zu bytes", name,
                    static_cast<unsigned long long>(limit), mapped);
    if (h->levels_per_position == 0 || h->levels_per_position > EF_VIEW_MAX_LEVELS)
        return fail(EF_EUNSUPPORTED, "%s: %u levels per position; this library holds 1-%u", name,
                    h->levels_per_position, EF_VIEW_MAX_LEVELS);
    if (h->journal_shards == 0 || h->journal_shards > EF_CURSOR_MAX_SHARDS)
        return fail(EF_EUNSUPPORTED, "%s: %u journal shards; this library follows 1-%u", name,
                    h->journal_shards, EF_CURSOR_MAX_SHARDS);
    const uint32_t max_records = 1u << 30;
    if (h->max_contests > max_records || h->max_partners > max_records ||
        h->max_positions > max_records || h->max_loops > max_records ||
        h->max_connections > max_records || !is_pow2(h->index_slots) ||
        h->index_slots > (1u << 31) || !is_pow2(h->journal_capacity) ||
        h->position_stride < EF_POSITION_LEVELS_OFFSET + h->levels_per_position * sizeof(ef_level) ||
        h->position_stride % 8 != 0 ||
        h->journal_shard_stride <
            sizeof(ef_journal_shard) + uint64_t{h->journal_capacity} * sizeof(ef_journal_entry) ||
        h->journal_shard_stride % 8 != 0)
        return fail(EF_ECORRUPT, "%s: header capacities are inconsistent", name);
    if (h->depth_partners > EF_VIEW_MAX_DEPTH_PARTNERS || h->depth_levels > EF_VIEW_MAX_DEPTH_LEVELS)
        return fail(EF_EUNSUPPORTED,
                    "%s: depth records of %u partners x %u levels; this library holds %u x %u",
                    name, h->depth_partners, h->depth_levels, EF_VIEW_MAX_DEPTH_PARTNERS,
                    EF_VIEW_MAX_DEPTH_LEVELS);
    if (h->max_depth > max_records ||
        h->depth_stride < EF_DEPTH_PARTNERS_OFFSET +
                              uint64_t{h->depth_partners} *
                                  (sizeof(ef_depth_partner) +
                                   uint64_t{h->depth_levels} * sizeof(ef_depth_level)) ||
        h->depth_stride % 8 != 0)
        return fail(EF_ECORRUPT, "%s: depth capacities are inconsistent", name);
    const uint64_t loop_stride = EF_STRIDE64(struct ef_loop_stats);
    const uint64_t conn_stride = EF_STRIDE64(struct ef_conn_stats);
    const bool fits =
        checked_end(h->off_contests, h->max_contests, sizeof(ef_contest), limit) &&
        checked_end(h->off_partners, h->max_partners, sizeof(ef_partner), limit) &&
        checked_end(h->off_positions, h->max_positions, h->position_stride, limit) &&
        checked_end(h->off_index, h->index_slots, sizeof(uint64_t), limit) &&
        checked_end(h->off_journals, h->journal_shards, h->journal_shard_stride, limit) &&
        checked_end(h->off_stats, 1, sizeof(ef_stats_section), limit) &&
        checked_end(h->off_stats + sizeof(ef_stats_section), h->max_loops, loop_stride, limit) &&
        checked_end(h->off_stats + sizeof(ef_stats_section) + h->max_loops * loop_stride,
                    h->max_connections, conn_stride, limit) &&
        checked_end(h->off_states, h->max_contests, sizeof(ef_contest_state), limit) &&
        checked_end(h->off_depth, h->max_depth, h->depth_stride, limit);
    if (!fits) return fail(EF_ECORRUPT, "%s: a section lies outside the region", name);
    return EF_OK;
}

} // namespace

namespace ef::consumer {

int attach_memory(const void* base, size_t mapped, ef_book** out, const char* what) {
    if (!out) return fail(EF_EINVAL, "attach: out is NULL");
    *out = nullptr;
    if (!what) what = "region";
    if (!base || mapped < sizeof(ef_region_header))
        return fail(EF_EAGAIN, "%s: region not yet sized (daemon starting)", what);
    const auto* h = static_cast<const ef_region_header*>(base);
    // Acquire; pairs with the release store of layout_major at the end of
    // book_region::create(): every other header field is complete once seen.
    const uint32_t major = load_acquire(&h->layout_major);
    if (major == 0) return fail(EF_EAGAIN, "%s: layout not yet published (daemon starting)", what);
    if (h->magic != EF_REGION_MAGIC)
        return fail(EF_EBADMAGIC, "%s: magic %#llx is not an edgefeed region (want %#llx)", what,
                    static_cast<unsigned long long>(h->magic),
                    static_cast<unsigned long long>(EF_REGION_MAGIC));
    if (major != EF_LAYOUT_MAJOR)
        return fail(EF_EBADVERSION,
                    "%s: region layout is %u.%u, this library reads layout %u.x (built with "
                    "%u.%u); use a libedgefeed that matches the daemon",
                    what, major, h->layout_minor, EF_LAYOUT_MAJOR, EF_LAYOUT_MAJOR, EF_LAYOUT_MINOR);
    if (const int rc = validate(h, mapped, what); rc != EF_OK) return rc;
    auto* b = static_cast<ef_book*>(std::calloc(1, sizeof(ef_book)));
    if (!b) return fail(EF_ENOMEM, "%s: out of memory for the handle", what);
    b->base = static_cast<const uint8_t*>(base);
    b->mapped_bytes = mapped;
    b->header = h;
    b->epoch = h->epoch;
    b->max_contests = h->max_contests;
    b->max_partners = h->max_partners;
    b->max_positions = h->max_positions;
    b->levels_per_position = h->levels_per_position;
    b->position_stride = h->position_stride;
    b->index_slots = h->index_slots;
    b->journal_shards = h->journal_shards;
    b->journal_capacity = h->journal_capacity;
    b->max_loops = h->max_loops;
    b->max_connections = h->max_connections;
    b->off_contests = h->off_contests;
    b->off_partners = h->off_partners;
    b->off_positions = h->off_positions;
    b->off_index = h->off_index;
    b->off_journals = h->off_journals;
    b->journal_shard_stride = h->journal_shard_stride;
    b->off_stats = h->off_stats;
    b->off_states = h->off_states;
    b->off_depth = h->off_depth;
    b->max_depth = h->max_depth;
    b->depth_partners = h->depth_partners;
    b->depth_levels = h->depth_levels;
    b->depth_stride = h->depth_stride;
    *out = b;
    return EF_OK;
}

} // namespace ef::consumer

extern "C" {

EF_API const char* ef_strerror(int code) {
    switch (code) {
    case EF_OK: return "EF_OK: success";
    case EF_ENOENT: return "EF_ENOENT: no such instance, position, contest, partner, state or depth";
    case EF_EAGAIN: return "EF_EAGAIN: the daemon is still creating the region";
    case EF_EBADMAGIC: return "EF_EBADMAGIC: not an edgefeed region";
    case EF_EBADVERSION: return "EF_EBADVERSION: region layout major differs from this library's";
    case EF_ECORRUPT: return "EF_ECORRUPT: region header does not fit the mapping";
    case EF_EUNSUPPORTED: return "EF_EUNSUPPORTED: region capacity beyond this library's views";
    case EF_EINVAL: return "EF_EINVAL: invalid argument";
    case EF_EBUSY: return "EF_EBUSY: record stayed mid-write through every retry";
    case EF_LAPPED: return "EF_LAPPED: journal entries were overwritten before they were read";
    case EF_ESTALE: return "EF_ESTALE: cursor belongs to another region";
    case EF_EACCES: return "EF_EACCES: permission denied";
    case EF_ESYS: return "EF_ESYS: system error";
    case EF_ENOMEM: return "EF_ENOMEM: out of memory";
    default: return "unknown edgefeed error code";
    }
}

EF_API const char* ef_book_last_error(void) { return t_last_error; }

EF_API int ef_book_open(const char* instance, ef_book** out) {
    t_last_error[0] = '\0';
    if (!out) return fail(EF_EINVAL, "ef_book_open: out is NULL");
    *out = nullptr;
    // NULL: the same default every edgefeed tool uses.
    if (!instance) {
        const char* env = getenv("EDGEFEED_INSTANCE");
        instance = env && *env ? env : "default";
    }
    char name[ef::platform::shm_object_name_max];
    const size_t len = strnlen(instance, ef::platform::instance_name_max + 1);
    if (!ef::platform::format_shm_object_name({instance, len}, name))
        return fail(EF_EINVAL, "invalid instance name \"%.64s\" (want 1-47 of [A-Za-z0-9_.-])",
                    instance);

    mapped_object m;
    const map_hints hints{" (is the edgefeed daemon running for this instance?)", ""};
    if (const int rc = map_object(name, false, sizeof(ef_region_header), hints, t_last_error, m); rc != EF_OK)
        return rc;
    ef_book* b = nullptr;
    const int rc = ef::consumer::attach_memory(m.base, m.bytes, &b, name);
    if (rc != EF_OK) {
        munmap(m.base, m.bytes);
        return rc;
    }
    b->owns_mapping = 1;
    b->dev = m.dev;
    b->ino = m.ino;
    std::memcpy(b->shm_name, name, sizeof name);
    *out = b;
    return EF_OK;
}

EF_API int ef_book_open_wait(const char* instance, int64_t timeout_ms, ef_book** out) {
    const int64_t deadline = mono_now_ns() + (timeout_ms > 0 ? timeout_ms : 0) * 1000000;
    for (;;) {
        const int rc = ef_book_open(instance, out);
        // EF_EBADVERSION too: a region left by an older daemon keeps its
        // name until the daemon being waited for replaces it at start.
        if (rc != EF_ENOENT && rc != EF_EAGAIN && rc != EF_EBADVERSION) return rc;
        if (mono_now_ns() >= deadline) return rc;
        const timespec pause_10ms{0, 10 * 1000 * 1000};
        nanosleep(&pause_10ms, nullptr);
    }
}

EF_API void ef_book_close(ef_book* book) {
    if (!book) return;
    if (book->owns_mapping) munmap(const_cast<uint8_t*>(book->base), book->mapped_bytes);
    std::free(book);
}

EF_API int ef_book_info(const ef_book* b, struct ef_book_info* out) {
    if (!b || !out) return EF_EINVAL;
    const ef_region_header* h = b->header;
    std::memset(out, 0, sizeof *out);
    out->epoch = b->epoch;
    out->region_bytes = h->region_bytes;
    out->created_unix_ns = h->created_unix_ns;
    out->heartbeat_mono_ns = load_relaxed(&h->heartbeat_mono_ns);
    out->heartbeat_age_ns = mono_now_ns() - out->heartbeat_mono_ns;
    out->layout_major = EF_LAYOUT_MAJOR;
    out->layout_minor = h->layout_minor;
    out->daemon_pid = load_relaxed(&h->pid);
    // Acquire; pairs with the release store in book_region::set_state().
    out->daemon_state = load_acquire(&h->daemon_state);
    out->max_contests = b->max_contests;
    out->max_partners = b->max_partners;
    out->max_positions = b->max_positions;
    out->levels_per_position = b->levels_per_position;
    out->index_slots = b->index_slots;
    out->journal_shards = b->journal_shards;
    out->journal_capacity = b->journal_capacity;
    out->max_loops = b->max_loops;
    out->max_connections = b->max_connections;
    out->contests_used = ef_book_contest_count(b);
    out->partners_used = ef_book_partner_count(b);
    out->positions_used = ef_book_position_count(b);
    out->max_depth = b->max_depth;
    out->depth_partners = b->depth_partners;
    out->depth_levels = b->depth_levels;
    out->depth_used = ef_book_depth_count(b);
    std::memcpy(out->instance, h->instance, EF_INSTANCE_MAX);
    out->instance[EF_INSTANCE_MAX - 1] = '\0';
    return EF_OK;
}

EF_API int ef_book_is_current(const ef_book* b) {
    if (!b) return EF_EINVAL;
    const ef_region_header* h = b->header;
    // Acquire; pairs with the release store in book_region::set_state().
    const uint32_t state = load_acquire(&h->daemon_state);
    if (state == EF_DAEMON_STOPPING || state == EF_DAEMON_STOPPED) return 0;
    if (mono_now_ns() - load_relaxed(&h->heartbeat_mono_ns) > EF_HEARTBEAT_STALE_NS) return 0;
    if (!b->shm_name[0]) return 1; // attached to memory, not by name
    const int fd = shm_open(b->shm_name, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return 0; // removed: the daemon shut down
    struct stat st;
    const bool same = fstat(fd, &st) == 0 && static_cast<uint64_t>(st.st_dev) == b->dev &&
                      static_cast<uint64_t>(st.st_ino) == b->ino;
    close(fd);
    return same ? 1 : 0;
}

EF_API uint32_t ef_book_contest_count(const ef_book* b) {
    // Acquire; pairs with the release store in book_region::claim_contest().
    return b ? load_acquire(&b->header->contests_used) : 0;
}

EF_API uint32_t ef_book_partner_count(const ef_book* b) {
    // Acquire; pairs with the release CAS in book_region::advance_partners_used().
    return b ? load_acquire(&b->header->partners_used) : 0;
}

EF_API uint32_t ef_book_position_count(const ef_book* b) {
    if (!b) return 0;
    const uint32_t n = load_relaxed(&b->header->positions_used); // claims only
    return n < b->max_positions ? n : b->max_positions;
}

EF_API const struct ef_region_header* ef_book_region(const ef_book* b) {
    return b ? b->header : nullptr;
}

EF_API const struct ef_stats_section* ef_book_stats(const ef_book* b) {
    return b ? reinterpret_cast<const ef_stats_section*>(b->base + b->off_stats) : nullptr;
}

EF_API const struct ef_loop_stats* ef_book_loop_stats(const ef_book* b, uint32_t loop) {
    if (!b || loop >= b->max_loops) return nullptr;
    return reinterpret_cast<const ef_loop_stats*>(b->base + b->off_stats +
                                                  sizeof(ef_stats_section) +
                                                  loop * EF_STRIDE64(struct ef_loop_stats));
}

EF_API const struct ef_conn_stats* ef_book_conn_stats(const ef_book* b, uint32_t conn) {
    if (!b || conn >= b->max_connections) return nullptr;
    return reinterpret_cast<const ef_conn_stats*>(
        b->base + b->off_stats + sizeof(ef_stats_section) +
        b->max_loops * EF_STRIDE64(struct ef_loop_stats) + conn * EF_STRIDE64(struct ef_conn_stats));
}

} // extern "C"
