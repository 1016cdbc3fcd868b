// Builds test messages from member lists in several whitespace styles, so one
// table of members yields compact, pretty and whitespace-everywhere variants,
// any member order, and added or removed members.
#pragma once

#include <string>
#include <vector>

namespace ef::json::test {

struct member {
    std::string key;   // JSON string body: escapes allowed, no quotes
    std::string value; // JSON text of the value
};

enum class style { compact, pretty, spaced, lines };
inline constexpr style all_styles[] = {style::compact, style::pretty, style::spaced, style::lines};

inline std::string render(const std::vector<member>& ms, style st = style::compact) {
    // Separators before/after each token for the style; "lines" uses every
    // whitespace byte JSON allows.
    const char* open = "{";
    const char* colon = ":";
    const char* comma = ",";
    const char* close = "}";
    switch (st) {
    case style::compact:
        break;
    case style::pretty:
        colon = ": ", comma = ", ";
        break;
    case style::spaced:
        open = "{ ", colon = " : ", comma = " , ", close = " }";
        break;
    case style::lines:
        open = "{\n\t", colon = "\r\n:\t ", comma = "\n,\r\n  ", close = "\n}";
        break;
    }
    std::string s = open;
    for (size_t i = 0; i < ms.size(); ++i) {
        if (i) s += comma;
        s += '"' + ms[i].key + '"' + colon + ms[i].value;
    }
    return s + close;
}

inline std::string render_array(const std::vector<std::string>& items, style st = style::compact) {
    const char* comma = st == style::compact ? "," : st == style::lines ? "\n,\t" : ", ";
    std::string s = st == style::spaced ? "[ " : "[";
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) s += comma;
        s += items[i];
    }
    return s + (st == style::spaced ? " ]" : "]");
}

inline std::string quoted(const std::string& s) {
    return '"' + s + '"';
}

// Members without the one named `key`.
inline std::vector<member> without(std::vector<member> ms, const std::string& key) {
    std::erase_if(ms, [&](const member& m) { return m.key == key; });
    return ms;
}

// Members with `key`'s value replaced.
inline std::vector<member> with(std::vector<member> ms, const std::string& key,
                                const std::string& value) {
    for (member& m : ms)
        if (m.key == key) m.value = value;
    return ms;
}

// JSON values of every type (and awkward shapes) for unknown members.
inline const std::vector<std::string>& unknown_values() {
    static const std::vector<std::string> v = {
        "1",
        "-2.5e+3",
        "0",
        "\"s\"",
        "\"\\u00e9\\n\\\"}]\"",
        "\"\"",
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "[1,{\"a\":[null,\"]\"]},\"x\"]",
        "{\"type\":\"error\",\"contest_id\":1,\"changed_entries\":5,\"price\":\"x\"}",
        "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]",
        "1e999",
        "9223372036854775808123",
    };
    return v;
}

} // namespace ef::json::test
