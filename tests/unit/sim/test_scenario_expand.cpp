// test_scenario_expand.cpp — unit tests for expand(): determinism per seed, ordering, and the
// event pattern of each behaviour (heartbeat cadence, dead battery, charging, reconnect storm,
// flapping, accidental press, moving track, GPS lost, clock skew). The shipped example
// scenarios must parse, and the 1,000-device day must expand (it runs in well under a second).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "scenario.hpp"
#include "supervision_oracle.hpp"

using namespace aware::sim;

namespace {

constexpr std::int64_t start = 1767225600000;   // 2026-01-01T00:00:00Z

Scenario scenario_of(const std::string& text) {
  const auto parsed = parse_scenario(text);
  if (!parsed) {
    FAIL("parse error: " << parsed.error().message);
  }
  return *parsed;
}

std::vector<Event> of_device(const std::vector<Event>& events, const std::string& id) {
  std::vector<Event> out;
  std::copy_if(events.begin(), events.end(), std::back_inserter(out),
               [&id](const Event& e) { return e.device_id == id; });
  return out;
}

std::vector<Event> of_kind(const std::vector<Event>& events, EventKind kind) {
  std::vector<Event> out;
  std::copy_if(events.begin(), events.end(), std::back_inserter(out),
               [kind](const Event& e) { return e.kind == kind; });
  return out;
}

// Local-plane distance in metres, good enough for a few hundred metres.
double metres_between(const Fix& a, const Fix& b) {
  const double dy = (b.lat - a.lat) * 111320.0;
  const double dx = (b.lon - a.lon) * 111320.0 * std::cos(a.lat * 3.14159265358979 / 180.0);
  return std::hypot(dx, dy);
}

std::string read_scenario_file(const std::string& name) {
  std::ifstream in(std::string(AWARE_SCENARIO_DIR) + "/" + name);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const char* const busy_fleet = R"(
seed = 11
duration_s = 21600
[[reconnect_storm]]
at_s = 7200
spread_s = 30
[[group]]
count = 20
heartbeat_interval_s = 300
battery_start_pct = [5, 100]
drain_pct_per_hour = 4
[group.charging]
from_hour = 3
to_hour = 5
probability = 0.7
[group.gps_lost]
probability = 0.5
[group.flapping]
probability = 0.5
per_day = 8
min_s = 60
max_s = 900
[group.accidental_press]
probability = 0.3
[group.alarm]
probability = 0.3
[group.clock_skew]
probability = 0.5
max_ms = 90000
)";

}  // namespace

TEST_CASE("the same seed gives the same events, another seed other events", "[sim][scenario]") {
  const auto scenario = scenario_of(busy_fleet);
  const auto first = expand(scenario);
  CHECK(first.size() > 1000);
  CHECK(expand(scenario) == first);
  auto reseeded = scenario;
  reseeded.seed = 12;
  CHECK(expand(reseeded) != first);
}

TEST_CASE("events are sorted by time then device and fall within the scenario", "[sim][scenario]") {
  const auto scenario = scenario_of(busy_fleet);
  const auto events = expand(scenario);
  for (std::size_t i = 1; i < events.size(); ++i) {
    const auto& a = events[i - 1];
    const auto& b = events[i];
    INFO("event " << i);
    REQUIRE((a.t_ms < b.t_ms || (a.t_ms == b.t_ms && a.device_id <= b.device_id)));
  }
  CHECK(events.front().t_ms >= scenario.start_ms);
  CHECK(events.back().t_ms < scenario.end_ms());
}

TEST_CASE("a device connects at the start and beats once per interval", "[sim][scenario]") {
  const auto events =
      expand(scenario_of("duration_s = 3600\n[[group]]\ncount = 1\nheartbeat_interval_s = 60\n"));
  REQUIRE(events.size() == 61);
  CHECK(events[0].kind == EventKind::connect);
  CHECK(events[0].t_ms == start);
  const auto beats = of_kind(events, EventKind::heartbeat);
  REQUIRE(beats.size() == 60);
  CHECK(beats[0].t_ms < start + 60000);
  for (std::size_t i = 1; i < beats.size(); ++i) {
    CHECK(beats[i].t_ms - beats[i - 1].t_ms == 60000);
    CHECK(beats[i].heartbeat.gps_available);
    CHECK(beats[i].heartbeat.signal_dbm >= -110);
    CHECK(beats[i].heartbeat.signal_dbm <= -60);
  }
  CHECK(beats.back().heartbeat.battery_pct == 99);
}

