// cl_order_id allocation (cl_order_id.hpp): the order loop's next() and the
// helper thread that persists block ends. The two share three atomics: `want`
// (the loop's latest request: day and block end), `done` (what is on disk)
// and a stop bit in `want`. Both pack (YYYYMMDD << 32 | end), so a later day
// or a later end always compares greater.
#include "orders/cl_order_id.hpp"
#include "orders/utc_day.hpp"
#include "common/u64_text.hpp"

#include "common/clock.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace ef::orders {

namespace {

constexpr uint64_t stop_bit = uint64_t{1} << 63;
constexpr const char* file_magic = "edgefeed-clid 1\n";

// Howard Hinnant's civil-from-days / days-from-civil (public domain algorithms).
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) noexcept {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

int64_t days_from_yyyymmdd(uint32_t v) noexcept {
    int64_t y = v / 10000;
    const unsigned m = v / 100 % 100, d = v % 100;
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

uint64_t pack(uint32_t yyyymmdd, uint32_t end) noexcept {
    return uint64_t{yyyymmdd} << 32 | end;
}
uint32_t day_part(uint64_t p) noexcept { return static_cast<uint32_t>((p & ~stop_bit) >> 32); }
uint32_t end_part(uint64_t p) noexcept { return static_cast<uint32_t>(p); }

std::string errno_text(const std::string& what, int err) {
    return what + ": " + std::strerror(err);
}

bool valid_prefix(const std::string& p) noexcept {
    if (p.size() > cl_order_id_source::prefix_max) return false;
    for (const char c : p)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    return true;
}

// Reads "edgefeed-clid 1\n<YYYYMMDD> <end>\n"; anything else is corrupt.
status parse_state(const std::string& text, uint32_t& yyyymmdd, uint32_t& end) {
    const size_t mlen = std::strlen(file_magic);
    if (text.compare(0, mlen, file_magic) != 0) return make_error("not an edgefeed clid state file");
    uint64_t vals[2] = {0, 0};
    size_t i = mlen;
    for (int k = 0; k < 2; ++k) {
        const size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 10)
            vals[k] = vals[k] * 10 + static_cast<uint64_t>(text[i++] - '0');
        const char want = k == 0 ? ' ' : '\n';
        if (i == start || i >= text.size() || text[i] != want)
            return make_error("corrupt state line");
        ++i;
    }
    if (i != text.size() || vals[0] > UINT32_MAX || vals[1] > UINT32_MAX || vals[1] == 0 ||
        vals[0] < 19700101 || vals[0] % 100 == 0 || vals[0] / 100 % 100 == 0 ||
        vals[0] / 100 % 100 > 12 || vals[0] % 100 > 31)
        return make_error("corrupt state values");
    yyyymmdd = static_cast<uint32_t>(vals[0]);
    end = static_cast<uint32_t>(vals[1]);
    return ok();
}

} // namespace

uint32_t yyyymmdd_of_day(int64_t days) noexcept {
    int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    return static_cast<uint32_t>(y * 10000 + m * 100 + d);
}

struct cl_order_id_source::impl {
    std::string dir, instance, prefix, path, tmp_path;
    int lock_fd = -1;
    uint32_t block = default_block;

    // The loop's side.
    int64_t day = INT64_MIN; // days since 1970-01-01
    int64_t day_start_ns = 0, day_end_ns = 0;
    uint32_t yyyymmdd = 0;
    char head[EF_CL_ORDER_ID_MAX] = {};
    size_t head_len = 0;
    uint64_t seq = 1;         // the next id to hand out
    uint64_t usable_end = 1;  // ids below it are on disk for `yyyymmdd`
    uint64_t requested_end = 1;

    // Shared with the helper thread.
    std::atomic<uint64_t> want{0};
    std::atomic<uint64_t> done{0};
    std::atomic<uint64_t> blocks{0};
    mutable std::mutex error_mutex;
    std::string error; // guarded by error_mutex
    std::thread helper;

