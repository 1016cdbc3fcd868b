/*
 * edgefeed consumer C ABI: attach read-only to the books an edgefeed daemon
 * publishes in shared memory, read positions, contests, partners, live
 * contest states and full depth as consistent copies, and follow the update
 * journal. Used by strategy
 * processes (any language with a C FFI), by edgestat and by the example
 * consumer in tools/example_consumer/. libedgefeed links nothing but libc.
 *
 * Threads: an ef_book is immutable after ef_book_open() and may be shared by
 * any number of threads; every read function is safe to call concurrently.
 * An ef_cursor belongs to one thread at a time (the caller owns it).
 * Nothing here blocks, allocates or makes a system call except ef_book_open*,
 * ef_book_close and ef_book_is_current, which say so.
 *
 * Errors: functions return EF_OK (0) or a small positive count on success and
 * a negative EF_E* code on failure; ef_strerror() names a code and
 * ef_book_last_error() gives the text of the calling thread's last failure of
 * ef_book_open* (with the instance, errno text or both version numbers).
 *
 * Layout and concurrency rules of the mapped region: edgefeed/layout.h.
 */
#ifndef EDGEFEED_H
#define EDGEFEED_H

#include "layout.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define EF_API __attribute__((visibility("default")))
#else
#define EF_API
#endif

/* ------------------------------------------------------------ error codes */

#define EF_OK 0
#define EF_ENOENT (-1)      /* no such instance, position, contest, partner, state or depth */
#define EF_EAGAIN (-2)      /* the daemon is still creating the region: try again */
#define EF_EBADMAGIC (-3)   /* the object is not an edgefeed region */
#define EF_EBADVERSION (-4) /* the region's layout major differs from this library's */
#define EF_ECORRUPT (-5)    /* header sizes or offsets do not fit the mapping */
#define EF_EUNSUPPORTED (-6) /* a capacity beyond this library's fixed-size views */
#define EF_EINVAL (-7)      /* bad argument: NULL, out of range, bad instance name */
#define EF_EBUSY (-8)       /* a record stayed mid-write for the whole bounded retry */
#define EF_LAPPED (-9)      /* the journal overwrote entries this cursor had not read */
#define EF_ESTALE (-10)     /* the cursor was initialised on another region (epoch) */
#define EF_EACCES (-11)     /* permission denied opening the shared-memory object */
#define EF_ESYS (-12)       /* another system error: see ef_book_last_error() */
#define EF_ENOMEM (-13)

/* Static text for a code above ("EF_ENOENT: no such ..."); never NULL. */
EF_API const char* ef_strerror(int code);

/* Text of the calling thread's last ef_book_open* failure, "" if none. Lives
 * in thread-local storage until this thread's next ef_book_open* call. */
EF_API const char* ef_book_last_error(void);

/* ------------------------------------------------------------ attach */

typedef struct ef_book ef_book; /* opaque */

/* Bounds of this library's copies. A region with more levels per position,
 * more journal shards, or more partners or levels per depth record is refused
 * with EF_EUNSUPPORTED. */
#define EF_VIEW_MAX_LEVELS 32u
#define EF_CURSOR_MAX_SHARDS 64u
#define EF_VIEW_MAX_DEPTH_PARTNERS 16u
#define EF_VIEW_MAX_DEPTH_LEVELS 32u
/* Attempts a seqlock read makes before giving up with EF_EBUSY (a writer
 * preempted or dead mid-write); each attempt is a few nanoseconds plus a pause. */
#define EF_READ_MAX_TRIES 4096u
/* ef_book_is_current() calls a heartbeat older than this stale; the daemon
 * refreshes it about every 10 ms. */
#define EF_HEARTBEAT_STALE_NS INT64_C(1000000000)

/* Maps /dev/shm/edgefeed.<instance> read-only. instance NULL means the
 * environment's EDGEFEED_INSTANCE, else "default" (as every edgefeed tool);
 * names are 1-47 of [A-Za-z0-9_.-]. Does not wait.
 * Returns EF_OK and sets *out, which the caller owns and must pass to
 * ef_book_close(); or EF_ENOENT (no daemon has created it), EF_EAGAIN (the
 * daemon is between creating the object and publishing layout_major),
 * EF_EBADMAGIC, EF_EBADVERSION (the message names both versions), EF_ECORRUPT,
 * EF_EUNSUPPORTED, EF_EINVAL, EF_EACCES, EF_ESYS or EF_ENOMEM, leaving *out
 * NULL. System calls: shm_open, fstat, mmap, close. */
EF_API int ef_book_open(const char* instance, ef_book** out);

