// See book_reference.hpp.
#include "orders/book_reference.hpp"

#include "book/shared_store.hpp"

namespace ef::orders {

using book::detail::fence_acquire;
using book::detail::load_acquire;
using book::detail::load_relaxed;

book_price read_book_price(const book::book_region& region, std::string_view position_hash,
                           std::string_view partner) noexcept {
    book_price out;
    const uint32_t p = region.find_position(position_hash);
    if (p == EF_NONE) return out;
    const uint32_t want = partner.empty() ? EF_NONE : region.find_partner(partner);
    if (!partner.empty() && want == EF_NONE) return out;
    ef_position* pos = region.position(p);
    ef_level* lv = region.levels(p);
    const uint32_t lpp = region.spec().caps.levels_per_position;
    // Bounded: the writer holds a position's seqlock for tens of
    // nanoseconds; a reader that keeps losing reports "no price".
    for (int tries = 0; tries < 64; ++tries) {
        const uint64_t s1 = load_acquire(pos->seq);
        if (s1 & 1) continue;
        const uint32_t contest = load_relaxed(pos->contest);
        int64_t price = 0;
        if (want == EF_NONE) {
            if (load_relaxed(pos->best_partner) != EF_NONE) price = load_relaxed(pos->best_price_e9);
        } else {
            uint32_t n = load_relaxed(pos->level_count);
            if (n > lpp) n = lpp; // torn: the re-check below fails
            for (uint32_t k = 0; k < n; ++k)
                if (load_relaxed(lv[k].partner) == want && load_relaxed(lv[k].available_e9) > 0)
                    price = load_relaxed(lv[k].price_e9);
        }
        fence_acquire();
        if (load_relaxed(pos->seq) != s1) continue;
        if (contest == EF_NONE) return out;
        out.known = true;
        ef_contest* c = region.contest(contest);
        const uint32_t flags = load_relaxed(c->flags);
        out.stale = (flags & EF_CONTEST_STALE) != 0;
        out.price_e9 = out.stale ? 0 : price;
        return out;
    }
    return out;
}

} // namespace ef::orders
