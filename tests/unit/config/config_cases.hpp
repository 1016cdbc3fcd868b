// What the config test files share: parse a text that must be accepted or
// refused, and the table of refused configs, each checked for one line that
// names the exact key.
#pragma once

#include "config/config.hpp"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "scratch.hpp"

namespace ef::config::test_cases {

inline daemon_config must_parse(std::string_view text) {
    auto r = parse_config(text, "t.toml");
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.err().message);
    return r.ok() ? r.value() : daemon_config{};
}

inline std::string must_fail(std::string_view text) {
    auto r = parse_config(text, "t.toml");
    EXPECT_FALSE(r.ok()) << "accepted:\n" << text;
    return r.ok() ? std::string{} : r.err().message;
}

struct bad_case {
    std::string_view toml;
    std::string_view expected; // "key.path: what", as it appears after "t.toml:L:C: "
    std::string_view why;
};

// One problem each: the message is one line, names the exact key (with
// index) and says what is wrong.
template <size_t N>
void expect_each_refused_naming_its_key(const bad_case (&cases)[N]) {
    for (const bad_case& c : cases) {
        SCOPED_TRACE(std::string(c.why) + ": " + std::string(c.toml));
        const std::string msg = must_fail(c.toml);
        ASSERT_EQ(ef::test::split_lines(msg).size(), 1u) << msg;
        EXPECT_TRUE(msg.starts_with("t.toml:")) << msg;
        const size_t after = msg.find(": "); // after "t.toml:L:C"
        EXPECT_EQ(msg.substr(after + 2), c.expected);
    }
}

} // namespace ef::config::test_cases
