// supervision_oracle.hpp — the ground truth for awared's device supervision: which technical
// alerts a correct daemon raises, and when they resolve, for a given list of device events.
// Written from the rules in issue 5 (not from daemon code), so that system tests can compare
// awared's alerts against an independent oracle. Pure: no I/O, no clocks.
//
// The rules (alert kinds as awared names them):
//  - verbinding_verloren: a device is lost when no message (heartbeat, activation, position;
//    connect/disconnect are not messages) arrives within allowance(interval) after its previous
//    message, or after the scenario start for its first one. It opens at exactly last + allowance
//    (a message exactly at that moment prevents it) and resolves at the device's next message.
//  - batterij_laag / batterij_kritiek: opens at a heartbeat or activation reporting
//    battery_pct < battery_low (battery_critical) while that alert is not open; resolves at the
//    first report with battery_pct >= threshold + battery_hysteresis.
//  - devices of a `returned` group raise nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario.hpp"

namespace aware::sim {

struct SupervisionRules {
  std::int64_t grace_fixed_ms = 120000;   // the "+ 2 minutes" of late-to-test
  double grace_factor = 0.10;             // the "+ 10 %" of late-to-test
  int battery_low = 20;                   // batterij_laag below this %
  int battery_critical = 10;              // batterij_kritiek below this %
  int battery_hysteresis = 5;             // resolve at threshold + this, or more
};

struct ExpectedAlert {
  std::string device_id;                  // which device
  std::string kind;                       // verbinding_verloren, batterij_laag, batterij_kritiek
  std::int64_t opened_ms = 0;             // ms since the Unix epoch
  std::optional<std::int64_t> resolved_ms;  // absent: still open at the scenario end

  friend bool operator==(const ExpectedAlert&, const ExpectedAlert&) = default;
};

// The silence a device is allowed: interval × (1 + grace_factor) + grace_fixed, rounded to the
// nearest millisecond (900 s gives 1,110,000 ms).
std::int64_t lost_allowance_ms(std::int64_t interval_ms, const SupervisionRules& rules);

// Every alert that `events` (any order; normally expand(scenario)) must raise, sorted by
// (opened_ms, device_id, kind). Devices are those of the scenario's groups plus any other id in
// `events` (which get the default 900 s interval). A lost deadline after scenario.end_ms() is not
// expected; one exactly at the end is, unresolved.
std::vector<ExpectedAlert> expected_alerts(const Scenario& scenario,
                                           const std::vector<Event>& events,
                                           const SupervisionRules& rules);

}  // namespace aware::sim
