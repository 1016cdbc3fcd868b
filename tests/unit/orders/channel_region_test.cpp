// The order channel in one process: the daemon side
// (order_channel_region) creates the region, the strategy side attaches by
// name through the C ABI as a strategy process would, and each test checks
// one rule of orders.h / order_channel.h: slot claims, staleness, full rings,
// order across wrap-around, the kill switch and the request builders.
#include "channel_support.hpp"
#include "common/clock.hpp"
#include "edgefeed/order_channel.hpp"

#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ef::orders;
using namespace ef::orders::test;

namespace {

// A pid that no process has: a child that has exited and been reaped.
uint32_t dead_pid() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    int st = 0;
    ::waitpid(pid, &st, 0);
    return static_cast<uint32_t>(pid);
}

struct attached {
    ef_order_channel* ch = nullptr;
    ~attached() { ef_orders_detach(ch); }
};

TEST(orders_channel, create_refuses_bad_or_duplicate_strategy_names_and_capacities) {
    const std::string inst = unique_instance("bad");
    const std::vector<std::string> good = {"alpha"};
    const struct {
        std::vector<std::string> names;
        uint32_t req, resp;
        const char* why;
    } cases[] = {
        {{}, 8, 8, "no strategy at all"},
        {{"alpha", "alpha"}, 8, 8, "a name twice"},
        {{"has space"}, 8, 8, "a character outside [A-Za-z0-9_.-]"},
        {{std::string(32, 'a')}, 8, 8, "32 bytes: no room for the NUL"},
        {{""}, 8, 8, "empty name"},
        {good, 6, 8, "request capacity not a power of two"},
        {good, 8, 0, "response capacity zero"},
        {good, max_ring_capacity * 2, 8, "request capacity above the limit"},
    };
    for (const auto& c : cases) {
        auto r = order_channel_region::create(inst, c.names, c.req, c.resp);
        EXPECT_FALSE(r.ok()) << c.why;
    }
    auto ok =
        order_channel_region::create(inst, std::vector<std::string>{std::string(31, 'z')}, 1, 1);
    ASSERT_TRUE(ok.ok()) << ok.err().message;
    EXPECT_EQ(ok.value()->slot_name(0), std::string(31, 'z'));
}

TEST(orders_channel, attach_finds_the_slot_by_name_and_detach_releases_it) {
    const std::string inst = unique_instance("att");
    auto r = make_region(inst, {"alpha", "beta"});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->slot_count(), 2u);
    EXPECT_EQ(r->slot_name(1), "beta");
    {
        attached a;
        ASSERT_EQ(ef_orders_attach(inst.c_str(), "beta", &a.ch), EF_OK) << ef_orders_last_error();
        EXPECT_EQ(r->owner_pid(1), static_cast<uint32_t>(::getpid()));
        EXPECT_EQ(r->owner_pid(0), 0u);
        struct ef_orders_info info;
        ASSERT_EQ(ef_orders_info(a.ch, &info), EF_OK);
        EXPECT_EQ(info.attached_slot, 1u);
        EXPECT_EQ(info.slot_count, 2u);
        EXPECT_EQ(info.epoch, r->epoch());
        EXPECT_STREQ(info.instance, inst.c_str());
    }
    EXPECT_EQ(r->owner_pid(1), 0u);
}

TEST(orders_channel, the_region_is_group_writable_and_not_world_readable) {
    const std::string inst = unique_instance("mode");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    struct stat st;
    ASSERT_EQ(::stat(("/dev/shm/edgefeed." + inst + ".orders").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0660u);
}

TEST(orders_channel, attach_to_an_unknown_strategy_is_enoent_with_its_name) {
    const std::string inst = unique_instance("nf");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    attached a;
    EXPECT_EQ(ef_orders_attach(inst.c_str(), "gamma", &a.ch), EF_ENOENT);
    EXPECT_EQ(a.ch, nullptr);
    EXPECT_NE(std::string(ef_orders_last_error()).find("gamma"), std::string::npos);
    EXPECT_EQ(ef_orders_attach(inst.c_str(), "alp", &a.ch), EF_ENOENT) << "a prefix is not a name";
    EXPECT_EQ(ef_orders_attach(inst.c_str(), "bad name", &a.ch), EF_EINVAL);
}

TEST(orders_channel, attach_without_a_daemon_is_enoent) {
    attached a;
    EXPECT_EQ(ef_orders_attach(unique_instance("none").c_str(), "alpha", &a.ch), EF_ENOENT);
    EXPECT_NE(std::string(ef_orders_last_error()).find("daemon"), std::string::npos);
}

TEST(orders_channel, a_slot_held_by_a_live_process_is_busy) {
    const std::string inst = unique_instance("busy");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    attached first, second;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &first.ch), EF_OK);
    EXPECT_EQ(ef_orders_attach(inst.c_str(), "alpha", &second.ch), EF_EBUSY);
    const std::string msg = ef_orders_last_error();
    EXPECT_NE(msg.find("alpha is attached by pid " + std::to_string(::getpid())), std::string::npos)
        << msg;
    EXPECT_EQ(second.ch, nullptr);
}

