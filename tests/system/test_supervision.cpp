// test_supervision.cpp — system tests of device supervision and the AWARE trajectory (issue 5)
// with the real awared, raw devices and raw WebSocket consoles: a device that goes silent raises
// verbinding verloren for the PAC operator and a notice to its case worker, and its next message
// resolves it; battery alerts with hysteresis; a proefmelding window turns a press into a test
// (confirmed to the device, never to the police) and outside one a test press is a real alarm;
// the contract reminder and extending a contract. Label: supervision.
//
// Intervals are configured tiny (1 s, no grace); the tests wait for the console message that the
// rule produces, with the harness deadline — no sleeps, no timing assertions.
#include <utility>

#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <set>

#include <catch2/catch.hpp>

#include "device.pb.h"
#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

std::string count(const Awared& d, const std::string& table, const std::string& where) {
  return query_one(d.db(), "SELECT count(*) FROM " + table + " WHERE " + where);
}

// A PAC feed update about an alert of `kind` for `device` in `state`.
std::function<bool(const json&)> device_alert(const std::string& kind, const std::string& device,
                                              const std::string& state) {
  return [=](const json& f) {
    if (!f.contains("update")) {
      return false;
    }
    const auto& a = f["update"]["alert"];
    return a["kind"] == kind && a["deviceId"] == device && a["state"] == state;
  };
}

std::function<bool(const json&)> notice(const std::string& event) {
  return [=](const json& f) { return f.contains("notice") && f["notice"]["event"] == event; };
}

// C-001's case worker (demo registrations), percent-encoded.
const std::string kBakker = "/ws/hulpverlener?case_worker=J.%20Bakker%2C%20Veilig%20Thuis%20Utrecht";

bool http_ok(const std::string& reply) {
  return reply.rfind("HTTP/1.1 200", 0) == 0 || reply.rfind("HTTP/1.1 201", 0) == 0;
}

}  // namespace

TEST_CASE("a device that goes silent raises verbinding verloren, and its next message resolves it",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.supervision_toml = "grace_percent = 0\ngrace_s = 0\n"}};
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  Centralist bakker{awared.meldkamer_port(), "hv-1", kBakker};
  REQUIRE(pac.next());
  REQUIRE(bakker.next());
  // XM-DEMO-001 gets a heartbeat interval of its own: 1 s (the others keep 15 min).
  REQUIRE(http_ok(http_send(awared.meldkamer_port(), "PUT", "/api/v1/devices/XM-DEMO-001",
                            R"({"id":"XM-DEMO-001","client_id":"C-001","heartbeat_interval_s":1})")));

  const auto lost = pac.wait_for(device_alert("verbinding_verloren", "XM-DEMO-001", "ALERT_STATE_OPEN"));
  REQUIRE(lost);
  CHECK((*lost)["update"]["alert"]["severity"] == "ALERT_SEVERITY_URGENT");
  CHECK((*lost)["update"]["alert"]["clientId"] == "C-001");
  const auto told = bakker.wait_for(notice("verbinding_verloren"));
  REQUIRE(told);
  CHECK((*told)["notice"]["clientId"] == "C-001");

  Device device{awared.device_port(), "XM-DEMO-001"};
  device.heartbeat(1);
  REQUIRE(device.next().has_ack());
  const auto back = pac.wait_for(device_alert("verbinding_verloren", "XM-DEMO-001", "ALERT_STATE_RESOLVED"));
  REQUIRE(back);
  CHECK((*back)["update"]["alert"]["resolvedBy"] == "awared");
  REQUIRE(bakker.wait_for(notice("hersteld")));
  CHECK(count(awared, "alerts", "kind='verbinding_verloren' AND device_id='XM-DEMO-001'") == "1");

  // Silent again: a new alert (the first stays resolved), one at a time.
  const auto again = pac.wait_for(device_alert("verbinding_verloren", "XM-DEMO-001", "ALERT_STATE_OPEN"));
  REQUIRE(again);
  CHECK((*again)["update"]["alert"]["id"] != (*lost)["update"]["alert"]["id"]);
  CHECK(count(awared, "alerts", "kind='verbinding_verloren' AND device_id='XM-DEMO-001' AND state<>3") == "1");
  // The other demo devices keep the default interval: none of them is lost.
  CHECK(count(awared, "alerts", "kind='verbinding_verloren' AND device_id<>'XM-DEMO-001'") == "0");
}

