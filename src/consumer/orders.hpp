// Internals of libedgefeed's order channel (src/consumer/orders.cpp) that
// tests use; not part of the C ABI.
#pragma once

#include "edgefeed/order_channel.h"

#include <cstddef>

namespace ef::consumer {

// ef_orders_attach on a region already mapped in this process (the daemon
// side's own mapping): the checks and the slot claim without shm_open/mmap;
// ef_orders_detach releases the slot but does not unmap. Sharing one mapping
// is what lets TSan see both sides of the rings: its shadow memory is per
// virtual address, so a second mapping of the object hides every conflict.
int orders_attach_memory(void* base, size_t mapped, const char* strategy, ef_order_channel** out);

} // namespace ef::consumer
