/*
 * The order channel: what a strategy process and the edgefeed daemon exchange
 * through shared memory to place orders at the venues. One object per daemon
 * instance, /edgefeed.<instance>.orders, created by the daemon, mapped
 * read-write by strategies (they write requests) and by edgestat (kill switch).
 *
 * Each configured strategy owns one slot: a request ring (the strategy is its
 * only producer, the daemon's order loop its only consumer) and a response
 * ring (the other way round). Submitting is a few stores into shared memory:
 * no system call, no lock. Plain C, fixed widths, no pointers, no bool.
 *
 * Concurrency rules:
 * - Rings: the producer writes the entry, then stores `tail` with release;
 *   the consumer loads `tail` with acquire, copies the entry, then stores
 *   `head` with release (frees the slot). head and tail only grow (uint64,
 *   never wrap in practice); entry i lives at index i & (capacity - 1).
 * - A slot is claimed by one strategy process at a time: attach stores the
 *   attacher's pid in `owner_pid` with compare-and-swap from 0 (or from the
 *   pid of a process that no longer exists), detach stores 0.
 * - Kill switch words (`halt_all`, per-slot `halted`) are written by edgestat
 *   and read by the order loop before every order, with relaxed atomics: a
 *   halt takes effect for the next order the loop takes off any ring.
 * - Counters in `ef_order_slot_stats` have one writer, the order loop.
 *
 * Every offset and size is pinned by a static assertion at the end.
 */
#ifndef EDGEFEED_ORDERS_H
#define EDGEFEED_ORDERS_H

#include "layout.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EF_ORDERS_MAGIC UINT64_C(0x31524452304646) /* "FF0RDR1" */
#define EF_ORDERS_LAYOUT_MAJOR 1u
#define EF_ORDERS_LAYOUT_MINOR 0u

#define EF_STRATEGY_NAME_MAX 32 /* bytes incl. NUL: [A-Za-z0-9_.-]{1,31} */
#define EF_ACCOUNT_MAX 64       /* OpenMarkets external_user_id, Connect Trade account_id */
#define EF_BROKER_MAX 32
#define EF_INSTRUMENT_MAX 16    /* Connect Trade instrument, e.g. "EQUITY" */
#define EF_SYMBOL_MAX 32
#define EF_CL_ORDER_ID_MAX 40   /* the daemon assigns it: unique per day, never reused */
#define EF_ORDER_ID_MAX 64      /* the venue's order id (Connect Trade order_id) */
#define EF_DECISION_ID_MAX 64   /* OpenMarkets sor_decision_id */
#define EF_REASON_MAX 128       /* reject or status text, NUL-terminated, may be cut */
#define EF_ORDER_FILLS_MAX 8    /* fills carried in one response; fills_total says all */

/* ------------------------------------------------------------ requests */

enum ef_order_kind {
    EF_ORDER_OM_BUY = 1,    /* OpenMarkets POST /flow/v1/auth/orders/buy, one leg */
    EF_ORDER_CT_NEW = 2,    /* Connect Trade POST /orders */
    EF_ORDER_CT_MODIFY = 3, /* Connect Trade PATCH /accounts/{account_id}/orders/{order_id} */
    EF_ORDER_CT_CANCEL = 4, /* Connect Trade DELETE /accounts/{account_id}/orders/{order_id} */
};

enum ef_order_flags {
    EF_ORDER_PAPER = 1u << 0, /* OpenMarkets "mode":"paper": a practice fill */
};

enum ef_ct_side { EF_SIDE_BUY = 1, EF_SIDE_SELL = 2 };
enum ef_ct_order_type { EF_TYPE_MKT = 1, EF_TYPE_LMT = 2, EF_TYPE_STP = 3, EF_TYPE_STPLMT = 4 };
enum ef_ct_tif {
    EF_TIF_DAY = 1, EF_TIF_GTC = 2, EF_TIF_IOC = 3, EF_TIF_FOK = 4,
    EF_TIF_OPEN = 5, EF_TIF_CLOSE = 6, EF_TIF_DAY_EXT = 7 /* "DAY+" */, EF_TIF_GTC_EXT = 8 /* "GTC+" */,
};

/* One order request. Strings are NUL-terminated; an empty string is "not
 * given". Amounts, quantities and prices are fixed point (EF_SCALE_E9); 0 is
 * "not given" for the optional ones. */
struct ef_order_request {
    uint64_t request_id; /* chosen by the strategy, echoed in every response; unique per slot */
    uint32_t kind;       /* enum ef_order_kind */
    uint32_t flags;      /* enum ef_order_flags */
    int64_t submit_mono_ns; /* CLOCK_MONOTONIC when submitted (ef_order_submit sets it) */
    char account[EF_ACCOUNT_MAX];

