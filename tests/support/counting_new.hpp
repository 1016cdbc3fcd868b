// Counts calls to the global operator new in a test binary that links
// counting_new.cpp (which replaces it): the allocation tests of pure code
// read the count before and after the code under test.
#pragma once

#include <cstdint>

namespace ef::test {
uint64_t operator_new_calls() noexcept;
}