/* Like ef_book_open(), retrying every 10 ms for up to timeout_ms while the
 * answer is EF_ENOENT or EF_EAGAIN (the daemon is not up yet) or
 * EF_EBADVERSION (a region left by an older daemon, which a starting one
 * replaces). Returns the last code when time runs out. Sleeps: never call it from a hot loop. */
EF_API int ef_book_open_wait(const char* instance, int64_t timeout_ms, ef_book** out);

/* Unmaps and frees. Every pointer obtained from this book (ef_book_stats,
 * ef_book_region) dies with it. NULL is ignored. */
EF_API void ef_book_close(ef_book* book);

/* A struct tag, not a typedef: the function below has the same name. */
struct ef_book_info {
    uint64_t epoch; /* random per daemon start: a new value means re-attach */
    uint64_t region_bytes;
    int64_t created_unix_ns;
    int64_t heartbeat_mono_ns; /* CLOCK_MONOTONIC of the daemon's last heartbeat */
    int64_t heartbeat_age_ns;  /* now - heartbeat_mono_ns, on this host's monotonic clock */
    uint32_t layout_major;
    uint32_t layout_minor;
    uint32_t daemon_pid;
    uint32_t daemon_state; /* enum ef_daemon_state */
    uint32_t max_contests;
    uint32_t max_partners;
    uint32_t max_positions;
    uint32_t levels_per_position;
    uint32_t index_slots;
    uint32_t journal_shards;
    uint32_t journal_capacity;
    uint32_t max_loops;
    uint32_t max_connections;
    uint32_t contests_used;
    uint32_t partners_used;
    uint32_t positions_used; /* claimed records; a few may not be created yet */
    uint32_t max_depth;
    uint32_t depth_partners;
    uint32_t depth_levels;
    uint32_t depth_used;
    char instance[EF_INSTANCE_MAX];
};

/* Fills *out (a snapshot: counts and heartbeat move on). Returns EF_OK or
 * EF_EINVAL (NULL argument). */
EF_API int ef_book_info(const ef_book* book, struct ef_book_info* out);

/* 1 when this mapping is still what a new consumer would attach to: the name
 * refers to the same object (device and inode), the daemon is not stopping or
 * stopped and its heartbeat is younger than EF_HEARTBEAT_STALE_NS; 0 when the
 * caller should close it and attach again (ef_book_open_wait); EF_EINVAL on a
 * NULL book. Makes three system calls (shm_open, fstat, close): call it from
 * an idle path, e.g. once a second. */
EF_API int ef_book_is_current(const ef_book* book);

/* Counts published so far (acquire loads); they only grow while a region lives. */
EF_API uint32_t ef_book_contest_count(const ef_book* book);
EF_API uint32_t ef_book_partner_count(const ef_book* book);
/* Position records claimed; ef_book_read_position() on one that is claimed but
 * not yet created answers EF_ENOENT. */
EF_API uint32_t ef_book_position_count(const ef_book* book);

/* ------------------------------------------------------------ positions */

typedef struct ef_level ef_level;

/* A consistent copy of one position: every field comes from the same instant. */
typedef struct ef_position_view {
    uint64_t seq;             /* the record's seqlock value of this copy */
    uint32_t position;        /* index of the record */
    uint32_t contest;         /* index into the contest table */
    int64_t best_price_e9;    /* valid when best_partner != EF_NONE */
    int64_t best_available_e9;
    uint32_t best_partner;    /* EF_NONE when nobody offers anything */
    uint32_t level_count;     /* levels[0 .. level_count) are used */
    int64_t venue_ns;         /* newest venue timestamp applied (Unix ns) */
    int64_t publish_mono_ns;  /* CLOCK_MONOTONIC when the daemon published it */
    uint64_t updates;         /* entries applied to this position */
    uint32_t hash_len;
    char hash[EF_POSITION_HASH_MAX + 1]; /* position_hash, NUL-terminated */
    uint8_t pad[7];
    ef_level levels[EF_VIEW_MAX_LEVELS];
} ef_position_view;

/* The best offer only: a cheaper read (one cache line) for hot loops. */
typedef struct ef_best_view {
    uint64_t seq;
    uint32_t contest;
    uint32_t best_partner; /* EF_NONE when nobody offers anything */
    int64_t best_price_e9;
    int64_t best_available_e9;
    int64_t venue_ns;
    int64_t publish_mono_ns;
} ef_best_view;

/* Looks a position_hash up in the shared index (no locks, no allocation).
 * Returns EF_OK and sets *position, EF_ENOENT, or EF_EINVAL (len 0 or above
 * EF_POSITION_HASH_MAX, NULL argument). A position once found stays valid
 * while the book is open. */
EF_API int ef_book_find(const ef_book* book, const char* hash, size_t len, uint32_t* position);

/* Copies one position consistently (seqlock read with bounded retries).
 * Returns EF_OK, EF_EINVAL (position >= max_positions or NULL), EF_ENOENT
 * (record claimed but not created yet) or EF_EBUSY. */
