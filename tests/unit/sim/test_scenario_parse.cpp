// test_scenario_parse.cpp — unit tests for parse_scenario: a full scenario fills every field,
// defaults apply to absent keys, and every kind of mistake (syntax, unknown key, wrong type,
// out of range, missing required key, inconsistent values, duplicate device ids) is refused
// with an error naming the key.
#include <catch2/catch.hpp>

#include <string>

#include "scenario.hpp"

using namespace aware::sim;

namespace {

// The key named by the error of `text`, or "<parsed>" when it parsed.
std::string error_key(const std::string& text) {
  const auto result = parse_scenario(text);
  if (result) {
    return "<parsed>";
  }
  INFO(result.error().message);
  CHECK(result.error().message.find(result.error().key) != std::string::npos);
  return result.error().key;
}

const char* const full_scenario = R"(
seed = 7
start_ms = 1767225600000
duration_s = 7200

[[reconnect_storm]]
at_s = 3600
down_s = 10
spread_s = 2

[[group]]
name = "thuis"
count = 3
id_prefix = "XM-T-"
first = 5
heartbeat_interval_s = 60
battery_start_pct = [40, 90]
drain_pct_per_hour = 2.5
signal_dbm = [-100, -70]
returned = true

[group.area]
lat = 52.37
lon = 4.89
radius_m = 500

[group.charging]
from_hour = 21
to_hour = 6
probability = 0.5
rate_pct_per_hour = 30

[group.dead_battery]
probability = 0.25

[group.gps_lost]
probability = 0.5
per_day = 3
min_s = 60
max_s = 120

[group.flapping]
at_s = [100, 200]
min_s = 5
max_s = 5

[group.accidental_press]
probability = 1.0
cancel_after_s = 3

[group.alarm]
at_s = [1800]
track_points = 4
track_interval_s = 15
speed_m_s = 2

[group.test_press]
at_s = [60, 120]

[group.clock_skew]
offset_ms = -1500
)";

}  // namespace

TEST_CASE("a full scenario fills every field", "[sim][scenario]") {
  const auto parsed = parse_scenario(full_scenario);
  REQUIRE(parsed);
  const Scenario& s = *parsed;
  CHECK(s.seed == 7);
  CHECK(s.start_ms == 1767225600000);
  CHECK(s.duration_ms == 7200000);
  CHECK(s.end_ms() == 1767225600000 + 7200000);
  REQUIRE(s.storms.size() == 1);
  CHECK(s.storms[0].at_ms == 3600000);
  CHECK(s.storms[0].down_ms == 10000);
  CHECK(s.storms[0].spread_ms == 2000);
  REQUIRE(s.groups.size() == 1);
  const DeviceGroup& g = s.groups[0];
  CHECK(g.name == "thuis");
  CHECK(g.count == 3);
  CHECK(device_ids(g) == std::vector<std::string>{"XM-T-005", "XM-T-006", "XM-T-007"});
  CHECK(g.heartbeat_interval_ms == 60000);
  CHECK(g.battery_start_min_pct == 40.0);
  CHECK(g.battery_start_max_pct == 90.0);
  CHECK(g.drain_pct_per_hour == 2.5);
  CHECK(g.signal_min_dbm == -100);
  CHECK(g.signal_max_dbm == -70);
  CHECK(g.returned);
  CHECK(g.area.lat == 52.37);
  CHECK(g.area.radius_m == 500.0);
  CHECK(g.charging.enabled);
  CHECK(g.charging.from_hour == 21);
  CHECK(g.charging.to_hour == 6);
  CHECK(g.charging.probability == 0.5);
  CHECK(g.charging.rate_pct_per_hour == 30.0);
  CHECK(g.dead_battery_probability == 0.25);
  CHECK(g.gps_lost.when.probability == 0.5);
  CHECK(g.gps_lost.when.per_day == 3.0);
  CHECK(g.gps_lost.min_ms == 60000);
  CHECK(g.gps_lost.max_ms == 120000);
  CHECK(g.flapping.when.at_ms == std::vector<std::int64_t>{100000, 200000});
  CHECK(g.flapping.min_ms == 5000);
  CHECK(g.accidental_press.when.probability == 1.0);
  CHECK(g.accidental_press.cancel_after_ms == 3000);
  CHECK(g.alarm.when.at_ms == std::vector<std::int64_t>{1800000});
  CHECK(g.alarm.track_points == 4);
  CHECK(g.alarm.track_interval_ms == 15000);
  CHECK(g.alarm.speed_m_s == 2.0);
  CHECK(g.test_press.at_ms == std::vector<std::int64_t>{60000, 120000});
  REQUIRE(g.clock_skew.offset_ms);
  CHECK(*g.clock_skew.offset_ms == -1500);
}

