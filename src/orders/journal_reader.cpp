// The order journal's format functions (CRC-32C, record validation: shared
// with the writer, which cuts torn tails with them) and the file reader used
// by `edgestat orders`.
#include "orders/journal_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <nmmintrin.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ef::orders {

namespace journal {

const char* to_string(record_type t) noexcept {
    switch (t) {
    case record_type::request: return "request";
    case record_type::wire_out: return "wire_out";
    case record_type::wire_in: return "wire_in";
    case record_type::response: return "response";
    case record_type::reject: return "reject";
    case record_type::note: return "note";
    }
    return "unknown";
}

const char* to_string(venue v) noexcept {
    switch (v) {
    case venue::none: return "none";
    case venue::openmarkets: return "openmarkets";
    case venue::connect_trade: return "connect_trade";
    }
    return "unknown";
}

const char* to_string(scan_status s) noexcept {
    switch (s) {
    case scan_status::ok: return "ok";
    case scan_status::end: return "end";
    case scan_status::torn: return "torn";
    case scan_status::corrupt: return "corrupt";
    }
    return "unknown";
}

uint32_t crc32c(uint32_t crc, const void* data, size_t len) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    uint64_t c = ~crc;
    for (; len >= 8; len -= 8, p += 8) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        c = _mm_crc32_u64(c, v);
    }
    uint32_t c32 = static_cast<uint32_t>(c);
    for (; len; --len, ++p) c32 = _mm_crc32_u8(c32, *p);
    return ~c32;
}

scan_status read_record(std::span<const std::byte> bytes, uint64_t offset, record_view& out,
                        uint64_t& next_offset, size_t record_max_bytes) noexcept {
    if (offset >= bytes.size()) return scan_status::end;
    const uint64_t left = bytes.size() - offset;
    if (left < sizeof(record_header)) return scan_status::torn;
    record_header h;
    std::memcpy(&h, bytes.data() + offset, sizeof h);
    if (h.magic != record_magic || h.version != format_version || h.len > record_max_bytes ||
        h.type < static_cast<uint16_t>(record_type::request) ||
        h.type > static_cast<uint16_t>(record_type::note))
        return scan_status::corrupt;
    const uint64_t whole = padded(sizeof h + h.len);
    if (left < sizeof h + h.len) return scan_status::torn;
    const uint32_t stored = h.crc;
    record_header zeroed = h;
    zeroed.crc = 0;
    uint32_t crc = crc32c(0, &zeroed, sizeof zeroed);
    crc = crc32c(crc, bytes.data() + offset + sizeof h, h.len);
    if (crc != stored) return scan_status::corrupt;
    out.header = h;
    out.payload = bytes.subspan(offset + sizeof h, h.len);
    out.offset = offset;
    // The padding may be missing at the very end (a cut file): the record is whole.
    next_offset = std::min<uint64_t>(offset + whole, bytes.size());
    return scan_status::ok;
}

uint64_t valid_prefix(std::span<const std::byte> bytes) noexcept {
    uint64_t off = 0, next = 0;
    record_view v;
    while (read_record(bytes, off, v, next) == scan_status::ok) off = next;
    return off;
}

} // namespace journal

result<journal_reader> journal_reader::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return make_error("opening " + path + ": " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return make_error("stat " + path + ": " + std::strerror(err));
    }
    journal_reader r;
    r.path_ = path;
    r.size_ = static_cast<uint64_t>(st.st_size);
    if (r.size_ > 0) {
        void* m = ::mmap(nullptr, r.size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            return make_error("mapping " + path + ": " + std::strerror(err));
        }
        r.data_ = static_cast<const std::byte*>(m);
    }
    ::close(fd);
    return r;
}

journal_reader::journal_reader(journal_reader&& o) noexcept
    : path_(std::move(o.path_)), data_(o.data_), size_(o.size_), offset_(o.offset_),
      records_(o.records_), status_(o.status_) {
    o.data_ = nullptr;
    o.size_ = 0;
}

journal_reader& journal_reader::operator=(journal_reader&& o) noexcept {
    if (this != &o) {
        if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
        path_ = std::move(o.path_);
        data_ = o.data_;
        size_ = o.size_;
        offset_ = o.offset_;
        records_ = o.records_;
        status_ = o.status_;
        o.data_ = nullptr;
        o.size_ = 0;
    }
    return *this;
}

journal_reader::~journal_reader() {
    if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
}

bool journal_reader::next(journal::record_view& out) noexcept {
    if (status_ != journal::scan_status::ok) return false;
    uint64_t next_offset = 0;
    status_ = journal::read_record({data_, size_}, offset_, out, next_offset);
    if (status_ != journal::scan_status::ok) return false;
    offset_ = next_offset;
    ++records_;
    return true;
}

std::string journal_reader::warning() const {
    if (status_ == journal::scan_status::ok || status_ == journal::scan_status::end) return {};
    return path_ + ": " + journal::to_string(status_) + " record at offset " +
           std::to_string(offset_) + " (" + std::to_string(size_ - offset_) +
           " bytes not read, after " + std::to_string(records_) + " records)";
}

} // namespace ef::orders
