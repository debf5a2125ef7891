// http_call.cpp — see http_call.hpp.
#include <utility>  // first: GCC 12 + Boost 1.74

#include "http_call.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <string_view>

#include "client_tls.hpp"

namespace aware::awarectl {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::uint64_t kMaxResponseBytes = 1ULL << 30;  // an export of a large registry

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Resolves and connects `stream`'s TCP layer, runs `secure(stream, next)` (nothing for plain
// HTTP, the TLS handshake for HTTPS), then writes `request` and reads the response into
// `parser`. `fail(what, ec)` records the first failure. The caller runs the io_context.
template <class Stream, class Secure, class Fail>
void exchange(Stream& stream, tcp::resolver& resolver, const std::string& host, std::uint16_t port,
              http::request<http::string_body>& request, beast::flat_buffer& buffer,
              http::response_parser<http::string_body>& parser, Secure secure, Fail fail,
              HttpResult& result) {
  auto send = [&, fail](beast::error_code ec) {
    if (ec) {
      return;  // `secure` reported it
    }
    http::async_write(stream, request, [&, fail](beast::error_code ec3, std::size_t) {
      // A server that refuses a body (413) may answer before reading all of it; read the
      // response even when the write failed part-way.
      http::async_read(stream, buffer, parser, [&, ec3, fail](beast::error_code ec4, std::size_t) {
        if (ec4) {
          return fail(ec3 ? "cannot send to" : "no response from", ec3 ? ec3 : ec4);
        }
        result.ok = true;
        result.status = parser.get().result_int();
        result.body = parser.get().body();
      });
    });
  };
  resolver.async_resolve(host, std::to_string(port), [&, send, secure, fail](
                                                          beast::error_code ec,
                                                          tcp::resolver::results_type results) {
    if (ec) {
      return fail("cannot resolve", ec);
    }
    beast::get_lowest_layer(stream).async_connect(
        results, [&, send, secure, fail](beast::error_code ec2, const tcp::endpoint&) {
          if (ec2) {
            return fail("cannot connect to", ec2);
          }
          secure(send);
        });
  });
}

}  // namespace

HttpResult http_call(const std::string& host, std::uint16_t port, const std::string& method,
                     const std::string& target, const std::string& body,
                     std::chrono::seconds timeout, const Headers& headers,
                     const std::string& ca_file) {
  HttpResult result;
  std::shared_ptr<net::ssl::context> tls;
  if (!ca_file.empty()) {
    auto made = console::client_tls_context(ca_file);
    if (!made) {
      result.failure = made.error();
      return result;
    }
    tls = std::move(*made);
  }
  net::io_context io;
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
  const std::string where = host + ":" + std::to_string(port);
  auto fail = [&](const char* what, const beast::error_code& ec) {
    result.failure = std::string(what) + " " + where + ": " + ec.message();
    const std::string_view step = what;
    const bool after_connect = step == "cannot send to" || step == "no response from";
    if (!tls && after_connect && ec != beast::error::timeout) {
      result.failure += std::string(" (") + console::kTlsHint + ")";
    }
  };
  if (tls) {
    TlsStream stream{io, *tls};
    if (!console::expect_server(stream.native_handle(), host)) {
      result.failure = "cannot check the server certificate against \"" + host + "\"";
      return result;
    }
    // One deadline for the whole exchange: each step gets what is left of it.
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto handshake = [&](auto next) {
      stream.async_handshake(net::ssl::stream_base::client, [&, next](beast::error_code ec) {
        if (ec) {
          result.failure = "TLS with " + where + ": " +
                           console::tls_handshake_failure(stream.native_handle(), ec);
        }
        next(ec);
      });
    };
    exchange(stream, resolver, host, port, request, buffer, parser, handshake, fail, result);
    io.run();
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    return result;
  }
  beast::tcp_stream stream{io};
  stream.expires_after(timeout);
  auto plain = [](auto next) { next(beast::error_code{}); };
  exchange(stream, resolver, host, port, request, buffer, parser, plain, fail, result);
  io.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return result;
}

}  // namespace aware::awarectl