TEST_CASE("absent keys take their defaults", "[sim][scenario]") {
  const auto parsed = parse_scenario("[[group]]\ncount = 2\n");
  REQUIRE(parsed);
  CHECK(parsed->seed == 1);
  CHECK(parsed->duration_ms == 86400000);
  CHECK(parsed->storms.empty());
  const auto& g = parsed->groups.at(0);
  CHECK(g.heartbeat_interval_ms == 900000);
  CHECK(device_ids(g) == std::vector<std::string>{"XM-SIM-001", "XM-SIM-002"});
  CHECK_FALSE(g.charging.enabled);
  CHECK_FALSE(g.returned);
  CHECK_FALSE(g.alarm.when.enabled());
  CHECK_FALSE(g.clock_skew.offset_ms);
}

TEST_CASE("scenario errors name the offending key", "[sim][scenario]") {
  CHECK(error_key("duration_s = 10\n") == "group");
  CHECK(error_key("[[group]]\nname = \"x\"\n") == "group[0].count");
  CHECK(error_key("[[group]]\ncount = 0\n") == "group[0].count");
  CHECK(error_key("[[group]]\ncount = 1\ncolour = 3\n") == "group[0].colour");
  CHECK(error_key("speed = 3\n[[group]]\ncount = 1\n") == "speed");
  CHECK(error_key("seed = \"abc\"\n[[group]]\ncount = 1\n") == "seed");
  CHECK(error_key("duration_s = -5\n[[group]]\ncount = 1\n") == "duration_s");
  CHECK(error_key("[[group]]\ncount = 1\n[[group]]\ncount = 2\nbattery_start_pct = 120\n") ==
        "group[1].battery_start_pct");
  CHECK(error_key("[[group]]\ncount = 1\nbattery_start_pct = [90, 40]\n") ==
        "group[0].battery_start_pct");
  CHECK(error_key("[[group]]\ncount = 1\nid_prefix = \"bad id \"\n") == "group[0].id_prefix");
  CHECK(error_key("[[group]]\ncount = 1\nreturned = 1\n") == "group[0].returned");
  CHECK(error_key("[[group]]\ncount = 1\n[group.charging]\nfrom_hour = 24\n") ==
        "group[0].charging.from_hour");
  CHECK(error_key("[[group]]\ncount = 1\n[group.charging]\nfrom_hour = 7\nto_hour = 7\n") ==
        "group[0].charging.to_hour");
  CHECK(error_key("[[group]]\ncount = 1\n[group.flapping]\nmin_s = 60\nmax_s = 30\n") ==
        "group[0].flapping.max_s");
  CHECK(error_key("[[group]]\ncount = 1\n[group.gps_lost]\nprobability = 1.5\n") ==
        "group[0].gps_lost.probability");
  CHECK(error_key("[[group]]\ncount = 1\n[group.alarm]\nat_s = [\"noon\"]\n") ==
        "group[0].alarm.at_s");
  CHECK(error_key("[[group]]\ncount = 1\n[group.alarm]\ntrack = 3\n") == "group[0].alarm.track");
  CHECK(error_key("[[group]]\ncount = 1\n[group.dead_battery]\n") ==
        "group[0].dead_battery.probability");
  CHECK(error_key("[[group]]\ncount = 1\narea = 5\n") == "group[0].area");
  CHECK(error_key("group = 3\n") == "group");
  CHECK(error_key("[[group]]\ncount = 1\n[[reconnect_storm]]\ndown_s = 3\n") ==
        "reconnect_storm[0].at_s");
  CHECK(error_key("[[group]]\ncount = 2\n[[group]]\ncount = 1\nfirst = 2\n") ==
        "group[1].id_prefix");
  CHECK(error_key("[[group]]\ncount = 99999\nfirst = 2\n") == "group[0].count");
}

TEST_CASE("a TOML syntax error reports its line", "[sim][scenario]") {
  const auto parsed = parse_scenario("seed = 1\n[[group]\ncount = 1\n");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().key.empty());
  CHECK(parsed.error().message.find("line 2") != std::string::npos);
}
