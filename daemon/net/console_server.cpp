// console_server.cpp — HTTP accept loop, the TLS handshake of HTTPS connections, /healthz,
// /metrics (the ConsoleHandler decides access; the peer's address is read here), the /api/v1
// routing to the ApiHandler, and the upgrade to a console WebSocket.
#include "net/console_server.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <boost/beast/ssl.hpp>

#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/web_policy.hpp"
#include "dispatch/feeds.hpp"
#include "net/console_session.hpp"
#include "net/listener.hpp"
#include "net/static_files.hpp"
#include "net/ws_bearer.hpp"

namespace aware::netio {

namespace http = beast::http;

namespace {

using Response = http::response<http::string_body>;

// `text` as a JSON string literal (our own error texts: quotes, backslashes, no control chars).
std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out + "\"";
}

Response json_response(unsigned version, bool keep_alive, http::status status, std::string body) {
  Response r{status, version};
  r.keep_alive(keep_alive);
  r.set(http::field::server, "awared");
  r.set(http::field::content_type, "application/json");
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

// GET /metrics: the text on 200, else the handler's JSON refusal (401 asks for a bearer token).
Response metrics_response(unsigned version, bool keep_alive, MetricsAnswer answer) {
  if (answer.status != 200) {
    auto r = json_response(version, keep_alive, static_cast<http::status>(answer.status),
                           std::move(answer.body));
    if (answer.status == 401) {
      r.set(http::field::www_authenticate, "Bearer");
    }
    return r;
  }
  Response r{http::status::ok, version};
  r.keep_alive(keep_alive);
  r.set(http::field::server, "awared");
  r.set(http::field::content_type, std::string(core::TextWriter::kContentType));
  r.set(http::field::cache_control, "no-store");
  r.body() = std::move(answer.body);
  r.prepare_payload();
  return r;
}

// Whether the peer of `socket` has a loopback address (false when it already left).
bool peer_is_loopback(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) {
    return false;
  }
  const auto addr = ep.address();
  return addr.is_loopback() ||
         (addr.is_v6() && addr.to_v6().is_v4_mapped() &&
          addr.to_v6().to_v4().is_loopback());
}

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Answers 413 and closes gracefully: stop sending, then read and drop what the peer is still
// sending (bounded by the deadline) so it sees the response instead of a reset. Over TLS the
// dropped bytes are read below the TLS layer: their content does not matter.
template <class Stream>
awaitable<void> refuse_too_large(Stream& stream, unsigned version, std::chrono::seconds deadline,
                                 std::size_t limit) {
  auto response = json_response(
      version, false, http::status::payload_too_large,
      "{\"error\":\"body: larger than the limit of " + std::to_string(limit) + " bytes\"}");
  boost::system::error_code ec;
  auto& tcp_layer = beast::get_lowest_layer(stream);
  tcp_layer.expires_after(deadline);
  co_await http::async_write(stream, response, net::redirect_error(use_awaitable, ec));
  if (ec) {
    co_return;
  }
  tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> sink{};
  while (!ec) {
    co_await tcp_layer.async_read_some(net::buffer(sink), net::redirect_error(use_awaitable, ec));
  }
}

// The answer to GET/HEAD of a web console asset (issue 7): the file under web_root, or 404.
// A file read is blocking but bounded (max_asset_bytes, from a local disk); the console's
// assets are a handful of small files loaded once per page.
Response static_response(const core::MeldkamerConfig& config, const std::string& target,
                         unsigned version, bool keep_alive, bool head) {
  auto file = resolve_static(target);
  if (!file) {
    return json_response(version, keep_alive, http::status::not_found,
                         "{\"error\":\"not found\"}");
  }
  auto body = read_asset(config.web_root, file->path, config.max_asset_bytes);
  if (!body) {
    if (body.error() != std::strerror(ENOENT)) {
      core::log("net")->warn("AWR-5010 web asset {} not served: {}", file->path, body.error());
    }
    return json_response(version, keep_alive, http::status::not_found,
                         "{\"error\":\"not found\"}");
  }
  Response r{http::status::ok, version};
  r.keep_alive(keep_alive);
  r.set(http::field::server, "awared");
  r.set(http::field::content_type, std::string(file->content_type));
  r.set("Content-Security-Policy", core::content_security_policy(core::tile_origin(config.tile_url)));
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  r.set(http::field::cache_control, "no-cache");
  const auto size = body->size();
  if (!head) {
    r.body() = std::move(*body);
  }
  r.content_length(size);
  return r;
}

// A cross-site request from a browser (issue 7): a WebSocket upgrade, or a REST call that may
// change something (any method but GET/HEAD), whose Origin header is present and not the page's
// own origin (the port's scheme and the Host) is refused with 403 before anything else.
bool origin_acceptable(const http::request<http::string_body>& request, bool tls) {
  const std::string target{request.target()};
  const bool guarded = beast::websocket::is_upgrade(request) ||
                       (target.starts_with("/api/") && request.method() != http::verb::get &&
                        request.method() != http::verb::head);
  const std::string origin{request[http::field::origin]};
  const std::string host{request[http::field::host]};
  if (!guarded || core::origin_allowed(origin, host, tls)) {
    return true;
  }
  constexpr std::size_t kMaxLogged = 128;
  core::log("net")->warn("AWR-5020 {} {} refused: Origin {} is not this console's origin",
                         std::string(request.method_string()), target.substr(0, kMaxLogged),
                         origin.substr(0, kMaxLogged));
  return false;
}

// "ADDRESS:PORT" of the peer of `socket`, for log lines ("unknown" when it already left).
std::string peer_text(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) {
    return "unknown";
  }
  const auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" +
         std::to_string(ep.port());
}

