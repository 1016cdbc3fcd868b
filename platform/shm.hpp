// POSIX shared memory for the books: the daemon creates a fresh object per
// start, consumers map it read-only. Driven by the daemon's control thread at
// start-up and shutdown (and by tests); nothing here runs on the hot path.
//
// The instance-name rules are constexpr and allocation-free so that the
// consumer library (src/consumer/, which links nothing but libc) applies the
// very same rules without linking this file.
#pragma once

#include "common/result.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ef::platform {

inline constexpr std::string_view default_instance = "default";
inline constexpr size_t instance_name_max = 47; // layout.h EF_INSTANCE_MAX - 1
inline constexpr std::string_view shm_prefix = "/edgefeed.";
// "/edgefeed." + 47 name bytes + NUL
inline constexpr size_t shm_object_name_max = 10 + instance_name_max + 1;

// [A-Za-z0-9_.-]{1,47}, and not "." or "..": the name becomes a file under
// /dev/shm, so nothing that could walk out of it or hide from `ls`.
constexpr bool valid_instance_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > instance_name_max) return false;
    if (name == "." || name == "..") return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!ok) return false;
    }
    return true;
}

// Writes "/edgefeed.<instance>" with its NUL into out; false if the name is
// invalid. Shared with the consumer library, hence no std::string.
constexpr bool format_shm_object_name(std::string_view instance,
                                      char (&out)[shm_object_name_max]) noexcept {
    if (!valid_instance_name(instance)) return false;
    size_t n = 0;
    for (char c : shm_prefix) out[n++] = c;
    for (char c : instance) out[n++] = c;
    out[n] = '\0';
    return true;
}

// A random, non-zero epoch for a region created now: readers compare it to
// notice a daemon restart (a new object under the same name); 0 is kept for
// "no epoch" / "daemon stopped". `what` names the region in the error.
result<uint64_t> random_region_epoch(std::string_view what);

// One mapping of a shared-memory object. Move-only; unmaps on destruction but
// never unlinks (a crash must not leave consumers without the name while they
// may still want the last state: the next daemon start replaces it).
class shm_mapping {
public:
    shm_mapping() = default;
    shm_mapping(shm_mapping&& o) noexcept;
    shm_mapping& operator=(shm_mapping&& o) noexcept;
    shm_mapping(const shm_mapping&) = delete;
    shm_mapping& operator=(const shm_mapping&) = delete;
    ~shm_mapping();

    uint8_t* data() const noexcept { return data_; }
    size_t size() const noexcept { return size_; }
    const std::string& name() const noexcept { return name_; }
    bool writable() const noexcept { return writable_; }
    // Device and inode of the object: a consumer compares them with what the
    // name refers to now to learn that the daemon restarted.
    uint64_t dev() const noexcept { return dev_; }
    uint64_t ino() const noexcept { return ino_; }
    // mlock is best effort (RLIMIT_MEMLOCK is often 8 MiB): 0 when the pages
    // are locked, otherwise the errno mlock gave, for the start-up report.
    int mlock_errno() const noexcept { return mlock_errno_; }

    // Removes the name so the next consumer attach fails with ENOENT; for a
    // clean shutdown. Mappings stay valid. Idempotent.
    status unlink();

private:
    friend result<shm_mapping> shm_create(std::string_view, size_t, bool, std::string_view,
                                          unsigned);
    friend result<shm_mapping> shm_open_readonly(std::string_view);
    void reset() noexcept;

    uint8_t* data_ = nullptr;
    size_t size_ = 0;
    std::string name_;
    bool writable_ = false;
    bool unlinked_ = false;
    uint64_t dev_ = 0;
    uint64_t ino_ = 0;
    int mlock_errno_ = 0;
};

// Daemon side: unlinks any old /edgefeed.<instance><suffix>, creates a new
// object (O_EXCL, `mode` whatever the umask), sizes it, maps it read-write
// with MAP_POPULATE and, if lock is set, tries mlock. Consumers still attached
// to a previous object keep a valid mapping and learn from its epoch and
// heartbeat that they must re-attach. The books use no suffix and mode 0644
// (read-only consumers of any user); the order channel ".orders" and 0660
// (strategies write requests into it, so only the daemon's group may map it).
result<shm_mapping> shm_create(std::string_view instance, size_t bytes, bool lock,
                               std::string_view suffix = {}, unsigned mode = 0644);

// Consumer side (and tests): maps the current object read-only, sized by fstat.
result<shm_mapping> shm_open_readonly(std::string_view instance);

// Removes /edgefeed.<instance><suffix> if it exists (tests, and tools cleaning
// up a daemon that died). ENOENT counts as success.
status shm_remove(std::string_view instance, std::string_view suffix = {});

} // namespace ef::platform
