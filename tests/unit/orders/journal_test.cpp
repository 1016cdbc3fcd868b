// The order journal: what the order loop appends comes back from the file in
// order and intact; a full ring drops and says so; a torn or corrupt tail ends
// reading with a warning and is cut before the next append; records handed
// to the writer survive the process dying without stop().
#include "tests/unit/orders/journal_support.hpp"
#include "tests/unit/orders/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace ef::orders {
namespace {

using namespace test;
using journal::record_type;

std::string path_of(const temp_dir& d) { return d.path() + "/" + jfile; }

TEST(journal_format, crc32c_matches_the_castagnoli_check_value) {
    EXPECT_EQ(journal::crc32c(0, "123456789", 9), 0xE3069283u);
    // Chained in pieces, as the writer does (header, then payload).
    EXPECT_EQ(journal::crc32c(journal::crc32c(0, "1234", 4), "56789", 5), 0xE3069283u);
    EXPECT_EQ(journal::crc32c(0, "", 0), 0u);
}

TEST(journal_writer, records_appended_while_the_writer_runs_read_back_every_one_in_order) {
    temp_dir dir;
    journal_writer w(dir.path(), "main", 1024, 2048);
    ASSERT_TRUE(w.start().ok());
    constexpr uint32_t n = 20'000;
    uint64_t refused = 0;
    for (uint32_t i = 0; i < n; ++i) {
        char text[32];
        const int len = std::snprintf(text, sizeof text, "record %u", i);
        // A full ring refuses: wait for the writer (the loop would count and move on).
        while (!w.append(record_type::note, i % 7, text, static_cast<size_t>(len), &i, sizeof i,
                         jt0 + i, 1000 + i)) {
            ++refused;
            std::this_thread::yield();
        }
    }
    w.stop();
    EXPECT_EQ(w.appended(), n);
    EXPECT_EQ(w.dropped(), refused);
    EXPECT_EQ(w.write_errors(), 0u);
    const read_result got = read_all(path_of(dir));
    EXPECT_EQ(got.end, journal::scan_status::end) << got.warning;
    uint32_t next = 0, drop_notes = 0;
    for (const read_record& r : got.records) {
        if (r.header.strategy == UINT32_MAX) { // the writer's own drop notes
            ++drop_notes;
            continue;
        }
        char text[32];
        const int len = std::snprintf(text, sizeof text, "record %u", next);
        ASSERT_EQ(r.payload.size(), static_cast<size_t>(len) + sizeof next);
        ASSERT_EQ(r.payload.substr(0, static_cast<size_t>(len)), text);
        uint32_t tail;
        std::memcpy(&tail, r.payload.data() + len, sizeof tail);
        ASSERT_EQ(tail, next);
        ASSERT_EQ(r.header.strategy, next % 7);
        ASSERT_EQ(r.header.wall_unix_ns, jt0 + next);
        ASSERT_EQ(r.header.mono_ns, 1000 + next);
        ++next;
    }
    EXPECT_EQ(next, n);
    EXPECT_EQ(drop_notes > 0, refused > 0);
    EXPECT_EQ(w.written(), n + drop_notes);
}

TEST(journal_writer, a_full_ring_refuses_counts_and_journals_the_count_when_space_returns) {
    temp_dir dir;
    journal_writer w(dir.path(), "main", 8, 1024);
    const char text[] = "x";
    int accepted = 0;
    for (int i = 0; i < 11; ++i)
        accepted += w.append(record_type::note, 0, text, 1, nullptr, 0, jt0, 1);
    EXPECT_EQ(accepted, 8);
    EXPECT_EQ(w.dropped(), 3u);
    ASSERT_TRUE(w.start().ok());
    w.stop();
    const read_result got = read_all(path_of(dir));
    ASSERT_EQ(got.records.size(), 9u);
    const read_record& note = got.records.back();
    EXPECT_EQ(note.header.type, static_cast<uint16_t>(record_type::note));
    EXPECT_EQ(note.payload.substr(sizeof(journal::note_head)),
              "journal: 3 records dropped (ring full or record too large)");
}

TEST(journal_writer, a_record_larger_than_a_slot_is_refused_and_counted) {
    temp_dir dir;
    journal_writer w(dir.path(), "main", 8, 1024);
    const std::string big(w.record_max_bytes() + 1, 'b');
    EXPECT_FALSE(w.append(record_type::note, 0, big.data(), big.size(), nullptr, 0, jt0, 1));
    EXPECT_EQ(w.dropped(), 1u);
    EXPECT_TRUE(w.append(record_type::note, 0, big.data(), big.size() - 1, nullptr, 0, jt0, 1));
}

TEST(journal_writer, typed_records_keep_their_fields_and_cut_long_bodies) {
    temp_dir dir;
    journal_writer w(dir.path(), "main", 64, 2048);
    ASSERT_TRUE(w.start().ok());
    ef_order_request req{};
    req.request_id = 77;
    req.kind = EF_ORDER_CT_NEW;
    std::strcpy(req.symbol, "AAPL");
    ASSERT_TRUE(w.append_request(3, "alpha", req, "ef20261122-5", jt0, 1));
    const std::string body(3000, 'q');
    ASSERT_TRUE(w.append_wire_out(3, journal::venue::connect_trade, "ef20261122-5", "POST",
                                  "/orders", body, jt0 + 1, 2));
    const std::string answer(5000, 'a');
    ASSERT_TRUE(w.append_wire_in(3, "ef20261122-5", 200, answer, jt0 + 2, 3));
    ef_order_response resp{};
    resp.request_id = 77;
    resp.outcome = EF_OUTCOME_ACCEPTED;
    ASSERT_TRUE(w.append_response(3, resp, jt0 + 3, 4));
    ASSERT_TRUE(w.append_note(3, "ef20261122-5", "reconnected", jt0 + 4, 5));
    w.stop();
    const read_result got = read_all(path_of(dir));
    ASSERT_EQ(got.records.size(), 5u);

    journal::request_head rh;
    ASSERT_EQ(got.records[0].payload.size(), sizeof rh);
    std::memcpy(&rh, got.records[0].payload.data(), sizeof rh);
    EXPECT_EQ(rh.request.request_id, 77u);
    EXPECT_STREQ(rh.request.symbol, "AAPL");
    EXPECT_STREQ(rh.cl_order_id, "ef20261122-5");
    EXPECT_STREQ(rh.strategy_name, "alpha");

    journal::wire_out_head wo;
    std::memcpy(&wo, got.records[1].payload.data(), sizeof wo);
    EXPECT_STREQ(wo.method, "POST");
    EXPECT_EQ(wo.venue, static_cast<uint16_t>(journal::venue::connect_trade));
    EXPECT_EQ(wo.body_total, 3000u);
    EXPECT_EQ(wo.target_len, 7u);
    EXPECT_EQ(sizeof wo + wo.target_len + wo.body_len, w.record_max_bytes()) << "cut to the slot";
    EXPECT_EQ(got.records[1].payload.substr(sizeof wo, 7), "/orders");

    journal::wire_in_head wi;
    std::memcpy(&wi, got.records[2].payload.data(), sizeof wi);
    EXPECT_EQ(wi.http_status, 200);
    EXPECT_EQ(wi.body_total, 5000u);
    EXPECT_EQ(wi.body_len, std::min<size_t>(4096, w.record_max_bytes() - sizeof wi));

    EXPECT_EQ(got.records[3].header.type, static_cast<uint16_t>(record_type::response));
    EXPECT_EQ(got.records[4].payload.substr(sizeof(journal::note_head)), "reconnected");
}

TEST(journal_writer, wire_in_keeps_the_first_4_kib_of_a_body) {
    temp_dir dir;
    journal_writer w(dir.path(), "main", 8, 16384);
    ASSERT_TRUE(w.start().ok());
    ASSERT_TRUE(w.append_wire_in(0, "c", 500, std::string(10000, 'z'), jt0, 1));
    w.stop();
    const read_result got = read_all(path_of(dir));
    ASSERT_EQ(got.records.size(), 1u);
    journal::wire_in_head wi;
    std::memcpy(&wi, got.records[0].payload.data(), sizeof wi);
    EXPECT_EQ(wi.body_len, 4096u);
    EXPECT_EQ(wi.body_total, 10000u);
    EXPECT_EQ(got.records[0].payload.size(), sizeof wi + 4096);
}

TEST(journal_writer, records_go_to_the_file_of_their_utc_day) {
    temp_dir dir;
    const int64_t midnight = (jt0 / 86'400'000'000'000 + 1) * 86'400'000'000'000;
    journal_writer w(dir.path(), "main", 8, 1024);
    ASSERT_TRUE(w.start().ok());
    ASSERT_TRUE(w.append_note(0, "", "before", midnight - 1, 1));
    ASSERT_TRUE(w.append_note(0, "", "after", midnight, 2));
    w.stop();
    EXPECT_EQ(read_all(dir.path() + "/main-orders-20261122.journal").records.size(), 1u);
    EXPECT_EQ(read_all(dir.path() + "/main-orders-20261123.journal").records.size(), 1u);
}

void write_notes(const std::string& dir, int n, int64_t wall = jt0) {
    journal_writer w(dir, "main", 64, 1024);
    ASSERT_TRUE(w.start().ok());
    for (int i = 0; i < n; ++i) ASSERT_TRUE(w.append_note(0, "", "note " + std::to_string(i), wall, i));
    w.stop();
}

TEST(journal_reader, a_torn_tail_ends_reading_with_a_warning_at_every_cut) {
    temp_dir dir;
    write_notes(dir.path(), 3);
    const std::string path = path_of(dir);
    const auto full = std::filesystem::file_size(path);
    const auto one = full / 3; // each note record has the same padded size
    for (uintmax_t cut = full - 1; cut > 2 * one; --cut) {
        std::filesystem::copy_file(path, path + ".cut", std::filesystem::copy_options::overwrite_existing);
        std::filesystem::resize_file(path + ".cut", cut);
        const read_result got = read_all(path + ".cut");
        const bool padding_only = cut >= 2 * one + sizeof(journal::record_header) +
                                              sizeof(journal::note_head) + 6;
        EXPECT_EQ(got.records.size(), padding_only ? 3u : 2u) << cut;
        EXPECT_EQ(got.end, padding_only ? journal::scan_status::end : journal::scan_status::torn) << cut;
        if (!padding_only) {
            EXPECT_NE(got.warning.find("torn record at offset"), std::string::npos);
        }
    }
}

TEST(journal_reader, a_flipped_byte_ends_reading_as_corrupt) {
    temp_dir dir;
    write_notes(dir.path(), 3);
    const std::string path = path_of(dir);
    const auto one = std::filesystem::file_size(path) / 3;
    for (const uintmax_t at : {one + 0, one + 5, one + 20, one + 45}) {
        std::string bytes;
        {
            std::ifstream f(path, std::ios::binary);
            bytes.assign(std::istreambuf_iterator<char>(f), {});
        }
        bytes[at] ^= 0x40;
        std::ofstream(path + ".bad", std::ios::binary) << bytes;
        const read_result got = read_all(path + ".bad");
        EXPECT_EQ(got.records.size(), 1u) << at;
        EXPECT_EQ(got.end, journal::scan_status::corrupt) << at;
    }
}

TEST(journal_writer, a_torn_tail_is_cut_and_noted_before_new_records_are_appended) {
    temp_dir dir;
    write_notes(dir.path(), 3);
    const std::string path = path_of(dir);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
    write_notes(dir.path(), 2);
    const read_result got = read_all(path);
    EXPECT_EQ(got.end, journal::scan_status::end) << got.warning;
    ASSERT_EQ(got.records.size(), 2u + 1u + 2u);
    EXPECT_NE(got.records[2].payload.find("journal: cut a torn tail of"), std::string::npos);
    EXPECT_NE(got.records[4].payload.find("note 1"), std::string::npos);
}

TEST(journal_writer, records_handed_over_survive_the_process_dying_without_stop) {
    temp_dir dir;
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        // No destructor, no stop(): as after kill -9.
        auto* w = new journal_writer(dir.path(), "main", 256, 1024);
        if (!w->start().ok()) ::_exit(2);
        for (int i = 0; i < 100; ++i) {
            char text[16];
            const int len = std::snprintf(text, sizeof text, "n%d", i);
            if (!w->append_note(0, "", {text, static_cast<size_t>(len)}, jt0, i)) ::_exit(3);
        }
        ::usleep(50'000); // the writer thread wakes every ~1 ms
        ::_exit(0);
    }
    int st = 0;
    ASSERT_EQ(::waitpid(pid, &st, 0), pid);
    ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
    const read_result got = read_all(path_of(dir));
    EXPECT_EQ(got.end, journal::scan_status::end) << got.warning;
    ASSERT_EQ(got.records.size(), 100u);
    EXPECT_EQ(got.records[99].payload.substr(sizeof(journal::note_head)), "n99");
}

TEST(journal_writer, start_fails_on_a_missing_directory_with_its_path) {
    journal_writer w("/nonexistent-edgefeed-journal", "main", 8, 1024);
    const status st = w.start();
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.err().message.find("/nonexistent-edgefeed-journal"), std::string::npos);
}

TEST(journal_writer, stop_writes_everything_appended_before_it) {
    temp_dir dir;
    journal_writer w(dir.path(), "main", 4096, 1024);
    ASSERT_TRUE(w.start().ok());
    for (int i = 0; i < 4000; ++i) ASSERT_TRUE(w.append_note(0, "", "s", jt0, i));
    w.stop();
    EXPECT_EQ(w.written(), 4000u);
    EXPECT_EQ(read_all(path_of(dir)).records.size(), 4000u);
    EXPECT_GT(w.bytes(), 4000u * sizeof(journal::record_header));
}

} // namespace
} // namespace ef::orders
