// console_client.hpp — the Asio/Beast side of the meldkamer client: connects to
// wss://HOST:PORT/ws/meldkamer (with a TLS context: --ca) or ws://…, reconnects with backoff,
// feeds frames to console_session and writes what it asks for (stdout lines, stderr problems,
// terminal redraws, requests). The connection code is templated on the stream under the
// WebSocket (beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>); the TLS details
// (server checks, failure texts) live in client_tls.hpp.
//
// Used only by main.cpp. Error policy: network failures are expected and end only the current
// connection (reported through console_session, then retried); exceptions escape run() only
// for bugs. THREAD SAFETY: everything runs on the single thread of the io_context passed in;
// stop() must be called from that thread (signal handlers run there via signal_set).
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "asio.hpp"
#include "client_tls.hpp"
#include "console_session.hpp"
#include "options.hpp"

namespace aware::console {

class console_client {
 public:
  static constexpr std::chrono::milliseconds backoff_initial{100};
  static constexpr std::chrono::milliseconds backoff_max{2000};
  static constexpr std::chrono::seconds connect_timeout{5};     // resolve + TCP connect
  static constexpr std::chrono::seconds handshake_timeout{5};   // TLS, WebSocket upgrade, close
  static constexpr std::chrono::seconds idle_timeout{20};       // silence before pings give up
  static constexpr std::size_t read_message_max = 4U << 20U;    // 4 MiB: snapshots can be big

  // `tls`: connect with wss:// using this context (client_tls_context); nullptr: plain ws://.
  console_client(net::io_context& io, const client_options& options, console_session& session,
                 std::shared_ptr<net::ssl::context> tls = nullptr);

  // Connects and reconnects until stop() or until --exit-after is reached (then closes the
  // WebSocket cleanly after sending queued requests). Never throws for network errors.
  net::awaitable<void> run();

  // Asks run() to finish: flushes queued requests, closes the WebSocket with a close frame,
  // and cancels any connect attempt or backoff wait. Idempotent.
  void stop();

  // Called when --exit-after is reached; main uses it to set the exit code.
  std::function<void()> on_finished;

 private:
  struct connection;  // one connection's state, whatever its stream; shared by reader and writer
  template <class Stream>
  struct ws_connection;  // a connection with its WebSocket over Stream

  // One connection over Stream: connects, then reads until it ends. True when it got connected;
  // `reason` says why it ended or failed.
  template <class Stream>
  net::awaitable<bool> serve_once(std::string& reason);
  template <class Stream>
  net::awaitable<bool> connect(const std::shared_ptr<ws_connection<Stream>>& conn,
                               std::string& reason);
  template <class Stream>
  net::awaitable<void> read_loop(std::shared_ptr<ws_connection<Stream>> conn, std::string& reason);
  template <class Stream>
  static net::awaitable<void> write_loop(std::shared_ptr<ws_connection<Stream>> conn);
  void handle(const session_output& out);
  void redraw();
  net::awaitable<void> tick_loop();

  net::io_context& io_;
  const client_options& options_;
  console_session& session_;
  std::shared_ptr<net::ssl::context> tls_;  // wss:// with this context; nullptr: ws://
  std::shared_ptr<connection> current_;  // the live or connecting connection, if any
  net::steady_timer backoff_timer_;      // the wait between attempts; cancelled by stop()
  net::steady_timer tick_timer_;         // table mode: redraw once a second
  bool stopping_ = false;                // stop() was called or --exit-after reached
};

}  // namespace aware::console
