// See socket_ops.hpp.
#include "net/socket_ops.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

namespace ef::net {

namespace {
error errno_error(const std::string& what) { return make_error(what + ": " + std::strerror(errno)); }
} // namespace

result<endpoint> resolve(const std::string& host, uint16_t port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    addrinfo* res = nullptr;
    const std::string service = std::to_string(port);
    const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
    if (rc != 0) return make_error("resolving " + host + ": " + gai_strerror(rc));
    endpoint ep;
    std::memcpy(&ep.addr, res->ai_addr, res->ai_addrlen);
    ep.len = res->ai_addrlen;
    char buf[INET6_ADDRSTRLEN] = {};
    if (res->ai_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(res->ai_addr)->sin6_addr, buf, sizeof buf);
        ep.text = fmt::format("[{}]:{}", buf, port);
    } else {
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, buf, sizeof buf);
        ep.text = fmt::format("{}:{}", buf, port);
    }
    freeaddrinfo(res);
    return ep;
}

result<int> make_tcp_socket(int family) {
    const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) return errno_error("socket");
    const int one = 1;
    // Small frames (pongs, orders) must leave at once, not wait for Nagle.
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

result<int> listen_tcp(const std::string& host, uint16_t port, int backlog) {
    auto ep = resolve(host, port);
    if (!ep) return std::move(ep).err();
    const int fd = ::socket(ep->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) return errno_error("socket");
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&ep->addr), ep->len) < 0) {
        auto e = errno_error("bind " + ep->text);
        ::close(fd);
        return e;
    }
    if (::listen(fd, backlog) < 0) {
        auto e = errno_error("listen " + ep->text);
        ::close(fd);
        return e;
    }
    return fd;
}

uint16_t local_port(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) return 0;
    if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

} // namespace ef::net
