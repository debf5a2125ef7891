// table_view.hpp — turns the incident table into text for the live terminal view.
//
// Pure formatting, no I/O: console_session calls render_screen() with the injected time and
// the I/O layer writes the string to the terminal. The cell formatters are public so they can
// be unit tested one by one. Uses plain ANSI escape codes (no ncurses).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "incident_table.hpp"
#include "meldkamer.pb.h"

namespace aware::console {

// What the header and footer lines show besides the incidents.
struct screen_status {
  std::string server;      // "HOST:PORT"
  bool connected = false;  // true between a successful handshake and the connection's end
  std::string last_error;  // latest server ConsoleError or client-side problem, may be empty
};

// The cells of one table row, in column order ID … ACCEPTED BY.
struct table_row {
  std::vector<std::string> cells;  // one string per column, UTF-8
  bool spoed = false;              // drawn red and bold
};

// "m:ss" for an age in ms; minutes grow past 59 ("75:03").
[[nodiscard]] std::string format_age(std::int64_t age_ms);

// "lat,lon ±acc m" with 5 decimals and whole metres, or "geen positie" when absent.
[[nodiscard]] std::string format_position(const aware::v1::Incident& incident);

// Audio kind and address ("phone +31…"), or "geen" when absent or kind "none".
[[nodiscard]] std::string format_audio(const aware::v1::Incident& incident);

// The flags as short Dutch words joined by ", " (e.g. "ONBEKEND APPARAAT, GEEN POSITIE").
[[nodiscard]] std::string format_flags(const aware::v1::Incident& incident);

// Short Dutch/console names for priority and state ("SPOED", "NIEUW", …).
[[nodiscard]] std::string_view priority_name(aware::v1::Priority priority);
[[nodiscard]] std::string_view state_name(aware::v1::IncidentState state);

// All cells of one incident's row at local time `now_ms`.
[[nodiscard]] table_row make_row(const incident_table& table, const aware::v1::Incident& incident,
                                 std::int64_t now_ms);

// The whole screen: clear + home, header line, column headings, rows in queue order, footer.
[[nodiscard]] std::string render_screen(const incident_table& table, const screen_status& status,
                                        std::int64_t now_ms);

// Number of terminal columns a UTF-8 string takes (code points; no wide-character handling).
[[nodiscard]] std::size_t display_width(std::string_view text);

}  // namespace aware::console
