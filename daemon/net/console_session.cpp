// console_session.cpp — see console_session.hpp.
#include "net/console_session.hpp"

#include <algorithm>
#include <array>

#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "core/clock.hpp"
#include "core/crash_point.hpp"
#include "core/log.hpp"
#include "net/ws_bearer.hpp"
#include "wire/meldkamer_codec.hpp"

namespace aware::netio {

namespace websocket = beast::websocket;

template <class Stream>
ConsoleSession<Stream>::ConsoleSession(Stream stream, const core::MeldkamerConfig& config,
                                       ConsoleHandler& handler, ConsoleServer& server,
                                       dispatch::FeedTarget target, core::Principal principal)
    : ws_{std::move(stream)},
      config_{config},
      handler_{handler},
      server_{server},
      target_{std::move(target)},
      principal_{std::move(principal)},
      wakeup_{ws_.get_executor(), std::chrono::steady_clock::time_point::max()},
      session_end_{ws_.get_executor()} {
  server_.track(this);
}

template <class Stream>
ConsoleSession<Stream>::~ConsoleSession() { server_.forget(this); }

template <class Stream>
bool ConsoleSession<Stream>::deliver(std::shared_ptr<const std::string> frame) {
  if (closing_) {
    return false;
  }
  if (queue_.size() >= config_.max_queued_messages) {
    core::log("dispatch")->warn("AWR-4002 console is {} messages behind; disconnecting it",
                                queue_.size());
    return false;
  }
  queue_.push_back(std::move(frame));
  wakeup_.cancel_one();
  return true;
}

template <class Stream>
void ConsoleSession<Stream>::close() {
  if (closing_) {
    return;
  }
  closing_ = true;
  wakeup_.cancel();
  session_end_.cancel();
  // Tearing the TCP stream down ends both the pending read and any stalled write at once.
  beast::get_lowest_layer(ws_).cancel();
  beast::get_lowest_layer(ws_).close();
}

template <class Stream>
awaitable<void> ConsoleSession<Stream>::writer() {
  auto self = this->shared_from_this();
  while (!closing_) {
    if (queue_.empty()) {
      boost::system::error_code ec;
      co_await wakeup_.async_wait(net::redirect_error(use_awaitable, ec));
      continue;
    }
    auto frame = queue_.front();
    if (core::skip_console_seq(next_seq_)) {
      ++next_seq_;  // test-only (AWARED_TEST_SKIP_SEQ): the console must notice the gap
    }
    // The shared frame stays untouched: this connection's seq goes in front of it, and the
    // two buffers are written as one message (see wire::seq_prefix).
    const auto prefix = wire::seq_prefix(next_seq_, *frame);
    const std::array<net::const_buffer, 2> parts{
        net::buffer(prefix), net::buffer(frame->data() + 1, frame->size() - 1)};
    boost::system::error_code ec;
    co_await ws_.async_write(parts, net::redirect_error(use_awaitable, ec));
    if (ec) {
      close();
      break;
    }
    queue_.pop_front();
    ++next_seq_;
  }
}

template <class Stream>
awaitable<void> ConsoleSession<Stream>::end_with_session() {
  auto self = this->shared_from_this();
  if (closing_) {
    co_return;  // closed before this started: don't keep the session alive until the end
  }
  const auto left = std::max<std::int64_t>(0, principal_.expires_ms - core::now_ms());
  session_end_.expires_after(std::chrono::milliseconds(left));
  boost::system::error_code ec;
  co_await session_end_.async_wait(net::redirect_error(use_awaitable, ec));
  if (!ec && !closing_) {
    core::log("net")->info("AWR-5007 the login session of console user {} ended: disconnecting",
                           principal_.name);
    close();
  }
}

template <class Stream>
awaitable<void> ConsoleSession<Stream>::run(Request request, bool answer_v1) {
  auto self = this->shared_from_this();
  beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts take over
  // A fixed kernel send buffer: left to autotuning it grows to megabytes, which a console that
  // stops reading fills silently before max_queued_messages is ever reached.
  boost::system::error_code ec;
  auto& socket = beast::get_lowest_layer(ws_).socket();
  socket.set_option(net::socket_base::send_buffer_size(kSendBufferBytes), ec);
  // A push goes out at once: with Nagle's algorithm a frame written while the previous one is
  // still unacknowledged waits for the console's delayed ACK (tens of milliseconds).
  socket.set_option(tcp::no_delay(true), ec);
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(config_.max_message_bytes);
  ws_.text(true);
  if (answer_v1) {
    // Always this fixed name, never the bearer offer: the token is not echoed.
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(beast::http::field::sec_websocket_protocol, std::string(kConsoleSubprotocol));
    }));
  }
  co_await ws_.async_accept(request, net::redirect_error(use_awaitable, ec));
  if (ec) {
    core::log("net")->info("AWR-5004 console handshake failed: {}", ec.message());
    co_return;
  }
  static constexpr std::array<std::string_view, 3> kFeedNames{"meldkamer", "pac", "hulpverlener"};
  const auto feed_name = kFeedNames.at(static_cast<std::size_t>(target_.kind));
  const std::string regions = target_.regions.all()
                                  ? std::string{"all"}
                                  : std::to_string(target_.regions.regions().size());
  core::log("dispatch")->info("AWR-4001 console connected (feed: {}, regions: {})", feed_name,
                              regions);
  net::co_spawn(ws_.get_executor(), writer(), net::detached);
  if (principal_.expires_ms > 0) {
    net::co_spawn(ws_.get_executor(), end_with_session(), net::detached);
  }
  handler_.attached(self);
  beast::flat_buffer buffer;
  while (!closing_) {
    co_await ws_.async_read(buffer, net::redirect_error(use_awaitable, ec));
    if (ec) {
      break;
    }
    if (!ws_.got_text()) {
      handler_.request(this, "");  // binary frames are not part of the protocol
    } else {
      handler_.request(this, beast::buffers_to_string(buffer.data()));
    }
    buffer.consume(buffer.size());
  }
  core::log("dispatch")->info("AWR-4003 console disconnected{}",
                              ec ? ": " + ec.message() : std::string{});
  handler_.detached(this);
  close();
}

template class ConsoleSession<beast::tcp_stream>;
template class ConsoleSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace aware::netio
