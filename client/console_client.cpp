// console_client.cpp — connect/reconnect loop, reader and writer coroutines, output to the
// terminal (see console_client.hpp).
#include "console_client.hpp"

#include <iostream>
#include <type_traits>

#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "json_lines.hpp"

namespace aware::console {
namespace {

using error_code = boost::system::error_code;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct console_client::connection {
  explicit connection(const net::any_io_executor& ex) : resolver{ex}, wake{ex} {}
  virtual ~connection() = default;
  // The TCP stream under the WebSocket (and TLS), for cancelling and closing.
  virtual beast::tcp_stream& lowest() = 0;

  tcp::resolver resolver;                   // cancelled by the connect watchdog or stop()
  net::steady_timer wake;                   // writer's condition variable: cancel() to notify
  std::deque<std::string> queue;            // frames waiting to be written, oldest first
  bool open = false;                        // handshake done; requests may be queued
  bool closing = false;                     // stop(): close after the queue is drained
  bool done = false;                        // the reader has ended; the writer must exit
};

template <class Stream>
struct console_client::ws_connection : console_client::connection {
  // `stream_args` after the executor: the TLS context for a tls_stream, nothing for plain.
  template <class... Args>
  explicit ws_connection(const net::any_io_executor& ex, Args&... stream_args)
      : connection{ex}, ws{ex, stream_args...} {}
  beast::tcp_stream& lowest() override { return beast::get_lowest_layer(ws); }

