// http_post.cpp — see http_post.hpp.
#include "net/http_post.hpp"

#include "net/beast.hpp"

namespace aware::netio {

namespace http = beast::http;

awaitable<tl::expected<int, std::string>> http_post(core::HttpUrl url, std::string body,
                                                    std::chrono::seconds timeout) {
  auto executor = co_await net::this_coro::executor;
  beast::tcp_stream stream{executor};
  boost::system::error_code ec;
  const auto address = net::ip::make_address(url.endpoint.host, ec);
  if (ec) {
    co_return tl::make_unexpected("bad address " + url.endpoint.host);
  }
  stream.expires_after(timeout);  // one deadline for the whole exchange
  co_await stream.async_connect(tcp::endpoint{address, url.endpoint.port},
                                net::redirect_error(use_awaitable, ec));
  if (ec) {
    co_return tl::make_unexpected("connect: " + ec.message());
  }
  http::request<http::string_body> request{http::verb::post, url.path, 11};
  request.set(http::field::host, url.endpoint.host + ":" + std::to_string(url.endpoint.port));
  request.set(http::field::content_type, "application/json");
  request.set(http::field::user_agent, "awared");
  request.keep_alive(false);
  request.body() = std::move(body);
  request.prepare_payload();
  co_await http::async_write(stream, request, net::redirect_error(use_awaitable, ec));
  if (ec) {
    co_return tl::make_unexpected("write: " + ec.message());
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);
  co_await http::async_read(stream, buffer, parser, net::redirect_error(use_awaitable, ec));
  if (ec) {
    co_return tl::make_unexpected("read: " + ec.message());
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  co_return static_cast<int>(parser.get().result_int());
}

}  // namespace aware::netio