TEST_CASE("a low and a critical battery raise alerts that resolve only above the hysteresis",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir};
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  Centralist bakker{awared.meldkamer_port(), "hv-1", kBakker};
  REQUIRE(pac.next());
  REQUIRE(bakker.next());
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.heartbeat(1, 15);
  REQUIRE(device.next().has_ack());
  const auto low = pac.wait_for(device_alert("batterij_laag", "XM-DEMO-001", "ALERT_STATE_OPEN"));
  REQUIRE(low);
  CHECK((*low)["update"]["alert"]["severity"] == "ALERT_SEVERITY_WARNING");

  device.heartbeat(2, 8);
  REQUIRE(device.next().has_ack());
  const auto critical = pac.wait_for(device_alert("batterij_kritiek", "XM-DEMO-001", "ALERT_STATE_OPEN"));
  REQUIRE(critical);
  CHECK((*critical)["update"]["alert"]["severity"] == "ALERT_SEVERITY_URGENT");
  REQUIRE(bakker.wait_for(notice("batterij_kritiek")));

  // 12 % is above critical (10) but below critical + hysteresis (15): still open. 24 % clears
  // both (>= 20 + 5 would be needed for laag: it stays; >= 15 clears kritiek).
  device.heartbeat(3, 12);
  REQUIRE(device.next().has_ack());
  device.heartbeat(4, 24);
  REQUIRE(device.next().has_ack());
  const auto cleared = pac.wait_for(device_alert("batterij_kritiek", "XM-DEMO-001", "ALERT_STATE_RESOLVED"));
  REQUIRE(cleared);
  CHECK(count(awared, "alerts", "kind='batterij_laag' AND state<>3") == "1");
  device.heartbeat(5, 25);
  REQUIRE(device.next().has_ack());
  REQUIRE(pac.wait_for(device_alert("batterij_laag", "XM-DEMO-001", "ALERT_STATE_RESOLVED")));
  CHECK(count(awared, "alerts", "kind LIKE 'batterij%' AND state<>3") == "0");
  CHECK(query_one(awared.db(), "SELECT battery_pct FROM device_status WHERE device_id='XM-DEMO-001'") == "25");
}

TEST_CASE("inside a proefmelding window a press is a test, outside one a test press is an alarm",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir};
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  REQUIRE(police.next());
  REQUIRE(pac.next());
  REQUIRE(open_test_window(awared, "XM-DEMO-001"));

  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1);  // an ordinary alarm press, but the window is open
  REQUIRE(device.next().has_ack());
  const auto confirmed = device.next();
  REQUIRE(confirmed.has_command());
  CHECK(confirmed.command().kind() == aware::v1::COMMAND_KIND_TEST_CONFIRMED);
  REQUIRE(pac.wait_for([](const json& f) {
    return f.contains("update") && f["update"]["alert"]["kind"] == "proefmelding";
  }));
  CHECK(count(awared, "incidents", "device_id='XM-DEMO-001' AND priority=3") == "1");
  CHECK(count(awared, "test_windows", "device_id='XM-DEMO-001' AND tests=1") == "1");
  CHECK(count(awared, "activations", "device_id='XM-DEMO-001' AND trigger='test'") == "1");

  // Closed early: now a test press is handled as a real alarm, flagged.
  REQUIRE(http_ok(http_send(awared.meldkamer_port(), "POST",
                            "/api/v1/devices/XM-DEMO-001/test-window/stop", R"({"by":"pac-1"})")));
  device.press(2, 52.0908, 5.1215, aware::v1::TRIGGER_TEST);
  REQUIRE(device.next().has_ack());
  const auto alarm = police.next();  // the first thing the police console sees
  REQUIRE(alarm);
  REQUIRE(alarm->contains("update"));
  const auto& inc = (*alarm)["update"]["incident"];
  CHECK(inc["priority"] == "PRIORITY_SPOED");
  CHECK(inc["seq"] == "2");
  const auto& flags = inc["flags"];
  CHECK(std::find(flags.begin(), flags.end(), "INCIDENT_FLAG_TEST_OUTSIDE_WINDOW") != flags.end());

  // A window for an unknown device is refused.
  CHECK(!open_test_window(awared, "XM-ONBEKEND"));
}