    ~impl() {
        if (helper.joinable()) {
            want.fetch_or(stop_bit, std::memory_order_release);
            want.notify_one();
            helper.join();
        }
        if (lock_fd >= 0) ::close(lock_fd);
    }

    // tmp + fsync + rename + fsync(dir): after it returns ok, a crash leaves
    // either the old state or the new one on disk, never a mix or nothing.
    status persist(uint32_t day_value, uint32_t end) const {
        char text[64];
        size_t n = std::strlen(file_magic);
        std::memcpy(text, file_magic, n);
        n += write_u64_text(text + n, day_value);
        text[n++] = ' ';
        n += write_u64_text(text + n, end);
        text[n++] = '\n';
        const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        if (fd < 0) return make_error(errno_text("creating " + tmp_path, errno));
        const ssize_t w = ::write(fd, text, n);
        const int werr = errno;
        if (w != static_cast<ssize_t>(n) || ::fsync(fd) != 0) {
            const int err = w < 0 ? werr : errno ? errno : EIO;
            ::close(fd);
            return make_error(errno_text("writing " + tmp_path, err));
        }
        ::close(fd);
        if (::rename(tmp_path.c_str(), path.c_str()) != 0)
            return make_error(errno_text("renaming to " + path, errno));
        const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) return make_error(errno_text("opening " + dir, errno));
        const int rc = ::fsync(dfd);
        const int err = errno;
        ::close(dfd);
        if (rc != 0) return make_error(errno_text("fsync " + dir, err));
        return ok();
    }

    void run_helper() {
        uint64_t last = done.load(std::memory_order_relaxed);
        for (;;) {
            const uint64_t w = want.load(std::memory_order_acquire); // pairs with request()
            if (w & stop_bit) return;
            if (w == last) {
                want.wait(w, std::memory_order_acquire);
                continue;
            }
            status st = persist(day_part(w), end_part(w));
            if (!st) {
                {
                    std::lock_guard g(error_mutex);
                    error = st.err().message;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10)); // retry
                continue;
            }
            last = w;
            blocks.fetch_add(1, std::memory_order_relaxed);
            done.store(w, std::memory_order_release); // pairs with wait_block()'s acquire
        }
    }

    void set_day(int64_t d) noexcept {
        day = d;
        day_start_ns = d * utc_day_ns;
        day_end_ns = day_start_ns + utc_day_ns;
        yyyymmdd = yyyymmdd_of_day(d);
        std::memcpy(head, prefix.data(), prefix.size()); // prefix: 1-8 characters, checked at open
        head_len = prefix.size();
        head_len += write_u64_text(head + head_len, yyyymmdd);
        head[head_len++] = '-';
    }

    void request(uint64_t end) noexcept {
        requested_end = end;
        want.store(pack(yyyymmdd, static_cast<uint32_t>(end)), std::memory_order_release);
        want.notify_one(); // the one system call per block
    }

    [[gnu::cold]] void on_clock(int64_t now_unix_ns) noexcept {
        const int64_t d = utc_day_of(now_unix_ns);
        if (d <= day) return; // a clock stepping back keeps the later day's name
        set_day(d);
        seq = usable_end = requested_end = 1;
        request(1 + block);
    }

    [[gnu::cold]] bool wait_block() noexcept {
        if (requested_end <= seq && seq + block <= UINT32_MAX) request(seq + block);
        const int64_t start = mono_ns();
        for (;;) {
            const uint64_t d = done.load(std::memory_order_acquire);
            if (day_part(d) == yyyymmdd && end_part(d) > seq) {
                usable_end = end_part(d);
                return true;
            }
            if (mono_ns() - start > max_wait_ns) return false;
            std::this_thread::yield();
        }
    }
};

cl_order_id_source::cl_order_id_source(std::unique_ptr<impl> p) noexcept : p_(std::move(p)) {}
cl_order_id_source::cl_order_id_source(cl_order_id_source&&) noexcept = default;
cl_order_id_source& cl_order_id_source::operator=(cl_order_id_source&&) noexcept = default;
cl_order_id_source::~cl_order_id_source() = default;

