// Tests for parse_url(): tables of good URLs with every part they split into,
// bad URLs with the reason, every prefix before a PROT_NONE page, and messages
// that never repeat what might be a credential.
#include "config/url.hpp"

#include <gtest/gtest.h>

#include "tests/support/guarded_buffer.hpp"

namespace ef::config {
namespace {

struct good_case {
    std::string_view text;
    url expected;
    std::string_view host_header;
    std::string_view target;
    std::string_view why;
};

const good_case good_cases[] = {
    {"wss://[::1]:8443/flow/v1/stream?x=y",
     {"wss", "::1", true, true, 8443, "/flow/v1/stream", "x=y"},
     "[::1]:8443",
     "/flow/v1/stream?x=y",
     "IPv6 literal, brackets stripped"},
    {"wss://api.openmarkets.ai/flow/v1/stream",
     {"wss", "api.openmarkets.ai", false, false, 443, "/flow/v1/stream", ""},
     "api.openmarkets.ai",
     "/flow/v1/stream",
     "default port left out of Host"},
    {"WSS://API.Example.COM:443",
     {"wss", "api.example.com", false, false, 443, "/", ""},
     "api.example.com",
     "/",
     "scheme and host are case-insensitive; explicit 443 is the default"},
    {"https://127.0.0.1:8443",
     {"https", "127.0.0.1", true, false, 8443, "/", ""},
     "127.0.0.1:8443",
     "/",
     "IPv4 literal, no path"},
    {"wss://h?x", {"wss", "h", false, false, 443, "/", "x"}, "h", "/?x", "query without a path"},
    {"https://[2001:DB8::1]/",
     {"https", "2001:db8::1", true, true, 443, "/", ""},
     "[2001:db8::1]",
     "/",
     "IPv6 on the default port keeps its brackets"},
    {"wss://host:0443/",
     {"wss", "host", false, false, 443, "/", ""},
     "host",
     "/",
     "leading zeros in a port"},
    {"wss://a-b_c.example/p%20q;v=1/@x:y",
     {"wss", "a-b_c.example", false, false, 443, "/p%20q;v=1/@x:y", ""},
     "a-b_c.example",
     "/p%20q;v=1/@x:y",
     "path characters of RFC 3986, percent-encoding kept"},
    {"wss://h:65535/s?a=1&b=2/?c",
     {"wss", "h", false, false, 65535, "/s", "a=1&b=2/?c"},
     "h:65535",
     "/s?a=1&b=2/?c",
     "highest port; '/' and '?' in a query"},
    {"wss://10.0.0.1.nip.io/",
     {"wss", "10.0.0.1.nip.io", false, false, 443, "/", ""},
     "10.0.0.1.nip.io",
     "/",
     "a name whose labels start with digits"},
};

TEST(url, splits_each_good_url_into_its_parts) {
    for (const good_case& c : good_cases) {
        SCOPED_TRACE(std::string(c.why) + ": " + std::string(c.text));
        test::guarded_buffer buf(c.text);
        auto r = parse_url(buf.view());
        ASSERT_TRUE(r.ok()) << r.err().message;
        EXPECT_EQ(r->scheme, c.expected.scheme);
        EXPECT_EQ(r->host, c.expected.host);
        EXPECT_EQ(r->is_ip_literal, c.expected.is_ip_literal);
        EXPECT_EQ(r->is_ipv6, c.expected.is_ipv6);
        EXPECT_EQ(r->port, c.expected.port);
        EXPECT_EQ(r->path, c.expected.path);
        EXPECT_EQ(r->query, c.expected.query);
        EXPECT_EQ(r->host_header(), c.host_header);
        EXPECT_EQ(r->target(), c.target);
    }
}

TEST(url, to_string_gives_a_url_that_parses_to_the_same_parts) {
    for (const good_case& c : good_cases) {
        SCOPED_TRACE(c.text);
        auto r = parse_url(c.text);
        ASSERT_TRUE(r.ok());
        auto again = parse_url(r->to_string());
        ASSERT_TRUE(again.ok()) << again.err().message;
        EXPECT_EQ(again.value(), r.value());
    }
}

struct url_case {
    std::string_view text;
    std::string_view message;
    std::string_view why;
};

const url_case bad_urls[] = {
    {"", "URL is empty", "nothing"},
    {"127.0.0.1:8443/x", "missing scheme (expected wss:// or https://)", "no scheme"},
    {"://h/", "missing scheme (expected wss:// or https://)", "empty scheme"},
    {"ws://h/", "scheme 'ws' is not supported: edgefeed only speaks TLS (use wss)", "plain ws"},
    {"http://h/", "scheme 'http' is not supported: edgefeed only speaks TLS (use https)",
     "plain http"},
    {"ftp://h/", "scheme must be wss or https", "other scheme"},
    {"wss:///x", "host is missing", "empty host"},
    {"wss://?x", "host is missing", "empty host before a query"},
    {"wss://h:/", "empty port after ':'", "colon without a port"},
    {"wss://h:0/", "port 0 is out of range 1..65535", "port zero"},
    {"wss://h:65536/", "port 65536 is out of range 1..65535", "port above 16 bits"},
    {"wss://h:123456/", "port must be a number from 1 to 65535", "six digits"},
    {"wss://h:8a/", "port must be a number from 1 to 65535", "letters in a port"},
    {"wss://h:-1/", "port must be a number from 1 to 65535", "negative port"},
    {"wss://[::1/", "'[' without a closing ']'", "unclosed bracket"},
    {"wss://[::1]x/", "unexpected text after ']'", "junk after the bracket"},
    {"wss://[::1]:/", "empty port after ':'", "IPv6 with an empty port"},
    {"wss://[fe80::1%25eth0]/", "IPv6 zone ids (%...) are not supported", "zone id"},
    {"wss://[1.2.3.4]/", "brackets hold an IPv6 address, and this is not one", "IPv4 in brackets"},
    {"wss://[::g]/", "host is not a valid IPv6 address", "bad IPv6"},
    {"wss://::1/", "IPv6 addresses must be written in brackets: [::1]", "IPv6 without brackets"},
    {"wss://user:pw@h/",
     "user info (user:password@) is not supported: the API key comes from api_key_file or "
     "api_key_env",
     "credentials in the URL"},
    {"wss://h/#frag", "a fragment ('#') is never sent to the server: remove it", "fragment"},
    {"wss://h/a b", "byte 9 is a space, control or non-ASCII character (percent-encode it)",
     "space"},
    {"wss://h/\r\nX: y", "byte 8 is a space, control or non-ASCII character (percent-encode it)",
     "CR LF would inject a header"},
    {"wss://h/\xc3\xa9", "byte 8 is a space, control or non-ASCII character (percent-encode it)",
     "non-ASCII"},
    {std::string_view("wss://h/\0", 9),
     "byte 8 is a space, control or non-ASCII character (percent-encode it)", "NUL"},
    {"wss://999.1.1.1/", "host looks like an IPv4 address but is not a valid one",
     "octet above 255"},
    {"wss://1.2.3/", "host looks like an IPv4 address but is not a valid one", "three parts"},
    {"wss://80/", "host looks like an IPv4 address but is not a valid one", "bare number"},
    {"wss://-h.example/", "a host label starts or ends with '-'", "leading dash"},
    {"wss://h-.example/", "a host label starts or ends with '-'", "trailing dash"},
    {"wss://h..example/", "host has an empty label (\"..\" or a leading/trailing '.')",
     "empty label"},
    {"wss://h.example./", "host has an empty label (\"..\" or a leading/trailing '.')",
     "trailing dot"},
    {"wss://h!x/", "character '!' is not allowed in a host name", "bad host character"},
    {"wss://h/%zz", "'%' in the path is not followed by two hex digits", "bad escape"},
    {"wss://h/%4", "'%' in the path is not followed by two hex digits", "cut escape"},
    {"wss://h/x?%", "'%' in the query is not followed by two hex digits", "cut escape in query"},
    {"wss://h/a<b", "character '<' is not allowed in the path", "angle bracket"},
    {"wss://h/x?a|b", "character '|' is not allowed in the query", "pipe in a query"},
    {"wss://h/x?a\"b", "character '\"' is not allowed in the query", "quote in a query"},
};

TEST(url, rejects_each_bad_url_with_its_reason) {
    for (const url_case& c : bad_urls) {
        SCOPED_TRACE(std::string(c.why));
        test::guarded_buffer buf(c.text);
        auto r = parse_url(buf.view());
        ASSERT_FALSE(r.ok()) << c.text;
        EXPECT_EQ(r.err().message, c.message) << c.text;
    }
}

TEST(url, rejects_a_host_label_longer_than_63_bytes) {
    auto r = parse_url("wss://" + std::string(64, 'a') + ".example/");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "host has a label longer than 63 bytes");
    EXPECT_TRUE(parse_url("wss://" + std::string(63, 'a') + ".example/").ok());
}

TEST(url, rejects_a_host_longer_than_253_bytes) {
    std::string host;
    while (host.size() < 254)
        host += "abcdefghi.";
    host += "x";
    auto r = parse_url("wss://" + host + "/");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().message, "host is longer than 253 bytes");
}

