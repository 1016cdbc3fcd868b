// Test helper: copies bytes so that they end exactly at a PROT_NONE page, so a
// parser that reads one byte past its input faults at once instead of reading
// whatever follows (picohttpparser and simdjson test this way).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <sys/mman.h>
#include <unistd.h>

namespace ef::test {

class guarded_buffer {
public:
    explicit guarded_buffer(std::span<const uint8_t> bytes) { init(bytes.data(), bytes.size()); }
    explicit guarded_buffer(std::string_view s) { init(s.data(), s.size()); }
    guarded_buffer(const guarded_buffer&) = delete;
    guarded_buffer& operator=(const guarded_buffer&) = delete;
    ~guarded_buffer() {
        if (base_ != MAP_FAILED) munmap(base_, map_len_);
    }

    uint8_t* data() { return data_; }
    size_t size() const { return size_; }
    std::span<uint8_t> span() { return {data_, size_}; }
    std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }

private:
    void init(const void* src, size_t n) {
        const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        const size_t data_pages = (n + page - 1) / page;
        map_len_ = (data_pages + 1) * page;
        base_ = mmap(nullptr, map_len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base_ == MAP_FAILED) std::abort();
        uint8_t* guard = static_cast<uint8_t*>(base_) + data_pages * page;
        mprotect(guard, page, PROT_NONE);
        data_ = guard - n;
        size_ = n;
        if (n) std::memcpy(data_, src, n);
    }

    void* base_ = MAP_FAILED;
    size_t map_len_ = 0;
    uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

} // namespace ef::test
