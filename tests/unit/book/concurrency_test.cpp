// Concurrency tests: invariants checked on every consistent copy while a
// writer changes the records at full speed (rigtorp's seqlock test: the
// writer keeps available = price + offset in every level, readers assert it).
// Meant to run under TSan too (meson test --suite tsan in a
// -Db_sanitize=thread build): readers attach to the writer's own mapping
// (scoped_book(region)), because TSan's shadow memory is per virtual address
// and would never compare accesses made through two mappings. TSan then
// checks that no shared field is read or written plainly while another
// thread writes it (its fences are not modelled, so it cannot judge them).
// Bounded by iteration counts and wall time; each test ends within seconds.
#include "book_test_support.hpp"
#include "common/clock.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace ef::book;
using ef::book::test::cat;
using ef::book::test::scoped_book;
using ef::book::test::scoped_region;

namespace {

constexpr int64_t offset = 1'000'000;
constexpr int64_t time_budget_ns = 1'500'000'000;

capacities load_caps() {
    capacities c;
    c.max_contests = 4;
    c.max_partners = 16;
    c.max_positions = 1024;
    c.levels_per_position = 8;
    c.journal_shards = 2;
    c.journal_capacity = 64; // small on purpose: readers get lapped
    c.max_loops = 2;
    c.max_connections = 2;
    return c;
}

// Everything a consistent copy of a position must satisfy.
void check_position(const ef_position_view& v, uint32_t contest, const std::string& hash,
                    std::atomic<uint64_t>& bad) {
    bool good = v.contest == contest && std::string(v.hash, v.hash_len) == hash &&
                v.level_count <= 8 && (v.seq & 1) == 0;
    int64_t min_price = INT64_MAX;
    uint32_t min_partner = EF_NONE;
    std::set<uint32_t> partners;
    for (uint32_t k = 0; good && k < v.level_count; ++k) {
        const ef_level& l = v.levels[k];
        good = l.partner < 8 && l.available_e9 == l.price_e9 + offset && partners.insert(l.partner).second;
        if (l.price_e9 < min_price || (l.price_e9 == min_price && l.partner < min_partner)) {
            min_price = l.price_e9;
            min_partner = l.partner;
        }
    }
    if (good && v.level_count == 0) good = v.best_partner == EF_NONE;
    if (good && v.level_count > 0)
        good = v.best_partner == min_partner && v.best_price_e9 == min_price &&
               v.best_available_e9 == min_price + offset;
    if (!good) bad.fetch_add(1, std::memory_order_relaxed);
}

TEST(book_concurrency, readers_see_only_consistent_positions_while_a_writer_changes_them) {
    scoped_region r(load_caps(), "cc");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(0);
    std::vector<std::string> hashes;
    std::vector<uint32_t> ps;
    for (int i = 0; i < 4; ++i) {
        hashes.push_back(cat("c1:m:s:v:p:", i));
        ps.push_back(w.find_or_create_position(hashes.back(), 0));
    }
    std::atomic<bool> done{false};
    std::atomic<uint64_t> bad{0}, good_reads{0}, busy{0}, best_reads{0};
    auto reader = [&](int id) {
        scoped_book b(*r);
        ef_position_view v;
        ef_best_view bv;
        uint64_t n = 0;
        while (!done.load(std::memory_order_acquire)) {
            const uint32_t k = static_cast<uint32_t>(n++ % ps.size());
            const int rc = ef_book_read_position(b, ps[k], &v);
            if (rc == EF_OK) {
                check_position(v, 0, hashes[k], bad);
                good_reads.fetch_add(1, std::memory_order_relaxed);
            } else if (rc == EF_EBUSY) {
                busy.fetch_add(1, std::memory_order_relaxed);
            } else {
                bad.fetch_add(1, std::memory_order_relaxed);
            }
            if (id == 1 && ef_book_read_best(b, ps[k], &bv) == EF_OK) {
                if (bv.best_partner != EF_NONE && bv.best_available_e9 != bv.best_price_e9 + offset)
                    bad.fetch_add(1, std::memory_order_relaxed);
                best_reads.fetch_add(1, std::memory_order_relaxed);
            }
        }
    };
    std::thread r1(reader, 0), r2(reader, 1);
    const int64_t end = ef::mono_ns() + time_budget_ns;
    uint64_t x = 88172645463325252ull; // xorshift: cheap, deterministic
    int64_t writes = 0;
    for (; writes < 400'000 && (writes % 1024 || ef::mono_ns() < end); ++writes) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const uint32_t p = ps[x % ps.size()];
        const uint32_t partner = static_cast<uint32_t>((x >> 8) % 8);
        const int64_t price = static_cast<int64_t>((x >> 16) % 1000) * 1'000'000;
        const bool remove = (x >> 40) % 4 == 0;
        const apply_status s =
            w.apply_level(p, partner, price, remove ? 0 : price + offset, writes, writes);
        if (s != apply_status::applied && s != apply_status::unchanged) {
            ADD_FAILURE() << "apply_level failed at write " << writes;
            break; // still join the readers below
        }
    }
    done.store(true, std::memory_order_release);
    r1.join();
    r2.join();
    EXPECT_EQ(bad.load(), 0u);
    EXPECT_GT(good_reads.load(), 100u) << "readers must actually overlap the writer";
    EXPECT_GT(best_reads.load(), 10u);
    std::printf("[ info ] %lld writes, %llu consistent reads, %llu EF_EBUSY\n",
                static_cast<long long>(writes), static_cast<unsigned long long>(good_reads.load()),
                static_cast<unsigned long long>(busy.load()));
}

TEST(book_concurrency, a_journal_reader_under_load_gets_every_entry_or_counts_it_lapped) {
    scoped_region r(load_caps(), "cj");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    position_writer w = r.writer(1);
    std::vector<uint32_t> ps;
    for (int i = 0; i < 16; ++i) ps.push_back(w.find_or_create_position(cat("c1:j:", i), 0));
    scoped_book b(*r);
    ef_cursor c;
    ASSERT_EQ(ef_cursor_init_newest(b, &c), EF_OK);
    std::atomic<bool> done{false};
    std::atomic<uint64_t> progress{0}; // the reader's position, so the writer can pace itself
    uint64_t delivered = 0, bad = 0, laps_seen = 0;
    std::thread reader([&] {
        ef_journal_entry e;
        uint64_t last = 0;
        bool any = false;
        for (;;) {
            const bool finished = done.load(std::memory_order_acquire);
            const int rc = ef_cursor_next(b, &c, &e);
            if (rc == 1) {
                ++delivered;
                // The writer made entry s for position ps[s % 16] at publish time s.
                if (e.position != ps[e.seq % 16] || e.publish_mono_ns != int64_t(e.seq) ||
                    e.contest != 0 || (any && e.seq <= last))
                    ++bad;
                last = e.seq;
                any = true;
            } else if (rc == EF_LAPPED) {
                ++laps_seen;
            } else if (rc == 0 && finished) {
                break;
            } else if (rc != 0) {
                ++bad;
                break;
            }
            progress.store(c.next[1], std::memory_order_relaxed);
        }
    });
    // Batches of 48 entries (under the 64-entry ring) that wait, briefly, for
    // the reader to catch up, and every 8th batch a burst of 256 that does not:
    // the reader both keeps up and gets lapped, whatever the scheduler does.
    const int64_t end = ef::mono_ns() + time_budget_ns;
    int64_t s = 0;
    bool failed = false;
    for (int batch = 0; !failed && s < 200'000 && ef::mono_ns() < end; ++batch) {
        const bool burst = batch % 8 == 7;
        for (int i = 0; i < (burst ? 256 : 48); ++i, ++s) {
            const uint32_t p = ps[s % 16];
            if (w.apply_level(p, 0, s, s + offset, s, s) != apply_status::applied) {
                ADD_FAILURE() << "apply_level failed at entry " << s;
                failed = true; // still join the reader below
                break;
            }
        }
        if (burst) continue;
        // Yield, not spin: on a loaded machine the reader may share our core.
        const int64_t wait_end = ef::mono_ns() + 20'000'000;
        while (progress.load(std::memory_order_relaxed) + 16 < static_cast<uint64_t>(s) &&
               ef::mono_ns() < wait_end)
            std::this_thread::yield();
    }
    done.store(true, std::memory_order_release);
    reader.join();
    EXPECT_EQ(bad, 0u);
    EXPECT_EQ(delivered + c.lapped_count, static_cast<uint64_t>(s))
        << "every entry is delivered once or counted as lost, never both";
    EXPECT_EQ(laps_seen, c.laps);
    EXPECT_GT(delivered, 0u);
    std::printf("[ info ] %lld entries: %llu delivered, %llu lost in %llu laps\n",
                static_cast<long long>(s), static_cast<unsigned long long>(delivered),
                static_cast<unsigned long long>(c.lapped_count),
                static_cast<unsigned long long>(c.laps));
}

TEST(book_concurrency, two_writers_creating_positions_at_once_index_every_one_correctly) {
    capacities caps = load_caps();
    caps.max_positions = 512; // 1024 index slots: probes meet
    scoped_region r(caps, "ci");
    ASSERT_EQ(r->claim_contest("c0"), 0u);
    ASSERT_EQ(r->claim_contest("c1"), 1u);
    position_writer w0 = r.writer(0);
    position_writer w1 = r.writer(1);
    std::vector<uint32_t> got[2];
    std::atomic<int> ready{0};
    auto work = [&](int t, position_writer& w) {
        ready.fetch_add(1);
        while (ready.load() < 2) {
        }
        for (int i = 0; i < 256; ++i)
            got[t].push_back(w.find_or_create_position(
                cat("c", t) + cat(":m:s:v:p:", i), static_cast<uint32_t>(t)));
    };
    std::atomic<bool> done{false};
    std::atomic<uint64_t> bad{0};
    std::thread finder([&] { // looks up what exists so far, from a consumer
        scoped_book b(*r);
        while (!done.load(std::memory_order_acquire))
            for (int t = 0; t < 2; ++t)
                for (int i = 0; i < 256; i += 17) {
                    const std::string h = cat("c", t) + cat(":m:s:v:p:", i);
                    uint32_t p = 0;
                    if (ef_book_find(b, h.data(), h.size(), &p) != EF_OK) continue;
                    ef_position_view v;
                    if (ef_book_read_position(b, p, &v) != EF_OK ||
                        std::string(v.hash, v.hash_len) != h || v.contest != uint32_t(t))
                        bad.fetch_add(1);
                }
    });
    std::thread a(work, 0, std::ref(w0)), b2(work, 1, std::ref(w1));
    a.join();
    b2.join();
    done.store(true, std::memory_order_release);
    finder.join();
    EXPECT_EQ(bad.load(), 0u);
    std::set<uint32_t> all;
    for (int t = 0; t < 2; ++t)
        for (int i = 0; i < 256; ++i) {
            const uint32_t p = got[t][i];
            ASSERT_TRUE(is_index(p));
            all.insert(p);
            EXPECT_EQ(r->find_position(cat("c", t) + cat(":m:s:v:p:", i)), p);
        }
    EXPECT_EQ(all.size(), 512u);
    EXPECT_EQ(r->positions_used(), 512u);
}

TEST(book_concurrency, contest_and_partner_records_read_consistently_while_written) {
    scoped_region r(load_caps(), "cr");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    ASSERT_EQ(r->intern_partner("kalshi"), 0u);
    std::atomic<bool> done{false};
    std::atomic<uint64_t> bad{0}, reads{0};
    std::thread reader([&] {
        scoped_book b(*r);
        ef_contest_view cv;
        ef_partner_view pv;
        while (!done.load(std::memory_order_acquire)) {
            if (ef_book_read_contest(b, 0, &cv) == EF_OK) {
                // The writer keeps last_update_venue_ns = 10 * entries_applied.
                if (cv.last_update_venue_ns != int64_t(cv.entries_applied) * 10) bad.fetch_add(1);
                reads.fetch_add(1, std::memory_order_relaxed);
            }
            if (ef_book_read_partner(b, 0, &pv) == EF_OK) {
                // And name = "n<status>" for the partner.
                if (std::string(pv.name) != cat("n", pv.status) &&
                    !(pv.status == 0 && pv.name[0] == '\0'))
                    bad.fetch_add(1);
                if (std::string(pv.id) != "kalshi") bad.fetch_add(1);
            }
        }
    });
    const int64_t end = ef::mono_ns() + time_budget_ns;
    for (uint32_t i = 1; i < 100'000 && (i % 1024 || ef::mono_ns() < end); ++i) {
        r->note_contest_update(0, 1, int64_t(i) * 10);
        char name[16];
        const int n = std::snprintf(name, sizeof name, "n%u", i);
        r->set_partner_info(0, i, std::string_view(name, static_cast<size_t>(n)));
    }
    done.store(true, std::memory_order_release);
    reader.join();
    EXPECT_EQ(bad.load(), 0u);
    EXPECT_GT(reads.load(), 10u);
}

// The writer keeps, in every state it writes: score_away = score_home + 100,
// period_number = score_home % 1000, and texts naming score_home; in every
// depth answer: fetched_unix_ns = the answer's number n, each partner's levels
// priced n + level, available = price + offset, best = first level's price and
// total = their sum. A copy mixing two writes breaks one of these.
TEST(book_concurrency, state_and_depth_records_read_consistently_while_written) {
    capacities caps = load_caps();
    caps.max_depth = 2;
    caps.depth_partners = 4;
    caps.depth_levels = 8;
    scoped_region r(caps, "csd");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    for (int i = 0; i < 4; ++i) ASSERT_EQ(r->intern_partner(cat("p", i)), uint32_t(i));
    ASSERT_EQ(r->claim_depth("h"), 0u);
    std::atomic<bool> done{false};
    std::atomic<uint64_t> bad{0}, state_reads{0}, depth_reads{0};
    std::thread state_reader([&] {
        scoped_book b(*r);
        ef_state_view v;
        while (!done.load(std::memory_order_acquire)) {
            const int rc = ef_book_read_state(b, 0, &v);
            if (rc == EF_ENOENT || rc == EF_EBUSY) continue;
            const bool good = rc == EF_OK && v.score_away == v.score_home + 100 &&
                              v.period_number == v.score_home % 1000 &&
                              std::string(v.game_status_text) == cat("s", v.score_home) &&
                              std::string(v.period_label) == cat("label-", v.score_home) &&
                              v.updates == uint64_t(v.score_home) && (v.seq & 1) == 0;
            if (!good) bad.fetch_add(1, std::memory_order_relaxed);
            state_reads.fetch_add(1, std::memory_order_relaxed);
        }
    });
    std::thread depth_reader([&] {
        scoped_book b(*r);
        auto v = std::make_unique<ef_depth_view>();
        while (!done.load(std::memory_order_acquire)) {
            const int rc = ef_book_read_depth(b, 0, v.get());
            if (rc == EF_EBUSY) continue;
            bool good = rc == EF_OK && std::string(v->hash) == "h" && (v->seq & 1) == 0;
            const int64_t n = v->fetched_unix_ns;
            if (good && v->status == EF_DEPTH_NEVER) good = v->partner_count == 0 && n == 0;
            else if (good)
                good = v->partner_count == uint32_t(n % 4) + 1 && v->position == uint32_t(n);
            for (uint32_t k = 0; good && k < v->partner_count; ++k) {
                const ef_depth_partner_view& p = v->partners[k];
                good = p.partner == k && p.level_count == uint32_t((n + k) % 8) + 1 &&
                       p.fetched_unix_ns == n && p.best_price_e9 == p.levels[0].price_e9;
                int64_t total = 0;
                for (uint32_t l = 0; good && l < p.level_count; ++l) {
                    good = p.levels[l].price_e9 == n + l &&
                           p.levels[l].available_e9 == p.levels[l].price_e9 + offset;
                    total += p.levels[l].available_e9;
                }
                good = good && p.total_available_e9 == total;
            }
            if (!good) bad.fetch_add(1, std::memory_order_relaxed);
            depth_reads.fetch_add(1, std::memory_order_relaxed);
        }
    });
    const int64_t end = ef::mono_ns() + time_budget_ns;
    std::vector<ef_depth_level> lv[4];
    for (int64_t i = 1; i < 1'000'000 && (i % 256 || ef::mono_ns() < end); ++i) {
        contest_state_values st;
        const std::string text = cat("s", i), label = cat("label-", i);
        st.flags = EF_STATE_PRESENT | EF_STATE_HAS_SCORES;
        st.score_home = i;
        st.score_away = i + 100;
        st.period_number = static_cast<int32_t>(i % 1000);
        st.game_status_text = text;
        st.period_label = label;
        r->write_contest_state(0, st);

        depth_partner_values ps[4];
        const uint32_t np = uint32_t(i % 4) + 1;
        for (uint32_t k = 0; k < np; ++k) {
            lv[k].clear();
            int64_t total = 0;
            for (uint32_t l = 0; l <= uint32_t((i + k) % 8); ++l) {
                lv[k].push_back({i + l, i + l + offset});
                total += i + l + offset;
            }
            ps[k] = {k, i, total, i, lv[k]};
        }
        if (r->write_depth(0, uint32_t(i), i, EF_DEPTH_OK, std::span(ps, np)) !=
            depth_write::written) {
            ADD_FAILURE() << "write_depth failed at " << i;
            break;
        }
        if (i % 7 == 0) (void)r->mark_depth_failed(0);
    }
    done.store(true, std::memory_order_release);
    state_reader.join();
    depth_reader.join();
    EXPECT_EQ(bad.load(), 0u);
    EXPECT_GT(state_reads.load(), 10u) << "the reader must actually overlap the writer";
    EXPECT_GT(depth_reads.load(), 10u);
    std::printf("[ info ] %llu state and %llu depth reads consistent\n",
                static_cast<unsigned long long>(state_reads.load()),
                static_cast<unsigned long long>(depth_reads.load()));
}

// set_partner_info may run on any thread: two writers take turns through the
// CAS on seq. Each writes status = 2 * i + its id and a name naming both, so
// a copy mixing the two writers' stores breaks name == "<a|b><status>".
TEST(book_concurrency, two_threads_setting_partner_names_never_mix_their_writes) {
    scoped_region r(load_caps(), "cpn");
    ASSERT_EQ(r->intern_partner("kalshi"), 0u);
    std::atomic<bool> done{false};
    std::atomic<uint64_t> bad{0}, reads{0};
    std::thread reader([&] {
        scoped_book b(*r);
        ef_partner_view pv;
        while (!done.load(std::memory_order_acquire)) {
            if (ef_book_read_partner(b, 0, &pv) != EF_OK) continue;
            const bool good = (pv.status == 0 && pv.name[0] == '\0') ||
                              std::string(pv.name) == cat(pv.status % 2 ? "b" : "a", pv.status);
            if (!good) bad.fetch_add(1, std::memory_order_relaxed);
            reads.fetch_add(1, std::memory_order_relaxed);
        }
    });
    std::atomic<uint64_t> interned_wrong{0}, writes{0};
    auto writer = [&](uint32_t id) {
        const int64_t end = ef::mono_ns() + time_budget_ns / 2;
        for (uint32_t i = 1; i < 100'000 && (i % 256 || ef::mono_ns() < end); ++i) {
            const uint32_t status = 2 * i + id;
            const std::string name = cat(id ? "b" : "a", status);
            r->set_partner_info(0, status, name);
            writes.fetch_add(1, std::memory_order_relaxed);
            // Interning is not held up by name writers (it waits only for a claim).
            if (r->intern_partner("kalshi") != 0u) interned_wrong.fetch_add(1);
        }
    };
    std::thread w0(writer, 0), w1(writer, 1);
    w0.join();
    w1.join();
    done.store(true, std::memory_order_release);
    reader.join();
    EXPECT_EQ(bad.load(), 0u);
    EXPECT_EQ(interned_wrong.load(), 0u);
    EXPECT_GT(reads.load(), 10u);
    // Writers that overlapped would have stored the same odd and even values
    // and lost increments: the count proves they took turns.
    EXPECT_EQ(r->partner(0)->seq, 2 + 2 * writes.load()) << "one window per write, none shared";
}

} // namespace