TEST_CASE("a contract ending within 14 days is reminded once, and extending it resolves that",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir};
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  Centralist visser{awared.meldkamer_port(), "hv-2", "/ws/hulpverlener?client=C-002"};
  REQUIRE(pac.next());
  REQUIRE(visser.next());
  const auto today = query_one(awared.db(), "SELECT date('now')");
  const auto soon = query_one(awared.db(), "SELECT date('now', '+5 days')");
  const auto later = query_one(awared.db(), "SELECT date('now', '+6 months')");
  REQUIRE(http_ok(http_send(awared.meldkamer_port(), "POST", "/api/v1/aops",
                            R"({"id":"AOP-NEW","client_id":"C-002","case_worker":"M. Visser, Blijf Groep","valid_from":")" +
                                today + R"(","valid_until":")" + soon + R"("})")));
  const auto reminder = pac.wait_for([](const json& f) {
    return f.contains("update") && f["update"]["alert"]["kind"] == "contract_einde";
  });
  REQUIRE(reminder);
  CHECK((*reminder)["update"]["alert"]["detail"].get<std::string>().find(soon) != std::string::npos);
  const auto told = visser.wait_for(notice("contract_einde"));
  REQUIRE(told);
  CHECK((*told)["notice"]["clientId"] == "C-002");
  CHECK(count(awared, "contract_reminders", "aop_id='AOP-NEW'") == "1");

  REQUIRE(http_ok(http_send(awared.meldkamer_port(), "PUT", "/api/v1/aops/AOP-NEW/contract",
                            R"({"valid_until":")" + later + R"(","by":"pac-1"})")));
  const auto resolved = pac.wait_for([](const json& f) {
    return f.contains("update") && f["update"]["alert"]["kind"] == "contract_einde" &&
           f["update"]["alert"]["state"] == "ALERT_STATE_RESOLVED";
  });
  REQUIRE(resolved);
  CHECK((*resolved)["update"]["alert"]["resolvedBy"] == "pac");  // the REST call's user
  CHECK(query_one(awared.db(), "SELECT valid_until FROM aops WHERE id='AOP-NEW'") == later);
  const auto listed = http_get(awared.meldkamer_port(), "/api/v1/contracts?ending_within_days=14");
  CHECK(listed.find("AOP-NEW") == std::string::npos);

  // An AOP registered without an end runs six months.
  REQUIRE(http_ok(http_send(awared.meldkamer_port(), "POST", "/api/v1/aops",
                            R"({"id":"AOP-SIX","client_id":"C-003","valid_from":"2026-08-31"})")));
  CHECK(query_one(awared.db(), "SELECT valid_until FROM aops WHERE id='AOP-SIX'") == "2027-02-28");
}

namespace {

// A short live scenario for the four demo devices: one second per heartbeat, so the real
// awared (interval 1 s, grace 3 s) sees a day's kinds of trouble in twelve seconds.
constexpr const char* kLiveScenario = R"(
seed = 11
start_ms = 1767225600000
duration_s = 12

[[group]]
name = "laag"
count = 1
id_prefix = "XM-DEMO-"
first = 1
heartbeat_interval_s = 1
battery_start_pct = 15
drain_pct_per_hour = 0

[[group]]
name = "buiten bereik"
count = 1
id_prefix = "XM-DEMO-"
first = 2
heartbeat_interval_s = 1
battery_start_pct = 90
drain_pct_per_hour = 0
[group.flapping]
at_s = [2]
min_s = 7
max_s = 7

[[group]]
name = "kritiek"
count = 1
id_prefix = "XM-DEMO-"
first = 3
heartbeat_interval_s = 1
battery_start_pct = 8
drain_pct_per_hour = 0

[[group]]
name = "gezond"
count = 1
id_prefix = "XM-DEMO-"
first = 4
heartbeat_interval_s = 1
battery_start_pct = 80
drain_pct_per_hour = 0
)";