// The peer's address alone ("" when it already left; an IPv4-mapped IPv6 address as plain
// IPv4), for the login limits and their log lines.
std::string peer_address(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) {
    return {};
  }
  const auto addr = ep.address();
  return addr.is_v6() && addr.to_v6().is_v4_mapped() ? addr.to_v6().to_v4().to_string()
                                                      : addr.to_string();
}

}  // namespace

ConsoleServer::ConsoleServer(net::io_context& io, const core::MeldkamerConfig& config,
                             ConsoleHandler& handler, ApiHandler& api, ConsoleTls tls)
    : io_{io}, config_{config}, handler_{handler}, api_{api}, tls_{std::move(tls)}, acceptor_{io} {}

ConsoleServer::~ConsoleServer() = default;

void ConsoleServer::start() {
  listen_on(acceptor_, config_.listen);
  net::co_spawn(io_,
                accept_loop(acceptor_, &stopping_,
                            [this](tcp::socket s) {
                              if (tls_.context) {
                                net::co_spawn(io_, serve_tls(std::move(s)),
                                              log_session_error("net", "AWR-5099 HTTPS"));
                              } else {
                                beast::tcp_stream plain{std::move(s)};
                                net::co_spawn(io_, serve_http(std::move(plain)),
                                              log_session_error("net", "AWR-5099 HTTP"));
                              }
                            },
                            "AWR-5003 console", tls_.pacer.get(), "meldkamer"),
                net::detached);
}

std::size_t ConsoleServer::close_if(const std::function<bool(const core::Principal&)>& pred) {
  std::vector<dispatch::ConsoleSink*> chosen;
  for (auto* s : sessions_) {
    if (const auto* who = s->principal(); who != nullptr && pred(*who)) {
      chosen.push_back(s);
    }
  }
  for (auto* s : chosen) {
    s->close();  // may forget() itself: hence the copy
  }
  return chosen.size();
}

