// dossier_table.cpp — see dossier_table.hpp.
#include "dossier_table.hpp"

#include <vector>

#include <nlohmann/json.hpp>

#include "text_table.hpp"

namespace aware::awarectl {

std::optional<std::string> dossier_table(const std::string& body) {
  nlohmann::json doc;
  const auto* activations = object_list(body, "activations", doc);
  if (activations == nullptr) {
    return std::nullopt;
  }
  std::vector<TableRow> rows{{"TIME (UTC)", "DEVICE", "TRIGGER", "INCIDENT", "STATE", "COUNT",
                              "OUTCOME"}};
  for (const auto& e : *activations) {
    const auto count = e.value("activation_count", 0);
    rows.push_back({text_or_dash(e, "time"), text_or_dash(e, "device_id"),
                    text_or_dash(e, "trigger"), text_or_dash(e, "incident_id"),
                    text_or_dash(e, "incident_state"), count > 0 ? std::to_string(count) : "-",
                    text_or_dash(e, "outcome")});
  }
  return "dossier " + doc.value("client_id", std::string{"?"}) + ": " +
         count_of(activations->size(), "activation") + "\n" + render_rows(rows);
}

}  // namespace aware::awarectl
