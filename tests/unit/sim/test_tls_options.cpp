// test_tls_options.cpp — unit tests for xmark-sim's TLS material (issue 6, tls_client.hpp):
// load() naming a file it cannot read, a device CA key that does not match, and a minted device
// certificate (CN = device id, clientAuth, signed by the device CA, TLS 1.3 only). The TLS
// command-line options are tested with the rest of the parser in test_cli.cpp.
#include <catch2/catch.hpp>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <string>

#include "temp_dir.hpp"
#include "test_pki.hpp"
#include "tls_client.hpp"

using namespace aware::sim;

TEST_CASE("loading TLS files names the one that cannot be read", "[sim][tls]") {
  auto off = tls_client::load({});
  REQUIRE(off);
  CHECK_FALSE(off->enabled());
  CHECK(off->context_for("XM-1") == nullptr);
  auto missing = tls_client::load({"/nonexistent/ca.crt", "", "", "", ""});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("--ca /nonexistent/ca.crt") != std::string::npos);
}

TEST_CASE("a minted device certificate names the device and is signed by the device CA",
          "[sim][tls]") {
  aware::testing::TempDir dir;
  aware::testing::TestCa ca{dir.path(), "factory"};
  auto tls = tls_client::load({ca.cert_file().string(), "", "", ca.cert_file().string(),
                               ca.key_file().string()});
  REQUIRE(tls);
  const auto ctx = tls->context_for("XM-DEMO-042");
  REQUIRE(ctx);
  X509* cert = SSL_CTX_get0_certificate(ctx->native_handle());
  REQUIRE(cert != nullptr);
  char cn[128] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  CHECK(std::string(cn) == "XM-DEMO-042");
  CHECK((X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT) != 0);
  std::FILE* f = std::fopen(ca.cert_file().c_str(), "r");
  REQUIRE(f != nullptr);
  X509* issuer = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  REQUIRE(issuer != nullptr);
  CHECK(X509_verify(cert, X509_get0_pubkey(issuer)) == 1);
  X509_free(issuer);
  CHECK(SSL_CTX_get_min_proto_version(ctx->native_handle()) == TLS1_3_VERSION);
}

TEST_CASE("a device CA key that does not match its certificate is refused", "[sim][tls]") {
  aware::testing::TempDir dir;
  aware::testing::TestCa ca{dir.path(), "factory"};
  const auto one = ca.issue(aware::testing::CertSpec{"one"});
  const auto two = ca.issue(aware::testing::CertSpec{"two"});
  auto tls = tls_client::load({ca.cert_file().string(), "", "", one.cert.string(),
                               two.key.string()});
  REQUIRE_FALSE(tls);
  CHECK(tls.error().find("--device-ca-key") != std::string::npos);
}
