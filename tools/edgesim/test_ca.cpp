// See test_ca.hpp.
#include "edgesim/test_ca.hpp"

#include "tls/tls_context.hpp"
#include "tls/wolfssl.hpp"

#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <vector>

namespace ef::sim {

namespace {

#if !defined(WOLFSSL_ALT_NAMES) || !defined(WOLFSSL_CERT_GEN)
#define EF_NO_CERTGEN 1
#endif

#ifndef EF_NO_CERTGEN
// subjectAltName value (RFC 5280 4.2.1.6): GeneralNames with dNSName [2]
// "localhost" and iPAddress [7] 127.0.0.1 and ::1.
std::vector<uint8_t> alt_names_der() {
    std::vector<uint8_t> body;
    const char dns[] = "localhost";
    body.push_back(0x82);
    body.push_back(sizeof dns - 1);
    body.insert(body.end(), dns, dns + sizeof dns - 1);
    const uint8_t v4[] = {0x87, 4, 127, 0, 0, 1};
    body.insert(body.end(), v4, v4 + sizeof v4);
    uint8_t v6[18] = {0x87, 16};
    v6[17] = 1;
    body.insert(body.end(), v6, v6 + sizeof v6);
    std::vector<uint8_t> der{0x30, static_cast<uint8_t>(body.size())};
    der.insert(der.end(), body.begin(), body.end());
    return der;
}

struct wolf_rng {
    WC_RNG rng{};
    bool ok = wc_InitRng(&rng) == 0;
    ~wolf_rng() { wc_FreeRng(&rng); }
};

struct wolf_key {
    ecc_key key{};
    wolf_key() { wc_ecc_init(&key); }
    ~wolf_key() { wc_ecc_free(&key); }
};

result<std::string> to_pem(const uint8_t* der, int der_len, int type) {
    std::vector<uint8_t> pem(static_cast<size_t>(der_len) * 2 + 256);
    const int n = wc_DerToPem(der, static_cast<word32>(der_len), pem.data(),
                              static_cast<word32>(pem.size()), type);
    if (n <= 0) return make_error("DER to PEM failed: " + std::to_string(n));
    return std::string(reinterpret_cast<char*>(pem.data()), static_cast<size_t>(n));
}

void set_name(CertName& n, const char* cn) {
    std::strncpy(n.country, "US", CTC_NAME_SIZE - 1);
    std::strncpy(n.org, "edgefeed test", CTC_NAME_SIZE - 1);
    std::strncpy(n.commonName, cn, CTC_NAME_SIZE - 1);
}

result<int> sign(Cert& cert, std::vector<uint8_t>& der, ecc_key& subject_key, ecc_key& signer_key,
                 WC_RNG& rng) {
    int rc = wc_MakeCert_ex(&cert, der.data(), static_cast<word32>(der.size()), ECC_TYPE,
                            &subject_key, &rng);
    if (rc < 0) return make_error("wc_MakeCert_ex: " + std::to_string(rc));
    rc = wc_SignCert_ex(cert.bodySz, cert.sigType, der.data(), static_cast<word32>(der.size()),
                        ECC_TYPE, &signer_key, &rng);
    if (rc < 0) return make_error("wc_SignCert_ex: " + std::to_string(rc));
    return rc;
}
#endif

} // namespace

result<test_pki> make_test_pki(int days_valid) {
#ifdef EF_NO_CERTGEN
    (void)days_valid;
    return make_error("this wolfSSL lacks certificate generation (WOLFSSL_CERT_GEN, "
                      "WOLFSSL_ALT_NAMES); run tools/setup.sh to build it from source");
#else
    tls::library_init();
    wolf_rng rng;
    if (!rng.ok) return make_error("wolfCrypt RNG init failed");
    wolf_key ca_key, srv_key;
    if (wc_ecc_make_key_ex(&rng.rng, 32, &ca_key.key, ECC_SECP256R1) != 0 ||
        wc_ecc_make_key_ex(&rng.rng, 32, &srv_key.key, ECC_SECP256R1) != 0)
        return make_error("ECC key generation failed");

    test_pki out;
    std::vector<uint8_t> ca_der(4096), srv_der(4096), key_der(512);

    Cert ca;
    wc_InitCert(&ca);
    set_name(ca.subject, "edgesim test CA");
    ca.isCA = 1;
    ca.selfSigned = 1;
    ca.sigType = CTC_SHA256wECDSA;
    ca.daysValid = days_valid;
    wc_SetKeyUsage(&ca, "keyCertSign,cRLSign,digitalSignature");
    wc_SetSubjectKeyIdFromPublicKey_ex(&ca, ECC_TYPE, &ca_key.key);
    auto ca_len = sign(ca, ca_der, ca_key.key, ca_key.key, rng.rng);
    if (!ca_len) return std::move(ca_len).err().context("CA certificate");

    Cert srv;
    wc_InitCert(&srv);
    set_name(srv.subject, "localhost");
    srv.sigType = CTC_SHA256wECDSA;
    srv.daysValid = days_valid;
    const auto san = alt_names_der();
    std::memcpy(srv.altNames, san.data(), san.size());
    srv.altNamesSz = static_cast<int>(san.size());
    if (wc_SetIssuerBuffer(&srv, ca_der.data(), *ca_len) != 0)
        return make_error("setting the server certificate's issuer failed");
    wc_SetAuthKeyIdFromPublicKey_ex(&srv, ECC_TYPE, &ca_key.key);
    wc_SetKeyUsage(&srv, "digitalSignature,keyAgreement");
    auto srv_len = sign(srv, srv_der, srv_key.key, ca_key.key, rng.rng);
    if (!srv_len) return std::move(srv_len).err().context("server certificate");

    const int key_len = wc_EccKeyToDer(&srv_key.key, key_der.data(), static_cast<word32>(key_der.size()));
    if (key_len <= 0) return make_error("encoding the server key failed");

    auto ca_pem = to_pem(ca_der.data(), *ca_len, CERT_TYPE);
    auto srv_pem = to_pem(srv_der.data(), *srv_len, CERT_TYPE);
    auto key_pem = to_pem(key_der.data(), key_len, ECC_PRIVATEKEY_TYPE);
    if (!ca_pem || !srv_pem || !key_pem) return make_error("PEM encoding failed");
    out.ca_cert_pem = std::move(ca_pem).value();
    out.server_cert_pem = std::move(srv_pem).value();
    out.server_key_pem = std::move(key_pem).value();
    return out;
#endif
}

namespace {
status write_file(const std::string& path, const std::string& text, mode_t mode) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return make_error("cannot write " + path + ": " + std::strerror(errno));
    f << text;
    f.close();
    chmod(path.c_str(), mode);
    return ok();
}
result<std::string> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return make_error("cannot read " + path + ": " + std::strerror(errno));
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}
} // namespace

status write_test_pki(const test_pki& pki, const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error("cannot create " + dir + ": " + ec.message());
    if (auto s = write_file(dir + "/ca.pem", pki.ca_cert_pem, 0644); !s) return s;
    if (auto s = write_file(dir + "/server.pem", pki.server_cert_pem, 0644); !s) return s;
    return write_file(dir + "/server.key", pki.server_key_pem, 0600);
}

result<test_pki> read_test_pki(const std::string& dir) {
    test_pki p;
    auto ca = read_file(dir + "/ca.pem");
    if (!ca) return std::move(ca).err();
    auto srv = read_file(dir + "/server.pem");
    if (!srv) return std::move(srv).err();
    auto key = read_file(dir + "/server.key");
    if (!key) return std::move(key).err();
    p.ca_cert_pem = std::move(ca).value();
    p.server_cert_pem = std::move(srv).value();
    p.server_key_pem = std::move(key).value();
    return p;
}

} // namespace ef::sim
