// Applies parsed liquidity.update messages to the shared-memory book for the
// contests one connection serves: checks each entry against the protocol
// (liquidity_hash = "<partner>:<position_hash>", six-part hash, contest
// match), interns partners, finds or creates positions and writes levels.
// Anything it cannot apply is counted and makes its contest stale, because a
// book that silently misses an update is worse than one that says so.
// Driven by the connection's loop thread; allocates nothing.
#pragma once

#include "book/region.hpp"
#include "book/writer.hpp"
#include "feed/conn_report.hpp"
#include "json/stream_message.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ef::feed {

struct apply_outcome {
    uint32_t applied = 0;  // entries written to the book
    uint32_t rejected = 0; // entries we could not apply (counted by kind)
    bool contest_known = true;
};

class book_applier {
public:
    book_applier(book::book_region& region, book::position_writer& writer, conn_report& report);

    // A contest this connection serves, with its book index; false when it
    // already serves max_contests_per_connection. Ids are kept in fixed
    // slots, so discovery adding or dropping contests later allocates nothing.
    bool add_contest(std::string_view id, uint32_t index) noexcept;
    void remove_contest(uint32_t index) noexcept;

    struct served {
        char id_text[EF_CONTEST_ID_MAX];
        uint32_t id_len;
        uint32_t index;
        std::string_view id() const noexcept { return {id_text, id_len}; }
    };
    const std::vector<served>& contests() const noexcept { return contests_; }
    uint32_t find_contest(std::string_view id) const noexcept;

    apply_outcome apply(const json::liquidity_update& update, json::scratch& scratch,
                        int64_t publish_mono_ns) noexcept;

    // Marks every contest of this connection stale / fresh in the book.
    void mark_all(uint32_t flags, ef_stale_reason reason) noexcept;
    void mark_stale(uint32_t contest, ef_stale_reason reason) noexcept;

private:
    bool apply_entry(const json::liquidity_entry& e, std::string_view contest_id, uint32_t contest,
                     int64_t venue_ns, int64_t publish_mono_ns) noexcept;

    book::book_region& region_;
    book::position_writer& writer_;
    conn_report& report_;
    std::vector<served> contests_; // sorted by id; capacity reserved at construction
};

} // namespace ef::feed
