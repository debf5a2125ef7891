// report.hpp — the lines xmark-sim prints on stdout: one per ack, nack or (in --json mode)
// server command, either human "key=value" form or one JSON object per line. Every line is
// flushed at once so that test harnesses reading a pipe see it immediately.
// Used by activate.cpp and fleet_device.cpp. Pure formatting plus the final write.
#pragma once

#include <cstdint>
#include <string>

#include "device.pb.h"

namespace aware::sim {

// What was acknowledged, and after how many transmissions.
struct ack_event {
  std::string device_id;          // device that sent the message
  std::uint32_t boot_epoch = 0;   // its boot epoch
  std::uint64_t seq = 0;          // acknowledged sequence number
  unsigned attempts = 0;          // transmissions of this message, 1 = acked at once
  std::int64_t server_time_ms = 0;// awared's clock from the Ack
};

std::string format_ack(const ack_event& event, bool json);

// A refused message: `seq` is the device's own seq of the refused message.
std::string format_nack(const std::string& device_id, std::uint64_t seq,
                        const aware::v1::Nack& nack, bool json);

// A Command from the server (printed in --json mode only).
std::string format_command(const std::string& device_id, const aware::v1::Command& command);

// `text` as a JSON string literal, quotes included; control and non-ASCII bytes are \u-escaped
// byte by byte so that invalid UTF-8 still gives valid JSON.
std::string json_string(const std::string& text);

// Writes `line` plus newline to stdout and flushes.
void print_line(const std::string& line);

}  // namespace aware::sim
