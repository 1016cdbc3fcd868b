// wolfSSL's I/O callbacks, pointed at a session's memory buffers instead of a
// socket (wolfSSL is built with WOLFSSL_USER_IO: it has no socket code at all).
#pragma once

#include "tls/wolfssl.hpp"

namespace ef::tls {
void install_io_callbacks(WOLFSSL_CTX* ctx);
}
