// POSIX shared-memory objects for the books (see shm.hpp). Control path only:
// called at daemon start and shutdown, by tools and by tests.
#include "platform/shm.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace ef::platform {

result<uint64_t> random_region_epoch(std::string_view what) {
    uint64_t e = 0;
    for (;;) {
        const ssize_t n = ::getrandom(&e, sizeof e, 0);
        if (n == static_cast<ssize_t>(sizeof e)) break;
        if (n < 0 && errno == EINTR) continue;
        return make_error("getrandom for the " + std::string(what) + " epoch: " +
                          (n < 0 ? std::strerror(errno) : "short read"));
    }
    return e ? e : 1;
}

namespace {

error errno_error(const char* what, const std::string& name, int err) {
    std::string m = what;
    m += ' ';
    m += name;
    m += ": ";
    m += std::strerror(err);
    return make_error(std::move(m));
}

result<std::string> object_name(std::string_view instance, std::string_view suffix = {}) {
    char buf[shm_object_name_max];
    if (!format_shm_object_name(instance, buf)) {
        std::string m = "invalid instance name \"";
        m.append(instance.substr(0, 64));
        m += "\" (want 1-47 of [A-Za-z0-9_.-])";
        return make_error(std::move(m));
    }
    return std::string(buf).append(suffix);
}

// Closes the descriptor on every path out of the create/open functions.
struct fd_guard {
    int fd;
    ~fd_guard() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

shm_mapping::shm_mapping(shm_mapping&& o) noexcept { *this = std::move(o); }

shm_mapping& shm_mapping::operator=(shm_mapping&& o) noexcept {
    if (this != &o) {
        reset();
        data_ = std::exchange(o.data_, nullptr);
        size_ = std::exchange(o.size_, 0);
        name_ = std::move(o.name_);
        writable_ = o.writable_;
        unlinked_ = o.unlinked_;
        dev_ = o.dev_;
        ino_ = o.ino_;
        mlock_errno_ = o.mlock_errno_;
    }
    return *this;
}

shm_mapping::~shm_mapping() { reset(); }

void shm_mapping::reset() noexcept {
    if (data_) ::munmap(data_, size_);
    data_ = nullptr;
    size_ = 0;
}

status shm_mapping::unlink() {
    if (unlinked_ || name_.empty()) return ok();
    if (::shm_unlink(name_.c_str()) != 0 && errno != ENOENT)
        return errno_error("shm_unlink", name_, errno);
    unlinked_ = true;
    return ok();
}

result<shm_mapping> shm_create(std::string_view instance, size_t bytes, bool lock,
                               std::string_view suffix, unsigned mode) {
    auto name = object_name(instance, suffix);
    if (!name) return std::move(name).err();
    const std::string& n = name.value();
    if (bytes == 0) return make_error("creating " + n + ": size 0");

    // A new object per start: consumers of the old one keep their mapping.
    if (::shm_unlink(n.c_str()) != 0 && errno != ENOENT)
        return errno_error("shm_unlink (old object)", n, errno);
    fd_guard fd{::shm_open(n.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
                           static_cast<mode_t>(mode))};
    if (fd.fd < 0) return errno_error("shm_open O_CREAT|O_EXCL", n, errno);
    // The umask may have removed bits consumers of other users need.
    if (::fchmod(fd.fd, static_cast<mode_t>(mode)) != 0) return errno_error("fchmod", n, errno);
    if (::ftruncate(fd.fd, static_cast<off_t>(bytes)) != 0) {
        const int err = errno;
        ::shm_unlink(n.c_str());
        return errno_error("ftruncate", n, err);
    }
    struct stat st;
    if (::fstat(fd.fd, &st) != 0) {
        const int err = errno;
        ::shm_unlink(n.c_str());
        return errno_error("fstat", n, err);
    }
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd.fd, 0);
    if (p == MAP_FAILED) {
        const int err = errno;
        ::shm_unlink(n.c_str());
        return errno_error("mmap", n, err);
    }
    shm_mapping m;
    m.data_ = static_cast<uint8_t*>(p);
    m.size_ = bytes;
    m.name_ = n;
    m.writable_ = true;
    m.dev_ = static_cast<uint64_t>(st.st_dev);
    m.ino_ = static_cast<uint64_t>(st.st_ino);
    m.mlock_errno_ = 0;
    if (lock && ::mlock(p, bytes) != 0) m.mlock_errno_ = errno;
    return m;
}

result<shm_mapping> shm_open_readonly(std::string_view instance) {
    auto name = object_name(instance);
    if (!name) return std::move(name).err();
    const std::string& n = name.value();
    fd_guard fd{::shm_open(n.c_str(), O_RDONLY | O_CLOEXEC, 0)};
    if (fd.fd < 0) return errno_error("shm_open O_RDONLY", n, errno);
    struct stat st;
    if (::fstat(fd.fd, &st) != 0) return errno_error("fstat", n, errno);
    if (st.st_size <= 0) return make_error("mapping " + n + ": object is empty");
    const size_t bytes = static_cast<size_t>(st.st_size);
    void* p = ::mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd.fd, 0);
    if (p == MAP_FAILED) return errno_error("mmap PROT_READ", n, errno);
    shm_mapping m;
    m.data_ = static_cast<uint8_t*>(p);
    m.size_ = bytes;
    m.name_ = n;
    m.writable_ = false;
    m.unlinked_ = true; // a reader never removes the name
    m.dev_ = static_cast<uint64_t>(st.st_dev);
    m.ino_ = static_cast<uint64_t>(st.st_ino);
    return m;
}

status shm_remove(std::string_view instance, std::string_view suffix) {
    auto name = object_name(instance, suffix);
    if (!name) return std::move(name).err();
    if (::shm_unlink(name.value().c_str()) != 0 && errno != ENOENT)
        return errno_error("shm_unlink", name.value(), errno);
    return ok();
}

} // namespace ef::platform
