// supervision_tables.hpp — the tables of awarectl's supervision listings (issue 5), rendered
// from the JSON of awared's REST API: `test list`, `alerts`, `devices`, `contracts`. Each
// prints a count line, then a header row and one aligned row per entry ("-" where empty).
// Each returns nullopt when `body` is not the document it expects (main then prints the JSON).
// Pure, so it is unit testable.
#pragma once

#include <optional>
#include <string>

namespace aware::awarectl {

// GET /api/v1/test-windows: DEVICE, WINDOW, OPENED, UNTIL, BY, TESTS, REASON.
std::optional<std::string> test_windows_table(const std::string& body);

// GET /api/v1/alerts: ID, SEVERITY, STATE, KIND, DEVICE/INCIDENT, OPENED, DETAIL. An alert
// about no device (a contract) shows its client there.
std::optional<std::string> alerts_table(const std::string& body);

// GET /api/v1/device-status: DEVICE, CLIENT, LAST HEARD, BATTERY, CHARGING, GPS, INTERVAL,
// ALERTS (the kinds of its open alerts). A stale device is marked with "!" after its id, an
// inactive one with "(inactive)".
std::optional<std::string> devices_table(const std::string& body);

// GET /api/v1/contracts: AOP, CLIENT, CASE WORKER, FROM, UNTIL, DAYS LEFT, REMINDED.
std::optional<std::string> contracts_table(const std::string& body);

}  // namespace aware::awarectl
