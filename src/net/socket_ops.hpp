// Socket creation and address resolution for the control path (start-up and
// connect). Reads and writes never happen here: they go through io_uring.
#pragma once

#include "common/result.hpp"

#include <cstdint>
#include <string>
#include <sys/socket.h>

namespace ef::net {

struct endpoint {
    sockaddr_storage addr{};
    socklen_t len = 0;
    std::string text; // "127.0.0.1:8443" / "[::1]:8443", for logs
};

// Resolves host:port (numeric hosts need no DNS). Control path only.
result<endpoint> resolve(const std::string& host, uint16_t port);
// A non-blocking TCP socket with TCP_NODELAY for that address family.
result<int> make_tcp_socket(int family);
// A listening socket bound to host:port (port 0 = ephemeral); returns fd.
result<int> listen_tcp(const std::string& host, uint16_t port, int backlog = 128);
uint16_t local_port(int fd);

} // namespace ef::net
