// device_protocol.hpp — the per-connection device protocol as a pure state machine.
//
// net/device_session feeds it one decoded frame payload at a time; it answers with what to do:
// write a reply, hand an activation on towards match → store, or close the connection. It owns
// no socket, no clock and no database, so every rule here is unit tested with plain bytes.
//
// Rules: the first valid message must be a Hello; until then anything else is Nacked with
// NO_HELLO. An unparseable payload closes the connection (the stream can't be trusted any more);
// a parseable message with no known body is Nacked with UNKNOWN_MESSAGE. A Hello may be repeated
// (it replaces the identity). An activation is never Nacked for its content: only the
// connection-level problems above refuse it. A position update with an invalid fix (missing,
// out of range, not a number) is Nacked with INVALID_FIELD naming `position.fix`.
//
// Over mutual TLS the session binds the connection to the device id its verified certificate
// names (bind_certificate); a Hello as any other device is then refused (IdentityMismatch) and
// the connection closed. Over plain TCP (insecure_dev) any id may say Hello.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/supervision.hpp"
#include "core/types.hpp"
#include "wire/device_codec.hpp"

namespace aware::ingest {

// Write these bytes (already framed) to the device.
struct Reply {
  std::string frame;
  int nack_reason = 0;             // a Nack: its v1::NackReason (for the metrics); 0 otherwise
};
// Store this activation; Ack it only once the commit is durable.
struct StoreActivation {
  core::Activation activation;
};
// A valid position update: append it to the device's open incident, if any, durably; then Ack.
// (Without an open incident nothing is stored, and it is acked all the same.)
struct StorePosition {
  core::MessageKey key;            // device, boot epoch and seq of the update
  core::GeoFix fix;                // validated by wire::decode_fix, received_ms stamped
};
// A heartbeat: note the device as heard with its health (supervision), durably; then Ack.
struct StoreHeartbeat {
  core::MessageKey key;            // device, boot epoch and seq of the heartbeat
  core::HealthReport report;       // battery (clamped to 0..100), charging, GPS, signal
};
// Close the connection; `reason` is logged.
struct CloseConnection {
  std::string reason;
};
// The Hello was accepted (the connection now speaks for this device).
struct HelloAccepted {
  wire::HelloInfo hello;
};
// A Hello as another device than the connection's certificate names: close the connection.
struct IdentityMismatch {
  std::string hello_id;        // the device id the Hello claims
  std::string certificate_id;  // the device id the verified certificate names (its CN)
};

using Action = std::variant<Reply, StoreActivation, StorePosition, StoreHeartbeat,
                            CloseConnection, HelloAccepted, IdentityMismatch>;

// Whether a Hello as `hello_id` may speak on a connection whose verified certificate names
// `certified_id` (nullopt: no certificate, plain TCP — any id may). Exact, case-sensitive.
[[nodiscard]] bool hello_matches_certificate(const std::optional<std::string>& certified_id,
                                             std::string_view hello_id);

class DeviceProtocol {
 public:
  // Handles one complete frame payload received at `now`.
  Action on_frame(std::string_view payload, core::TimeMs now);

  // Binds the connection to the device id its verified TLS certificate names; from then on
  // only a Hello as that device is accepted. Call before the first frame.
  void bind_certificate(std::string device_id) { certified_id_ = std::move(device_id); }

  // The identity from the last accepted Hello, if any.
  [[nodiscard]] const std::optional<wire::HelloInfo>& hello() const { return hello_; }
  // The device id of the connection's certificate (nullopt over plain TCP).
  [[nodiscard]] const std::optional<std::string>& certified_id() const { return certified_id_; }

 private:
  std::optional<wire::HelloInfo> hello_;     // set by the first valid Hello
  std::optional<std::string> certified_id_;  // set by bind_certificate()
};

}  // namespace aware::ingest
