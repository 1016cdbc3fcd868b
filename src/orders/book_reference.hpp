// The book price a pre-trade fat-finger check compares an order with: the
// best (lowest) price offered at a position, or one partner's price there,
// read from the daemon's own shared-memory book under the position's seqlock.
// Called by the order loop for every OpenMarkets buy; reads only.
#pragma once

#include "book/region.hpp"

#include <cstdint>
#include <string_view>

namespace ef::orders {

struct book_price {
    int64_t price_e9 = 0; // 0: nothing offered, or the contest is stale
    bool stale = false;   // the contest's book may differ from the venue
    bool known = false;   // the position exists in the book
};

// partner empty: the best over all partners (what the venue's router fills
// first); otherwise that partner's own price at the position.
book_price read_book_price(const book::book_region& region, std::string_view position_hash,
                           std::string_view partner) noexcept;

} // namespace ef::orders
