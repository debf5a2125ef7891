// client_tls.hpp — TLS for awared's clients (the meldkamer console and awarectl): a client context
// that trusts only the CA given with --ca, the checks one connection makes of the server (SNI and
// the certificate's name or IP address against the --server host), and a failed handshake
// explained in plain words.
//
// Used by console_client.cpp and awarectl/http_call.cpp around their Asio SSL streams. Error
// policy: expected failures (an unreadable CA file) come back as tl::expected; nothing throws.
// THREAD SAFETY: a built context is read-only; share it between the connections of one client.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <tl/expected.hpp>

namespace aware::console {

// The client's context: TLS 1.3 only (what awared speaks), the server certificate verified against
// the CA certificate(s) in the PEM file `ca_file` and nothing else (not the system's CAs). The
// error names the file: "--ca FILE: ...".
tl::expected<std::shared_ptr<boost::asio::ssl::context>, std::string> client_tls_context(
    const std::string& ca_file);

// Prepares the SSL handle of one connection to `host` (the --server host): the handshake then
// fails unless the server certificate names `host` — as an IP address SAN when `host` is an
// address, else as a DNS name, which is also sent as SNI. False when OpenSSL refuses the name.
bool expect_server(SSL* ssl, const std::string& host);

// Why a client-side handshake failed: "certificate verify failed: <why>" when the server
// certificate was refused (unknown CA, expired, another host name ...), else
// "TLS handshake failed: <OpenSSL's reason>".
std::string tls_handshake_failure(SSL* ssl, const boost::system::error_code& ec);

// Added to a plain (no --ca) connection failure that a TLS server's refusal would explain.
inline constexpr const char* kTlsHint =
    "if awared serves HTTPS/WSS, give --ca FILE or set AWARED_CA";

}  // namespace aware::console
