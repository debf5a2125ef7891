// device_server.hpp — the TCP listener for X-Mark devices and its per-connection sessions.
//
// Each connection is one coroutine on the network thread: read with a deadline, decode frames
// (wire::FrameDecoder), run the protocol (ingest::DeviceProtocol), and for an activation ask the
// DeviceHandler to match and durably store it; only then write the Ack, then hand the stored
// incident on for dispatch. A protocol or framing error ends only that connection.
// THREAD SAFETY: everything here runs on the io_context's single network thread.
#pragma once

#include <cstddef>
#include <memory>
#include <set>
#include <string>

#include "core/config.hpp"
#include "core/types.hpp"
#include "net/asio.hpp"

namespace aware::netio {

// What the store stage made of an activation.
struct StoredActivation {
  bool stored = false;        // durably committed (or an exact duplicate of a committed one)
  bool duplicate = false;     // the same (device, boot_epoch, seq) was stored before
  bool restarted = false;     // the device's boot epoch changed since its last activation
  core::Incident incident;    // the incident it opened (or opened earlier, for a duplicate)
  std::string error;          // why it was not stored, when !stored
};

// Implemented by app/: the path from ingest to store and on to dispatch.
class DeviceHandler {
 public:
  virtual ~DeviceHandler() = default;
  // Matches and durably stores an activation. Completes on the caller's executor.
  virtual awaitable<StoredActivation> store(core::Activation activation) = 0;
  // Called after the device has been acked, to dispatch the incident.
  virtual void acked(const StoredActivation& stored) = 0;
};

class DeviceSession;

class DeviceServer {
 public:
  DeviceServer(net::io_context& io, const core::DeviceConfig& config, DeviceHandler& handler);
  ~DeviceServer();

  // Binds and listens; throws boost::system::system_error when the address cannot be bound.
  void start();
  // Stops accepting and closes every connection (in-flight stores still complete).
  void stop();

  [[nodiscard]] tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  [[nodiscard]] std::size_t connection_count() const { return sessions_.size(); }

  // Called by a session when it ends.
  void forget(DeviceSession* session) { sessions_.erase(session); }

 private:
  void adopt(tcp::socket socket);  // starts a session for a new connection (or refuses it)

  net::io_context& io_;
  const core::DeviceConfig& config_;
  DeviceHandler& handler_;
  tcp::acceptor acceptor_;
  std::set<DeviceSession*> sessions_;   // live sessions (each owned by its coroutine)
  bool stopping_ = false;
};

}  // namespace aware::netio