    /* OpenMarkets buy */
    uint32_t position_hash_len;
    char position_hash[EF_POSITION_HASH_MAX];
    int64_t amount_e9;    /* USD stake; exactly one of amount_e9 / shares_e9 is > 0 */
    int64_t shares_e9;
    int64_t max_price_e9; /* 0 < max_price <= 1 */
    char partner_id[EF_PARTNER_ID_MAX]; /* empty: the venue routes */

    /* Connect Trade new / modify / cancel */
    char broker[EF_BROKER_MAX];
    char instrument[EF_INSTRUMENT_MAX];
    char symbol[EF_SYMBOL_MAX];
    uint8_t side;       /* enum ef_ct_side */
    uint8_t order_type; /* enum ef_ct_order_type */
    uint8_t tif;        /* enum ef_ct_tif */
    uint8_t pad0[5];
    int64_t qty_e9;      /* exactly one of qty_e9 / notional_e9 is > 0 (new); either (modify) */
    int64_t notional_e9;
    int64_t limit_price_e9; /* LMT, STPLMT */
    int64_t stop_price_e9;  /* STP, STPLMT */
    char order_id[EF_ORDER_ID_MAX]; /* modify / cancel: the venue's order_id from the ack */
    uint8_t reserved[120]; /* to a whole number of cache lines: 576 bytes */
};

/* ----------------------------------------------------------- responses */

enum ef_order_outcome {
    EF_OUTCOME_ACCEPTED = 1, /* the venue took it and it is working (Connect Trade) */
    EF_OUTCOME_FILLED = 2,   /* wholly filled */
    EF_OUTCOME_PARTIAL = 3,  /* partly filled; the rest works (CT) or was not filled (OM) */
    EF_OUTCOME_UNFILLED = 4, /* OpenMarkets: nothing filled at or below max_price */
    EF_OUTCOME_REJECTED = 5, /* never executed: see reject_source / reject_code / reason */
    EF_OUTCOME_UNKNOWN = 6,  /* sent, but no answer (timeout, connection lost): may have executed */
    EF_OUTCOME_RECONCILED = 7, /* the venue's truth for an earlier UNKNOWN, found by query */
    EF_OUTCOME_CANCELLED = 8,
    EF_OUTCOME_MODIFIED = 9,   /* a modify was accepted: order_id names the new order */
};

enum ef_reject_source {
    EF_REJECT_NONE = 0,
    EF_REJECT_RISK = 1,   /* a pre-trade limit: reject_code is enum ef_risk_limit; nothing sent */
    EF_REJECT_INVALID = 2, /* the request is malformed (missing, both, out of range); nothing sent */
    EF_REJECT_VENUE = 3,  /* the venue refused: reject_code is the HTTP status, reason its text */
    EF_REJECT_DAEMON = 4, /* the daemon could not send it (no live connection, queue full,
                             order table full); nothing left the box */
};

enum ef_risk_limit {
    EF_RISK_HALT_ALL = 1,        /* kill switch, whole daemon */
    EF_RISK_HALT_STRATEGY = 2,   /* kill switch, this strategy */
    EF_RISK_ACCOUNT = 3,         /* the account is not one this strategy may trade */
    EF_RISK_PRICE_BOUNDS = 4,    /* OpenMarkets 0 < max_price <= 1; CT price <= max_price */
    EF_RISK_ORDER_SIZE = 5,      /* shares / qty above max_order_qty */
    EF_RISK_ORDER_NOTIONAL = 6,  /* amount / notional above max_order_notional */
    EF_RISK_OPEN_NOTIONAL = 7,   /* would take open notional above max_open_notional */
    EF_RISK_DAILY_NOTIONAL = 8,  /* would take the day's notional above max_daily_notional */
    EF_RISK_ORDER_RATE = 9,      /* more than max_orders_per_s in the last second */
    EF_RISK_FAT_FINGER = 10,     /* price further from the book's best than fat_finger_bps */
    EF_RISK_NO_REFERENCE = 11,   /* no fresh best price in the book to check against */
    EF_RISK_ACCOUNT_OPEN_NOTIONAL = 12,  /* the account's own limits, across strategies */
    EF_RISK_ACCOUNT_DAILY_NOTIONAL = 13,
};

struct ef_order_fill {
    int64_t qty_e9;
    int64_t price_e9;
    int64_t time_unix_ns;
};

