// report.cpp — output line formatting (see report.hpp).
#include "report.hpp"

#include <cstdio>

#include "messages.hpp"

namespace aware::sim {

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte >= 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string format_ack(const ack_event& event, bool json) {
  if (json) {
    return "{\"event\":\"ack\",\"device\":" + json_string(event.device_id) +
           ",\"boot_epoch\":" + std::to_string(event.boot_epoch) +
           ",\"seq\":" + std::to_string(event.seq) +
           ",\"attempts\":" + std::to_string(event.attempts) +
           ",\"server_time_ms\":" + std::to_string(event.server_time_ms) + "}";
  }
  return "acked device=" + event.device_id + " boot_epoch=" + std::to_string(event.boot_epoch) +
         " seq=" + std::to_string(event.seq) + " attempts=" + std::to_string(event.attempts) +
         " server_time_ms=" + std::to_string(event.server_time_ms);
}

std::string format_nack(const std::string& device_id, std::uint64_t seq,
                        const aware::v1::Nack& nack, bool json) {
  const auto reason = nack_reason_name(nack.reason());
  if (json) {
    return "{\"event\":\"nack\",\"device\":" + json_string(device_id) +
           ",\"seq\":" + std::to_string(seq) + ",\"reason\":" + json_string(reason) +
           ",\"text\":" + json_string(nack.text()) + "}";
  }
  return "nacked device=" + device_id + " seq=" + std::to_string(seq) + " reason=" + reason +
         " text=" + json_string(nack.text());
}

std::string format_command(const std::string& device_id, const aware::v1::Command& command) {
  return "{\"event\":\"command\",\"device\":" + json_string(device_id) +
         ",\"kind\":" + json_string(command_kind_name(command.kind())) +
         ",\"interval_s\":" + std::to_string(command.interval_s()) + "}";
}

void print_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace aware::sim
