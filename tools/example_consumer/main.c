/*
 * edgefeed-consumer: an example strategy-side consumer, in plain C, of the
 * books an edgefeed daemon publishes (include/edgefeed/edgefeed.h). Attaches
 * to an instance (waiting for the daemon if asked), follows the update
 * journal and prints each change, or once a second a summary with the
 * publish -> observe latency; re-attaches when the daemon restarts. --dump
 * prints every level of every position as JSON lines and exits.
 * --watch-contests SECONDS polls every contest's flags for that long and
 * prints each fresh/stale transition (the end-to-end tests use it to show
 * that readers saw a contest stale while it was out of sync).
 *
 *   edgefeed-consumer [--instance NAME] [--wait SECONDS] [--seconds N]
 *                     [--quiet] [--spin] [--dump] [--watch-contests SECONDS]
 *
 * Prices and sizes stay exact: the e9 integers are printed as decimals by
 * format_e9() below, never through a binary float.
 */
#include <edgefeed/edgefeed.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t g_stop = 0;

static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

static int64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Exact decimal of a count of 1e-9 units: "0.49", "5400", "-0.000000001".
 * out needs 22 bytes (sign, 10 integer digits, point, 9 fraction digits, NUL). */
static const char* format_e9(int64_t v, char out[32]) {
    /* Magnitude without overflowing on INT64_MIN. */
    uint64_t mag = v < 0 ? (uint64_t)(-(v + 1)) + 1u : (uint64_t)v;
    uint64_t whole = mag / 1000000000u;
    uint32_t frac = (uint32_t)(mag % 1000000000u);
    char digits[24];
    int n = 0;
    char* p = out;
    if (v < 0) *p++ = '-';
    do {
        digits[n++] = (char)('0' + whole % 10u);
        whole /= 10u;
    } while (whole);
    while (n) *p++ = digits[--n];
    if (frac) {
        char f[9];
        int last = 0;
        for (int i = 8; i >= 0; --i) {
            f[i] = (char)('0' + frac % 10u);
            frac /= 10u;
        }
        for (int i = 0; i < 9; ++i)
            if (f[i] != '0') last = i; /* trailing zeros go */
        *p++ = '.';
        for (int i = 0; i <= last; ++i) *p++ = f[i];
    }
    *p = '\0';
    return out;
}

