// See shm_object.hpp.
#include "consumer/shm_object.hpp"
#include "edgefeed/edgefeed.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ef::consumer {

int errno_code(int err) noexcept {
    switch (err) {
    case ENOENT: return EF_ENOENT;
    case EACCES:
    case EPERM: return EF_EACCES;
    case ENOMEM: return EF_ENOMEM;
    default: return EF_ESYS;
    }
}

int map_object(const char* name, bool writable, size_t min_bytes, const map_hints& hints, char* error,
               mapped_object& out) noexcept {
    out = {};
    const int fd = shm_open(name, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC, 0);
    if (fd < 0) {
        const int err = errno;
        std::snprintf(error, error_text_bytes, "shm_open %s: %s%s", name, std::strerror(err),
                      err == ENOENT ? hints.missing : err == EACCES ? hints.denied : "");
        return errno_code(err);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        const int err = errno;
        close(fd);
        std::snprintf(error, error_text_bytes, "fstat %s: %s", name, std::strerror(err));
        return errno_code(err);
    }
    if (st.st_size < static_cast<off_t>(min_bytes)) {
        close(fd); // created, not yet sized: the daemon is mid-way
        std::snprintf(error, error_text_bytes, "%s: region not yet sized (daemon starting)", name);
        return EF_EAGAIN;
    }
    const size_t bytes = static_cast<size_t>(st.st_size);
    void* p = mmap(nullptr, bytes, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
    const int map_err = errno;
    close(fd);
    if (p == MAP_FAILED) {
        std::snprintf(error, error_text_bytes, "mmap %s: %s", name, std::strerror(map_err));
        return errno_code(map_err);
    }
    out.base = p;
    out.bytes = bytes;
    out.dev = static_cast<uint64_t>(st.st_dev);
    out.ino = static_cast<uint64_t>(st.st_ino);
    return EF_OK;
}

} // namespace ef::consumer
