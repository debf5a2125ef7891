// tls_clients.cpp — see tls_clients.hpp.
#include <utility>  // first: GCC 12 + Boost 1.74

#include "tls_clients.hpp"

#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <stdexcept>

#include "client_tls.hpp"
#include "webhook_serve.hpp"

namespace aware::systest {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using error_code = boost::system::error_code;

net::ip::tcp::endpoint loopback(std::uint16_t port) {
  return {net::ip::make_address("127.0.0.1"), port};
}

// Runs `io` until its work is done; the operations carry their own deadlines.
void run(net::io_context& io) {
  io.restart();
  io.run();
}

// Runs handlers until `done` is set or kWait passes (a WebSocket keeps an idle timer pending,
// so running until there is no work would always wait the full idle timeout).
void run_until(net::io_context& io, const bool& done) {
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!done && io.run_one_until(deadline) > 0) {
  }
}

// TCP connect and TLS handshake of `stream`, checking the certificate names `host`.
std::string connect_tls(net::io_context& io, beast::ssl_stream<beast::tcp_stream>& stream,
                        std::uint16_t port, const std::string& host) {
  if (!console::expect_server(stream.native_handle(), host)) {
    return "cannot set the expected server name";
  }
  auto& tcp = beast::get_lowest_layer(stream);
  tcp.expires_after(kWait);
  std::string failure = "no outcome";
  tcp.async_connect(loopback(port), [&](error_code ec) {
    if (ec) {
      failure = "connect: " + ec.message();
      return;
    }
    stream.async_handshake(net::ssl::stream_base::client, [&](error_code ec2) {
      failure = ec2 ? console::tls_handshake_failure(stream.native_handle(), ec2) : "";
    });
  });
  run(io);
  return failure;
}

}  // namespace

TlsWebhookPost next_over_tls(WebhookReceiver& hook, unsigned status,
                             const std::filesystem::path& cert, const std::filesystem::path& key,
                             bool body_until_close) {
  net::ssl::context context{net::ssl::context::tls_server};
  context.use_certificate_chain_file(cert.string());
  context.use_private_key_file(key.string(), net::ssl::context::pem);
  const int fd = hook.accept_next();
  if (fd < 0) {
    return {std::nullopt, "no connection came"};
  }
  net::io_context io;
  net::ip::tcp::socket socket{io, net::ip::tcp::v4(), fd};
  net::ssl::stream<net::ip::tcp::socket&> stream{socket, context};
  boost::system::error_code ec;
  stream.handshake(net::ssl::stream_base::server, ec);
  if (ec) {
    return {std::nullopt, ec.message()};
  }
  if (!body_until_close) {
    return {serve_webhook(stream, status), ""};
  }
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::read(stream, buffer, request, ec);
  if (ec) {
    return {std::nullopt, ""};
  }
  const std::string answer = "HTTP/1.0 " + std::to_string(status) + " OK\r\n\r\ntaken\n";
  net::write(stream, net::buffer(answer), ec);
  return {WebhookReceiver::Request{std::string(request.target()),
                                   std::string(request[http::field::content_type]),
                                   request.body()},
          ""};  // the socket closes here, without close_notify
}

TlsContext trusting(const std::filesystem::path& ca) {
  auto made = console::client_tls_context(ca.string());
  if (!made) {
    throw std::runtime_error(made.error());
  }
  return *made;
}

TlsContext tls12_only(const std::filesystem::path& ca) {
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->load_verify_file(ca.string());
  ctx->set_verify_mode(net::ssl::verify_peer);
  return ctx;
}

struct HttpsConnection::Impl {
  Impl(std::uint16_t p, TlsContext c, std::string h)
      : context{std::move(c)}, port{p}, host{std::move(h)} {}
  net::io_context io;
  TlsContext context;
  beast::ssl_stream<beast::tcp_stream> stream{io, *context};
  std::uint16_t port;
  std::string host;
  beast::flat_buffer buffer;
};

HttpsConnection::HttpsConnection(std::uint16_t port, TlsContext context, std::string host)
    : impl_{std::make_unique<Impl>(port, std::move(context), std::move(host))} {}

HttpsConnection::~HttpsConnection() = default;

std::string HttpsConnection::handshake() {
  return connect_tls(impl_->io, impl_->stream, impl_->port, impl_->host);
}

std::optional<HttpReply> HttpsConnection::request(const std::string& method,
                                                  const std::string& target,
                                                  const std::string& body,
                                                  const std::string& token) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, impl_->host);
  if (!token.empty()) {
    req.set(http::field::authorization, "Bearer " + token);
  }
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.keep_alive(true);
  req.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(1U << 24U);
  std::optional<HttpReply> reply;
  auto& stream = impl_->stream;
  beast::get_lowest_layer(stream).expires_after(kWait);
  http::async_write(stream, req, [&](error_code ec, std::size_t) {
    if (ec) {
      return;
    }
    http::async_read(stream, impl_->buffer, parser, [&](error_code ec2, std::size_t) {
      if (!ec2) {
        reply = HttpReply{parser.get().result_int(), parser.get().body()};
      }
    });
  });
  run(impl_->io);
  return reply;
}

struct WssConsole::Impl {
  Impl(std::uint16_t p, TlsContext c) : context{std::move(c)}, port{p} {}
  net::io_context io;
  TlsContext context;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws{io, *context};
  std::uint16_t port;
  beast::flat_buffer buffer;
};

WssConsole::WssConsole(std::uint16_t port, TlsContext context)
    : impl_{std::make_unique<Impl>(port, std::move(context))} {}

WssConsole::~WssConsole() = default;

std::string WssConsole::open(const std::string& target, const std::string& token) {
  auto& ws = impl_->ws;
  auto failure = connect_tls(impl_->io, ws.next_layer(), impl_->port, "127.0.0.1");
  if (!failure.empty()) {
    return failure;
  }
  beast::get_lowest_layer(ws).expires_never();  // the WebSocket's own timeouts from here
  ws.set_option(websocket::stream_base::timeout{kWait, kWait, false});
  ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
    if (!token.empty()) {
      req.set(http::field::authorization, "Bearer " + token);
    }
  }));
  failure = "no outcome";
  ws.async_handshake("127.0.0.1:" + std::to_string(impl_->port), target, [&](error_code ec) {
    failure = ec ? "upgrade: " + ec.message() : "";
  });
  run(impl_->io);
  return failure;
}

std::optional<std::string> WssConsole::read() {
  std::optional<std::string> text;
  bool done = false;
  auto& buffer = impl_->buffer;
  buffer.consume(buffer.size());
  impl_->ws.async_read(buffer, [&](error_code ec, std::size_t) {
    done = true;
    if (!ec) {
      text = beast::buffers_to_string(buffer.data());
    }
  });
  run_until(impl_->io, done);
  return text;
}

}  // namespace aware::systest