ConsoleServer::SessionStats ConsoleServer::session_stats() const {
  SessionStats stats;
  for (const auto* s : sessions_) {
    const auto feed = static_cast<std::size_t>(s->feed());
    if (feed < stats.by_feed.size()) {
      ++stats.by_feed[feed];
    }
    stats.queued += s->queued();
  }
  return stats;
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

awaitable<void> ConsoleServer::serve_tls(tcp::socket socket) {
  const std::string peer = peer_text(socket);
  TlsStream stream{std::move(socket), *tls_.context};
  beast::get_lowest_layer(stream).expires_after(tls_.handshake_timeout);
  boost::system::error_code ec;
  co_await stream.async_handshake(ssl::stream_base::server,
                                  net::redirect_error(use_awaitable, ec));
  if (ec) {
    const std::string reason =
        ec == beast::error::timeout
            ? "not finished within " + std::to_string(tls_.handshake_timeout.count()) + " s"
            : handshake_failure(stream.native_handle(), ec);
    core::log("net")->warn("AWR-5006 console TLS handshake from {} refused: {}", peer, reason);
    if (tls_.refusals != nullptr) {
      tls_.refusals->tls_refused("meldkamer", peer, "", "TLS handshake refused: " + reason);
    }
    co_return;
  }
  co_await serve_http(std::move(stream));
}

template <class Stream>
awaitable<void> ConsoleServer::serve_http(Stream stream) {
  beast::flat_buffer buffer{8192};
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(8192);
    // The header decides the cap (imports may be larger); until then allow the larger one.
    parser.body_limit(std::max(config_.max_message_bytes, config_.max_import_bytes));
    beast::get_lowest_layer(stream).expires_after(config_.request_timeout);
    boost::system::error_code ec;
    co_await http::async_read_header(stream, buffer, parser,
                                     net::redirect_error(use_awaitable, ec));
    if (ec == http::error::body_limit) {
      co_await refuse_too_large(stream, 11, config_.request_timeout, config_.max_import_bytes);
      co_return;
    }
    if (ec) {
      co_return;  // timeout, oversized header, or the peer left
    }
    const std::string target{parser.get().target()};
    const std::size_t limit =
        ApiHandler::is_import(target) ? config_.max_import_bytes : config_.max_message_bytes;
    const unsigned version = parser.get().version();
    if (parser.content_length() && *parser.content_length() > limit) {
      co_await refuse_too_large(stream, version, config_.request_timeout, limit);
      co_return;
    }
    parser.body_limit(limit);
    co_await http::async_read(stream, buffer, parser, net::redirect_error(use_awaitable, ec));
    if (ec == http::error::body_limit) {
      co_await refuse_too_large(stream, version, config_.request_timeout, limit);
      co_return;
    }
    if (ec) {
      co_return;
    }
    auto request = parser.release();
    if (!origin_acceptable(request, tls_.context != nullptr)) {
      auto refusal = json_response(version, false, http::status::forbidden,
                                   "{\"error\":\"Origin is not this console's origin\"}");
      beast::get_lowest_layer(stream).expires_after(config_.request_timeout);
      co_await http::async_write(stream, refusal, net::redirect_error(use_awaitable, ec));
      co_return;
    }
    if (beast::websocket::is_upgrade(request)) {
      auto feed = dispatch::parse_feed_target(target);
      if (stopping_) {
        co_return;
      }
      // A browser signs in with the subprotocol offer "awared.v1, awared.bearer.<token>"
      // (ws_bearer.hpp); an Authorization header wins.
      const std::string protocols{request[http::field::sec_websocket_protocol]};
      auto offer = parse_bearer_offer(protocols);
      if (feed && *feed && !offer) {
        auto refusal = json_response(version, false, http::status::bad_request,
                                     "{\"error\":" + json_quote(offer.error()) + "}");
        beast::get_lowest_layer(stream).expires_after(config_.request_timeout);
        co_await http::async_write(stream, refusal, net::redirect_error(use_awaitable, ec));
        co_return;
      }
      if (feed && *feed) {
        // Named, not temporaries: GCC 12 mis-destroys temporaries in a co_await.
        auto asked = std::move(**feed);
        const std::string header{request[http::field::authorization]};
        std::string authorization = effective_authorization(header, *offer);
        const bool answer_v1 = offer->offers_v1;
        auto admission = co_await handler_.admit(std::move(asked), std::move(authorization));
        if (stopping_) {
          co_return;
        }
        if (admission.status != 0) {
          auto refusal = json_response(version, false,
                                       static_cast<http::status>(admission.status),
                                       "{\"error\":" + json_quote(admission.error) + "}");
          if (admission.status == 401) {
            refusal.set(http::field::www_authenticate, "Bearer");
          }
          beast::get_lowest_layer(stream).expires_after(config_.request_timeout);
          co_await http::async_write(stream, refusal, net::redirect_error(use_awaitable, ec));
          co_return;
        }
        auto session = std::make_shared<ConsoleSession<Stream>>(
            std::move(stream), config_, handler_, *this, std::move(admission.target),
            std::move(admission.principal));
        co_await session->run(std::move(request), answer_v1);
        co_return;
      }
      // No such feed (404), or its parameters are wrong (400): answered like any request.
    }
    const bool keep_alive = request.keep_alive();
    Response response;
    if (beast::websocket::is_upgrade(request)) {
      auto feed = dispatch::parse_feed_target(target);
      response = feed ? json_response(version, false, http::status::bad_request,
                                      "{\"error\":" + json_quote(feed->error()) + "}")
                      : json_response(version, false, http::status::not_found,
                                      "{\"error\":\"no such feed\"}");
    } else if (target.rfind("/api/", 0) == 0) {
      // A named request, not a temporary: GCC 12 mis-destroys temporaries in a co_await.
      ApiRequest api_request{std::string(request.method_string()), target,
                             std::move(request.body()),
                             std::string(request[http::field::authorization]),
                             std::string(request["X-Justification"]),
                             peer_address(beast::get_lowest_layer(stream).socket())};
      auto answer = co_await api_.handle(std::move(api_request));
      response = json_response(version, keep_alive, static_cast<http::status>(answer.status),
                               std::move(answer.body));
      if (!answer.allow.empty()) {
        response.set(http::field::allow, answer.allow);
      }
    } else if ((target == "/metrics" || target.starts_with("/metrics?")) &&
               request.method() == http::verb::get) {
      const bool loopback = peer_is_loopback(beast::get_lowest_layer(stream).socket());
      response = metrics_response(
          version, keep_alive,
          handler_.metrics(std::string(request[http::field::authorization]), loopback));
    } else if (target == "/metrics" || target.starts_with("/metrics?")) {
      response = json_response(version, keep_alive, http::status::method_not_allowed,
                               "{\"error\":\"only GET\"}");
      response.set(http::field::allow, "GET");
    } else if (target == "/healthz" &&
               (request.method() == http::verb::get || request.method() == http::verb::head)) {
      response = json_response(version, keep_alive, http::status::ok, handler_.health());
    } else if (target == "/healthz") {
      response = json_response(version, keep_alive, http::status::method_not_allowed,
                               "{\"error\":\"only GET\"}");
      response.set(http::field::allow, "GET, HEAD");
    } else if (!config_.web_root.empty() && is_static_target(target) &&
               (request.method() == http::verb::get || request.method() == http::verb::head)) {
      response = static_response(config_, target, version, keep_alive,
                                 request.method() == http::verb::head);
    } else if (!config_.web_root.empty() && is_static_target(target)) {
      response = json_response(version, keep_alive, http::status::method_not_allowed,
                               "{\"error\":\"only GET\"}");
      response.set(http::field::allow, "GET, HEAD");
    } else {
      response = json_response(version, keep_alive, http::status::not_found,
                               "{\"error\":\"not found\"}");
    }
    beast::get_lowest_layer(stream).expires_after(config_.request_timeout);
    co_await http::async_write(stream, response, net::redirect_error(use_awaitable, ec));
    if (ec || !response.keep_alive()) {
      co_return;
    }
  }
}

}  // namespace aware::netio
