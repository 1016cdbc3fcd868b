// A request path as the simulator's routers read it: "/a/b%3Ac" ->
// {"a", "b:c"}, each segment percent-decoded. Both venues' routers use it.
#pragma once

#include "http/uri.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ef::sim {

// Appends the segments of `path` (a leading "/" is skipped) to out; false on
// a bad percent-escape.
inline bool split_path_segments(std::string_view path, std::vector<std::string>& out) {
    if (!path.empty() && path[0] == '/') path.remove_prefix(1);
    while (!path.empty()) {
        const size_t slash = path.find('/');
        const std::string_view seg = path.substr(0, slash);
        std::string buf(seg.size(), '\0');
        std::string_view decoded;
        if (http::percent_decode(seg, {buf.data(), buf.size()}, decoded) != http::codec_status::ok)
            return false;
        out.emplace_back(decoded);
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return true;
}

} // namespace ef::sim
