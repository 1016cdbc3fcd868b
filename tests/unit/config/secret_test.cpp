// Tests for the API key holder: loading from a file and from the environment,
// clear errors naming the source, a warning for a loose file mode, the
// redacting formatter, and no key bytes in any message.
#include "config/secret.hpp"

#include <ostream>
#include <sstream>

#include <gtest/gtest.h>

#include "scratch.hpp"

namespace ef::config {
namespace {

using test::scoped_env;
using test::scratch_dir;

constexpr std::string_view key_text = "om_data_live_7c1f0e9a2b";

template <typename T>
concept ostreamable = requires(std::ostream& os, const T& v) {
    os << v;
};

TEST(secret, cannot_be_written_to_an_ostream_or_copied) {
    static_assert(!ostreamable<secret>);
    static_assert(!std::is_copy_constructible_v<secret>);
    static_assert(!std::is_copy_assignable_v<secret>);
    static_assert(!std::is_convertible_v<secret, std::string_view>);
    static_assert(!std::is_convertible_v<secret, std::string>);
}

TEST(secret, formats_as_redacted_whatever_the_spec) {
    const secret s(key_text);
    EXPECT_EQ(fmt::format("{}", s), "<redacted>");
    EXPECT_EQ(fmt::format("{:>30}", s), "<redacted>");
    EXPECT_EQ(fmt::format("key={}!", s), "key=<redacted>!");
    EXPECT_EQ(s.view(), key_text);
}

TEST(secret, move_hands_the_bytes_over_and_empties_the_source) {
    secret a(key_text);
    secret b(std::move(a));
    EXPECT_TRUE(a.empty()); // NOLINT(bugprone-use-after-move): the behaviour under test
    EXPECT_EQ(b.view(), key_text);
    secret c;
    c = std::move(b);
    EXPECT_TRUE(b.empty()); // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(c.view(), key_text);
}

TEST(secret, loads_the_trimmed_first_line_of_a_file) {
    scratch_dir dir;
    const std::string path = dir.write("key", " \t" + std::string(key_text) + " \r\nsecond line\n");
    auto r = load_secret_file(path, "api key");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->value.view(), key_text);
    EXPECT_EQ(r->warning, "");
}

TEST(secret, loads_a_file_without_a_final_newline) {
    scratch_dir dir;
    auto r = load_secret_file(dir.write("key", std::string(key_text)), "api key");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->value.view(), key_text);
}

TEST(secret, warns_when_others_than_the_owner_may_read_the_file) {
    scratch_dir dir;
    const std::string path = dir.write("key", std::string(key_text) + "\n", 0644);
    auto r = load_secret_file(path, "api key");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->value.view(), key_text);
    EXPECT_EQ(r->warning, "api key file " + path +
                              " has mode 0644: others than its owner may read it; chmod 600 it");
}

TEST(secret, accepts_an_owner_read_only_file_silently) {
    scratch_dir dir;
    auto r = load_secret_file(dir.write("key", std::string(key_text), 0400), "api key");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->warning, "");
}

TEST(secret, names_a_missing_file) {
    auto r = load_secret_file("/nonexistent/key", "api key");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "reading api key file /nonexistent/key: No such file or directory");
}

TEST(secret, refuses_a_directory) {
    scratch_dir dir;
    auto r = load_secret_file(dir.path(""), "api key");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.err().message.find("is not a regular file"), std::string::npos) << r.err().message;
}

TEST(secret, refuses_an_empty_first_line) {
    scratch_dir dir;
    const std::string path = dir.write("key", "  \n" + std::string(key_text) + "\n");
    auto r = load_secret_file(path, "api key");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "api key file " + path + " is empty");
}

TEST(secret, refuses_a_first_line_longer_than_4096_bytes) {
    scratch_dir dir;
    const std::string path = dir.write("key", std::string(5000, 'k'));
    auto r = load_secret_file(path, "api key");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "api key file " + path +
                                   ": first line is longer than 4096 bytes; a key file holds the "
                                   "key on its first line");
}

