// supervision_tables.cpp — see supervision_tables.hpp.
#include "supervision_tables.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "text_table.hpp"

namespace aware::awarectl {
namespace {

// An integer field as text, or "-" when it is missing or not an integer.
std::string number_or_dash(const nlohmann::json& entry, const char* key,
                           const std::string& unit = "") {
  const auto it = entry.find(key);
  if (it == entry.end() || !it->is_number_integer()) {
    return "-";
  }
  return std::to_string(it->get<std::int64_t>()) + unit;
}

// A boolean field, or `fallback` when it is missing or not a boolean.
bool flag_of(const nlohmann::json& entry, const char* key, bool fallback) {
  const auto it = entry.find(key);
  return it != entry.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// A heartbeat interval in the largest whole unit: "15m", "1h", "90s".
std::string interval_text(const nlohmann::json& entry) {
  const auto it = entry.find("heartbeat_interval_s");
  if (it == entry.end() || !it->is_number_integer()) {
    return "-";
  }
  const auto s = it->get<std::int64_t>();
  if (s > 0 && s % 3600 == 0) {
    return std::to_string(s / 3600) + "h";
  }
  if (s > 0 && s % 60 == 0) {
    return std::to_string(s / 60) + "m";
  }
  return std::to_string(s) + "s";
}

// The strings of an array field joined by ","; "-" when there are none.
std::string joined(const nlohmann::json& entry, const char* key) {
  std::string out;
  const auto it = entry.find(key);
  if (it != entry.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string() && !v.get<std::string>().empty()) {
        out += (out.empty() ? "" : ",") + v.get<std::string>();
      }
    }
  }
  return out.empty() ? "-" : out;
}

// What an alert is about: "DEVICE / INCIDENT", either alone, or the client.
std::string alert_subject(const nlohmann::json& a) {
  const auto device = text_or_dash(a, "device_id");
  const auto incident = text_or_dash(a, "incident_id");
  if (device != "-" && incident != "-") {
    return device + " / " + incident;
  }
  if (device != "-") {
    return device;
  }
  return incident != "-" ? incident : text_or_dash(a, "client_id");
}

// The table of the list `key` in `body`: `title(list)` and a newline, then `header` and one
// `row(entry)` per entry. nullopt when `body` holds no such list.
std::optional<std::string> listing(
    const std::string& body, const char* key, TableRow header,
    const std::function<std::string(const nlohmann::json&)>& title,
    const std::function<TableRow(const nlohmann::json&)>& row) {
  nlohmann::json doc;
  const auto* list = object_list(body, key, doc);
  if (list == nullptr) {
    return std::nullopt;
  }
  std::vector<TableRow> rows{std::move(header)};
  for (const auto& entry : *list) {
    rows.push_back(row(entry));
  }
  return title(*list) + "\n" + render_rows(rows);
}

}  // namespace

std::optional<std::string> test_windows_table(const std::string& body) {
  return listing(
      body, "test_windows", {"DEVICE", "WINDOW", "OPENED", "UNTIL", "BY", "TESTS", "REASON"},
      [](const nlohmann::json& list) { return count_of(list.size(), "open proefmelding window"); },
      [](const nlohmann::json& w) -> TableRow {
        return {text_or_dash(w, "device_id"), number_or_dash(w, "id"),
                text_or_dash(w, "opened"),    text_or_dash(w, "until"),
                text_or_dash(w, "opened_by"), number_or_dash(w, "tests"),
                text_or_dash(w, "reason")};
      });
}

std::optional<std::string> alerts_table(const std::string& body) {
  return listing(
      body, "alerts", {"ID", "SEVERITY", "STATE", "KIND", "DEVICE/INCIDENT", "OPENED", "DETAIL"},
      [](const nlohmann::json& list) { return count_of(list.size(), "unresolved alert"); },
      [](const nlohmann::json& a) -> TableRow {
        return {number_or_dash(a, "id"), text_or_dash(a, "severity"), text_or_dash(a, "state"),
                text_or_dash(a, "kind"), alert_subject(a),             text_or_dash(a, "opened"),
                text_or_dash(a, "detail")};
      });
}

std::optional<std::string> devices_table(const std::string& body) {
  return listing(
      body, "devices",
      {"DEVICE", "CLIENT", "LAST HEARD", "BATTERY", "CHARGING", "GPS", "INTERVAL", "ALERTS"},
      [](const nlohmann::json& list) {
        const auto stale = std::count_if(list.begin(), list.end(), [](const nlohmann::json& d) {
          return flag_of(d, "stale", false);
        });
        return count_of(list.size(), "device") + ", " + std::to_string(stale) + " stale (!)";
      },
      [](const nlohmann::json& d) -> TableRow {
        auto id = text_or_dash(d, "device_id");
        if (flag_of(d, "stale", false)) {
          id += " !";
        }
        if (!flag_of(d, "active", true)) {
          id += " (inactive)";
        }
        return {id,
                text_or_dash(d, "client_id"),
                text_or_dash(d, "last_heard"),
                number_or_dash(d, "battery_pct", "%"),
                yes_no(d, "charging"),
                yes_no(d, "gps_available"),
                interval_text(d),
                joined(d, "open_alerts")};
      });
}

std::optional<std::string> contracts_table(const std::string& body) {
  return listing(
      body, "contracts",
      {"AOP", "CLIENT", "CASE WORKER", "FROM", "UNTIL", "DAYS LEFT", "REMINDED"},
      [](const nlohmann::json& list) { return count_of(list.size(), "contract") + " ending"; },
      [](const nlohmann::json& c) -> TableRow {
        return {text_or_dash(c, "aop_id"),      text_or_dash(c, "client_id"),
                text_or_dash(c, "case_worker"), text_or_dash(c, "valid_from"),
                text_or_dash(c, "valid_until"), number_or_dash(c, "days_left"),
                yes_no(c, "reminded")};
      });
}

}  // namespace aware::awarectl
