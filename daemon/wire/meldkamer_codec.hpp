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

// A snapshot also lists the outcomes a close may carry, for the console's close dialog.
std::string encode_snapshot(const std::vector<const core::Incident*>& incidents,
                            core::TimeMs server_time_ms,
                            const std::vector<std::string>& close_outcomes = {});
std::string encode_update(const core::Incident& incident);
// A ConsoleError; the same frame serves the PAC feed (its `error` is field 3 too).
std::string encode_console_error(std::string_view request, std::string_view text);

// Per-connection sequence numbers without re-encoding a shared frame: the hub encodes a
// ConsoleFeed once (without `seq`); each console session writes seq_prefix(seq, frame)
// followed by frame without its first byte (the opening '{'). Together they are the same
// JSON object with "seq":"N" as its first field (uint64 is a string in the JSON mapping).
// `frame` must be a JSON object as encode_* above produce it; "{}" becomes {"seq":"N"}.
std::string seq_prefix(std::uint64_t seq, std::string_view frame);

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
struct ListenInRequest {
  std::int64_t incident_id = 0;
  std::string centralist;
};
// A note for an incident; `text` is trimmed and checked (core::note_text()). No author: awared
// records the signed-in user.
struct AddNoteRequest {
  std::int64_t incident_id = 0;
  std::string text;
};
using ConsoleRequest =
    std::variant<AcceptRequest, CloseRequest, ListenInRequest, AddNoteRequest>;

// Field limits on console requests.
inline constexpr std::size_t kMaxNameBytes = 128;
inline constexpr std::size_t kMaxOutcomeBytes = 128;
inline constexpr std::size_t kMaxNoteBytes = 4096;

// Parses and validates one console message. The error text says what is wrong (for a
// ConsoleError back to that console). Never throws.
tl::expected<ConsoleRequest, std::string> decode_console_request(std::string_view json);

}  // namespace aware::wire
