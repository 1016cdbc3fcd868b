// The daemon's side of the shared-memory books (include/edgefeed/layout.h):
// sizes the region, creates and owns the mapping, and writes the header, the
// contest table, the partner table, the contest states and the depth
// records. Positions and the journal are written through position_writer
// (writer.hpp), one per loop.
//
// Who calls what:
// - the control thread: region_spec::make, book_region::create, claim_contest,
//   claim_depth, write_depth, mark_depth_failed, set_state, heartbeat, unlink;
// - any thread: intern_partner, set_partner_info, find_position,
//   find_contest, find_depth;
// - the one writer of a contest (its serving loop; the control thread before
//   loops start): the set_contest_* / note_contest_update functions and
//   write_contest_state.
#pragma once

#include "common/result.hpp"
#include "edgefeed/edgefeed.h"
#include "edgefeed/layout.h"
#include "platform/shm.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace ef::book {

// Answers of the claim/intern/find functions besides an index. Indices stay
// below 2^31 (region_spec::make checks), so both are out of their range.
inline constexpr uint32_t full = EF_NONE;          // the table has no free record
inline constexpr uint32_t rejected = EF_NONE - 1;  // bad id/hash or unknown contest
inline constexpr bool is_index(uint32_t v) noexcept { return v < rejected; }

// Limits on capacities: indices fit 31 bits, the consumer's fixed views hold
// every level and its cursor every shard.
inline constexpr uint32_t max_table_records = 1u << 30;
inline constexpr uint32_t max_levels = EF_VIEW_MAX_LEVELS;
inline constexpr uint32_t max_shards = EF_CURSOR_MAX_SHARDS;
inline constexpr uint32_t max_depth_partners = EF_VIEW_MAX_DEPTH_PARTNERS;
inline constexpr uint32_t max_depth_levels = EF_VIEW_MAX_DEPTH_LEVELS;
inline constexpr uint32_t section_align = 128; // two cache lines, as layout.h's writer blocks

struct capacities {
    uint32_t max_contests = 1024;
    uint32_t max_partners = 64;
    uint32_t max_positions = 65536;
    uint32_t levels_per_position = 8;
    uint32_t journal_shards = 1;       // one per loop
    uint32_t journal_capacity = 65536; // entries per shard, power of two
    uint32_t max_loops = 1;
    uint32_t max_connections = 8;
    uint32_t max_depth = 64;      // positions whose full depth is kept; 0 = none
    uint32_t depth_partners = 16; // partner slots per depth record
    uint32_t depth_levels = 16;   // price levels per partner slot
};

// Every size and offset of one region, computed once from capacities.
struct region_spec {
    capacities caps;
    uint32_t position_stride = 0; // 192 + levels * 32, rounded up to section_align
    uint32_t index_slots = 0;     // power of two, load <= 50% when positions are full
    uint32_t depth_stride = 0;    // 192 + partners * (32 + levels * 16), rounded up to 64
    uint64_t off_contests = 0;
    uint64_t off_partners = 0;
    uint64_t off_positions = 0;
    uint64_t off_index = 0;
    uint64_t off_journals = 0;
    uint64_t journal_shard_stride = 0;
    uint64_t off_stats = 0;
    uint64_t loop_stats_stride = 0; // EF_STRIDE64(struct ef_loop_stats)
    uint64_t conn_stats_stride = 0;
    uint64_t off_states = 0; // max_contests ef_contest_state
    uint64_t off_depth = 0;  // max_depth records of depth_stride bytes
    uint64_t total_bytes = 0;

    // Checks the capacities (all non-zero but max_depth, journal_capacity a
    // power of two of at least 4, levels <= EF_VIEW_MAX_LEVELS, shards <=
    // EF_CURSOR_MAX_SHARDS, depth partners and levels within the consumer's
    // depth view, tables below 2^30 records) and lays the sections out in
    // header order, each 128-byte aligned.
    static result<region_spec> make(const capacities& caps);
};

// One contest's live game state as the state parser read it: the values of
// struct ef_contest_state. Texts longer than their field lose whole UTF-8
// characters from the end (never half of one); a NUL ends a text early.
struct contest_state_values {
    uint32_t flags = 0; // enum ef_state_flags
    ef_game_status game_status = EF_GAME_UNKNOWN;
    int32_t clock_remaining_s = 0;
    int32_t period_number = 0;
    int64_t score_home = 0;
    int64_t score_away = 0;
    int64_t refreshed_unix_ns = 0;
    int64_t updated_mono_ns = 0;
    std::string_view game_status_text;
    std::string_view contest_result;
    std::string_view clock_display;
    std::string_view period_label;
    std::string_view period_type;
    std::string_view winner_participant_id;
};

// One partner's depth for write_depth(): its levels in the venue's order
// (best first), which is also what survives when they do not all fit.
struct depth_partner_values {
    uint32_t partner; // partner index
    int64_t best_price_e9;
    int64_t total_available_e9;
    int64_t fetched_unix_ns;
    std::span<const ef_depth_level> levels;
};

