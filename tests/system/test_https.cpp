// test_https.cpp — HTTPS and WSS on the meldkamer port (issue 6 item 1) with the real awared,
// TLS on and certificates made at test time: the REST API and a console over TLS 1.3; plain HTTP,
// a TLS 1.2-only offer, garbage before the ClientHello and a stalled handshake refused without
// effect on a good connection; a client that does not trust awared's certificate (another CA,
// another host name) refused with a certificate error; awarectl --ca and meldkamer --ca end to
// end, and both failing clearly without the right CA; awared refusing to start (exit 2) when
// its certificate, or the https webhook's CA file, cannot be loaded; the https webhook sending a
// notice only to a receiver whose certificate chains to that CA and names the URL's address.
// Label: security.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "fixtures.hpp"
#include "test_pki.hpp"
#include "tls_clients.hpp"

using namespace aware::systest;
using aware::testing::CertSpec;
using aware::testing::IssuedCert;
using aware::testing::TestCa;

namespace {

// The [tls] lines for awared with `server` as its certificate (and `ca` as the device CA).
std::string tls_toml(const TestCa& ca, const IssuedCert& server, int handshake_timeout_s) {
  return "insecure_dev = false\ncert = \"" + server.cert.string() + "\"\nkey = \"" +
         server.key.string() + "\"\ndevice_ca = \"" + ca.cert_file().string() +
         "\"\nhandshake_timeout_s = " + std::to_string(handshake_timeout_s) + "\n";
}


// awared with TLS on, its server certificate issued by a CA made for the test.
struct TlsAwared {
  explicit TlsAwared(int handshake_timeout_s = 10)
      : server{ca.issue(CertSpec::for_server())},
        awared{dir, options(handshake_timeout_s)} {}

