// tls_clients.hpp — TLS clients for the HTTPS/WSS system tests (issue 6): an HTTPS connection
// that can send several requests (keep-alive), a WSS console, and client contexts that trust a
// given CA or offer TLS 1.2 only. The plain helpers stay in harness.hpp.
//
// Every operation is bounded (kWait); nothing sleeps. A failed TLS handshake is reported in the
// words the real clients use (client/client_tls.hpp: "certificate verify failed: ...").
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "harness.hpp"
#include "raw_clients.hpp"

// Declared here so that the tests including this header compile without Asio and Beast (the
// clients live in tls_clients.cpp).
namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace aware::systest {

using TlsContext = std::shared_ptr<boost::asio::ssl::context>;

// The next webhook POST over TLS (see raw_clients.hpp, WebhookReceiver): the receiver presents
// `cert` / `key` and answers `status`. `request` is what it got; `handshake_error` says why the
// TLS handshake failed instead (e.g. awared did not trust the certificate). With
// `body_until_close` it answers as an HTTP/1.0 server may: no Content-Length, the body ended by
// closing the connection, without a TLS close_notify.
struct TlsWebhookPost {
  std::optional<WebhookReceiver::Request> request;
  std::string handshake_error;
};
TlsWebhookPost next_over_tls(WebhookReceiver& hook, unsigned status,
                             const std::filesystem::path& cert, const std::filesystem::path& key,
                             bool body_until_close = false);

// A TLS 1.3 client context trusting only the CA certificate in `ca` (as meldkamer --ca builds).
TlsContext trusting(const std::filesystem::path& ca);
// A client context that offers TLS 1.2 and nothing newer, trusting `ca`.
TlsContext tls12_only(const std::filesystem::path& ca);

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

// One TLS connection to 127.0.0.1:port. `host` is what the server certificate must name.
class HttpsConnection {
 public:
  HttpsConnection(std::uint16_t port, TlsContext context, std::string host = "127.0.0.1");
  ~HttpsConnection();
  // TCP connect and TLS handshake: "" on success, else why not.
  std::string handshake();
  // One request on the (kept-alive) connection, with `token` as its bearer token unless empty;
  // nullopt when no response came.
  std::optional<HttpReply> request(const std::string& method, const std::string& target,
                                   const std::string& body = {}, const std::string& token = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A WebSocket console over TLS (wss://127.0.0.1:port/ws/meldkamer unless told otherwise).
class WssConsole {
 public:
  WssConsole(std::uint16_t port, TlsContext context);
  ~WssConsole();
  // TCP, TLS and the WebSocket upgrade to `target` with `token` as its bearer token: "" on
  // success, else why not.
  std::string open(const std::string& target = "/ws/meldkamer", const std::string& token = {});
  // The next text frame; nullopt when the connection ends or kWait passes.
  std::optional<std::string> read();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aware::systest
