// console_session.cpp — event handling of the sans-I/O client core (see console_session.hpp).
#include "console_session.hpp"

#include <algorithm>

#include "json_lines.hpp"

namespace aware::console {

console_session::console_session(const client_options& options) : options_{options} {
  status_.server = options_.host + ":" + options_.port;
}

session_output console_session::on_connected() {
  status_.connected = true;
  outage_reported_ = false;
  last_seq_ = 0;
  resyncing_ = false;
  session_output out;
  out.redraw = !options_.json;
  return out;
}

void console_session::count_incident(session_output& out, std::string_view kind,
                                     const aware::v1::Incident& incident) {
  ++incident_events_;
  if (options_.json) {
    out.lines.push_back(incident_line(kind, incident));
  }
  if (options_.accept && table_.needs_accept(incident)) {
    out.requests.push_back(make_accept(incident.id(), options_.name));
  }
}

void console_session::finish_check(session_output& out) const {
  out.finished = options_.exit_after && incident_events_ >= *options_.exit_after;
}

session_output console_session::on_frame(std::string_view text, std::int64_t now_ms) {
  session_output out;
  std::string parse_error;
  const auto feed = parse_feed(text, parse_error);
  if (!feed) {
    std::replace(parse_error.begin(), parse_error.end(), '\n', ' ');
    out.errors.push_back("unparsable frame from server: " + parse_error);
    status_.last_error = out.errors.back();
    out.redraw = !options_.json;
    return out;
  }
  if (resyncing_) {
    return out;  // the connection is being dropped; the reconnect resyncs
  }
  if (feed->seq() != 0 && feed->seq() != last_seq_ + 1) {
    const auto reason = "gap: expected seq " + std::to_string(last_seq_ + 1) + ", got " +
                        std::to_string(feed->seq());
    if (options_.json) {
      out.lines.push_back(resync_line(reason));
    }
    status_.last_error = "resync (" + reason + ")";
    status_.connected = false;
    outage_reported_ = true;
    resyncing_ = true;
    out.resync = true;
    out.redraw = !options_.json;
    return out;
  }
  if (feed->seq() != 0) {
    last_seq_ = feed->seq();
  }
  switch (feed->body_case()) {
    case aware::v1::ConsoleFeed::kSnapshot: {
      table_.apply_snapshot(feed->snapshot(), now_ms);
      for (const auto& incident : feed->snapshot().incidents()) {
        count_incident(out, "snapshot", incident);
      }
      if (options_.json) {
        const auto count = static_cast<std::size_t>(feed->snapshot().incidents_size());
        out.lines.push_back(synced_line(count));
      }
      break;
    }
    case aware::v1::ConsoleFeed::kUpdate: {
      table_.apply_update(feed->update().incident());
      count_incident(out, "update", feed->update().incident());
      break;
    }
    case aware::v1::ConsoleFeed::kError: {
      if (options_.json) {
        out.lines.push_back(error_line(feed->error()));
      }
      status_.last_error = feed->error().request() + ": " + feed->error().text();
      break;
    }
    case aware::v1::ConsoleFeed::BODY_NOT_SET:
      out.errors.push_back("frame from server without a body");
      break;
  }
  out.redraw = !options_.json;
  finish_check(out);
  return out;
}

session_output console_session::on_disconnected(std::string_view reason) {
  session_output out;
  const bool was_connected = status_.connected;
  status_.connected = false;
  if (was_connected || !outage_reported_) {
    outage_reported_ = true;
    if (options_.json) {
      out.lines.push_back(disconnected_line(reason));
    }
    out.redraw = !options_.json;
  }
  return out;
}

std::string console_session::render(std::int64_t now_ms) const {
  return render_screen(table_, status_, now_ms);
}

}  // namespace aware::console
