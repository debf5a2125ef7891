// device_codec.hpp — maps device-link protobuf messages to domain values and back, validating
// every field a device supplies. Sans-I/O: ingest calls it with parsed messages, net sends the
// bytes it returns.
//
// Error policy: validation failures are returned as FieldError (never thrown). A position that
// fails validation is NOT an error: the activation is kept, without the fix, flagged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "core/types.hpp"

namespace aware::v1 {
class Hello;
class Activation;
class GpsFix;
}  // namespace aware::v1

namespace aware::wire {

inline constexpr std::size_t kMaxDeviceIdBytes = 64;
inline constexpr std::size_t kMaxAudioAddressBytes = 256;
inline constexpr std::size_t kMaxCodecBytes = 32;
inline constexpr std::size_t kMaxFirmwareBytes = 64;

// A field that failed validation: its name as in device.proto and why.
struct FieldError {
  std::string field;  // e.g. "hello.device_id"
  std::string text;   // e.g. "missing"
};

struct HelloInfo {
  std::string device_id;
  std::string firmware;
  std::uint32_t protocol_version = 1;
  std::uint32_t boot_epoch = 0;
};

// Checks a Hello: device_id 1..64 bytes of [A-Za-z0-9._:-], firmware printable ASCII <= 64 bytes.
tl::expected<HelloInfo, FieldError> decode_hello(const v1::Hello& msg);

// Validates a fix: finite lat in [-90, 90], lon in [-180, 180], finite accuracy >= 0.
// Returns nullopt for an invalid fix; `received_ms` is stamped on a valid one.
std::optional<core::GeoFix> decode_fix(const v1::GpsFix& msg, core::TimeMs received_ms);

// Turns an Activation into the domain value for the device named in `hello`. Never fails on
// position or audio problems (the alarm matters more): an invalid fix sets fix_invalid, an
// oversized or non-printable audio address drops the audio channel. Battery is clamped to 100.
core::Activation decode_activation(const v1::Activation& msg, const HelloInfo& hello,
                                   core::TimeMs received_ms);

// Framed ServerMessage bytes, ready to write to the socket.
std::string encode_ack(std::uint64_t seq, core::TimeMs server_time_ms);
std::string encode_nack(std::uint64_t seq, int reason, std::string_view text);
// A Command (`kind` is a v1::CommandKind; an unknown value becomes UNSPECIFIED). `interval_s`
// is meaningful for START_TRACKING only; pass 0 otherwise.
std::string encode_command(int kind, std::uint32_t interval_s);

}  // namespace aware::wire