  websocket::stream<Stream> ws;             // the WebSocket to awared
};

console_client::console_client(net::io_context& io, const client_options& options,
                               console_session& session, std::shared_ptr<net::ssl::context> tls)
    : io_{io},
      options_{options},
      session_{session},
      tls_{std::move(tls)},
      backoff_timer_{io},
      tick_timer_{io} {}

net::awaitable<void> console_client::run() {
  if (!options_.json) {
    net::co_spawn(io_, tick_loop(), net::detached);
  }
  auto backoff = backoff_initial;
  while (!stopping_) {
    std::string reason;
    bool connected = false;
    if (tls_) {
      connected = co_await serve_once<tls_stream>(reason);
    } else {
      connected = co_await serve_once<beast::tcp_stream>(reason);
    }
    if (connected) {
      backoff = backoff_initial;
    }
    if (stopping_) {
      break;
    }
    handle(session_.on_disconnected(reason));
    backoff_timer_.expires_after(backoff);
    error_code ec;
    co_await backoff_timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
    backoff = std::min(backoff * 2, backoff_max);
  }
  tick_timer_.cancel();
}

template <class Stream>
net::awaitable<bool> console_client::serve_once(std::string& reason) {
  std::shared_ptr<ws_connection<Stream>> conn;
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    conn = std::make_shared<ws_connection<Stream>>(io_.get_executor(), *tls_);
  } else {
    conn = std::make_shared<ws_connection<Stream>>(io_.get_executor());
  }
  current_ = conn;
  const bool connected = co_await connect(conn, reason);
  if (connected) {
    conn->open = true;
    handle(session_.on_connected());
    net::co_spawn(io_, write_loop(conn), net::detached);
    co_await read_loop(conn, reason);
    conn->done = true;
    conn->wake.cancel();
  }
  current_.reset();
  co_return connected;
}

void console_client::stop() {
  if (stopping_) {
    return;
  }
  stopping_ = true;
  backoff_timer_.cancel();
  tick_timer_.cancel();
  if (!current_) {
    return;
  }
  if (current_->open) {
    current_->closing = true;
    current_->wake.cancel();
  } else {
    current_->resolver.cancel();
    current_->lowest().cancel();
  }
}

// Resolves, connects (bounded by connect_timeout), for wss:// performs the TLS handshake that
// checks the server certificate, and the WebSocket handshake (each bounded by
// handshake_timeout). Returns false with a human-readable `reason` on failure.
template <class Stream>
net::awaitable<bool> console_client::connect(const std::shared_ptr<ws_connection<Stream>>& conn,
                                             std::string& reason) {
  constexpr bool secure = std::is_same_v<Stream, tls_stream>;
  error_code ec;
  net::steady_timer watchdog{io_};
  watchdog.expires_after(connect_timeout);
  watchdog.async_wait([conn](error_code wait_ec) {
    if (!wait_ec) {
      conn->resolver.cancel();
    }
  });
  const auto endpoints = co_await conn->resolver.async_resolve(
      options_.host, options_.port, net::redirect_error(net::use_awaitable, ec));
  watchdog.cancel();
  if (ec || stopping_) {
    reason = "resolve " + options_.host + ": " + ec.message();
    co_return false;
  }
  auto& lowest = beast::get_lowest_layer(conn->ws);
  lowest.expires_after(connect_timeout);
  co_await lowest.async_connect(endpoints, net::redirect_error(net::use_awaitable, ec));
  lowest.expires_never();
  if (ec || stopping_) {
    reason = "connect " + options_.host + ":" + options_.port + ": " + ec.message();
    co_return false;
  }
  if constexpr (secure) {
    auto& tls = conn->ws.next_layer();
    if (!expect_server(tls.native_handle(), options_.host)) {
      reason = "cannot check the server certificate against \"" + options_.host + "\"";
      co_return false;
    }
    lowest.expires_after(handshake_timeout);
    co_await tls.async_handshake(net::ssl::stream_base::client,
                                 net::redirect_error(net::use_awaitable, ec));
    lowest.expires_never();
    if (ec || stopping_) {
      reason = tls_handshake_failure(tls.native_handle(), ec);
      co_return false;
    }
  }
  conn->ws.set_option(websocket::stream_base::timeout{handshake_timeout, idle_timeout, true});
  conn->ws.set_option(
      websocket::stream_base::decorator([token = options_.token](websocket::request_type& req) {
        req.set(beast::http::field::user_agent, "meldkamer-console");
        if (!token.empty()) {
          req.set(beast::http::field::authorization, "Bearer " + token);
        }
      }));
  conn->ws.read_message_max(read_message_max);
  conn->ws.text(true);
  const bool v6 = options_.host.find(':') != std::string::npos;
  const std::string host_header =
      (v6 ? "[" + options_.host + "]" : options_.host) + ":" + options_.port;
  const std::string target =
      options_.regions.empty() ? "/ws/meldkamer" : "/ws/meldkamer?regions=" + options_.regions;
  websocket::response_type answer;
  co_await conn->ws.async_handshake(answer, host_header, target,
                                    net::redirect_error(net::use_awaitable, ec));
  if (ec || stopping_) {
    // A refusal (401 / 403) names its reason in the body.
    reason = answer.result_int() >= 400
                 ? "handshake: HTTP " + std::to_string(answer.result_int()) + " " + answer.body()
                 : "handshake: " + ec.message();
    if (!secure && answer.result_int() < 400 && ec != websocket::error::upgrade_declined) {
      reason += std::string{" ("} + kTlsHint + ")";  // a TLS port drops a plain upgrade
    }
    co_return false;
  }
  co_return true;
}

// Reads frames until the connection fails or is closed; each text frame goes to the session
// (frames arriving after stop() are dropped). Sets `reason` to why it ended.
template <class Stream>
net::awaitable<void> console_client::read_loop(std::shared_ptr<ws_connection<Stream>> conn,
                                               std::string& reason) {
  beast::flat_buffer buffer;
  for (;;) {
    error_code ec;
    co_await conn->ws.async_read(buffer, net::redirect_error(net::use_awaitable, ec));
    if (ec == websocket::error::closed) {
      const auto& close = conn->ws.reason();
      const std::string why{close.reason.data(), close.reason.size()};
      reason = "closed by server (code " + std::to_string(close.code) + ")" +
               (why.empty() ? "" : ": " + why);
      co_return;
    }
    if (ec) {
      reason = ec.message();
      co_return;
    }
    if (conn->ws.got_text() && !stopping_) {
      const std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      handle(session_.on_frame(text, now_ms()));
    } else {
      buffer.consume(buffer.size());
    }
  }
}

// Writes queued frames in order; waits on `wake` when idle. After stop() it drains the queue
// and sends a close frame. A write error closes the socket so the reader ends too.
template <class Stream>
net::awaitable<void> console_client::write_loop(std::shared_ptr<ws_connection<Stream>> conn) {
  for (;;) {
    while (!conn->queue.empty() && !conn->done) {
      error_code ec;
      co_await conn->ws.async_write(net::buffer(conn->queue.front()),
                                    net::redirect_error(net::use_awaitable, ec));
      if (ec) {
        conn->lowest().socket().close(ec);
        co_return;
      }
      conn->queue.pop_front();
    }
    if (conn->done) {
      co_return;
    }
    error_code ec;
    if (conn->closing) {
      co_await conn->ws.async_close(websocket::close_code::normal,
                                    net::redirect_error(net::use_awaitable, ec));
      co_return;
    }
    conn->wake.expires_at(net::steady_timer::time_point::max());
    co_await conn->wake.async_wait(net::redirect_error(net::use_awaitable, ec));
  }
}

// Carries out one session_output: prints lines, reports problems, queues requests, redraws,
// and starts the shutdown when --exit-after was reached.
void console_client::handle(const session_output& out) {
  for (const auto& line : out.lines) {
    std::cout << line << '\n' << std::flush;
  }
  if (options_.json) {
    for (const auto& problem : out.errors) {
      std::cerr << "meldkamer: " << problem << '\n';
    }
  }
  if (current_ && current_->open && !current_->closing && !out.requests.empty()) {
    for (const auto& request : out.requests) {
      current_->queue.push_back(request_json(request));
    }
    current_->wake.cancel();
  }
  if (out.resync && current_) {
    // Closing the socket ends read_loop; run() then reconnects and gets a fresh snapshot.
    error_code ec;
    current_->lowest().socket().close(ec);
  }
  if (out.redraw) {
    redraw();
  }
  if (out.finished && !stopping_) {
    if (on_finished) {
      on_finished();
    }
    stop();
  }
}

void console_client::redraw() {
  std::cout << session_.render(now_ms()) << std::flush;
}

net::awaitable<void> console_client::tick_loop() {
  while (!stopping_) {
    redraw();
    tick_timer_.expires_after(std::chrono::seconds{1});
    error_code ec;
    co_await tick_timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
  }
}

}  // namespace aware::console