  AwaredOptions options(int handshake_timeout_s) const {
    AwaredOptions o;
    o.tls_toml = tls_toml(ca, server, handshake_timeout_s);
    return o;
  }
  [[nodiscard]] std::uint16_t port() const { return awared.meldkamer_port(); }
  // A kept-alive HTTPS connection trusting the test CA, handshake done.
  std::unique_ptr<HttpsConnection> good_connection() const {
    auto c = std::make_unique<HttpsConnection>(port(), trusting(ca.cert_file()));
    REQUIRE(c->handshake().empty());
    return c;
  }
  // A session token of the standard user `user`, logged in over HTTPS.
  [[nodiscard]] std::string token(const std::string& user) const {
    const auto login = good_connection()->request(
        "POST", "/api/v1/login",
        nlohmann::json{{"user", user}, {"password", kTestPassword}}.dump());
    REQUIRE(login);
    REQUIRE(login->status == 200);
    return nlohmann::json::parse(login->body)["token"].get<std::string>();
  }
  // Whether awared's log has a line containing every one of `words`.
  [[nodiscard]] bool logged(const std::vector<std::string>& words) const {
    std::ifstream in{awared.log_file()};
    std::string line;
    while (std::getline(in, line)) {
      bool all = true;
      for (const auto& w : words) {
        all = all && line.find(w) != std::string::npos;
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  TempDir dir;
  TestCa ca{dir.path(), "awared"};
  IssuedCert server;
  Awared awared;
};

// GET /healthz on `c` answers 200 with status ok.
void healthy(HttpsConnection& c) {
  const auto reply = c.request("GET", "/healthz");
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(reply->body.find("\"status\":\"ok\"") != std::string::npos);
}

// Starts awared on `sections` (TOML, besides its listen addresses and store) and expects it to
// refuse: exit code 2. Returns what it wrote to stderr, or nullopt when it ran or ended otherwise.
std::optional<std::string> refused_start(const TempDir& dir, const std::string& sections) {
  const auto config = dir.path() / "awared.toml";
  {
    std::ofstream cfg{config};
    cfg << "[device]\nlisten = \"127.0.0.1:0\"\n[meldkamer]\nlisten = \"127.0.0.1:0\"\n"
        << sections << "[store]\npath = \"" << (dir.path() / "awared.db").string() << "\"\n";
  }
  const auto err_file = dir.path() / "awared.err";
  Process awared{{awared_bin(), "--config", config.string()}, {}, err_file};
  const auto status = awared.wait();
  if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 2) {
    return std::nullopt;
  }
  std::ifstream err{err_file};
  return std::string{std::istreambuf_iterator<char>{err}, {}};
}

}  // namespace

TEST_CASE("the REST API answers over HTTPS to a client trusting the awared CA",
          "[system][security][tls]") {
  TlsAwared t;
  auto c = t.good_connection();
  healthy(*c);
  const auto regions = c->request("GET", "/api/v1/regions", {}, t.token("pac"));  // kept alive
  REQUIRE(regions);
  CHECK(regions->status == 200);
  CHECK(regions->body.find("midden-nederland") != std::string::npos);
}

TEST_CASE("the certificate is checked against the host name the client asked for",
          "[system][security][tls]") {
  TlsAwared t;
  HttpsConnection by_name{t.port(), trusting(t.ca.cert_file()), "localhost"};
  CHECK(by_name.handshake().empty());
  HttpsConnection wrong_name{t.port(), trusting(t.ca.cert_file()), "awared.example"};
  CHECK_THAT(wrong_name.handshake(), Catch::Contains("certificate verify failed") &&
                                         Catch::Contains("hostname mismatch"));
}

TEST_CASE("a WSS console gets its snapshot", "[system][security][tls]") {
  TlsAwared t;
  WssConsole console{t.port(), trusting(t.ca.cert_file())};
  REQUIRE(console.open("/ws/meldkamer", t.token("centralist")) == "");
  const auto first = console.read();
  REQUIRE(first);
  CHECK(first->find("snapshot") != std::string::npos);
}

TEST_CASE("plain HTTP to the HTTPS port is refused and awared keeps serving",
          "[system][security][tls]") {
  TlsAwared t;
  const auto plain = http_get(t.port(), "/healthz");
  CHECK(plain.find("HTTP/1.1 200") == std::string::npos);
  CHECK(plain.find("\"status\"") == std::string::npos);
  healthy(*t.good_connection());
}

TEST_CASE("a client offering only TLS 1.2 is refused", "[system][security][tls]") {
  TlsAwared t;
  HttpsConnection old{t.port(), tls12_only(t.ca.cert_file())};
  CHECK_FALSE(old.handshake().empty());
  healthy(*t.good_connection());
}

TEST_CASE("garbage before the ClientHello is closed and a parallel connection goes on",
          "[system][security][tls]") {
  TlsAwared t;
  auto good = t.good_connection();
  healthy(*good);
  RawConnection garbage{t.port()};
  garbage.send(std::string(64, 'x') + "\r\n\r\n");
  CHECK(garbage.closed_by_peer());
  healthy(*good);
  CHECK(t.logged({"AWR-5006", "127.0.0.1"}));
  // Audited like a refused request (reading the audit as the admin writes the queued ones).
  const auto audit = t.good_connection()->request("GET", "/api/v1/audit?limit=1000", {},
                                                  t.token("admin"));
  REQUIRE(audit);
  REQUIRE(audit->status == 200);
  bool audited = false;
  const auto listed = nlohmann::json::parse(audit->body);  // named: it must outlive the loop
  for (const auto& row : listed.at("audit")) {
    audited = audited || (row.at("action") == "refused" && row.at("actor") == "anonymous" &&
                          row.at("subject").get<std::string>().starts_with(
                              "TLS connection to the meldkamer port from 127.0.0.1:"));
  }
  CHECK(audited);
}

TEST_CASE("a stalled TLS handshake is closed after handshake_timeout and others go on",
          "[system][security][tls]") {
  TlsAwared t{1};
  auto good = t.good_connection();
  RawConnection stalled{t.port()};
  stalled.send(std::string{"\x16\x03\x01\x02\x00", 5});  // a record header, then nothing
  RawConnection silent{t.port()};
  CHECK(stalled.closed_by_peer());  // kWait (20 s) is far beyond the 1 s handshake deadline
  CHECK(silent.closed_by_peer());
  healthy(*good);
  CHECK(t.logged({"AWR-5006", "not finished within 1 s"}));
}

TEST_CASE("a client trusting another CA fails with a certificate error",
          "[system][security][tls]") {
  TlsAwared t;
  TestCa other{t.dir.path(), "other"};
  HttpsConnection c{t.port(), trusting(other.cert_file())};
  CHECK_THAT(c.handshake(), Catch::StartsWith("certificate verify failed"));
  healthy(*t.good_connection());
}

TEST_CASE("awarectl with --ca speaks HTTPS and fails clearly without the right CA",
          "[system][security][tls]") {
  TlsAwared t;
  const auto ca = t.ca.cert_file().string();
  const std::map<std::string, std::string> env{{"AWARED_TOKEN", t.token("pac")}};
  const auto ok = awarectl_with(t.dir, t.port(), {"--ca", ca, "list", "region"}, env);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("midden-nederland") != std::string::npos);

  TestCa other{t.dir.path(), "other"};
  const auto wrong = awarectl_with(t.dir, t.port(), {"--ca", other.cert_file().string(), "list",
                                                     "region"}, env);
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.err, Catch::Contains("certificate verify failed"));

  const auto plain = awarectl_with(t.dir, t.port(), {"list", "region"}, env);
  CHECK(plain.exit_code == 1);
  CHECK_THAT(plain.err, Catch::Contains("--ca FILE"));

  const auto missing = awarectl_with(t.dir, t.port(), {"--ca", "/nonexistent/ca.crt", "list",
                                                       "region"}, env);
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent/ca.crt"));
}