TEST(orders_channel, a_slot_held_by_a_dead_process_is_taken_over) {
    const std::string inst = unique_instance("stale");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    const uint32_t gone = dead_pid();
    auto* slot = reinterpret_cast<ef_order_slot*>(
        r->base() + reinterpret_cast<ef_orders_header*>(r->base())->off_slots);
    slot->owner_pid = gone;
    attached a;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &a.ch), EF_OK) << ef_orders_last_error();
    EXPECT_EQ(r->owner_pid(0), static_cast<uint32_t>(::getpid()));
    EXPECT_EQ(slot->attach_count, 1u);
}

TEST(orders_channel, submit_after_the_daemon_stopped_is_estale) {
    const std::string inst = unique_instance("epoch");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    attached a;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &a.ch), EF_OK);
    ef_order_request req;
    numbered_request(1, req);
    ASSERT_EQ(ef_order_submit(a.ch, &req), EF_OK);
    r.reset(); // the daemon stops: marks its region dead and unlinks it
    EXPECT_EQ(ef_order_submit(a.ch, &req), EF_ESTALE);
    EXPECT_EQ(ef_orders_ready(a.ch), 0);
    // A new daemon has a new object and epoch: attaching again works.
    auto r2 = make_region(inst, {"alpha"});
    ASSERT_TRUE(r2);
    attached b;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &b.ch), EF_OK);
    EXPECT_EQ(ef_order_submit(b.ch, &req), EF_OK);
}

TEST(orders_channel, submit_on_a_changed_epoch_is_estale) {
    const std::string inst = unique_instance("epoch2");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    attached a;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &a.ch), EF_OK);
    auto* h = reinterpret_cast<ef_orders_header*>(r->base());
    h->epoch ^= 1;
    ef_order_request req;
    numbered_request(1, req);
    EXPECT_EQ(ef_order_submit(a.ch, &req), EF_ESTALE);
    ef_order_request out;
    EXPECT_FALSE(r->pop_request(0, out)) << "nothing was queued";
}

TEST(orders_channel, a_full_request_ring_answers_eagain_until_the_loop_takes_one) {
    const std::string inst = unique_instance("full");
    auto r = make_region(inst, {"alpha"}, 4, 4);
    ASSERT_TRUE(r);
    attached a;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &a.ch), EF_OK);
    ef_order_request req;
    for (uint64_t i = 0; i < 4; ++i) {
        numbered_request(i, req);
        ASSERT_EQ(ef_order_submit(a.ch, &req), EF_OK) << i;
    }
    numbered_request(4, req);
    EXPECT_EQ(ef_order_submit(a.ch, &req), EF_EAGAIN);
    ef_order_request out;
    ASSERT_TRUE(r->pop_request(0, out));
    EXPECT_EQ(out.request_id, 0u);
    EXPECT_EQ(ef_order_submit(a.ch, &req), EF_OK);
    EXPECT_EQ(ef_order_submit(a.ch, &req), EF_EAGAIN);
}

TEST(orders_channel, a_full_response_ring_refuses_the_push_until_the_strategy_polls) {
    const std::string inst = unique_instance("rfull");
    auto r = make_region(inst, {"alpha"}, 4, 2);
    ASSERT_TRUE(r);
    attached a;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &a.ch), EF_OK);
    ef_order_request req;
    ef_order_response resp;
    for (uint64_t i = 0; i < 2; ++i) {
        numbered_request(i, req);
        answer(req, resp);
        ASSERT_TRUE(r->push_response(0, resp));
    }
    EXPECT_FALSE(r->push_response(0, resp));
    ef_order_response got;
    ASSERT_EQ(ef_order_poll(a.ch, &got), 1);
    EXPECT_TRUE(answer_matches(0, got));
    EXPECT_TRUE(r->push_response(0, resp));
}

