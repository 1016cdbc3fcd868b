// The daemon's side of the order channel (see order_channel.hpp): sizing and
// creating the region on the control thread, then the order loop's ring
// operations. pop_request and push_response are on the order path: no
// allocation, no system call, no lock.
#include "orders/order_channel.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <new>
#include <sys/random.h>
#include <unistd.h>
#include <unordered_set>

namespace ef::orders {

static_assert(std::is_trivially_copyable_v<ef_order_request>);
static_assert(std::is_trivially_copyable_v<ef_order_response>);
static_assert(std::atomic_ref<uint64_t>::is_always_lock_free);
static_assert(std::atomic_ref<uint32_t>::is_always_lock_free);
static_assert(std::atomic_ref<int64_t>::is_always_lock_free);

namespace {

constexpr uint64_t section_align = 128; // two cache lines, as the books region

constexpr uint64_t align_up(uint64_t v, uint64_t a) noexcept {
    return (v + a - 1) / a * a;
}
constexpr bool is_pow2(uint64_t v) noexcept {
    return v && (v & (v - 1)) == 0;
}

template <typename T>
T load_acquire(T& field) noexcept {
    return std::atomic_ref<T>(field).load(std::memory_order_acquire);
}
template <typename T>
T load_relaxed(T& field) noexcept {
    return std::atomic_ref<T>(field).load(std::memory_order_relaxed);
}
template <typename T>
void store_release(T& field, T v) noexcept {
    std::atomic_ref<T>(field).store(v, std::memory_order_release);
}
template <typename T>
void store_relaxed(T& field, T v) noexcept {
    std::atomic_ref<T>(field).store(v, std::memory_order_relaxed);
}

error capacity_error(const char* which, uint32_t v) {
    return make_error(std::string(which) + " must be a power of two from 1 to " +
                      std::to_string(max_ring_capacity) + " (got " + std::to_string(v) + ")");
}

bool terminated(const char* field, size_t size) noexcept {
    return std::memchr(field, '\0', size) != nullptr;
}

} // namespace

bool valid_strategy_name(std::string_view name) noexcept {
    if (name.empty() || name.size() >= EF_STRATEGY_NAME_MAX) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    });
}

bool request_strings_terminated(const ef_order_request& r) noexcept {
    return terminated(r.account, sizeof r.account) &&
           terminated(r.partner_id, sizeof r.partner_id) && terminated(r.broker, sizeof r.broker) &&
           terminated(r.instrument, sizeof r.instrument) && terminated(r.symbol, sizeof r.symbol) &&
           terminated(r.order_id, sizeof r.order_id) && r.position_hash_len <= EF_POSITION_HASH_MAX;
}

result<std::unique_ptr<order_channel_region>>
order_channel_region::create(std::string_view instance, std::span<const std::string> strategies,
                             uint32_t request_capacity, uint32_t response_capacity) {
    const std::string what =
        "creating order channel for instance \"" + std::string(instance.substr(0, 64)) + "\"";
    if (strategies.empty() || strategies.size() > max_strategies)
        return make_error(what + ": want 1 to " + std::to_string(max_strategies) +
                          " strategies (got " + std::to_string(strategies.size()) + ")");
    std::unordered_set<std::string_view> seen;
    for (const std::string& s : strategies) {
        if (!valid_strategy_name(s))
            return make_error(what + ": invalid strategy name \"" + s.substr(0, 64) +
                              "\" (want 1-31 of [A-Za-z0-9_.-])");
        if (!seen.insert(s).second)
            return make_error(what + ": strategy \"" + s + "\" given twice");
    }
    if (!is_pow2(request_capacity) || request_capacity > max_ring_capacity)
        return capacity_error("request ring capacity", request_capacity);
    if (!is_pow2(response_capacity) || response_capacity > max_ring_capacity)
        return capacity_error("response ring capacity", response_capacity);

    const auto n = static_cast<uint32_t>(strategies.size());
    const uint64_t off_slots = align_up(sizeof(ef_orders_header), section_align);
    uint64_t off = align_up(off_slots + uint64_t{n} * sizeof(ef_order_slot), section_align);
    const uint64_t request_bytes =
        align_up(uint64_t{request_capacity} * sizeof(ef_order_request), section_align);
    const uint64_t response_bytes =
        align_up(uint64_t{response_capacity} * sizeof(ef_order_response), section_align);
    const uint64_t first_ring = off;
    off += uint64_t{n} * (request_bytes + response_bytes);
    const uint64_t total = align_up(off, 4096);

    auto epoch = platform::random_region_epoch("orders");
    if (!epoch) return std::move(epoch).err().context(what);
    // 0660: strategies write their requests into it, so not the world.
    auto m = platform::shm_create(instance, total, /*lock=*/true, ".orders", 0660);
    if (!m) return std::move(m).err().context(what);

    std::unique_ptr<order_channel_region> r(new (std::nothrow) order_channel_region());
    if (r) r->slots_.reset(new (std::nothrow) local_slot[n]);
    if (!r || !r->slots_) {
        (void)m.value().unlink();
        return make_error(what + ": out of memory");
    }
    r->map_ = std::move(m.value());
    r->base_ = r->map_.data();
    r->slot_count_ = n;
    r->request_mask_ = request_capacity - 1;
    r->response_mask_ = response_capacity - 1;

    // Plain stores: the object is fresh (zeroed by ftruncate) and nobody
    // reads past layout_major until it is published below.
    ef_orders_header* h = r->header();
    h->magic = EF_ORDERS_MAGIC;
    h->layout_minor = EF_ORDERS_LAYOUT_MINOR;
    h->epoch = epoch.value();
    h->region_bytes = total;
    h->max_slots = n;
    h->request_capacity = request_capacity;
    h->response_capacity = response_capacity;
    h->pid = static_cast<uint32_t>(::getpid());
    h->off_slots = off_slots;
    std::memcpy(h->instance, instance.data(),
                std::min(instance.size(), size_t{EF_INSTANCE_MAX - 1}));
    auto* table = reinterpret_cast<ef_order_slot*>(r->base_ + off_slots);
    for (uint32_t i = 0; i < n; ++i) {
        ef_order_slot& s = table[i];
        std::memcpy(s.name, strategies[i].data(), strategies[i].size());
        s.state = EF_SLOT_CONFIGURED;
        s.off_requests = first_ring + uint64_t{i} * (request_bytes + response_bytes);
        s.off_responses = s.off_requests + request_bytes;
        local_slot& l = r->slots_[i];
        l.shared = &s;
        l.requests = reinterpret_cast<ef_order_request*>(r->base_ + s.off_requests);
        l.responses = reinterpret_cast<ef_order_response*>(r->base_ + s.off_responses);
    }
    // Release; pairs with the acquire in ef_orders_attach(): a strategy that
    // sees the major sees every field above.
    store_release(h->layout_major, EF_ORDERS_LAYOUT_MAJOR);
    return r;
}

