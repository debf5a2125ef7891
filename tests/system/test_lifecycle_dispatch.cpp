// test_lifecycle_dispatch.cpp — system tests of the incident lifecycle rules of issue 4 with
// the real awared, xmark-sim / a raw device connection and the meldkamer console: a repeated
// press joins the incident (merge_window, also after a close), a proefmelding never reaches a
// console, a cancel flags without closing, and live tracking (START_TRACKING, the track on the
// console and in the database, STOP_TRACKING + CLEAR_AUDIO after a centralist's close, no
// positions stored without an open incident). Label: dispatch.
//
// The console client can only accept, so closing goes through Centralist (raw_clients.hpp).
#include <utility>

#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>

#include "device.pb.h"
#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
namespace v1 = aware::v1;

namespace {

using json = nlohmann::json;

std::string count(const Awared& d, const std::string& table, const std::string& where) {
  return query_one(d.db(), "SELECT count(*) FROM " + table + " WHERE " + where);
}

bool has_flag(const json& incident, const std::string& flag) {
  const auto& flags = incident["flags"];
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

}  // namespace

TEST_CASE("a second press within merge_window updates the same incident, also after a close",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", {"--seq", "1"}).exit_code == 0);
  const auto first = console.wait_incident("XM-DEMO-001");
  REQUIRE(first);
  const auto id = (*first)["id"].get<std::string>();

  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", {"--seq", "2"}).exit_code == 0);
  const auto repeated = console.wait_incident("XM-DEMO-001", [](const json& i) {
    return i.value("activationCount", 0) == 2;
  });
  REQUIRE(repeated);
  CHECK((*repeated)["id"] == id);
  CHECK(has_flag(*repeated, "INCIDENT_FLAG_REPEATED_ACTIVATION"));
  CHECK(count(awared, "incidents", "device_id='XM-DEMO-001'") == "1");

  Centralist centralist{awared.meldkamer_port(), "centralist-3"};
  REQUIRE(centralist.accept_and_close(id, "per ongeluk / vals alarm"));
  REQUIRE(console.wait_incident("XM-DEMO-001", [](const json& i) {
    return i["state"] == "INCIDENT_STATE_CLOSED";
  }));

  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", {"--seq", "3"}).exit_code == 0);
  const auto reopened = console.wait_incident("XM-DEMO-001", [](const json& i) {
    return i.value("activationCount", 0) == 3;
  });
  REQUIRE(reopened);
  CHECK((*reopened)["id"] == id);
  CHECK((*reopened)["state"] != "INCIDENT_STATE_CLOSED");
  CHECK(reopened->value("acceptedBy", "").empty());
  CHECK(count(awared, "incidents", "device_id='XM-DEMO-001' AND state<4") == "1");
  CHECK(count(awared, "activations", "device_id='XM-DEMO-001'") == "3");
  CHECK(count(awared, "incidents", "1") == "1");
}

TEST_CASE("a proefmelding is acked and stored but never reaches a console", "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  REQUIRE(open_test_window(awared, "XM-DEMO-002"));
  const auto test = activate(dir, awared.device_port(), "XM-DEMO-002", {"--trigger", "test"});
  REQUIRE(test.exit_code == 0);
  CHECK(test.reply.value()["event"] == "ack");
  CHECK(count(awared, "incidents", "device_id='XM-DEMO-002' AND priority=3") == "1");

  // An alarm acked after the proefmelding: the console sees it, and nothing of the test before.
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-003").exit_code == 0);
  bool saw_alarm = false;
  while (auto line = console.next()) {
    if (line->contains("incident")) {
      CHECK((*line)["incident"]["deviceId"] != "XM-DEMO-002");
      if ((*line)["incident"]["deviceId"] == "XM-DEMO-003") {
        saw_alarm = true;
        break;
      }
    }
  }
  CHECK(saw_alarm);
  Console later{dir, awared.meldkamer_port()};
  const auto snapshot = later.wait_synced();
  REQUIRE(snapshot.size() == 1);
  CHECK(snapshot[0]["deviceId"] == "XM-DEMO-003");
  std::ifstream log{awared.log_file()};
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  CHECK(text.find("AWR-4005") != std::string::npos);
}

TEST_CASE("a cancel flags the open incident without closing it", "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", {"--seq", "1"}).exit_code == 0);
  const auto opened = console.wait_incident("XM-DEMO-001");
  REQUIRE(opened);
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", {"--seq", "2", "--trigger", "cancel"})
              .exit_code == 0);
  const auto cancelled = console.wait_incident("XM-DEMO-001", [](const json& i) {
    return has_flag(i, "INCIDENT_FLAG_CANCEL_REQUESTED");
  });
  REQUIRE(cancelled);
  CHECK((*cancelled)["id"] == (*opened)["id"]);
  CHECK((*cancelled)["state"] != "INCIDENT_STATE_CLOSED");
  CHECK(count(awared, "incidents", "device_id='XM-DEMO-001' AND state<4") == "1");

  // A cancel with nothing open is stored without an incident, and acked.
  const auto alone =
      activate(dir, awared.device_port(), "XM-DEMO-002", {"--trigger", "cancel"});
  REQUIRE(alone.exit_code == 0);
  CHECK(alone.reply.value()["event"] == "ack");
  CHECK(count(awared, "activations", "device_id='XM-DEMO-002' AND incident_id IS NULL") == "1");
  CHECK(count(awared, "incidents", "device_id='XM-DEMO-002'") == "0");
}

