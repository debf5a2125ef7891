// console_server.cpp — HTTP accept loop, /healthz, and the upgrade to a console WebSocket.
#include "net/console_server.hpp"

#include "core/log.hpp"
#include "net/console_session.hpp"
#include "net/listener.hpp"

namespace aware::netio {

namespace http = beast::http;

ConsoleServer::ConsoleServer(net::io_context& io, const core::MeldkamerConfig& config,
                             ConsoleHandler& handler)
    : io_{io}, config_{config}, handler_{handler}, acceptor_{io} {}

ConsoleServer::~ConsoleServer() = default;

void ConsoleServer::start() {
  listen_on(acceptor_, config_.listen);
  net::co_spawn(io_,
                accept_loop(acceptor_, &stopping_,
                            [this](tcp::socket s) {
                              net::co_spawn(io_, serve_http(std::move(s)),
                                            log_session_error("net", "AWR-5099 HTTP"));
                            },
                            "AWR-5003 console"),
                net::detached);
}

void ConsoleServer::stop() {
  stopping_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  const auto sessions = sessions_;
  for (auto* s : sessions) {
    s->close();
  }
}

awaitable<void> ConsoleServer::serve_http(tcp::socket socket) {
  beast::tcp_stream stream{std::move(socket)};
  beast::flat_buffer buffer{8192};
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(8192);
    parser.body_limit(config_.max_message_bytes);
    stream.expires_after(config_.request_timeout);
    boost::system::error_code ec;
    co_await http::async_read(stream, buffer, parser, net::redirect_error(use_awaitable, ec));
    if (ec) {
      co_return;  // timeout, oversized request, or the peer left
    }
    auto request = parser.release();
    if (beast::websocket::is_upgrade(request)) {
      if (request.target() != "/ws/meldkamer" || stopping_) {
        co_return;  // no WebSocket elsewhere; just drop the connection
      }
      auto session = std::make_shared<ConsoleSession>(std::move(stream), config_, handler_, *this);
      co_await session->run(std::move(request));
      co_return;
    }
    http::response<http::string_body> response;
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    response.set(http::field::server, "awared");
    if (request.target() == "/healthz" &&
        (request.method() == http::verb::get || request.method() == http::verb::head)) {
      response.result(http::status::ok);
      response.set(http::field::content_type, "application/json");
      response.body() = handler_.health();
    } else if (request.target() == "/healthz") {
      response.result(http::status::method_not_allowed);
      response.body() = "{\"error\":\"only GET\"}";
    } else {
      response.result(http::status::not_found);
      response.set(http::field::content_type, "application/json");
      response.body() = "{\"error\":\"not found\"}";
    }
    response.prepare_payload();
    stream.expires_after(config_.request_timeout);
    co_await http::async_write(stream, response, net::redirect_error(use_awaitable, ec));
    if (ec || !response.keep_alive()) {
      co_return;
    }
  }
}

}  // namespace aware::netio