TEST(orders_channel, requests_and_responses_keep_their_order_across_many_wraps) {
    const std::string inst = unique_instance("wrap");
    auto r = make_region(inst, {"alpha", "beta"}, 4, 2);
    ASSERT_TRUE(r);
    attached a;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "beta", &a.ch), EF_OK);
    ef_order_request req, got;
    ef_order_response resp;
    uint64_t next_submit = 0, next_pop = 0, next_poll = 0;
    while (next_poll < 1000) {
        // Uneven batches, so every fill level of both rings meets every index.
        for (uint64_t k = 0; k < 1 + next_submit % 5; ++k) {
            numbered_request(next_submit, req);
            if (ef_order_submit(a.ch, &req) != EF_OK) break;
            ++next_submit;
        }
        for (uint64_t k = 0; k < 1 + next_pop % 3 && r->pop_request(1, got); ++k) {
            ASSERT_TRUE(request_intact(got)) << next_pop;
            ASSERT_EQ(got.request_id, next_pop);
            ASSERT_GT(got.submit_mono_ns, 0);
            answer(got, resp);
            ASSERT_TRUE(r->push_response(1, resp)) << "the test polls before it fills the ring";
            ++next_pop;
            ef_order_response polled;
            if (next_pop % 2 == 0) {
                while (ef_order_poll(a.ch, &polled) == 1)
                    ASSERT_TRUE(answer_matches(next_poll++, polled));
            }
        }
        ef_order_response polled;
        while (ef_order_poll(a.ch, &polled) == 1)
            ASSERT_TRUE(answer_matches(next_poll++, polled));
    }
    EXPECT_FALSE(r->pop_request(0, got)) << "nothing crossed into the other slot";
}

TEST(orders_channel, a_new_holder_continues_the_rings_where_the_old_one_stopped) {
    const std::string inst = unique_instance("cont");
    auto r = make_region(inst, {"alpha"}, 4, 4);
    ASSERT_TRUE(r);
    ef_order_request req, got;
    ef_order_response resp;
    {
        attached a;
        ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &a.ch), EF_OK);
        for (uint64_t i = 0; i < 3; ++i) {
            numbered_request(i, req);
            ASSERT_EQ(ef_order_submit(a.ch, &req), EF_OK);
        }
    }
    attached b;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "alpha", &b.ch), EF_OK);
    numbered_request(3, req);
    ASSERT_EQ(ef_order_submit(b.ch, &req), EF_OK);
    for (uint64_t i = 0; i < 4; ++i) {
        ASSERT_TRUE(r->pop_request(0, got));
        EXPECT_EQ(got.request_id, i);
        answer(got, resp);
        ASSERT_TRUE(r->push_response(0, resp));
    }
    ef_order_response polled;
    for (uint64_t i = 0; i < 4; ++i) {
        ASSERT_EQ(ef_order_poll(b.ch, &polled), 1);
        EXPECT_TRUE(answer_matches(i, polled));
    }
    EXPECT_EQ(ef_order_poll(b.ch, &polled), 0);
}

TEST(orders_channel, the_daemon_side_reads_the_halt_words_edgestat_writes) {
    const std::string inst = unique_instance("halt");
    auto r = make_region(inst, {"alpha", "beta"});
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->halted_all());
    EXPECT_FALSE(r->halted(0));
    ASSERT_EQ(ef_orders_set_halt(inst.c_str(), "beta", 1), EF_OK);
    EXPECT_TRUE(r->halted(1));
    EXPECT_FALSE(r->halted(0));
    EXPECT_FALSE(r->halted_all());
    ASSERT_EQ(ef_orders_set_halt(inst.c_str(), nullptr, 1), EF_OK);
    EXPECT_TRUE(r->halted_all());
    ASSERT_EQ(ef_orders_set_halt(inst.c_str(), nullptr, 0), EF_OK);
    EXPECT_FALSE(r->halted_all());
    EXPECT_TRUE(r->halted(1)) << "lifting halt_all leaves a strategy's own switch";
    ASSERT_EQ(ef_orders_set_halt(inst.c_str(), "beta", 0), EF_OK);
    EXPECT_FALSE(r->halted(1));
    EXPECT_EQ(ef_orders_set_halt(inst.c_str(), "gamma", 1), EF_ENOENT);
    EXPECT_EQ(ef_orders_set_halt(unique_instance("none").c_str(), nullptr, 1), EF_ENOENT);
}