EF_API int ef_book_read_position(const ef_book* book, uint32_t position, ef_position_view* out);
EF_API int ef_book_read_best(const ef_book* book, uint32_t position, ef_best_view* out);

/* -------------------------------------------------- contests and partners */

typedef struct ef_contest_view {
    uint32_t contest;  /* index */
    uint32_t flags;    /* enum ef_contest_flags; EF_CONTEST_STALE: do not trust the book */
    uint32_t stale_reason; /* enum ef_stale_reason */
    uint32_t connection;   /* stats index of the serving connection or EF_NONE */
    int64_t last_sync_unix_ns;    /* when a venue snapshot last replaced the book; 0 = never */
    int64_t last_update_venue_ns;
    uint64_t entries_applied;
    uint32_t positions;
    uint32_t resyncs;             /* snapshots applied, the first one included */
    uint32_t held_updates;        /* updates held while the last snapshot was in flight */
    uint32_t reserved;
    int64_t snapshot_venue_ns;    /* venue timestamp of the last applied snapshot */
    int64_t status_since_mono_ns; /* CLOCK_MONOTONIC when flags or stale_reason last changed */
    char id[EF_CONTEST_ID_MAX];
} ef_contest_view;

/* Returns EF_OK, EF_ENOENT (index not yet published), EF_EINVAL or EF_EBUSY. */
EF_API int ef_book_read_contest(const ef_book* book, uint32_t contest, ef_contest_view* out);
/* Linear scan of the published ids (control path). EF_OK, EF_ENOENT, EF_EINVAL. */
EF_API int ef_book_find_contest(const ef_book* book, const char* id, uint32_t* contest);

typedef struct ef_partner_view {
    uint32_t partner; /* index */
    uint32_t status;  /* 0 unknown, 1 active, 2 inactive */
    char id[EF_PARTNER_ID_MAX];
    char name[EF_PARTNER_NAME_MAX];
} ef_partner_view;

/* Returns EF_OK, EF_ENOENT (index not yet published), EF_EINVAL or EF_EBUSY. */
EF_API int ef_book_read_partner(const ef_book* book, uint32_t partner, ef_partner_view* out);
/* Linear scan of the published ids. EF_OK, EF_ENOENT, EF_EINVAL. */
EF_API int ef_book_find_partner(const ef_book* book, const char* id, uint32_t* partner);

/* ------------------------------------------------------- contest states */

/* Live game state of one contest (struct ef_contest_state), at the contest's
 * index. Texts are NUL-terminated copies of the fields of the same size; the
 * daemon cuts longer venue texts at a UTF-8 character boundary. */
typedef struct ef_state_view {
    uint64_t seq;               /* the record's seqlock value of this copy */
    uint32_t contest;           /* index */
    uint32_t flags;             /* enum ef_state_flags: which fields below are set */
    uint32_t game_status;       /* enum ef_game_status */
    int32_t clock_remaining_s;  /* valid with EF_STATE_HAS_CLOCK */
    int32_t period_number;      /* valid with EF_STATE_HAS_PERIOD */
    uint32_t reserved;
    int64_t score_home;         /* valid with EF_STATE_HAS_SCORES */
    int64_t score_away;
    int64_t refreshed_unix_ns;  /* the venue's refreshed_at or update timestamp */
    int64_t updated_mono_ns;    /* CLOCK_MONOTONIC when the daemon wrote it */
    uint64_t updates;           /* times the daemon wrote this record */
    char game_status_text[24];  /* as sent, e.g. "in_progress" */
    char contest_result[24];    /* e.g. "pending" */
    char clock_display[16];     /* e.g. "7:42" */
    char period_label[32];      /* e.g. "3rd Quarter" */
    char period_type[16];       /* e.g. "quarter" */
    char winner_participant_id[48]; /* valid with EF_STATE_HAS_WINNER */
} ef_state_view;

/* Copies one contest's state consistently (seqlock read with bounded
 * retries). Returns EF_OK; EF_ENOENT when the contest is not published or
 * the daemon never wrote its state; EF_EINVAL (contest >= max_contests or
 * NULL) or EF_EBUSY. */
EF_API int ef_book_read_state(const ef_book* book, uint32_t contest, ef_state_view* out);

/* ----------------------------------------------------------------- depth */

/* Full per-partner depth of one position (GET /depth), as last fetched.
 * Fixed size (about 9 KB): keep one per thread, not on a small stack. */
typedef struct ef_depth_level ef_depth_level;
typedef struct ef_depth_partner_view {
    uint32_t partner;           /* partner index (ef_book_read_partner) */
    uint32_t level_count;       /* levels[0 .. level_count) are used, best first */
    int64_t best_price_e9;
    int64_t total_available_e9;
    int64_t fetched_unix_ns;
    ef_depth_level levels[EF_VIEW_MAX_DEPTH_LEVELS];
} ef_depth_partner_view;