TEST(secret, loads_a_key_of_exactly_4096_bytes) {
    scratch_dir dir;
    auto r = load_secret_file(dir.write("key", std::string(4096, 'k') + "\n"), "api key");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->value.view().size(), 4096u);
}

TEST(secret, refuses_bytes_that_cannot_go_into_a_header) {
    scratch_dir dir;
    const std::string path = dir.write("key", "om_data live\n");
    auto r = load_secret_file(path, "api key");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "api key file " + path +
                                   " has a space, control or non-ASCII byte at offset 7; a key is "
                                   "visible ASCII");
}

TEST(secret, loads_from_an_environment_variable) {
    scoped_env env("EF_TEST_KEY", " " + std::string(key_text) + "\n");
    auto r = load_secret_env("EF_TEST_KEY", "api key");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->view(), key_text);
}

TEST(secret, names_an_unset_environment_variable) {
    scoped_env env("EF_TEST_KEY", std::nullopt);
    auto r = load_secret_env("EF_TEST_KEY", "api key");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "api key environment variable EF_TEST_KEY is not set");
}

TEST(secret, names_an_empty_environment_variable) {
    scoped_env env("EF_TEST_KEY", "");
    auto r = load_secret_env("EF_TEST_KEY", "api key");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "api key environment variable EF_TEST_KEY is empty");
}

TEST(secret, api_key_file_wins_over_the_environment) {
    scratch_dir dir;
    scoped_env env("EF_TEST_KEY", "from-env");
    openmarkets_section om;
    om.api_key_env = "EF_TEST_KEY";
    om.api_key_file = dir.write("key", "from-file\n");
    auto r = load_api_key(om);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->value.view(), "from-file");
    om.api_key_file.clear();
    auto r2 = load_api_key(om);
    ASSERT_TRUE(r2.ok()) << r2.err().message;
    EXPECT_EQ(r2->value.view(), "from-env");
}

TEST(secret, api_key_errors_name_the_config_key_and_the_source) {
    scoped_env env("EF_TEST_KEY", std::nullopt);
    openmarkets_section om;
    om.api_key_env = "EF_TEST_KEY";
    auto r = load_api_key(om);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "openmarkets.api_key_env: openmarkets api key environment "
                               "variable EF_TEST_KEY is not set");
    om.api_key_file = "/nonexistent/key";
    auto r2 = load_api_key(om);
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.err().message, "openmarkets.api_key_file: reading openmarkets api key file "
                                "/nonexistent/key: No such file or directory");
}

// Every way a key can be refused, with the key's bytes in the input: none of
// them may appear in the message.
TEST(secret, no_error_or_warning_contains_key_bytes) {
    scratch_dir dir;
    const std::string k(key_text);
    std::vector<std::string> messages;
    auto file_message = [&](const std::string& content, mode_t mode = 0600) {
        auto r = load_secret_file(dir.write("k", content, mode), "api key");
        messages.push_back(r.ok() ? r->warning : r.err().message);
    };
    file_message(k + " tail\n");              // space inside
    file_message(k + "\x01\n");               // control byte
    file_message(k + "\xc3\xa9\n");           // non-ASCII
    file_message(k + std::string(5000, 'x')); // too long
    file_message(k + "\n", 0666);             // loose mode: a warning
    for (const char* v : {" tail", "\x01", "\xc3\xa9"}) {
        scoped_env env("EF_TEST_KEY", k + v);
        auto r = load_secret_env("EF_TEST_KEY", "api key");
        ASSERT_FALSE(r.ok());
        messages.push_back(r.err().message);
    }
    for (const std::string& m : messages) {
        EXPECT_FALSE(m.empty());
        EXPECT_EQ(m.find(k.substr(0, 8)), std::string::npos) << m;
        EXPECT_EQ(m.find("7c1f0e9a"), std::string::npos) << m;
    }
}

} // namespace
} // namespace ef::config
