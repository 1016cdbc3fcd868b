/*
 * The shared-memory layout one edgefeed daemon publishes per instance: books
 * (contests, partners, positions and their per-partner levels), a hash index,
 * update journals and the stats that edgestat reads. The daemon creates and
 * writes it; consumers map it read-only. Plain C so any language can read it:
 * fixed widths, offsets not pointers, no bool, explicit padding.
 *
 * Concurrency rules, once for the whole file:
 * - Every record that changes after creation starts with a `seq` (seqlock). The
 *   one writer of that record makes seq odd, writes the fields with relaxed
 *   atomic stores, then stores seq even with release. A reader loads seq with
 *   acquire, copies the fields with relaxed atomic loads, issues an acquire
 *   fence, and re-reads seq; an odd or changed seq means "copy again"
 *   (Boehm, HPL-2012-68). ef_book_read_position() does this for you.
 * - Fields marked "immutable" are written once before the record is published
 *   (by a release store of a count, an index slot or layout_major) and never
 *   change while this region lives.
 * - Counters in the stats section have exactly one writer and are read with
 *   relaxed loads; a value may be a few microseconds old, never torn.
 *
 * Every byte offset and size below is pinned by a static assertion at the end.
 */
#ifndef EDGEFEED_LAYOUT_H
#define EDGEFEED_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EF_REGION_MAGIC UINT64_C(0x314b4f4f42464645) /* "EFFBOOK1" */
/* A reader refuses a region whose major differs from the one it was built
 * with; minor versions only add fields in reserved space or new sections.
 * Major 2: the stats records changed size and order (REST counters, the
 * rest_round_trip stage), so a major-1 reader would misplace them.
 * Major 3: two order stages; the order loop takes the last loop slot. */
#define EF_LAYOUT_MAJOR 3u
#define EF_LAYOUT_MINOR 0u

/* Fixed point: every price and size is an integer count of 1e-9 units, parsed
 * exactly from the decimal text on the wire (never via a binary float). */
#define EF_SCALE_E9 INT64_C(1000000000)
#define EF_NONE UINT32_MAX

#define EF_INSTANCE_MAX 48       /* bytes incl. NUL */
#define EF_CONTEST_ID_MAX 48     /* bytes incl. NUL */
#define EF_PARTNER_ID_MAX 32     /* bytes incl. NUL */
#define EF_PARTNER_NAME_MAX 64   /* bytes incl. NUL */
#define EF_POSITION_HASH_MAX 124 /* bytes, no NUL needed: hash_len says */
#define EF_LAST_ERROR_MAX 112    /* bytes incl. NUL */

/* ---------------------------------------------------------------- header */

enum ef_daemon_state {
    EF_DAEMON_STARTING = 0,
    EF_DAEMON_RUNNING = 1,
    EF_DAEMON_STOPPING = 2,
    EF_DAEMON_STOPPED = 3,
};

struct ef_region_header {
    /* block 0: immutable; layout_major is stored last, with release */
    uint64_t magic;
    uint32_t layout_major; /* release; pairs with the acquire in ef_book_open() */
    uint32_t layout_minor;
    uint64_t epoch;         /* new random value at every daemon start */
    uint64_t region_bytes;  /* size of the whole mapping */
    int64_t created_unix_ns;
    uint32_t max_contests;
    uint32_t max_partners;
    uint32_t max_positions;
    uint32_t levels_per_position; /* partner slots in each position */
    uint32_t position_stride;     /* bytes from one position record to the next */
    uint32_t index_slots;         /* power of two */
    uint32_t journal_shards;      /* one per daemon loop: one writer each */
    uint32_t journal_capacity;    /* entries per shard, power of two */
    uint32_t max_loops;
    uint32_t max_connections;
    uint64_t off_contests;        /* byte offsets from the start of the region */
    uint64_t off_partners;
    uint64_t off_positions;
    uint64_t off_index;
    uint64_t off_journals;
    uint64_t journal_shard_stride;
    uint64_t off_stats;
    uint64_t off_states;          /* one ef_contest_state per contest slot (same index) */
    uint64_t off_depth;           /* max_depth records of depth_stride bytes */
    uint32_t max_depth;           /* positions whose full depth is kept */
    uint32_t depth_partners;      /* partner slots per depth record */
    uint32_t depth_levels;        /* price levels per partner slot */
    uint32_t depth_stride;
    uint64_t reserved0[3];
    char instance[EF_INSTANCE_MAX];
    uint8_t pad0[256 - 240];

