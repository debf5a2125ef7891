// test_tls_options.cpp — unit tests for xmark-sim's TLS options (issue 6): --ca, --cert/--key
// (activate only) and --device-ca-cert/--device-ca-key (every command), which ones go together,
// that TLS stays off without them, and tls_client::load() naming a file it cannot read.
#include <catch2/catch.hpp>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "cli.hpp"
#include "temp_dir.hpp"
#include "test_pki.hpp"
#include "tls_client.hpp"

using namespace aware::sim;
using args = std::vector<std::string>;

namespace {

std::string error_of(const args& a) {
  const auto r = parse_command_line(a);
  const auto* e = std::get_if<usage_error>(&r);
  return e != nullptr ? e->message : std::string{};
}

template <typename Options>
Options parsed(const args& a) {
  const auto r = parse_command_line(a);
  if (const auto* e = std::get_if<usage_error>(&r)) {
    FAIL("usage error: " << e->message);
  }
  REQUIRE(std::holds_alternative<Options>(r));
  return std::get<Options>(r);
}

const args kActivate = {"activate", "--server", "127.0.0.1:7400", "--device", "XM-1"};
const args kFleet = {"fleet", "--server", "127.0.0.1:7400"};
const args kScenario = {"scenario", "demo.toml", "--server", "127.0.0.1:7400"};

args plus(args base, const args& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

}  // namespace

TEST_CASE("without --ca every command stays on plain TCP", "[sim][cli][tls]") {
  CHECK(parsed<activate_options>(kActivate).tls.ca.empty());
  CHECK(parsed<fleet_options>(kFleet).tls.ca.empty());
  CHECK(parsed<scenario_options>(kScenario).tls.ca.empty());
}

TEST_CASE("activate takes --ca with its own --cert and --key", "[sim][cli][tls]") {
  const auto o = parsed<activate_options>(
      plus(kActivate, {"--ca", "ca.crt", "--cert=dev.crt", "--key", "dev.key"}));
  CHECK(o.tls.ca == "ca.crt");
  CHECK(o.tls.cert == "dev.crt");
  CHECK(o.tls.key == "dev.key");
  CHECK(o.tls.device_ca_cert.empty());
}

TEST_CASE("the exact scenario command of the dev script parses", "[sim][cli][tls]") {
  const auto o = parsed<scenario_options>(
      {"scenario", "FILE", "--server", "127.0.0.1:7400", "--ca", "var/tls/demo-ca.crt",
       "--device-ca-cert", "var/tls/demo-ca.crt", "--device-ca-key", "var/tls/demo-ca.key"});
  CHECK(o.what == scenario_options::mode::play);
  CHECK(o.tls.ca == "var/tls/demo-ca.crt");
  CHECK(o.tls.device_ca_cert == "var/tls/demo-ca.crt");
  CHECK(o.tls.device_ca_key == "var/tls/demo-ca.key");
}

TEST_CASE("fleet and activate take the device CA to mint certificates", "[sim][cli][tls]") {
  const args mint = {"--ca", "ca.crt", "--device-ca-cert", "dca.crt", "--device-ca-key", "dca.key"};
  CHECK(parsed<fleet_options>(plus(kFleet, mint)).tls.device_ca_key == "dca.key");
  CHECK(parsed<activate_options>(plus(kActivate, mint)).tls.device_ca_cert == "dca.crt");
}

TEST_CASE("TLS options that do not fit together are usage errors", "[sim][cli][tls]") {
  CHECK(error_of(plus(kActivate, {"--ca", "ca.crt"})).find("--cert") != std::string::npos);
  CHECK(error_of(plus(kFleet, {"--ca", "ca.crt"})).find("--device-ca-cert") != std::string::npos);
  CHECK(error_of(plus(kActivate, {"--ca", "c", "--cert", "d.crt"})) ==
        "--cert and --key go together");
  CHECK(error_of(plus(kActivate, {"--cert", "d.crt", "--key", "d.key"})).find("--ca") !=
        std::string::npos);
  CHECK(error_of(plus(kFleet, {"--ca", "c", "--cert", "d.crt", "--key", "d.key"}))
            .find("one device") != std::string::npos);
  CHECK(error_of(plus(kScenario, {"--ca", "c", "--device-ca-cert", "x"})) ==
        "--device-ca-cert and --device-ca-key go together");
  CHECK(error_of(plus(kActivate, {"--ca", "c", "--cert", "d", "--key", "k", "--device-ca-cert",
                                  "x", "--device-ca-key", "y"}))
            .find("not both") != std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--print", "--ca", "c", "--device-ca-cert", "x",
                  "--device-ca-key", "y"})
            .find("--server") != std::string::npos);
  CHECK(error_of(plus(kActivate, {"--ca", "a", "--ca", "b"})).find("twice") != std::string::npos);
}

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
