// test_fleet_day.cpp — one simulated day of the 1,000-device fleet (simulator/scenarios/
// day-1000.toml: heartbeats, drain and nightly charging, dead batteries, GPS lost indoors,
// flapping connections, a reconnect storm, accidental presses, real alarms, clock skew, returned
// devices) run through awared's supervision rules exactly as the store applies them — per
// message core::on_message, per deadline core::SilenceWatch + core::on_silence — on a simulated
// clock, so the day takes well under a second. Every alert the rules raise is compared with the
// simulator's oracle, written independently from the issue text: every expected alert appears,
// exactly once, with the same open and resolve times, and nothing else appears.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <catch2/catch.hpp>

#include "core/supervision.hpp"
#include "scenario.hpp"
#include "supervision_oracle.hpp"

using namespace aware;

namespace {

sim::Scenario load(const std::string& name) {
  std::ifstream in(std::string(AWARE_SCENARIO_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = sim::parse_scenario(text.str());
  REQUIRE(parsed);
  return *parsed;
}

// awared's side: what the daemon does with the same events, minus the sockets and SQLite.
class SimulatedDaemon {
 public:
  SimulatedDaemon(const sim::Scenario& scenario, const core::SupervisionRules& rules)
      : rules_{rules} {
    for (const auto& group : scenario.groups) {
      for (const auto& id : sim::device_ids(group)) {
        if (group.returned) {
          continue;  // deactivated: not supervised
        }
        core::DeviceHealth h;
        h.last_heard_ms = scenario.start_ms;  // watched from the start
        h.interval_ms = group.heartbeat_interval_ms;
        devices_.emplace(id, h);
        watch_.set(id, core::lost_deadline(h, rules_));
      }
    }
  }

  // Everything due before `now` (the daemon's timer), then the event at `now`.
  void run(const sim::Event& e) {
    fire_due(e.t_ms);
    const bool message = e.kind == sim::EventKind::heartbeat ||
                         e.kind == sim::EventKind::activation ||
                         e.kind == sim::EventKind::position;
    auto it = devices_.find(e.device_id);
    if (!message || it == devices_.end()) {
      return;
    }
    std::optional<std::uint32_t> battery;
    if (e.kind == sim::EventKind::heartbeat) {
      battery = e.heartbeat.battery_pct;
    } else if (e.kind == sim::EventKind::activation && e.activation.battery_pct > 0) {
      battery = e.activation.battery_pct;
    }
    record(e.device_id, core::on_message(it->second, e.t_ms, battery, rules_));
    watch_.set(e.device_id, core::lost_deadline(it->second, rules_));
  }

  // The scenario ends at `end`: deadlines up to and including it still fire.
  void finish(core::TimeMs end) { fire_due(end + 1); }

  [[nodiscard]] std::vector<sim::ExpectedAlert> alerts() const {
    auto out = done_;
    for (const auto& [key, open] : open_) {
      out.push_back(open);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.opened_ms, a.device_id, a.kind) < std::tie(b.opened_ms, b.device_id, b.kind);
    });
    return out;
  }

 private:
  void fire_due(core::TimeMs now) {
    for (const auto& id : watch_.take_due(now)) {
      auto& h = devices_.at(id);
      if (auto change = core::on_silence(h, now, rules_)) {
        record(id, {*change});
      }
    }
  }

  void record(const std::string& device, const std::vector<core::HealthChange>& changes) {
    for (const auto& c : changes) {
      const auto key = std::make_pair(device, std::string(c.kind));
      if (c.open) {
        REQUIRE(open_.count(key) == 0);  // one open alert per device and kind
        open_.emplace(key, sim::ExpectedAlert{device, std::string(c.kind), c.at_ms, std::nullopt});
      } else {
        auto it = open_.find(key);
        REQUIRE(it != open_.end());
        it->second.resolved_ms = c.at_ms;
        done_.push_back(it->second);
        open_.erase(it);
      }
    }
  }

  core::SupervisionRules rules_;
  std::map<std::string, core::DeviceHealth> devices_;
  core::SilenceWatch watch_;
  std::map<std::pair<std::string, std::string>, sim::ExpectedAlert> open_;
  std::vector<sim::ExpectedAlert> done_;
};

}  // namespace

TEST_CASE("a simulated day of 1000 devices raises exactly the expected alerts, each once",
          "[supervision]") {
  const auto scenario = load("day-1000.toml");
  const auto events = sim::expand(scenario);
  const core::SupervisionRules rules;  // awared's defaults: 15 min, +10 %, +2 min, 20/10/5 %
  const sim::SupervisionRules oracle_rules{rules.grace_fixed_ms, rules.grace_factor,
                                           static_cast<int>(rules.battery_low),
                                           static_cast<int>(rules.battery_critical),
                                           static_cast<int>(rules.battery_hysteresis)};
  const auto expected = sim::expected_alerts(scenario, events, oracle_rules);

  SimulatedDaemon daemon{scenario, rules};
  for (const auto& e : events) {
    daemon.run(e);
  }
  daemon.finish(scenario.end_ms());
  const auto got = daemon.alerts();

  // Every kind occurs, so the comparison covers every rule.
  for (auto kind : {"verbinding_verloren", "batterij_laag", "batterij_kritiek"}) {
    CHECK(std::count_if(expected.begin(), expected.end(),
                        [&](const auto& a) { return a.kind == kind; }) > 0);
  }
  // Same list: nothing missing, nothing extra, nothing twice; the first difference is shown.
  CHECK(got.size() == expected.size());
  const auto n = std::min(got.size(), expected.size());
  std::size_t first_difference = n;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(got[i] == expected[i])) {
      first_difference = i;
      break;
    }
  }
  INFO("first difference at " << first_difference << " of " << n);
  if (first_difference < n) {
    const auto& g = got[first_difference];
    const auto& x = expected[first_difference];
    INFO("got " << g.device_id << " " << g.kind << " " << g.opened_ms << " -> "
                << g.resolved_ms.value_or(-1));
    INFO("expected " << x.device_id << " " << x.kind << " " << x.opened_ms << " -> "
                     << x.resolved_ms.value_or(-1));
    CHECK(false);
  }
}