    /* block 1: written by the daemon while it runs */
    int64_t heartbeat_mono_ns;  /* CLOCK_MONOTONIC, refreshed about every 10 ms */
    uint32_t daemon_state;      /* enum ef_daemon_state */
    uint32_t pid;
    uint8_t pad1[128 - 16];

    /* block 2: claim counters; loops bump them with atomic fetch_add */
    uint32_t contests_used; /* release; a slot below this count has its id written */
    uint32_t partners_used; /* release; likewise for partner ids */
    uint32_t positions_used; /* claims, not publication: see ef_index slots */
    uint32_t depth_used;    /* release; a depth record below this count has its hash written */
    uint8_t pad2[128 - 16];
};

/* -------------------------------------------------------------- contests */

enum ef_contest_flags {
    EF_CONTEST_STALE = 1u << 0,      /* the book may differ from the venue: do not trust it */
    EF_CONTEST_SUBSCRIBED = 1u << 1, /* a live connection streams it */
    EF_CONTEST_CLOSED = 1u << 2,     /* the venue closed it; kept for readers */
};

struct ef_contest {
    uint64_t seq;             /* seqlock over everything below except id */
    uint32_t flags;           /* enum ef_contest_flags */
    uint32_t connection;      /* stats index of the connection serving it, or EF_NONE */
    int64_t last_sync_unix_ns; /* when the book last matched a venue snapshot; 0 = never */
    int64_t last_update_venue_ns; /* venue timestamp of the newest applied update */
    uint64_t entries_applied;
    uint32_t positions;       /* positions created for this contest */
    uint32_t stale_reason;    /* enum ef_stale_reason, meaningful while STALE */
    uint32_t resyncs;         /* snapshots applied (first sync included) */
    uint32_t held_updates;    /* updates held while the last snapshot was in flight */
    int64_t snapshot_venue_ns; /* meta.timestamp of the last applied snapshot */
    char id[EF_CONTEST_ID_MAX]; /* immutable */
    int64_t status_since_mono_ns; /* CLOCK_MONOTONIC when flags or stale_reason last changed */
    uint8_t pad1[128 - 72 - EF_CONTEST_ID_MAX];
};

enum ef_stale_reason {
    EF_STALE_NONE = 0,
    EF_STALE_NOT_SUBSCRIBED = 1, /* not yet subscribed, or its connection is down */
    EF_STALE_AWAITING_SNAPSHOT = 2,
    EF_STALE_REFRESH_REQUIRED = 3, /* venue said refresh_required */
    EF_STALE_UPDATE_LOST = 4,      /* we could not apply an update (capacity, bad entry) */
    EF_STALE_CLOSED = 5,
    EF_STALE_SNAPSHOT_FAILED = 6,  /* the REST snapshot failed; retrying with backoff */
};

/* -------------------------------------------------------------- partners */

struct ef_partner {
    uint64_t seq;    /* seqlock over status and name */
    uint32_t status; /* 0 unknown, 1 active, 2 inactive (from GET /partners) */
    uint32_t reserved;
    char id[EF_PARTNER_ID_MAX]; /* immutable; the liquidity id ("kalshi", catalog id minus "p_") */
    char name[EF_PARTNER_NAME_MAX];
    uint8_t pad[128 - 16 - EF_PARTNER_ID_MAX - EF_PARTNER_NAME_MAX];
};

