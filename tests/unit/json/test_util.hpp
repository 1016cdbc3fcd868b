// Helpers shared by the json unit tests: inputs placed right before a
// PROT_NONE page (so any read past the end faults), and the prefix ladder.
#pragma once

#include "json/scanner.hpp"

// guarded_buffer.hpp calls std::abort without including <cstdlib>.
#include <cstdlib>

#include "tests/support/guarded_buffer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ef::json::test {

// Calls f(view) for every proper prefix of s (lengths 0 .. size-1), each in
// its own guarded buffer so that the prefix ends exactly at the guard page.
template <typename F>
void for_every_proper_prefix(std::string_view s, F&& f) {
    for (size_t n = 0; n < s.size(); ++n) {
        ef::test::guarded_buffer g(s.substr(0, n));
        f(g.view(), n);
    }
}

// A scratch with its own storage, sized for messages up to `bytes`.
struct owned_scratch {
    explicit owned_scratch(size_t bytes = 1 << 16) : storage(bytes), s(storage) {}
    std::vector<char> storage;
    ef::json::scratch s;
};

} // namespace ef::json::test
