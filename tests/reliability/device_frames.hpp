// device_frames.hpp — single device frames for the network-fault tests that drive a raw
// connection byte by byte (harness.hpp RawConnection): a Hello and an Activation as a device
// sends them (varint-delimited DeviceMessage), and a check that a reply is the Ack of a seq.
// The fleet (fleet.hpp) sends the same messages for many devices at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "device.pb.h"
#include "wire/frame_decoder.hpp"

namespace aware::reliability {

inline std::string hello_frame(const std::string& device_id) {
  v1::DeviceMessage m;
  m.mutable_hello()->set_device_id(device_id);
  m.mutable_hello()->set_firmware("netfault");
  m.mutable_hello()->set_protocol_version(1);
  m.mutable_hello()->set_boot_epoch(1);
  std::string out;
  wire::append_frame(out, m.SerializeAsString());
  return out;
}

inline std::string activation_frame(std::uint64_t seq) {
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  v1::DeviceMessage m;
  auto* a = m.mutable_activation();
  a->set_seq(seq);
  a->set_device_time_ms(now_ms);
  a->set_trigger(v1::TRIGGER_ALARM);
  a->set_battery_pct(80);
  a->mutable_fix()->set_lat(52.0908);
  a->mutable_fix()->set_lon(5.1215);
  a->mutable_fix()->set_accuracy_m(10);
  a->mutable_fix()->set_fix_time_ms(now_ms);
  a->mutable_fix()->set_source(v1::FIX_SOURCE_GPS);
  std::string out;
  wire::append_frame(out, m.SerializeAsString());
  return out;
}

// True when `frame` (a payload from RawConnection::read_frame) is the Ack of `seq`.
inline bool is_ack_of(const std::optional<std::string>& frame, std::uint64_t seq) {
  v1::ServerMessage reply;
  return frame && reply.ParseFromString(*frame) && reply.has_ack() && reply.ack().seq() == seq;
}

}  // namespace aware::reliability