/* --------------------------------------------------------- contest state */

enum ef_game_status {
    EF_GAME_UNKNOWN = 0,     /* no state received (yet) */
    EF_GAME_SCHEDULED = 1,
    EF_GAME_IN_PROGRESS = 2,
    EF_GAME_FINAL = 3,
    EF_GAME_POSTPONED = 4,
    EF_GAME_CANCELLED = 5,
    EF_GAME_OTHER = 6,       /* a value we do not know: see game_status_text */
};

enum ef_state_flags {
    EF_STATE_PRESENT = 1u << 0,       /* the venue has state for this contest */
    EF_STATE_HAS_CLOCK = 1u << 1,
    EF_STATE_CLOCK_RUNNING = 1u << 2,
    EF_STATE_HAS_PERIOD = 1u << 3,
    EF_STATE_HAS_SCORES = 1u << 4,    /* score_home / score_away are set */
    EF_STATE_HAS_WINNER = 1u << 5,
};

/* Live game state of one contest (REST /contests/:id/state, the batch call,
 * and the stream's contest_state channel), at the contest's table index. */
struct ef_contest_state {
    uint64_t seq;              /* seqlock over the whole record */
    uint32_t flags;            /* enum ef_state_flags */
    uint32_t game_status;      /* enum ef_game_status */
    int32_t clock_remaining_s;
    int32_t period_number;
    int64_t score_home;
    int64_t score_away;
    int64_t refreshed_unix_ns; /* the venue's refreshed_at or update timestamp */
    int64_t updated_mono_ns;   /* when the daemon wrote it */
    uint64_t updates;
    char game_status_text[24]; /* as sent, e.g. "in_progress" */
    char contest_result[24];   /* e.g. "pending" */
    char clock_display[16];    /* e.g. "7:42" */
    char period_label[32];     /* e.g. "3rd Quarter" */
    char period_type[16];      /* e.g. "quarter" */
    char winner_participant_id[48];
    uint8_t pad[256 - 224];
};

/* ----------------------------------------------------------------- depth */

/* Full per-partner order-book depth for selected positions
 * (GET /depth/:position_hash). A record is depth_stride bytes: this header,
 * then depth_partners slots, each an ef_depth_partner followed by
 * depth_levels ef_depth_level. Records are claimed in index order; the
 * header's depth_used publishes each one's hash. */
struct ef_depth_level {
    int64_t price_e9;
    int64_t available_e9;
};

struct ef_depth_partner {
    uint32_t partner;          /* partner index; EF_NONE = empty slot */
    uint32_t level_count;      /* levels[0 .. level_count) are used, best first */
    int64_t best_price_e9;
    int64_t total_available_e9;
    int64_t fetched_unix_ns;
    /* struct ef_depth_level levels[depth_levels] follows */
};

enum ef_depth_status {
    EF_DEPTH_NEVER = 0,        /* not fetched yet */
    EF_DEPTH_OK = 1,
    EF_DEPTH_FAILED = 2,       /* the last refresh failed: the data is the previous one */
};

struct ef_depth {
    uint64_t seq;              /* seqlock over the record, partners and levels */
    uint32_t position;         /* book index of the position, or EF_NONE */
    uint32_t partner_count;
    int64_t fetched_unix_ns;   /* the response's fetched_at */
    int64_t updated_mono_ns;
    uint64_t refreshes;
    uint32_t status;           /* enum ef_depth_status */
    uint32_t hash_len;         /* immutable */
    char hash[EF_POSITION_HASH_MAX]; /* immutable position_hash */
    uint8_t pad[192 - 48 - EF_POSITION_HASH_MAX];
};
#define EF_DEPTH_PARTNERS_OFFSET 192u

/* ------------------------------------------------------------- positions */

/* One partner's offer at a position. A slot with partner == EF_NONE is empty;
 * used slots are kept first (level_count of them). */
