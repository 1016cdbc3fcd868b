// Helpers of the order channel tests (channel_*.cpp): unique instance names,
// a region with a few strategies, and requests/responses whose fields all
// derive from one number, so that a test can check an entry arrived intact.
#pragma once

#include "edgefeed/order_channel.h"
#include "orders/order_channel.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace ef::orders::test {

inline std::string unique_instance(const char* tag) {
    static int n = 0;
    char buf[48];
    std::snprintf(buf, sizeof buf, "efo%d.%s.%d", static_cast<int>(::getpid()), tag, n++);
    return buf;
}

inline std::unique_ptr<order_channel_region> make_region(const std::string& instance,
                                                         std::vector<std::string> names,
                                                         uint32_t request_capacity = 8,
                                                         uint32_t response_capacity = 8) {
    auto r = order_channel_region::create(instance, names, request_capacity, response_capacity);
    if (!r) {
        ADD_FAILURE() << r.err().message;
        return nullptr;
    }
    return std::move(r.value());
}

// FNV-1a over the bytes of a request other than the submit stamp, which
// ef_order_submit overwrites.
inline uint64_t request_checksum(const ef_order_request& r) {
    ef_order_request copy = r;
    copy.submit_mono_ns = 0;
    std::memset(copy.reserved, 0, sizeof copy.reserved);
    uint64_t h = 1469598103934665603ull;
    const auto* p = reinterpret_cast<const unsigned char*>(&copy);
    for (size_t i = 0; i < sizeof copy; ++i)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

// Request number i, different in every field a strategy fills; the checksum
// of the rest rides in `reserved`.
inline void numbered_request(uint64_t i, ef_order_request& r) {
    char account[24], hash[48];
    std::snprintf(account, sizeof account, "acct-%llu", static_cast<unsigned long long>(i));
    std::snprintf(hash, sizeof hash, "c%llu:moneyline:home:main:team-a:full",
                  static_cast<unsigned long long>(i % 977));
    (void)ef_order_init_om_buy(&r, i, account, hash, static_cast<int64_t>(i) * 1'000'000 + 1, 0,
                               static_cast<int64_t>(i % 1000) * 1'000'000 + 1,
                               (i & 1) ? "kalshi" : nullptr, static_cast<int>(i & 2));
    const uint64_t sum = request_checksum(r);
    std::memcpy(r.reserved, &sum, sizeof sum);
}

inline bool request_intact(const ef_order_request& r) {
    uint64_t sum = 0;
    std::memcpy(&sum, r.reserved, sizeof sum);
    return sum == request_checksum(r);
}

// The daemon's answer to request r: fields derived from it.
inline void answer(const ef_order_request& r, ef_order_response& out) {
    std::memset(&out, 0, sizeof out);
    out.request_id = r.request_id;
    out.kind = r.kind;
    out.outcome = EF_OUTCOME_FILLED;
    out.final_ = 1;
    out.filled_qty_e9 = r.amount_e9 * 2;
    out.avg_price_e9 = r.max_price_e9;
    out.submit_mono_ns = r.submit_mono_ns;
    std::snprintf(out.cl_order_id, sizeof out.cl_order_id, "ef20261122-%llu",
                  static_cast<unsigned long long>(r.request_id));
}

inline bool answer_matches(uint64_t i, const ef_order_response& r) {
    char want[EF_CL_ORDER_ID_MAX];
    std::snprintf(want, sizeof want, "ef20261122-%llu", static_cast<unsigned long long>(i));
    return r.request_id == i && r.outcome == EF_OUTCOME_FILLED && r.final_ == 1 &&
           r.filled_qty_e9 == (static_cast<int64_t>(i) * 1'000'000 + 1) * 2 &&
           std::strcmp(r.cl_order_id, want) == 0;
}

} // namespace ef::orders::test
