// console_server.hpp — the meldkamer HTTP endpoint: WebSocket consoles at /ws/meldkamer,
// GET /healthz and the registry REST API under /api/v1, on one port (Boost.Beast).
//
// Every HTTP read has a deadline and a size cap (max_message_bytes; max_import_bytes for the two
// bulk imports; a larger body gets 413); a WebSocket upgrade is first admitted by the
// ConsoleHandler (app/: the bearer token and the access policy; 401 / 403 before any upgrade)
// and then becomes a ConsoleSession, carrying its user, that the ConsoleHandler attaches to its
// feed; /api/v1 requests go to the ApiHandler.
// THREAD SAFETY: everything here runs on the network thread.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "core/config.hpp"
#include "core/policy.hpp"
#include "dispatch/feeds.hpp"
#include "net/api_handler.hpp"
#include "net/asio.hpp"

namespace aware::netio {

// The answer to a WebSocket upgrade request.
struct Admission {
  unsigned status = 0;             // 0 = admitted; else the HTTP status of the refusal
  std::string error;               // why not (the JSON error of the refusal)
  dispatch::FeedTarget target;     // admitted: what the console is served
  core::Principal principal;       // admitted: the signed-in user, kept with the session
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
};

class ConsoleSession;

class ConsoleServer {
 public:
  ConsoleServer(net::io_context& io, const core::MeldkamerConfig& config, ConsoleHandler& handler,
                ApiHandler& api);
  ~ConsoleServer();

  // Binds and listens; throws boost::system::system_error when the address cannot be bound.
  void start();
  // Stops accepting and closes every connection.
  void stop();

  [[nodiscard]] tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  void track(ConsoleSession* s) { sessions_.insert(s); }
  void forget(ConsoleSession* s) { sessions_.erase(s); }

 private:
  awaitable<void> serve_http(tcp::socket socket);

  net::io_context& io_;
  const core::MeldkamerConfig& config_;
  ConsoleHandler& handler_;
  ApiHandler& api_;
  tcp::acceptor acceptor_;
  std::set<ConsoleSession*> sessions_;   // live WebSocket sessions
  bool stopping_ = false;
};

}  // namespace aware::netio