struct ef_level {
    uint32_t partner; /* index into the partner table */
    uint32_t reserved;
    int64_t price_e9;
    int64_t available_e9; /* > 0 while the slot is used */
    int64_t venue_ns;     /* venue timestamp of this partner's last change */
};

/* A position record is position_stride bytes: this fixed part, then
 * levels_per_position struct ef_level starting at EF_POSITION_LEVELS_OFFSET. */
struct ef_position {
    uint64_t seq;            /* seqlock over this first block and the levels */
    uint32_t contest;        /* immutable: index into the contest table */
    uint32_t level_count;
    int64_t best_price_e9;   /* lowest price with available > 0; valid if best_partner != EF_NONE */
    int64_t best_available_e9;
    uint32_t best_partner;   /* EF_NONE when no partner has anything */
    uint32_t flags;          /* reserved */
    int64_t venue_ns;        /* newest venue timestamp applied */
    int64_t publish_mono_ns; /* CLOCK_MONOTONIC when the writer published it */
    uint64_t updates;        /* entries applied to this position */

    uint32_t hash_len;       /* immutable */
    char hash[EF_POSITION_HASH_MAX]; /* immutable position_hash, not NUL-terminated when full */
};
#define EF_POSITION_LEVELS_OFFSET 192u

/* ----------------------------------------------------------------- index */

/* Open-addressing table of index_slots uint64_t: 0 = empty, otherwise
 * (tag << 32) | (position + 1) where tag = hash >> 32 and the probe starts at
 * hash & (index_slots - 1), stepping by one. Slots only ever go from empty to
 * full (positions are never deleted while the region lives), so a reader that
 * meets an empty slot may stop. Slots are written with a release CAS after the
 * position record is complete; pairs with the acquire load in ef_book_find(). */
static inline uint64_t ef_hash64(const char* s, size_t n) {
    /* 8 bytes a step, multiply-rotate, murmur3's fmix64 to finish: cheap on
     * 40-120 byte position hashes and well spread for open addressing. */
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* The same little-endian word as the loop below, in one load: the
         * byte loop is not merged by GCC and costs ~3x on 40-byte hashes. */
        __builtin_memcpy(&w, s + i, 8);
#else
        for (int b = 0; b < 8; ++b) w |= (uint64_t)(uint8_t)s[i + b] << (8 * b);
#endif
        w *= UINT64_C(0x87C37B91114253D5);
        w = (w << 31) | (w >> 33);
        h ^= w;
        h = ((h << 27) | (h >> 37)) * 5 + 0x52DCE729;
    }
    uint64_t t = 0;
    for (int b = 0; i + (size_t)b < n; ++b) t |= (uint64_t)(uint8_t)s[i + b] << (8 * b);
    h ^= t * UINT64_C(0x4CF5AD432745937F);
    h ^= h >> 33;
    h *= UINT64_C(0xFF51AFD7ED558CCD);
    h ^= h >> 33;
    h *= UINT64_C(0xC4CEB9FE1A85EC53);
    h ^= h >> 33;
    return h;
}

/* --------------------------------------------------------------- journal */

/* Each daemon loop appends one entry per position change to its own shard.
 * Writer: tail_intent = s + 1 (relaxed), release fence, write the entry,
 * tail = s + 1 (release). Reader: entry for sequence s lives at
 * entries[s & (capacity - 1)]; copy it, acquire fence, then if
 * tail_intent > s + capacity it was overwritten while copied (lapped). */
struct ef_journal_entry {
    uint64_t seq;            /* 0-based sequence within the shard */
    uint32_t position;
    uint32_t contest;
    int64_t publish_mono_ns;
    int64_t venue_ns;
};

struct ef_journal_shard {
    uint64_t tail_intent;    /* written first: the sequence about to be overwritten + 1 */
    uint64_t tail;           /* release: entries [0, tail) are published */
    uint8_t pad[128 - 16];
    /* struct ef_journal_entry entries[journal_capacity] follows */
};

