// tls_client.hpp — xmark-sim's side of the device link's mutual TLS 1.3 (issue 6): the trust
// anchor for awared's server certificate (--ca) and the device certificates, either one given
// on the command line (--cert/--key) or minted in memory per simulated device from a device CA
// (--device-ca-cert/--device-ca-key), the way a factory provisions X-Marks: CN = device id,
// extendedKeyUsage clientAuth, an EC P-256 key, valid from an hour ago for a day.
// Used by activate.cpp, fleet.cpp and scenario_play.cpp to give each link its context.
//
// Error policy: load() returns why a file could not be used; context_for() throws
// std::runtime_error only when OpenSSL itself fails (out of memory and the like).
// THREAD SAFETY: one thread (the io_context's); contexts are read-only once made.
#pragma once

#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "asio.hpp"
#include "cli.hpp"

#include <boost/asio/ssl.hpp>

namespace aware::sim {

namespace ssl = boost::asio::ssl;

class tls_client {
 public:
  ~tls_client();
  tls_client(tls_client&&) noexcept;
  tls_client& operator=(tls_client&&) noexcept;

  // Reads the files `options` names (nothing when TLS is off). The error names the file.
  static tl::expected<tls_client, std::string> load(const tls_options& options);

  // Whether links use TLS at all (--ca given).
  [[nodiscard]] bool enabled() const { return enabled_; }

  // A client context for `device_id`: TLS 1.3 only, awared's certificate verified against the
  // --ca anchor, and the device's certificate (the --cert one, or one minted for this id).
  // nullptr when TLS is off.
  [[nodiscard]] std::shared_ptr<ssl::context> context_for(const std::string& device_id) const;

 private:
  tls_client();
  struct keys;                      // the device CA's certificate and key, when minting
  bool enabled_ = false;            // --ca given
  tls_options options_;             // the files, as given
  std::unique_ptr<keys> device_ca_; // set with --device-ca-cert/--device-ca-key
};

// Makes `stream` (before its handshake) check that awared's certificate names `host`: its IP
// address SAN when `host` is an address, else its DNS name (which is also sent as SNI).
void expect_server_name(ssl::stream<tcp::socket>& stream, const std::string& host);

}  // namespace aware::sim
