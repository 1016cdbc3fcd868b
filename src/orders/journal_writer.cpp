// The order journal's writer (journal_writer.hpp): append() on the order
// loop's thread, everything else on the writer thread. The ring is a plain
// SPSC of fixed slots: `tail_` is published by append() with release and
// read by the writer with acquire; `head_` the other way round.
#include "orders/journal_writer.hpp"
#include "orders/utc_day.hpp"
#include "common/u64_text.hpp"

#include "common/clock.hpp"
#include "orders/cl_order_id.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ef::orders {

using journal::record_header;
using journal::record_type;

namespace {

constexpr int64_t sync_every_ns = 100'000'000;
constexpr int64_t reopen_every_ns = 1'000'000'000;
constexpr uint32_t no_strategy = UINT32_MAX;

void set_field(char* dst, size_t cap, std::string_view s) noexcept {
    std::memset(dst, 0, cap);
    if (!s.empty()) std::memcpy(dst, s.data(), std::min(s.size(), cap - 1));
}

uint64_t round_pow2(uint64_t v) noexcept {
    uint64_t p = 2;
    while (p < v) p <<= 1;
    return p;
}


} // namespace

struct journal_writer::file_state {
    int fd = -1;
    uint32_t yyyymmdd = 0;
    std::string path;
    int64_t last_sync_mono = 0;
    uint64_t unsynced = 0;
    int64_t next_open_try_mono = 0;
    size_t batch_records = 0;
};

journal_writer::journal_writer(std::string dir, std::string instance, uint32_t records,
                               uint32_t record_max_bytes)
    : dir_(std::move(dir)), instance_(std::move(instance)),
      mask_(round_pow2(std::max<uint32_t>(records, 2)) - 1),
      slot_payload_(static_cast<uint32_t>(journal::padded(std::max<uint32_t>(record_max_bytes, 1024)))),
      slot_bytes_((sizeof(slot_head) + slot_payload_ + 63) & ~size_t{63}),
      slots_(new std::byte[(mask_ + 1) * slot_bytes_]),
      batch_cap_(std::max<size_t>(256 * 1024, sizeof(record_header) + slot_payload_ + 256)),
      file_(std::make_unique<file_state>()) {
    batch_.reset(new std::byte[batch_cap_]);
    // Touch every page now, so the first appends do not fault them in.
    std::memset(slots_.get(), 0, (mask_ + 1) * slot_bytes_);
}

journal_writer::~journal_writer() { stop(); }

std::string journal_writer::file_name(const std::string& instance, uint32_t yyyymmdd) {
    return instance + "-orders-" + std::to_string(yyyymmdd) + ".journal";
}

std::string journal_writer::current_path() const { return file_->path; }

status journal_writer::start() {
    if (thread_.joinable()) return ok();
    struct stat st;
    if (::stat(dir_.c_str(), &st) != 0)
        return make_error("journal directory " + dir_ + ": " + std::strerror(errno));
    if (!S_ISDIR(st.st_mode)) return make_error("journal directory " + dir_ + ": not a directory");
    if (::access(dir_.c_str(), W_OK) != 0)
        return make_error("journal directory " + dir_ + ": " + std::strerror(errno));
    stopping_.store(false, std::memory_order_relaxed);
    thread_ = std::thread([this] { run(); });
    return ok();
}

void journal_writer::stop() {
    if (!thread_.joinable()) return;
    stopping_.store(true, std::memory_order_release); // pairs with run()'s acquire
    thread_.join();
}

// ------------------------------------------------------------ order loop

