// position_writer: one per daemon loop. Creates positions, applies level
// changes under each position's seqlock and appends one journal entry per
// changed position to the loop's own journal shard. Driven by the loop on its
// pinned core: after make() nothing here allocates or makes a system call.
//
// Ownership: a contest, and every position of it, is written by one writer at
// a time. To move a contest to another loop, the old loop stops writing it,
// the hand-over is synchronised by the caller (e.g. through the control
// queue, which gives happens-before), and the new writer calls
// adopt_contest() so its private copy of each position's seq is current.
// The region must not move while writers hold it.
#pragma once

#include "book/region.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace ef::book {

enum class [[nodiscard]] apply_status : uint8_t {
    applied,     // the level was set or removed; journalled
    unchanged,   // removal of a level the partner did not have: nothing written
    levels_full, // no free slot for a new partner: the caller counts book_levels_full
                 // and marks the contest stale (EF_STALE_UPDATE_LOST)
    invalid,     // available < 0, or an index out of range
};

struct level_change {
    uint32_t partner;
    int64_t price_e9;
    int64_t available_e9; // 0 removes the partner's level
    int64_t venue_ns;
};

struct batch_result {
    uint32_t applied = 0;
    uint32_t unchanged = 0;
    uint32_t levels_full = 0;
    uint32_t invalid = 0;
};

class position_writer {
public:
    // Takes journal shard `shard` (one writer per shard) and allocates the
    // private seq copies (8 bytes per position) and the partner cache.
    static result<position_writer> make(book_region& region, uint32_t shard);

    position_writer(position_writer&& o) noexcept;
    position_writer& operator=(position_writer&&) = delete;
    position_writer(const position_writer&) = delete;
    position_writer& operator=(const position_writer&) = delete;
    ~position_writer();

    uint32_t shard() const noexcept { return shard_; }
    // Entries appended so far (the shard's tail).
    uint64_t journal_appends() const noexcept { return next_seq_; }

    // The position for `hash` in `contest`, created (under its seqlock, then
    // published through the index) if absent. Returns its index, `full` when
    // max_positions records are in use, or `rejected` (hash empty or longer
    // than EF_POSITION_HASH_MAX, contest not claimed, or the hash already
    // belongs to another contest: its record has another writer).
    uint32_t find_or_create_position(std::string_view hash, uint32_t contest) noexcept;

    // intern_partner with a per-writer cache in front: a hit costs one hash and
    // one 32-byte compare, no walk of the shared table.
    uint32_t intern_partner(std::string_view id) noexcept;

    // Sets (available > 0) or removes (available == 0) one partner's level.
    // Best offer: the lowest price with available > 0; on equal prices the
    // lower partner index wins, so the answer does not depend on arrival order.
    // venue_ns of the position becomes the newest seen; updates counts
    // applied changes.
    apply_status apply_level(uint32_t position, uint32_t partner, int64_t price_e9,
                             int64_t available_e9, int64_t venue_ns,
                             int64_t publish_mono_ns) noexcept;

    // Several changes to one position in one seqlock window and one journal
    // entry (a message often carries several partners for a position).
    batch_result apply_levels(uint32_t position, std::span<const level_change> changes,
                              int64_t publish_mono_ns) noexcept;

    // Removes every level of every position of `contest` (snapshot
    // replacement: the snapshot must replace the book, not merge into it).
    // Journals each position that had levels; returns how many.
    uint32_t clear_contest(uint32_t contest, int64_t publish_mono_ns) noexcept;

    // Loads the current seq of each of the contest's positions (hand-over).
    void adopt_contest(uint32_t contest) noexcept;

    // Snapshot replacement, mark and sweep: begin_snapshot, then
    // replace_position once per position of the snapshot (its whole level set
    // in one seqlock window: partners absent from `levels` are removed), then
    // end_snapshot, which empties every position of the contest the snapshot
    // did not name. Readers never see an empty book in between, only the
    // positions changing one by one (the contest is marked stale meanwhile).
    // One snapshot at a time per writer.
    void begin_snapshot(uint32_t contest) noexcept;
    batch_result replace_position(uint32_t position, std::span<const level_change> levels,
                                  int64_t venue_ns, int64_t publish_mono_ns) noexcept;
    // Returns how many positions it emptied.
    uint32_t end_snapshot(uint32_t contest, int64_t publish_mono_ns) noexcept;

private:
    position_writer() = default;

    struct cache_slot {
        uint64_t hash;
        uint32_t partner_plus1; // 0 = empty
        uint32_t pad;
    };

    [[gnu::cold]] uint32_t create_position(std::string_view hash, uint64_t hash64,
                                           uint32_t contest) noexcept;
    void journal_append(uint32_t position, uint32_t contest, int64_t publish_mono_ns,
                        int64_t venue_ns) noexcept;
    // Removes every level of one position (one window, one journal entry);
    // false when it had none.
    bool empty_position(uint32_t position, uint32_t contest, int64_t publish_mono_ns) noexcept;
    void begin_write(uint32_t position) noexcept;
    void end_write(uint32_t position) noexcept;

    book_region* region_ = nullptr;
    uint32_t shard_ = 0;
    uint32_t levels_per_position_ = 0;
    uint32_t journal_mask_ = 0;
    ef_journal_shard* journal_ = nullptr;
    ef_journal_entry* entries_ = nullptr;
    uint64_t next_seq_ = 0; // own copy of the shard's tail: only this writer moves it
    // Own copy of each position's seq (FIELD.md: ~9 ns a write vs ~60 ns when
    // reloading the shared line). Indexed by position; valid for positions
    // this writer created or adopted.
    std::unique_ptr<uint64_t[]> seq_;
    std::unique_ptr<cache_slot[]> cache_;
    uint32_t cache_mask_ = 0;
    // Snapshot generation that last named each position (mark and sweep).
    std::unique_ptr<uint32_t[]> snap_mark_;
    uint32_t snap_gen_ = 0;
};

} // namespace ef::book
