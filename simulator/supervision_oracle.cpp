// supervision_oracle.cpp — expected_alerts (see supervision_oracle.hpp): replays each device's
// messages in time order through the three rules.
#include "supervision_oracle.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace aware::sim {

namespace {

constexpr std::int64_t default_interval_ms = 900000;

struct device_info {
  std::int64_t interval_ms = default_interval_ms;   // its heartbeat interval
  bool returned = false;                             // deactivated: no alerts
  std::vector<const Event*> messages;                // its messages, by time
};

bool is_message(EventKind kind) {
  return kind == EventKind::heartbeat || kind == EventKind::activation ||
         kind == EventKind::position;
}

// One battery alert kind with its open/resolve thresholds.
class battery_rule {
 public:
  battery_rule(const char* kind, int threshold, int hysteresis)
      : kind_(kind), threshold_(threshold), resolve_at_(threshold + hysteresis) {}

  void report(const std::string& device, std::int64_t t_ms, std::uint32_t pct,
              std::vector<ExpectedAlert>& out) {
    const auto value = static_cast<std::int64_t>(pct);
    if (!open_ && value < threshold_) {
      open_ = out.size();
      out.push_back({device, kind_, t_ms, std::nullopt});
    } else if (open_ && value >= resolve_at_) {
      out[*open_].resolved_ms = t_ms;
      open_.reset();
    }
  }

 private:
  const char* kind_;                          // alert kind name
  std::int64_t threshold_;                    // opens below this
  std::int64_t resolve_at_;                   // resolves at or above this
  std::optional<std::size_t> open_;           // index in `out` of the open alert, if any
};

void supervise(const std::string& device, const device_info& info, const Scenario& scenario,
               const SupervisionRules& rules, std::vector<ExpectedAlert>& out) {
  const auto allowance = lost_allowance_ms(info.interval_ms, rules);
  battery_rule low("batterij_laag", rules.battery_low, rules.battery_hysteresis);
  battery_rule critical("batterij_kritiek", rules.battery_critical, rules.battery_hysteresis);
  std::int64_t last_heard = scenario.start_ms;
  for (const Event* message : info.messages) {
    const auto deadline = last_heard + allowance;
    if (message->t_ms > deadline && deadline <= scenario.end_ms()) {
      out.push_back({device, "verbinding_verloren", deadline, message->t_ms});
    }
    last_heard = message->t_ms;
    std::optional<std::uint32_t> battery;
    if (message->kind == EventKind::heartbeat) {
      battery = message->heartbeat.battery_pct;
    } else if (message->kind == EventKind::activation) {
      battery = message->activation.battery_pct;
    }
    if (battery) {
      low.report(device, message->t_ms, *battery, out);
      critical.report(device, message->t_ms, *battery, out);
    }
  }
  if (last_heard + allowance <= scenario.end_ms()) {
    out.push_back({device, "verbinding_verloren", last_heard + allowance, std::nullopt});
  }
}

}  // namespace

std::int64_t lost_allowance_ms(std::int64_t interval_ms, const SupervisionRules& rules) {
  return std::llround(static_cast<double>(interval_ms) * (1.0 + rules.grace_factor)) +
         rules.grace_fixed_ms;
}

std::vector<ExpectedAlert> expected_alerts(const Scenario& scenario,
                                           const std::vector<Event>& events,
                                           const SupervisionRules& rules) {
  std::map<std::string, device_info> devices;
  for (const auto& group : scenario.groups) {
    for (const auto& id : device_ids(group)) {
      devices[id] = device_info{group.heartbeat_interval_ms, group.returned, {}};
    }
  }
  for (const auto& event : events) {
    if (is_message(event.kind)) {
      devices[event.device_id].messages.push_back(&event);
    } else {
      devices.try_emplace(event.device_id);
    }
  }
  std::vector<ExpectedAlert> alerts;
  for (auto& [id, info] : devices) {
    if (info.returned) {
      continue;
    }
    std::stable_sort(info.messages.begin(), info.messages.end(),
                     [](const Event* a, const Event* b) { return a->t_ms < b->t_ms; });
    supervise(id, info, scenario, rules, alerts);
  }
  std::sort(alerts.begin(), alerts.end(), [](const ExpectedAlert& a, const ExpectedAlert& b) {
    return std::tie(a.opened_ms, a.device_id, a.kind) < std::tie(b.opened_ms, b.device_id, b.kind);
  });
  return alerts;
}

}  // namespace aware::sim
