// Zero heap allocations on the order channel's hot paths after warm-up:
// ef_order_submit and ef_order_poll on the strategy side, pop_request and
// push_response on the daemon side. Counts every malloc of the process
// through the allocation hook the daemon links (common/alloc_hook.cpp).
#include "channel_support.hpp"
#include "common/alloc_count.hpp"

#include <cstdlib>
#include <gtest/gtest.h>

using namespace ef::orders;
using namespace ef::orders::test;

namespace {

TEST(orders_channel_allocations, the_hook_counts_a_malloc) {
    ASSERT_TRUE(ef::alloc::hooked()) << "this binary must link alloc_hook.cpp";
    const uint64_t before = ef::alloc::read().allocs;
    void* volatile p = std::malloc(64);
    std::free(p);
    EXPECT_GT(ef::alloc::read().allocs, before) << "otherwise the test below cannot fail";
}

TEST(orders_channel_allocations, submit_poll_pop_and_push_allocate_nothing_after_warm_up) {
    ASSERT_TRUE(ef::alloc::hooked());
    const std::string inst = unique_instance("alloc");
    auto r = make_region(inst, {"alpha"}, 16, 16);
    ASSERT_TRUE(r);
    ef_order_channel* ch = nullptr;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &ch), EF_OK);
    ef_order_request req, got;
    ef_order_response resp, polled;
    uint64_t bad = 0;
    auto round = [&](uint64_t i) {
        numbered_request(i, req);
        bad += ef_order_submit(ch, &req) != EF_OK;
        bad += !r->pop_request(0, got);
        answer(got, resp);
        bad += !r->push_response(0, resp);
        bad += ef_order_poll(ch, &polled) != 1;
        bad += ef_order_poll(ch, &polled) != 0; // the empty ring, too
        bad += r->pop_request(0, got);
        bad += ef_orders_ready(ch) != 0;
    };
    for (uint64_t i = 0; i < 100; ++i)
        round(i);
    const uint64_t before = ef::alloc::read().allocs;
    for (uint64_t i = 100; i < 20'100; ++i)
        round(i);
    const uint64_t after = ef::alloc::read().allocs;
    ef_orders_detach(ch);
    EXPECT_EQ(bad, 0u);
    EXPECT_EQ(after - before, 0u);
}

} // namespace
