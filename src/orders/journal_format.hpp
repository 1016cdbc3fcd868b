// The order journal's on-disk format: what the journal writer appends and
// `edgestat orders` reads back to reconstruct an order's life after a crash.
// Binary, little-endian (the hosts are x86-64), append-only, one file a UTC
// day per instance: `<dir>/<instance>-orders-<YYYYMMDD>.journal`.
//
// A record is a 40-byte header, then `len` payload bytes, then zero padding
// to a multiple of 8. `crc` is CRC-32C (Castagnoli) over the header with crc
// = 0, then the payload: a torn or corrupt tail (crash mid-write) is seen and
// ends reading. Payloads start with a fixed struct for their type; variable
// text follows it. Headers never appear: they carry the venues' secrets.
#pragma once

#include <edgefeed/orders.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

namespace ef::orders::journal {

inline constexpr uint32_t record_magic = 0x4c4e524a; // "JRNL"
inline constexpr uint16_t format_version = 1;
inline constexpr size_t record_align = 8;
inline constexpr size_t wire_in_body_max = 4096; // WIRE_IN keeps the body's first 4 KiB

enum class record_type : uint16_t {
    request = 1,  // request_head: the strategy's request as taken off its ring
    wire_out = 2, // wire_out_head, target, body: what was sent (no headers)
    wire_in = 3,  // wire_in_head, body (first 4 KiB): what came back
    response = 4, // ef_order_response handed back to the strategy
    reject = 5,   // ef_order_response of a risk / invalid / daemon reject (nothing sent)
    note = 6,     // note_head, text: reconnects, reconciliation steps, drops
};

const char* to_string(record_type t) noexcept;

struct record_header {
    uint32_t magic; // record_magic
    uint16_t type;  // record_type
    uint16_t version; // format_version
    uint32_t len;   // payload bytes (padding not counted)
    uint32_t crc;   // CRC-32C of header (crc = 0) and payload
    int64_t wall_unix_ns;
    int64_t mono_ns;
    uint32_t strategy; // slot index of the strategy (UINT32_MAX: none)
    uint32_t pad;
};
static_assert(sizeof(record_header) == 40, "record header");
static_assert(std::is_trivially_copyable_v<record_header>);

enum class venue : uint16_t { none = 0, openmarkets = 1, connect_trade = 2 };
const char* to_string(venue v) noexcept;

struct request_head {
    ef_order_request request;
    char cl_order_id[EF_CL_ORDER_ID_MAX]; // empty when rejected before one was assigned
    char strategy_name[EF_STRATEGY_NAME_MAX];
};
static_assert(sizeof(request_head) == 576 + 40 + 32);

struct wire_out_head {
    char cl_order_id[EF_CL_ORDER_ID_MAX];
    char method[8];      // "POST", "PATCH", "DELETE", "GET"
    uint16_t venue;      // enum venue
    uint16_t target_len; // target bytes after this head
    uint32_t body_len;   // body bytes after the target (may be cut: see body_total)
    uint32_t body_total; // the body's length as sent
    uint32_t pad;
};
static_assert(sizeof(wire_out_head) == 64);

struct wire_in_head {
    char cl_order_id[EF_CL_ORDER_ID_MAX];
    int32_t http_status;
    uint32_t body_len;   // stored bytes after this head, <= wire_in_body_max
    uint32_t body_total; // the body's length as received
    uint32_t pad;
};
static_assert(sizeof(wire_in_head) == 56);

struct note_head {
    char cl_order_id[EF_CL_ORDER_ID_MAX]; // the order it concerns, or empty
};
static_assert(sizeof(note_head) == 40);

// CRC-32C, continuing from `crc` (start with 0). SSE4.2 instructions (the
// build's x86-64-v2 baseline has them).
uint32_t crc32c(uint32_t crc, const void* data, size_t len) noexcept;

inline constexpr size_t padded(size_t n) noexcept {
    return (n + record_align - 1) & ~(record_align - 1);
}

// One record as read from a file: the header and a view of its payload.
struct record_view {
    record_header header;
    std::span<const std::byte> payload;
    uint64_t offset; // of the header in the file
};

enum class [[nodiscard]] scan_status : uint8_t {
    ok,        // a whole, valid record
    end,       // nothing left
    torn,      // the bytes end inside a record (crash mid-write)
    corrupt,   // bad magic, version, length or checksum
};
const char* to_string(scan_status s) noexcept;

// Reads the record at `offset` of `bytes`. Pure: no I/O, no allocation. On
// ok, `next_offset` is where the following record starts.
scan_status read_record(std::span<const std::byte> bytes, uint64_t offset, record_view& out,
                        uint64_t& next_offset, size_t record_max_bytes = 1u << 24) noexcept;

// Bytes of `bytes` made of whole valid records from the start: where the
// writer truncates a file with a torn tail before appending to it again.
uint64_t valid_prefix(std::span<const std::byte> bytes) noexcept;

// Fixed-size NUL-padded text fields, read safely.
inline std::string_view field(const char* s, size_t cap) noexcept {
    size_t n = 0;
    while (n < cap && s[n] != '\0') ++n;
    return {s, n};
}

} // namespace ef::orders::journal