/* ----------------------------------------------------------------- stats */

/* Latency histogram of nanoseconds: 8 linear buckets, then 8 sub-buckets per
 * power of two (12.5% wide). ef_hist_bucket() is the one bucket function. */
#define EF_HIST_BUCKETS 496
static inline uint32_t ef_hist_bucket(uint64_t v) {
    if (v < 8) return (uint32_t)v;
    uint32_t e = 63u - (uint32_t)__builtin_clzll(v);
    return 8u * (e - 2u) + (uint32_t)((v >> (e - 3u)) & 7u);
}
/* Lowest value that lands in bucket b (for percentiles). */
static inline uint64_t ef_hist_bucket_floor(uint32_t b) {
    if (b < 8) return b;
    uint32_t e = b / 8u + 2u;
    return ((uint64_t)(8u + (b & 7u))) << (e - 3u);
}

struct ef_histogram {
    uint64_t count;
    uint64_t sum_ns;
    uint64_t max_ns;
    uint64_t reserved;
    uint64_t buckets[EF_HIST_BUCKETS];
};

/* Latency stages, each measured per message on the loop that handled it. */
#define EF_STAGES(X)                                                              \
    X(recv_to_decrypted, "receive -> decrypted")                                  \
    X(decrypted_to_parsed, "decrypted -> parsed")                                 \
    X(parsed_to_published, "parsed -> published")                                 \
    X(venue_to_published, "venue timestamp -> published")                       \
    X(rest_round_trip, "REST request -> response")                               \
    X(order_submit_to_sent, "order submit -> first byte to kernel")              \
    X(order_round_trip, "order sent -> venue answer")
enum ef_stage {
#define EF_X(name, text) EF_STAGE_##name,
    EF_STAGES(EF_X)
#undef EF_X
    EF_STAGE_COUNT
};

/* Every kind of error a connection counts. The names are what edgestat shows. */
#define EF_ERRORS(X)                                                             \
    X(connect_failed)          /* TCP connect refused / timed out */            \
    X(tls_handshake_failed)                                                      \
    X(tls_verify_failed)       /* certificate or host name */                   \
    X(tls_read_failed)                                                           \
    X(http_upgrade_rejected)   /* non-101 answer, e.g. 401 or 429 */            \
    X(http_malformed)                                                            \
    X(ws_protocol_violation)   /* closed with 1002 */                           \
    X(ws_invalid_utf8)         /* closed with 1007 */                           \
    X(ws_message_too_big)      /* closed with 1009 */                           \
    X(ws_closed_by_venue)                                                        \
    X(json_malformed)                                                            \
    X(json_missing_field)                                                        \
    X(number_out_of_range)     /* not exact in 1e-9 units, or too large */      \
    X(unknown_message_type)                                                      \
    X(venue_error)             /* {"type":"error",...} */                       \
    X(book_positions_full)                                                       \
    X(book_levels_full)                                                          \
    X(book_partners_full)                                                        \
    X(book_contests_full)                                                        \
    X(entry_rejected)          /* entry for an unknown contest or bad hash */   \
    X(send_buffer_full)                                                          \
    X(recv_buffers_exhausted)  /* provided buffer ring ran dry (ENOBUFS) */     \
    X(heartbeat_timeout)                                                         \
    X(socket_error)                                                              \
    X(rest_status)             /* a REST answer with an error status */         \
    X(rest_timeout)                                                              \
    X(snapshot_failed)         /* a snapshot could not be fetched or applied */ \
    X(depth_full)              /* depth record has no room for a partner/level */ \
    X(state_rejected)          /* a contest state we could not read */          \
    X(hold_full)               /* held updates dropped: contests re-snapshotted */
enum ef_error_kind {
#define EF_X(name) EF_ERR_##name,
    EF_ERRORS(EF_X)
#undef EF_X
    EF_ERR_COUNT
};

