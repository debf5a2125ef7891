// json_lines.hpp — the one-object-per-line output of `meldkamer --json`, and the protobuf
// JSON conversions the client uses on the wire.
//
// Pure string building, no I/O; console_session calls these and hands the lines to the I/O
// layer, which prints and flushes each. Line formats (no trailing newline here):
//   {"event":"snapshot","incident":{...}}    {"event":"update","incident":{...}}
//   {"event":"synced","count":N}             {"event":"error","request":"...","text":"..."}
//   {"event":"disconnected","reason":"..."}
// where {...} is an Incident in protobuf's JSON mapping, lowerCamelCase, with every primitive
// field present, on one line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "meldkamer.pb.h"

namespace aware::console {

// `text` as a JSON string literal, quotes included; control characters escaped.
[[nodiscard]] std::string json_quote(std::string_view text);

// An Incident in protobuf JSON mapping on one line, all primitive fields printed.
[[nodiscard]] std::string incident_json(const aware::v1::Incident& incident);

// `{"event":<kind>,"incident":...}` for kind "snapshot" or "update".
[[nodiscard]] std::string incident_line(std::string_view kind,
                                        const aware::v1::Incident& incident);
[[nodiscard]] std::string synced_line(std::size_t count);
[[nodiscard]] std::string error_line(const aware::v1::ConsoleError& error);
[[nodiscard]] std::string disconnected_line(std::string_view reason);
// {"event":"resync","reason":…}: a seq gap was seen; the client reconnects for a fresh snapshot.
[[nodiscard]] std::string resync_line(std::string_view reason);

// Parses one text frame from awared; unknown fields are ignored. Returns nullopt on malformed
// JSON and puts the parser's message into `error`.
[[nodiscard]] std::optional<aware::v1::ConsoleFeed> parse_feed(std::string_view text,
                                                               std::string& error);

// A ConsoleRequest in protobuf JSON mapping, ready to send as one text frame.
[[nodiscard]] std::string request_json(const aware::v1::ConsoleRequest& request);

// ConsoleRequest{accept{incident_id, centralist}}.
[[nodiscard]] aware::v1::ConsoleRequest make_accept(std::string_view incident_id,
                                                    std::string_view centralist);

}  // namespace aware::console