TEST_CASE("live tracking: START_TRACKING, the track on the console and in the store, "
          "STOP_TRACKING and CLEAR_AUDIO after the close",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  Device device{awared.device_port(), "XM-DEMO-001"};

  // No open incident: acked, not stored.
  device.position(1, 52.1, 5.1);
  const auto early = device.next();
  REQUIRE(early.has_ack());
  CHECK(early.ack().seq() == 1);
  CHECK(count(awared, "positions", "1") == "0");

  device.press(2);
  const auto ack = device.next();
  REQUIRE(ack.has_ack());
  CHECK(ack.ack().seq() == 2);
  const auto start = device.next();
  REQUIRE(start.has_command());
  CHECK(start.command().kind() == v1::COMMAND_KIND_START_TRACKING);
  CHECK(start.command().interval_s() == 10);
  const auto opened = console.wait_incident("XM-DEMO-001");
  REQUIRE(opened);
  const auto id = (*opened)["id"].get<std::string>();

  device.position(3, 52.0931, 5.1302);
  const auto pos_ack = device.next();
  REQUIRE(pos_ack.has_ack());
  CHECK(pos_ack.ack().seq() == 3);
  CHECK(count(awared, "positions", "device_id='XM-DEMO-001' AND seq=3") == "1");
  const auto tracked = console.wait_incident("XM-DEMO-001", [](const json& i) {
    return i.contains("track") && !i["track"].empty();
  });
  REQUIRE(tracked);
  CHECK((*tracked)["track"][0]["lat"].get<double>() == Approx(52.0931));
  CHECK((*tracked)["track"][0]["lon"].get<double>() == Approx(5.1302));

  Centralist centralist{awared.meldkamer_port(), "centralist-9"};
  REQUIRE(centralist.accept_and_close(id, "pleger aangehouden"));
  const auto stop = device.next();
  REQUIRE(stop.has_command());
  CHECK(stop.command().kind() == v1::COMMAND_KIND_STOP_TRACKING);
  const auto clear = device.next();
  REQUIRE(clear.has_command());
  CHECK(clear.command().kind() == v1::COMMAND_KIND_CLEAR_AUDIO);

  // Closed: a late position is acked and not stored.
  device.position(4, 52.2, 5.2);
  const auto late = device.next();
  REQUIRE(late.has_ack());
  CHECK(late.ack().seq() == 4);
  CHECK(count(awared, "positions", "1") == "1");
}

TEST_CASE("commands go to the connection whose Hello came last", "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Device old_link{awared.device_port(), "XM-DEMO-002"};
  old_link.heartbeat(1);
  REQUIRE(old_link.next().has_ack());
  Device new_link{awared.device_port(), "XM-DEMO-002"};
  new_link.heartbeat(2);  // acked only after its Hello was handled
  REQUIRE(new_link.next().has_ack());

  old_link.press(3);
  const auto ack = old_link.next();
  REQUIRE(ack.has_ack());
  CHECK(ack.ack().seq() == 3);
  const auto start = new_link.next();
  REQUIRE(start.has_command());
  CHECK(start.command().kind() == v1::COMMAND_KIND_START_TRACKING);
}
