// test_supervision_oracle.cpp — unit tests for expected_alerts, the supervision oracle, on small
// hand-made event lists: verbinding_verloren (deadline after the start and after each message,
// a message exactly at the deadline, resolution, re-opening, connect is no message, deadline
// past the end), batterij_laag / batterij_kritiek (thresholds, both at once, hysteresis, one
// open per kind), returned devices, and the sort order.
#include <catch2/catch.hpp>

#include "supervision_oracle.hpp"

using namespace aware::sim;

namespace {

constexpr std::int64_t start = 1767225600000;
constexpr std::int64_t minute = 60000;
// 15 min × 1.1 + 2 min = 18.5 min
constexpr std::int64_t allowance = 1110000;

// One device "D001" with the default 15-minute interval, for `minutes` minutes.
Scenario one_device(std::int64_t minutes, bool returned = false) {
  Scenario s;
  s.start_ms = start;
  s.duration_ms = minutes * minute;
  DeviceGroup g;
  g.count = 1;
  g.id_prefix = "D";
  g.returned = returned;
  s.groups.push_back(g);
  return s;
}

Event beat(std::int64_t t, std::uint32_t battery = 80, const std::string& id = "D001") {
  Event e;
  e.t_ms = t;
  e.device_id = id;
  e.kind = EventKind::heartbeat;
  e.heartbeat.battery_pct = battery;
  return e;
}

Event of_kind(EventKind kind, std::int64_t t, const std::string& id = "D001") {
  Event e;
  e.t_ms = t;
  e.device_id = id;
  e.kind = kind;
  return e;
}

// Heartbeats every 15 minutes from the start, `count` of them, all at `battery`.
std::vector<Event> regular(int count, std::uint32_t battery = 80) {
  std::vector<Event> events;
  for (int i = 0; i < count; ++i) {
    events.push_back(beat(start + i * 15 * minute, battery));
  }
  return events;
}

std::vector<ExpectedAlert> alerts(const Scenario& s, const std::vector<Event>& events) {
  return expected_alerts(s, events, SupervisionRules{});
}

}  // namespace

TEST_CASE("the lost allowance is interval plus 10 percent plus 2 minutes", "[sim][oracle]") {
  CHECK(lost_allowance_ms(900000, SupervisionRules{}) == allowance);
  CHECK(lost_allowance_ms(60000, SupervisionRules{}) == 186000);
  SupervisionRules strict;
  strict.grace_fixed_ms = 0;
  strict.grace_factor = 0.0;
  CHECK(lost_allowance_ms(30000, strict) == 30000);
}

TEST_CASE("regular heartbeats raise nothing", "[sim][oracle]") {
  CHECK(alerts(one_device(130), regular(9)).empty());
}

TEST_CASE("a device never heard from is lost at start plus allowance", "[sim][oracle]") {
  const auto out = alerts(one_device(60), {of_kind(EventKind::connect, start)});
  REQUIRE(out.size() == 1);
  CHECK(out[0] == ExpectedAlert{"D001", "verbinding_verloren", start + allowance, std::nullopt});
}

TEST_CASE("a message exactly at the deadline keeps the device from being lost", "[sim][oracle]") {
  CHECK(alerts(one_device(45), {beat(start + allowance), beat(start + 2 * allowance)}).empty());
  const auto late = alerts(one_device(45), {beat(start + allowance + 1)});
  REQUIRE(late.size() == 2);
  CHECK(late[0] == ExpectedAlert{"D001", "verbinding_verloren", start + allowance,
                                 start + allowance + 1});
  CHECK(late[1].opened_ms == start + 2 * allowance + 1);
  CHECK_FALSE(late[1].resolved_ms);
}

TEST_CASE("lost resolves at the next message of any kind and can open again", "[sim][oracle]") {
  const std::vector<Event> events{
      beat(start),
      of_kind(EventKind::disconnect, start + minute),
      of_kind(EventKind::connect, start + 20 * minute),   // connect is not a message
      of_kind(EventKind::position, start + 30 * minute),
      of_kind(EventKind::activation, start + 60 * minute),
      beat(start + 75 * minute),
      beat(start + 90 * minute),
  };
  const auto out = alerts(one_device(100), events);
  REQUIRE(out.size() == 4);
  CHECK(out[0] == ExpectedAlert{"D001", "verbinding_verloren", start + allowance,
                                start + 30 * minute});
  CHECK(out[1] == ExpectedAlert{"D001", "verbinding_verloren", start + 30 * minute + allowance,
                                start + 60 * minute});
  // the activation's battery_pct is 0 in this hand-made list; the next heartbeat (80) resolves
  CHECK(out[2] == ExpectedAlert{"D001", "batterij_kritiek", start + 60 * minute,
                                start + 75 * minute});
  CHECK(out[3] == ExpectedAlert{"D001", "batterij_laag", start + 60 * minute,
                                start + 75 * minute});
}

