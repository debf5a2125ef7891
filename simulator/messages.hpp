// messages.hpp — builds the DeviceMessages an X-Mark device sends (Hello, Activation,
// Heartbeat) from plain values, and names the enum values of ServerMessages for output.
// Pure: no clock reads (callers pass the times), no I/O. Used by activate.cpp and fleet_device.cpp.
// Values are passed through unvalidated on purpose: the daemon is the one that validates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "device.pb.h"

namespace aware::sim {

inline constexpr const char* firmware_version = "xmark-sim/0.1";
inline constexpr std::uint32_t protocol_version = 1;

// Position part of an activation.
struct fix_params {
  double lat = 0.0;                                              // degrees, not range-checked
  double lon = 0.0;                                              // degrees, not range-checked
  float accuracy_m = 10.0F;                                      // 68 % radius in metres
  aware::v1::FixSource source = aware::v1::FIX_SOURCE_GPS;       // gps or network
};

// Voice channel part of an activation; kind NONE leaves the field absent.
struct audio_params {
  aware::v1::AudioKind kind = aware::v1::AUDIO_KIND_PHONE;       // what `address` is
  std::string address = "+31612345678";                          // number or URI
  std::string codec = "AMR-WB";                                  // codec name
};

// Everything one button press carries.
struct activation_params {
  std::uint64_t seq = 0;                                         // device sequence number
  std::int64_t device_time_ms = 0;                               // device clock at the press
  aware::v1::Trigger trigger = aware::v1::TRIGGER_ALARM;         // why it was pressed
  std::optional<fix_params> fix;                                 // absent: no position
  audio_params audio;                                            // voice channel
  std::uint32_t battery_pct = 80;                                // 0..100 normally
};

// Health values of one heartbeat.
struct heartbeat_params {
  std::uint64_t seq = 0;                                         // device sequence number
  std::uint32_t battery_pct = 80;                                // 0..100
  bool charging = false;                                         // on the charger
  bool gps_available = true;                                     // GPS has a fix
  std::int32_t signal_dbm = -80;                                 // negative dBm, 0 unknown
};

// The Hello that opens every connection.
aware::v1::DeviceMessage make_hello(const std::string& device_id, std::uint32_t boot_epoch);

// An Activation; the fix time equals the device time (a fresh fix at the press).
aware::v1::DeviceMessage make_activation(const activation_params& params);

aware::v1::DeviceMessage make_heartbeat(const heartbeat_params& params);

// Wall-clock milliseconds since the Unix epoch (the "device clock").
std::int64_t unix_time_ms();

// Enum value names as in device.proto, e.g. "NACK_REASON_BUSY".
std::string nack_reason_name(aware::v1::NackReason reason);
std::string command_kind_name(aware::v1::CommandKind kind);

}  // namespace aware::sim
