// http_call.cpp — see http_call.hpp.
#include <utility>  // first: GCC 12 + Boost 1.74

#include "http_call.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace aware::awarectl {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::uint64_t kMaxResponseBytes = 1ULL << 30;  // an export of a large registry

}  // namespace

HttpResult http_call(const std::string& host, std::uint16_t port, const std::string& method,
                     const std::string& target, const std::string& body,
                     std::chrono::seconds timeout, const Headers& headers) {
  HttpResult result;
  net::io_context io;
  beast::tcp_stream stream{io};
  tcp::resolver resolver{io};
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, host);
  request.set(http::field::user_agent, "awarectl");
  request.set(http::field::accept, "application/json");
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  auto fail = [&](const char* what, const beast::error_code& ec) {
    result.failure = std::string(what) + " " + host + ":" + std::to_string(port) + ": " +
                     ec.message();
  };
  // One deadline for the whole exchange: each step gets what is left of it.
  stream.expires_after(timeout);
  resolver.async_resolve(host, std::to_string(port), [&](beast::error_code ec,
                                                          tcp::resolver::results_type results) {
    if (ec) {
      return fail("cannot resolve", ec);
    }
    stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2) {
        return fail("cannot connect to", ec2);
      }
      http::async_write(stream, request, [&](beast::error_code ec3, std::size_t) {
        // A server that refuses a body (413) may answer before reading all of it; read the
        // response even when the write failed part-way.
        http::async_read(stream, buffer, parser, [&, ec3](beast::error_code ec4, std::size_t) {
          if (ec4) {
            return fail(ec3 ? "cannot send to" : "no response from", ec3 ? ec3 : ec4);
          }
          result.ok = true;
          result.status = parser.get().result_int();
          result.body = parser.get().body();
        });
      });
    });
  });
  io.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return result;
}

}  // namespace aware::awarectl
