// link.hpp — one device's connection to awared, with a deadline on every operation: plain TCP,
// or mutual TLS 1.3 when the link is given a client context (tls_client.hpp; the handshake is
// part of connect(), and awared's certificate must name the host connected to).
// Wraps an Asio socket in coroutine-friendly calls (connect, send, read) that never wait past
// the deadline they are given, and cuts the byte stream into ServerMessages with
// frame_decoder. Used by activate.cpp (one press) and fleet_device.cpp (long-lived devices).
//
// Error policy: expected failures (refused, reset, timed out, bad frame) are returned as values;
// nothing here throws except on allocation failure.
// THREAD SAFETY: a link and all its calls belong to one thread (the io_context's only thread).
// At most one of connect/send/read may be in progress at a time.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "asio.hpp"
#include "framing.hpp"
#include "tls_client.hpp"

namespace aware::sim {

// Outcome of link::read.
struct read_result {
  enum class status {
    message,     // `message` holds one ServerMessage
    timed_out,   // the deadline passed without a complete frame
    woken,       // wake() was called
    failed,      // connection closed/reset or a framing error; `error` says which
  };
  status what = status::failed;          // which of the above
  aware::v1::ServerMessage message;      // valid when what == message
  std::string error;                     // human-readable cause when what == failed
};

class link : public std::enable_shared_from_this<link> {
 public:
  // Links are shared so that a pending deadline timer can keep its link alive. `tls` nullptr:
  // plain TCP; otherwise every connect() does a TLS handshake with this context.
  static std::shared_ptr<link> create(net::any_io_executor executor,
                                      std::shared_ptr<ssl::context> tls = nullptr);

  // Resolves host:port and connects (and does the TLS handshake, verifying that awared's
  // certificate names `host`), replacing any previous connection and its buffered bytes.
  // Returns an empty error_code on success, net::error::timed_out past `deadline`.
  net::awaitable<error_code> connect(const std::string& host, const std::string& port,
                                     steady_clock::time_point deadline);

  // Writes `bytes` completely, or fails (net::error::timed_out past `deadline`).
  net::awaitable<error_code> send(std::string bytes, steady_clock::time_point deadline);

  // Returns the next ServerMessage, or why there is none before `deadline`. Frames already
  // buffered are returned before a pending wake-up is reported.
  net::awaitable<read_result> read(steady_clock::time_point deadline);

  // Makes the current (or else the next) read() return status::woken. Used to tell a device
  // waiting for server messages that it has something new to send.
  void wake();

  // Closes the connection (idempotent) and drops buffered bytes.
  void close();

 private:
  link(net::any_io_executor executor, std::shared_ptr<ssl::context> tls);

  // The TCP socket of the current connection (under the TLS stream, if any).
  tcp::socket& socket() { return stream_ ? stream_->next_layer() : socket_; }

  // Starts the deadline timer for one operation; on expiry it cancels the socket and resolver.
  void arm(steady_clock::time_point deadline);
  // Ends the current operation's deadline; a timer that already fired becomes harmless.
  void disarm();

  tcp::socket socket_;                  // the connection over plain TCP, closed between attempts
  std::shared_ptr<ssl::context> tls_;   // client context; nullptr = plain TCP
  std::unique_ptr<ssl::stream<tcp::socket>> stream_;  // the TLS connection (new per connect)
  tcp::resolver resolver_;              // resolves the server name on every connect
  net::steady_timer timer_;             // deadline of the operation in progress
  frame_decoder decoder_;               // bytes received, not yet cut into frames
  std::array<char, 4096> buffer_{};     // one read's worth of bytes
  unsigned generation_ = 0;             // identifies the armed deadline; stale fires are ignored
  bool timed_out_ = false;              // the armed deadline fired
  bool reading_ = false;                // a read_some is in progress (wake() may cancel it)
  bool wake_requested_ = false;         // wake() was called and not yet reported
};

}  // namespace aware::sim
