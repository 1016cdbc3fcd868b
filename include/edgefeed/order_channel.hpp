// edgefeed C++ wrapper over the order channel C ABI (order_channel.h),
// header-only, for C++ strategy processes and tools. RAII for the slot; the
// submit and poll paths cost nothing over the C calls.
//
//     auto ch = edgefeed::order_channel::attach("default", "alpha");
//     if (!ch) { std::fprintf(stderr, "%s\n", ch.err().message.c_str()); return 1; }
//     ef_order_request req;
//     ef_order_init_om_buy(&req, next_id++, "user-1", hash, 50 * EF_SCALE_E9, 0,
//                          420'000'000, nullptr, 0);
//     if (ch->submit(req) == EF_EAGAIN) { /* ring full: poll, then retry */ }
//     ef_order_response resp;
//     while (ch->poll(resp)) on_response(resp);
#pragma once

#include "edgefeed.hpp"
#include "order_channel.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace edgefeed {

// One strategy's slot of an instance's order channel, or a read-only view of
// the whole channel (open_view). Move-only; detaches on destruction.
class order_channel {
public:
    // Claims `strategy`'s slot (see ef_orders_attach). An empty instance means
    // $EDGEFEED_INSTANCE, else "default".
    static result<order_channel> attach(std::string_view instance, std::string_view strategy) {
        const std::string inst(instance);
        const std::string name(strategy);
        ef_order_channel* ch = nullptr;
        const int rc = ef_orders_attach(inst.empty() ? nullptr : inst.c_str(), name.c_str(), &ch);
        if (rc != EF_OK) return error{rc, ef_orders_last_error()};
        return order_channel(ch);
    }
    // Maps the channel read-only for info() and slot_info() (edgestat).
    static result<order_channel> open_view(std::string_view instance) {
        const std::string inst(instance);
        ef_order_channel* ch = nullptr;
        const int rc = ef_orders_open_view(inst.empty() ? nullptr : inst.c_str(), &ch);
        if (rc != EF_OK) return error{rc, ef_orders_last_error()};
        return order_channel(ch);
    }
    // Kill switch (see ef_orders_set_halt); an empty strategy means every one.
    static result<bool> set_halt(std::string_view instance, std::string_view strategy,
                                 bool halted) {
        const std::string inst(instance);
        const std::string name(strategy);
        const int rc = ef_orders_set_halt(inst.empty() ? nullptr : inst.c_str(),
                                          name.empty() ? nullptr : name.c_str(), halted ? 1 : 0);
        if (rc != EF_OK) return error{rc, ef_orders_last_error()};
        return halted;
    }

    order_channel(order_channel&& o) noexcept : ch_(std::exchange(o.ch_, nullptr)) {}
    order_channel& operator=(order_channel&& o) noexcept {
        if (this != &o) {
            ef_orders_detach(ch_);
            ch_ = std::exchange(o.ch_, nullptr);
        }
        return *this;
    }
    order_channel(const order_channel&) = delete;
    order_channel& operator=(const order_channel&) = delete;
    ~order_channel() { ef_orders_detach(ch_); }

    ef_order_channel* get() const noexcept { return ch_; }

    // EF_OK, EF_EAGAIN (ring full), EF_ESTALE (daemon gone: attach again).
    // Stamps req.submit_mono_ns.
    int submit(ef_order_request& req) noexcept { return ef_order_submit(ch_, &req); }
    // true: `out` holds the oldest unread response.
    bool poll(ef_order_response& out) noexcept { return ef_order_poll(ch_, &out) == 1; }
    // The order loop runs and its heartbeat is fresh.
    bool ready() const noexcept { return ef_orders_ready(ch_) == 1; }

    // `struct`: the C functions of the same names hide the types' plain names.
    struct ef_orders_info info() const noexcept {
        struct ef_orders_info i {};
        (void)::ef_orders_info(ch_, &i);
        return i;
    }
    std::optional<struct ef_orders_slot_info> slot_info(uint32_t slot) const noexcept {
        struct ef_orders_slot_info s {};
        if (::ef_orders_slot_info(ch_, slot, &s) != EF_OK) return std::nullopt;
        return s;
    }

private:
    explicit order_channel(ef_order_channel* ch) noexcept : ch_(ch) {}
    ef_order_channel* ch_ = nullptr;
};

} // namespace edgefeed

namespace ef {
// The name the order-path code uses.
using order_channel = edgefeed::order_channel;
} // namespace ef
