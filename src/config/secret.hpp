// The venue API key (and Connect Trade's secrets), held so that it cannot
// reach a log or an error message by accident: no operator<<, fmt prints "<redacted>", view() is
// for the one place that writes it onto the wire, and the bytes are wiped when it dies. Loaded once
// at start-up by the daemon's command line (daemon_cli.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/result.hpp"
#include "config/config.hpp"

namespace ef::config {

class secret {
public:
    secret() noexcept = default;
    // Copies `bytes`; the caller wipes its own copy.
    explicit secret(std::string_view bytes);
    secret(secret&& other) noexcept;
    secret& operator=(secret&& other) noexcept;
    secret(const secret&) = delete;
    secret& operator=(const secret&) = delete;
    ~secret();

    // Only for the code that puts the key on the wire (the upgrade request's
    // X-API-Key header or api_key parameter). Valid while *this lives.
    std::string_view view() const noexcept { return {data_, size_}; }
    bool empty() const noexcept { return size_ == 0; }

private:
    void wipe() noexcept;

    // A plain heap block, not std::string: a move hands the pointer over, so no
    // short-string copy of the key is left behind un-wiped.
    char* data_ = nullptr;
    size_t size_ = 0;
};

// A secret, and a warning for the caller to print when the source is less
// private than it should be (the load still succeeds).
struct loaded_secret {
    secret value;
    std::string warning; // empty when there is nothing to say
};

// The first line of `path`, with spaces, tabs, CR and LF trimmed. A file that
// group or others may access (mode beyond 0600) gives a warning; a missing,
// unreadable or non-regular file, an empty first line, or a byte outside
// visible ASCII is an error. `what` names the key in messages ("api key").
// Messages name the file, never its content.
result<loaded_secret> load_secret_file(const std::string& path, std::string_view what);
// The value of environment variable `name`, trimmed as above. Unset or empty
// is an error naming the variable.
result<secret> load_secret_env(const std::string& name, std::string_view what);

// The OpenMarkets API key as the config says: api_key_file when set, else
// api_key_env.
result<loaded_secret> load_api_key(const openmarkets_section& om);

// Connect Trade's credentials, as the config says: the *_file key when set
// (its first line), else the *_env variable. Read once at start by the order
// loop's set-up, which puts them into its pre-built request headers. A file
// with a loose mode is logged as a warning (the file's name, never its
// content); errors name the config key and the source, never a byte of the
// secret.
result<std::string> read_ct_client_secret(const connecttrade_section& ct);
result<std::string> read_ct_user_secret(const ct_account_section& account);

} // namespace ef::config

// Formats any secret as "<redacted>", whatever the format spec.
template <>
struct fmt::formatter<ef::config::secret> {
    constexpr auto parse(fmt::format_parse_context& ctx) {
        auto it = ctx.begin();
        while (it != ctx.end() && *it != '}')
            ++it;
        return it;
    }
    template <typename FormatContext>
    auto format(const ef::config::secret&, FormatContext& ctx) const {
        return fmt::format_to(ctx.out(), "<redacted>");
    }
};
