// device_protocol.cpp — what each device message means for the connection.
#include "ingest/device_protocol.hpp"

#include <algorithm>

#include "device.pb.h"

namespace aware::ingest {
namespace {

// A Nack reply carrying its reason for the metrics too.
Reply nack(std::uint64_t seq, v1::NackReason reason, std::string_view text) {
  return Reply{wire::encode_nack(seq, reason, text), reason};
}

}  // namespace

bool hello_matches_certificate(const std::optional<std::string>& certified_id,
                               std::string_view hello_id) {
  return !certified_id || *certified_id == hello_id;
}

Action DeviceProtocol::on_frame(std::string_view payload, core::TimeMs now) {
  v1::DeviceMessage msg;
  if (!msg.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return CloseConnection{"unparseable frame of " + std::to_string(payload.size()) + " bytes"};
  }
  switch (msg.body_case()) {
    case v1::DeviceMessage::kHello: {
      auto hello = wire::decode_hello(msg.hello());
      if (!hello) {
        return nack(0, v1::NACK_REASON_INVALID_FIELD,
                                       hello.error().field + ": " + hello.error().text);
      }
      if (!hello_matches_certificate(certified_id_, hello->device_id)) {
        return IdentityMismatch{hello->device_id, *certified_id_};
      }
      hello_ = *hello;
      return HelloAccepted{*hello_};
    }
    case v1::DeviceMessage::kActivation:
      if (!hello_) {
        return nack(msg.activation().seq(), v1::NACK_REASON_NO_HELLO,
                                       "send Hello first");
      }
      return StoreActivation{wire::decode_activation(msg.activation(), *hello_, now)};
    case v1::DeviceMessage::kPosition:
      if (!hello_) {
        return nack(msg.position().seq(), v1::NACK_REASON_NO_HELLO,
                                       "send Hello first");
      }
      if (auto fix = msg.position().has_fix() ? wire::decode_fix(msg.position().fix(), now)
                                              : std::nullopt) {
        return StorePosition{
            core::MessageKey{hello_->device_id, hello_->boot_epoch, msg.position().seq()}, *fix};
      }
      return nack(msg.position().seq(), v1::NACK_REASON_INVALID_FIELD,
                                     "position.fix: missing, out of range or not a number");
    case v1::DeviceMessage::kHeartbeat:
      if (!hello_) {
        return nack(msg.heartbeat().seq(), v1::NACK_REASON_NO_HELLO,
                                       "send Hello first");
      }
      return StoreHeartbeat{
          core::MessageKey{hello_->device_id, hello_->boot_epoch, msg.heartbeat().seq()},
          core::HealthReport{std::min<std::uint32_t>(msg.heartbeat().battery_pct(), 100),
                             msg.heartbeat().charging(), msg.heartbeat().gps_available(),
                             msg.heartbeat().signal_dbm()}};
    case v1::DeviceMessage::BODY_NOT_SET:
      break;
  }
  return nack(0, v1::NACK_REASON_UNKNOWN_MESSAGE, "no known message type set");
}

}  // namespace aware::ingest
