// Invariants both order-answer fuzz targets check: a body is malformed
// exactly when our strict validator refuses it, and every view a parser
// hands out lies inside the input or the output struct's own text area.
#pragma once

#include "json/order_common.hpp"
#include "json/scanner.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace ef::fuzz {

[[noreturn]] inline void fail(const char* target, const char* what) {
    std::fprintf(stderr, "%s: invariant broken: %s\n", target, what);
    std::abort();
}

inline void check_malformed(const char* target, std::string_view in, json::json_status st) {
    const bool invalid = json::validate_json(in) != json::syntax_error::none;
    if ((st == json::json_status::malformed) != invalid)
        fail(target, "malformed must mean exactly: not one JSON value");
}

template <size_t N>
void check_view(const char* target, std::string_view in, const char (&area)[N],
                std::string_view v) {
    if (v.empty()) return;
    const char* b = v.data();
    const char* e = b + v.size();
    const bool in_input = b >= in.data() && e <= in.data() + in.size();
    const bool in_area = b >= area && e <= area + N;
    if (!in_input && !in_area) fail(target, "a view points outside the input and the text area");
}

} // namespace ef::fuzz
