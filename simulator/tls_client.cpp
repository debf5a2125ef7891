// tls_client.cpp — see tls_client.hpp.
#include "tls_client.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>

namespace aware::sim {

namespace {

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) {
    return "unknown OpenSSL error";
  }
  std::array<char, 256> buf{};
  ERR_error_string_n(code, buf.data(), buf.size());
  return buf.data();
}

void check(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("minting a device certificate: ") + what + ": " +
                             openssl_error());
  }
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

}  // namespace

struct tls_client::keys {
  X509* cert = nullptr;      // the device CA's certificate
  EVP_PKEY* key = nullptr;   // its private key
  keys() = default;
  keys(const keys&) = delete;
  keys& operator=(const keys&) = delete;
  ~keys() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

tls_client::tls_client() = default;
tls_client::~tls_client() = default;
tls_client::tls_client(tls_client&&) noexcept = default;
tls_client& tls_client::operator=(tls_client&&) noexcept = default;

tl::expected<tls_client, std::string> tls_client::load(const tls_options& options) {
  tls_client out;
  out.options_ = options;
  out.enabled_ = !options.ca.empty();
  if (!out.enabled_) {
    return out;
  }
  // Each file is read once here so that a wrong path is reported before anything connects.
  ssl::context probe(ssl::context::tls_client);
  if (SSL_CTX_load_verify_locations(probe.native_handle(), options.ca.c_str(), nullptr) != 1) {
    return tl::make_unexpected("--ca " + options.ca + ": " + openssl_error());
  }
  if (!options.cert.empty()) {
    if (SSL_CTX_use_certificate_chain_file(probe.native_handle(), options.cert.c_str()) != 1) {
      return tl::make_unexpected("--cert " + options.cert + ": " + openssl_error());
    }
    if (SSL_CTX_use_PrivateKey_file(probe.native_handle(), options.key.c_str(),
                                    SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(probe.native_handle()) != 1) {
      return tl::make_unexpected("--key " + options.key + ": " + openssl_error());
    }
  }
  if (!options.device_ca_cert.empty()) {
    out.device_ca_ = std::make_unique<keys>();
    std::FILE* f = std::fopen(options.device_ca_cert.c_str(), "r");
    if (f != nullptr) {
      out.device_ca_->cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
      std::fclose(f);
    }
    if (out.device_ca_->cert == nullptr) {
      return tl::make_unexpected("--device-ca-cert " + options.device_ca_cert +
                                 ": cannot read a PEM certificate");
    }
    f = std::fopen(options.device_ca_key.c_str(), "r");
    if (f != nullptr) {
      out.device_ca_->key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
      std::fclose(f);
    }
    if (out.device_ca_->key == nullptr ||
        X509_check_private_key(out.device_ca_->cert, out.device_ca_->key) != 1) {
      ERR_clear_error();
      return tl::make_unexpected("--device-ca-key " + options.device_ca_key +
                                 ": cannot read a PEM key matching --device-ca-cert");
    }
  }
  return out;
}

std::shared_ptr<ssl::context> tls_client::context_for(const std::string& device_id) const {
  if (!enabled_) {
    return nullptr;
  }
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* raw = ctx->native_handle();
  check(SSL_CTX_set_min_proto_version(raw, TLS1_3_VERSION) == 1 &&
            SSL_CTX_set_max_proto_version(raw, TLS1_3_VERSION) == 1,
        "TLS 1.3 only");
  check(SSL_CTX_load_verify_locations(raw, options_.ca.c_str(), nullptr) == 1, "--ca");
  ctx->set_verify_mode(ssl::verify_peer);
  if (!options_.cert.empty()) {
    check(SSL_CTX_use_certificate_chain_file(raw, options_.cert.c_str()) == 1, "--cert");
    check(SSL_CTX_use_PrivateKey_file(raw, options_.key.c_str(), SSL_FILETYPE_PEM) == 1, "--key");
    return ctx;
  }
  if (!device_ca_) {
    return ctx;  // no client certificate (awared will refuse; useful to see that)
  }
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_EC_gen("P-256"),
                                                                  &EVP_PKEY_free};
  check(key != nullptr, "EC key");
  const std::unique_ptr<X509, decltype(&X509_free)> owned{X509_new(), &X509_free};
  check(owned != nullptr, "X509_new");
  X509* cert = owned.get();
  std::random_device entropy;  // a random serial: minted certificates are never reissued
  std::uniform_int_distribution<long> serials(2, std::numeric_limits<long>::max());
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serials(entropy));
  X509_set_version(cert, 2);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24L * 3600);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(device_id.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(device_ca_->cert));
  X509_set_pubkey(cert, key.get());
  add_ext(cert, device_ca_->cert, NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert, device_ca_->cert, NID_key_usage, "critical,digitalSignature");
  add_ext(cert, device_ca_->cert, NID_ext_key_usage, "clientAuth");
  add_ext(cert, device_ca_->cert, NID_authority_key_identifier, "keyid");
  check(X509_sign(cert, device_ca_->key, EVP_sha256()) > 0, "signing");
  check(SSL_CTX_use_certificate(raw, cert) == 1 && SSL_CTX_use_PrivateKey(raw, key.get()) == 1,
        "using the certificate");
  return ctx;
}

void expect_server_name(ssl::stream<tcp::socket>& stream, const std::string& host) {
  SSL* handle = stream.native_handle();
  error_code ec;
  net::ip::make_address(host, ec);
  if (!ec) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), host.c_str());
    return;
  }
  SSL_set1_host(handle, host.c_str());
  SSL_set_tlsext_host_name(handle, host.c_str());
}

}  // namespace aware::sim
