// table_view.cpp — cell formatting and screen rendering for the live table (see table_view.hpp).
#include "table_view.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace aware::console {
namespace {

constexpr std::string_view clear_home = "\x1b[H\x1b[2J";
constexpr std::string_view red_bold = "\x1b[1;31m";
constexpr std::string_view bold = "\x1b[1m";
constexpr std::string_view reset = "\x1b[0m";
constexpr std::size_t max_cell_width = 32;   // longer cells are cut with "…"
constexpr std::size_t max_flags_width = 96;  // the FLAGS column may run longer
constexpr std::size_t flags_column = 9;
constexpr std::array<std::string_view, 11> headings = {
    "ID",       "PRIO",   "STATE",    "AGE",   "DEVICE",     "CLIENT",
    "REGION",   "POSITION", "AUDIO",  "FLAGS", "ACCEPTED BY"};

std::string_view flag_word(int flag) {
  switch (flag) {
    case aware::v1::INCIDENT_FLAG_UNKNOWN_DEVICE:
      return "ONBEKEND APPARAAT";
    case aware::v1::INCIDENT_FLAG_NO_POSITION:
      return "GEEN POSITIE";
    case aware::v1::INCIDENT_FLAG_INVALID_POSITION:
      return "ONGELDIGE POSITIE";
    case aware::v1::INCIDENT_FLAG_CONTRACT_EXPIRED:
      return "CONTRACT VERLOPEN";
    case aware::v1::INCIDENT_FLAG_CONTRACT_NOT_YET:
      return "CONTRACT NOG NIET";
    case aware::v1::INCIDENT_FLAG_NO_AOP:
      return "GEEN AOP";
    case aware::v1::INCIDENT_FLAG_CANCEL_REQUESTED:
      return "GEANNULEERD DOOR GEBRUIKER";
    case aware::v1::INCIDENT_FLAG_DEVICE_RESTARTED:
      return "HERSTART";
    case aware::v1::INCIDENT_FLAG_REPEATED_ACTIVATION:
      return "HERHAALDE ACTIVATIE";
    case aware::v1::INCIDENT_FLAG_ESCALATED:
      return "GEESCALEERD";
    case aware::v1::INCIDENT_FLAG_TEST_OUTSIDE_WINDOW:
      return "TESTDRUK BUITEN TESTVENSTER";
    case aware::v1::INCIDENT_FLAG_SEQUENCE_REGRESSED:
      return "VOLGNUMMER TERUG (REPLAY?)";
    case aware::v1::INCIDENT_FLAG_CLOCK_SKEW:
      return "KLOK APPARAAT AFWIJKEND";
    default:
      return "ONBEKENDE VLAG";
  }
}

// Cuts `text` to `width` code points, ending in "…" when cut.
std::string clip(const std::string& text, std::size_t width) {
  if (display_width(text) <= width) {
    return text;
  }
  std::string out;
  std::size_t points = 0;
  for (const char c : text) {
    const bool starts_point = (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    if (starts_point && ++points > width - 1) {
      break;
    }
    out.push_back(c);
  }
  return out + "…";
}

void pad(std::string& out, std::string_view cell, std::size_t width) {
  out.append(cell);
  out.append(width - std::min(width, display_width(cell)) + 2, ' ');
}

}  // namespace

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

std::string format_age(std::int64_t age_ms) {
  const std::int64_t seconds = std::max<std::int64_t>(0, age_ms) / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(seconds / 60),
                static_cast<long long>(seconds % 60));
  return buf;
}

std::string format_position(const aware::v1::Incident& incident) {
  if (!incident.has_position()) {
    return "geen positie";
  }
  const auto& p = incident.position();
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.5f,%.5f ±%.0f m", p.lat(), p.lon(),
                std::round(static_cast<double>(p.accuracy_m())));
  return buf;
}

std::string format_audio(const aware::v1::Incident& incident) {
  const auto& kind = incident.audio().kind();
  if (!incident.has_audio() || kind.empty() || kind == "none") {
    return "geen";
  }
  return incident.audio().kind() + " " + incident.audio().address();
}

std::string format_flags(const aware::v1::Incident& incident) {
  std::string out;
  for (const int flag : incident.flags()) {
    if (!out.empty()) {
      out += ", ";
    }
    out += flag_word(flag);
  }
  return out;
}

std::string_view priority_name(aware::v1::Priority priority) {
  switch (priority) {
    case aware::v1::PRIORITY_SPOED:
      return "SPOED";
    case aware::v1::PRIORITY_TECHNISCH:
      return "TECHNISCH";
    case aware::v1::PRIORITY_TEST:
      return "TEST";
    default:
      return "?";
  }
}

std::string_view state_name(aware::v1::IncidentState state) {
  switch (state) {
    case aware::v1::INCIDENT_STATE_NEW:
      return "NIEUW";
    case aware::v1::INCIDENT_STATE_DELIVERED:
      return "AFGELEVERD";
    case aware::v1::INCIDENT_STATE_ACCEPTED:
      return "GEACCEPTEERD";
    case aware::v1::INCIDENT_STATE_CLOSED:
      return "GESLOTEN";
    default:
      return "?";
  }
}

table_row make_row(const incident_table& table, const aware::v1::Incident& incident,
                   std::int64_t now_ms) {
  const std::string client =
      incident.has_aop() && !incident.aop().client_name().empty() ? incident.aop().client_name()
                                                                 : "onbekend";
  table_row row;
  row.spoed = incident.priority() == aware::v1::PRIORITY_SPOED;
  row.cells = {incident.id(),
               std::string{priority_name(incident.priority())},
               std::string{state_name(incident.state())},
               format_age(table.age_ms(incident, now_ms)),
               incident.device_id(),
               client,
               incident.region().empty() ? "-" : incident.region(),
               format_position(incident),
               format_audio(incident),
               format_flags(incident),
               incident.accepted_by().empty() ? "-" : incident.accepted_by()};
  for (std::size_t c = 0; c < row.cells.size(); ++c) {
    row.cells[c] = clip(row.cells[c], c == flags_column ? max_flags_width : max_cell_width);
  }
  return row;
}

std::string render_screen(const incident_table& table, const screen_status& status,
                          std::int64_t now_ms) {
  std::vector<table_row> rows;
  for (const auto* incident : table.sorted()) {
    rows.push_back(make_row(table, *incident, now_ms));
  }
  std::array<std::size_t, headings.size()> widths{};
  for (std::size_t c = 0; c < headings.size(); ++c) {
    widths[c] = display_width(headings[c]);
    for (const auto& row : rows) {
      widths[c] = std::max(widths[c], display_width(row.cells[c]));
    }
  }
  std::string out{clear_home};
  out += bold;
  out += "meldkamer  " + status.server + "  " +
         (status.connected ? "verbonden" : "verbinding verbroken, opnieuw verbinden…") + "  " +
         std::to_string(rows.size()) + " open";
  out += reset;
  out += "\n\n";
  for (std::size_t c = 0; c < headings.size(); ++c) {
    pad(out, headings[c], widths[c]);
  }
  out += "\n";
  for (const auto& row : rows) {
    if (row.spoed) {
      out += red_bold;
    }
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      pad(out, row.cells[c], widths[c]);
    }
    out += row.spoed ? std::string{reset} + "\n" : "\n";
  }
  if (rows.empty()) {
    out += "(geen open incidenten)\n";
  }
  if (!status.last_error.empty()) {
    out += "\nlaatste fout: " + status.last_error + "\n";
  }
  return out;
}

}  // namespace aware::console
