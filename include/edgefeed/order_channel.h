/*
 * edgefeed order channel C ABI: a strategy process attaches to its slot of
 * /edgefeed.<instance>.orders (edgefeed/orders.h), submits order requests into
 * its request ring and polls its response ring; operators flip the kill
 * switch and read the slots (edgestat halt|resume). Part of libedgefeed, which
 * links nothing but libc.
 *
 * Threads: an ef_order_channel has one producer of requests and one consumer
 * of responses. Call ef_order_submit from one thread at a time and
 * ef_order_poll from one thread at a time (the same thread or two different
 * ones); the info and slot readers are safe from any thread.
 *
 * Costs: ef_order_submit and ef_order_poll make no system call (submit reads
 * CLOCK_MONOTONIC through the vDSO), take no lock and never allocate. Attach,
 * detach, open_view and set_halt map and unmap memory and say so.
 *
 * Errors: the EF_* codes of edgefeed.h (ef_strerror names them);
 * ef_orders_last_error() gives the text of the calling thread's last failure
 * of ef_orders_attach, ef_orders_open_view or ef_orders_set_halt.
 */
#ifndef EDGEFEED_ORDER_CHANNEL_H
#define EDGEFEED_ORDER_CHANNEL_H

#include "edgefeed.h"
#include "orders.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ef_order_channel ef_order_channel; /* opaque */

/* ef_orders_ready() calls a heartbeat older than this stale. */
#define EF_ORDERS_HEARTBEAT_STALE_NS INT64_C(1000000000)

/* ------------------------------------------------------------ attach */

/* Maps /dev/shm/edgefeed.<instance>.orders read-write and claims the slot of
 * `strategy` for this process. instance NULL means $EDGEFEED_INSTANCE, else
 * "default" (as ef_book_open). Does not wait.
 * Returns EF_OK and sets *out (the caller owns it; pass it to
 * ef_orders_detach), or, leaving *out NULL: EF_EINVAL (NULL argument, bad
 * instance or strategy name), EF_ENOENT (no such region: the daemon is not
 * running, or it has no strategy of that name), EF_EAGAIN (the daemon is
 * between creating the object and publishing its layout), EF_EBADMAGIC,
 * EF_EBADVERSION (the message names both versions), EF_ECORRUPT, EF_EBUSY (a
 * live process holds the slot: the message names its pid), EF_EACCES (the
 * object is 0660: join the daemon's group), EF_ESYS or EF_ENOMEM.
 * A slot held by a process that no longer exists is taken over. Responses the
 * previous holder left unread are delivered to the new one.
 * System calls: shm_open, fstat, mmap, close, kill(pid, 0), getpid. */
EF_API int ef_orders_attach(const char* instance, const char* strategy, ef_order_channel** out);

/* Releases the slot (if this process still holds it), unmaps, frees. NULL is
 * ignored. Requests already submitted are still processed by the daemon. */
EF_API void ef_orders_detach(ef_order_channel* ch);

/* Text of the calling thread's last failure of attach, open_view or
 * set_halt; "" if none. Lives in thread-local storage until the next such call. */
EF_API const char* ef_orders_last_error(void);

/* ------------------------------------------------------------ orders */

/* Stamps req->submit_mono_ns (CLOCK_MONOTONIC), copies *req into the request
 * ring and publishes it. Returns EF_OK; EF_EAGAIN when the ring is full (the
 * daemon has not taken earlier requests yet: poll responses, try again);
 * EF_ESTALE when the daemon that created the region has stopped (detach and
 * attach again; the request was not queued); EF_EINVAL on NULL or a view. */
EF_API int ef_order_submit(ef_order_channel* ch, struct ef_order_request* req);

/* Copies the oldest unread response into *out. Returns 1 (one copied), 0
 * (none), or EF_EINVAL (NULL or a view). Keeps working after the daemon stopped,
 * so the last responses can still be read. */
EF_API int ef_order_poll(ef_order_channel* ch, struct ef_order_response* out);

/* 1 when the order loop is running (venue connections warm), its heartbeat is
 * younger than EF_ORDERS_HEARTBEAT_STALE_NS and the region is still the
 * daemon's; 0 otherwise (not yet, or no more: detach and attach again after a
 * restart); EF_EINVAL on NULL. */
EF_API int ef_orders_ready(const ef_order_channel* ch);

/* ----------------------------------------------------- request builders */

/* Each sets every field of *req, zeroes the rest and copies the strings.
 * Required strings must not be NULL; optional ones (NULL or "") are left empty.
 * Returns EF_OK, or EF_EINVAL (NULL req or required string, a string that does
 * not fit its field with its NUL, or position_hash empty or longer than
 * EF_POSITION_HASH_MAX), leaving *req zeroed. They check sizes only: the
 * daemon rejects a bad combination (EF_REJECT_INVALID). */
