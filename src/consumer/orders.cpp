// libedgefeed: the strategy side of the order channel
// (include/edgefeed/order_channel.h). A strategy process attaches to its slot
// and then submits and polls on its own hot path: ef_order_submit and
// ef_order_poll are a few loads and stores into the shared mapping, with the
// other side's counter cached so the shared line is read only when the cached
// value says the ring looks full (submit) or empty (poll). Operators
// (edgestat) use the view and the kill switch. Built like the rest of
// libedgefeed: no exceptions, no RTTI, nothing but libc.
#include "consumer/orders.hpp"
#include "consumer/shm_object.hpp"
#include "edgefeed/order_channel.h"
#include "platform/shm.hpp"

#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct ef_order_channel {
    uint8_t* base;
    size_t mapped_bytes;
    ef_orders_header* header;
    ef_order_slot* slot; // NULL for a view
    ef_order_request* requests;
    ef_order_response* responses;
    uint64_t epoch;
    uint64_t request_mask;
    uint64_t response_mask;
    uint32_t slot_index; // EF_NONE for a view
    uint32_t slot_count;
    uint32_t pid;
    uint32_t owns_mapping; // detach unmaps; 0 when attached to memory
    // The submitting thread's counters and the polling thread's on lines of
    // their own: they may be two threads.
    uint8_t pad0[64];
    uint64_t request_tail;      // next entry to write (ours)
    uint64_t request_head_seen; // last shared head loaded
    uint8_t pad1[64 - 16];
    uint64_t response_head;      // next entry to read (ours)
    uint64_t response_tail_seen; // last shared tail loaded
    uint8_t pad2[64 - 16];
};

