// tls.cpp — see tls.hpp.
#include "net/tls.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <array>
#include <cstdio>

namespace aware::netio {
namespace {

using Made = tl::expected<std::shared_ptr<ssl::context>, std::string>;

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

// TLS 1.3 only, with awared's certificate and key; the error names the file that failed.
Made base_context(const core::TlsConfig& config) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* raw = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(raw, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(raw, TLS1_3_VERSION) != 1) {
    return tl::make_unexpected("cannot restrict TLS to version 1.3: " + openssl_error());
  }
  // No tickets: no resumption, so no 0-RTT data to replay (and no early data is accepted).
  SSL_CTX_set_options(raw, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_num_tickets(raw, 0);
  SSL_CTX_set_max_early_data(raw, 0);
  SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_use_certificate_chain_file(raw, config.cert.c_str()) != 1) {
    return tl::make_unexpected("tls.cert " + config.cert + ": " + openssl_error());
  }
  if (SSL_CTX_use_PrivateKey_file(raw, config.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return tl::make_unexpected("tls.key " + config.key + ": " + openssl_error());
  }
  if (SSL_CTX_check_private_key(raw) != 1) {
    return tl::make_unexpected("tls.key " + config.key + " does not belong to tls.cert " +
                               config.cert);
  }
  return ctx;
}

// Adds every CRL in the PEM file `path` to the context's store and turns CRL checking on.
std::optional<std::string> load_crl(SSL_CTX* raw, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) {
    return "tls.device_crl " + path + ": cannot open";
  }
  X509_STORE* store = SSL_CTX_get_cert_store(raw);
  int loaded = 0;
  while (X509_CRL* crl = PEM_read_X509_CRL(f, nullptr, nullptr, nullptr)) {
    X509_STORE_add_crl(store, crl);
    X509_CRL_free(crl);
    ++loaded;
  }
  std::fclose(f);
  ERR_clear_error();  // the read that ended the loop
  if (loaded == 0) {
    return "tls.device_crl " + path + ": no CRL in the file";
  }
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  return std::nullopt;
}

}  // namespace

Made device_tls_context(const core::TlsConfig& config) {
  auto made = base_context(config);
  if (!made) {
    return made;
  }
  SSL_CTX* raw = (*made)->native_handle();
  if (SSL_CTX_load_verify_locations(raw, config.device_ca.c_str(), nullptr) != 1) {
    return tl::make_unexpected("tls.device_ca " + config.device_ca + ": " + openssl_error());
  }
  if (!config.device_crl.empty()) {
    if (auto bad = load_crl(raw, config.device_crl)) {
      return tl::make_unexpected(*bad);
    }
  }
  (*made)->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  return made;
}

Made console_tls_context(const core::TlsConfig& config) { return base_context(config); }

Made client_tls_context(const std::string& ca_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* raw = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION) != 1) {
    return tl::make_unexpected("cannot require TLS 1.2 or newer: " + openssl_error());
  }
  SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION);
  const bool loaded = ca_file.empty() ? SSL_CTX_set_default_verify_paths(raw) == 1
                                      : SSL_CTX_load_verify_locations(raw, ca_file.c_str(),
                                                                      nullptr) == 1;
  if (!loaded) {
    return tl::make_unexpected((ca_file.empty() ? std::string("the system's trust store")
                                                : "notify.webhook_ca_file " + ca_file) +
                               ": " + openssl_error());
  }
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

bool expect_peer_address(SSL* ssl_handle, const std::string& address) {
  return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_handle), address.c_str()) == 1;
}

std::optional<std::string> peer_common_name(SSL* ssl_handle) {
  if (ssl_handle == nullptr || SSL_get_verify_result(ssl_handle) != X509_V_OK) {
    return std::nullopt;
  }
  X509* cert = SSL_get0_peer_certificate(ssl_handle);
  if (cert == nullptr) {
    return std::nullopt;
  }
  X509_NAME* subject = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at < 0 || X509_NAME_get_index_by_NID(subject, NID_commonName, at) >= 0) {
    return std::nullopt;  // none, or more than one: ambiguous
  }
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
  const auto* bytes = ASN1_STRING_get0_data(data);
  const int len = ASN1_STRING_length(data);
  if (bytes == nullptr || len <= 0) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(len));
}

std::string handshake_failure(SSL* ssl_handle, const boost::system::error_code& ec) {
  if (ssl_handle != nullptr) {
    const long verify = SSL_get_verify_result(ssl_handle);
    if (verify != X509_V_OK) {
      return std::string("peer certificate refused: ") +
             X509_verify_cert_error_string(verify);
    }
  }
  return ec.message();
}

}  // namespace aware::netio