TEST(orders_channel, halts_set_at_start_up_show_in_the_view) {
    const std::string inst = unique_instance("view");
    auto r = make_region(inst, {"alpha", "beta"}, 8, 16);
    ASSERT_TRUE(r);
    r->set_halted(0, true);
    r->stats(1).submitted = 7;
    attached held;
    ASSERT_EQ(ef_orders_attach(inst.c_str(), "beta", &held.ch), EF_OK);
    ef_order_request req;
    numbered_request(1, req);
    ASSERT_EQ(ef_order_submit(held.ch, &req), EF_OK);

    auto view = edgefeed::order_channel::open_view(inst);
    ASSERT_TRUE(view) << view.err().message;
    const struct ef_orders_info info = view->info();
    EXPECT_EQ(info.slot_count, 2u);
    EXPECT_EQ(info.request_capacity, 8u);
    EXPECT_EQ(info.response_capacity, 16u);
    EXPECT_EQ(info.attached_slot, EF_NONE);
    EXPECT_EQ(info.daemon_pid, static_cast<uint32_t>(::getpid()));
    auto a = view->slot_info(0);
    auto b = view->slot_info(1);
    ASSERT_TRUE(a && b);
    EXPECT_STREQ(a->name, "alpha");
    EXPECT_EQ(a->halted, 1u);
    EXPECT_EQ(a->owner_pid, 0u);
    EXPECT_EQ(b->halted, 0u);
    EXPECT_EQ(b->owner_pid, static_cast<uint32_t>(::getpid()));
    EXPECT_EQ(b->requests_queued, 1u);
    EXPECT_EQ(b->stats.submitted, 7u);
    EXPECT_FALSE(view->slot_info(2));
    ef_order_response resp;
    EXPECT_EQ(ef_order_submit(view->get(), &req), EF_EINVAL) << "a view cannot submit";
    EXPECT_EQ(ef_order_poll(view->get(), &resp), EF_EINVAL);
}

TEST(orders_channel, ready_needs_a_running_loop_and_a_fresh_heartbeat) {
    const std::string inst = unique_instance("ready");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    auto ch = edgefeed::order_channel::attach(inst, "alpha");
    ASSERT_TRUE(ch) << ch.err().message;
    EXPECT_FALSE(ch->ready()) << "starting";
    r->heartbeat(ef::mono_ns());
    EXPECT_FALSE(ch->ready()) << "heartbeat alone";
    r->set_loop_state(1);
    EXPECT_TRUE(ch->ready());
    r->heartbeat(ef::mono_ns() - 2 * EF_ORDERS_HEARTBEAT_STALE_NS);
    EXPECT_FALSE(ch->ready()) << "stale heartbeat";
    r->heartbeat(ef::mono_ns());
    r->set_loop_state(2);
    EXPECT_FALSE(ch->ready()) << "stopping";
}

TEST(orders_channel, the_cpp_wrapper_submits_and_polls_and_detaches_on_destruction) {
    const std::string inst = unique_instance("cpp");
    auto r = make_region(inst, {"alpha"});
    ASSERT_TRUE(r);
    {
        auto ch = edgefeed::order_channel::attach(inst, "alpha");
        ASSERT_TRUE(ch);
        auto busy = edgefeed::order_channel::attach(inst, "alpha");
        ASSERT_FALSE(busy);
        EXPECT_EQ(busy.code(), EF_EBUSY);
        ef_order_request req, got;
        numbered_request(9, req);
        ASSERT_EQ(ch->submit(req), EF_OK);
        ASSERT_TRUE(r->pop_request(0, got));
        ef_order_response resp, polled;
        answer(got, resp);
        ASSERT_TRUE(r->push_response(0, resp));
        ASSERT_TRUE(ch->poll(polled));
        EXPECT_TRUE(answer_matches(9, polled));
        EXPECT_FALSE(ch->poll(polled));
        edgefeed::order_channel moved = std::move(ch.value());
        EXPECT_EQ(r->owner_pid(0), static_cast<uint32_t>(::getpid()));
    }
    EXPECT_EQ(r->owner_pid(0), 0u);
    auto halted = edgefeed::order_channel::set_halt(inst, "alpha", true);
    ASSERT_TRUE(halted);
    EXPECT_TRUE(r->halted(0));
}

} // namespace