result<cl_order_id_source> cl_order_id_source::open(std::string dir, std::string instance,
                                                    std::string prefix, uint32_t block,
                                                    int64_t now_unix_ns) {
    if (!valid_prefix(prefix))
        return make_error("cl_order_id prefix '" + prefix + "' is not [A-Za-z0-9_-]{0,16}");
    if (instance.empty() || instance.find('/') != std::string::npos)
        return make_error("cl_order_id: bad instance name '" + instance + "'");
    if (block < 2 || block > (1u << 30)) return make_error("cl_order_id block must be 2..2^30");
    auto p = std::make_unique<impl>();
    p->dir = std::move(dir);
    p->instance = std::move(instance);
    p->prefix = std::move(prefix);
    p->block = block;
    p->path = p->dir + "/" + p->instance + ".clid";
    p->tmp_path = p->path + ".tmp";
    const std::string lock_path = p->path + ".lock";
    p->lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (p->lock_fd < 0) return make_error(errno_text("opening " + lock_path, errno));
    if (::flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0)
        return make_error(errno == EWOULDBLOCK
                              ? lock_path + ": another process allocates this instance's ids"
                              : errno_text("locking " + lock_path, errno));

    uint32_t file_day = 0, file_end = 1;
    const int fd = ::open(p->path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buf[128];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        const int err = errno;
        ::close(fd);
        if (n < 0) return make_error(errno_text("reading " + p->path, err));
        status st = parse_state(std::string(buf, static_cast<size_t>(n)), file_day, file_end);
        if (!st) return std::move(st).err().context(p->path + " (fix or remove by hand)");
    } else if (errno != ENOENT) {
        return make_error(errno_text("opening " + p->path, errno));
    }

    const int64_t today = utc_day_of(now_unix_ns != 0 ? now_unix_ns : unix_ns());
    const int64_t file_days = file_day ? days_from_yyyymmdd(file_day) : INT64_MIN;
    p->set_day(file_days > today ? file_days : today);
    p->seq = file_day == p->yyyymmdd ? file_end : 1;
    if (p->seq + block > UINT32_MAX) return make_error(p->path + ": the day's ids are used up");
    const uint64_t first = pack(p->yyyymmdd, static_cast<uint32_t>(p->seq + block));
    if (status st = p->persist(p->yyyymmdd, static_cast<uint32_t>(p->seq + block)); !st)
        return std::move(st).err().context("cl_order_id");
    p->usable_end = p->requested_end = p->seq + block;
    p->want.store(first, std::memory_order_relaxed);
    p->done.store(first, std::memory_order_relaxed);
    p->blocks.store(1, std::memory_order_relaxed);
    impl* raw = p.get();
    p->helper = std::thread([raw] { raw->run_helper(); });
    return cl_order_id_source(std::move(p));
}

size_t cl_order_id_source::next(char out[EF_CL_ORDER_ID_MAX], int64_t now_unix_ns) noexcept {
    impl& s = *p_;
    if (now_unix_ns < s.day_start_ns || now_unix_ns >= s.day_end_ns) [[unlikely]]
        s.on_clock(now_unix_ns);
    if (s.seq >= s.usable_end) [[unlikely]] {
        if (!s.wait_block()) return 0;
    }
    // Half the block left: have the next block's end persisted meanwhile.
    if (s.requested_end == s.usable_end && s.usable_end - s.seq <= s.block / 2 &&
        s.usable_end + s.block <= UINT32_MAX)
        s.request(s.usable_end + s.block);
    std::memcpy(out, s.head, s.head_len);
    size_t n = s.head_len + write_u64_text(out + s.head_len, s.seq++);
    out[n] = '\0';
    return n;
}

const std::string& cl_order_id_source::path() const noexcept { return p_->path; }

std::string cl_order_id_source::last_error() const {
    std::lock_guard g(p_->error_mutex);
    return p_->error;
}

uint64_t cl_order_id_source::blocks_persisted() const noexcept {
    return p_->blocks.load(std::memory_order_relaxed);
}

} // namespace ef::orders
