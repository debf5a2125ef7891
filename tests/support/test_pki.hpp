// test_pki.hpp — certificates made at test time (issue 6: "with certificates generated at test
// time"): a CA, certificates it issues with any validity window, and CRLs revoking some of them.
// EC P-256 keys, so a whole PKI costs milliseconds. Files are written as PEM into a folder the
// test owns (its TempDir).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace aware::testing {

struct CertSpec {
  std::string common_name;                               // subject CN (a device id, "awared")
  std::chrono::seconds not_before{-3600};                // relative to now
  std::chrono::seconds not_after{24 * 3600};             // relative to now
  bool server = false;  // adds serverAuth and the SANs in alt_names
  std::string alt_names = "IP:127.0.0.1,IP:::1,DNS:localhost";  // a server certificate's

  // A server certificate named `cn`, valid now (spelled out because CertSpec{cn, {}, {}, true}
  // would zero the validity window).
  static CertSpec for_server(std::string cn = "awared") {
    CertSpec spec;
    spec.common_name = std::move(cn);
    spec.server = true;
    return spec;
  }
};

struct IssuedCert {
  std::filesystem::path cert;  // PEM certificate
  std::filesystem::path key;   // PEM private key (unencrypted)
  long serial = 0;
};

class TestCa {
 public:
  // A self-signed CA "<name>" whose certificate is written to dir/<name>-ca.crt.
  TestCa(std::filesystem::path dir, std::string name);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  [[nodiscard]] const std::filesystem::path& cert_file() const { return cert_file_; }
  // The CA's private key, dir/<name>-ca.key (for tools that issue certificates themselves).
  [[nodiscard]] const std::filesystem::path& key_file() const { return key_file_; }
  // Issues a certificate; files dir/<name>-<serial>.crt and .key.
  IssuedCert issue(const CertSpec& spec);
  // Writes a CRL revoking `serials` to dir/<name>.crl and returns its path.
  std::filesystem::path crl(const std::vector<long>& serials);

 private:
  struct Keys;
  std::filesystem::path dir_;
  std::string name_;
  std::filesystem::path cert_file_;
  std::filesystem::path key_file_;
  std::unique_ptr<Keys> keys_;
  long next_serial_ = 2;
};

}  // namespace aware::testing