#define EF_CONN_STATES(X)                                                       \
    X(idle) X(connecting) X(tls_handshake) X(ws_upgrade) X(subscribing) X(live) \
    X(closing) X(backoff) X(stopped)
enum ef_conn_state {
#define EF_X(name) EF_CONN_##name,
    EF_CONN_STATES(EF_X)
#undef EF_X
    EF_CONN_STATE_COUNT
};

enum ef_tls_crypto {
    EF_TLS_CRYPTO_UNKNOWN = 0,
    EF_TLS_CRYPTO_AESNI = 1, /* wolfSSL built from source with AES-NI + Intel asm */
    EF_TLS_CRYPTO_SLOW = 2,  /* system wolfSSL without AES-NI: ~30x slower AES-GCM */
};

struct ef_process_stats {
    uint32_t pid;
    uint32_t tls_crypto;       /* enum ef_tls_crypto */
    int64_t started_unix_ns;
    int64_t ready_unix_ns;     /* 0 until every loop finished start-up */
    uint64_t allocs_since_ready;      /* heap allocations in the whole process */
    uint64_t alloc_bytes_since_ready;
    uint64_t allocs_total;
    uint32_t loops;            /* loops in use */
    uint32_t connections;      /* connections in use */
    char tls_library[32];      /* e.g. "wolfSSL 5.5.4" */
    uint64_t tls_pool_fallbacks; /* wolfSSL allocations the loops' pools could not serve */
    uint64_t tls_pool_exhausted; /* of those: a pool was full (capacity.tls_pool_bytes) */
    uint8_t pad[128 - 104];
};

struct ef_loop_stats {
    uint32_t core;           /* CPU it is pinned to */
    uint32_t tid;
    uint32_t idle_strategy;  /* 0 spin, 1 spin-then-sleep, 2 sleep */
    uint32_t connections;
    uint64_t busy_ns;        /* iterations that had work: the kernel entry that delivered
                                completions (receive copies run there) plus our handlers */
    uint64_t idle_ns;        /* time spent polling or asleep with nothing to do */
    uint64_t handle_ns;      /* of busy_ns, the time in our handlers alone (user space) */
    uint64_t iterations;
    uint64_t completions;
    uint64_t messages;       /* application messages handled */
    uint64_t entries;        /* book entries applied */
    uint64_t journal_appends;
    uint64_t recv_buffers_exhausted;
    uint8_t pad[128 - 88];
    struct ef_histogram stages[EF_STAGE_COUNT];
};

struct ef_conn_stats {
    uint32_t state;          /* enum ef_conn_state */
    uint32_t loop;
    uint32_t contests;       /* contests assigned */
    uint32_t in_use;         /* 1 when this slot is a configured connection */
    uint64_t bytes_in;       /* TLS ciphertext received */
    uint64_t bytes_out;
    uint64_t tls_records_in;
    uint64_t ws_frames_in;
    uint64_t ws_messages_in;
    uint64_t json_messages;  /* messages parsed as venue JSON */
    uint64_t updates;        /* liquidity.update messages applied */
    uint64_t entries_applied;
    uint64_t reconnects;
    uint64_t pings_answered;
    uint64_t requests;        /* REST connections: requests sent */
    uint64_t responses;       /* REST connections: responses received (any status) */
    uint64_t timeouts;        /* REST connections: requests that got no answer in time */
    uint64_t tls_handshakes;  /* completed handshakes */
    uint64_t tls_resumed;     /* of which resumed a saved session (no full handshake) */
    int64_t connected_since_unix_ns; /* 0 while not live */
    int64_t last_rx_mono_ns;
    uint64_t errors[EF_ERR_COUNT];
    uint64_t error_seq;      /* seqlock over last_error and last_error_unix_ns */
    int64_t last_error_unix_ns;
    char last_error[EF_LAST_ERROR_MAX];
    char name[32];           /* e.g. "openmarkets#0" */
};

