// webhook_serve.hpp — the one-request HTTP server of WebhookReceiver (raw_clients.hpp), over a
// plain socket (raw_clients.cpp) or a TLS stream (tls_clients.cpp). Beast: include it only in
// those two files.
#pragma once

#include <optional>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "raw_clients.hpp"

namespace aware::systest {

// Reads one request from `stream` and answers `status`; nullopt when the read fails.
template <typename Stream>
std::optional<WebhookReceiver::Request> serve_webhook(Stream& stream, unsigned status) {
  namespace http = boost::beast::http;
  boost::system::error_code ec;
  boost::beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::read(stream, buffer, request, ec);
  if (ec) {
    return std::nullopt;
  }
  http::response<http::string_body> response{static_cast<http::status>(status), 11};
  response.keep_alive(false);
  response.prepare_payload();
  http::write(stream, response, ec);
  return WebhookReceiver::Request{std::string(request.target()),
                                  std::string(request[http::field::content_type]), request.body()};
}

}  // namespace aware::systest
