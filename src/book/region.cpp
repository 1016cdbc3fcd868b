// Creates the shared-memory books and writes their header, contest, partner,
// contest-state and depth tables (see region.hpp for who calls what). Only
// intern_partner, find_*, the contest seqlock writes and write_contest_state
// run on a loop; none allocates or makes a system call other than reading
// the vDSO clock.
#include "book/region.hpp"

#include "book/shared_store.hpp"
#include "common/check.hpp"
#include "common/clock.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <sys/random.h>
#include <unistd.h>

namespace ef::book {

using detail::fence_release;
using detail::fit_text;
using detail::load_acquire;
using detail::load_relaxed;
using detail::store_relaxed;
using detail::store_release;

namespace {

constexpr uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

constexpr bool is_pow2(uint64_t v) { return v && (v & (v - 1)) == 0; }

uint64_t next_pow2(uint64_t v) {
    uint64_t p = 1;
    while (p < v) p <<= 1;
    return p;
}

bool valid_text_id(std::string_view id, size_t max_with_nul) {
    return !id.empty() && id.size() < max_with_nul &&
           std::memchr(id.data(), '\0', id.size()) == nullptr;
}

// Compares a published, NUL-padded id field with `id` (id.size() < field size).
bool text_id_equals(const char* field, std::string_view id) {
    return std::memcmp(field, id.data(), id.size()) == 0 && field[id.size()] == '\0';
}

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

error spec_error(const char* what, uint64_t value) {
    return make_error(std::string("book capacities: ") + what + " (got " + std::to_string(value) +
                      ")");
}

} // namespace

// ------------------------------------------------------------------ spec

result<region_spec> region_spec::make(const capacities& c) {
    const struct {
        const char* name;
        uint32_t v;
    } counts[] = {{"max_contests", c.max_contests},       {"max_partners", c.max_partners},
                  {"max_positions", c.max_positions},     {"journal_shards", c.journal_shards},
                  {"journal_capacity", c.journal_capacity}, {"max_loops", c.max_loops},
                  {"max_connections", c.max_connections}};
    for (const auto& k : counts) {
        if (k.v == 0) return spec_error((std::string(k.name) + " must be at least 1").c_str(), k.v);
        if (k.v > max_table_records)
            return spec_error((std::string(k.name) + " must be at most 2^30").c_str(), k.v);
    }
    if (c.levels_per_position == 0 || c.levels_per_position > max_levels)
        return spec_error("levels_per_position must be 1..EF_VIEW_MAX_LEVELS (32)",
                          c.levels_per_position);
    if (c.journal_shards > max_shards)
        return spec_error("journal_shards must be at most EF_CURSOR_MAX_SHARDS (64)",
                          c.journal_shards);
    if (!is_pow2(c.journal_capacity) || c.journal_capacity < 4)
        return spec_error("journal_capacity must be a power of two >= 4", c.journal_capacity);
    if (c.max_depth > max_table_records)
        return spec_error("max_depth must be at most 2^30", c.max_depth);
    if (c.depth_partners == 0 || c.depth_partners > max_depth_partners)
        return spec_error("depth_partners must be 1..EF_VIEW_MAX_DEPTH_PARTNERS (16)",
                          c.depth_partners);
    if (c.depth_levels == 0 || c.depth_levels > max_depth_levels)
        return spec_error("depth_levels must be 1..EF_VIEW_MAX_DEPTH_LEVELS (32)", c.depth_levels);

    region_spec s;
    s.caps = c;
    s.position_stride = static_cast<uint32_t>(
        align_up(EF_POSITION_LEVELS_OFFSET + uint64_t{c.levels_per_position} * sizeof(ef_level),
                 section_align));
    s.index_slots = static_cast<uint32_t>(next_pow2(uint64_t{c.max_positions} * 2));
    s.depth_stride = static_cast<uint32_t>(align_up(
        EF_DEPTH_PARTNERS_OFFSET + uint64_t{c.depth_partners} * (sizeof(ef_depth_partner) +
                                                                 uint64_t{c.depth_levels} *
                                                                     sizeof(ef_depth_level)),
        64));
    s.loop_stats_stride = EF_STRIDE64(struct ef_loop_stats);
    s.conn_stats_stride = EF_STRIDE64(struct ef_conn_stats);

    uint64_t off = align_up(sizeof(ef_region_header), section_align);
    s.off_contests = off;
    off = align_up(off + uint64_t{c.max_contests} * sizeof(ef_contest), section_align);
    s.off_partners = off;
    off = align_up(off + uint64_t{c.max_partners} * sizeof(ef_partner), section_align);
    s.off_positions = off;
    off = align_up(off + uint64_t{c.max_positions} * s.position_stride, section_align);
    s.off_index = off;
    off = align_up(off + uint64_t{s.index_slots} * sizeof(uint64_t), section_align);
    s.off_journals = off;
    s.journal_shard_stride = align_up(
        sizeof(ef_journal_shard) + uint64_t{c.journal_capacity} * sizeof(ef_journal_entry),
        section_align);
    off = align_up(off + uint64_t{c.journal_shards} * s.journal_shard_stride, section_align);
    s.off_stats = off;
    off = align_up(off + sizeof(ef_stats_section) + uint64_t{c.max_loops} * s.loop_stats_stride +
                       uint64_t{c.max_connections} * s.conn_stats_stride,
                   section_align);
    s.off_states = off;
    off = align_up(off + uint64_t{c.max_contests} * sizeof(ef_contest_state), section_align);
    s.off_depth = off;
    off += uint64_t{c.max_depth} * s.depth_stride;
    s.total_bytes = align_up(off, 4096);
    return s;
}

// ---------------------------------------------------------------- create

result<book_region> book_region::create(std::string_view instance, const region_spec& spec,
                                        options opts) {
    auto epoch = platform::random_region_epoch("region");
    if (!epoch) return std::move(epoch).err().context("creating book region");
    auto m = platform::shm_create(instance, spec.total_bytes, opts.lock_memory);
    if (!m) return std::move(m).err().context("creating book region");

    book_region r;
    r.map_ = std::move(m.value());
    r.base_ = r.map_.data();
    r.spec_ = spec;
    r.first_position_.reset(new (std::nothrow) uint32_t[spec.caps.max_contests]);
    r.next_position_.reset(new (std::nothrow) uint32_t[spec.caps.max_positions]);
    r.shard_owners_.reset(new (std::nothrow) std::atomic<uint64_t>(0));
    r.depth_seq_.reset(new (std::nothrow) uint64_t[std::max(spec.caps.max_depth, 1u)]());
    if (!r.first_position_ || !r.next_position_ || !r.shard_owners_ || !r.depth_seq_) {
        (void)r.map_.unlink();
        return make_error("creating book region: out of memory for the position lists");
    }
    std::fill_n(r.first_position_.get(), spec.caps.max_contests, EF_NONE);
    std::fill_n(r.next_position_.get(), spec.caps.max_positions, EF_NONE);

    // Plain stores: no reader looks past layout_major until it is published.
    ef_region_header* h = r.header();
    const capacities& c = spec.caps;
    h->magic = EF_REGION_MAGIC;
    h->layout_minor = EF_LAYOUT_MINOR;
    h->epoch = epoch.value();
    h->region_bytes = spec.total_bytes;
    h->created_unix_ns = unix_ns();
    h->max_contests = c.max_contests;
    h->max_partners = c.max_partners;
    h->max_positions = c.max_positions;
    h->levels_per_position = c.levels_per_position;
    h->position_stride = spec.position_stride;
    h->index_slots = spec.index_slots;
    h->journal_shards = c.journal_shards;
    h->journal_capacity = c.journal_capacity;
    h->max_loops = c.max_loops;
    h->max_connections = c.max_connections;
    h->off_contests = spec.off_contests;
    h->off_partners = spec.off_partners;
    h->off_positions = spec.off_positions;
    h->off_index = spec.off_index;
    h->off_journals = spec.off_journals;
    h->journal_shard_stride = spec.journal_shard_stride;
    h->off_stats = spec.off_stats;
    h->off_states = spec.off_states;
    h->off_depth = spec.off_depth;
    h->max_depth = c.max_depth;
    h->depth_partners = c.depth_partners;
    h->depth_levels = c.depth_levels;
    h->depth_stride = spec.depth_stride;
    std::memcpy(h->instance, instance.data(), instance.size()); // validated: < 48 bytes
    h->heartbeat_mono_ns = mono_ns();
    h->daemon_state = EF_DAEMON_STARTING;
    h->pid = static_cast<uint32_t>(::getpid());
    r.init_records();
    // Release; pairs with the acquire load in ef_book_open(): everything above
    // is visible to a reader that sees the major.
    store_release(h->layout_major, EF_LAYOUT_MAJOR);
    return r;
}

// Empty records are not all-zero: partner index 0 is a real partner.
void book_region::init_records() noexcept {
    const int64_t now = mono_ns();
    for (uint32_t i = 0; i < spec_.caps.max_contests; ++i) {
        contest(i)->connection = EF_NONE;
        contest(i)->status_since_mono_ns = now;
    }
    for (uint32_t d = 0; d < spec_.caps.max_depth; ++d) {
        depth(d)->position = EF_NONE;
        for (uint32_t k = 0; k < spec_.caps.depth_partners; ++k) depth_partner(d, k)->partner = EF_NONE;
    }
    for (uint32_t p = 0; p < spec_.caps.max_positions; ++p) {
        ef_position* pos = position(p);
        pos->contest = EF_NONE;
        pos->best_partner = EF_NONE;
        ef_level* lv = levels(p);
        for (uint32_t l = 0; l < spec_.caps.levels_per_position; ++l) lv[l].partner = EF_NONE;
    }
}

ef_loop_stats* book_region::loop_stats(uint32_t loop) const noexcept {
    if (loop >= spec_.caps.max_loops) return nullptr;
    return reinterpret_cast<ef_loop_stats*>(base_ + spec_.off_stats + sizeof(ef_stats_section) +
                                            loop * spec_.loop_stats_stride);
}

ef_conn_stats* book_region::conn_stats(uint32_t conn) const noexcept {
    if (conn >= spec_.caps.max_connections) return nullptr;
    return reinterpret_cast<ef_conn_stats*>(
        base_ + spec_.off_stats + sizeof(ef_stats_section) +
        spec_.caps.max_loops * spec_.loop_stats_stride + conn * spec_.conn_stats_stride);
}

void book_region::set_state(ef_daemon_state state) noexcept {
    // Release; pairs with the acquire load in ef_book_is_current()/ef_book_info().
    store_release(header()->daemon_state, static_cast<uint32_t>(state));
}

void book_region::heartbeat(int64_t now_mono_ns) noexcept {
    store_relaxed(header()->heartbeat_mono_ns, now_mono_ns);
}

// -------------------------------------------------------------- contests

uint32_t book_region::contests_used() const noexcept {
    // Acquire; pairs with the release store in claim_contest().
    return load_acquire(header()->contests_used);
}

uint32_t book_region::find_contest(std::string_view id) const noexcept {
    if (!valid_text_id(id, EF_CONTEST_ID_MAX)) return EF_NONE;
    const uint32_t n = contests_used();
    for (uint32_t i = 0; i < n; ++i)
        if (text_id_equals(contest(i)->id, id)) return i;
    return EF_NONE;
}

uint32_t book_region::claim_contest(std::string_view id) noexcept {
    if (!valid_text_id(id, EF_CONTEST_ID_MAX)) return rejected;
    if (const uint32_t existing = find_contest(id); existing != EF_NONE) return existing;
    uint32_t& used = header()->contests_used;
    const uint32_t n = load_relaxed(used); // the control thread is its only writer
    if (n >= spec_.caps.max_contests) return full;
    ef_contest* c = contest(n);
    detail::store_text_u64(c->id, EF_CONTEST_ID_MAX / 8, id.data(), id.size());
    store_relaxed(c->flags, uint32_t{EF_CONTEST_STALE});
    store_relaxed(c->stale_reason, uint32_t{EF_STALE_NOT_SUBSCRIBED});
    store_relaxed(c->connection, EF_NONE);
    store_relaxed(c->status_since_mono_ns, mono_ns());
    // Release; pairs with the acquire loads of contests_used in find_contest()
    // and ef_book_contest_count(): the id and first state are visible first.
    store_release(used, n + 1);
    return n;
}

template <typename F>
void book_region::write_contest(uint32_t index, F&& f) noexcept {
    ef_contest* c = contest(index);
    // Its one writer reloads seq: contest writes are per message, not per entry,
    // and the writer may change hands (control thread, then a loop).
    const uint64_t s = load_relaxed(c->seq);
    EF_ASSERT((s & 1) == 0);
    store_relaxed(c->seq, s + 1);
    // Release; pairs with the acquire fence in ef_book_read_contest(): a reader
    // that copies any field stored below also sees the odd seq on its re-check.
    fence_release();
    f(*c);
    // Release; pairs with the acquire load of seq that starts ef_book_read_contest().
    store_release(c->seq, s + 2);
}

void book_region::set_contest_status(uint32_t contest_index, uint32_t flags,
                                     ef_stale_reason reason) noexcept {
    EF_ASSERT(contest_index < contests_used());
    // Read before the window (we are the record's only writer): the clock is
    // read only on a real change, and "stale for 120 ms" counts from the change.
    ef_contest* rec = contest(contest_index);
    const bool changed = load_relaxed(rec->flags) != flags ||
                         load_relaxed(rec->stale_reason) != static_cast<uint32_t>(reason);
    const int64_t since = changed ? mono_ns() : 0;
    write_contest(contest_index, [&](ef_contest& c) {
        store_relaxed(c.flags, flags);
        store_relaxed(c.stale_reason, static_cast<uint32_t>(reason));
        if (changed) store_relaxed(c.status_since_mono_ns, since);
    });
}

void book_region::set_contest_connection(uint32_t contest_index, uint32_t connection) noexcept {
    EF_ASSERT(contest_index < contests_used());
    write_contest(contest_index, [&](ef_contest& c) { store_relaxed(c.connection, connection); });
}

void book_region::set_contest_synced(uint32_t contest_index, int64_t sync_unix_ns,
                                     int64_t snapshot_venue_ns, uint32_t held_updates) noexcept {
    EF_ASSERT(contest_index < contests_used());
    write_contest(contest_index, [&](ef_contest& c) {
        store_relaxed(c.last_sync_unix_ns, sync_unix_ns);
        store_relaxed(c.snapshot_venue_ns, snapshot_venue_ns);
        store_relaxed(c.held_updates, held_updates);
        store_relaxed(c.resyncs, load_relaxed(c.resyncs) + 1);
    });
}

void book_region::note_contest_update(uint32_t contest_index, uint64_t entries,
                                      int64_t venue_ns) noexcept {
    EF_ASSERT(contest_index < contests_used());
    write_contest(contest_index, [&](ef_contest& c) {
        store_relaxed(c.entries_applied, load_relaxed(c.entries_applied) + entries);
        if (venue_ns > load_relaxed(c.last_update_venue_ns))
            store_relaxed(c.last_update_venue_ns, venue_ns);
    });
}

// Texts go in as whole 8-byte words (store_text_u64), readers copy them so.
static_assert(sizeof(ef_contest_state::game_status_text) % 8 == 0 &&
                  sizeof(ef_contest_state::contest_result) % 8 == 0 &&
                  sizeof(ef_contest_state::clock_display) % 8 == 0 &&
                  sizeof(ef_contest_state::period_label) % 8 == 0 &&
                  sizeof(ef_contest_state::period_type) % 8 == 0 &&
                  sizeof(ef_contest_state::winner_participant_id) % 8 == 0 &&
                  offsetof(ef_contest_state, game_status_text) % 8 == 0,
              "state texts are whole, aligned 8-byte words");

void book_region::write_contest_state(uint32_t contest_index,
                                      const contest_state_values& v) noexcept {
    EF_ASSERT(contest_index < contests_used());
    ef_contest_state* st = contest_state(contest_index);
    // Reloaded, not a private copy: one write per state message, and the
    // contest's writer may change hands (see write_contest).
    const uint64_t s = load_relaxed(st->seq);
    EF_ASSERT((s & 1) == 0);
    store_relaxed(st->seq, s + 1);
    // Release; pairs with the acquire fence in ef_book_read_state(): a reader
    // that copies any field stored below also sees the odd seq on its re-check.
    fence_release();
    store_relaxed(st->flags, v.flags);
    store_relaxed(st->game_status, static_cast<uint32_t>(v.game_status));
    store_relaxed(st->clock_remaining_s, v.clock_remaining_s);
    store_relaxed(st->period_number, v.period_number);
    store_relaxed(st->score_home, v.score_home);
    store_relaxed(st->score_away, v.score_away);
    store_relaxed(st->refreshed_unix_ns, v.refreshed_unix_ns);
    store_relaxed(st->updated_mono_ns, v.updated_mono_ns);
    store_relaxed(st->updates, load_relaxed(st->updates) + 1);
    auto text = [](char* field, size_t size, std::string_view t) {
        t = fit_text(t, size);
        detail::store_text_u64(field, size / 8, t.data(), t.size());
    };
    text(st->game_status_text, sizeof st->game_status_text, v.game_status_text);
    text(st->contest_result, sizeof st->contest_result, v.contest_result);
    text(st->clock_display, sizeof st->clock_display, v.clock_display);
    text(st->period_label, sizeof st->period_label, v.period_label);
    text(st->period_type, sizeof st->period_type, v.period_type);
    text(st->winner_participant_id, sizeof st->winner_participant_id, v.winner_participant_id);
    // Release; pairs with the acquire load of seq that starts ef_book_read_state().
    store_release(st->seq, s + 2);
}

void book_region::note_position_created(uint32_t contest_index, uint32_t position) noexcept {
    next_position_[position] = first_position_[contest_index];
    first_position_[contest_index] = position;
    write_contest(contest_index,
                  [](ef_contest& c) { store_relaxed(c.positions, load_relaxed(c.positions) + 1); });
}

// -------------------------------------------------------------- partners
//
// Interning from several loops at once, without a lock and without duplicates:
// a partner record's seq is also its claim word (0 free, 1 being claimed,
// even once its id is published; later odd values are name updates). Every
// intern walks the records in index order and, at each one, either claims it
// (CAS 0 -> 1: only one thread can), or waits until it is published and
// compares the id. A new id therefore lands in the first free record, and a
// second thread interning the same id meets that record on its own walk before
// any free one, so it returns the same index. The wait only happens in the
// ~100 ns between a claim and its publication, and only the first time a loop
// sees a new partner; position_writer's cache keeps the hot path off this walk.
// partners_used then advances over published records (any thread may help),
// so the layout.h rule "a slot below the count has its id written" holds.
// Name updates (set_partner_info, any thread) move seq from even to odd with
// a CAS, a read-modify-write: it continues the release sequence of the
// claimer's store of 2, so an acquire load that reads any value >= 2, odd or
// even, makes the id visible. Interning therefore waits only for seq == 1,
// never for a name update in progress on another thread.

uint32_t book_region::partners_used() const noexcept {
    // Acquire; pairs with the release CAS in advance_partners_used().
    return load_acquire(header()->partners_used);
}

uint32_t book_region::intern_partner(std::string_view id) noexcept {
    if (!valid_text_id(id, EF_PARTNER_ID_MAX)) return rejected;
    for (uint32_t i = 0; i < spec_.caps.max_partners; ++i) {
        ef_partner* p = partner(i);
        std::atomic_ref<uint64_t> seq(p->seq);
        // Acquire; pairs with the release store of an even seq below (or in
        // set_partner_info): the id is readable once we see it even.
        uint64_t s = seq.load(std::memory_order_acquire);
        if (s == 0) {
            if (seq.compare_exchange_strong(s, 1, std::memory_order_acquire,
                                            std::memory_order_acquire)) {
                detail::store_text_u64(p->id, EF_PARTNER_ID_MAX / 8, id.data(), id.size());
                // Release; pairs with the acquire loads of seq in intern_partner()
                // and advance_partners_used() on other loops.
                seq.store(2, std::memory_order_release);
                advance_partners_used();
                return i;
            }
        }
        while (s == 1) { // claimed and not yet published
            cpu_relax();
            s = seq.load(std::memory_order_acquire); // pairs as above
        }
        if (text_id_equals(p->id, id)) return i;
    }
    return full;
}

void book_region::advance_partners_used() noexcept {
    std::atomic_ref<uint32_t> used(header()->partners_used);
    uint32_t u = used.load(std::memory_order_acquire); // pairs with the release CAS below
    while (u < spec_.caps.max_partners) {
        // Acquire; pairs with the release store of seq = 2 in intern_partner().
        const uint64_t s = load_acquire(partner(u)->seq);
        if (s < 2) break; // free or not yet published: its claimer advances later
        // Release; pairs with the acquire load in ef_book_partner_count(): the
        // id we saw published (happens-before via the seq above) is visible.
        if (used.compare_exchange_weak(u, u + 1, std::memory_order_acq_rel,
                                       std::memory_order_acquire))
            ++u;
    }
}

uint32_t book_region::find_partner(std::string_view id) const noexcept {
    if (!valid_text_id(id, EF_PARTNER_ID_MAX)) return EF_NONE;
    const uint32_t n = partners_used();
    for (uint32_t i = 0; i < n; ++i)
        if (text_id_equals(partner(i)->id, id)) return i;
    return EF_NONE;
}

bool book_region::partner_id_equals(uint32_t index, std::string_view id) const noexcept {
    return id.size() < EF_PARTNER_ID_MAX && text_id_equals(partner(index)->id, id);
}

void book_region::set_partner_info(uint32_t index, uint32_t status,
                                   std::string_view name) noexcept {
    // The caller learned the index from intern/find on some thread; either
    // way partners_used had passed it (see advance_partners_used).
    EF_ASSERT(index < partners_used());
    ef_partner* p = partner(index);
    name = fit_text(name, EF_PARTNER_NAME_MAX);
    std::atomic_ref<uint64_t> seq(p->seq);
    // Acquire; pairs with the release store of an even seq by the claimer or
    // by the previous name writer, whichever thread that was.
    uint64_t s = seq.load(std::memory_order_acquire);
    for (;;) {
        if (s < 2) return; // not published: impossible past the assertion above
        if (s & 1) {       // another thread is writing the name: wait our turn
            cpu_relax();
            s = seq.load(std::memory_order_acquire);
            continue;
        }
        // Acquire on both paths, as the load above. The CAS makes concurrent
        // writers take turns and keeps the claimer's release sequence going
        // (intern_partner relies on that to read the id while seq is odd).
        if (seq.compare_exchange_weak(s, s + 1, std::memory_order_acquire,
                                      std::memory_order_acquire))
            break;
    }
    // Release; pairs with the acquire fence in ef_book_read_partner().
    fence_release();
    store_relaxed(p->status, status);
    detail::store_text_u64(p->name, EF_PARTNER_NAME_MAX / 8, name.data(), name.size());
    // Release; pairs with the acquire load of seq in ef_book_read_partner(),
    // intern_partner() and the next set_partner_info() on any thread.
    seq.store(s + 2, std::memory_order_release);
}

// ------------------------------------------------------------- positions

uint32_t book_region::positions_used() const noexcept {
    return load_relaxed(header()->positions_used); // claims, not publication
}

bool book_region::position_hash_equals(uint32_t p, std::string_view hash) const noexcept {
    // Plain reads: the record was completed before its index slot was
    // published, and the caller acquired that slot.
    const ef_position* pos = position(p);
    return pos->hash_len == hash.size() && std::memcmp(pos->hash, hash.data(), hash.size()) == 0;
}

uint32_t book_region::find_position(std::string_view hash) const noexcept {
    return find_position(hash, ef_hash64(hash.data(), hash.size()));
}

uint32_t book_region::find_position(std::string_view hash, uint64_t h) const noexcept {
    const uint64_t* slots = index();
    const uint32_t mask = spec_.index_slots - 1;
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    uint32_t i = static_cast<uint32_t>(h) & mask;
    for (uint32_t probes = 0; probes < spec_.index_slots; ++probes, i = (i + 1) & mask) {
        // Acquire; pairs with the release CAS in index_insert().
        const uint64_t v = __atomic_load_n(&slots[i], __ATOMIC_ACQUIRE);
        if (v == 0) return EF_NONE; // slots never empty again: the hash is absent
        if (static_cast<uint32_t>(v >> 32) != tag) continue;
        const uint32_t p = static_cast<uint32_t>(v) - 1;
        if (position_hash_equals(p, hash)) return p;
    }
    return EF_NONE;
}

uint32_t book_region::claim_position_record() noexcept {
    std::atomic_ref<uint32_t> used(header()->positions_used);
    // Relaxed: the count only hands out records; readers learn that a record
    // is complete from its seqlock and its index slot, never from this count.
    uint32_t n = used.load(std::memory_order_relaxed);
    do {
        if (n >= spec_.caps.max_positions) return full;
    } while (!used.compare_exchange_weak(n, n + 1, std::memory_order_relaxed,
                                         std::memory_order_relaxed));
    return n;
}

uint32_t book_region::index_insert(uint64_t h, std::string_view hash, uint32_t candidate) noexcept {
    uint64_t* slots = index();
    const uint32_t mask = spec_.index_slots - 1;
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    const uint64_t mine = (uint64_t{tag} << 32) | (uint64_t{candidate} + 1);
    uint32_t i = static_cast<uint32_t>(h) & mask;
    for (uint32_t probes = 0; probes < spec_.index_slots; ++probes, i = (i + 1) & mask) {
        std::atomic_ref<uint64_t> slot(slots[i]);
        // Acquire; pairs with the release CAS below made by another loop.
        uint64_t v = slot.load(std::memory_order_acquire);
        // Release on success; pairs with the acquire loads in find_position()
        // and ef_book_find(): the record's contest and hash are visible to
        // whoever finds the slot. Acquire on failure: we read the winner's record.
        if (v == 0 && slot.compare_exchange_strong(v, mine, std::memory_order_acq_rel,
                                                   std::memory_order_acquire))
            return candidate;
        if (static_cast<uint32_t>(v >> 32) == tag) {
            const uint32_t p = static_cast<uint32_t>(v) - 1;
            if (position_hash_equals(p, hash)) return p;
        }
    }
    return full; // unreachable at <= 50% load; kept so a bug cannot loop forever
}

// ----------------------------------------------------------------- depth
//
// Claimed and written by the control thread alone. A record's hash is
// immutable once depth_used (release) counts it; everything else changes
// under the record's seqlock, from the control thread's own copy of seq.

uint32_t book_region::depth_used() const noexcept {
    // Acquire; pairs with the release store in claim_depth().
    return load_acquire(header()->depth_used);
}

uint32_t book_region::find_depth(std::string_view hash) const noexcept {
    if (hash.empty() || hash.size() > EF_POSITION_HASH_MAX) return EF_NONE;
    const uint32_t n = depth_used();
    for (uint32_t i = 0; i < n; ++i) {
        // Plain reads: immutable, and published by the acquire of depth_used.
        const ef_depth* d = depth(i);
        if (d->hash_len == hash.size() && std::memcmp(d->hash, hash.data(), hash.size()) == 0)
            return i;
    }
    return EF_NONE;
}

uint32_t book_region::claim_depth(std::string_view hash) noexcept {
    if (hash.empty() || hash.size() > EF_POSITION_HASH_MAX) return rejected;
    if (const uint32_t existing = find_depth(hash); existing != EF_NONE) return existing;
    uint32_t& used = header()->depth_used;
    const uint32_t n = load_relaxed(used); // the control thread is its only writer
    if (n >= spec_.caps.max_depth) return full;
    ef_depth* d = depth(n);
    store_relaxed(d->hash_len, static_cast<uint32_t>(hash.size()));
    detail::store_text_u32(d->hash, EF_POSITION_HASH_MAX / 4, hash.data(), hash.size());
    depth_seq_[n] = load_relaxed(d->seq);
    // Release; pairs with the acquire loads of depth_used in find_depth(),
    // ef_book_depth_count() and ef_book_read_depth(): the hash is visible first.
    store_release(used, n + 1);
    return n;
}

void book_region::begin_depth_write(uint32_t index) noexcept {
    ef_depth* d = depth(index);
    const uint64_t s = depth_seq_[index];
    EF_ASSERT(s == load_relaxed(d->seq)); // else a second writer
    store_relaxed(d->seq, s + 1);
    // Release; pairs with the acquire fence in ef_book_read_depth(): a reader
    // that copies any field stored after this sees the odd seq on its re-check.
    fence_release();
}

void book_region::end_depth_write(uint32_t index) noexcept {
    const uint64_t s = depth_seq_[index] + 2;
    // Release; pairs with the acquire load of seq that starts ef_book_read_depth().
    store_release(depth(index)->seq, s);
    depth_seq_[index] = s;
}

namespace {

void clear_depth_levels(ef_depth_level* lv, uint32_t from, uint32_t to) noexcept {
    for (uint32_t l = from; l < to; ++l) {
        store_relaxed(lv[l].price_e9, int64_t{0});
        store_relaxed(lv[l].available_e9, int64_t{0});
    }
}

} // namespace

depth_write book_region::write_depth(uint32_t index, uint32_t position, int64_t fetched_unix_ns,
                                     ef_depth_status status,
                                     std::span<const depth_partner_values> partners) noexcept {
    const capacities& caps = spec_.caps;
    if (index >= depth_used() || static_cast<uint32_t>(status) > EF_DEPTH_FAILED) return depth_write::invalid;
    for (const depth_partner_values& v : partners)
        if (v.partner >= caps.max_partners) return depth_write::invalid;
    // Decided before the window: what fits, and what the old data used.
    ef_depth* d = depth(index);
    const uint32_t np = static_cast<uint32_t>(std::min<size_t>(partners.size(), caps.depth_partners));
    bool dropped = partners.size() > np;
    const uint32_t old_np = std::min(load_relaxed(d->partner_count), caps.depth_partners);
    const int64_t now = mono_ns();
    begin_depth_write(index);
    store_relaxed(d->position, position);
    store_relaxed(d->partner_count, np);
    store_relaxed(d->fetched_unix_ns, fetched_unix_ns);
    store_relaxed(d->updated_mono_ns, now);
    store_relaxed(d->refreshes, load_relaxed(d->refreshes) + 1);
    store_relaxed(d->status, static_cast<uint32_t>(status));
    for (uint32_t k = 0; k < std::max(np, old_np); ++k) {
        ef_depth_partner* slot = depth_partner(index, k);
        ef_depth_level* lv = depth_levels(index, k);
        const uint32_t old_nl = std::min(load_relaxed(slot->level_count), caps.depth_levels);
        if (k >= np) { // a partner of the previous answer that this one lacks
            store_relaxed(slot->partner, EF_NONE);
            store_relaxed(slot->level_count, uint32_t{0});
            store_relaxed(slot->best_price_e9, int64_t{0});
            store_relaxed(slot->total_available_e9, int64_t{0});
            store_relaxed(slot->fetched_unix_ns, int64_t{0});
            clear_depth_levels(lv, 0, old_nl);
            continue;
        }
        const depth_partner_values& v = partners[k];
        const uint32_t nl = static_cast<uint32_t>(std::min<size_t>(v.levels.size(), caps.depth_levels));
        dropped |= v.levels.size() > nl;
        store_relaxed(slot->partner, v.partner);
        store_relaxed(slot->level_count, nl);
        store_relaxed(slot->best_price_e9, v.best_price_e9);
        store_relaxed(slot->total_available_e9, v.total_available_e9);
        store_relaxed(slot->fetched_unix_ns, v.fetched_unix_ns);
        for (uint32_t l = 0; l < nl; ++l) {
            store_relaxed(lv[l].price_e9, v.levels[l].price_e9);
            store_relaxed(lv[l].available_e9, v.levels[l].available_e9);
        }
        clear_depth_levels(lv, nl, old_nl);
    }
    end_depth_write(index);
    return dropped ? depth_write::depth_full : depth_write::written;
}

bool book_region::mark_depth_failed(uint32_t index) noexcept {
    if (index >= depth_used()) return false;
    begin_depth_write(index);
    store_relaxed(depth(index)->status, uint32_t{EF_DEPTH_FAILED});
    end_depth_write(index);
    return true;
}

} // namespace ef::book
