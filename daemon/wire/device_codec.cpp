// device_codec.cpp — validation of device-supplied fields and encoding of replies.
#include "wire/device_codec.hpp"

#include <algorithm>
#include <cmath>

#include "device.pb.h"
#include "wire/frame_decoder.hpp"

namespace aware::wire {
namespace {

bool is_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

bool is_printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

core::FixSource to_domain(v1::FixSource s) {
  switch (s) {
    case v1::FIX_SOURCE_GPS: return core::FixSource::gps;
    case v1::FIX_SOURCE_NETWORK: return core::FixSource::network;
    default: return core::FixSource::none;
  }
}

core::AudioKind to_domain(v1::AudioKind k) {
  switch (k) {
    case v1::AUDIO_KIND_PHONE: return core::AudioKind::phone;
    case v1::AUDIO_KIND_SIP: return core::AudioKind::sip;
    case v1::AUDIO_KIND_STREAM: return core::AudioKind::stream;
    default: return core::AudioKind::none;
  }
}

core::Trigger to_domain(v1::Trigger t) {
  switch (t) {
    case v1::TRIGGER_TEST: return core::Trigger::test;
    case v1::TRIGGER_CANCEL: return core::Trigger::cancel;
    default: return core::Trigger::alarm;  // unspecified or unknown: a panic is never refused
  }
}

std::string frame_of(const v1::ServerMessage& msg) {
  std::string out;
  append_frame(out, msg.SerializeAsString());
  return out;
}

}  // namespace

tl::expected<HelloInfo, FieldError> decode_hello(const v1::Hello& msg) {
  const std::string& id = msg.device_id();
  if (id.empty()) {
    return tl::make_unexpected(FieldError{"hello.device_id", "missing"});
  }
  if (id.size() > kMaxDeviceIdBytes) {
    return tl::make_unexpected(FieldError{"hello.device_id", "longer than 64 bytes"});
  }
  if (!std::all_of(id.begin(), id.end(), is_id_char)) {
    return tl::make_unexpected(
        FieldError{"hello.device_id", "may only hold letters, digits and . _ : -"});
  }
  if (msg.firmware().size() > kMaxFirmwareBytes || !is_printable_ascii(msg.firmware())) {
    return tl::make_unexpected(FieldError{"hello.firmware", "must be printable ASCII, <= 64 bytes"});
  }
  return HelloInfo{id, msg.firmware(), std::max<std::uint32_t>(msg.protocol_version(), 1),
                   msg.boot_epoch()};
}

std::optional<core::GeoFix> decode_fix(const v1::GpsFix& msg, core::TimeMs received_ms) {
  const bool valid = std::isfinite(msg.lat()) && std::isfinite(msg.lon()) &&
                     std::isfinite(msg.accuracy_m()) && msg.lat() >= -90.0 && msg.lat() <= 90.0 &&
                     msg.lon() >= -180.0 && msg.lon() <= 180.0 && msg.accuracy_m() >= 0.0F;
  if (!valid) {
    return std::nullopt;
  }
  return core::GeoFix{msg.lat(),          msg.lon(),        msg.accuracy_m(),
                      msg.fix_time_ms(),  to_domain(msg.source()), received_ms};
}

core::Activation decode_activation(const v1::Activation& msg, const HelloInfo& hello,
                                   core::TimeMs received_ms) {
  core::Activation a;
  a.key = core::MessageKey{hello.device_id, hello.boot_epoch, msg.seq()};
  a.device_time_ms = msg.device_time_ms();
  a.received_ms = received_ms;
  a.trigger = to_domain(msg.trigger());
  if (msg.has_fix()) {
    a.fix = decode_fix(msg.fix(), received_ms);
    a.fix_invalid = !a.fix.has_value();
  }
  if (msg.has_audio() && msg.audio().kind() != v1::AUDIO_KIND_NONE) {
    const auto& audio = msg.audio();
    const bool ok = audio.address().size() <= kMaxAudioAddressBytes &&
                    audio.codec().size() <= kMaxCodecBytes && is_printable_ascii(audio.address()) &&
                    is_printable_ascii(audio.codec());
    if (ok) {
      a.audio = core::AudioChannel{to_domain(audio.kind()), audio.address(), audio.codec()};
    }
  }
  a.battery_pct = std::min<std::uint32_t>(msg.battery_pct(), 100);
  return a;
}

std::string encode_ack(std::uint64_t seq, core::TimeMs server_time_ms) {
  v1::ServerMessage msg;
  msg.mutable_ack()->set_seq(seq);
  msg.mutable_ack()->set_server_time_ms(server_time_ms);
  return frame_of(msg);
}

std::string encode_nack(std::uint64_t seq, int reason, std::string_view text) {
  v1::ServerMessage msg;
  auto* nack = msg.mutable_nack();
  nack->set_seq(seq);
  nack->set_reason(v1::NackReason_IsValid(reason) ? static_cast<v1::NackReason>(reason)
                                                  : v1::NACK_REASON_UNSPECIFIED);
  nack->set_text(std::string(text));
  return frame_of(msg);
}

std::string encode_command(int kind, std::uint32_t interval_s) {
  v1::ServerMessage msg;
  auto* command = msg.mutable_command();
  command->set_kind(v1::CommandKind_IsValid(kind) ? static_cast<v1::CommandKind>(kind)
                                                  : v1::COMMAND_KIND_UNSPECIFIED);
  command->set_interval_s(interval_s);
  return frame_of(msg);
}

}  // namespace aware::wire
