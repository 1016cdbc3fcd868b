// Tests for attaching with the consumer C ABI: refusals (absent, not yet
// published, foreign, other major, inconsistent header), is_current after a
// restart, stats pointers, and the C++ wrapper.
#include "book_test_support.hpp"
#include "common/clock.hpp"
#include "edgefeed/edgefeed.hpp"

#include <chrono>
#include <cstring>
#include <gtest/gtest.h>
#include <string>
#include <thread>

using namespace ef::book;
using ef::book::test::cat;
using ef::book::test::scoped_book;
using ef::book::test::scoped_region;
using ef::book::test::small_caps;
using ef::book::test::unique_instance;
namespace pf = ef::platform;

namespace {

// A writable copy of a real region under another name, to tamper with.
class tampered_copy {
public:
    tampered_copy(book_region& src, const char* tag) : instance_(unique_instance(tag)) {
        auto m = pf::shm_create(instance_, src.spec().total_bytes, false);
        EXPECT_TRUE(m) << m.err().message;
        map_ = std::move(m.value());
        std::memcpy(map_.data(), src.header(), src.spec().total_bytes);
    }
    ~tampered_copy() { (void)map_.unlink(); }
    ef_region_header* header() { return reinterpret_cast<ef_region_header*>(map_.data()); }
    const std::string& instance() const { return instance_; }

private:
    std::string instance_;
    pf::shm_mapping map_;
};

int open_rc(const std::string& instance) {
    ef_book* b = nullptr;
    const int rc = ef_book_open(instance.c_str(), &b);
    ef_book_close(b);
    if (rc != EF_OK) {
        EXPECT_EQ(b, nullptr);
    }
    return rc;
}

TEST(consumer_attach, reports_a_missing_instance_as_enoent_naming_the_object) {
    const std::string inst = unique_instance("none");
    EXPECT_EQ(open_rc(inst), EF_ENOENT);
    EXPECT_NE(std::string(ef_book_last_error()).find("/edgefeed." + inst), std::string::npos)
        << ef_book_last_error();
}

TEST(consumer_attach, refuses_invalid_instance_names_and_null_out) {
    EXPECT_EQ(open_rc("../x"), EF_EINVAL);
    EXPECT_EQ(open_rc(std::string(48, 'a')), EF_EINVAL);
    EXPECT_EQ(ef_book_open("x", nullptr), EF_EINVAL);
}

TEST(consumer_attach, round_trips_a_region_by_name) {
    scoped_region r(small_caps(), "rt");
    ef_book* b = nullptr;
    ASSERT_EQ(ef_book_open(r.instance().c_str(), &b), EF_OK) << ef_book_last_error();
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(ef_book_region(b)->epoch, r->epoch());
    EXPECT_STREQ(ef_book_last_error(), "");
    ef_book_close(b);
    ef_book_close(nullptr);
}

TEST(consumer_attach, refuses_another_layout_major_naming_both_versions) {
    scoped_region r(small_caps(), "ver");
    tampered_copy t(*r, "ver2");
    t.header()->layout_major = EF_LAYOUT_MAJOR + 1;
    t.header()->layout_minor = 3;
    EXPECT_EQ(open_rc(t.instance()), EF_EBADVERSION);
    const std::string msg = ef_book_last_error();
    EXPECT_NE(msg.find(cat("layout is ", EF_LAYOUT_MAJOR + 1) + ".3"), std::string::npos) << msg;
    EXPECT_NE(msg.find(cat("reads layout ", EF_LAYOUT_MAJOR) + ".x"), std::string::npos) << msg;
    EXPECT_EQ(open_rc(r.instance()), EF_OK) << "the original still attaches";
}

// A region an older daemon left keeps its name until the daemon being waited
// for replaces it: open_wait waits that out instead of failing at once.
TEST(consumer_attach, open_wait_waits_out_a_region_of_another_layout_until_it_is_replaced) {
    scoped_region r(small_caps(), "old");
    tampered_copy t(*r, "old2");
    t.header()->layout_major = EF_LAYOUT_MAJOR - 1;
    ef_book* b = nullptr;
    const int64_t t0 = ef::mono_ns();
    EXPECT_EQ(ef_book_open_wait(t.instance().c_str(), 60, &b), EF_EBADVERSION) << "bounded wait";
    EXPECT_GE(ef::mono_ns() - t0, 50'000'000) << "it waited instead of failing at once";
    EXPECT_EQ(b, nullptr);
    std::thread replace([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        t.header()->layout_major = EF_LAYOUT_MAJOR; // the new daemon's region
    });
    EXPECT_EQ(ef_book_open_wait(t.instance().c_str(), 5000, &b), EF_OK) << ef_book_last_error();
    replace.join();
    ef_book_close(b);
}

TEST(consumer_attach, refuses_an_object_that_is_not_an_edgefeed_region) {
    scoped_region r(small_caps(), "mag");
    tampered_copy t(*r, "mag2");
    t.header()->magic = 0x1122334455667788;
    EXPECT_EQ(open_rc(t.instance()), EF_EBADMAGIC);
    EXPECT_NE(std::string(ef_book_last_error()).find("0x1122334455667788"), std::string::npos);
}

TEST(consumer_attach, says_try_again_while_layout_major_is_unpublished) {
    scoped_region r(small_caps(), "pub");
    tampered_copy t(*r, "pub2");
    t.header()->layout_major = 0;
    EXPECT_EQ(open_rc(t.instance()), EF_EAGAIN);
    ef_book* b = nullptr;
    EXPECT_EQ(ef_book_open_wait(t.instance().c_str(), 30, &b), EF_EAGAIN) << "bounded wait";
    EXPECT_EQ(b, nullptr);
    t.header()->layout_major = EF_LAYOUT_MAJOR;
    EXPECT_EQ(open_rc(t.instance()), EF_OK);
}

TEST(consumer_attach, says_try_again_while_the_object_is_not_yet_sized) {
    const std::string inst = unique_instance("sz");
    auto m = pf::shm_create(inst, 64, false); // smaller than the header
    ASSERT_TRUE(m);
    EXPECT_EQ(open_rc(inst), EF_EAGAIN);
    ASSERT_TRUE(m->unlink());
}

TEST(consumer_attach, refuses_headers_whose_sections_do_not_fit) {
    struct tamper {
        void (*edit)(ef_region_header&);
        int want;
        const char* why;
    } cases[] = {
        {[](ef_region_header& h) { h.region_bytes *= 2; }, EF_ECORRUPT, "region larger than the object"},
        {[](ef_region_header& h) { h.off_positions = h.region_bytes - 8; }, EF_ECORRUPT,
         "positions past the end"},
        {[](ef_region_header& h) { h.max_positions = 1u << 29; }, EF_ECORRUPT, "too many positions"},
        {[](ef_region_header& h) { h.off_index += 4; }, EF_ECORRUPT, "misaligned index"},
        {[](ef_region_header& h) { h.index_slots = 100; }, EF_ECORRUPT, "index not a power of two"},
        {[](ef_region_header& h) { h.journal_capacity = 1u << 20; }, EF_ECORRUPT,
         "journal ring larger than its stride"},
        {[](ef_region_header& h) { h.position_stride = 64; }, EF_ECORRUPT, "stride below the record"},
        {[](ef_region_header& h) { h.off_stats = ~uint64_t{0} - 64; }, EF_ECORRUPT,
         "offset that overflows"},
        {[](ef_region_header& h) { h.levels_per_position = EF_VIEW_MAX_LEVELS + 1; },
         EF_EUNSUPPORTED, "more levels than a view holds"},
        {[](ef_region_header& h) { h.journal_shards = EF_CURSOR_MAX_SHARDS + 1; }, EF_EUNSUPPORTED,
         "more shards than a cursor follows"},
        {[](ef_region_header& h) { h.depth_partners = EF_VIEW_MAX_DEPTH_PARTNERS + 1; },
         EF_EUNSUPPORTED, "more depth partners than a view holds"},
        {[](ef_region_header& h) { h.depth_levels = EF_VIEW_MAX_DEPTH_LEVELS + 1; },
         EF_EUNSUPPORTED, "more depth levels than a view holds"},
        {[](ef_region_header& h) { h.depth_stride = 64; }, EF_ECORRUPT,
         "depth stride below the record"},
        {[](ef_region_header& h) { h.max_depth = 1u << 20; }, EF_ECORRUPT,
         "depth records past the end"},
        {[](ef_region_header& h) { h.off_states = h.region_bytes - 128; }, EF_ECORRUPT,
         "contest states past the end"},
    };
    scoped_region r(small_caps(), "cor");
    for (const auto& c : cases) {
        tampered_copy t(*r, "cor2");
        c.edit(*t.header());
        EXPECT_EQ(open_rc(t.instance()), c.want) << c.why << ": " << ef_book_last_error();
    }
}

TEST(consumer_attach, is_current_until_the_daemon_restarts_or_stops) {
    const std::string inst = unique_instance("cur");
    auto spec = region_spec::make(small_caps());
    ASSERT_TRUE(spec);
    auto first = book_region::create(inst, spec.value());
    ASSERT_TRUE(first);
    first->set_state(EF_DAEMON_RUNNING);
    scoped_book b(inst);
    EXPECT_EQ(ef_book_is_current(b), 1);

    auto second = book_region::create(inst, spec.value()); // a restart
    ASSERT_TRUE(second);
    EXPECT_EQ(ef_book_is_current(b), 0) << "the name refers to a new object";
    scoped_book nb(inst);
    EXPECT_EQ(ef_book_is_current(nb), 1);
    struct ef_book_info i1, i2;
    ASSERT_EQ(ef_book_info(b, &i1), EF_OK);
    ASSERT_EQ(ef_book_info(nb, &i2), EF_OK);
    EXPECT_NE(i1.epoch, i2.epoch);

    second->heartbeat(ef::mono_ns() - 2 * EF_HEARTBEAT_STALE_NS);
    EXPECT_EQ(ef_book_is_current(nb), 0) << "stale heartbeat";
    second->heartbeat(ef::mono_ns());
    EXPECT_EQ(ef_book_is_current(nb), 1);
    second->set_state(EF_DAEMON_STOPPED);
    EXPECT_EQ(ef_book_is_current(nb), 0) << "stopped";
    second->set_state(EF_DAEMON_RUNNING);
    ASSERT_TRUE(second->unlink());
    EXPECT_EQ(ef_book_is_current(nb), 0) << "removed on shutdown";
    EXPECT_EQ(ef_book_is_current(nullptr), EF_EINVAL);
}

TEST(consumer_attach, stats_pointers_land_on_the_daemons_records) {
    scoped_region r(small_caps(), "st");
    r->stats()->process.pid = 42;
    r->loop_stats(1)->messages = 7;
    r->conn_stats(1)->updates = 9;
    scoped_book b(r.instance());
    EXPECT_EQ(ef_book_stats(b)->process.pid, 42u);
    ASSERT_NE(ef_book_loop_stats(b, 1), nullptr);
    EXPECT_EQ(edgefeed::relaxed(ef_book_loop_stats(b, 1)->messages), 7u);
    EXPECT_EQ(edgefeed::relaxed(ef_book_conn_stats(b, 1)->updates), 9u);
    EXPECT_EQ(ef_book_loop_stats(b, 2), nullptr);
    EXPECT_EQ(ef_book_conn_stats(b, 2), nullptr);
    EXPECT_EQ(reinterpret_cast<const uint8_t*>(ef_book_conn_stats(b, 0)) -
                  reinterpret_cast<const uint8_t*>(ef_book_region(b)),
              static_cast<std::ptrdiff_t>(reinterpret_cast<uint8_t*>(r->conn_stats(0)) -
                                          reinterpret_cast<uint8_t*>(r->header())));
}

TEST(consumer_attach, names_every_error_code) {
    for (int code = EF_ENOMEM; code <= EF_OK; ++code)
        EXPECT_EQ(std::string(ef_strerror(code)).rfind("EF_", 0), 0u) << code;
    EXPECT_STREQ(ef_strerror(12345), "unknown edgefeed error code");
}

TEST(consumer_cpp, wraps_attach_reads_and_the_journal) {
    scoped_region r(small_caps(), "cpp");
    ASSERT_EQ(r->claim_contest("c1"), 0u);
    ASSERT_EQ(r->intern_partner("kalshi"), 0u);
    position_writer w = r.writer(0);
    const uint32_t p = w.find_or_create_position("c1:pos", 0);

    auto missing = edgefeed::book::open(unique_instance("cppx"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.code(), EF_ENOENT);
    EXPECT_FALSE(missing.err().message.empty());

    auto b = edgefeed::book::open(r.instance());
    ASSERT_TRUE(b) << b.err().message;
    EXPECT_EQ(b->epoch(), r->epoch());
    EXPECT_EQ(b->find("c1:pos"), p);
    EXPECT_EQ(b->find("c1:nope"), std::nullopt);
    EXPECT_EQ(b->find_contest("c1"), 0u);
    EXPECT_EQ(b->find_partner("kalshi"), 0u);
    EXPECT_EQ(b->read_partner(0)->id, std::string("kalshi"));
    EXPECT_EQ(b->read_contest(1).code(), EF_ENOENT);

    edgefeed::cursor cur = edgefeed::cursor::newest(*b);
    ef_journal_entry e;
    EXPECT_EQ(cur.next(*b, e), edgefeed::cursor::status::empty);
    ASSERT_EQ(w.apply_level(p, 0, 490'000'000, 5'400 * EF_SCALE_E9, 1, 2), apply_status::applied);
    ASSERT_EQ(cur.next(*b, e), edgefeed::cursor::status::entry);
    auto v = b->read_position(e.position);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->best_price_e9, 490'000'000);
    EXPECT_EQ(v->best_partner, 0u);

    edgefeed::book moved = std::move(*b);
    EXPECT_EQ(moved.position_count(), 1u);
    EXPECT_EQ(edgefeed::relaxed(moved.region().positions_used), 1u);
}

} // namespace
