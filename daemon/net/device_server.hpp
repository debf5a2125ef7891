// device_server.hpp — the TCP listener for X-Mark devices and its per-connection sessions.
//
// Each connection is one coroutine on the network thread: read with a deadline, decode frames
// (wire::FrameDecoder), run the protocol (ingest::DeviceProtocol), and for an activation ask the
// DeviceHandler to match and durably store it (the consoles may see it before the commit's
// fsync); only then hand the stored incident on for the rest of dispatch and write the Ack,
// with the commands that dispatch queued for this connection behind it in the same write. A
// protocol or framing error ends only that connection.
// With a TLS context (DeviceTls) each session first completes a mutual TLS 1.3 handshake within
// handshake_timeout; the device id its verified certificate names must be registered
// (DeviceHandler::registered) and is the only id the connection may say Hello as. Without one
// (insecure_dev) the link is plain TCP, as before.
// THREAD SAFETY: everything here runs on the io_context's single network thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/alert.hpp"
#include "core/pipeline_metrics.hpp"
#include "core/supervision.hpp"
#include "core/types.hpp"
#include "net/asio.hpp"
#include "net/listener.hpp"
#include "net/tls.hpp"

namespace aware::netio {

// What the store stage made of an activation.
struct StoredActivation {
  bool stored = false;        // durably committed (or an exact duplicate of a committed one)
  bool duplicate = false;     // the same (device, boot_epoch, seq) was stored before
  bool restarted = false;     // the device's boot epoch changed since its last activation
  core::ActivationEffect effect = core::ActivationEffect::opened;  // what it did
  core::MessageKey key;       // the activation's own key (device, boot epoch, seq)
  core::Incident incident;    // the incident it went to, as it now is (id 0: none)
  bool shown = false;         // the consoles were shown it before the commit
  std::optional<core::Alert> alert;    // a PAC alert stored with it (a proefmelding's)
  std::optional<core::Notice> notice;  // the case workers' notice stored with it
  std::string error;          // why it was not stored, when !stored
};

// What the store stage made of a position update.
struct StoredPosition {
  bool ok = false;                         // committed, or nothing to store: Ack it
  std::optional<core::Incident> incident;  // the incident whose track it joined, if any
  std::string error;                       // why it could not be stored, when !ok
};

// What the store stage made of a heartbeat.
struct StoredHeartbeat {
  bool ok = false;                         // committed: Ack it
  std::string error;                       // why it could not be stored, when !ok
};

// Implemented by app/: the path from ingest to store and on to dispatch.
class DeviceHandler {
 public:
  virtual ~DeviceHandler() = default;
  // Matches and durably stores an activation. Completes on the caller's executor.
  virtual awaitable<StoredActivation> store(core::Activation activation) = 0;
  // Called once the activation is durable, right before its Ack is written, to dispatch the
  // incident: to the consoles unless they were shown it before the commit (`shown`), commands
  // to the device (on this connection they go out in the Ack's write, behind the Ack),
  // escalation timers, PAC alerts and case-worker notices.
  virtual void acked(const StoredActivation& stored) = 0;
  // Appends a validated position to the device's open incident, durably (nothing is stored
  // when none is open). Completes on the caller's executor.
  virtual awaitable<StoredPosition> store_position(core::MessageKey key, core::GeoFix fix) = 0;
  // Called after a position update has been acked, to dispatch the changed incident.
  virtual void position_acked(const StoredPosition& stored) = 0;
  // Notes a heartbeat (supervision: last heard, battery), durably. Completes on the caller's
  // executor; the effects (alerts, notices) are published by the handler.
  virtual awaitable<StoredHeartbeat> store_heartbeat(core::MessageKey key,
                                                     core::HealthReport report) = 0;
  // Whether `device_id` is a registered (active) device: a TLS client certificate naming any
  // other id is refused. Called on the network thread; must not block (read a snapshot).
  virtual bool registered(std::string_view device_id) = 0;
  // For GET /metrics: an Ack of `what` / a Nack with its v1::NackReason is about to be written
  // to the device. Network thread; must be cheap (a counter).
  virtual void count_ack(core::AckedMessage what) = 0;
  virtual void count_nack(int reason) = 0;
};

// The device link's transport security, built once at start-up (app/).
struct DeviceTls {
  std::shared_ptr<ssl::context> context;           // nullptr: plain TCP ([tls] insecure_dev)
  std::chrono::seconds handshake_timeout{10};      // a handshake must finish within this
  std::shared_ptr<AcceptPacer> pacer;              // the TLS listeners' shared pace; null = none
  TlsRefusals* refusals = nullptr;                 // told of each refused connection (audit)
};

class DeviceSession;

class DeviceServer {
 public:
  DeviceServer(net::io_context& io, const core::DeviceConfig& config, DeviceHandler& handler,
               DeviceTls tls = {});
  ~DeviceServer();

  // Binds and listens; throws boost::system::system_error when the address cannot be bound.
  void start();
  // Stops accepting and closes every connection (in-flight stores still complete).
  void stop();

  [[nodiscard]] tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  [[nodiscard]] std::size_t connection_count() const { return sessions_.size(); }

  // Queues a framed ServerMessage (a Command) for the connection that speaks for `device_id`
  // (the one whose Hello came last). False when the device is not connected or that
  // connection's send queue is full; the frame is then dropped.
  bool send_to_device(const std::string& device_id, std::string frame);

  // Called by a session whose Hello was accepted: it now speaks for `device_id` (and no longer
  // for `previous_id`, when it had said Hello before).
  void bind(const std::string& previous_id, const std::string& device_id, DeviceSession* session);
  // Called by a session when it ends; `device_id` is the one it was bound to ("" if none).
  void forget(DeviceSession* session, const std::string& device_id);

 private:
  void adopt(tcp::socket socket);  // starts a session for a new connection (or refuses it)

  net::io_context& io_;
  const core::DeviceConfig& config_;
  DeviceHandler& handler_;
  DeviceTls tls_;                       // shared by every session; context nullptr = plain
  tcp::acceptor acceptor_;
  std::set<DeviceSession*> sessions_;   // live sessions (each owned by its coroutine)
  std::map<std::string, DeviceSession*> by_device_;  // device id -> session of its latest Hello
  bool stopping_ = false;
};

}  // namespace aware::netio
