// tls.hpp — the TLS contexts awared serves with (issue 6, item 1), built once at start-up from
// [tls]: TLS 1.3 only, no session tickets that could carry 0-RTT, no renegotiation.
// - the device context asks every device for a certificate (verify_peer and
//   fail_if_no_peer_cert) that chains to device_ca, is valid now, and is not in device_crl; the
//   device id the certificate names (its subject CN) is read with peer_common_name() and bound
//   to the Hello by the session;
// - the console context presents the same server certificate and asks nothing of the client
//   (consoles and API callers authenticate with a session token);
// - the client context (the https webhook) checks the server's certificate: its chain and the
//   address it is for.
// THREAD SAFETY: a built context is read-only and shared by every connection of its server.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "core/config.hpp"
#include "net/asio.hpp"

#include <boost/asio/ssl.hpp>

namespace aware::netio {

namespace ssl = boost::asio::ssl;

// The context for the device listener; the error names the file or setting that failed.
tl::expected<std::shared_ptr<ssl::context>, std::string> device_tls_context(
    const core::TlsConfig& config);
// The context for the console / API listener.
tl::expected<std::shared_ptr<ssl::context>, std::string> console_tls_context(
    const core::TlsConfig& config);

// The context for awared as an HTTPS client (the case-worker webhook): TLS 1.2 or newer, and
// the server's certificate must chain to a CA in `ca_file` ("" = the system's trust store).
tl::expected<std::shared_ptr<ssl::context>, std::string> client_tls_context(
    const std::string& ca_file);
// Makes the handshake of `ssl_handle` (a client) accept only a certificate that names the
// numeric `address` (an IP subjectAltName). False when `address` is not one.
bool expect_peer_address(SSL* ssl_handle, const std::string& address);

// The subject CN of the verified peer certificate of `ssl_handle`, if there is one.
std::optional<std::string> peer_common_name(SSL* ssl_handle);

// The reason OpenSSL gives for a failed handshake (e.g. "certificate has expired"), for logs.
std::string handshake_failure(SSL* ssl_handle, const boost::system::error_code& ec);

}  // namespace aware::netio