namespace {

using ef::consumer::mono_now_ns;

constexpr uint32_t max_slots = 1u << 16;         // far above the daemon's own limit
constexpr uint32_t max_ring_capacity = 1u << 24; // likewise
constexpr std::string_view object_suffix = ".orders";
constexpr size_t object_name_max = ef::platform::shm_object_name_max + object_suffix.size();

// Constant-initialised, so no TLS constructor and nothing from libstdc++.
thread_local char t_last_error[ef::consumer::error_text_bytes];

[[gnu::format(printf, 2, 3)]] int fail(int code, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(t_last_error, sizeof t_last_error, fmt, ap);
    va_end(ap);
    return code;
}

template <typename T>
T load_relaxed(const T* p) noexcept {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}
template <typename T>
T load_acquire(const T* p) noexcept {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

bool is_pow2(uint64_t v) {
    return v && (v & (v - 1)) == 0;
}

bool fits(uint64_t off, uint64_t count, uint64_t size, uint64_t limit) {
    uint64_t bytes = 0;
    uint64_t end = 0;
    return !__builtin_mul_overflow(count, size, &bytes) &&
           !__builtin_add_overflow(off, bytes, &end) && end <= limit && off % 64 == 0;
}

// "/edgefeed.<instance>.orders"; instance NULL: the rule of ef_book_open.
int object_name(const char* instance, char (&out)[object_name_max]) {
    if (!instance) {
        const char* env = getenv("EDGEFEED_INSTANCE");
        instance = env && *env ? env : "default";
    }
    char books[ef::platform::shm_object_name_max];
    const size_t len = strnlen(instance, ef::platform::instance_name_max + 1);
    if (!ef::platform::format_shm_object_name({instance, len}, books))
        return fail(EF_EINVAL, "invalid instance name \"%.64s\" (want 1-47 of [A-Za-z0-9_.-])",
                    instance);
    std::snprintf(out, sizeof out, "%s%.*s", books, static_cast<int>(object_suffix.size()),
                  object_suffix.data());
    return EF_OK;
}

bool valid_strategy(const char* s) {
    const size_t n = strnlen(s, EF_STRATEGY_NAME_MAX);
    if (n == 0 || n >= EF_STRATEGY_NAME_MAX) return false;
    for (size_t i = 0; i < n; ++i) {
        const char c = s[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!ok) return false;
    }
    return true;
}

// Every section a handle touches lies inside region_bytes, which lies inside
// the mapping: a broken or hostile header must not make a strategy fault.
int validate(const ef_orders_header* h, size_t mapped, const char* name) {
    // Acquire; pairs with the release store of layout_major at the end of
    // order_channel_region::create(): every other header field is complete.
    const uint32_t major = load_acquire(&h->layout_major);
    if (major == 0) return fail(EF_EAGAIN, "%s: layout not yet published (daemon starting)", name);
    if (h->magic != EF_ORDERS_MAGIC)
        return fail(EF_EBADMAGIC, "%s: magic %#llx is not an edgefeed order channel (want %#llx)",
                    name, static_cast<unsigned long long>(h->magic),
                    static_cast<unsigned long long>(EF_ORDERS_MAGIC));
    if (major != EF_ORDERS_LAYOUT_MAJOR)
        return fail(EF_EBADVERSION,
                    "%s: order channel layout is %u.%u, this library reads layout %u.x (built "
                    "with %u.%u); use a libedgefeed that matches the daemon",
                    name, major, h->layout_minor, EF_ORDERS_LAYOUT_MAJOR, EF_ORDERS_LAYOUT_MAJOR,
                    EF_ORDERS_LAYOUT_MINOR);
    const uint64_t limit = h->region_bytes;
    if (limit < sizeof(ef_orders_header) || limit > mapped)
        return fail(EF_ECORRUPT, "%s: region_bytes %llu but the object is %zu bytes", name,
                    static_cast<unsigned long long>(limit), mapped);
    if (h->max_slots == 0 || h->max_slots > max_slots || !is_pow2(h->request_capacity) ||
        h->request_capacity > max_ring_capacity || !is_pow2(h->response_capacity) ||
        h->response_capacity > max_ring_capacity ||
        !fits(h->off_slots, h->max_slots, sizeof(ef_order_slot), limit))
        return fail(EF_ECORRUPT, "%s: header capacities are inconsistent", name);
    return EF_OK;
}

ef_order_slot* slot_at(const ef_order_channel* ch, uint32_t i) {
    return reinterpret_cast<ef_order_slot*>(ch->base + ch->header->off_slots) + i;
}

// Validates the header of a mapped region and returns a handle without a
// slot that does not own the mapping.
int adopt(void* p, size_t mapped, const char* name, ef_order_channel** out) {
    if (!p || mapped < sizeof(ef_orders_header))
        return fail(EF_EAGAIN, "%s: region not yet sized (daemon starting)", name);
    auto* h = static_cast<ef_orders_header*>(p);
    if (const int rc = validate(h, mapped, name); rc != EF_OK) return rc;
    auto* ch = static_cast<ef_order_channel*>(std::calloc(1, sizeof(ef_order_channel)));
    if (!ch) return fail(EF_ENOMEM, "%s: out of memory for the handle", name);
    ch->base = static_cast<uint8_t*>(p);
    ch->mapped_bytes = mapped;
    ch->header = h;
    ch->epoch = load_relaxed(&h->epoch);
    ch->slot_count = h->max_slots;
    ch->slot_index = EF_NONE;
    ch->request_mask = h->request_capacity - 1;
    ch->response_mask = h->response_capacity - 1;
    *out = ch;
    return EF_OK;
}

// Maps the object, validates its header and returns a handle without a slot.
int open_region(const char* instance, bool writable, ef_order_channel** out) {
    t_last_error[0] = '\0';
    if (!out) return fail(EF_EINVAL, "out is NULL");
    *out = nullptr;
    char name[object_name_max];
    if (const int rc = object_name(instance, name); rc != EF_OK) return rc;
    ef::consumer::mapped_object m;
    const ef::consumer::map_hints hints{" (is the edgefeed daemon running with orders enabled?)",
                                        " (the order channel is mode 0660: join the daemon's group)"};
    if (const int rc = ef::consumer::map_object(name, writable, sizeof(ef_orders_header), hints, t_last_error, m);
        rc != EF_OK)
        return rc;
    if (const int rc = adopt(m.base, m.bytes, name, out); rc != EF_OK) {
        munmap(m.base, m.bytes);
        return rc;
    }
    (*out)->owns_mapping = 1;
    return EF_OK;
}

// Index of the configured slot named `strategy`, or EF_NONE. Names are
// immutable once layout_major is published.
uint32_t find_slot(const ef_order_channel* ch, const char* strategy) {
    const size_t n = strnlen(strategy, EF_STRATEGY_NAME_MAX);
    for (uint32_t i = 0; i < ch->slot_count; ++i) {
        const ef_order_slot* s = slot_at(ch, i);
        if (s->state == EF_SLOT_CONFIGURED && std::memcmp(s->name, strategy, n) == 0 &&
            s->name[n] == '\0')
            return i;
    }
    return EF_NONE;
}

int no_such_strategy(const char* strategy) {
    return fail(EF_ENOENT,
                "no strategy \"%s\" in this instance's order channel (the daemon's "
                "[[orders.strategies]] names the slots)",
                strategy);
}

bool process_gone(uint32_t pid) {
    return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// Takes owner_pid from 0, or from a process that no longer exists.
int claim(ef_order_slot* s, uint32_t me, const char* strategy) {
    uint32_t expected = 0;
    for (int attempt = 0; attempt < 4; ++attempt) {
        // Acq_rel; pairs with the release store of 0 in ef_orders_detach(): the
        // previous holder's ring writes are visible before we take over.
        if (__atomic_compare_exchange_n(&s->owner_pid, &expected, me, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return EF_OK;
        if (expected == me || !process_gone(expected))
            return fail(EF_EBUSY, "strategy %s is attached by pid %u", strategy, expected);
        // A dead holder: try to take it from that pid (another attacher may race us).
    }
    return fail(EF_EBUSY, "strategy %s is attached by pid %u", strategy, expected);
}

// Finds `strategy`'s slot, checks that its rings lie inside the region and
// claims it for this process.
int take_slot(ef_order_channel* ch, const char* strategy) {
    const uint32_t i = find_slot(ch, strategy);
    if (i == EF_NONE) return no_such_strategy(strategy);
    ef_order_slot* slot = slot_at(ch, i);
    const uint64_t limit = ch->header->region_bytes;
    if (!fits(slot->off_requests, ch->request_mask + 1, sizeof(ef_order_request), limit) ||
        !fits(slot->off_responses, ch->response_mask + 1, sizeof(ef_order_response), limit))
        return fail(EF_ECORRUPT, "strategy %s: its rings lie outside the region", strategy);
    const uint32_t me = static_cast<uint32_t>(getpid());
    if (const int rc = claim(slot, me, strategy); rc != EF_OK) return rc;
    ch->pid = me;
    ch->slot = slot;
    ch->slot_index = i;
    ch->requests = reinterpret_cast<ef_order_request*>(ch->base + slot->off_requests);
    ch->responses = reinterpret_cast<ef_order_response*>(ch->base + slot->off_responses);
    // Carry on where the previous holder stopped. A request it wrote without
    // publishing is overwritten; responses it left unread are ours to read.
    ch->request_tail = load_acquire(&slot->requests.tail);
    ch->request_head_seen = load_acquire(&slot->requests.head);
    ch->response_head = load_acquire(&slot->responses.head);
    ch->response_tail_seen = load_acquire(&slot->responses.tail);
    __atomic_fetch_add(&slot->attach_count, 1, __ATOMIC_RELAXED);
    return EF_OK;
}

bool copy_text(char* dst, size_t size, const char* src, bool required) {
    if (!src) return !required;
    const size_t n = strnlen(src, size);
    if (n == size) return false; // no room for the NUL
    std::memcpy(dst, src, n);
    return true;
}

void init_common(ef_order_request* req, uint64_t request_id, uint32_t kind) {
    std::memset(req, 0, sizeof *req);
    req->request_id = request_id;
    req->kind = kind;
}

// On failure the request stays zeroed, so it can never be submitted half-built.
int init_result(ef_order_request* req, bool ok) {
    if (ok) return EF_OK;
    std::memset(req, 0, sizeof *req);
    return EF_EINVAL;
}

struct word {
    uint32_t value;
    const char* text;
};
constexpr word sides[] = {{EF_SIDE_BUY, "buy"}, {EF_SIDE_SELL, "sell"}};
constexpr word order_types[] = {
    {EF_TYPE_MKT, "MKT"}, {EF_TYPE_LMT, "LMT"}, {EF_TYPE_STP, "STP"}, {EF_TYPE_STPLMT, "STPLMT"}};
constexpr word tifs[] = {{EF_TIF_DAY, "DAY"},      {EF_TIF_GTC, "GTC"},     {EF_TIF_IOC, "IOC"},
                         {EF_TIF_FOK, "FOK"},      {EF_TIF_OPEN, "OPEN"},   {EF_TIF_CLOSE, "CLOSE"},
                         {EF_TIF_DAY_EXT, "DAY+"}, {EF_TIF_GTC_EXT, "GTC+"}};

template <size_t N>
const char* name_of(const word (&table)[N], uint32_t v, const char* missing) {
    for (const word& w : table)
        if (w.value == v) return w.text;
    return missing;
}
template <size_t N>
uint32_t parse_word(const word (&table)[N], const char* text) {
    if (!text) return 0;
    for (const word& w : table)
        if (std::strcmp(w.text, text) == 0) return w.value;
    return 0;
}

} // namespace

extern "C" {

EF_API const char* ef_orders_last_error(void) {
    return t_last_error;
}

EF_API int ef_orders_attach(const char* instance, const char* strategy, ef_order_channel** out) {
    t_last_error[0] = '\0';
    if (!out) return fail(EF_EINVAL, "ef_orders_attach: out is NULL");
    *out = nullptr;
    if (!strategy || !valid_strategy(strategy))
        return fail(EF_EINVAL, "invalid strategy name \"%.64s\" (want 1-31 of [A-Za-z0-9_.-])",
                    strategy ? strategy : "(null)");
    ef_order_channel* ch = nullptr;
    if (const int rc = open_region(instance, true, &ch); rc != EF_OK) return rc;
    if (const int rc = take_slot(ch, strategy); rc != EF_OK) {
        ef_orders_detach(ch);
        return rc;
    }
    *out = ch;
    return EF_OK;
}

EF_API int ef_orders_open_view(const char* instance, ef_order_channel** out) {
    return open_region(instance, false, out);
}

EF_API void ef_orders_detach(ef_order_channel* ch) {
    if (!ch) return;
    if (ch->slot) {
        // Release; pairs with the acquire CAS in claim(): the next holder sees
        // our last ring writes. Only if the slot is still ours.
        uint32_t expected = ch->pid;
        (void)__atomic_compare_exchange_n(&ch->slot->owner_pid, &expected, 0u, false,
                                          __ATOMIC_RELEASE, __ATOMIC_RELAXED);
    }
    if (ch->owns_mapping) munmap(ch->base, ch->mapped_bytes);
    std::free(ch);
}

EF_API int ef_order_submit(ef_order_channel* ch, struct ef_order_request* req) {
    if (!ch || !req || !ch->slot) [[unlikely]]
        return EF_EINVAL;
    // A stopped daemon zeroes the epoch; a restarted one made a new object.
    if (load_relaxed(&ch->header->epoch) != ch->epoch) [[unlikely]]
        return EF_ESTALE;
    const uint64_t tail = ch->request_tail;
    if (tail - ch->request_head_seen > ch->request_mask) {
        // Acquire; pairs with the release store of head in
        // order_channel_region::pop_request(): the loop's copy of the entry
        // we are about to overwrite is complete.
        ch->request_head_seen = load_acquire(&ch->slot->requests.head);
        if (tail - ch->request_head_seen > ch->request_mask) return EF_EAGAIN;
    }
    req->submit_mono_ns = mono_now_ns();
    std::memcpy(&ch->requests[tail & ch->request_mask], req, sizeof *req);
    ch->request_tail = tail + 1;
    // Release; pairs with the acquire load of tail in pop_request().
    __atomic_store_n(&ch->slot->requests.tail, tail + 1, __ATOMIC_RELEASE);
    return EF_OK;
}

EF_API int ef_order_poll(ef_order_channel* ch, struct ef_order_response* out) {
    if (!ch || !out || !ch->slot) [[unlikely]]
        return EF_EINVAL;
    const uint64_t head = ch->response_head;
    if (head == ch->response_tail_seen) {
        // Acquire; pairs with the release store of tail in
        // order_channel_region::push_response(): the entry is complete.
        ch->response_tail_seen = load_acquire(&ch->slot->responses.tail);
        if (head == ch->response_tail_seen) return 0;
    }
    std::memcpy(out, &ch->responses[head & ch->response_mask], sizeof *out);
    ch->response_head = head + 1;
    // Release; pairs with the acquire load of head in push_response().
    __atomic_store_n(&ch->slot->responses.head, head + 1, __ATOMIC_RELEASE);
    return 1;
}

EF_API int ef_orders_ready(const ef_order_channel* ch) {
    if (!ch) return EF_EINVAL;
    const ef_orders_header* h = ch->header;
    if (load_relaxed(&h->epoch) != ch->epoch) return 0;
    // Acquire; pairs with the release in order_channel_region::set_loop_state().
    if (load_acquire(&h->loop_state) != 1) return 0;
    return mono_now_ns() - load_relaxed(&h->heartbeat_mono_ns) < EF_ORDERS_HEARTBEAT_STALE_NS ? 1
                                                                                              : 0;
}

EF_API int ef_orders_info(const ef_order_channel* ch, struct ef_orders_info* out) {
    if (!ch || !out) return EF_EINVAL;
    const ef_orders_header* h = ch->header;
    std::memset(out, 0, sizeof *out);
    out->epoch = load_relaxed(&h->epoch);
    out->heartbeat_mono_ns = load_relaxed(&h->heartbeat_mono_ns);
    out->heartbeat_age_ns = mono_now_ns() - out->heartbeat_mono_ns;
    out->layout_major = EF_ORDERS_LAYOUT_MAJOR;
    out->layout_minor = h->layout_minor;
    out->daemon_pid = h->pid;
    out->loop_state = load_acquire(&h->loop_state);
    out->halt_all = load_relaxed(&h->halt_all);
    out->slot_count = ch->slot_count;
    out->request_capacity = static_cast<uint32_t>(ch->request_mask + 1);
    out->response_capacity = static_cast<uint32_t>(ch->response_mask + 1);
    out->attached_slot = ch->slot_index;
    std::memcpy(out->instance, h->instance, EF_INSTANCE_MAX);
    out->instance[EF_INSTANCE_MAX - 1] = '\0';
    return EF_OK;
}

EF_API int ef_orders_slot_info(const ef_order_channel* ch, uint32_t i,
                               struct ef_orders_slot_info* out) {
    if (!ch || !out || i >= ch->slot_count) return EF_EINVAL;
    const ef_order_slot* s = slot_at(ch, i);
    std::memset(out, 0, sizeof *out);
    std::memcpy(out->name, s->name, EF_STRATEGY_NAME_MAX);
    out->name[EF_STRATEGY_NAME_MAX - 1] = '\0';
    out->halted = load_relaxed(&s->halted);
    out->owner_pid = load_relaxed(&s->owner_pid);
    out->attach_count = load_relaxed(&s->attach_count);
    // Heads first: a tail loaded later is never behind them.
    const uint64_t req_head = load_acquire(&s->requests.head);
    const uint64_t resp_head = load_acquire(&s->responses.head);
    const uint64_t req_tail = load_acquire(&s->requests.tail);
    const uint64_t resp_tail = load_acquire(&s->responses.tail);
    out->requests_queued = req_tail >= req_head ? req_tail - req_head : 0;
    out->responses_queued = resp_tail >= resp_head ? resp_tail - resp_head : 0;
    // Field by field with relaxed loads: the order loop writes them meanwhile.
    const auto* src = reinterpret_cast<const uint64_t*>(&s->stats);
    auto* dst = reinterpret_cast<uint64_t*>(&out->stats);
    for (size_t w = 0; w < sizeof(ef_order_slot_stats) / sizeof(uint64_t); ++w)
        dst[w] = load_relaxed(&src[w]);
    return EF_OK;
}

EF_API int ef_orders_set_halt(const char* instance, const char* strategy, int halted) {
    if (strategy && !valid_strategy(strategy))
        return fail(EF_EINVAL, "invalid strategy name \"%.64s\" (want 1-31 of [A-Za-z0-9_.-])",
                    strategy);
    ef_order_channel* ch = nullptr;
    if (const int rc = open_region(instance, true, &ch); rc != EF_OK) return rc;
    const uint32_t word = halted ? 1u : 0u;
    int rc = EF_OK;
    if (!strategy) {
        // Relaxed: the order loop reads it before every order (orders.h).
        __atomic_store_n(&ch->header->halt_all, word, __ATOMIC_RELAXED);
    } else if (const uint32_t i = find_slot(ch, strategy); i != EF_NONE) {
        __atomic_store_n(&slot_at(ch, i)->halted, word, __ATOMIC_RELAXED);
    } else {
        rc = no_such_strategy(strategy);
    }
    ef_orders_detach(ch);
    return rc;
}

// ---------------------------------------------------------------- builders

EF_API int ef_order_init_om_buy(struct ef_order_request* req, uint64_t request_id,
                                const char* account, const char* position_hash, int64_t amount_e9,
                                int64_t shares_e9, int64_t max_price_e9,
                                const char* partner_id_or_null, int paper) {
    if (!req) return EF_EINVAL;
    init_common(req, request_id, EF_ORDER_OM_BUY);
    const size_t hash_len = position_hash ? strnlen(position_hash, EF_POSITION_HASH_MAX + 1) : 0;
    const bool ok = copy_text(req->account, sizeof req->account, account, true) &&
                    copy_text(req->partner_id, sizeof req->partner_id, partner_id_or_null, false) &&
                    hash_len > 0 && hash_len <= EF_POSITION_HASH_MAX;
    if (ok) {
        std::memcpy(req->position_hash, position_hash, hash_len);
        req->position_hash_len = static_cast<uint32_t>(hash_len);
    }
    req->flags = paper ? uint32_t{EF_ORDER_PAPER} : 0u;
    req->amount_e9 = amount_e9;
    req->shares_e9 = shares_e9;
    req->max_price_e9 = max_price_e9;
    return init_result(req, ok);
}

EF_API int ef_order_init_ct_new(struct ef_order_request* req, uint64_t request_id,
                                const char* account, const char* broker, uint32_t side,
                                uint32_t order_type, uint32_t tif, const char* instrument,
                                const char* symbol, int64_t qty_e9, int64_t notional_e9,
                                int64_t limit_price_e9, int64_t stop_price_e9) {
    if (!req) return EF_EINVAL;
    init_common(req, request_id, EF_ORDER_CT_NEW);
    const bool ok = copy_text(req->account, sizeof req->account, account, true) &&
                    copy_text(req->broker, sizeof req->broker, broker, true) &&
                    copy_text(req->instrument, sizeof req->instrument, instrument, true) &&
                    copy_text(req->symbol, sizeof req->symbol, symbol, true) && side <= 0xff &&
                    order_type <= 0xff && tif <= 0xff;
    req->side = static_cast<uint8_t>(side);
    req->order_type = static_cast<uint8_t>(order_type);
    req->tif = static_cast<uint8_t>(tif);
    req->qty_e9 = qty_e9;
    req->notional_e9 = notional_e9;
    req->limit_price_e9 = limit_price_e9;
    req->stop_price_e9 = stop_price_e9;
    return init_result(req, ok);
}

EF_API int ef_order_init_ct_modify(struct ef_order_request* req, uint64_t request_id,
                                   const char* account, const char* broker, const char* order_id,
                                   int64_t qty_e9, int64_t notional_e9, int64_t limit_price_e9,
                                   int64_t stop_price_e9) {
    if (!req) return EF_EINVAL;
    init_common(req, request_id, EF_ORDER_CT_MODIFY);
    const bool ok = copy_text(req->account, sizeof req->account, account, true) &&
                    copy_text(req->broker, sizeof req->broker, broker, true) &&
                    copy_text(req->order_id, sizeof req->order_id, order_id, true);
    req->qty_e9 = qty_e9;
    req->notional_e9 = notional_e9;
    req->limit_price_e9 = limit_price_e9;
    req->stop_price_e9 = stop_price_e9;
    return init_result(req, ok);
}

EF_API int ef_order_init_ct_cancel(struct ef_order_request* req, uint64_t request_id,
                                   const char* account, const char* broker_or_null,
                                   const char* order_id) {
    if (!req) return EF_EINVAL;
    init_common(req, request_id, EF_ORDER_CT_CANCEL);
    const bool ok = copy_text(req->account, sizeof req->account, account, true) &&
                    copy_text(req->broker, sizeof req->broker, broker_or_null, false) &&
                    copy_text(req->order_id, sizeof req->order_id, order_id, true);
    return init_result(req, ok);
}

// ------------------------------------------------------------------- names

EF_API const char* ef_order_kind_name(uint32_t kind) {
    switch (kind) {
    case EF_ORDER_OM_BUY:
        return "om_buy";
    case EF_ORDER_CT_NEW:
        return "ct_new";
    case EF_ORDER_CT_MODIFY:
        return "ct_modify";
    case EF_ORDER_CT_CANCEL:
        return "ct_cancel";
    default:
        return "unknown_value";
    }
}

EF_API const char* ef_order_outcome_name(uint32_t outcome) {
    switch (outcome) {
    case EF_OUTCOME_ACCEPTED:
        return "accepted";
    case EF_OUTCOME_FILLED:
        return "filled";
    case EF_OUTCOME_PARTIAL:
        return "partial";
    case EF_OUTCOME_UNFILLED:
        return "unfilled";
    case EF_OUTCOME_REJECTED:
        return "rejected";
    case EF_OUTCOME_UNKNOWN:
        return "unknown";
    case EF_OUTCOME_RECONCILED:
        return "reconciled";
    case EF_OUTCOME_CANCELLED:
        return "cancelled";
    case EF_OUTCOME_MODIFIED:
        return "modified";
    default:
        return "unknown_value";
    }
}

EF_API const char* ef_reject_source_name(uint32_t source) {
    switch (source) {
    case EF_REJECT_NONE:
        return "none";
    case EF_REJECT_RISK:
        return "risk";
    case EF_REJECT_INVALID:
        return "invalid";
    case EF_REJECT_VENUE:
        return "venue";
    case EF_REJECT_DAEMON:
        return "daemon";
    default:
        return "unknown_value";
    }
}

// The limit words are the config keys that set them (docs/config.md), so an
// operator reading a reject knows which key to look at.
EF_API const char* ef_risk_limit_name(uint32_t limit) {
    switch (limit) {
    case EF_RISK_HALT_ALL:
        return "halt_all";
    case EF_RISK_HALT_STRATEGY:
        return "halt_strategy";
    case EF_RISK_ACCOUNT:
        return "account";
    case EF_RISK_PRICE_BOUNDS:
        return "price_bounds";
    case EF_RISK_ORDER_SIZE:
        return "max_order_qty";
    case EF_RISK_ORDER_NOTIONAL:
        return "max_order_notional";
    case EF_RISK_OPEN_NOTIONAL:
        return "max_open_notional";
    case EF_RISK_DAILY_NOTIONAL:
        return "max_daily_notional";
    case EF_RISK_ORDER_RATE:
        return "max_orders_per_s";
    case EF_RISK_FAT_FINGER:
        return "fat_finger_bps";
    case EF_RISK_NO_REFERENCE:
        return "require_reference";
    case EF_RISK_ACCOUNT_OPEN_NOTIONAL:
        return "account_max_open_notional";
    case EF_RISK_ACCOUNT_DAILY_NOTIONAL:
        return "account_max_daily_notional";
    default:
        return "unknown_value";
    }
}

EF_API const char* ef_ct_side_name(uint32_t side) {
    return name_of(sides, side, "");
}
EF_API uint32_t ef_ct_side_parse(const char* text) {
    return parse_word(sides, text);
}
EF_API const char* ef_ct_order_type_name(uint32_t t) {
    return name_of(order_types, t, "");
}
EF_API uint32_t ef_ct_order_type_parse(const char* text) {
    return parse_word(order_types, text);
}
EF_API const char* ef_ct_tif_name(uint32_t tif) {
    return name_of(tifs, tif, "");
}
EF_API uint32_t ef_ct_tif_parse(const char* text) {
    return parse_word(tifs, text);
}

} // extern "C"

namespace ef::consumer {

int orders_attach_memory(void* base, size_t mapped, const char* strategy, ef_order_channel** out) {
    t_last_error[0] = '\0';
    if (!out) return fail(EF_EINVAL, "orders_attach_memory: out is NULL");
    *out = nullptr;
    if (!strategy || !valid_strategy(strategy))
        return fail(EF_EINVAL, "invalid strategy name \"%.64s\"", strategy ? strategy : "(null)");
    ef_order_channel* ch = nullptr;
    if (const int rc = adopt(base, mapped, "order channel", &ch); rc != EF_OK) return rc;
    if (const int rc = take_slot(ch, strategy); rc != EF_OK) {
        ef_orders_detach(ch);
        return rc;
    }
    *out = ch;
    return EF_OK;
}

} // namespace ef::consumer
