// Test helper: reads a body back with simdjson On-Demand (a generic JSON
// reader, independent of ours) into "path=value" lines in document order,
// so a test can compare the exact key set, key order and values of what a
// writer produced. Numbers keep their text (no float); strings are decoded.
// Our own strict validator must accept the body too (simdjson On-Demand
// reads lazily and would not see trailing bytes).
#pragma once

#if EF_TEST_WITH_SIMDJSON
#include "json/scanner.hpp"

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace ef::orders::test {

inline bool flatten_value(simdjson::ondemand::value v, const std::string& path,
                          std::vector<std::string>& out) {
    simdjson::ondemand::json_type t;
    if (v.type().get(t)) return false;
    switch (t) {
    case simdjson::ondemand::json_type::object: {
        simdjson::ondemand::object obj;
        if (v.get_object().get(obj)) return false;
        for (auto field : obj) {
            std::string_view key;
            if (field.unescaped_key().get(key)) return false;
            simdjson::ondemand::value child;
            if (field.value().get(child)) return false;
            if (!flatten_value(child, path + "." + std::string(key), out)) return false;
        }
        return true;
    }
    case simdjson::ondemand::json_type::array: {
        simdjson::ondemand::array arr;
        if (v.get_array().get(arr)) return false;
        size_t i = 0;
        for (auto e : arr) {
            simdjson::ondemand::value child;
            if (e.get(child)) return false;
            if (!flatten_value(child, path + "[" + std::to_string(i++) + "]", out)) return false;
        }
        return true;
    }
    case simdjson::ondemand::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s)) return false;
        out.push_back(path + "=\"" + std::string(s) + "\"");
        return true;
    }
    default: {
        std::string_view raw = v.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n')) raw.remove_suffix(1);
        out.push_back(path + "=" + std::string(raw));
        return true;
    }
    }
}

// The flattened body, or {"<invalid JSON>"} when simdjson refuses it.
inline std::vector<std::string> flatten(std::string_view body) {
    simdjson::ondemand::parser parser;
    simdjson::padded_string padded(body);
    simdjson::ondemand::document doc;
    std::vector<std::string> out;
    simdjson::ondemand::value v;
    if (parser.iterate(padded).get(doc) || doc.get_value().get(v) || !flatten_value(v, "", out) ||
        json::validate_json(body) != json::syntax_error::none)
        return {"<invalid JSON>"};
    return out;
}

} // namespace ef::orders::test
#endif
