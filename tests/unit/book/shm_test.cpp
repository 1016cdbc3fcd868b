// Tests for platform/shm: instance-name rules, create/open round trip, a new
// object per daemon start, unlink.
#include "book_test_support.hpp"
#include "platform/shm.hpp"

#include <cstring>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>

using ef::book::test::unique_instance;
namespace pf = ef::platform;

namespace {

struct name_case {
    std::string name;
    bool valid;
    const char* why;
};

TEST(shm, applies_the_instance_name_rules) {
    const name_case cases[] = {
        {"default", true, "the default instance"},
        {"prod-1.eu_west", true, "every allowed punctuation"},
        {std::string(47, 'a'), true, "47 bytes is the maximum (48 with NUL)"},
        {std::string(48, 'a'), false, "48 bytes would not fit EF_INSTANCE_MAX with its NUL"},
        {"", false, "empty"},
        {".", false, "would name the directory"},
        {"..", false, "would walk out of /dev/shm"},
        {"a/b", false, "slash makes a path"},
        {"a b", false, "space"},
        {"caf\xc3\xa9", false, "non-ASCII"},
        {std::string("a\0b", 3), false, "embedded NUL"},
    };
    for (const auto& c : cases) EXPECT_EQ(pf::valid_instance_name(c.name), c.valid) << c.why;
}

TEST(shm, formats_the_object_name_under_the_edgefeed_prefix) {
    char buf[pf::shm_object_name_max];
    ASSERT_TRUE(pf::format_shm_object_name("default", buf));
    EXPECT_STREQ(buf, "/edgefeed.default");
    ASSERT_TRUE(pf::format_shm_object_name(std::string(47, 'z'), buf));
    EXPECT_EQ(std::strlen(buf), 10u + 47u);
    EXPECT_FALSE(pf::format_shm_object_name("no/slash", buf));
}

TEST(shm, create_then_open_readonly_sees_the_same_bytes) {
    const std::string inst = unique_instance("shm");
    auto w = pf::shm_create(inst, 8192, false);
    ASSERT_TRUE(w) << w.err().message;
    EXPECT_TRUE(w->writable());
    w->data()[0] = 0x5a;
    w->data()[8191] = 0xa5;
    auto r = pf::shm_open_readonly(inst);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_FALSE(r->writable());
    EXPECT_EQ(r->size(), 8192u);
    EXPECT_EQ(r->data()[0], 0x5a);
    EXPECT_EQ(r->data()[8191], 0xa5);
    EXPECT_EQ(r->ino(), w->ino());
    ASSERT_TRUE(w->unlink());
}

TEST(shm, creates_the_object_world_readable_whatever_the_umask) {
    const std::string inst = unique_instance("mode");
    const mode_t old = ::umask(077);
    auto w = pf::shm_create(inst, 4096, false);
    ::umask(old);
    ASSERT_TRUE(w) << w.err().message;
    struct stat st;
    ASSERT_EQ(::stat(("/dev/shm/edgefeed." + inst).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);
    ASSERT_TRUE(w->unlink());
}

TEST(shm, a_new_create_replaces_the_object_and_old_mappings_keep_their_data) {
    const std::string inst = unique_instance("repl");
    auto first = pf::shm_create(inst, 4096, false);
    ASSERT_TRUE(first) << first.err().message;
    first->data()[0] = 1;
    auto reader = pf::shm_open_readonly(inst);
    ASSERT_TRUE(reader);
    auto second = pf::shm_create(inst, 4096, false);
    ASSERT_TRUE(second) << second.err().message;
    second->data()[0] = 2;
    EXPECT_EQ(reader->data()[0], 1) << "the old mapping stays valid and unchanged";
    EXPECT_NE(second->ino(), reader->ino());
    auto again = pf::shm_open_readonly(inst);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->data()[0], 2) << "the name now refers to the new object";
    ASSERT_TRUE(second->unlink());
}

TEST(shm, unlink_removes_the_name_and_open_reports_it_with_the_object_name) {
    const std::string inst = unique_instance("gone");
    auto w = pf::shm_create(inst, 4096, false);
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->unlink());
    ASSERT_TRUE(w->unlink()) << "idempotent";
    auto r = pf::shm_open_readonly(inst);
    ASSERT_FALSE(r);
    EXPECT_NE(r.err().message.find("/edgefeed." + inst), std::string::npos) << r.err().message;
    EXPECT_NE(r.err().message.find("No such file"), std::string::npos) << r.err().message;
}

TEST(shm, refuses_an_invalid_instance_name_with_a_message) {
    auto w = pf::shm_create("../etc", 4096, false);
    ASSERT_FALSE(w);
    EXPECT_NE(w.err().message.find("invalid instance name"), std::string::npos);
}

TEST(shm, reports_the_mlock_outcome_without_failing) {
    const std::string inst = unique_instance("lock");
    auto w = pf::shm_create(inst, 4096, true);
    ASSERT_TRUE(w) << w.err().message;
    // Either locked (0) or a clear errno (EPERM/ENOMEM/EAGAIN under a low RLIMIT_MEMLOCK).
    EXPECT_TRUE(w->mlock_errno() == 0 || w->mlock_errno() == EPERM || w->mlock_errno() == ENOMEM ||
                w->mlock_errno() == EAGAIN);
    ASSERT_TRUE(w->unlink());
}

} // namespace