TEST(url, messages_never_repeat_user_info_path_or_query) {
    for (std::string_view text :
         {"wss://SENTINEL:pw@h/", "wss://h/SENTINEL#x", "wss://h/x?SENTINEL=1 ",
          "wss://h/x?SENTINEL%", "ws://h/SENTINEL", "wss://h:99999/SENTINEL"}) {
        auto r = parse_url(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.err().message.find("SENTINEL"), std::string::npos) << r.err().message;
    }
}

// Each prefix of each URL, ending at a PROT_NONE page: no read past the end,
// and a prefix that parses has the same scheme and a prefix of the host.
TEST(url, every_prefix_is_answered_without_overread) {
    for (const good_case& c : good_cases) {
        for (size_t n = 0; n <= c.text.size(); ++n) {
            test::guarded_buffer buf(c.text.substr(0, n));
            auto r = parse_url(buf.view());
            if (r.ok()) {
                EXPECT_EQ(r->scheme, c.expected.scheme) << c.text.substr(0, n);
                EXPECT_TRUE(c.expected.host.starts_with(r->host)) << c.text.substr(0, n);
            } else {
                EXPECT_FALSE(r.err().message.empty());
            }
        }
    }
    for (const url_case& c : bad_urls)
        for (size_t n = 0; n <= c.text.size(); ++n) {
            test::guarded_buffer buf(c.text.substr(0, n));
            (void)parse_url(buf.view());
        }
}

TEST(url, check_host_accepts_names_and_ip_literals) {
    EXPECT_TRUE(check_host("venue.example").ok());
    EXPECT_TRUE(check_host("localhost").ok());
    EXPECT_TRUE(check_host("192.0.2.7").ok());
    EXPECT_TRUE(check_host("2001:db8::7").ok());
    EXPECT_FALSE(check_host("").ok());
    EXPECT_FALSE(check_host("[::1]").ok());
    EXPECT_FALSE(check_host("bad name").ok());
    EXPECT_FALSE(check_host("256.1.1.1").ok());
}

} // namespace
} // namespace ef::config
