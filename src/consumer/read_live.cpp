// libedgefeed: lock-free reads of the live contest states and of the full
// per-partner depth records (layout.h's two issue-3 sections). Called from
// consumers' loops and from edgestat: no system call, no allocation, bounded
// retries, the same seqlock discipline as read.cpp.
#include "consumer/reader.hpp"

#include <cstring>

using namespace ef::consumer;

namespace {

// Copies a NUL-terminated text field of `bytes` (a multiple of 8, stored in
// 8-byte words by book_region::write_contest_state) and ends it with a NUL
// even when torn: the caller throws a torn copy away, but never overruns.
template <size_t N>
void load_text(char (&dst)[N], const char (&src)[N]) noexcept {
    static_assert(N % 8 == 0, "texts are whole 8-byte words");
    load_text_u64(dst, src, N / 8);
}

// The depth record's data (everything but the immutable hash) into `out`;
// counts are clamped to the record's capacity so a torn count cannot send the
// copy past the record. The caller validates the copy with seq.
void copy_depth(const ef_book* b, uint32_t index, ef_depth_view* out) noexcept {
    const ef_depth* d = depth_at(b, index);
    out->position = load_relaxed(&d->position);
    out->status = load_relaxed(&d->status);
    out->fetched_unix_ns = load_relaxed(&d->fetched_unix_ns);
    out->updated_mono_ns = load_relaxed(&d->updated_mono_ns);
    out->refreshes = load_relaxed(&d->refreshes);
    uint32_t np = load_relaxed(&d->partner_count);
    if (np > b->depth_partners) np = b->depth_partners; // torn: the re-check fails
    out->partner_count = np;
    for (uint32_t k = 0; k < np; ++k) {
        const ef_depth_partner* slot = depth_partner_at(b, index, k);
        const auto* lv = reinterpret_cast<const ef_depth_level*>(slot + 1);
        ef_depth_partner_view& pv = out->partners[k];
        pv.partner = load_relaxed(&slot->partner);
        pv.best_price_e9 = load_relaxed(&slot->best_price_e9);
        pv.total_available_e9 = load_relaxed(&slot->total_available_e9);
        pv.fetched_unix_ns = load_relaxed(&slot->fetched_unix_ns);
        uint32_t nl = load_relaxed(&slot->level_count);
        if (nl > b->depth_levels) nl = b->depth_levels; // likewise
        pv.level_count = nl;
        for (uint32_t l = 0; l < nl; ++l) {
            pv.levels[l].price_e9 = load_relaxed(&lv[l].price_e9);
            pv.levels[l].available_e9 = load_relaxed(&lv[l].available_e9);
        }
    }
}

} // namespace

extern "C" {

EF_API int ef_book_read_state(const ef_book* b, uint32_t contest, ef_state_view* out) {
    if (!b || !out || contest >= b->max_contests) return EF_EINVAL;
    if (contest >= ef_book_contest_count(b)) return EF_ENOENT;
    const ef_contest_state* st = state_at(b, contest);
    for (uint32_t tries = 0; tries < EF_READ_MAX_TRIES; ++tries) {
        // Acquire; pairs with the release store of the even seq at the end of
        // book_region::write_contest_state().
        const uint64_t s1 = load_acquire(&st->seq);
        if (s1 & 1) {
            cpu_relax();
            continue;
        }
        if (s1 == 0) return EF_ENOENT; // never written: no state to copy
        out->flags = load_relaxed(&st->flags);
        out->game_status = load_relaxed(&st->game_status);
        out->clock_remaining_s = load_relaxed(&st->clock_remaining_s);
        out->period_number = load_relaxed(&st->period_number);
        out->score_home = load_relaxed(&st->score_home);
        out->score_away = load_relaxed(&st->score_away);
        out->refreshed_unix_ns = load_relaxed(&st->refreshed_unix_ns);
        out->updated_mono_ns = load_relaxed(&st->updated_mono_ns);
        out->updates = load_relaxed(&st->updates);
        load_text(out->game_status_text, st->game_status_text);
        load_text(out->contest_result, st->contest_result);
        load_text(out->clock_display, st->clock_display);
        load_text(out->period_label, st->period_label);
        load_text(out->period_type, st->period_type);
        load_text(out->winner_participant_id, st->winner_participant_id);
        // Acquire; pairs with the release fence in write_contest_state(): if a
        // load above saw a store of a write in progress, seq below differs.
        fence_acquire();
        if (load_relaxed(&st->seq) != s1) continue;
        out->seq = s1;
        out->contest = contest;
        out->reserved = 0;
        // The daemon leaves a NUL in every field (fit_text); a foreign or
        // corrupt writer must still not make a reader run off the end.
        out->game_status_text[sizeof out->game_status_text - 1] = '\0';
        out->contest_result[sizeof out->contest_result - 1] = '\0';
        out->clock_display[sizeof out->clock_display - 1] = '\0';
        out->period_label[sizeof out->period_label - 1] = '\0';
        out->period_type[sizeof out->period_type - 1] = '\0';
        out->winner_participant_id[sizeof out->winner_participant_id - 1] = '\0';
        return EF_OK;
    }
    return EF_EBUSY;
}

EF_API uint32_t ef_book_depth_count(const ef_book* b) {
    if (!b) return 0;
    // Acquire; pairs with the release store in book_region::claim_depth().
    const uint32_t n = load_acquire(&b->header->depth_used);
    return n < b->max_depth ? n : b->max_depth;
}

EF_API int ef_book_find_depth(const ef_book* b, const char* hash, size_t len, uint32_t* index) {
    if (!b || !hash || !index || len == 0 || len > EF_POSITION_HASH_MAX) return EF_EINVAL;
    const uint32_t n = ef_book_depth_count(b); // acquire: hashes below it are complete
    for (uint32_t i = 0; i < n; ++i) {
        const ef_depth* d = depth_at(b, i);
        if (load_relaxed(&d->hash_len) != len) continue;
        char buf[EF_POSITION_HASH_MAX];
        load_text_u32(buf, d->hash, (len + 3) / 4);
        if (std::memcmp(buf, hash, len) == 0) {
            *index = i;
            return EF_OK;
        }
    }
    return EF_ENOENT;
}

EF_API int ef_book_read_depth(const ef_book* b, uint32_t index, ef_depth_view* out) {
    if (!b || !out || index >= b->max_depth) return EF_EINVAL;
    if (index >= ef_book_depth_count(b)) return EF_ENOENT; // acquire: hash is complete
    const ef_depth* d = depth_at(b, index);
    for (uint32_t tries = 0; tries < EF_READ_MAX_TRIES; ++tries) {
        // Acquire; pairs with the release store in book_region::end_depth_write().
        const uint64_t s1 = load_acquire(&d->seq);
        if (s1 & 1) {
            cpu_relax();
            continue;
        }
        copy_depth(b, index, out);
        // Acquire; pairs with the release fence in book_region::begin_depth_write().
        fence_acquire();
        if (load_relaxed(&d->seq) != s1) continue;
        out->seq = s1;
        out->depth = index;
        uint32_t hash_len = load_relaxed(&d->hash_len); // immutable once counted
        if (hash_len > EF_POSITION_HASH_MAX) hash_len = EF_POSITION_HASH_MAX;
        out->hash_len = hash_len;
        load_text_u32(out->hash, d->hash, (hash_len + 3) / 4);
        out->hash[hash_len] = '\0';
        return EF_OK;
    }
    return EF_EBUSY;
}

} // extern "C"