// "device kind resolved|open" for each line of `xmark-sim scenario --expect` output.
std::multiset<std::string> expected_from(Process& expect) {
  std::multiset<std::string> out;
  while (auto line = expect.read_line()) {
    const auto j = json::parse(*line);
    out.insert(j["device"].get<std::string>() + " " + j["kind"].get<std::string>() + " " +
               (j["resolved_ms"].is_null() ? "open" : "resolved"));
  }
  return out;
}

}  // namespace

TEST_CASE("a live scenario played by xmark-sim raises the alerts the simulator's oracle expects",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.supervision_toml =
                                       "heartbeat_interval_s = 1\ngrace_percent = 0\ngrace_s = 3\n"}};
  const auto file = dir.path() / "live.toml";
  {
    std::ofstream out{file};
    out << kLiveScenario;
  }
  const auto start = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     500;
  const auto start_arg = std::to_string(start);
  Process expect{{xmark_sim_bin(), "scenario", file.string(), "--expect", "--start-ms", start_arg,
                  "--grace-fixed-ms", "3000", "--grace-factor", "0"},
                 {},
                 dir.path() / "expect.log"};
  const auto expected = expected_from(expect);
  REQUIRE(expect.wait());
  REQUIRE(expected.size() == 4);  // laag (001), laag + kritiek (003), lost and back (002)

  Process play{{xmark_sim_bin(), "scenario", file.string(), "--server",
                "127.0.0.1:" + std::to_string(awared.device_port()), "--start-ms", start_arg},
               {},
               dir.path() / "play.log"};
  const auto status = play.wait(std::chrono::seconds(60));
  REQUIRE(status);
  REQUIRE(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);  // every message acked

  // What awared raised during the scenario (after it, every device goes silent, which is right
  // but outside the oracle's window).
  const auto end = std::to_string(start + 12'000);
  std::multiset<std::string> got;
  for (const auto& device : {"XM-DEMO-001", "XM-DEMO-002", "XM-DEMO-003", "XM-DEMO-004"}) {
    for (const auto& kind : {"verbinding_verloren", "batterij_laag", "batterij_kritiek"}) {
      const std::string where = std::string("device_id='") + device + "' AND kind='" + kind +
                                "' AND opened_ms < " + end;
      const auto resolved = std::stoi(count(awared, "alerts", where + " AND state=3"));
      const auto open = std::stoi(count(awared, "alerts", where + " AND state<>3"));
      for (int i = 0; i < resolved; ++i) {
        got.insert(std::string(device) + " " + kind + " resolved");
      }
      for (int i = 0; i < open; ++i) {
        got.insert(std::string(device) + " " + kind + " open");
      }
    }
  }
  CHECK(got == expected);
}

TEST_CASE("with the test channel on, a proefmelding reaches only the consoles that asked for it",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.dispatch_toml = "test_channel = true\n"}};
  Centralist test_desk{awared.meldkamer_port(), "testdesk",
                       "/ws/meldkamer?regions=midden-nederland&tests=1"};
  Centralist police{awared.meldkamer_port(), "centralist-1", "/ws/meldkamer?regions=midden-nederland"};
  REQUIRE(test_desk.next());
  REQUIRE(police.next());
  REQUIRE(open_test_window(awared, "XM-DEMO-001"));
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1);
  REQUIRE(device.next().has_ack());
  const auto seen = test_desk.next();
  REQUIRE(seen);
  REQUIRE(seen->contains("update"));
  CHECK((*seen)["update"]["incident"]["priority"] == "PRIORITY_TEST");
  CHECK((*seen)["update"]["incident"]["deviceId"] == "XM-DEMO-001");

  Device other{awared.device_port(), "XM-DEMO-003"};
  other.press(1);
  REQUIRE(other.next().has_ack());
  const auto first = police.next();  // the police console's first update is the real alarm
  REQUIRE(first);
  REQUIRE(first->contains("update"));
  CHECK((*first)["update"]["incident"]["deviceId"] == "XM-DEMO-003");
  CHECK((*first)["update"]["incident"]["priority"] == "PRIORITY_SPOED");
}
