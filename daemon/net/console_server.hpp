// console_server.hpp — the meldkamer HTTP endpoint: WebSocket consoles at /ws/meldkamer,
// GET /healthz, GET /metrics and the registry REST API under /api/v1, on one port
// (Boost.Beast).
//
// Every HTTP read has a deadline and a size cap (max_message_bytes; max_import_bytes for the two
// bulk imports; a larger body gets 413); a WebSocket upgrade is first admitted by the
// ConsoleHandler (app/: the bearer token and the access policy; 401 / 403 before any upgrade)
// and then becomes a ConsoleSession, carrying its user, that the ConsoleHandler attaches to its
// feed; /api/v1 requests go to the ApiHandler.
// With a TLS context (ConsoleTls) every connection is HTTPS/WSS: a TLS 1.3 handshake that must
// finish within handshake_timeout comes first (a failed or stalled one is logged as AWR-5006 and
// closes only that connection), then the same HTTP handling over the TLS stream. Without one
// ([tls] insecure_dev) it is plain HTTP/WebSocket, as before. The HTTP serving and the
// WebSocket session are templates on the stream type, instantiated for both in the .cpp files.
// THREAD SAFETY: everything here runs on the network thread.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "core/config.hpp"
#include "core/policy.hpp"
#include "dispatch/feeds.hpp"
#include "net/api_handler.hpp"
#include "net/asio.hpp"
#include "net/listener.hpp"
#include "net/tls.hpp"

namespace aware::netio {

// The answer to a WebSocket upgrade request.
struct Admission {
  unsigned status = 0;             // 0 = admitted; else the HTTP status of the refusal
  std::string error;               // why not (the JSON error of the refusal)
  dispatch::FeedTarget target;     // admitted: what the console is served
  core::Principal principal;       // admitted: the signed-in user, kept with the session
};

// The answer to GET /metrics.
struct MetricsAnswer {
  unsigned status = 200;           // 200, or the HTTP status of the refusal
  std::string body;                // the metrics text (200) or a JSON error
};

// Implemented by app/.
class ConsoleHandler {
 public:
  virtual ~ConsoleHandler() = default;
  // Whether the upgrade to feed `asked` with this Authorization header may go ahead, and bound
  // to what (see dispatch/feed_access.hpp). Resumes on the network thread.
  virtual awaitable<Admission> admit(dispatch::FeedTarget asked, std::string authorization) = 0;
  // A console finished its WebSocket handshake; send it its snapshot.
  virtual void attached(const std::shared_ptr<dispatch::ConsoleSink>& console) = 0;
  // A console went away.
  virtual void detached(const dispatch::ConsoleSink* console) = 0;
  // A text message from a console (not yet parsed).
  virtual void request(const dispatch::ConsoleSink* console, std::string text) = 0;
  // The body of GET /healthz (JSON).
  virtual std::string health() = 0;
  // GET /metrics from a peer (`loopback`: its address is a loopback one) with this
  // Authorization header: status 200 and the Prometheus text, or a refusal (401, 403, 404)
  // with a JSON error.
  virtual MetricsAnswer metrics(const std::string& authorization, bool loopback) = 0;
};

// The meldkamer port's transport security, built once at start-up (app/).
struct ConsoleTls {
  std::shared_ptr<ssl::context> context;       // nullptr: plain HTTP ([tls] insecure_dev)
  std::chrono::seconds handshake_timeout{10};  // a TLS handshake must finish within this
  std::shared_ptr<AcceptPacer> pacer;          // the TLS listeners' shared pace; null = none
  TlsRefusals* refusals = nullptr;             // told of each refused handshake (audit)
};

class ConsoleServer {
 public:
  ConsoleServer(net::io_context& io, const core::MeldkamerConfig& config, ConsoleHandler& handler,
                ApiHandler& api, ConsoleTls tls = {});
  ~ConsoleServer();

  // Binds and listens; throws boost::system::system_error when the address cannot be bound.
  void start();
  // Stops accepting and closes every connection.
  void stop();

  [[nodiscard]] tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  // Live WebSocket sessions register here so stop() can close them.
  void track(dispatch::ConsoleSink* s) { sessions_.insert(s); }
  void forget(dispatch::ConsoleSink* s) { sessions_.erase(s); }
  // Closes every live WebSocket session whose signed-in user passes `pred` (a user changed or
  // deactivated, a session logged out); returns how many.
  std::size_t close_if(const std::function<bool(const core::Principal&)>& pred);

  // For GET /metrics: live WebSocket sessions by feed (meldkamer, pac, hulpverlener) and the
  // frames waiting in all their send queues.
  struct SessionStats {
    std::array<std::size_t, 3> by_feed{};
    std::size_t queued = 0;
  };
  [[nodiscard]] SessionStats session_stats() const;

 private:
  // HTTPS: the TLS handshake (bounded by tls_.handshake_timeout), then serve_http.
  awaitable<void> serve_tls(tcp::socket socket);
  // HTTP requests on one connection until it closes or upgrades to a WebSocket. Stream is
  // beast::tcp_stream or beast::ssl_stream<beast::tcp_stream> (instantiated in the .cpp only).
  template <class Stream>
  awaitable<void> serve_http(Stream stream);

  net::io_context& io_;
  const core::MeldkamerConfig& config_;
  ConsoleHandler& handler_;
  ApiHandler& api_;
  ConsoleTls tls_;                       // no context: plain HTTP
  tcp::acceptor acceptor_;
  std::set<dispatch::ConsoleSink*> sessions_;   // live WebSocket sessions
  bool stopping_ = false;
};

}  // namespace aware::netio
