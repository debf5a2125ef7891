// test_cli.cpp — unit tests for xmark-sim's command-line parser (parse_command_line): the
// top-level commands, defaults and every option of `activate` and `fleet`, both "--name value"
// and "--name=value" forms, and the usage errors (missing or unknown command, required options,
// unknown / repeated / valueless options, positional arguments, bad numbers and addresses,
// conflicting position options), and the TLS options of every command (issue 6): which go
// together, and that TLS stays off without --ca.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "cli.hpp"

namespace v1 = aware::v1;
using namespace aware::sim;
using args = std::vector<std::string>;

namespace {

// The usage error text, or "" if the command line parsed.
std::string error_of(const args& a) {
  const auto r = parse_command_line(a);
  const auto* e = std::get_if<usage_error>(&r);
  return e != nullptr ? e->message : std::string{};
}

activate_options activate(args a) {
  a.insert(a.begin(), {"activate", "--server", "localhost:7000", "--device", "XM-1"});
  auto r = parse_command_line(a);
  if (const auto* e = std::get_if<usage_error>(&r)) {
    FAIL("usage error: " << e->message);
  }
  REQUIRE(std::holds_alternative<activate_options>(r));
  return std::get<activate_options>(r);
}

fleet_options fleet(args a) {
  a.insert(a.begin(), {"fleet", "--server", "localhost:7000"});
  auto r = parse_command_line(a);
  if (const auto* e = std::get_if<usage_error>(&r)) {
    FAIL("usage error: " << e->message);
  }
  REQUIRE(std::holds_alternative<fleet_options>(r));
  return std::get<fleet_options>(r);
}

}  // namespace

TEST_CASE("no command, an unknown command, help and version", "[sim][cli]") {
  CHECK(error_of({}).find("missing command") != std::string::npos);
  CHECK(error_of({"press"}).find("unknown command 'press'") != std::string::npos);
  CHECK(std::holds_alternative<show_help>(parse_command_line({"--help"})));
  CHECK(std::holds_alternative<show_help>(parse_command_line({"-h"})));
  CHECK(std::holds_alternative<show_help>(parse_command_line({"help"})));
  CHECK(std::holds_alternative<show_help>(parse_command_line({"activate", "--help"})));
  CHECK(std::holds_alternative<show_help>(parse_command_line({"fleet", "--help"})));
  CHECK(std::holds_alternative<show_version>(parse_command_line({"--version"})));
  CHECK(std::string(help_text()).find("Exit codes") != std::string::npos);
}

TEST_CASE("activate needs --server and --device", "[sim][cli]") {
  CHECK_FALSE(error_of({"activate"}).empty());
  CHECK_FALSE(error_of({"activate", "--server", "h:1"}).empty());
  CHECK_FALSE(error_of({"activate", "--device", "XM-1"}).empty());
}

TEST_CASE("activate defaults", "[sim][cli]") {
  const auto o = activate({});
  CHECK(o.server.host == "localhost");
  CHECK(o.server.port == "7000");
  CHECK(o.device_id == "XM-1");
  REQUIRE(o.fix.has_value());
  CHECK(o.fix->lat == 52.0907);
  CHECK(o.fix->lon == 5.1214);
  CHECK(o.fix->accuracy_m == 10.0F);
  CHECK(o.fix->source == v1::FIX_SOURCE_GPS);
  CHECK(o.trigger == v1::TRIGGER_ALARM);
  CHECK_FALSE(o.seq.has_value());
  CHECK_FALSE(o.boot_epoch.has_value());
  CHECK(o.audio.kind == v1::AUDIO_KIND_PHONE);
  CHECK(o.battery_pct == 80);
  CHECK(o.state_dir == "var/xmark-sim");
  CHECK(o.timeout_s == 60.0);
  CHECK_FALSE(o.json);
}

TEST_CASE("activate takes every option, in both forms", "[sim][cli]") {
  const auto o = activate({"--lat", "nan", "--lon=200.5", "--accuracy", "3.5", "--source=network",
                           "--trigger", "cancel", "--seq", "18446744073709551615",
                           "--boot-epoch=4294967295", "--audio-kind", "sip", "--audio",
                           "sip:x@y", "--codec=opus", "--battery", "150", "--state-dir", "/tmp/s",
                           "--timeout", "0.5", "--json"});
  REQUIRE(o.fix.has_value());
  CHECK(std::isnan(o.fix->lat));  // passed through unvalidated on purpose
  CHECK(o.fix->lon == 200.5);
  CHECK(o.fix->accuracy_m == 3.5F);
  CHECK(o.fix->source == v1::FIX_SOURCE_NETWORK);
  CHECK(o.trigger == v1::TRIGGER_CANCEL);
  CHECK(o.seq == 18446744073709551615ULL);
  CHECK(o.boot_epoch == 4294967295U);
  CHECK(o.audio.kind == v1::AUDIO_KIND_SIP);
  CHECK(o.audio.address == "sip:x@y");
  CHECK(o.audio.codec == "opus");
  CHECK(o.battery_pct == 150);
  CHECK(o.state_dir == "/tmp/s");
  CHECK(o.timeout_s == 0.5);
  CHECK(o.json);
}

