// messages.cpp — DeviceMessage builders (see messages.hpp).
#include "messages.hpp"

#include <chrono>

namespace aware::sim {

aware::v1::DeviceMessage make_hello(const std::string& device_id, std::uint32_t boot_epoch) {
  aware::v1::DeviceMessage message;
  auto* hello = message.mutable_hello();
  hello->set_device_id(device_id);
  hello->set_firmware(firmware_version);
  hello->set_protocol_version(protocol_version);
  hello->set_boot_epoch(boot_epoch);
  return message;
}

aware::v1::DeviceMessage make_activation(const activation_params& params) {
  aware::v1::DeviceMessage message;
  auto* activation = message.mutable_activation();
  activation->set_seq(params.seq);
  activation->set_device_time_ms(params.device_time_ms);
  activation->set_trigger(params.trigger);
  if (params.fix) {
    auto* fix = activation->mutable_fix();
    fix->set_lat(params.fix->lat);
    fix->set_lon(params.fix->lon);
    fix->set_accuracy_m(params.fix->accuracy_m);
    fix->set_fix_time_ms(params.device_time_ms);
    fix->set_source(params.fix->source);
  }
  if (params.audio.kind != aware::v1::AUDIO_KIND_NONE) {
    auto* audio = activation->mutable_audio();
    audio->set_kind(params.audio.kind);
    audio->set_address(params.audio.address);
    audio->set_codec(params.audio.codec);
  }
  activation->set_battery_pct(params.battery_pct);
  return message;
}

aware::v1::DeviceMessage make_heartbeat(const heartbeat_params& params) {
  aware::v1::DeviceMessage message;
  auto* heartbeat = message.mutable_heartbeat();
  heartbeat->set_seq(params.seq);
  heartbeat->set_battery_pct(params.battery_pct);
  heartbeat->set_charging(params.charging);
  heartbeat->set_gps_available(params.gps_available);
  heartbeat->set_signal_dbm(params.signal_dbm);
  return message;
}

std::int64_t unix_time_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string nack_reason_name(aware::v1::NackReason reason) {
  if (aware::v1::NackReason_IsValid(reason)) {
    return aware::v1::NackReason_Name(reason);
  }
  return "NACK_REASON_" + std::to_string(static_cast<int>(reason));
}

std::string command_kind_name(aware::v1::CommandKind kind) {
  if (aware::v1::CommandKind_IsValid(kind)) {
    return aware::v1::CommandKind_Name(kind);
  }
  return "COMMAND_KIND_" + std::to_string(static_cast<int>(kind));
}

}  // namespace aware::sim
