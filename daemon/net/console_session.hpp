// console_session.hpp — one console on a WebSocket (a meldkamer console, a PAC operator's, or a
// case worker's — which one, and what it follows, comes from its URL as a FeedTarget): a reader
// coroutine that hands requests to the ConsoleHandler and a writer coroutine that drains a
// bounded queue.
//
// Every frame written carries this connection's sequence number (1 for the snapshot, then
// 2, 3, …), stamped by the writer in front of the shared frame; the hub never re-encodes.
// deliver() never blocks: it queues the frame or, when the console is more than
// max_queued_messages behind (a stalled reader), refuses it so the hub drops this console. The
// kernel send buffer is fixed (kSendBufferBytes), so a stalled reader is noticed after at most
// that many bytes plus the queue, not after megabytes of autotuned buffer.
// Stream is the transport under the WebSocket: beast::tcp_stream (plain, [tls] insecure_dev) or
// beast::ssl_stream<beast::tcp_stream> (WSS, the TLS handshake already done); both are
// instantiated in console_session.cpp only.
// THREAD SAFETY: runs on the network thread only; deliver() must be called there too.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "dispatch/hub.hpp"
#include "dispatch/feeds.hpp"
#include "net/beast.hpp"
#include "net/console_server.hpp"

#include <boost/beast/ssl/ssl_stream.hpp>

namespace aware::netio {

template <class Stream>
class ConsoleSession : public dispatch::ConsoleSink,
                       public std::enable_shared_from_this<ConsoleSession<Stream>> {
 public:
  using Request = beast::http::request<beast::http::string_body>;

  ConsoleSession(Stream stream, const core::MeldkamerConfig& config,
                 ConsoleHandler& handler, ConsoleServer& server, dispatch::FeedTarget target,
                 core::Principal principal);
  ~ConsoleSession() override;

  // Completes the WebSocket handshake for `request` (answering the subprotocol "awared.v1" when
  // `answer_v1`: the browser offered it, see ws_bearer.hpp), then reads until the console leaves.
  awaitable<void> run(Request request, bool answer_v1 = false);

  // SO_SNDBUF of a console connection (the kernel doubles it): with max_queued_messages, this
  // bounds what a console that stops reading costs before it is disconnected.
  static constexpr int kSendBufferBytes = 128 * 1024;

  bool deliver(std::shared_ptr<const std::string> frame) override;
  void close() override;
  [[nodiscard]] dispatch::FeedKind feed() const override { return target_.kind; }
  [[nodiscard]] bool serves(std::string_view region) const override {
    return target_.regions.serves(region);
  }
  [[nodiscard]] bool wants_tests() const override { return target_.tests; }
  [[nodiscard]] bool follows(const core::Notice& notice) const override {
    return target_.follows(notice);
  }
  [[nodiscard]] const dispatch::FeedTarget* target() const override { return &target_; }
  [[nodiscard]] const core::Principal* principal() const override { return &principal_; }
  [[nodiscard]] std::size_t queued() const override { return queue_.size(); }

 private:
  awaitable<void> writer();
  // Closes the connection when the user's login session ends (least access: an expired session
  // receives no more pushes, not only refusals of its messages).
  awaitable<void> end_with_session();

  beast::websocket::stream<Stream> ws_;
  const core::MeldkamerConfig& config_;
  ConsoleHandler& handler_;
  ConsoleServer& server_;
  dispatch::FeedTarget target_;                            // from the URL at connect
  core::Principal principal_;                              // the signed-in user (admit())
  std::deque<std::shared_ptr<const std::string>> queue_;   // frames not yet written
  net::steady_timer wakeup_;                               // the writer waits on this
  net::steady_timer session_end_;                          // fires at principal_.expires_ms
  std::uint64_t next_seq_ = 1;                             // seq of the next frame written
  bool closing_ = false;
};

extern template class ConsoleSession<beast::tcp_stream>;
extern template class ConsoleSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace aware::netio