typedef struct ef_depth_view {
    uint64_t seq;               /* the record's seqlock value of this copy */
    uint32_t depth;             /* index of the record */
    uint32_t position;          /* book index of the position, or EF_NONE */
    uint32_t status;            /* enum ef_depth_status: FAILED keeps the previous data */
    uint32_t partner_count;     /* partners[0 .. partner_count) are used */
    int64_t fetched_unix_ns;    /* the response's fetched_at; 0 before the first fetch */
    int64_t updated_mono_ns;    /* CLOCK_MONOTONIC when the daemon wrote the data */
    uint64_t refreshes;         /* successful writes so far */
    uint32_t hash_len;
    char hash[EF_POSITION_HASH_MAX + 1]; /* position_hash, NUL-terminated */
    ef_depth_partner_view partners[EF_VIEW_MAX_DEPTH_PARTNERS];
} ef_depth_view;

/* Depth records claimed so far (acquire load); indices below it are valid
 * for ef_book_read_depth. The count only grows while a region lives. */
EF_API uint32_t ef_book_depth_count(const ef_book* book);

/* Linear scan of the claimed records for a position_hash. Returns EF_OK and
 * sets *index, EF_ENOENT, or EF_EINVAL (len 0 or above EF_POSITION_HASH_MAX,
 * NULL argument). An index once found stays valid while the book is open. */
EF_API int ef_book_find_depth(const ef_book* book, const char* hash, size_t len, uint32_t* index);

/* Copies one depth record consistently (seqlock read with bounded retries).
 * Returns EF_OK (status EF_DEPTH_NEVER: claimed, nothing fetched yet),
 * EF_ENOENT (index not claimed yet), EF_EINVAL (index >= max_depth or NULL)
 * or EF_EBUSY. */
EF_API int ef_book_read_depth(const ef_book* book, uint32_t index, ef_depth_view* out);

/* ------------------------------------------------------------ journal */

typedef struct ef_journal_entry ef_journal_entry;

/* Where a reader is in every journal shard. Plain data the caller owns; copy
 * it freely. Initialise with ef_cursor_init_newest/oldest on an open book. */
typedef struct ef_cursor {
    uint64_t epoch;        /* region the cursor belongs to */
    uint32_t shards;
    uint32_t next_shard;   /* round-robin start of the next ef_cursor_next() */
    uint32_t last_shard;   /* shard of the entry last returned */
    uint32_t reserved;
    uint64_t lapped_count; /* entries this cursor lost to overwrites, in total */
    uint64_t laps;         /* times it was lapped */
    uint64_t next[EF_CURSOR_MAX_SHARDS];      /* next sequence to read, per shard */
    uint64_t seen_tail[EF_CURSOR_MAX_SHARDS]; /* last tail loaded: saves a shared load */
} ef_cursor;

/* Start after everything published so far / at the oldest entry still held.
 * Return EF_OK or EF_EINVAL. */
EF_API int ef_cursor_init_newest(const ef_book* book, ef_cursor* cursor);
EF_API int ef_cursor_init_oldest(const ef_book* book, ef_cursor* cursor);

/* Copies the next journal entry, visiting shards round-robin. Returns 1 and
 * fills *out; 0 when nothing new was published; EF_LAPPED when the writer
 * overwrote entries of a shard before this cursor read them: the cursor adds
 * the entries it lost to lapped_count, jumps to the newest entry of that shard
 * and goes on from there on the next call (Agrona's broadcast receiver does
 * the same), so the caller should re-read the positions it cares about.
 * EF_ESTALE when the cursor belongs to another region, EF_EINVAL on NULL. */
EF_API int ef_cursor_next(const ef_book* book, ef_cursor* cursor, ef_journal_entry* out);

/* ------------------------------------------------------------ stats */

/* Raw access for tools (edgestat): the header and the stats section as
 * layout.h defines them. Read counters with relaxed atomic loads
 * (__atomic_load_n(&field, __ATOMIC_RELAXED) in C; edgefeed::relaxed() in
 * C++). The pointers live as long as the book. */
EF_API const struct ef_region_header* ef_book_region(const ef_book* book);
EF_API const struct ef_stats_section* ef_book_stats(const ef_book* book);
/* NULL when i is out of range. */
EF_API const struct ef_loop_stats* ef_book_loop_stats(const ef_book* book, uint32_t loop);
EF_API const struct ef_conn_stats* ef_book_conn_stats(const ef_book* book, uint32_t conn);

#ifdef __cplusplus
}
#endif

#endif /* EDGEFEED_H */
