// client_tls.cpp — see client_tls.hpp.
#include "client_tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <fstream>

namespace aware::console {
namespace {

// OpenSSL's reason for the last failure (e.g. "no certificate or crl found").
std::string openssl_reason() {
  const char* reason = ERR_reason_error_string(ERR_peek_last_error());
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown OpenSSL error";
}

}  // namespace

tl::expected<std::shared_ptr<boost::asio::ssl::context>, std::string> client_tls_context(
    const std::string& ca_file) {
  if (!std::ifstream{ca_file}) {
    return tl::make_unexpected("--ca " + ca_file + ": cannot read the file");
  }
  auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  SSL_CTX* raw = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(raw, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(raw, TLS1_3_VERSION) != 1) {
    return tl::make_unexpected("cannot restrict TLS to version 1.3: " + openssl_reason());
  }
  if (SSL_CTX_load_verify_locations(raw, ca_file.c_str(), nullptr) != 1) {
    return tl::make_unexpected("--ca " + ca_file + ": no CA certificate (PEM) in it: " +
                               openssl_reason());
  }
  SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nullptr);
  return ctx;
}

bool expect_server(SSL* ssl, const std::string& host) {
  if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1) {
    return true;  // an address: no SNI (RFC 6066 allows host names only)
  }
  ERR_clear_error();
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 && SSL_set1_host(ssl, host.c_str()) == 1;
}

std::string tls_handshake_failure(SSL* ssl, const boost::system::error_code& ec) {
  if (ssl != nullptr) {
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
    }
  }
  return "TLS handshake failed: " + ec.message();
}

}  // namespace aware::console
