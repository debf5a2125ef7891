// dossier_table.hpp — renders the JSON of `GET /api/v1/clients/{id}/dossier` as the table
// `awarectl dossier CLIENT` prints (without --json). Pure, so it is unit tested.
#pragma once

#include <optional>
#include <string>

namespace aware::awarectl {

// A header line ("dossier C-001: 2 activations"), then one aligned row per activation, oldest
// first: TIME (UTC), DEVICE, TRIGGER, INCIDENT, STATE, COUNT, OUTCOME ("-" where empty).
// nullopt when `body` is not a dossier document.
std::optional<std::string> dossier_table(const std::string& body);

}  // namespace aware::awarectl
