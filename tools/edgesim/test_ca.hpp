// The simulator's own PKI: a throwaway ECDSA P-256 CA and a server
// certificate it signs for localhost, 127.0.0.1 and ::1, so every test and the
// demo run real certificate and host-name verification, never "insecure".
// Generated with wolfCrypt at start-up; nothing here touches the network.
#pragma once

#include "common/result.hpp"

#include <string>

namespace ef::sim {

struct test_pki {
    std::string ca_cert_pem;     // what the daemon's ca_file must hold
    std::string server_cert_pem; // leaf, signed by the CA
    std::string server_key_pem;
};

// days_valid: both certificates; names go into the server's subjectAltName.
result<test_pki> make_test_pki(int days_valid = 30);

// Writes ca.pem, server.pem and server.key (0600) into dir, creating it.
status write_test_pki(const test_pki& pki, const std::string& dir);
// Loads them back (so several simulators can share one CA).
result<test_pki> read_test_pki(const std::string& dir);

} // namespace ef::sim