EF_API int ef_order_init_om_buy(struct ef_order_request* req, uint64_t request_id,
                                const char* account, const char* position_hash, int64_t amount_e9,
                                int64_t shares_e9, int64_t max_price_e9,
                                const char* partner_id_or_null, int paper);
EF_API int ef_order_init_ct_new(struct ef_order_request* req, uint64_t request_id,
                                const char* account, const char* broker, uint32_t side,
                                uint32_t order_type, uint32_t tif, const char* instrument,
                                const char* symbol, int64_t qty_e9, int64_t notional_e9,
                                int64_t limit_price_e9, int64_t stop_price_e9);
EF_API int ef_order_init_ct_modify(struct ef_order_request* req, uint64_t request_id,
                                   const char* account, const char* broker, const char* order_id,
                                   int64_t qty_e9, int64_t notional_e9, int64_t limit_price_e9,
                                   int64_t stop_price_e9);
/* broker may be NULL: Connect Trade's DELETE needs only account and order_id. */
EF_API int ef_order_init_ct_cancel(struct ef_order_request* req, uint64_t request_id,
                                   const char* account, const char* broker_or_null,
                                   const char* order_id);

/* ---------------------------------------------------------------- names */

/* Stable snake_case words, as operators and `edgeorder --json` print them
 * ("filled", "risk", "max_order_notional"); "unknown_value" for a value
 * outside the enum (never NULL). Static strings. */
EF_API const char* ef_order_kind_name(uint32_t kind);
EF_API const char* ef_order_outcome_name(uint32_t outcome);
EF_API const char* ef_reject_source_name(uint32_t source);
EF_API const char* ef_risk_limit_name(uint32_t limit);

/* Connect Trade words as on the wire: "buy", "LMT", "DAY+". The parsers take
 * exactly those words (case-sensitive) and return the enum value, or 0 for
 * anything else (NULL included); the names return "" for a value outside
 * the enum. */
EF_API const char* ef_ct_side_name(uint32_t side);
EF_API uint32_t ef_ct_side_parse(const char* text);
EF_API const char* ef_ct_order_type_name(uint32_t order_type);
EF_API uint32_t ef_ct_order_type_parse(const char* text);
EF_API const char* ef_ct_tif_name(uint32_t tif);
EF_API uint32_t ef_ct_tif_parse(const char* text);

/* ------------------------------------------------------------- operator */

/* Sets the kill switch: halted 1 stops new orders, 0 lets them through again
 * (cancels are never stopped: they reduce risk). strategy NULL sets the
 * daemon-wide word (halt_all), else that strategy's. Takes effect for the next
 * order the loop takes off any ring. Returns EF_OK, EF_ENOENT (no region, or
 * no such strategy), EF_EINVAL, EF_EACCES and the other attach errors.
 * System calls: shm_open, fstat, mmap, munmap, close. */
EF_API int ef_orders_set_halt(const char* instance, const char* strategy_or_null, int halted);

/* Maps the region read-only to look at it (edgestat) without claiming a
 * slot. Same errors as ef_orders_attach but never EF_EBUSY. The handle is
 * only for ef_orders_info / ef_orders_slot_info; submit and poll answer
 * EF_EINVAL. Release it with ef_orders_detach. */
EF_API int ef_orders_open_view(const char* instance, ef_order_channel** out);

struct ef_orders_info {
    uint64_t epoch;
    int64_t heartbeat_mono_ns;
    int64_t heartbeat_age_ns; /* now - heartbeat_mono_ns on this host's monotonic clock */
    uint32_t layout_major;
    uint32_t layout_minor;
    uint32_t daemon_pid;
    uint32_t loop_state; /* 0 starting, 1 running, 2 stopping */
    uint32_t halt_all;
    uint32_t slot_count;
    uint32_t request_capacity;
    uint32_t response_capacity;
    uint32_t attached_slot; /* this handle's slot, EF_NONE for a view */
    uint32_t reserved;
    char instance[EF_INSTANCE_MAX];
};

struct ef_orders_slot_info {
    char name[EF_STRATEGY_NAME_MAX];
    uint32_t halted;
    uint32_t owner_pid; /* 0: no strategy attached */
    uint64_t attach_count;
    uint64_t requests_queued;         /* submitted, not yet taken by the order loop */
    uint64_t responses_queued;        /* written, not yet polled by the strategy */
    struct ef_order_slot_stats stats; /* relaxed copies, each a few microseconds old at most */
};

/* Fill *out (a snapshot). Return EF_OK, or EF_EINVAL (NULL, slot out of range). */
EF_API int ef_orders_info(const ef_order_channel* ch, struct ef_orders_info* out);
EF_API int ef_orders_slot_info(const ef_order_channel* ch, uint32_t slot,
                               struct ef_orders_slot_info* out);

#ifdef __cplusplus
}
#endif

#endif /* EDGEFEED_ORDER_CHANNEL_H */