TEST_CASE("a dead battery drains to zero, disconnects and stays silent", "[sim][scenario]") {
  const auto events = expand(scenario_of(R"(
duration_s = 36000
[[group]]
count = 1
heartbeat_interval_s = 60
battery_start_pct = 3
drain_pct_per_hour = 2
[group.charging]
from_hour = 4
to_hour = 6
[group.dead_battery]
probability = 1.0
)"));
  REQUIRE(events.back().kind == EventKind::disconnect);
  CHECK(events.back().t_ms == start + 5400000);   // 3 % at 2 %/h: 1.5 h
  const auto beats = of_kind(events, EventKind::heartbeat);
  CHECK(beats.back().heartbeat.battery_pct == 0);
  CHECK(beats.back().t_ms > start + 5400000 - 60000);
  CHECK(std::none_of(beats.begin(), beats.end(),
                     [](const Event& e) { return e.heartbeat.charging; }));
}

TEST_CASE("a device that died starts again on the charger", "[sim][scenario]") {
  const auto events = expand(scenario_of(R"(
duration_s = 18000
[[group]]
count = 1
heartbeat_interval_s = 600
battery_start_pct = 5
drain_pct_per_hour = 10
[group.charging]
from_hour = 2
to_hour = 4
rate_pct_per_hour = 40
)"));
  const auto disconnects = of_kind(events, EventKind::disconnect);
  REQUIRE(disconnects.size() == 1);
  CHECK(disconnects[0].t_ms == start + 1800000);
  const auto connects = of_kind(events, EventKind::connect);
  REQUIRE(connects.size() == 2);
  CHECK(connects[1].t_ms == start + 2 * 3600000);
  const auto it = std::find(events.begin(), events.end(), connects[1]);
  REQUIRE(it + 1 != events.end());
  CHECK((it + 1)->kind == EventKind::heartbeat);
  CHECK((it + 1)->t_ms == start + 2 * 3600000);
  CHECK((it + 1)->heartbeat.charging);
  CHECK((it + 1)->heartbeat.battery_pct == 0);
  const auto after = of_kind(events, EventKind::heartbeat).back();
  CHECK_FALSE(after.heartbeat.charging);   // off the charger after 04:00, at 80 % minus drain
  CHECK(after.heartbeat.battery_pct >= 70);
}

TEST_CASE("a reconnect storm drops and reconnects every device at once", "[sim][scenario]") {
  const auto scenario = scenario_of(R"(
duration_s = 7200
[[reconnect_storm]]
at_s = 3600
down_s = 10
[[group]]
count = 4
heartbeat_interval_s = 120
[[group]]
count = 3
id_prefix = "XM-B-"
)");
  const auto events = expand(scenario);
  const auto storm_at = start + 3600000;
  const auto back_at = storm_at + 10000;
  for (const auto& group : scenario.groups) {
    for (const auto& id : device_ids(group)) {
      INFO(id);
      const auto mine = of_device(events, id);
      const auto disconnects = of_kind(mine, EventKind::disconnect);
      const auto connects = of_kind(mine, EventKind::connect);
      REQUIRE(disconnects.size() == 1);
      REQUIRE(connects.size() == 2);
      CHECK(disconnects[0].t_ms == storm_at);
      CHECK(connects[1].t_ms == back_at);
      CHECK(std::none_of(mine.begin(), mine.end(), [&](const Event& e) {
        return e.t_ms > storm_at && e.t_ms < back_at;
      }));
    }
  }
}

TEST_CASE("flapping takes a device offline, and a press made offline waits", "[sim][scenario]") {
  const auto events = expand(scenario_of(R"(
duration_s = 3600
[[group]]
count = 1
heartbeat_interval_s = 60
[group.flapping]
at_s = [600]
min_s = 300
max_s = 300
[group.accidental_press]
at_s = [700]
)"));
  const auto disconnects = of_kind(events, EventKind::disconnect);
  REQUIRE(disconnects.size() == 1);
  CHECK(disconnects[0].t_ms == start + 600000);
  CHECK(std::none_of(events.begin(), events.end(), [](const Event& e) {
    return e.t_ms > start + 600000 && e.t_ms < start + 900000;
  }));
  const auto presses = of_kind(events, EventKind::activation);
  REQUIRE(presses.size() == 2);
  CHECK(presses[0].t_ms == start + 900000);
  CHECK(presses[0].activation.device_time_ms == start + 700000);
  CHECK(presses[1].activation.device_time_ms == start + 705000);
}

TEST_CASE("an accidental press is an ALARM followed by a CANCEL", "[sim][scenario]") {
  const auto events = expand(scenario_of(R"(
duration_s = 3600
[[group]]
count = 1
[group.accidental_press]
at_s = [600]
cancel_after_s = 4
)"));
  const auto presses = of_kind(events, EventKind::activation);
  REQUIRE(presses.size() == 2);
  CHECK(presses[0].activation.trigger == ActivationTrigger::alarm);
  CHECK(presses[0].t_ms == start + 600000);
  CHECK(presses[1].activation.trigger == ActivationTrigger::cancel);
  CHECK(presses[1].t_ms == start + 604000);
  REQUIRE(presses[0].activation.fix);
  CHECK(presses[0].activation.fix->fix_time_ms == start + 600000);
  CHECK(presses[0].activation.battery_pct == 99);
}

TEST_CASE("a real alarm is followed by positions along a straight path", "[sim][scenario]") {
  const auto events = expand(scenario_of(R"(
duration_s = 3600
[[group]]
count = 1
[group.alarm]
at_s = [1000]
track_points = 4
track_interval_s = 30
speed_m_s = 2
)"));
  const auto presses = of_kind(events, EventKind::activation);
  const auto track = of_kind(events, EventKind::position);
  REQUIRE(presses.size() == 1);
  REQUIRE(track.size() == 4);
  CHECK(presses[0].activation.trigger == ActivationTrigger::alarm);
  REQUIRE(presses[0].activation.fix);
  const Fix origin = *presses[0].activation.fix;
  for (std::size_t i = 0; i < track.size(); ++i) {
    const auto step = static_cast<std::int64_t>(i + 1);
    CHECK(track[i].t_ms == start + 1000000 + step * 30000);
    CHECK(track[i].position.fix_time_ms == track[i].t_ms);
    CHECK(metres_between(origin, track[i].position) ==
          Approx(60.0 * static_cast<double>(step)).epsilon(0.01));
  }
  // Straight: the last point is as far as the sum of the steps.
  CHECK(metres_between(track[0].position, track[3].position) == Approx(180.0).epsilon(0.01));
}

TEST_CASE("indoors the GPS is lost: heartbeats say so and presses carry no fix", "[sim][scenario]") {
  const auto events = expand(scenario_of(R"(
duration_s = 7200
[[group]]
count = 1
heartbeat_interval_s = 60
[group.gps_lost]
at_s = [0]
min_s = 3600
max_s = 3600
[group.alarm]
at_s = [1800, 5400]
track_points = 2
)"));
  for (const auto& beat : of_kind(events, EventKind::heartbeat)) {
    CHECK(beat.heartbeat.gps_available == (beat.t_ms >= start + 3600000));
  }
  const auto presses = of_kind(events, EventKind::activation);
  REQUIRE(presses.size() == 2);
  CHECK_FALSE(presses[0].activation.fix);
  CHECK(presses[1].activation.fix);
  const auto track = of_kind(events, EventKind::position);
  REQUIRE(track.size() == 2);   // the track made indoors is not sent
  CHECK(track[0].t_ms > start + 5400000);
}

TEST_CASE("clock skew offsets device and fix times", "[sim][scenario]") {
  const auto events = expand(scenario_of(R"(
duration_s = 3600
[[group]]
count = 2
[group.clock_skew]
offset_ms = -2500
[group.alarm]
at_s = [60]
track_points = 1
)"));
  CHECK(std::all_of(events.begin(), events.end(),
                    [](const Event& e) { return e.device_clock_offset_ms == -2500; }));
  for (const auto& press : of_kind(events, EventKind::activation)) {
    CHECK(press.activation.device_time_ms == press.t_ms - 2500);
    REQUIRE(press.activation.fix);
    CHECK(press.activation.fix->fix_time_ms == press.t_ms - 2500);
  }
  for (const auto& point : of_kind(events, EventKind::position)) {
    CHECK(point.position.fix_time_ms == point.t_ms - 2500);
  }
}

TEST_CASE("random clock skew stays within its bound and differs per device", "[sim][scenario]") {
  const auto scenario = scenario_of(busy_fleet);
  const auto events = expand(scenario);
  std::set<std::int64_t> offsets;
  for (const auto& e : events) {
    CHECK(std::abs(e.device_clock_offset_ms) <= 90000);
    offsets.insert(e.device_clock_offset_ms);
  }
  CHECK(offsets.size() > 3);
}

TEST_CASE("the demo scenario parses and shows each behaviour", "[sim][scenario]") {
  const auto scenario = scenario_of(read_scenario_file("demo.toml"));
  const auto events = expand(scenario);
  const auto presses = of_kind(events, EventKind::activation);
  CHECK(std::any_of(presses.begin(), presses.end(), [](const Event& e) {
    return e.activation.trigger == ActivationTrigger::cancel;
  }));
  CHECK_FALSE(of_kind(events, EventKind::position).empty());
  const auto alerts = expected_alerts(scenario, events, SupervisionRules{});
  const auto has = [&alerts](const char* kind) {
    return std::any_of(alerts.begin(), alerts.end(),
                       [kind](const ExpectedAlert& a) { return a.kind == kind; });
  };
  CHECK(has("batterij_laag"));
  CHECK(has("verbinding_verloren"));
}

TEST_CASE("the 1000-device day expands and every alert kind is expected", "[sim][scenario]") {
  const auto scenario = scenario_of(read_scenario_file("day-1000.toml"));
  unsigned devices = 0;
  for (const auto& group : scenario.groups) {
    devices += group.count;
  }
  CHECK(devices == 1000);
  CHECK(scenario.duration_ms == 86400000);
  const auto events = expand(scenario);
  CHECK(events.size() > 50000);
  for (const auto kind : {EventKind::connect, EventKind::disconnect, EventKind::heartbeat,
                          EventKind::activation, EventKind::position}) {
    CHECK_FALSE(of_kind(events, kind).empty());
  }
  const auto alerts = expected_alerts(scenario, events, SupervisionRules{});
  for (const char* kind : {"verbinding_verloren", "batterij_laag", "batterij_kritiek"}) {
    INFO(kind);
    CHECK(std::any_of(alerts.begin(), alerts.end(),
                      [kind](const ExpectedAlert& a) { return a.kind == kind; }));
  }
}

TEST_CASE("a device sends messages only while connected", "[sim][scenario]") {
  const auto scenario = scenario_of(busy_fleet);
  const auto events = expand(scenario);
  std::map<std::string, bool> connected;
  for (const auto& e : events) {
    INFO(e.device_id << " at " << e.t_ms << ": " << event_kind_name(e.kind));
    auto& state = connected[e.device_id];
    if (e.kind == EventKind::connect) {
      REQUIRE_FALSE(state);
      state = true;
    } else if (e.kind == EventKind::disconnect) {
      REQUIRE(state);
      state = false;
    } else {
      REQUIRE(state);
    }
  }
}

TEST_CASE("a connected device is never lost: every lost alert follows a disconnect",
          "[sim][scenario]") {
  const auto scenario = scenario_of(busy_fleet);
  const auto events = expand(scenario);
  const auto alerts = expected_alerts(scenario, events, SupervisionRules{});
  std::size_t lost = 0;
  for (const auto& alert : alerts) {
    if (alert.kind != "verbinding_verloren") {
      continue;
    }
    ++lost;
    INFO(alert.device_id << " lost at " << alert.opened_ms);
    // The device's state at the moment the alert opens: the last connect/disconnect before it.
    std::optional<EventKind> state;
    for (const auto& e : of_device(events, alert.device_id)) {
      if (e.t_ms > alert.opened_ms) {
        break;
      }
      if (e.kind == EventKind::connect || e.kind == EventKind::disconnect) {
        state = e.kind;
      }
    }
    CHECK(state == EventKind::disconnect);
  }
  CHECK(lost > 0);
}

TEST_CASE("a dead battery is expected as lost, a returned one raises nothing", "[sim][scenario]") {
  const auto scenario = scenario_of(R"(
duration_s = 36000
[[group]]
count = 1
battery_start_pct = 12
drain_pct_per_hour = 4
[[group]]
count = 1
first = 2
battery_start_pct = 12
drain_pct_per_hour = 4
returned = true
)");
  const auto events = expand(scenario);
  const auto alerts = expected_alerts(scenario, events, SupervisionRules{});
  REQUIRE(alerts.size() == 3);
  CHECK(alerts[0].kind == "batterij_laag");
  CHECK(alerts[0].opened_ms < start + 15 * 60000);   // 12 % from the first heartbeat on
  CHECK(alerts[1].kind == "batterij_kritiek");        // below 10 % after half an hour
  const auto last_beat = of_kind(of_device(events, "XM-SIM-001"), EventKind::heartbeat).back();
  CHECK(alerts[2] == ExpectedAlert{"XM-SIM-001", "verbinding_verloren",
                                   last_beat.t_ms + lost_allowance_ms(900000, SupervisionRules{}),
                                   std::nullopt});
  CHECK(std::all_of(alerts.begin(), alerts.end(),
                    [](const ExpectedAlert& a) { return a.device_id == "XM-SIM-001"; }));
}

TEST_CASE("a test press is one TEST activation", "[sim][scenario]") {
  const auto events = expand(scenario_of(R"(
duration_s = 3600
[[group]]
count = 1
[group.test_press]
at_s = [120]
)"));
  const auto presses = of_kind(events, EventKind::activation);
  REQUIRE(presses.size() == 1);
  CHECK(presses[0].t_ms == start + 120000);
  CHECK(presses[0].activation.trigger == ActivationTrigger::test);
  CHECK(presses[0].activation.fix);
}