struct ef_order_response {
    uint64_t request_id; /* the request's */
    uint32_t kind;       /* the request's enum ef_order_kind */
    uint32_t outcome;    /* enum ef_order_outcome */
    uint32_t reject_source; /* enum ef_reject_source */
    uint32_t reject_code;   /* enum ef_risk_limit, or the HTTP status for EF_REJECT_VENUE */
    int32_t http_status;    /* 0 if nothing came back */
    uint32_t final_;        /* 1: the last response for this request_id */
    char cl_order_id[EF_CL_ORDER_ID_MAX]; /* assigned by the daemon to every order sent */
    char order_id[EF_ORDER_ID_MAX];       /* Connect Trade order_id */
    char venue_status[24];  /* the venue's status word: "filled", "working", ... */
    char sor_decision_id[EF_DECISION_ID_MAX]; /* OpenMarkets */
    char partner_id[EF_PARTNER_ID_MAX];      /* OpenMarkets: where it filled */
    int64_t filled_qty_e9;      /* OM filled_shares, CT filled_qty */
    int64_t filled_notional_e9; /* OM filled_notional; CT: sum of fills */
    int64_t avg_price_e9;       /* OM avg_price, CT avg_fill_price */
    uint32_t fills_total;       /* fills the venue reported (may exceed EF_ORDER_FILLS_MAX) */
    uint32_t fills_count;       /* fills copied below */
    struct ef_order_fill fills[EF_ORDER_FILLS_MAX];
    int64_t submit_mono_ns;     /* the request's */
    int64_t sent_mono_ns;       /* its first byte handed to the kernel; 0 if never sent */
    int64_t done_mono_ns;       /* this response written */
    char reason[EF_REASON_MAX]; /* why rejected / unknown, or the venue's message */
    uint8_t reserved[72]; /* to a whole number of cache lines: 704 bytes */
};

/* ------------------------------------------------------------- region */

/* A ring of fixed-size entries: `capacity` (power of two) entries of the
 * slot's entry type follow the two counters. */
struct ef_order_ring {
    uint64_t head; /* consumer; release */
    uint8_t pad0[56];
    uint64_t tail; /* producer; release */
    uint8_t pad1[56];
};

struct ef_order_slot_stats {
    uint64_t submitted;   /* taken off the request ring */
    uint64_t sent;        /* handed to a venue connection */
    uint64_t accepted;
    uint64_t filled;      /* FILLED or PARTIAL outcomes */
    uint64_t rejected_risk;
    uint64_t rejected_invalid;
    uint64_t rejected_venue;
    uint64_t rejected_daemon;
    uint64_t unknown;
    uint64_t reconciled;
    uint64_t responses_deferred; /* the response ring was full: held, delivered later */
    int64_t open_notional_e9;
    int64_t daily_notional_e9;
    int64_t last_submit_to_send_ns;
    uint64_t reserved[2];
};

enum ef_order_slot_state { EF_SLOT_UNUSED = 0, EF_SLOT_CONFIGURED = 1 };

struct ef_order_slot {
    char name[EF_STRATEGY_NAME_MAX]; /* immutable */
    uint32_t state;     /* immutable: enum ef_order_slot_state */
    uint32_t halted;    /* kill switch for this strategy: 1 rejects new orders */
    uint32_t owner_pid; /* attached strategy process, 0 when none (CAS) */
    uint32_t pad0;
    uint64_t attach_count;
    uint8_t pad1[64 - 56];
    struct ef_order_slot_stats stats; /* written by the order loop only */
    struct ef_order_ring requests;    /* then request_capacity ef_order_request at off_requests */
    struct ef_order_ring responses;   /* then response_capacity ef_order_response at off_responses */
    uint64_t off_requests;  /* immutable: offsets from the start of the region */
    uint64_t off_responses;
    uint8_t pad2[64 - 16];
};

struct ef_orders_header {
    uint64_t magic;
    uint32_t layout_major; /* release, stored last at creation */
    uint32_t layout_minor;
    uint64_t epoch;        /* new random value at every daemon start */
    uint64_t region_bytes;
    uint32_t max_slots;
    uint32_t request_capacity;  /* entries per request ring, power of two */
    uint32_t response_capacity; /* entries per response ring, power of two */
    uint32_t pid;               /* the daemon */
    uint64_t off_slots;
    char instance[EF_INSTANCE_MAX];
    uint8_t pad0[128 - 104];

    uint32_t halt_all;  /* kill switch for every strategy: 1 rejects new orders */
    uint32_t loop_state; /* 0 starting, 1 running (venue connections warm), 2 stopping */
    int64_t heartbeat_mono_ns;
    uint8_t pad1[64 - 16];
};

#if defined(__cplusplus)
#define EF_ORDERS_ASSERT_(c, m) static_assert(c, m)
#else
#define EF_ORDERS_ASSERT_(c, m) _Static_assert(c, m)
#endif
EF_ORDERS_ASSERT_(sizeof(struct ef_orders_header) == 192, "orders header");
EF_ORDERS_ASSERT_(sizeof(struct ef_order_ring) == 128, "ring counters on their own lines");
EF_ORDERS_ASSERT_(sizeof(struct ef_order_request) == 576, "request entries on whole lines");
EF_ORDERS_ASSERT_(sizeof(struct ef_order_response) == 704, "response entries on whole lines");
EF_ORDERS_ASSERT_(sizeof(struct ef_order_slot) % 64 == 0, "slots on whole lines");

#ifdef __cplusplus
}
#endif

#endif /* EDGEFEED_ORDERS_H */
