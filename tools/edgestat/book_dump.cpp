// See book_dump.hpp.
#include "edgestat/book_dump.hpp"

#include "edgestat/render.hpp"
#include "json/decimal.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <vector>

namespace ef::stat {

namespace {

struct row {
    std::string liquidity_hash;
    int64_t price_e9;
    int64_t available_e9;
    bool best;
    bool stale;
};

std::vector<row> collect(const ef_book* book, const std::string& contest) {
    uint32_t only = EF_NONE;
    if (!contest.empty() && ef_book_find_contest(book, contest.c_str(), &only) != EF_OK) return {};
    std::vector<row> rows;
    const uint32_t n = ef_book_position_count(book);
    ef_position_view v;
    for (uint32_t i = 0; i < n; ++i) {
        if (ef_book_read_position(book, i, &v) != EF_OK) continue;
        if (only != EF_NONE && v.contest != only) continue;
        ef_contest_view cv{};
        ef_book_read_contest(book, v.contest, &cv);
        for (uint32_t l = 0; l < v.level_count; ++l) {
            const ef_level& lv = v.levels[l];
            ef_partner_view pv{};
            if (ef_book_read_partner(book, lv.partner, &pv) != EF_OK) continue;
            rows.push_back({fmt::format("{}:{}", pv.id, std::string_view(v.hash, v.hash_len)),
                            lv.price_e9, lv.available_e9, lv.partner == v.best_partner,
                            (cv.flags & EF_CONTEST_STALE) != 0});
        }
    }
    std::sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return a.liquidity_hash < b.liquidity_hash; });
    return rows;
}

} // namespace

std::string book_json_lines(const ef_book* book, const std::string& contest) {
    std::string out;
    for (const row& r : collect(book, contest))
        out += fmt::format(R"({{"liquidity_hash":"{}","price":"{}","available":"{}"}})", r.liquidity_hash,
                           decimal_text(r.price_e9), decimal_text(r.available_e9)) + "\n";
    return out;
}

std::string book_table(const ef_book* book, const std::string& contest) {
    std::string out = fmt::format("{:<72} {:>12} {:>14}  {}\n", "liquidity_hash", "price", "available", "");
    for (const row& r : collect(book, contest))
        out += fmt::format("{:<72} {:>12} {:>14}  {}{}\n", r.liquidity_hash, decimal_text(r.price_e9),
                           decimal_text(r.available_e9), r.best ? "best" : "", r.stale ? " STALE" : "");
    return out;
}

} // namespace ef::stat
