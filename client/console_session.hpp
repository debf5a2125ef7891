// console_session.hpp — the sans-I/O core of the meldkamer client: feed events in, get output
// lines, requests to send and redraw/finish decisions out.
//
// console_client (the Asio/Beast layer) calls on_connected / on_frame / on_disconnected as
// things happen on the WebSocket, and render() once a second in table mode; it prints what
// comes back and sends the requests. No sockets, no clock reads (time is passed in), so the
// whole client behaviour can be unit tested with strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "incident_table.hpp"
#include "meldkamer.pb.h"
#include "options.hpp"
#include "table_view.hpp"

namespace aware::console {

// What the I/O layer must do after one event.
struct session_output {
  std::vector<std::string> lines;                     // JSON lines to print (json mode), in order
  std::vector<std::string> errors;                    // client-side problems, for stderr
  std::vector<aware::v1::ConsoleRequest> requests;    // requests to send, in order
  bool redraw = false;                                // table mode: the screen must be redrawn
  bool finished = false;                              // --exit-after was reached
  bool resync = false;                                // a seq gap: drop the connection now
};

class console_session {
 public:
  explicit console_session(const client_options& options);

  // The WebSocket handshake succeeded. The server's snapshot follows.
  session_output on_connected();

  // One text frame from awared at local time `now_ms`. Snapshot: replaces the table, prints
  // snapshot lines + synced; Update: applies it, prints an update line; ConsoleError: prints
  // an error line. With --accept, adds an Accept for each incident needs_accept() approves.
  // A malformed frame is reported in `errors` and otherwise ignored. Incident events count
  // towards --exit-after; `finished` is checked after the whole frame.
  // Sequence check: each feed carries the connection's seq (1, 2, 3, …; 0 = not numbered, not
  // checked). On a gap the frame is not applied, a resync line is printed and `resync` asks the
  // I/O layer to drop the connection; frames until the next on_connected() are ignored, and
  // the reconnect brings a fresh snapshot. That outage prints no extra disconnected line.
  session_output on_frame(std::string_view text, std::int64_t now_ms);

  // The connection ended or could not be made. Prints one disconnected line per outage
  // (the first failure after being connected, or the very first failed attempt).
  session_output on_disconnected(std::string_view reason);

  // The whole table screen at local time `now_ms`.
  [[nodiscard]] std::string render(std::int64_t now_ms) const;

  [[nodiscard]] bool connected() const { return status_.connected; }
  [[nodiscard]] std::uint64_t incident_events() const { return incident_events_; }

 private:
  void count_incident(session_output& out, std::string_view kind,
                      const aware::v1::Incident& incident);
  void finish_check(session_output& out) const;

  const client_options& options_;   // outlives the session (owned by main)
  incident_table table_;            // open incidents
  screen_status status_;            // header/footer facts for the table view
  std::uint64_t incident_events_ = 0;  // snapshot + update incidents processed so far
  bool outage_reported_ = false;    // a disconnected line was printed for the current outage
  std::uint64_t last_seq_ = 0;      // seq of the last frame on this connection (0: none yet)
  bool resyncing_ = false;          // a gap was seen; ignore frames until reconnected
};

}  // namespace aware::console
