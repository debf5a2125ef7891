// raw_clients.hpp — protocol-level peers for the dispatch system tests: Device, a device on a
// raw TCP connection (Hello on construction, then activations, positions, heartbeats; reads
// ServerMessages), and Centralist, a small synchronous Beast WebSocket console whose reads have
// a socket receive timeout (every wait has a deadline). Header-only: only test code uses them.
#pragma once

#include <utility>

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <functional>
#include <optional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "device.pb.h"
#include "harness.hpp"

namespace aware::systest {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
namespace http = boost::beast::http;

// A device on a raw connection: Hello on construction, then whatever the test sends.
class Device {
 public:
  Device(std::uint16_t port, const std::string& id) : conn_{port} {
    v1::DeviceMessage m;
    m.mutable_hello()->set_device_id(id);
    m.mutable_hello()->set_protocol_version(1);
    m.mutable_hello()->set_boot_epoch(1);
    send(m);
  }
  // An alarm with a GPS fix at (lat, lon); by default in Utrecht (demo region
  // midden-nederland).
  void press(std::uint64_t seq, double lat = 52.0908, double lon = 5.1215,
             v1::Trigger trigger = v1::TRIGGER_ALARM) {
    v1::DeviceMessage m;
    m.mutable_activation()->set_seq(seq);
    m.mutable_activation()->set_trigger(trigger);
    m.mutable_activation()->mutable_fix()->set_lat(lat);
    m.mutable_activation()->mutable_fix()->set_lon(lon);
    m.mutable_activation()->mutable_fix()->set_source(v1::FIX_SOURCE_GPS);
    send(m);
  }
  void position(std::uint64_t seq, double lat, double lon) {
    v1::DeviceMessage m;
    m.mutable_position()->set_seq(seq);
    m.mutable_position()->mutable_fix()->set_lat(lat);
    m.mutable_position()->mutable_fix()->set_lon(lon);
    m.mutable_position()->mutable_fix()->set_accuracy_m(8);
    m.mutable_position()->mutable_fix()->set_source(v1::FIX_SOURCE_GPS);
    send(m);
  }
  void heartbeat(std::uint64_t seq, std::uint32_t battery_pct = 90) {
    v1::DeviceMessage m;
    m.mutable_heartbeat()->set_seq(seq);
    m.mutable_heartbeat()->set_battery_pct(battery_pct);
    send(m);
  }
  // The next ServerMessage; an empty one (no body) when none came before the deadline.
  v1::ServerMessage next() {
    v1::ServerMessage reply;
    if (auto bytes = conn_.read_frame()) {
      reply.ParseFromString(*bytes);
    }
    return reply;
  }

 private:
  void send(const v1::DeviceMessage& m) {
    const auto body = m.SerializeAsString();
    std::string out;
    for (auto v = body.size(); ; ) {
      const auto low = static_cast<char>(v & 0x7fU);
      v >>= 7;
      out.push_back(v != 0 ? static_cast<char>(low | 0x80) : low);
      if (v == 0) {
        break;
      }
    }
    conn_.send(out + body);
  }
  RawConnection conn_;
};

// A plain-HTTP endpoint standing in for a case-worker webhook: the test accepts one request at
// a time and answers it with the status it chooses. Every wait has the harness deadline.
// (Over TLS: tls_clients.hpp, next_over_tls.)
class WebhookReceiver {
 public:
  WebhookReceiver() : acceptor_{io_, {asio::ip::make_address("127.0.0.1"), 0}} {}
  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  // Accepts the next connection, reads one request and answers `status`. Returns the request
  // (target and body), or nullopt when none came before the deadline.
  struct Request {
    std::string target;
    std::string content_type;
    std::string body;
  };
  std::optional<Request> next(unsigned status) {
    auto socket = accept_next();
    if (!socket) {
      return std::nullopt;
    }
    return serve(*socket, status);
  }