TEST_CASE("activate --no-fix drops the position and excludes position options", "[sim][cli]") {
  CHECK_FALSE(activate({"--no-fix"}).fix.has_value());
  const args base = {"activate", "--server", "h:1", "--device", "d", "--no-fix"};
  for (const args& extra : {args{"--lat", "1", "--lon", "2"}, args{"--accuracy", "5"},
                            args{"--source", "gps"}}) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    CHECK(error_of(a).find("--no-fix") != std::string::npos);
  }
}

TEST_CASE("activate --lat and --lon go together", "[sim][cli]") {
  CHECK(error_of({"activate", "--server", "h:1", "--device", "d", "--lat", "1"}) ==
        "--lat and --lon go together");
  CHECK(error_of({"activate", "--server", "h:1", "--device", "d", "--lon", "1"}) ==
        "--lat and --lon go together");
}

TEST_CASE("server addresses in host:port and bracketed IPv6 form are parsed and bad forms refused", "[sim][cli]") {
  auto v6 = parse_command_line({"activate", "--server", "[::1]:7001", "--device", "d"});
  REQUIRE(std::holds_alternative<activate_options>(v6));
  CHECK(std::get<activate_options>(v6).server.host == "::1");
  CHECK(std::get<activate_options>(v6).server.port == "7001");
  for (const char* bad : {"localhost", ":7000", "localhost:", "h:0", "h:65536", "h:12a", "h:-1",
                          "[]:7000", ""}) {
    INFO("server '" << bad << "'");
    CHECK(error_of({"activate", "--server", bad, "--device", "d"}).find("--server") !=
          std::string::npos);
  }
  CHECK(error_of({"activate", "--server", "h:65535", "--device", "d"}).empty());
}

TEST_CASE("bad option values are usage errors naming the option", "[sim][cli]") {
  const args base = {"activate", "--server", "h:1", "--device", "d"};
  for (const args& extra :
       {args{"--seq", "12x"}, args{"--seq", "-1"}, args{"--seq", ""},
        args{"--boot-epoch", "4294967296"}, args{"--battery", "1.5"}, args{"--lat", "north",
        "--lon", "1"}, args{"--accuracy", "far"}, args{"--source", "glonass"},
        args{"--trigger", "panic"}, args{"--audio-kind", "video"}, args{"--timeout", "0"},
        args{"--timeout", "-5"}, args{"--timeout", "nan"}}) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    INFO(extra[0] << " " << extra[1]);
    const auto err = error_of(a);
    CHECK(err.find("invalid value") != std::string::npos);
  }
}

TEST_CASE("unknown, repeated, valueless and positional arguments are usage errors",
          "[sim][cli]") {
  CHECK(error_of({"activate", "--server", "h:1", "--device", "d", "--colour", "red"}) ==
        "unknown option '--colour'");
  CHECK(error_of({"activate", "--server", "h:1", "--device", "d", "--device", "e"}) ==
        "option '--device' given twice");
  CHECK(error_of({"activate", "--server", "h:1", "--device"}) == "option '--device' needs a value");
  CHECK(error_of({"activate", "--server", "h:1", "--device", "d", "extra"}) ==
        "unexpected argument 'extra'");
  CHECK(error_of({"activate", "--server", "h:1", "--device", "d", "--json=yes"}) ==
        "unknown option '--json'");
}

TEST_CASE("activate --timeout refuses an infinite value", "[sim][cli]") {
  CHECK_FALSE(error_of({"activate", "--server", "h:1", "--device", "d", "--timeout", "inf"})
                  .empty());
}

TEST_CASE("fleet needs a server and has documented defaults", "[sim][cli]") {
  CHECK(error_of({"fleet"}) == "fleet needs --server HOST:PORT");
  const auto o = fleet({});
  CHECK(o.devices == 5);
  CHECK(o.prefix == "XM-DEMO-");
  CHECK(o.first == 1);
  CHECK(o.interval_s == 20.0);
  CHECK(o.count == 0);
  CHECK(o.heartbeat_s == 60.0);
  CHECK(o.area_lat == 52.0907);
  CHECK(o.area_lon == 5.1214);
  CHECK(o.area_radius_m == 15000.0);
  CHECK_FALSE(o.seed.has_value());
  CHECK_FALSE(o.json);
}

TEST_CASE("fleet takes every option", "[sim][cli]") {
  const auto o = fleet({"--devices", "12", "--prefix=XM-T-", "--first", "100", "--interval-s",
                        "0.25", "--count", "7", "--heartbeat-s=5", "--area", "52.37,4.89,2500",
                        "--seed", "99", "--json"});
  CHECK(o.devices == 12);
  CHECK(o.prefix == "XM-T-");
  CHECK(o.first == 100);
  CHECK(o.interval_s == 0.25);
  CHECK(o.count == 7);
  CHECK(o.heartbeat_s == 5.0);
  CHECK(o.area_lat == 52.37);
  CHECK(o.area_lon == 4.89);
  CHECK(o.area_radius_m == 2500.0);
  CHECK(o.seed == 99U);
  CHECK(o.json);
}

