// libedgefeed: following the update journals (one shard per daemon loop) with
// a caller-owned cursor. Called from consumers' hot loops: no system call, no
// allocation, no waiting.
//
// Reader side of layout.h's journal protocol (Agrona's broadcast receiver):
// an entry below tail is complete; copy it, acquire fence, then tail_intent
// tells whether the writer began overwriting its slot while we copied. A
// lapped cursor counts what it lost and jumps to the newest entry.
#include "consumer/reader.hpp"

#include <cstring>

using namespace ef::consumer;

namespace {

int init(const ef_book* b, ef_cursor* c, bool oldest) {
    if (!b || !c) return EF_EINVAL;
    std::memset(c, 0, sizeof *c);
    c->epoch = b->epoch;
    c->shards = b->journal_shards;
    for (uint32_t s = 0; s < b->journal_shards; ++s) {
        // Acquire; pairs with the release store of tail in position_writer::journal_append().
        const uint64_t tail = load_acquire(&shard_at(b, s)->tail);
        const uint64_t cap = b->journal_capacity;
        c->next[s] = oldest ? (tail > cap ? tail - cap : 0) : tail;
        c->seen_tail[s] = tail;
    }
    return EF_OK;
}

[[gnu::cold]] int lapped(const ef_journal_shard* sh, ef_cursor* c, uint32_t s) {
    // Acquire; pairs with the release store of tail in position_writer::journal_append().
    const uint64_t tail = load_acquire(&sh->tail);
    c->lapped_count += tail - c->next[s];
    c->laps += 1;
    c->next[s] = tail;
    c->seen_tail[s] = tail;
    c->last_shard = s;
    c->next_shard = s + 1 == c->shards ? 0 : s + 1;
    return EF_LAPPED;
}

} // namespace

extern "C" {

EF_API int ef_cursor_init_newest(const ef_book* b, ef_cursor* c) { return init(b, c, false); }

EF_API int ef_cursor_init_oldest(const ef_book* b, ef_cursor* c) { return init(b, c, true); }

EF_API int ef_cursor_next(const ef_book* b, ef_cursor* c, ef_journal_entry* out) {
    if (!b || !c || !out) return EF_EINVAL;
    if (c->epoch != b->epoch || c->shards != b->journal_shards || c->next_shard >= c->shards)
        return EF_ESTALE;
    const uint64_t cap = b->journal_capacity;
    const uint64_t mask = cap - 1;
    uint32_t s = c->next_shard;
    for (uint32_t visited = 0; visited < c->shards; ++visited, s = s + 1 == c->shards ? 0 : s + 1) {
        const ef_journal_shard* sh = shard_at(b, s);
        const uint64_t next = c->next[s];
        if (next >= c->seen_tail[s]) {
            // Acquire; pairs with the release store of tail in
            // position_writer::journal_append(): entries below it are complete.
            c->seen_tail[s] = load_acquire(&sh->tail);
            if (next >= c->seen_tail[s]) continue;
        }
        if (c->seen_tail[s] - next > cap) return lapped(sh, c, s); // already overwritten
        const ef_journal_entry* e = &shard_entries(b, s)[next & mask];
        ef_journal_entry v;
        v.seq = load_relaxed(&e->seq);
        v.position = load_relaxed(&e->position);
        v.contest = load_relaxed(&e->contest);
        v.publish_mono_ns = load_relaxed(&e->publish_mono_ns);
        v.venue_ns = load_relaxed(&e->venue_ns);
        // Acquire; pairs with the release fence after the tail_intent store in
        // position_writer::journal_append(): if the copy saw any word of a
        // newer entry in this slot, tail_intent below shows that entry.
        fence_acquire();
        const uint64_t intent = load_relaxed(&sh->tail_intent);
        if (intent > next + cap || v.seq != next) return lapped(sh, c, s);
        c->next[s] = next + 1;
        c->last_shard = s;
        c->next_shard = s + 1 == c->shards ? 0 : s + 1;
        *out = v;
        return 1;
    }
    return 0;
}

} // extern "C"