TEST_CASE("meldkamer with --ca gets its snapshot over WSS and fails clearly without the right CA",
          "[system][security][tls]") {
  TlsAwared t;
  const auto token = t.token("centralist");
  Console good{t.dir, t.port(), {"--ca", t.ca.cert_file().string()}, token};
  good.wait_synced();

  TestCa other{t.dir.path(), "other"};
  Console wrong{t.dir, t.port(), {"--ca", other.cert_file().string()}, token};
  const auto refused = wrong.next();
  REQUIRE(refused);
  CHECK((*refused)["event"] == "disconnected");
  CHECK_THAT((*refused)["reason"].get<std::string>(),
             Catch::StartsWith("certificate verify failed"));

  Console plain{t.dir, t.port(), {}, token};
  const auto dropped = plain.next();
  REQUIRE(dropped);
  CHECK((*dropped)["event"] == "disconnected");
  CHECK_THAT((*dropped)["reason"].get<std::string>(), Catch::Contains("--ca FILE"));
}

TEST_CASE("awared exits with code 2 naming the file when its TLS certificate cannot be loaded",
          "[system][security][tls]") {
  TempDir dir;
  TestCa ca{dir.path(), "awared"};
  const auto missing = dir.path() / "no-such-server.crt";
  const auto err = refused_start(dir, "[tls]\ncert = \"" + missing.string() + "\"\nkey = \"" +
                                          missing.string() + "\"\ndevice_ca = \"" +
                                          ca.cert_file().string() + "\"\n");
  REQUIRE(err);
  CHECK_THAT(*err, Catch::Contains(missing.string()));
}

TEST_CASE("an https webhook gets notices only from behind a certificate awared trusts",
          "[system][security][tls]") {
  TempDir dir;
  TestCa hooks_ca{dir.path(), "hooks"};
  TestCa stranger_ca{dir.path(), "stranger"};
  const auto trusted = hooks_ca.issue(CertSpec::for_server("hooks"));
  const auto stranger = stranger_ca.issue(CertSpec::for_server("hooks"));
  auto elsewhere = CertSpec::for_server("hooks");
  elsewhere.alt_names = "IP:127.0.0.2,DNS:localhost";  // the right CA, another address
  const auto unnamed = hooks_ca.issue(elsewhere);
  WebhookReceiver hook;
  Awared awared{dir, AwaredOptions{.notify_toml = "webhook_url = \"https://127.0.0.1:" +
                                                  std::to_string(hook.port()) +
                                                  "/aware\"\nwebhook_ca_file = \"" +
                                                  hooks_ca.cert_file().string() + "\"\n"}};
  Device anna{awared.device_port(), "XM-DEMO-001"};
  anna.press(1);
  REQUIRE(anna.next().has_ack());

  // A receiver whose certificate another CA issued, then one for another address: awared
  // ends both handshakes without sending the notice, and tries again.
  const auto foreign = next_over_tls(hook, 200, stranger.cert, stranger.key);
  CHECK_FALSE(foreign.request);
  CHECK_FALSE(foreign.handshake_error.empty());
  const auto misnamed = next_over_tls(hook, 200, unnamed.cert, unnamed.key);
  CHECK_FALSE(misnamed.request);
  CHECK_FALSE(misnamed.handshake_error.empty());
  // The receiver the URL means gets the notice. It answers as an HTTP/1.0 server may (the body
  // ends with the connection, no close_notify): awared takes the status and moves on.
  const auto taken = next_over_tls(hook, 200, trusted.cert, trusted.key, true);
  INFO("handshake: " << taken.handshake_error);
  REQUIRE(taken.request);
  CHECK(taken.request->target == "/aware");
  CHECK(nlohmann::json::parse(taken.request->body)["clientId"] == "C-001");
  Device fatima{awared.device_port(), "XM-DEMO-003"};
  fatima.press(1);
  REQUIRE(fatima.next().has_ack());
  const auto next = next_over_tls(hook, 200, trusted.cert, trusted.key);
  REQUIRE(next.request);
  CHECK(nlohmann::json::parse(next.request->body)["clientId"] == "C-002");  // not C-001 again

  std::ifstream log{awared.log_file()};
  const std::string text{std::istreambuf_iterator<char>{log}, {}};
  CHECK_THAT(text, Catch::Contains("unable to get local issuer certificate") &&
                       Catch::Contains("IP address mismatch"));
}

TEST_CASE("awared exits with code 2 when the https webhook's CA file cannot be loaded",
          "[system][security][tls]") {
  TempDir dir;
  const auto missing = dir.path() / "no-such-ca.pem";
  const auto err = refused_start(dir, "[tls]\ninsecure_dev = true\n[notify]\nwebhook_url = "
                                      "\"https://127.0.0.1:9/x\"\nwebhook_ca_file = \"" +
                                          missing.string() + "\"\n");
  REQUIRE(err);
  CHECK_THAT(*err, Catch::Contains("webhook_ca_file") && Catch::Contains(missing.string()));
}
