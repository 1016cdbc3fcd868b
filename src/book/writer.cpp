// position_writer (see writer.hpp): the hot path from a parsed liquidity entry
// to the shared-memory book and the journal. Runs on one loop's pinned core;
// no allocation, no system call, no logging: outcomes are return values the
// caller counts.
//
// Seqlock write, as layout.h requires: seq odd (relaxed store, from our own
// copy), release fence, fields with relaxed atomic_ref stores, seq even with a
// release store. apply_level decides what to write by reading the record
// before the window opens (we are its only writer, so it cannot change under
// us): no-op and full changes never open one, and reader retries stay rare.
#include "book/writer.hpp"

#include "book/shared_store.hpp"
#include "common/check.hpp"

#include <new>
#include <string>
#include <utility>

namespace ef::book {

using detail::fence_release;
using detail::load_relaxed;
using detail::store_relaxed;
using detail::store_release;

namespace {

uint32_t find_level(ef_level* lv, uint32_t n, uint32_t partner) noexcept {
    for (uint32_t k = 0; k < n; ++k)
        if (load_relaxed(lv[k].partner) == partner) return k;
    return n;
}

void set_level(ef_level& l, const level_change& c) noexcept {
    store_relaxed(l.price_e9, c.price_e9);
    store_relaxed(l.available_e9, c.available_e9);
    store_relaxed(l.venue_ns, c.venue_ns);
}

void clear_level(ef_level& l) noexcept {
    store_relaxed(l.partner, EF_NONE);
    store_relaxed(l.price_e9, int64_t{0});
    store_relaxed(l.available_e9, int64_t{0});
    store_relaxed(l.venue_ns, int64_t{0});
}

// Keeps used slots first: the last used slot fills the hole.
void remove_level(ef_level* lv, uint32_t& n, uint32_t j) noexcept {
    const uint32_t last = n - 1;
    if (j != last) {
        store_relaxed(lv[j].partner, load_relaxed(lv[last].partner));
        store_relaxed(lv[j].price_e9, load_relaxed(lv[last].price_e9));
        store_relaxed(lv[j].available_e9, load_relaxed(lv[last].available_e9));
        store_relaxed(lv[j].venue_ns, load_relaxed(lv[last].venue_ns));
    }
    clear_level(lv[last]);
    n = last;
}

// Applies one change inside an open window; j is the partner's slot or n
// (absent), n the used-slot count.
apply_status mutate_at(ef_level* lv, uint32_t& n, uint32_t lpp, const level_change& c,
                       uint32_t j) noexcept {
    if (c.available_e9 > 0) {
        if (j == n) {
            if (n == lpp) return apply_status::levels_full;
            store_relaxed(lv[n].partner, c.partner);
            ++n;
        }
        set_level(lv[j], c);
        return apply_status::applied;
    }
    if (j == n) return apply_status::unchanged;
    remove_level(lv, n, j);
    return apply_status::applied;
}

apply_status mutate(ef_level* lv, uint32_t& n, uint32_t lpp, const level_change& c) noexcept {
    return mutate_at(lv, n, lpp, c, find_level(lv, n, c.partner));
}

// Recomputes the summary fields from the n used levels (n <= 32: a scan is
// cheaper than keeping an order).
void store_summary(ef_position* pos, ef_level* lv, uint32_t n, int64_t venue_ns,
                   int64_t publish_mono_ns, uint64_t applied) noexcept {
    uint32_t best_partner = EF_NONE;
    int64_t best_price = 0;
    int64_t best_available = 0;
    for (uint32_t k = 0; k < n; ++k) {
        const uint32_t p = load_relaxed(lv[k].partner);
        const int64_t price = load_relaxed(lv[k].price_e9);
        if (best_partner == EF_NONE || price < best_price ||
            (price == best_price && p < best_partner)) {
            best_partner = p;
            best_price = price;
            best_available = load_relaxed(lv[k].available_e9);
        }
    }
    store_relaxed(pos->level_count, n);
    store_relaxed(pos->best_price_e9, best_price);
    store_relaxed(pos->best_available_e9, best_available);
    store_relaxed(pos->best_partner, best_partner);
    if (venue_ns > load_relaxed(pos->venue_ns)) store_relaxed(pos->venue_ns, venue_ns);
    store_relaxed(pos->publish_mono_ns, publish_mono_ns);
    store_relaxed(pos->updates, load_relaxed(pos->updates) + applied);
}

uint32_t cache_capacity(uint32_t max_partners) {
    uint32_t c = 4;
    while (c < 2 * max_partners) c <<= 1;
    return c;
}

} // namespace

// ------------------------------------------------------------- lifetime

result<position_writer> position_writer::make(book_region& region, uint32_t shard) {
    const region_spec& s = region.spec();
    if (shard >= s.caps.journal_shards)
        return make_error("position writer: shard " + std::to_string(shard) +
                          " out of range (journal_shards " +
                          std::to_string(s.caps.journal_shards) + ")");
    const uint64_t bit = uint64_t{1} << shard;
    if (region.shard_owners_->fetch_or(bit, std::memory_order_acq_rel) & bit)
        return make_error("position writer: shard " + std::to_string(shard) +
                          " already has a writer");
    position_writer w;
    w.region_ = &region; // from here on, the destructor gives the shard back
    w.shard_ = shard;
    w.levels_per_position_ = s.caps.levels_per_position;
    w.journal_mask_ = s.caps.journal_capacity - 1;
    w.journal_ = region.journal(shard);
    w.entries_ = region.journal_entries(shard);
    w.next_seq_ = load_relaxed(w.journal_->tail); // a previous writer of this shard may have left entries
    w.seq_.reset(new (std::nothrow) uint64_t[s.caps.max_positions]());
    const uint32_t cap = cache_capacity(s.caps.max_partners);
    w.cache_.reset(new (std::nothrow) cache_slot[cap]());
    w.cache_mask_ = cap - 1;
    w.snap_mark_.reset(new (std::nothrow) uint32_t[s.caps.max_positions]());
    if (!w.seq_ || !w.cache_ || !w.snap_mark_) return make_error("position writer: out of memory");
    return w;
}

position_writer::position_writer(position_writer&& o) noexcept
    : region_(std::exchange(o.region_, nullptr)), shard_(o.shard_),
      levels_per_position_(o.levels_per_position_), journal_mask_(o.journal_mask_),
      journal_(o.journal_), entries_(o.entries_), next_seq_(o.next_seq_),
      seq_(std::move(o.seq_)), cache_(std::move(o.cache_)), cache_mask_(o.cache_mask_),
      snap_mark_(std::move(o.snap_mark_)), snap_gen_(o.snap_gen_) {}

position_writer::~position_writer() {
    if (region_) region_->shard_owners_->fetch_and(~(uint64_t{1} << shard_), std::memory_order_acq_rel);
}

// ------------------------------------------------------------- seqlock

void position_writer::begin_write(uint32_t position) noexcept {
    ef_position* pos = region_->position(position);
    const uint64_t s = seq_[position];
    // A mismatch means two writers, or a contest moved without adopt_contest().
    EF_ASSERT(s == load_relaxed(pos->seq));
    store_relaxed(pos->seq, s + 1);
    // Release; pairs with the acquire fence in ef_book_read_position() (and
    // ef_book_read_best()): a reader that copies any field stored after this
    // fence sees the odd seq, or a later one, when it re-checks.
    fence_release();
}

void position_writer::end_write(uint32_t position) noexcept {
    const uint64_t s = seq_[position] + 2;
    // Release; pairs with the acquire load of seq that starts
    // ef_book_read_position(): an even seq read there comes with every field.
    store_release(region_->position(position)->seq, s);
    seq_[position] = s;
}

void position_writer::journal_append(uint32_t position, uint32_t contest, int64_t publish_mono_ns,
                                     int64_t venue_ns) noexcept {
    const uint64_t s = next_seq_;
    // Intent first (layout.h): a reader copying the entry this one overwrites
    // (s - capacity) checks tail_intent after its copy.
    store_relaxed(journal_->tail_intent, s + 1);
    // Release; pairs with the acquire fence in ef_cursor_next() that precedes
    // its load of tail_intent: a reader that copied any word stored below
    // sees tail_intent > its sequence + capacity and reports a lap.
    fence_release();
    ef_journal_entry& e = entries_[s & journal_mask_];
    store_relaxed(e.seq, s);
    store_relaxed(e.position, position);
    store_relaxed(e.contest, contest);
    store_relaxed(e.publish_mono_ns, publish_mono_ns);
    store_relaxed(e.venue_ns, venue_ns);
    // Release; pairs with the acquire load of tail in ef_cursor_next().
    store_release(journal_->tail, s + 1);
    next_seq_ = s + 1;
}

// ------------------------------------------------------------- positions

uint32_t position_writer::find_or_create_position(std::string_view hash, uint32_t contest) noexcept {
    if (hash.empty() || hash.size() > EF_POSITION_HASH_MAX) [[unlikely]]
        return rejected;
    const uint64_t h = ef_hash64(hash.data(), hash.size());
    const uint32_t found = region_->find_position(hash, h);
    if (found != EF_NONE) [[likely]] {
        // A hash of another contest (venue data naming a position outside the
        // contest it came with) would let two loops write one record.
        if (region_->position(found)->contest != contest) [[unlikely]]
            return rejected;
        return found;
    }
    return create_position(hash, h, contest);
}

uint32_t position_writer::create_position(std::string_view hash, uint64_t h,
                                          uint32_t contest) noexcept {
    if (contest >= region_->contests_used()) return rejected;
    const uint32_t p = region_->claim_position_record();
    if (p == full) return full;
    ef_position* pos = region_->position(p);
    // A fresh record: its seq is 0 unless a writer unwound it (below).
    seq_[p] = load_relaxed(pos->seq);
    // Written under the seqlock although readers only find the record once
    // the index publishes it: ef_book_read_position() may be handed any index
    // below positions_used, and must then see either "not created" or all of it.
    begin_write(p);
    store_relaxed(pos->contest, contest);
    store_relaxed(pos->hash_len, static_cast<uint32_t>(hash.size()));
    detail::store_text_u32(pos->hash, EF_POSITION_HASH_MAX / 4, hash.data(), hash.size());
    end_write(p);
    const uint32_t q = region_->index_insert(h, hash, p);
    if (q == p) {
        region_->note_position_created(contest, p);
        return p;
    }
    // Another loop published this hash first (a contract breach: one contest
    // has one writer) or the index is full (impossible at <= 50% load). Unwind
    // the record so readers see it as never created; it stays unused.
    begin_write(p);
    store_relaxed(pos->contest, EF_NONE);
    store_relaxed(pos->hash_len, uint32_t{0});
    end_write(p);
    return q;
}

void position_writer::adopt_contest(uint32_t contest) noexcept {
    for (uint32_t p = region_->first_position_[contest]; p != EF_NONE;
         p = region_->next_position_[p])
        seq_[p] = load_relaxed(region_->position(p)->seq);
}

// ------------------------------------------------------------- partners

uint32_t position_writer::intern_partner(std::string_view id) noexcept {
    if (id.empty() || id.size() >= EF_PARTNER_ID_MAX) [[unlikely]]
        return rejected;
    const uint64_t h = ef_hash64(id.data(), id.size());
    uint32_t i = static_cast<uint32_t>(h) & cache_mask_;
    for (; cache_[i].partner_plus1 != 0; i = (i + 1) & cache_mask_) {
        const cache_slot& c = cache_[i];
        if (c.hash == h && region_->partner_id_equals(c.partner_plus1 - 1, id))
            return c.partner_plus1 - 1;
    }
    // First sighting on this loop: the shared walk. The cache has room for
    // every partner twice over, so slot i stays free for it.
    const uint32_t r = region_->intern_partner(id);
    if (is_index(r)) cache_[i] = cache_slot{h, r + 1, 0};
    return r;
}

// ------------------------------------------------------------- levels

apply_status position_writer::apply_level(uint32_t position, uint32_t partner, int64_t price_e9,
                                          int64_t available_e9, int64_t venue_ns,
                                          int64_t publish_mono_ns) noexcept {
    const capacities& caps = region_->spec().caps;
    if (position >= caps.max_positions || partner >= caps.max_partners || available_e9 < 0)
        [[unlikely]]
        return apply_status::invalid;
    ef_position* pos = region_->position(position);
    ef_level* lv = region_->levels(position);
    uint32_t n = load_relaxed(pos->level_count);
    // Decide before opening the window: full and no-op changes write nothing.
    const uint32_t j = find_level(lv, n, partner);
    if (j == n) {
        if (available_e9 == 0) return apply_status::unchanged;
        if (n == levels_per_position_) return apply_status::levels_full;
    }
    const level_change c{partner, price_e9, available_e9, venue_ns};
    begin_write(position);
    (void)mutate_at(lv, n, levels_per_position_, c, j);
    store_summary(pos, lv, n, venue_ns, publish_mono_ns, 1);
    end_write(position);
    journal_append(position, pos->contest, publish_mono_ns, venue_ns);
    return apply_status::applied;
}

batch_result position_writer::apply_levels(uint32_t position, std::span<const level_change> changes,
                                           int64_t publish_mono_ns) noexcept {
    batch_result r;
    const capacities& caps = region_->spec().caps;
    if (position >= caps.max_positions) [[unlikely]] {
        r.invalid = static_cast<uint32_t>(changes.size());
        return r;
    }
    ef_position* pos = region_->position(position);
    ef_level* lv = region_->levels(position);
    uint32_t n = load_relaxed(pos->level_count);
    int64_t newest_venue_ns = 0;
    begin_write(position);
    for (const level_change& c : changes) {
        if (c.partner >= caps.max_partners || c.available_e9 < 0) [[unlikely]] {
            ++r.invalid;
            continue;
        }
        switch (mutate(lv, n, levels_per_position_, c)) {
        case apply_status::applied:
            ++r.applied;
            if (c.venue_ns > newest_venue_ns) newest_venue_ns = c.venue_ns;
            break;
        case apply_status::unchanged: ++r.unchanged; break;
        case apply_status::levels_full: ++r.levels_full; break;
        case apply_status::invalid: ++r.invalid; break;
        }
    }
    if (r.applied) store_summary(pos, lv, n, newest_venue_ns, publish_mono_ns, r.applied);
    end_write(position);
    if (r.applied) journal_append(position, pos->contest, publish_mono_ns, newest_venue_ns);
    return r;
}

uint32_t position_writer::clear_contest(uint32_t contest, int64_t publish_mono_ns) noexcept {
    if (contest >= region_->spec().caps.max_contests) [[unlikely]]
        return 0;
    uint32_t cleared = 0;
    for (uint32_t p = region_->first_position_[contest]; p != EF_NONE;
         p = region_->next_position_[p])
        cleared += empty_position(p, contest, publish_mono_ns);
    return cleared;
}

bool position_writer::empty_position(uint32_t p, uint32_t contest, int64_t publish_mono_ns) noexcept {
    ef_position* pos = region_->position(p);
    ef_level* lv = region_->levels(p);
    const uint32_t n = load_relaxed(pos->level_count);
    if (n == 0) return false;
    begin_write(p);
    for (uint32_t k = 0; k < n; ++k) clear_level(lv[k]);
    store_summary(pos, lv, 0, 0, publish_mono_ns, 0);
    end_write(p);
    journal_append(p, contest, publish_mono_ns, load_relaxed(pos->venue_ns));
    return true;
}

// ------------------------------------------------------------- snapshots

void position_writer::begin_snapshot(uint32_t) noexcept {
    // Generation 0 means "never named": skip it when the counter wraps.
    if (++snap_gen_ == 0) snap_gen_ = 1;
}

batch_result position_writer::replace_position(uint32_t position,
                                               std::span<const level_change> levels,
                                               int64_t venue_ns, int64_t publish_mono_ns) noexcept {
    batch_result r;
    const capacities& caps = region_->spec().caps;
    if (position >= caps.max_positions) [[unlikely]] {
        r.invalid = static_cast<uint32_t>(levels.size());
        return r;
    }
    snap_mark_[position] = snap_gen_;
    ef_position* pos = region_->position(position);
    ef_level* lv = region_->levels(position);
    uint32_t n = load_relaxed(pos->level_count);
    begin_write(position);
    for (uint32_t k = 0; k < n; ++k) clear_level(lv[k]);
    n = 0;
    for (const level_change& c : levels) {
        if (c.partner >= caps.max_partners || c.available_e9 < 0) [[unlikely]] {
            ++r.invalid;
            continue;
        }
        // A partner named twice keeps its last level, as a stream update would.
        switch (mutate(lv, n, levels_per_position_, c)) {
        case apply_status::applied: ++r.applied; break;
        case apply_status::unchanged: ++r.unchanged; break;
        case apply_status::levels_full: ++r.levels_full; break;
        case apply_status::invalid: ++r.invalid; break;
        }
    }
    store_summary(pos, lv, n, venue_ns, publish_mono_ns, 1);
    end_write(position);
    journal_append(position, pos->contest, publish_mono_ns, venue_ns);
    return r;
}

uint32_t position_writer::end_snapshot(uint32_t contest, int64_t publish_mono_ns) noexcept {
    if (contest >= region_->spec().caps.max_contests) [[unlikely]]
        return 0;
    uint32_t emptied = 0;
    for (uint32_t p = region_->first_position_[contest]; p != EF_NONE;
         p = region_->next_position_[p])
        if (snap_mark_[p] != snap_gen_) emptied += empty_position(p, contest, publish_mono_ns);
    return emptied;
}

} // namespace ef::book