TEST_CASE("fleet refuses bad values", "[sim][cli]") {
  const args base = {"fleet", "--server", "h:1"};
  for (const args& extra :
       {args{"--devices", "0"}, args{"--devices", "-3"}, args{"--interval-s", "0"},
        args{"--heartbeat-s", "-1"}, args{"--count", "x"}, args{"--area", "52,5"},
        args{"--area", "52,5,-1"}, args{"--area", "a,b,c"}, args{"--seed", "1.5"}}) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    INFO(extra[0] << " " << extra[1]);
    CHECK(error_of(a).find("invalid value") != std::string::npos);
  }
  CHECK(error_of({"fleet", "--server", "h:1", "--device", "x"}) == "unknown option '--device'");
}

namespace {

// The TLS options (issue 6): parse `a` as a command line that must succeed.

template <typename Options>
Options parsed(const args& a) {
  const auto r = parse_command_line(a);
  if (const auto* e = std::get_if<usage_error>(&r)) {
    FAIL("usage error: " << e->message);
  }
  REQUIRE(std::holds_alternative<Options>(r));
  return std::get<Options>(r);
}

const args kActivate = {"activate", "--server", "127.0.0.1:7400", "--device", "XM-1"};
const args kFleet = {"fleet", "--server", "127.0.0.1:7400"};
const args kScenario = {"scenario", "demo.toml", "--server", "127.0.0.1:7400"};

args plus(args base, const args& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

}  // namespace

TEST_CASE("without --ca every command stays on plain TCP", "[sim][cli][tls]") {
  CHECK(parsed<activate_options>(kActivate).tls.ca.empty());
  CHECK(parsed<fleet_options>(kFleet).tls.ca.empty());
  CHECK(parsed<scenario_options>(kScenario).tls.ca.empty());
}

TEST_CASE("activate takes --ca with its own --cert and --key", "[sim][cli][tls]") {
  const auto o = parsed<activate_options>(
      plus(kActivate, {"--ca", "ca.crt", "--cert=dev.crt", "--key", "dev.key"}));
  CHECK(o.tls.ca == "ca.crt");
  CHECK(o.tls.cert == "dev.crt");
  CHECK(o.tls.key == "dev.key");
  CHECK(o.tls.device_ca_cert.empty());
}

TEST_CASE("the exact scenario command of the dev script parses", "[sim][cli][tls]") {
  const auto o = parsed<scenario_options>(
      {"scenario", "FILE", "--server", "127.0.0.1:7400", "--ca", "var/tls/demo-ca.crt",
       "--device-ca-cert", "var/tls/demo-ca.crt", "--device-ca-key", "var/tls/demo-ca.key"});
  CHECK(o.what == scenario_options::mode::play);
  CHECK(o.tls.ca == "var/tls/demo-ca.crt");
  CHECK(o.tls.device_ca_cert == "var/tls/demo-ca.crt");
  CHECK(o.tls.device_ca_key == "var/tls/demo-ca.key");
}

TEST_CASE("fleet and activate take the device CA to mint certificates", "[sim][cli][tls]") {
  const args mint = {"--ca", "ca.crt", "--device-ca-cert", "dca.crt", "--device-ca-key", "dca.key"};
  CHECK(parsed<fleet_options>(plus(kFleet, mint)).tls.device_ca_key == "dca.key");
  CHECK(parsed<activate_options>(plus(kActivate, mint)).tls.device_ca_cert == "dca.crt");
}

TEST_CASE("TLS options that do not fit together are usage errors", "[sim][cli][tls]") {
  CHECK(error_of(plus(kActivate, {"--ca", "ca.crt"})).find("--cert") != std::string::npos);
  CHECK(error_of(plus(kFleet, {"--ca", "ca.crt"})).find("--device-ca-cert") != std::string::npos);
  CHECK(error_of(plus(kActivate, {"--ca", "c", "--cert", "d.crt"})) ==
        "--cert and --key go together");
  CHECK(error_of(plus(kActivate, {"--cert", "d.crt", "--key", "d.key"})).find("--ca") !=
        std::string::npos);
  CHECK(error_of(plus(kFleet, {"--ca", "c", "--cert", "d.crt", "--key", "d.key"}))
            .find("one device") != std::string::npos);
  CHECK(error_of(plus(kScenario, {"--ca", "c", "--device-ca-cert", "x"})) ==
        "--device-ca-cert and --device-ca-key go together");
  CHECK(error_of(plus(kActivate, {"--ca", "c", "--cert", "d", "--key", "k", "--device-ca-cert",
                                  "x", "--device-ca-key", "y"}))
            .find("not both") != std::string::npos);
  CHECK(error_of({"scenario", "f.toml", "--print", "--ca", "c", "--device-ca-cert", "x",
                  "--device-ca-key", "y"})
            .find("--server") != std::string::npos);
  CHECK(error_of(plus(kActivate, {"--ca", "a", "--ca", "b"})).find("twice") != std::string::npos);
}