  // The next connection (reads on it time out after kWait), or nullopt when none came in time.
  std::optional<asio::ip::tcp::socket> accept_next() {
    pollfd p{acceptor_.native_handle(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(kWait).count())) != 1) {
      return std::nullopt;
    }
    asio::ip::tcp::socket socket{io_};
    boost::system::error_code ec;
    acceptor_.accept(socket, ec);
    if (ec) {
      return std::nullopt;
    }
    timeval tv{static_cast<time_t>(kWait.count()), 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return socket;
  }

  // Reads one request from `stream` (a socket, or a TLS stream over one) and answers `status`.
  template <typename Stream>
  static std::optional<Request> serve(Stream& stream, unsigned status) {
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
    return Request{std::string(request.target()),
                   std::string(request[http::field::content_type]), request.body()};
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
};

// A centralist on a raw WebSocket: sends requests and reads the feed (e.g. to close).
// `target` is the request target, e.g. "/ws/meldkamer?regions=amsterdam".
class Centralist {
 public:
  // Signs in as the user `name` (added on first use, with the role `target` needs: see
  // harness.hpp, "Sessions"); throws when the upgrade is refused.
  Centralist(std::uint16_t port, std::string name, const std::string& target = "/ws/meldkamer")
      : Centralist(port, name, target, token_for(port, user_for_target(name, target))) {}
  // Signs in with `token` ("" = no Authorization header).
  Centralist(std::uint16_t port, std::string name, const std::string& target,
             const std::string& token)
      : name_{std::move(name)}, ws_{io_} {
    asio::ip::tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
    ws_.next_layer().connect(ep);
    timeval tv{static_cast<time_t>(kWait.count()), 0};
    ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
      if (!token.empty()) {
        req.set(http::field::authorization, "Bearer " + token);
      }
    }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), target);
  }
  // Accepts `id`, waits until awared confirms it, then closes it with `outcome`. False when a
  // step fails or a read passes its deadline.
  bool accept_and_close(const std::string& id, const std::string& outcome) {
    send(nlohmann::json{{"accept", {{"incidentId", id}, {"centralist", name_}}}});
    for (int frames = 0; frames < 100; ++frames) {
      const auto feed = next();
      if (!feed) {
        return false;
      }
      if (!feed->contains("update")) {
        continue;
      }
      const auto& incident = (*feed)["update"]["incident"];
      if (incident["id"] == id && incident["state"] == "INCIDENT_STATE_ACCEPTED" &&
          incident.value("acceptedBy", "") == name_) {
        send(nlohmann::json{{"close",
                             {{"incidentId", id},
                              {"centralist", name_},
                              {"outcome", outcome},
                              {"note", "systeemtest"}}}});
        return true;
      }
    }
    return false;
  }

  // Sends one ConsoleRequest (JSON mapping).
  void send(const nlohmann::json& request) {
    ws_.text(true);
    ws_.write(asio::buffer(request.dump()));
  }
  // The next ConsoleFeed, parsed; nullopt on a read error or at the deadline.
  std::optional<nlohmann::json> next() {
    boost::beast::flat_buffer buffer;
    boost::system::error_code ec;
    ws_.read(buffer, ec);
    if (ec) {
      return std::nullopt;
    }
    return nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()), nullptr, false);
  }
  // Reads until awared ends the connection: true when it did (a close frame, EOF or a reset)
  // before a read passed its deadline.
  bool ended_by_server() {
    for (int frames = 0; frames < 1000; ++frames) {
      boost::beast::flat_buffer buffer;
      boost::system::error_code ec;
      ws_.read(buffer, ec);
      if (ec) {
        return ec != asio::error::would_block && ec != asio::error::try_again &&
               ec != asio::error::timed_out;
      }
    }
    return false;
  }
  // Reads feeds until one passes `accept`; nullopt when the connection fails first.
  std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& accept) {
    for (int frames = 0; frames < 100; ++frames) {
      auto feed = next();
      if (!feed || accept(*feed)) {
        return feed;
      }
    }
    return std::nullopt;
  }

 private:
  std::string name_;
  asio::io_context io_;
  websocket::stream<asio::ip::tcp::socket> ws_;
};

}  // namespace aware::systest
