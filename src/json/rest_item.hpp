// Private to the REST parsers' .cpp files (rest_catalog, rest_depth): the
// step that reads one member of an element. The first failing member ends
// the element and names itself in field_; a timestamp cut below 1 ns sets the
// caller's `truncated`. A macro because it returns from the calling lambda.
#pragma once

#include "json/rest_common.hpp"

#define EF_REST_ITEM(expr, name)                                                                   \
    do {                                                                                           \
        if (const ::ef::json::detail::field_result r_ = (expr);                                    \
            r_.status != ::ef::json::item_status::ok) {                                            \
            field_ = name;                                                                         \
            return r_.status;                                                                      \
        } else if (r_.truncated) {                                                                 \
            truncated = true;                                                                      \
        }                                                                                          \
    } while (0)