/* Records in the stats section are laid out at whole-cache-line strides. */
#define EF_STRIDE64(type) ((sizeof(type) + 63u) & ~(size_t)63u)

struct ef_stats_section {
    struct ef_process_stats process;
    /* loops[max_loops] follow at EF_STRIDE64(struct ef_loop_stats), then
     * conns[max_connections] at EF_STRIDE64(struct ef_conn_stats) */
};

/* ------------------------------------------------------------ pinned ABI */
#define EF_LAYOUT_ASSERT_(cond, msg) _Static_assert(cond, msg)
#ifdef __cplusplus
#undef EF_LAYOUT_ASSERT_
#define EF_LAYOUT_ASSERT_(cond, msg) static_assert(cond, msg)
#endif
EF_LAYOUT_ASSERT_(sizeof(struct ef_region_header) == 512, "header: 256 + 2 writer blocks");
EF_LAYOUT_ASSERT_(offsetof(struct ef_region_header, layout_major) == 8, "ABI: layout_major offset");
EF_LAYOUT_ASSERT_(offsetof(struct ef_region_header, instance) == 192, "ABI: instance offset");
EF_LAYOUT_ASSERT_(offsetof(struct ef_region_header, heartbeat_mono_ns) == 256, "writer block 1");
EF_LAYOUT_ASSERT_(offsetof(struct ef_region_header, contests_used) == 384, "writer block 2");
EF_LAYOUT_ASSERT_(sizeof(struct ef_contest) == 128, "contest record: two cache lines");
EF_LAYOUT_ASSERT_(offsetof(struct ef_contest, id) == 64, "ABI: contest id offset");
EF_LAYOUT_ASSERT_(offsetof(struct ef_contest, status_since_mono_ns) == 112, "after the id");
EF_LAYOUT_ASSERT_(sizeof(struct ef_partner) == 128, "partner record: two cache lines");
EF_LAYOUT_ASSERT_(sizeof(struct ef_level) == 32, "level: 32 bytes");
EF_LAYOUT_ASSERT_(offsetof(struct ef_position, hash_len) == 64, "ABI: hash after first line");
EF_LAYOUT_ASSERT_(sizeof(struct ef_position) == EF_POSITION_LEVELS_OFFSET, "levels follow");
EF_LAYOUT_ASSERT_(sizeof(struct ef_journal_entry) == 32, "journal entry: 32 bytes");
EF_LAYOUT_ASSERT_(sizeof(struct ef_contest_state) == 256, "contest state: four cache lines");
EF_LAYOUT_ASSERT_(sizeof(struct ef_depth) == EF_DEPTH_PARTNERS_OFFSET, "depth partners follow");
EF_LAYOUT_ASSERT_(sizeof(struct ef_depth_partner) == 32, "depth partner: 32 bytes");
EF_LAYOUT_ASSERT_(sizeof(struct ef_depth_level) == 16, "depth level: 16 bytes");
EF_LAYOUT_ASSERT_(offsetof(struct ef_region_header, instance) == 192, "ABI: instance offset (2)");
EF_LAYOUT_ASSERT_(sizeof(struct ef_journal_shard) == 128, "journal writer block");
EF_LAYOUT_ASSERT_(sizeof(struct ef_histogram) == 8 * (4 + EF_HIST_BUCKETS), "histogram");
EF_LAYOUT_ASSERT_(sizeof(struct ef_process_stats) == 128, "process stats block");
EF_LAYOUT_ASSERT_(sizeof(struct ef_loop_stats) % 8 == 0, "loop stats: 8-byte words (stride rounds to lines)");
EF_LAYOUT_ASSERT_(sizeof(struct ef_conn_stats) % 8 == 0, "conn stats: 8-byte words");

#ifdef __cplusplus
}
#endif

#endif /* EDGEFEED_LAYOUT_H */