/* JSON string body: quotes, backslashes and control bytes escaped. */
static void put_json_text(const char* s, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        const unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putchar('\\');
            putchar(c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
}

/* Partner ids by index, copied lazily (ids never change once published). */
struct partner_names {
    uint32_t known;
    char (*id)[EF_PARTNER_ID_MAX];
    uint32_t cap;
};

static const char* partner_id(const ef_book* b, struct partner_names* names, uint32_t partner) {
    if (partner == EF_NONE) return "-";
    if (partner >= names->cap) return "?";
    while (names->known <= partner) {
        ef_partner_view v;
        if (ef_book_read_partner(b, names->known, &v) != EF_OK) return "?";
        memcpy(names->id[names->known], v.id, EF_PARTNER_ID_MAX);
        names->known++;
    }
    return names->id[partner];
}

static int names_init(const ef_book* b, struct partner_names* names) {
    struct ef_book_info info;
    ef_book_info(b, &info);
    names->known = 0;
    names->cap = info.max_partners;
    names->id = calloc(info.max_partners ? info.max_partners : 1, EF_PARTNER_ID_MAX);
    return names->id ? 0 : -1;
}

/* Every level of every created position, one JSON line each. */
static int dump(const ef_book* b) {
    struct partner_names names;
    if (names_init(b, &names) != 0) return 1;
    static ef_position_view v; /* ~1.4 KB: off the stack */
    const uint32_t n = ef_book_position_count(b);
    char price[32], avail[32];
    for (uint32_t p = 0; p < n; ++p) {
        const int rc = ef_book_read_position(b, p, &v);
        if (rc == EF_ENOENT) continue;
        if (rc != EF_OK) {
            fprintf(stderr, "position %u: %s\n", p, ef_strerror(rc));
            continue;
        }
        for (uint32_t k = 0; k < v.level_count; ++k) {
            const char* pid = partner_id(b, &names, v.levels[k].partner);
            fputs("{\"liquidity_hash\":\"", stdout);
            put_json_text(pid, strlen(pid));
            putchar(':');
            put_json_text(v.hash, v.hash_len);
            printf("\",\"price\":\"%s\",\"available\":\"%s\"}\n", format_e9(v.levels[k].price_e9, price),
                   format_e9(v.levels[k].available_e9, avail));
        }
    }
    free(names.id);
    return 0;
}

/* Latency histogram over one summary period (layout.h's bucket function). */
struct period {
    uint64_t updates;
    uint64_t buckets[EF_HIST_BUCKETS];
};

static uint64_t percentile(const struct period* s, double q) {
    if (!s->updates) return 0;
    const uint64_t rank = (uint64_t)((double)s->updates * q); /* a rank, not a price */
    uint64_t seen = 0;
    for (uint32_t b = 0; b < EF_HIST_BUCKETS; ++b) {
        seen += s->buckets[b];
        if (seen > rank) return ef_hist_bucket_floor(b);
    }
    return ef_hist_bucket_floor(EF_HIST_BUCKETS - 1);
}

static void print_change(const ef_book* b, struct partner_names* names, const ef_journal_entry* e) {
    static ef_position_view v;
    if (ef_book_read_position(b, e->position, &v) != EF_OK) return;
    char price[32], avail[32];
    fwrite(v.hash, 1, v.hash_len, stdout);
    if (v.best_partner == EF_NONE)
        fputs(" - - 0\n", stdout);
    else
        printf(" %s %s %s\n", format_e9(v.best_price_e9, price), partner_id(b, names, v.best_partner),
               format_e9(v.best_available_e9, avail));
}

/* One word per enum ef_stale_reason, so every watch line splits into 4 fields. */
static const char* stale_reason_word(uint32_t r) {
    switch (r) {
    case EF_STALE_NONE: return "none";
    case EF_STALE_NOT_SUBSCRIBED: return "not_subscribed";
    case EF_STALE_AWAITING_SNAPSHOT: return "awaiting_snapshot";
    case EF_STALE_REFRESH_REQUIRED: return "refresh_required";
    case EF_STALE_UPDATE_LOST: return "update_lost";
    case EF_STALE_CLOSED: return "closed";
    case EF_STALE_SNAPSHOT_FAILED: return "snapshot_failed";
    }
    return "unknown";
}

/* What --watch-contests knows of one contest. seen: observed at least once;
 * reason is EF_STALE_NONE while fresh. */
struct watched {
    int seen;
    int stale;
    uint32_t reason;
    int stale_seen;
    uint64_t transitions;
    char id[EF_CONTEST_ID_MAX];
};

/* Prints "<mono_ns> <contest_id> stale|fresh <reason>" when the contest's
 * (stale, reason) differs from the last one seen. The first sighting is
 * printed too, as the starting point, but is not counted as a transition. */
static void observe(struct watched* w, const ef_contest_view* v, int64_t now) {
    const int stale = (v->flags & EF_CONTEST_STALE) != 0;
    const uint32_t reason = stale ? v->stale_reason : EF_STALE_NONE;
    if (w->seen && w->stale == stale && w->reason == reason) return;
    if (w->seen) w->transitions++;
    else memcpy(w->id, v->id, EF_CONTEST_ID_MAX);
    w->seen = 1;
    w->stale = stale;
    w->reason = reason;
    w->stale_seen |= stale;
    printf("%lld %s %s %s\n", (long long)now, v->id, stale ? "stale" : "fresh", stale_reason_word(reason));
    fflush(stdout); /* a test reading the pipe sees the transition at once */
}

/* --watch-contests: polls every contest every ~200 us for `seconds`, then
 * prints "summary <contest_id> stale_seen=<0|1> fresh_at_end=<0|1>
 * transitions=<n>" per contest in index order. A read that stays busy is
 * retried at the next poll; contests the daemon adds meanwhile are followed. */
static int watch_contests(const ef_book* b, double seconds) {
    struct ef_book_info info;
    ef_book_info(b, &info);
    struct watched* ws = calloc(info.max_contests ? info.max_contests : 1, sizeof *ws);
    if (!ws) {
        fputs("edgefeed-consumer: out of memory\n", stderr);
        return 1;
    }
    const int64_t stop_at = mono_ns() + (int64_t)(seconds * 1e9);
    int announced = 0;
    while (!g_stop) {
        const uint32_t n = ef_book_contest_count(b);
        const int64_t now = mono_ns();
        for (uint32_t c = 0; c < n && c < info.max_contests; ++c) {
            ef_contest_view v;
            if (ef_book_read_contest(b, c, &v) == EF_OK) observe(&ws[c], &v, now);
        }
        if (!announced) { /* after the first poll: every line from now on is a change */
            fprintf(stderr, "edgefeed-consumer: watching %u contests of %s\n", n, info.instance);
            announced = 1;
        }
        if (now >= stop_at) break;
        const struct timespec nap = {0, 200000};
        nanosleep(&nap, NULL);
    }
    for (uint32_t c = 0; c < info.max_contests; ++c)
        if (ws[c].seen)
            printf("summary %s stale_seen=%d fresh_at_end=%d transitions=%llu\n", ws[c].id,
                   ws[c].stale_seen, !ws[c].stale, (unsigned long long)ws[c].transitions);
    fflush(stdout);
    free(ws);
    return 0;
}

static void usage(FILE* to) {
    fputs("usage: edgefeed-consumer [--instance NAME] [--wait SECONDS] [--seconds N]\n"
          "                         [--quiet] [--spin] [--dump] [--watch-contests SECONDS]\n"
          "  --instance NAME  edgefeed instance to attach to (default \"default\")\n"
          "  --wait SECONDS   retry this long while the daemon is not up (default 0)\n"
          "  --seconds N      exit after N seconds (default: run until SIGINT/SIGTERM)\n"
          "  --quiet          one summary line a second instead of every change\n"
          "  --spin           busy-poll the journal (honest latency, one core at 100%)\n"
          "                   instead of sleeping 50 us when idle\n"
          "  --dump           print every book entry as a JSON line and exit\n"
          "  --watch-contests SECONDS\n"
          "                   poll every contest's flags every ~200 us for SECONDS; print\n"
          "                   '<mono_ns> <contest_id> stale|fresh <reason>' on each change\n"
          "                   (the first line of a contest is its starting state), then\n"
          "                   'summary <contest_id> stale_seen=<0|1> fresh_at_end=<0|1>\n"
          "                   transitions=<n>' per contest, and exit\n",
          to);
}

int main(int argc, char** argv) {
    const char* instance = NULL; /* EDGEFEED_INSTANCE, else "default" */
    double wait_s = 0, run_s = 0, watch_s = -1;
    int quiet = 0, spin = 0, want_dump = 0;
    static const struct option opts[] = {
        {"instance", required_argument, NULL, 'i'}, {"wait", required_argument, NULL, 'w'},
        {"seconds", required_argument, NULL, 's'},  {"quiet", no_argument, NULL, 'q'},
        {"spin", no_argument, NULL, 'p'},           {"dump", no_argument, NULL, 'd'},
        {"watch-contests", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    for (int c; (c = getopt_long(argc, argv, "i:w:s:qpdc:h", opts, NULL)) != -1;) {
        char* end = NULL;
        switch (c) {
        case 'i': instance = optarg; break;
        case 'w':
        case 'c':
        case 's': {
            const double v = strtod(optarg, &end);
            if (!end || *end || v < 0) {
                fprintf(stderr, "edgefeed-consumer: bad number \"%s\"\n", optarg);
                return 2;
            }
            *(c == 'w' ? &wait_s : c == 'c' ? &watch_s : &run_s) = v;
            break;
        }
        case 'q': quiet = 1; break;
        case 'p': spin = 1; break;
        case 'd': want_dump = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    ef_book* book = NULL;
    int rc = ef_book_open_wait(instance, (int64_t)(wait_s * 1000), &book);
    if (rc != EF_OK) {
        fprintf(stderr, "edgefeed-consumer: %s\n", ef_book_last_error());
        return 1;
    }
    if (watch_s >= 0) {
        rc = watch_contests(book, watch_s);
        ef_book_close(book);
        return rc;
    }
    if (want_dump) {
        rc = dump(book);
        ef_book_close(book);
        return rc;
    }

    struct ef_book_info info;
    ef_book_info(book, &info);
    struct partner_names names;
    if (names_init(book, &names) != 0) return 1;
    static ef_cursor cursor;
    ef_cursor_init_newest(book, &cursor);
    /* Said after the cursor exists: every change from now on is printed. */
    fprintf(stderr, "edgefeed-consumer: attached to %s (epoch %016llx, pid %u, %u shards)\n",
            info.instance, (unsigned long long)info.epoch, info.daemon_pid, info.journal_shards);
    static struct period period;
    const int64_t start = mono_ns();
    const int64_t stop_at = run_s > 0 ? start + (int64_t)(run_s * 1e9) : INT64_MAX;
    int64_t next_tick = start + 1000000000;
    uint64_t lapped_total = 0;
    unsigned idle = 0;
    int unflushed = 0;

    while (!g_stop) {
        ef_journal_entry e;
        rc = ef_cursor_next(book, &cursor, &e);
        if (rc == 1) {
            const int64_t now = mono_ns();
            const int64_t lat = now - e.publish_mono_ns;
            period.updates++;
            period.buckets[ef_hist_bucket(lat > 0 ? (uint64_t)lat : 0)]++;
            if (!quiet) {
                print_change(book, &names, &e);
                unflushed = 1;
            }
            idle = 0;
            continue;
        }
        if (unflushed) { /* caught up: let a pipe reader see the lines now */
            fflush(stdout);
            unflushed = 0;
        }
        if (rc == EF_LAPPED && !quiet)
            fprintf(stderr, "edgefeed-consumer: lapped, %llu entries missed so far; re-read positions\n",
                    (unsigned long long)cursor.lapped_count);
        /* Time checks only when idle or every 1024 idle polls: a clock read is ~18 ns. */
        if (rc == 0 && (++idle & 1023) != 1 && spin) continue;
        const int64_t now = mono_ns();
        if (now >= stop_at) break;
        if (now >= next_tick) {
            const double secs = (double)(now - next_tick + 1000000000) / 1e9;
            if (quiet)
                printf("updates/s %.0f lapped %llu p50 %lluns p99 %lluns\n", (double)period.updates / secs,
                       (unsigned long long)(cursor.lapped_count - lapped_total),
                       (unsigned long long)percentile(&period, 0.50),
                       (unsigned long long)percentile(&period, 0.99));
            fflush(stdout);
            lapped_total = cursor.lapped_count;
            memset(&period, 0, sizeof period);
            next_tick = now + 1000000000;
            if (ef_book_is_current(book) == 0) {
                ef_book* fresh = NULL;
                if (ef_book_open(instance, &fresh) == EF_OK) {
                    struct ef_book_info fi;
                    ef_book_info(fresh, &fi);
                    if (fi.epoch != info.epoch) {
                        ef_book_close(book);
                        book = fresh;
                        info = fi;
                        free(names.id);
                        if (names_init(book, &names) != 0) return 1;
                        ef_cursor_init_newest(book, &cursor);
                        lapped_total = 0;
                        fprintf(stderr, "edgefeed-consumer: re-attached (epoch %016llx, pid %u)\n",
                                (unsigned long long)info.epoch, info.daemon_pid);
                    } else {
                        ef_book_close(fresh);
                    }
                }
            }
        }
        if (rc == 0 && !spin) {
            const struct timespec nap = {0, 50000};
            nanosleep(&nap, NULL);
        }
    }
    fflush(stdout);
    free(names.id);
    ef_book_close(book);
    return 0;
}