enum class [[nodiscard]] depth_write : uint8_t {
    written,
    depth_full, // written, but partners or levels beyond the record's capacity were
                // dropped: the caller counts EF_ERR_depth_full
    invalid,    // record not claimed, a partner index out of range or an unknown
                // status: nothing written
};

class book_region {
public:
    struct options {
        bool lock_memory = false; // mlock, best effort: see mlock_errno()
    };

    // Maps /edgefeed.<instance> (replacing an old object), fills the immutable
    // header (epoch from getrandom), initialises every record to empty, then
    // publishes layout_major with release. The daemon state is STARTING.
    static result<book_region> create(std::string_view instance, const region_spec& spec,
                                      options opts);
    static result<book_region> create(std::string_view instance, const region_spec& spec) {
        return create(instance, spec, options{});
    }

    book_region(book_region&&) noexcept = default;
    book_region& operator=(book_region&&) noexcept = default;
    book_region(const book_region&) = delete;
    book_region& operator=(const book_region&) = delete;
    ~book_region() = default;

    const region_spec& spec() const noexcept { return spec_; }
    uint64_t epoch() const noexcept { return header()->epoch; }
    const platform::shm_mapping& mapping() const noexcept { return map_; }
    int mlock_errno() const noexcept { return map_.mlock_errno(); }

    // Sections. Pointers stay valid while this object lives.
    ef_region_header* header() const noexcept { return reinterpret_cast<ef_region_header*>(base_); }
    ef_contest* contest(uint32_t i) const noexcept {
        return reinterpret_cast<ef_contest*>(base_ + spec_.off_contests) + i;
    }
    ef_partner* partner(uint32_t i) const noexcept {
        return reinterpret_cast<ef_partner*>(base_ + spec_.off_partners) + i;
    }
    ef_position* position(uint32_t i) const noexcept {
        return reinterpret_cast<ef_position*>(base_ + spec_.off_positions +
                                              uint64_t{i} * spec_.position_stride);
    }
    ef_level* levels(uint32_t i) const noexcept {
        return reinterpret_cast<ef_level*>(reinterpret_cast<uint8_t*>(position(i)) +
                                           EF_POSITION_LEVELS_OFFSET);
    }
    uint64_t* index() const noexcept { return reinterpret_cast<uint64_t*>(base_ + spec_.off_index); }
    ef_journal_shard* journal(uint32_t shard) const noexcept {
        return reinterpret_cast<ef_journal_shard*>(base_ + spec_.off_journals +
                                                   shard * spec_.journal_shard_stride);
    }
    ef_journal_entry* journal_entries(uint32_t shard) const noexcept {
        return reinterpret_cast<ef_journal_entry*>(journal(shard) + 1);
    }
    ef_stats_section* stats() const noexcept {
        return reinterpret_cast<ef_stats_section*>(base_ + spec_.off_stats);
    }
    ef_loop_stats* loop_stats(uint32_t loop) const noexcept;
    ef_conn_stats* conn_stats(uint32_t conn) const noexcept;
    ef_contest_state* contest_state(uint32_t contest) const noexcept {
        return reinterpret_cast<ef_contest_state*>(base_ + spec_.off_states) + contest;
    }
    ef_depth* depth(uint32_t i) const noexcept {
        return reinterpret_cast<ef_depth*>(base_ + spec_.off_depth + uint64_t{i} * spec_.depth_stride);
    }
    // Partner slot `slot` of depth record i, and that slot's levels.
    ef_depth_partner* depth_partner(uint32_t i, uint32_t slot) const noexcept {
        return reinterpret_cast<ef_depth_partner*>(reinterpret_cast<uint8_t*>(depth(i)) +
                                                   EF_DEPTH_PARTNERS_OFFSET +
                                                   uint64_t{slot} * depth_slot_bytes());
    }
    ef_depth_level* depth_levels(uint32_t i, uint32_t slot) const noexcept {
        return reinterpret_cast<ef_depth_level*>(depth_partner(i, slot) + 1);
    }

    // Daemon life: state with release (pairs with the acquire in
    // ef_book_is_current), heartbeat relaxed (a clock reading, not a publication).
    void set_state(ef_daemon_state state) noexcept;
    void heartbeat(int64_t now_mono_ns) noexcept;
    // Removes the name on clean shutdown; the mapping stays valid.
    status unlink() { return map_.unlink(); }

    // ---- contests. claim_contest: control thread only. Returns the index
    // (the existing one if the id was claimed before), `full`, or `rejected`
    // (empty id or longer than EF_CONTEST_ID_MAX - 1 bytes). A new contest
    // starts STALE with EF_STALE_NOT_SUBSCRIBED and no connection.
    uint32_t claim_contest(std::string_view id) noexcept;
    // Any thread; linear scan of the published ids. Index or EF_NONE.
    uint32_t find_contest(std::string_view id) const noexcept;
    uint32_t contests_used() const noexcept;