order_channel_region::~order_channel_region() {
    if (!base_) return;
    // Strategies still mapping this object learn that it is dead: submit
    // answers EF_ESTALE (epoch 0 matches no attach) and ready() 0.
    set_loop_state(2);
    store_release(header()->epoch, uint64_t{0});
    (void)map_.unlink();
}

std::string_view order_channel_region::slot_name(uint32_t slot) const noexcept {
    if (slot >= slot_count_) return {};
    const char* name = slots_[slot].shared->name;
    return {name, ::strnlen(name, EF_STRATEGY_NAME_MAX)};
}

bool order_channel_region::pop_request(uint32_t slot, ef_order_request& out) noexcept {
    local_slot& l = slots_[slot];
    const uint64_t head = l.request_head;
    if (head == l.request_tail_seen) {
        // Acquire; pairs with the release store of tail in ef_order_submit():
        // the entry is complete once the tail covers it.
        l.request_tail_seen = load_acquire(l.shared->requests.tail);
        if (head == l.request_tail_seen) return false;
    }
    std::memcpy(&out, &l.requests[head & request_mask_], sizeof out);
    l.request_head = head + 1;
    // Release; pairs with the acquire load of head in ef_order_submit(): the
    // strategy reuses the entry only after our copy is done.
    store_release(l.shared->requests.head, head + 1);
    return true;
}

bool order_channel_region::push_response(uint32_t slot, const ef_order_response& r) noexcept {
    local_slot& l = slots_[slot];
    const uint64_t tail = l.response_tail;
    const uint64_t capacity = uint64_t{response_mask_} + 1;
    if (tail - l.response_head_seen >= capacity) {
        // Acquire; pairs with the release store of head in ef_order_poll():
        // the strategy's copy of the entry is complete before we overwrite it.
        l.response_head_seen = load_acquire(l.shared->responses.head);
        // A head past our tail can only come from a broken strategy; the
        // unsigned difference then reads as full, which is the safe answer.
        if (tail - l.response_head_seen >= capacity) return false;
    }
    std::memcpy(&l.responses[tail & response_mask_], &r, sizeof r);
    l.response_tail = tail + 1;
    // Release; pairs with the acquire load of tail in ef_order_poll().
    store_release(l.shared->responses.tail, tail + 1);
    return true;
}

bool order_channel_region::halted_all() const noexcept {
    return load_relaxed(header()->halt_all) != 0;
}

bool order_channel_region::halted(uint32_t slot) const noexcept {
    return load_relaxed(slots_[slot].shared->halted) != 0;
}

void order_channel_region::set_halted(uint32_t slot, bool on) noexcept {
    store_relaxed(slots_[slot].shared->halted, on ? 1u : 0u);
}

void order_channel_region::set_halted_all(bool on) noexcept {
    store_relaxed(header()->halt_all, on ? 1u : 0u);
}

ef_order_slot_stats& order_channel_region::stats(uint32_t slot) noexcept {
    return slots_[slot].shared->stats;
}

uint32_t order_channel_region::owner_pid(uint32_t slot) const noexcept {
    return load_relaxed(slots_[slot].shared->owner_pid);
}

void order_channel_region::set_loop_state(uint32_t state) noexcept {
    // Release; pairs with the acquire in ef_orders_ready().
    store_release(header()->loop_state, state);
}

void order_channel_region::heartbeat(int64_t mono_ns) noexcept {
    store_relaxed(header()->heartbeat_mono_ns, mono_ns);
}

} // namespace ef::orders
