// dossier_table.cpp — see dossier_table.hpp.
#include "dossier_table.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <nlohmann/json.hpp>

namespace aware::awarectl {
namespace {

using Row = std::array<std::string, 7>;

// A string field, or "-" when it is missing, null or empty.
std::string text_of(const nlohmann::json& entry, const char* key) {
  if (!entry.contains(key) || !entry[key].is_string() || entry[key].get<std::string>().empty()) {
    return "-";
  }
  return entry[key].get<std::string>();
}

}  // namespace

std::optional<std::string> dossier_table(const std::string& body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("activations") ||
      !doc["activations"].is_array()) {
    return std::nullopt;
  }
  std::vector<Row> rows{{"TIME (UTC)", "DEVICE", "TRIGGER", "INCIDENT", "STATE", "COUNT",
                         "OUTCOME"}};
  for (const auto& e : doc["activations"]) {
    if (!e.is_object()) {
      return std::nullopt;
    }
    const auto count = e.value("activation_count", 0);
    rows.push_back({text_of(e, "time"), text_of(e, "device_id"), text_of(e, "trigger"),
                    text_of(e, "incident_id"), text_of(e, "incident_state"),
                    count > 0 ? std::to_string(count) : "-", text_of(e, "outcome")});
  }
  std::array<std::size_t, 7> width{};
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      width[c] = std::max(width[c], row[c].size());
    }
  }
  const auto n = doc["activations"].size();
  std::string out = "dossier " + doc.value("client_id", std::string{"?"}) + ": " +
                    std::to_string(n) + (n == 1 ? " activation\n" : " activations\n");
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) {
        line += std::string(width[c] - row[c].size() + 2, ' ');
      }
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace aware::awarectl
