// test_scenario_cli.cpp — unit tests for the playback side of `xmark-sim scenario`: its command
// line (modes, defaults, rule overrides, usage errors) and the mapping of scenario events to
// DeviceMessages on the playback clock (scenario time scaled by speed, clock skew kept).
#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "cli.hpp"
#include "scenario_messages.hpp"

using namespace aware::sim;
using args = std::vector<std::string>;

namespace {

scenario_options scenario_command(const args& a) {
  const auto parsed = parse_command_line(a);
  if (const auto* e = std::get_if<usage_error>(&parsed)) {
    FAIL("usage error: " << e->message);
  }
  REQUIRE(std::holds_alternative<scenario_options>(parsed));
  return std::get<scenario_options>(parsed);
}

std::string error_of(const args& a) {
  const auto parsed = parse_command_line(a);
  const auto* e = std::get_if<usage_error>(&parsed);
  return e != nullptr ? e->message : std::string{};
}

}  // namespace

TEST_CASE("scenario playback takes a file, a server and a speed", "[sim][scenario][cli]") {
  const auto o = scenario_command({"scenario", "demo.toml", "--server", "127.0.0.1:7400",
                                   "--speed", "600", "--json"});
  CHECK(o.file == "demo.toml");
  CHECK(o.what == scenario_options::mode::play);
  CHECK(o.server.host == "127.0.0.1");
  CHECK(o.server.port == "7400");
  CHECK(o.speed == 600.0);
  CHECK(o.json);
  CHECK_FALSE(o.start_ms);
  const auto d = scenario_command({"scenario", "f.toml", "--server=localhost:1"});
  CHECK(d.speed == 1.0);
  CHECK_FALSE(d.json);
}

TEST_CASE("scenario --print and --expect need no server", "[sim][scenario][cli]") {
  CHECK(scenario_command({"scenario", "f.toml", "--print"}).what ==
        scenario_options::mode::print);
  const auto o = scenario_command({"scenario", "f.toml", "--expect", "--start-ms", "1000",
                                   "--grace-fixed-ms", "0", "--grace-factor", "0.5",
                                   "--battery-low", "30", "--battery-critical", "15",
                                   "--battery-hysteresis", "2"});
  CHECK(o.what == scenario_options::mode::expect);
  CHECK(o.start_ms == 1000);
  CHECK(o.rules.grace_fixed_ms == 0);
  CHECK(o.rules.grace_factor == 0.5);
  CHECK(o.rules.battery_low == 30);
  CHECK(o.rules.battery_critical == 15);
  CHECK(o.rules.battery_hysteresis == 2);
  const auto defaults = scenario_command({"scenario", "f.toml", "--expect"});
  CHECK(defaults.rules.grace_fixed_ms == 120000);
  CHECK(defaults.rules.battery_low == 20);
}

TEST_CASE("scenario usage errors", "[sim][scenario][cli]") {
  CHECK(error_of({"scenario"}).find("FILE") != std::string::npos);
  CHECK(error_of({"scenario", "--print"}).find("FILE") != std::string::npos);
  CHECK(error_of({"scenario", "f.toml"}).find("exactly one") != std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--print", "--expect"}).find("exactly one") !=
        std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--print", "--server", "h:1"}).find("exactly one") !=
        std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--server", "nohost"}).find("--server") !=
        std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--print", "--speed", "0"}).find("--speed") !=
        std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--print", "--speed", "fast"}).find("--speed") !=
        std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--expect", "--battery-low", "101"})
            .find("--battery-low") != std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--expect", "--start-ms", "-5"}).find("--start-ms") !=
        std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "g.toml", "--print"}).find("unexpected") !=
        std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--print", "--devices", "3"}).find("unknown option") !=
        std::string::npos);
  CHECK(std::holds_alternative<show_help>(parse_command_line({"scenario", "--help"})));
}

TEST_CASE("the playback clock scales scenario time and keeps clock skew", "[sim][scenario]") {
  const play_clock clock{1000000, 5000000, 600.0};
  CHECK(clock.to_wall(1000000) == 5000000);
  CHECK(clock.to_wall(1000000 + 600000) == 5001000);
  CHECK(clock.device_to_wall(1000000 + 600000 - 2500, -2500) == 5001000 - 2500);
}

TEST_CASE("scenario events become DeviceMessages with the given seq", "[sim][scenario]") {
  const play_clock clock{1000000, 9000000, 2.0};
  Event beat;
  beat.kind = EventKind::heartbeat;
  beat.device_id = "XM-1";
  beat.heartbeat = {17, true, false, -95};
  const auto hb = scenario_message(beat, 7, clock);
  REQUIRE(hb.has_heartbeat());
  CHECK(hb.heartbeat().seq() == 7);
  CHECK(hb.heartbeat().battery_pct() == 17);
  CHECK(hb.heartbeat().charging());
  CHECK_FALSE(hb.heartbeat().gps_available());
  CHECK(hb.heartbeat().signal_dbm() == -95);

  Event press;
  press.kind = EventKind::activation;
  press.device_id = "XM-1";
  press.t_ms = 1004000;
  press.device_clock_offset_ms = 300;
  press.activation = {ActivationTrigger::cancel, Fix{52.1, 5.2, 8.0F, 1004300, true}, 42,
                      1004300};
  const auto act = scenario_message(press, 8, clock);
  REQUIRE(act.has_activation());
  CHECK(act.activation().seq() == 8);
  CHECK(act.activation().trigger() == aware::v1::TRIGGER_CANCEL);
  CHECK(act.activation().battery_pct() == 42);
  CHECK(act.activation().device_time_ms() == 9002000 + 300);
  REQUIRE(act.activation().has_fix());
  CHECK(act.activation().fix().lat() == 52.1);
  CHECK(act.activation().fix().fix_time_ms() == 9002000 + 300);
  CHECK(act.activation().fix().source() == aware::v1::FIX_SOURCE_GPS);
  CHECK(act.activation().audio().kind() == aware::v1::AUDIO_KIND_PHONE);
  CHECK(act.activation().audio().address().rfind("+316", 0) == 0);
  press.activation.fix.reset();
  CHECK_FALSE(scenario_message(press, 9, clock).activation().has_fix());

  Event point;
  point.kind = EventKind::position;
  point.device_id = "XM-1";
  point.position = Fix{52.2, 5.3, 8.0F, 1010000, true};
  const auto pos = scenario_message(point, 10, clock);
  REQUIRE(pos.has_position());
  CHECK(pos.position().seq() == 10);
  CHECK(pos.position().fix().lon() == 5.3);
  CHECK(pos.position().fix().fix_time_ms() == 9005000);
}
