// http_post.cpp — see http_post.hpp.
#include "net/http_post.hpp"

#include "net/beast.hpp"

#include <boost/beast/ssl.hpp>

namespace aware::netio {

namespace http = beast::http;

namespace {

using Posted = tl::expected<int, std::string>;

// The request, and the status of its response, on a connected (and, for https, handshaken)
// stream.
template <typename Stream>
awaitable<Posted> exchange(Stream& stream, const core::HttpUrl& url, std::string body) {
  boost::system::error_code ec;
  http::request<http::string_body> request{http::verb::post, url.path, 11};
  const bool v6 = url.endpoint.host.find(':') != std::string::npos;
  request.set(http::field::host, (v6 ? "[" + url.endpoint.host + "]" : url.endpoint.host) + ":" +
                                     std::to_string(url.endpoint.port));
  request.set(http::field::content_type, "application/json");
  request.set(http::field::user_agent, "awared");
  request.keep_alive(false);
  request.body() = std::move(body);
  request.prepare_payload();
  co_await http::async_write(stream, request, net::redirect_error(use_awaitable, ec));
  if (ec) {
    co_return tl::make_unexpected("write: " + ec.message());
  }
  // The status line is the answer; the body is not read (a receiver whose body ends at the
  // connection's close, over TLS without close_notify, would otherwise fail every POST).
  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  co_await http::async_read_header(stream, buffer, parser, net::redirect_error(use_awaitable, ec));
  if (ec) {
    co_return tl::make_unexpected("read: " + ec.message());
  }
  co_return static_cast<int>(parser.get().result_int());
}

}  // namespace

awaitable<Posted> http_post(core::HttpUrl url, ssl::context* tls, std::string body,
                            std::chrono::seconds timeout) {
  auto executor = co_await net::this_coro::executor;
  boost::system::error_code ec;
  const auto address = net::ip::make_address(url.endpoint.host, ec);
  if (ec) {
    co_return tl::make_unexpected("bad address " + url.endpoint.host);
  }
  const tcp::endpoint to{address, url.endpoint.port};
  if (!url.tls) {
    beast::tcp_stream stream{executor};
    stream.expires_after(timeout);  // one deadline for the whole exchange
    co_await stream.async_connect(to, net::redirect_error(use_awaitable, ec));
    if (ec) {
      co_return tl::make_unexpected("connect: " + ec.message());
    }
    auto posted = co_await exchange(stream, url, std::move(body));
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    co_return posted;
  }
  if (tls == nullptr) {
    co_return tl::make_unexpected(std::string("https without a TLS client context"));
  }
  beast::ssl_stream<beast::tcp_stream> stream{executor, *tls};
  auto& tcp_layer = beast::get_lowest_layer(stream);
  tcp_layer.expires_after(timeout);  // one deadline for the whole exchange, handshake included
  co_await tcp_layer.async_connect(to, net::redirect_error(use_awaitable, ec));
  if (ec) {
    co_return tl::make_unexpected("connect: " + ec.message());
  }
  if (!expect_peer_address(stream.native_handle(), url.endpoint.host)) {
    co_return tl::make_unexpected("cannot check a certificate for " + url.endpoint.host);
  }
  co_await stream.async_handshake(ssl::stream_base::client,
                                  net::redirect_error(use_awaitable, ec));
  if (ec) {
    co_return tl::make_unexpected("TLS handshake: " + handshake_failure(stream.native_handle(), ec));
  }
  // No close_notify exchange afterwards: only the response's header is read (exchange()), and
  // waiting for the server's close_notify would only risk the deadline.
  co_return co_await exchange(stream, url, std::move(body));
}

}  // namespace aware::netio
