// scenario_messages.cpp — Event to DeviceMessage, and the playback clock (see
// scenario_messages.hpp).
#include "scenario_messages.hpp"

#include <cmath>

#include "messages.hpp"
#include "prng.hpp"

namespace aware::sim {

namespace {

void set_fix(aware::v1::GpsFix& out, const Fix& fix, std::int64_t offset_ms,
             const play_clock& clock) {
  out.set_lat(fix.lat);
  out.set_lon(fix.lon);
  out.set_accuracy_m(fix.accuracy_m);
  out.set_fix_time_ms(clock.device_to_wall(fix.fix_time_ms, offset_ms));
  out.set_source(fix.gps ? aware::v1::FIX_SOURCE_GPS : aware::v1::FIX_SOURCE_NETWORK);
}

aware::v1::Trigger proto_trigger(ActivationTrigger trigger) {
  switch (trigger) {
    case ActivationTrigger::alarm: return aware::v1::TRIGGER_ALARM;
    case ActivationTrigger::test: return aware::v1::TRIGGER_TEST;
    case ActivationTrigger::cancel: return aware::v1::TRIGGER_CANCEL;
  }
  return aware::v1::TRIGGER_ALARM;
}

// A stable, plausible Dutch mobile number for a device id.
std::string phone_number(const std::string& device_id) {
  return "+316" + std::to_string(10000000 + fnv1a(device_id) % 90000000);
}

}  // namespace

std::int64_t play_clock::to_wall(std::int64_t scenario_ms) const {
  return wall_start_ms +
         std::llround(static_cast<double>(scenario_ms - scenario_start_ms) / speed);
}

std::int64_t play_clock::device_to_wall(std::int64_t device_ms, std::int64_t offset_ms) const {
  return to_wall(device_ms - offset_ms) + offset_ms;
}

aware::v1::DeviceMessage scenario_message(const Event& event, std::uint64_t seq,
                                          const play_clock& clock) {
  aware::v1::DeviceMessage message;
  switch (event.kind) {
    case EventKind::heartbeat:
      return make_heartbeat({seq, event.heartbeat.battery_pct, event.heartbeat.charging,
                             event.heartbeat.gps_available, event.heartbeat.signal_dbm});
    case EventKind::activation: {
      auto* activation = message.mutable_activation();
      activation->set_seq(seq);
      activation->set_device_time_ms(
          clock.device_to_wall(event.activation.device_time_ms, event.device_clock_offset_ms));
      activation->set_trigger(proto_trigger(event.activation.trigger));
      if (event.activation.fix) {
        set_fix(*activation->mutable_fix(), *event.activation.fix, event.device_clock_offset_ms,
                clock);
      }
      auto* audio = activation->mutable_audio();
      audio->set_kind(aware::v1::AUDIO_KIND_PHONE);
      audio->set_address(phone_number(event.device_id));
      audio->set_codec("AMR-WB");
      activation->set_battery_pct(event.activation.battery_pct);
      break;
    }
    case EventKind::position: {
      auto* position = message.mutable_position();
      position->set_seq(seq);
      set_fix(*position->mutable_fix(), event.position, event.device_clock_offset_ms, clock);
      break;
    }
    case EventKind::connect:
    case EventKind::disconnect:
      break;
  }
  return message;
}

}  // namespace aware::sim
