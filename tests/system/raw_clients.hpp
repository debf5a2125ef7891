// raw_clients.hpp — protocol-level peers for the dispatch system tests: Device, a device on a
// raw TCP connection (Hello on construction, then activations, positions, heartbeats; reads
// ServerMessages), WebhookReceiver, a plain-HTTP case-worker webhook, and Centralist, a small
// synchronous WebSocket console whose reads have a socket receive timeout (every wait has a
// deadline). Only test code uses them. The Beast parts live in raw_clients.cpp, compiled once,
// so the many test files including this header stay quick to compile.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "device.pb.h"
#include "harness.hpp"

namespace aware::systest {

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
  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;
  [[nodiscard]] std::uint16_t port() const;

  // Accepts the next connection, reads one request and answers `status`. Returns the request
  // (target and body), or nullopt when none came before the deadline.
  struct Request {
    std::string target;
    std::string content_type;
    std::string body;
  };
  std::optional<Request> next(unsigned status);

  // The descriptor of the next connection (reads on it time out after kWait; the caller closes
  // it), or -1 when none came in time.
  int accept_next();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A centralist on a raw WebSocket: sends requests and reads the feed (e.g. to close).
// `target` is the request target, e.g. "/ws/meldkamer?regions=amsterdam".
class Centralist {
 public:
  // Signs in as the user `name` (added on first use, with the role `target` needs: see
  // harness.hpp, "Sessions"); throws when the upgrade is refused.
  Centralist(std::uint16_t port, std::string name, const std::string& target = "/ws/meldkamer");
  // Signs in with `token` ("" = no Authorization header).
  Centralist(std::uint16_t port, std::string name, const std::string& target,
             const std::string& token);
  ~Centralist();
  Centralist(const Centralist&) = delete;
  Centralist& operator=(const Centralist&) = delete;

  // Accepts `id`, waits until awared confirms it, then closes it with `outcome`. False when a
  // step fails or a read passes its deadline.
  bool accept_and_close(const std::string& id, const std::string& outcome);
  // Sends one ConsoleRequest (JSON mapping).
  void send(const nlohmann::json& request);
  // The next ConsoleFeed, parsed; nullopt on a read error or at the deadline.
  std::optional<nlohmann::json> next();
  // Reads until awared ends the connection: true when it did (a close frame, EOF or a reset)
  // before a read passed its deadline.
  bool ended_by_server();
  // Reads feeds until one passes `accept`; nullopt when the connection fails first.
  std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& accept);

 private:
  struct Impl;
  std::string name_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aware::systest
