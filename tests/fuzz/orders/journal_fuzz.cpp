// libFuzzer target: the order journal as `edgestat orders` reads it after a
// crash: any bytes on disk, torn or corrupt anywhere.
//
// Records carry a CRC-32C, so random bytes almost never make a valid record
// and would never reach the payload decoding. The first input byte picks how
// the rest is read:
//   even: the raw bytes are the journal file;
//   odd:  the rest is a list of [type u8][len u16 LE][payload], each written as
//         a record with a correct header and CRC (then the last byte of the
//         input, if any is left over, is appended as a torn tail), so the
//         report's decoding of every record type sees fuzzed payloads.
// Checks: the scanner's records are contiguous and inside the input, it stops
// exactly where valid_prefix says, and the report (table and JSON) neither
// crashes nor writes anything but one valid JSON object (UTF-8) per line.
// Driven by libFuzzer, or by standalone_main.cpp over tests/fuzz/corpus/journal.
#include "edgestat/orders_dump.hpp"
#include "json/scanner.hpp"
#include "orders/journal_format.hpp"
#include "ws/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace {

namespace journal = ef::orders::journal;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "journal: invariant broken: %s\n", what);
    std::abort();
}

std::vector<std::byte> build_records(const uint8_t* p, size_t n) {
    std::vector<std::byte> out;
    size_t i = 0;
    while (n - i >= 3) {
        const uint8_t type = p[i];
        const size_t len = std::min<size_t>(p[i + 1] | size_t{p[i + 2]} << 8, n - i - 3);
        journal::record_header h{};
        h.magic = journal::record_magic;
        h.type = static_cast<uint16_t>(1 + type % 6);
        h.version = journal::format_version;
        h.len = static_cast<uint32_t>(len);
        h.wall_unix_ns = 1'795'320'000'000'000'000 + static_cast<int64_t>(i) * 1000;
        h.mono_ns = static_cast<int64_t>(i);
        h.strategy = type >= 0xf0 ? UINT32_MAX : type >> 4;
        uint32_t crc = journal::crc32c(0, &h, sizeof h);
        crc = journal::crc32c(crc, p + i + 3, len);
        h.crc = crc;
        const size_t at = out.size();
        out.resize(at + journal::padded(sizeof h + len));
        std::memcpy(out.data() + at, &h, sizeof h);
        std::memcpy(out.data() + at + sizeof h, p + i + 3, len);
        i += 3 + len;
    }
    for (; i < n; ++i) out.push_back(static_cast<std::byte>(p[i])); // a torn tail
    return out;
}

void check_scan(const std::vector<std::byte>& bytes) {
    const std::span<const std::byte> all(bytes.data(), bytes.size());
    uint64_t off = 0, next = 0;
    journal::record_view v;
    journal::scan_status st;
    while ((st = journal::read_record(all, off, v, next)) == journal::scan_status::ok) {
        if (v.offset != off || next <= off || next > bytes.size()) fail("record offsets");
        if (v.payload.data() != bytes.data() + off + sizeof(journal::record_header) ||
            v.payload.size() > bytes.size() - off - sizeof(journal::record_header))
            fail("payload outside the record");
        off = next;
    }
    if ((st == journal::scan_status::end) != (off == bytes.size())) fail("end status");
    if (journal::valid_prefix(all) != off) fail("valid_prefix disagrees with the scan");
}

// The report reads a path: the input goes into a memory file.
std::string memory_file(const std::vector<std::byte>& bytes) {
    static int fd = memfd_create("journal-fuzz", MFD_CLOEXEC);
    if (fd < 0) fail("memfd_create");
    if (ftruncate(fd, 0) != 0 || pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()))
        fail("writing the memory file");
    return "/proc/self/fd/" + std::to_string(fd);
}

void check_report(const std::string& path, bool json) {
    ef::stat::orders_options o;
    o.file = path;
    o.json = json;
    std::string out, warn;
    if (!ef::stat::orders_report(o, out, warn)) return; // unreadable: said in warn
    if (!json) return;
    size_t start = 0;
    while (start < out.size()) {
        size_t end = out.find('\n', start);
        if (end == std::string::npos) fail("a JSON line without its newline");
        const std::string_view line = std::string_view(out).substr(start, end - start);
        if (ef::json::validate_json(line) != ef::json::syntax_error::none)
            fail("a --json line is not valid JSON");
        if (!ef::ws::utf8_validator::is_valid(line)) fail("a --json line is not UTF-8");
        start = end + 1;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::vector<std::byte> bytes;
    if (data[0] & 1) {
        bytes = build_records(data + 1, size - 1);
    } else {
        bytes.resize(size - 1);
        if (size > 1) std::memcpy(bytes.data(), data + 1, size - 1);
    }
    check_scan(bytes);
    const std::string path = memory_file(bytes);
    check_report(path, false);
    check_report(path, true);
    return 0;
}
