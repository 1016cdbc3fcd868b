// libedgefeed: lock-free reads of positions, contests and partners, and the
// shared index lookup. Called from consumers' hot loops: no system call, no
// allocation, bounded retries.
//
// Every seqlock read here follows layout.h: seq with acquire (odd: the writer
// is inside, try again), every field with a relaxed atomic load of the width
// the writer stored it with (never memcpy: a plain copy racing the writer is
// undefined behaviour and TSan reports it), an acquire fence, then seq again;
// a change means the copy may be torn and is thrown away.
#include "consumer/reader.hpp"

#include <cstring>

using namespace ef::consumer;

namespace {

constexpr uint32_t hash_words = EF_POSITION_HASH_MAX / 4;

// Compares the published hash of position p with (s, n), copying it with
// relaxed loads. The caller acquired the index slot that names p, so the
// record's hash (immutable once published) is complete.
bool hash_equals(const ef_book* b, uint32_t p, const char* s, size_t n) {
    const ef_position* pos = position_at(b, p);
    if (load_relaxed(&pos->hash_len) != n) return false;
    char buf[hash_words * 4];
    load_text_u32(buf, pos->hash, (n + 3) / 4);
    return std::memcmp(buf, s, n) == 0;
}

} // namespace

extern "C" {

EF_API int ef_book_find(const ef_book* b, const char* hash, size_t len, uint32_t* position) {
    if (!b || !hash || !position || len == 0 || len > EF_POSITION_HASH_MAX) return EF_EINVAL;
    const uint64_t h = ef_hash64(hash, len);
    const uint64_t* slots = index_at(b);
    const uint32_t mask = b->index_slots - 1;
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    uint32_t i = static_cast<uint32_t>(h) & mask;
    for (uint32_t probes = 0; probes < b->index_slots; ++probes, i = (i + 1) & mask) {
        // Acquire; pairs with the release CAS in book_region::index_insert().
        const uint64_t v = load_acquire(&slots[i]);
        if (v == 0) return EF_ENOENT; // slots never empty again: absent
        if (static_cast<uint32_t>(v >> 32) != tag) continue;
        const uint32_t p = static_cast<uint32_t>(v) - 1;
        if (p >= b->max_positions) return EF_ENOENT; // corrupt slot: never follow it
        if (hash_equals(b, p, hash, len)) {
            *position = p;
            return EF_OK;
        }
    }
    return EF_ENOENT;
}

EF_API int ef_book_read_position(const ef_book* b, uint32_t position, ef_position_view* out) {
    if (!b || !out || position >= b->max_positions) return EF_EINVAL;
    const ef_position* pos = position_at(b, position);
    const ef_level* lv = levels_at(b, position);
    const uint32_t lpp = b->levels_per_position;
    for (uint32_t tries = 0; tries < EF_READ_MAX_TRIES; ++tries) {
        // Acquire; pairs with the release store of the even seq in
        // position_writer::end_write().
        const uint64_t s1 = load_acquire(&pos->seq);
        if (s1 & 1) {
            cpu_relax();
            continue;
        }
        const uint32_t contest = load_relaxed(&pos->contest);
        uint32_t n = load_relaxed(&pos->level_count);
        const int64_t best_price = load_relaxed(&pos->best_price_e9);
        const int64_t best_available = load_relaxed(&pos->best_available_e9);
        const uint32_t best_partner = load_relaxed(&pos->best_partner);
        const int64_t venue_ns = load_relaxed(&pos->venue_ns);
        const int64_t publish = load_relaxed(&pos->publish_mono_ns);
        const uint64_t updates = load_relaxed(&pos->updates);
        uint32_t hash_len = load_relaxed(&pos->hash_len);
        if (hash_len > EF_POSITION_HASH_MAX) hash_len = EF_POSITION_HASH_MAX; // torn: re-check fails
        load_text_u32(out->hash, pos->hash, (hash_len + 3) / 4);
        if (n > lpp) n = lpp; // likewise
        for (uint32_t k = 0; k < n; ++k) {
            out->levels[k].partner = load_relaxed(&lv[k].partner);
            out->levels[k].reserved = 0;
            out->levels[k].price_e9 = load_relaxed(&lv[k].price_e9);
            out->levels[k].available_e9 = load_relaxed(&lv[k].available_e9);
            out->levels[k].venue_ns = load_relaxed(&lv[k].venue_ns);
        }
        // Acquire; pairs with the release fence in position_writer::begin_write():
        // if any load above saw a store from a write in progress, the seq
        // below is odd or newer.
        fence_acquire();
        if (load_relaxed(&pos->seq) != s1) continue;
        if (contest == EF_NONE) return EF_ENOENT; // claimed, not yet created
        out->seq = s1;
        out->position = position;
        out->contest = contest;
        out->best_price_e9 = best_price;
        out->best_available_e9 = best_available;
        out->best_partner = best_partner;
        out->level_count = n;
        out->venue_ns = venue_ns;
        out->publish_mono_ns = publish;
        out->updates = updates;
        out->hash_len = hash_len;
        out->hash[hash_len] = '\0';
        return EF_OK;
    }
    return EF_EBUSY;
}

EF_API int ef_book_read_best(const ef_book* b, uint32_t position, ef_best_view* out) {
    if (!b || !out || position >= b->max_positions) return EF_EINVAL;
    const ef_position* pos = position_at(b, position);
    for (uint32_t tries = 0; tries < EF_READ_MAX_TRIES; ++tries) {
        // Acquire; pairs with the release store in position_writer::end_write().
        const uint64_t s1 = load_acquire(&pos->seq);
        if (s1 & 1) {
            cpu_relax();
            continue;
        }
        ef_best_view v;
        v.seq = s1;
        v.contest = load_relaxed(&pos->contest);
        v.best_partner = load_relaxed(&pos->best_partner);
        v.best_price_e9 = load_relaxed(&pos->best_price_e9);
        v.best_available_e9 = load_relaxed(&pos->best_available_e9);
        v.venue_ns = load_relaxed(&pos->venue_ns);
        v.publish_mono_ns = load_relaxed(&pos->publish_mono_ns);
        // Acquire; pairs with the release fence in position_writer::begin_write().
        fence_acquire();
        if (load_relaxed(&pos->seq) != s1) continue;
        if (v.contest == EF_NONE) return EF_ENOENT;
        *out = v;
        return EF_OK;
    }
    return EF_EBUSY;
}

EF_API int ef_book_read_contest(const ef_book* b, uint32_t contest, ef_contest_view* out) {
    if (!b || !out || contest >= b->max_contests) return EF_EINVAL;
    if (contest >= ef_book_contest_count(b)) return EF_ENOENT; // acquire: id is complete
    const ef_contest* c = contest_at(b, contest);
    for (uint32_t tries = 0; tries < EF_READ_MAX_TRIES; ++tries) {
        // Acquire; pairs with the release store in book_region::write_contest().
        const uint64_t s1 = load_acquire(&c->seq);
        if (s1 & 1) {
            cpu_relax();
            continue;
        }
        ef_contest_view v;
        v.contest = contest;
        v.flags = load_relaxed(&c->flags);
        v.connection = load_relaxed(&c->connection);
        v.last_sync_unix_ns = load_relaxed(&c->last_sync_unix_ns);
        v.last_update_venue_ns = load_relaxed(&c->last_update_venue_ns);
        v.entries_applied = load_relaxed(&c->entries_applied);
        v.positions = load_relaxed(&c->positions);
        v.stale_reason = load_relaxed(&c->stale_reason);
        v.resyncs = load_relaxed(&c->resyncs);
        v.held_updates = load_relaxed(&c->held_updates);
        v.snapshot_venue_ns = load_relaxed(&c->snapshot_venue_ns);
        v.status_since_mono_ns = load_relaxed(&c->status_since_mono_ns);
        v.reserved = 0;
        // Acquire; pairs with the release fence in book_region::write_contest().
        fence_acquire();
        if (load_relaxed(&c->seq) != s1) continue;
        load_text_u64(v.id, c->id, EF_CONTEST_ID_MAX / 8); // immutable
        v.id[EF_CONTEST_ID_MAX - 1] = '\0';
        *out = v;
        return EF_OK;
    }
    return EF_EBUSY;
}

EF_API int ef_book_find_contest(const ef_book* b, const char* id, uint32_t* contest) {
    if (!b || !id || !contest) return EF_EINVAL;
    const size_t n = strnlen(id, EF_CONTEST_ID_MAX);
    if (n == 0 || n >= EF_CONTEST_ID_MAX) return EF_EINVAL;
    const uint32_t used = ef_book_contest_count(b); // acquire: ids below it are complete
    for (uint32_t i = 0; i < used && i < b->max_contests; ++i) {
        char buf[EF_CONTEST_ID_MAX];
        load_text_u64(buf, contest_at(b, i)->id, EF_CONTEST_ID_MAX / 8);
        if (std::memcmp(buf, id, n) == 0 && buf[n] == '\0') {
            *contest = i;
            return EF_OK;
        }
    }
    return EF_ENOENT;
}

EF_API int ef_book_read_partner(const ef_book* b, uint32_t partner, ef_partner_view* out) {
    if (!b || !out || partner >= b->max_partners) return EF_EINVAL;
    if (partner >= ef_book_partner_count(b)) return EF_ENOENT; // acquire: id is complete
    const ef_partner* p = partner_at(b, partner);
    for (uint32_t tries = 0; tries < EF_READ_MAX_TRIES; ++tries) {
        // Acquire; pairs with the release store in book_region::set_partner_info().
        const uint64_t s1 = load_acquire(&p->seq);
        if (s1 & 1) {
            cpu_relax();
            continue;
        }
        ef_partner_view v;
        v.partner = partner;
        v.status = load_relaxed(&p->status);
        load_text_u64(v.name, p->name, EF_PARTNER_NAME_MAX / 8);
        // Acquire; pairs with the release fence in book_region::set_partner_info().
        fence_acquire();
        if (load_relaxed(&p->seq) != s1) continue;
        load_text_u64(v.id, p->id, EF_PARTNER_ID_MAX / 8); // immutable
        v.id[EF_PARTNER_ID_MAX - 1] = '\0';
        v.name[EF_PARTNER_NAME_MAX - 1] = '\0';
        *out = v;
        return EF_OK;
    }
    return EF_EBUSY;
}

EF_API int ef_book_find_partner(const ef_book* b, const char* id, uint32_t* partner) {
    if (!b || !id || !partner) return EF_EINVAL;
    const size_t n = strnlen(id, EF_PARTNER_ID_MAX);
    if (n == 0 || n >= EF_PARTNER_ID_MAX) return EF_EINVAL;
    const uint32_t used = ef_book_partner_count(b); // acquire: ids below it are complete
    for (uint32_t i = 0; i < used && i < b->max_partners; ++i) {
        char buf[EF_PARTNER_ID_MAX];
        load_text_u64(buf, partner_at(b, i)->id, EF_PARTNER_ID_MAX / 8);
        if (std::memcmp(buf, id, n) == 0 && buf[n] == '\0') {
            *partner = i;
            return EF_OK;
        }
    }
    return EF_ENOENT;
}

} // extern "C"
