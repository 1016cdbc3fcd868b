// The one place that includes wolfSSL: options.h must come first so the
// library's build options (AES-NI, TLS 1.3, LARGE_STATIC_BUFFERS...) are seen
// by every translation unit exactly as the library was compiled.
#pragma once

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
