// meldkamer_codec.hpp — the console protocol (proto/meldkamer.proto in protobuf's JSON mapping):
// domain incidents to JSON text frames, and console JSON requests to domain requests.
// Sans-I/O; the dispatch stage encodes once per update and shares the text among consoles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

#include "core/types.hpp"

namespace aware::wire {

std::string encode_snapshot(const std::vector<const core::Incident*>& incidents,
                            core::TimeMs server_time_ms);
std::string encode_update(const core::Incident& incident);
std::string encode_console_error(std::string_view request, std::string_view text);

struct AcceptRequest {
  std::int64_t incident_id = 0;
  std::string centralist;
};
struct CloseRequest {
  std::int64_t incident_id = 0;
  std::string centralist;
  std::string outcome;
  std::string note;
};
using ConsoleRequest = std::variant<AcceptRequest, CloseRequest>;

// Field limits on console requests.
inline constexpr std::size_t kMaxNameBytes = 128;
inline constexpr std::size_t kMaxOutcomeBytes = 128;
inline constexpr std::size_t kMaxNoteBytes = 4096;

// Parses and validates one console message. The error text says what is wrong (for a
// ConsoleError back to that console). Never throws.
tl::expected<ConsoleRequest, std::string> decode_console_request(std::string_view json);

}  // namespace aware::wire
