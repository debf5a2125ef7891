// test_tls_context.cpp — the [tls] settings and the TLS contexts built from them (issue 6 item 1),
// with certificates generated at test time.
#include <catch2/catch.hpp>

#include <string>

#include "core/config.hpp"
#include "net/tls.hpp"
#include "temp_dir.hpp"
#include "test_pki.hpp"

using aware::core::parse_config;
using aware::testing::CertSpec;
using aware::testing::TempDir;
using aware::testing::TestCa;

namespace {

aware::core::TlsConfig tls_for(TestCa& ca) {
  const auto server = ca.issue(CertSpec::for_server());
  aware::core::TlsConfig tls;
  tls.cert = server.cert.string();
  tls.key = server.key.string();
  tls.device_ca = ca.cert_file().string();
  return tls;
}

}  // namespace

TEST_CASE("TLS is on unless the config says insecure_dev") {
  auto config = parse_config("", "<test>");
  REQUIRE(config);
  CHECK_FALSE(config->tls.insecure_dev);
}

TEST_CASE("handshakes_per_s defaults to 1000 a second and must lie in 1..100000") {
  auto config = parse_config("", "<test>");
  REQUIRE(config);
  CHECK(config->tls.handshakes_per_s == 1000);
  auto set = parse_config("[tls]\nhandshakes_per_s = 5\n", "t");
  REQUIRE(set);
  CHECK(set->tls.handshakes_per_s == 5);
  for (const char* bad : {"0", "100001", "-1", "\"fast\""}) {
    auto refused = parse_config(std::string("[tls]\nhandshakes_per_s = ") + bad + "\n", "t");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().key == "tls.handshakes_per_s");
  }
}

TEST_CASE("insecure_dev is refused unless both listeners are on loopback") {
  auto ok = parse_config("[tls]\ninsecure_dev = true\n[device]\nlisten = \"[::1]:0\"\n", "t");
  CHECK(ok);
  auto bad = parse_config("[tls]\ninsecure_dev = true\n[meldkamer]\nlisten = \"0.0.0.0:8080\"\n",
                          "t");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().key == "tls.insecure_dev");
  CHECK(bad.error().line == 2);
  auto tls_off_public = parse_config("[device]\nlisten = \"0.0.0.0:7400\"\n", "t");
  CHECK(tls_off_public);
}

TEST_CASE("loopback addresses are recognised") {
  CHECK(aware::core::is_loopback("127.0.0.1"));
  CHECK(aware::core::is_loopback("127.8.9.10"));
  CHECK(aware::core::is_loopback("::1"));
  CHECK_FALSE(aware::core::is_loopback("0.0.0.0"));
  CHECK_FALSE(aware::core::is_loopback("::"));
  CHECK_FALSE(aware::core::is_loopback("10.0.0.1"));
  CHECK_FALSE(aware::core::is_loopback("localhost"));
}

TEST_CASE("TLS contexts build from a generated PKI") {
  TempDir dir;
  TestCa ca{dir.path(), "devices"};
  auto tls = tls_for(ca);
  CHECK(aware::netio::device_tls_context(tls));
  CHECK(aware::netio::console_tls_context(tls));
  tls.device_crl = ca.crl({7}).string();
  CHECK(aware::netio::device_tls_context(tls));
}

TEST_CASE("a TLS context that cannot be built names the setting and file") {
  TempDir dir;
  TestCa ca{dir.path(), "devices"};
  auto tls = tls_for(ca);
  SECTION("missing certificate") {
    tls.cert = (dir.path() / "nope.crt").string();
    auto made = aware::netio::console_tls_context(tls);
    REQUIRE_FALSE(made);
    CHECK_THAT(made.error(), Catch::StartsWith("tls.cert "));
  }
  SECTION("key of another certificate") {
    tls.key = ca.issue(CertSpec{"other"}).key.string();
    auto made = aware::netio::console_tls_context(tls);
    REQUIRE_FALSE(made);
    CHECK_THAT(made.error(), Catch::StartsWith("tls.key "));
  }
  SECTION("missing device CA") {
    tls.device_ca = (dir.path() / "ca.crt").string();
    auto made = aware::netio::device_tls_context(tls);
    REQUIRE_FALSE(made);
    CHECK_THAT(made.error(), Catch::StartsWith("tls.device_ca "));
  }
  SECTION("a CRL file without a CRL") {
    tls.device_crl = ca.cert_file().string();
    auto made = aware::netio::device_tls_context(tls);
    REQUIRE_FALSE(made);
    CHECK_THAT(made.error(), Catch::StartsWith("tls.device_crl "));
  }
}
