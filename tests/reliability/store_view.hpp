// store_view.hpp — the end-of-run checks the reliability tests share: what the store holds (read
// read-only through the SQLite API) against what the device fleet was acked and what the
// consoles were shown. Used by the kill -9 loop (crash_loop.cpp) and the network-fault tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "console_watch.hpp"
#include "fleet.hpp"

namespace aware::reliability {

// What the store holds about the fleet's activations (boot epoch 1).
struct StoreView {
  std::map<std::pair<std::string, std::uint64_t>, int> rows_per_activation;  // (device, seq)
  std::map<std::pair<std::string, std::uint64_t>, std::int64_t> incident_of;
  std::map<std::int64_t, int> activations_per_incident;  // counted from the activation rows
  std::map<std::int64_t, int> count_column;              // incidents.activation_count
  std::map<std::string, std::set<std::int64_t>> incidents_of_device;
};

// Reads the database at `db` read-only. Throws when it cannot be opened or queried.
StoreView read_store(const std::filesystem::path& db);

// Catch2 checks: every activation the fleet got an Ack for is stored exactly once, every device
// that was acked has exactly one incident, and each incident counts exactly its activation rows.
// Returns incident id -> the activation count each console must have been shown.
std::map<std::int64_t, int> check_acked_stored_once(const FleetResult& devices,
                                                    const StoreView& store);

// Waits until every console was shown every incident of `expected` with at least its count;
// false at the deadline.
bool consoles_saw(ConsoleWatch& consoles, const std::map<std::int64_t, int>& expected,
                  std::chrono::milliseconds within);

// What the network-fault tests do at their end: the fleet stops pressing, every activation it
// holds must be acked within 90 s, no device saw an error, check_acked_stored_once() holds and
// every console was shown everything (consoles_saw, 90 s). Returns the fleet's result and sets
// `incidents` to the number of incidents the consoles had to show.
FleetResult drain_and_check(Fleet& fleet, ConsoleWatch& consoles, const std::filesystem::path& db,
                            std::size_t& incidents);

// Waits until every console was shown at least `activations` activations in all (the sum of the
// highest counts per incident): a way to let a load run "until N alarms went through".
bool consoles_shown(ConsoleWatch& consoles, unsigned activations,
                    std::chrono::milliseconds within);

// Bearer tokens of `n` centralists (centralist-1 …) on awared's meldkamer port.
std::vector<std::string> centralist_tokens(std::uint16_t meldkamer_port, int n);

// Whether awared's log at `log` holds a line with `code` (e.g. "AWR-4002"), read once.
bool log_has(const std::filesystem::path& log, const std::string& code);

}  // namespace aware::reliability
