// scenario_messages.hpp — turns scenario Events into the DeviceMessages that `xmark-sim
// scenario` plays against awared, and maps scenario time onto the wall clock for playback.
// Pure: the caller passes the wall-clock origin. Used by scenario_play.cpp.
#pragma once

#include <cstdint>
#include <string>

#include "device.pb.h"
#include "scenario.hpp"

namespace aware::sim {

// Scenario time to wall time: a scenario moment t plays at wall_start_ms + (t − scenario_start_ms)
// / speed. Device clock fields keep their skew unscaled (a clock 90 s fast stays 90 s fast).
struct play_clock {
  std::int64_t scenario_start_ms = 0;   // Scenario::start_ms
  std::int64_t wall_start_ms = 0;       // wall clock (Unix ms) when playback started
  double speed = 1.0;                   // scenario seconds per wall second, > 0

  // Wall ms since the Unix epoch at which scenario moment `scenario_ms` plays.
  std::int64_t to_wall(std::int64_t scenario_ms) const;

  // The same for a device-clock value (true time + skew): skew stays, true time is mapped.
  std::int64_t device_to_wall(std::int64_t device_ms, std::int64_t offset_ms) const;
};

// The DeviceMessage for a heartbeat, activation or position event, with sequence number `seq`.
// Activations carry a phone voice channel derived from the device id. Must not be called for
// connect/disconnect events (they are not messages).
aware::v1::DeviceMessage scenario_message(const Event& event, std::uint64_t seq,
                                          const play_clock& clock);

}  // namespace aware::sim
