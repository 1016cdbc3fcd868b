// Loading and wiping the API key (see secret.hpp). The file is read with
// read(2) into a stack buffer that is wiped before returning, so no stdio or
// iostream buffer keeps a copy; messages say where the key was looked for and
// what is wrong with it, never any of its bytes.
#include "config/secret.hpp"

#include "common/log.hpp"
#include "config/schema.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ef::config {
namespace {

// Longest first line read from a key file; keys are tens of bytes.
constexpr size_t max_line_bytes = 4096;

std::string_view trimmed(std::string_view s) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && blank(s.back()))
        s.remove_suffix(1);
    return s;
}

// The key goes into an HTTP header or query parameter: visible ASCII only.
// Reports the offset, not the byte.
status check_key_bytes(std::string_view key, std::string_view what, std::string_view source) {
    if (key.empty()) return make_error(fmt::format("{} {} is empty", what, source));
    for (size_t i = 0; i < key.size(); ++i) {
        const auto b = static_cast<unsigned char>(key[i]);
        if (b <= 0x20 || b >= 0x7f)
            return make_error(fmt::format("{} {} has a space, control or non-ASCII byte at "
                                          "offset {}; a key is visible ASCII",
                                          what, source, i));
    }
    return ok();
}

// Wipes the stack buffer on every way out of load_secret_file().
struct wiped_buffer {
    std::array<char, max_line_bytes + 1> bytes;
    ~wiped_buffer() { explicit_bzero(bytes.data(), bytes.size()); }
};

struct fd_closer {
    int fd;
    ~fd_closer() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

secret::secret(std::string_view bytes) {
    if (bytes.empty()) return;
    data_ = new char[bytes.size()];
    std::memcpy(data_, bytes.data(), bytes.size());
    size_ = bytes.size();
}

secret::secret(secret&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
}

secret& secret::operator=(secret&& other) noexcept {
    if (this != &other) {
        wipe();
        data_ = other.data_;
        size_ = other.size_;
        other.data_ = nullptr;
        other.size_ = 0;
    }
    return *this;
}

secret::~secret() {
    wipe();
}

void secret::wipe() noexcept {
    if (data_) {
        // explicit_bzero: a plain memset before delete may be optimised away.
        explicit_bzero(data_, size_);
        delete[] data_;
    }
    data_ = nullptr;
    size_ = 0;
}

result<loaded_secret> load_secret_file(const std::string& path, std::string_view what) {
    const std::string source = fmt::format("file {}", path);
    fd_closer f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)};
    if (f.fd < 0)
        return make_error(fmt::format("reading {} {}: {}", what, source, std::strerror(errno)));
    struct stat st;
    if (::fstat(f.fd, &st) != 0)
        return make_error(fmt::format("reading {} {}: {}", what, source, std::strerror(errno)));
    if (!S_ISREG(st.st_mode))
        return make_error(fmt::format("{} {} is not a regular file", what, source));

    wiped_buffer buf;
    size_t got = 0;
    // Read until the first newline, end of file, or a full buffer.
    while (got < buf.bytes.size()) {
        const ssize_t n = ::read(f.fd, buf.bytes.data() + got, buf.bytes.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return make_error(fmt::format("reading {} {}: {}", what, source, std::strerror(errno)));
        if (n == 0) break;
        const bool has_newline = std::memchr(buf.bytes.data() + got, '\n', size_t(n)) != nullptr;
        got += size_t(n);
        if (has_newline) break;
    }
    const std::string_view all(buf.bytes.data(), got);
    const size_t nl = all.find('\n');
    if (nl == std::string_view::npos && got > max_line_bytes)
        return make_error(fmt::format("{} {}: first line is longer than {} bytes; a key file "
                                      "holds the key on its first line",
                                      what, source, max_line_bytes));
    const std::string_view key = trimmed(all.substr(0, nl));
    if (status s = check_key_bytes(key, what, source); !s) return std::move(s).err();

    loaded_secret out{secret(key), {}};
    const unsigned mode = st.st_mode & 07777;
    if ((mode & ~0600u) != 0)
        out.warning = fmt::format("{} {} has mode {:04o}: others than its owner may read it; "
                                  "chmod 600 it",
                                  what, source, mode);
    return out;
}

result<secret> load_secret_env(const std::string& name, std::string_view what) {
    const std::string source = fmt::format("environment variable {}", name);
    const char* v = std::getenv(name.c_str());
    if (!v) return make_error(fmt::format("{} {} is not set", what, source));
    const std::string_view key = trimmed(v);
    if (status s = check_key_bytes(key, what, source); !s) return std::move(s).err();
    return secret(key);
}

result<loaded_secret> load_api_key(const openmarkets_section& om) {
    constexpr std::string_view what = "openmarkets api key";
    if (!om.api_key_file.empty()) {
        auto r = load_secret_file(om.api_key_file, what);
        if (!r) return std::move(r).err().context("openmarkets.api_key_file");
        return r;
    }
    if (om.api_key_env.empty())
        return make_error("no openmarkets api key: set openmarkets.api_key_file or "
                          "openmarkets.api_key_env");
    auto r = load_secret_env(om.api_key_env, what);
    if (!r) return std::move(r).err().context("openmarkets.api_key_env");
    return loaded_secret{std::move(r).value(), {}};
}

} // namespace ef::config

namespace ef::config {
namespace {

// file wins over env; `key` prefixes errors with the config key they came from.
result<std::string> read_secret(const std::string& file, const std::string& env,
                                std::string_view what, std::string_view file_key,
                                std::string_view env_key) {
    if (!file.empty()) {
        auto r = load_secret_file(file, what);
        if (!r) return std::move(r).err().context(file_key);
        if (!r->warning.empty()) EF_LOG_WARN("{}", r->warning);
        return std::string(r->value.view());
    }
    if (env.empty()) return make_error(fmt::format("no {}: set {} or {}", what, file_key, env_key));
    auto r = load_secret_env(env, what);
    if (!r) return std::move(r).err().context(env_key);
    return std::string(r->view());
}

} // namespace

result<std::string> read_ct_client_secret(const connecttrade_section& ct) {
    return read_secret(ct.client_secret_file, ct.client_secret_env, "connecttrade client secret",
                       "orders.connecttrade.client_secret_file",
                       "orders.connecttrade.client_secret_env");
}

result<std::string> read_ct_user_secret(const ct_account_section& account) {
    const std::string what = fmt::format("connecttrade user secret of account {}",
                                         detail::quoted_short(account.account_id));
    return read_secret(account.user_secret_file, account.user_secret_env, what,
                       "orders.connecttrade.accounts[].user_secret_file",
                       "orders.connecttrade.accounts[].user_secret_env");
}

} // namespace ef::config