    // Seqlock writes of one contest record; only its one writer calls them.
    // set_contest_status stamps status_since_mono_ns when flags or reason change.
    void set_contest_status(uint32_t contest, uint32_t flags, ef_stale_reason reason) noexcept;
    void set_contest_connection(uint32_t contest, uint32_t connection) noexcept;
    // A venue snapshot now defines the book: last_sync = sync_unix_ns,
    // snapshot_venue_ns and held_updates as given, resyncs + 1. The status
    // (fresh again) is the caller's separate set_contest_status.
    void set_contest_synced(uint32_t contest, int64_t sync_unix_ns, int64_t snapshot_venue_ns,
                            uint32_t held_updates) noexcept;
    // After applying a message: entries_applied += entries, last update time = max.
    void note_contest_update(uint32_t contest, uint64_t entries, int64_t venue_ns) noexcept;
    // The contest's live state record (same index), under its seqlock;
    // updates + 1. Its one writer: the loop owning the contest.
    void write_contest_state(uint32_t contest, const contest_state_values& v) noexcept;

    // ---- partners. intern_partner: any thread, lock-free claim, never two
    // records for one id (see region.cpp). Index, `full` or `rejected` (empty,
    // longer than EF_PARTNER_ID_MAX - 1 bytes, or holding a NUL).
    uint32_t intern_partner(std::string_view id) noexcept;
    uint32_t find_partner(std::string_view id) const noexcept; // index or EF_NONE
    uint32_t partners_used() const noexcept;
    // Status and name (GET /partners) of a published partner, seqlock write.
    // Any thread, even several at once: writers take the seq with a CAS from
    // even to odd, so they serialise and never stall a loop's intern_partner.
    // The name is cut to EF_PARTNER_NAME_MAX - 1 bytes at a character boundary.
    void set_partner_info(uint32_t partner, uint32_t status, std::string_view name) noexcept;
    // True when the record's id equals `id`; the record must be published.
    bool partner_id_equals(uint32_t partner, std::string_view id) const noexcept;

    // ---- positions. Any thread: the index (acquire loads), EF_NONE if absent.
    uint32_t find_position(std::string_view hash) const noexcept;
    uint32_t find_position(std::string_view hash, uint64_t hash64) const noexcept;
    uint32_t positions_used() const noexcept;

    // ---- depth. claim_depth: control thread only (at start). Returns the
    // record for `hash` (the existing one if claimed before), `full`, or
    // `rejected` (empty or longer than EF_POSITION_HASH_MAX).
    uint32_t claim_depth(std::string_view hash) noexcept;
    // Any thread; linear scan of the claimed records. Index or EF_NONE.
    uint32_t find_depth(std::string_view hash) const noexcept;
    uint32_t depth_used() const noexcept;
    // Replaces record `index` (position: the book index or EF_NONE) under its
    // seqlock: partner slots past the given ones become empty, refreshes + 1,
    // updated_mono_ns = now. More partners or levels than the record holds:
    // the first ones are written and the answer is depth_full. Control thread.
    depth_write write_depth(uint32_t index, uint32_t position, int64_t fetched_unix_ns,
                            ef_depth_status status,
                            std::span<const depth_partner_values> partners) noexcept;
    // The last refresh failed: status EF_DEPTH_FAILED, the data stays.
    // False when the record is not claimed. Control thread.
    bool mark_depth_failed(uint32_t index) noexcept;

private:
    friend class position_writer;

    book_region() = default;
    void init_records() noexcept;
    void advance_partners_used() noexcept;
    bool position_hash_equals(uint32_t position, std::string_view hash) const noexcept;
    // Claims one position record (CAS, never past max_positions) or `full`.
    uint32_t claim_position_record() noexcept;
    // Publishes `candidate` for this hash with a release CAS, or returns the
    // position another thread published for the same hash first.
    uint32_t index_insert(uint64_t hash64, std::string_view hash, uint32_t candidate) noexcept;
    // Links a new position into its contest's list and bumps the contest's
    // positions count (seqlock write): the contest's writer only.
    void note_position_created(uint32_t contest, uint32_t position) noexcept;
    template <typename F>
    void write_contest(uint32_t contest, F&& f) noexcept;
    uint64_t depth_slot_bytes() const noexcept {
        return sizeof(ef_depth_partner) + uint64_t{spec_.caps.depth_levels} * sizeof(ef_depth_level);
    }
    void begin_depth_write(uint32_t index) noexcept;
    void end_depth_write(uint32_t index) noexcept;

    platform::shm_mapping map_;
    uint8_t* base_ = nullptr;
    region_spec spec_;
    // Daemon-private bookkeeping, never in shared memory: each contest's
    // positions as a singly linked list (first_position_[c], then
    // next_position_[p]), for clear_contest and hand-over. Written only by the
    // contest's writer.
    std::unique_ptr<uint32_t[]> first_position_;
    std::unique_ptr<uint32_t[]> next_position_;
    // Shards that have a position_writer: one writer per shard.
    std::unique_ptr<std::atomic<uint64_t>> shard_owners_;
    // The control thread's own copy of each depth record's seq (FIELD.md:
    // a seqlock write from a private copy is ~9 ns, from the shared line ~60).
    std::unique_ptr<uint64_t[]> depth_seq_;
};

} // namespace ef::book