bool journal_writer::append_parts(record_type type, uint32_t strategy, const journal_part* parts,
                                  size_t nparts, int64_t wall_ns, int64_t mono_ns) noexcept {
    size_t total = 0;
    for (size_t i = 0; i < nparts; ++i) total += parts[i].len;
    const uint64_t t = tail_.load(std::memory_order_relaxed);
    if (total > slot_payload_) [[unlikely]] {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    if (t - head_cache_ > mask_) {
        head_cache_ = head_.load(std::memory_order_acquire); // pairs with drain()'s release
        if (t - head_cache_ > mask_) [[unlikely]] {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
    }
    std::byte* s = slot(t);
    const slot_head h{static_cast<uint16_t>(type), 0, strategy, static_cast<uint32_t>(total), 0,
                      wall_ns, mono_ns};
    std::memcpy(s, &h, sizeof h);
    std::byte* p = s + sizeof h;
    for (size_t i = 0; i < nparts; ++i) {
        if (parts[i].len) std::memcpy(p, parts[i].data, parts[i].len);
        p += parts[i].len;
    }
    tail_.store(t + 1, std::memory_order_release); // pairs with drain()'s acquire
    appended_.store(appended_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return true;
}

bool journal_writer::append(record_type type, uint32_t strategy, const void* a, size_t alen,
                            const void* b, size_t blen, int64_t wall_ns, int64_t mono_ns) noexcept {
    const journal_part parts[2] = {{a, alen}, {b, blen}};
    return append_parts(type, strategy, parts, b ? 2 : 1, wall_ns, mono_ns);
}

bool journal_writer::append_request(uint32_t strategy, std::string_view strategy_name,
                                    const ef_order_request& r, std::string_view cl_order_id,
                                    int64_t wall_ns, int64_t mono_ns) noexcept {
    journal::request_head h;
    std::memcpy(&h.request, &r, sizeof r);
    set_field(h.cl_order_id, sizeof h.cl_order_id, cl_order_id);
    set_field(h.strategy_name, sizeof h.strategy_name, strategy_name);
    return append(record_type::request, strategy, &h, sizeof h, nullptr, 0, wall_ns, mono_ns);
}

bool journal_writer::append_wire_out(uint32_t strategy, journal::venue v,
                                     std::string_view cl_order_id, std::string_view method,
                                     std::string_view target, std::string_view body,
                                     int64_t wall_ns, int64_t mono_ns) noexcept {
    journal::wire_out_head h;
    std::memset(&h, 0, sizeof h);
    set_field(h.cl_order_id, sizeof h.cl_order_id, cl_order_id);
    set_field(h.method, sizeof h.method, method);
    const size_t room = slot_payload_ - sizeof h;
    const size_t tlen = std::min({target.size(), room, size_t{UINT16_MAX}});
    const size_t blen = std::min(body.size(), room - tlen);
    h.venue = static_cast<uint16_t>(v);
    h.target_len = static_cast<uint16_t>(tlen);
    h.body_len = static_cast<uint32_t>(blen);
    h.body_total = static_cast<uint32_t>(std::min<size_t>(body.size(), UINT32_MAX));
    const journal_part parts[3] = {{&h, sizeof h}, {target.data(), tlen}, {body.data(), blen}};
    return append_parts(record_type::wire_out, strategy, parts, 3, wall_ns, mono_ns);
}

bool journal_writer::append_wire_in(uint32_t strategy, std::string_view cl_order_id,
                                    int http_status, std::string_view body, int64_t wall_ns,
                                    int64_t mono_ns) noexcept {
    journal::wire_in_head h;
    std::memset(&h, 0, sizeof h);
    set_field(h.cl_order_id, sizeof h.cl_order_id, cl_order_id);
    const size_t blen = std::min({body.size(), journal::wire_in_body_max,
                                  size_t{slot_payload_} - sizeof h});
    h.http_status = http_status;
    h.body_len = static_cast<uint32_t>(blen);
    h.body_total = static_cast<uint32_t>(std::min<size_t>(body.size(), UINT32_MAX));
    const journal_part parts[2] = {{&h, sizeof h}, {body.data(), blen}};
    return append_parts(record_type::wire_in, strategy, parts, 2, wall_ns, mono_ns);
}

bool journal_writer::append_response(uint32_t strategy, const ef_order_response& r,
                                     int64_t wall_ns, int64_t mono_ns) noexcept {
    return append(record_type::response, strategy, &r, sizeof r, nullptr, 0, wall_ns, mono_ns);
}

bool journal_writer::append_reject(uint32_t strategy, const ef_order_response& r, int64_t wall_ns,
                                   int64_t mono_ns) noexcept {
    return append(record_type::reject, strategy, &r, sizeof r, nullptr, 0, wall_ns, mono_ns);
}

bool journal_writer::append_note(uint32_t strategy, std::string_view cl_order_id,
                                 std::string_view text, int64_t wall_ns, int64_t mono_ns) noexcept {
    journal::note_head h;
    set_field(h.cl_order_id, sizeof h.cl_order_id, cl_order_id);
    const size_t tlen = std::min(text.size(), size_t{slot_payload_} - sizeof h);
    const journal_part parts[2] = {{&h, sizeof h}, {text.data(), tlen}};
    return append_parts(record_type::note, strategy, parts, 2, wall_ns, mono_ns);
}

// --------------------------------------------------------- writer thread

void journal_writer::run() noexcept {
    file_->last_sync_mono = mono_ns();
    for (;;) {
        const bool stopping = stopping_.load(std::memory_order_acquire); // pairs with stop()
        const size_t n = drain(stopping);
        const int64_t now = mono_ns();
        if (file_->fd >= 0 && file_->unsynced > 0 &&
            (stopping || now - file_->last_sync_mono >= sync_every_ns)) {
            if (::fdatasync(file_->fd) != 0) write_errors_.fetch_add(1, std::memory_order_relaxed);
            file_->unsynced = 0;
            file_->last_sync_mono = now;
        }
        if (stopping) break;
        if (n == 0) ::usleep(1000); // off the hot path: sleeping is fine here
    }
    if (file_->fd >= 0) {
        ::close(file_->fd);
        file_->fd = -1;
    }
}

size_t journal_writer::drain(bool final) noexcept {
    (void)final;
    uint64_t h = head_.load(std::memory_order_relaxed);
    const uint64_t t = tail_.load(std::memory_order_acquire); // pairs with append's release
    const size_t n = static_cast<size_t>(t - h);
    for (; h != t; ++h) {
        const std::byte* s = slot(h);
        slot_head sh;
        std::memcpy(&sh, s, sizeof sh);
        emit(sh.type, sh.strategy, s + sizeof sh, sh.len, sh.wall_ns, sh.mono_ns);
        // The payload is in batch_ now: the slot may be reused.
        head_.store(h + 1, std::memory_order_release); // pairs with append's acquire
    }
    note_drops(unix_ns(), mono_ns());
    flush_batch();
    return n;
}

void journal_writer::note_drops(int64_t wall_ns, int64_t mono_ns_now) noexcept {
    const uint64_t dropped = dropped_.load(std::memory_order_relaxed);
    if (dropped == drops_noted_) return;
    char text[96];
    const char lead[] = "journal: ";
    size_t n = sizeof lead - 1;
    std::memcpy(text, lead, n);
    n += write_u64_text(text + n, dropped - drops_noted_);
    const char tail[] = " records dropped (ring full or record too large)";
    std::memcpy(text + n, tail, sizeof tail - 1);
    n += sizeof tail - 1;
    journal::note_head h;
    std::memset(&h, 0, sizeof h);
    std::byte payload[sizeof h + sizeof text];
    std::memcpy(payload, &h, sizeof h);
    std::memcpy(payload + sizeof h, text, n);
    drops_noted_ = dropped;
    emit(static_cast<uint16_t>(record_type::note), no_strategy, payload, sizeof h + n, wall_ns,
         mono_ns_now);
}

void journal_writer::emit(uint16_t type, uint32_t strategy, const void* payload, size_t len,
                          int64_t wall_ns, int64_t mono_ns_rec) noexcept {
    const uint32_t day = yyyymmdd_of_day(utc_day_of(wall_ns));
    if (day != file_->yyyymmdd || file_->fd < 0) {
        flush_batch();
        if (file_->fd >= 0 && day != file_->yyyymmdd) {
            if (file_->unsynced && ::fdatasync(file_->fd) != 0)
                write_errors_.fetch_add(1, std::memory_order_relaxed);
            ::close(file_->fd);
            file_->fd = -1;
            file_->unsynced = 0;
        }
        if (file_->fd < 0 && (day != file_->yyyymmdd || mono_ns() >= file_->next_open_try_mono)) {
            file_->yyyymmdd = day;
            file_->path = dir_ + "/" + file_name(instance_, day);
            file_->fd = ::open(file_->path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
            if (file_->fd < 0) {
                file_->next_open_try_mono = mono_ns() + reopen_every_ns;
            } else {
                // A crash may have left half a record at the end: cut it, so
                // what follows stays readable, and say so in the journal.
                struct stat st;
                uint64_t valid = 0, size = 0;
                if (::fstat(file_->fd, &st) == 0 && st.st_size > 0) {
                    size = static_cast<uint64_t>(st.st_size);
                    void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file_->fd, 0);
                    if (m != MAP_FAILED) {
                        valid = journal::valid_prefix({static_cast<const std::byte*>(m), size});
                        ::munmap(m, size);
                    } else {
                        valid = size;
                    }
                }
                if (valid < size && ::ftruncate(file_->fd, static_cast<off_t>(valid)) == 0) {
                    char text[96];
                    const char lead[] = "journal: cut a torn tail of ";
                    size_t n = sizeof lead - 1;
                    std::memcpy(text, lead, n);
                    n += write_u64_text(text + n, size - valid);
                    const char tail[] = " bytes left by a crash";
                    std::memcpy(text + n, tail, sizeof tail - 1);
                    n += sizeof tail - 1;
                    std::byte note[sizeof(journal::note_head) + sizeof text] = {};
                    std::memcpy(note + sizeof(journal::note_head), text, n);
                    emit(static_cast<uint16_t>(record_type::note), no_strategy, note,
                         sizeof(journal::note_head) + n, wall_ns, mono_ns_rec);
                }
            }
        }
        if (file_->fd < 0) {
            write_errors_.fetch_add(1, std::memory_order_relaxed); // this record is lost
            return;
        }
    }
    const size_t rec = journal::padded(sizeof(record_header) + len);
    if (batch_len_ + rec > batch_cap_) flush_batch();
    record_header hdr{journal::record_magic, type, journal::format_version,
                      static_cast<uint32_t>(len), 0, wall_ns, mono_ns_rec, strategy, 0};
    uint32_t crc = journal::crc32c(0, &hdr, sizeof hdr);
    crc = journal::crc32c(crc, payload, len);
    hdr.crc = crc;
    std::byte* out = batch_.get() + batch_len_;
    std::memcpy(out, &hdr, sizeof hdr);
    if (len) std::memcpy(out + sizeof hdr, payload, len);
    std::memset(out + sizeof hdr + len, 0, rec - sizeof hdr - len);
    batch_len_ += rec;
    ++file_->batch_records;
}

void journal_writer::flush_batch() noexcept {
    if (batch_len_ == 0) return;
    size_t off = 0;
    bool failed = file_->fd < 0;
    const off_t start = failed ? 0 : ::lseek(file_->fd, 0, SEEK_END);
    while (!failed && off < batch_len_) {
        const ssize_t w = ::write(file_->fd, batch_.get() + off, batch_len_ - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) failed = true;
        else off += static_cast<size_t>(w);
    }
    if (failed) {
        // Half a batch on disk would hide every later record from readers.
        if (off > 0 && start >= 0 && ::ftruncate(file_->fd, start) != 0)
            write_errors_.fetch_add(1, std::memory_order_relaxed);
        write_errors_.fetch_add(file_->batch_records, std::memory_order_relaxed);
    } else {
        written_.fetch_add(file_->batch_records, std::memory_order_relaxed);
        bytes_.fetch_add(batch_len_, std::memory_order_relaxed);
        file_->unsynced += batch_len_;
    }
    batch_len_ = 0;
    file_->batch_records = 0;
}

} // namespace ef::orders
