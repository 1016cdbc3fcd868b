// Shared by the HTTP fuzz targets: how the first bytes of an input choose the
// parser's limits and the cut of the rest into pieces, and a check that
// aborts (so libFuzzer keeps the input) instead of asserting, which release
// builds would compile out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#define EF_FUZZ_CHECK(cond)                                                                        \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);    \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

namespace ef::http::fuzz {

// Input layout: [config][4 piece sizes][message bytes...]. A piece size byte
// of 0 means "all that is left", so whole-buffer parsing is covered too.
struct plan {
    size_t head_cap;
    size_t body_cap;
    size_t max_headers;
    bool flag;          // target-specific (e.g. the request was HEAD)
    size_t chunk_bytes; // for round trips through the writers: 0 = Content-Length
    uint8_t cuts[4];
    std::string_view stream;
};

inline bool make_plan(const uint8_t* data, size_t size, plan& p) {
    if (size < 5) return false;
    static constexpr size_t head_caps[] = {32, 128, 512, 8192};
    static constexpr size_t body_caps[] = {0, 16, 256, 65536};
    static constexpr size_t header_limits[] = {0, 2, 8, 64};
    const uint8_t c = data[0];
    p.head_cap = head_caps[c & 3];
    p.body_cap = body_caps[(c >> 2) & 3];
    p.max_headers = header_limits[(c >> 4) & 3];
    p.flag = (c >> 6) & 1;
    p.chunk_bytes = (c >> 7) ? 1 + data[1] % 8 : 0;
    std::memcpy(p.cuts, data + 1, 4);
    p.stream = {reinterpret_cast<const char*>(data + 5), size - 5};
    return true;
}

// Copies each piece into its own exact-size heap block, so ASan sees a read
// past the piece even when more input follows it in the fuzzer's buffer.
class piece_source {
public:
    explicit piece_source(const plan& p) : plan_(p), rest_(p.stream) {}
    bool next(std::unique_ptr<char[]>& mem, std::string_view& piece) {
        if (rest_.empty()) return false;
        const uint8_t cut = plan_.cuts[i_++ % 4];
        const size_t n = cut == 0 ? rest_.size() : std::min<size_t>(cut, rest_.size());
        mem = std::make_unique<char[]>(n);
        std::memcpy(mem.get(), rest_.data(), n);
        piece = {mem.get(), n};
        rest_.remove_prefix(n);
        return true;
    }

private:
    const plan& plan_;
    std::string_view rest_;
    size_t i_ = 0;
};

inline bool inside(std::string_view inner, const char* base, size_t cap) {
    return inner.empty() || (inner.data() >= base && inner.data() + inner.size() <= base + cap);
}

} // namespace ef::http::fuzz