TEST_CASE("a lost deadline past the end is not expected, one at the end is", "[sim][oracle]") {
  Scenario s = one_device(60);
  s.duration_ms = allowance;   // deadline exactly at the end
  CHECK(alerts(s, {}).size() == 1);
  s.duration_ms = allowance - 1;
  CHECK(alerts(s, {}).empty());
}

TEST_CASE("battery below 20 percent opens batterij_laag once", "[sim][oracle]") {
  auto events = regular(6, 30);
  events[2].heartbeat.battery_pct = 19;
  events[3].heartbeat.battery_pct = 18;
  events[4].heartbeat.battery_pct = 24;   // below 20 + 5: still open
  events[5].heartbeat.battery_pct = 25;   // resolves
  const auto out = alerts(one_device(85), events);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == ExpectedAlert{"D001", "batterij_laag", events[2].t_ms, events[5].t_ms});
}

TEST_CASE("battery exactly at the threshold opens nothing", "[sim][oracle]") {
  CHECK(alerts(one_device(85), regular(6, 20)).empty());
}

TEST_CASE("8 percent opens laag and kritiek together, each resolves on its own", "[sim][oracle]") {
  auto events = regular(6, 50);
  events[1].heartbeat.battery_pct = 8;
  events[2].heartbeat.battery_pct = 15;   // kritiek resolves (10 + 5)
  events[3].heartbeat.battery_pct = 9;    // kritiek opens again, laag still open
  events[4].heartbeat.battery_pct = 25;   // both resolve
  const auto out = alerts(one_device(85), events);
  REQUIRE(out.size() == 3);
  CHECK(out[0] == ExpectedAlert{"D001", "batterij_kritiek", events[1].t_ms, events[2].t_ms});
  CHECK(out[1] == ExpectedAlert{"D001", "batterij_laag", events[1].t_ms, events[4].t_ms});
  CHECK(out[2] == ExpectedAlert{"D001", "batterij_kritiek", events[3].t_ms, events[4].t_ms});
}

TEST_CASE("activations report battery, positions do not", "[sim][oracle]") {
  auto events = regular(4, 60);
  auto press = of_kind(EventKind::activation, start + 20 * minute);
  press.activation.battery_pct = 15;
  auto point = of_kind(EventKind::position, start + 21 * minute);
  events.push_back(press);
  events.push_back(point);
  const auto out = alerts(one_device(55), events);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == ExpectedAlert{"D001", "batterij_laag", press.t_ms, start + 30 * minute});
}

TEST_CASE("an alert still open at the end has no resolution", "[sim][oracle]") {
  const auto out = alerts(one_device(55), regular(4, 5));
  REQUIRE(out.size() == 2);
  CHECK_FALSE(out[0].resolved_ms);
  CHECK_FALSE(out[1].resolved_ms);
}

TEST_CASE("returned devices raise no alerts at all", "[sim][oracle]") {
  CHECK(alerts(one_device(180, true), {beat(start + minute, 3)}).empty());
}

TEST_CASE("alerts are sorted by time, device and kind", "[sim][oracle]") {
  Scenario s = one_device(55);
  s.groups[0].count = 2;
  const std::vector<Event> events{beat(start, 5, "D002"), beat(start, 15, "D001"),
                                  beat(start + 15 * minute, 15, "D001"),
                                  beat(start + 15 * minute, 5, "D002"),
                                  beat(start + 30 * minute, 15, "D001"),
                                  beat(start + 30 * minute, 5, "D002"),
                                  beat(start + 45 * minute, 15, "D001"),
                                  beat(start + 45 * minute, 5, "D002")};
  const auto out = alerts(s, events);
  REQUIRE(out.size() == 3);
  CHECK(out[0].device_id == "D001");
  CHECK(out[0].kind == "batterij_laag");
  CHECK(out[1].device_id == "D002");
  CHECK(out[1].kind == "batterij_kritiek");
  CHECK(out[2].device_id == "D002");
  CHECK(out[2].kind == "batterij_laag");
}

TEST_CASE("devices that only appear in the events get the default interval", "[sim][oracle]") {
  const auto out = alerts(one_device(60), {beat(start, 80, "X1"), beat(start, 80)});
  REQUIRE(out.size() == 2);
  CHECK(out[0].device_id == "D001");
  CHECK(out[1].device_id == "X1");
  CHECK(out[1].opened_ms == start + allowance);
}
