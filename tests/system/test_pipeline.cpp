// test_pipeline.cpp — system tests of the whole path, real processes on loopback:
// xmark-sim → awared (ingest → match → store) → meldkamer console. Also durability: the ack
// follows the commit, duplicates make no second incident, and a SIGKILLed awared loses nothing
// it acknowledged.
#include <sys/wait.h>

#include <csignal>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace aware::systest;

namespace {

std::string count(const Awared& d, const std::string& table, const std::string& where = "1") {
  return query_one(d.db(), "SELECT count(*) FROM " + table + " WHERE " + where);
}

bool killed_by_sigkill(const std::optional<int>& status) {
  return status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL;
}

}  // namespace

TEST_CASE("an activation reaches the console with its GPS fix, audio channel and AOP context",
          "[system]") {
  TempDir dir;
  Awared awared{dir};
  Console console{dir, awared.meldkamer_port()};
  REQUIRE(console.wait_synced().empty());

  const auto sim = activate(dir, awared.device_port(), "XM-DEMO-001",
                            {"--lat", "52.0908", "--lon", "5.1215", "--accuracy", "12",
                             "--audio-kind", "sip", "--audio", "sip:xm001@pac.example",
                             "--codec", "opus"});
  REQUIRE(sim.exit_code == 0);
  REQUIRE(sim.reply.value()["event"] == "ack");

  const auto inc = console.wait_incident("XM-DEMO-001");
  REQUIRE(inc);
  CHECK((*inc)["priority"] == "PRIORITY_SPOED");
  CHECK((*inc)["position"]["lat"].get<double>() == Approx(52.0908));
  CHECK((*inc)["position"]["lon"].get<double>() == Approx(5.1215));
  CHECK((*inc)["position"]["accuracyM"].get<double>() == Approx(12));
  CHECK((*inc)["position"]["source"] == "gps");
  CHECK((*inc)["audio"]["kind"] == "sip");
  CHECK((*inc)["audio"]["address"] == "sip:xm001@pac.example");
  CHECK((*inc)["audio"]["codec"] == "opus");
  CHECK((*inc)["clientId"] == "C-001");
  CHECK((*inc)["aop"]["aopId"] == "AOP-001");
  CHECK((*inc)["region"] == "midden-nederland");
  REQUIRE_FALSE((*inc)["aols"].empty());
  CHECK((*inc)["aols"][0]["aolId"] == "AOL-001");
  CHECK((*inc)["aols"][0]["inside"] == true);
  CHECK((*inc)["flags"].empty());

  // Being on the console's screen moves it to DELIVERED, and that is persisted.
  REQUIRE(console.wait_incident("XM-DEMO-001", [](const auto& i) {
    return i["state"] == "INCIDENT_STATE_DELIVERED";
  }));
  CHECK(count(awared, "incidents", "state=2") == "1");
}

TEST_CASE("an unknown device and an invalid position still make a spoedmelding, flagged",
          "[system]") {
  TempDir dir;
  Awared awared{dir};
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  const auto sim = activate(dir, awared.device_port(), "XM-NOT-REGISTERED",
                            {"--lat", "95", "--lon", "5.1"});
  REQUIRE(sim.exit_code == 0);
  const auto inc = console.wait_incident("XM-NOT-REGISTERED");
  REQUIRE(inc);
  CHECK((*inc)["priority"] == "PRIORITY_SPOED");
  CHECK_FALSE(inc->contains("position"));
  const auto& flags = (*inc)["flags"];
  CHECK(std::find(flags.begin(), flags.end(), "INCIDENT_FLAG_UNKNOWN_DEVICE") != flags.end());
  CHECK(std::find(flags.begin(), flags.end(), "INCIDENT_FLAG_INVALID_POSITION") != flags.end());
  CHECK((*inc)["region"] == "landelijk");

  const auto nan = activate(dir, awared.device_port(), "XM-DEMO-002", {"--lat", "nan", "--lon", "5"});
  REQUIRE(nan.exit_code == 0);
  const auto inc2 = console.wait_incident("XM-DEMO-002");
  REQUIRE(inc2);
  CHECK_FALSE(inc2->contains("position"));
  CHECK(count(awared, "activations", "device_id='XM-DEMO-002' AND fix_invalid=1 AND lat IS NULL") == "1");
}

TEST_CASE("the device is acked only after its activation is committed", "[system]") {
  TempDir dir;
  Awared awared{dir};
  SECTION("when the ack arrives, the row is already durable") {
    const auto sim = activate(dir, awared.device_port(), "XM-DEMO-003", {"--seq", "41"});
    REQUIRE(sim.exit_code == 0);
    // Read by a separate connection the moment the ack is in: the commit happened before.
    CHECK(count(awared, "activations", "device_id='XM-DEMO-003' AND seq=41") == "1");
    CHECK(count(awared, "incidents", "device_id='XM-DEMO-003' AND seq=41") == "1");
  }
  SECTION("a crash before the commit means no ack; the device retransmits to the new awared") {
    awared.process().signal(SIGTERM);
    REQUIRE(awared.process().wait());
    awared.restart({{"AWARED_CRASH_AT", "before_commit"}});
    auto sim = start_activate(dir, awared.device_port(), "XM-DEMO-003", {"--seq", "42"});
    REQUIRE(killed_by_sigkill(awared.process().wait()));
    CHECK(count(awared, "activations", "device_id='XM-DEMO-003' AND seq=42") == "0");
    awared.restart();
    const auto line = sim->read_line();
    REQUIRE(line);
    const auto reply = nlohmann::json::parse(*line);
    CHECK(reply["event"] == "ack");
    CHECK(reply["seq"] == 42);
    CHECK(reply["attempts"].get<int>() > 1);
    CHECK(count(awared, "activations", "device_id='XM-DEMO-003' AND seq=42") == "1");
  }
  SECTION("a crash after the commit but before the ack: the retransmission is acked, once") {
    awared.process().signal(SIGTERM);
    REQUIRE(awared.process().wait());
    awared.restart({{"AWARED_CRASH_AT", "after_commit"}});
    auto sim = start_activate(dir, awared.device_port(), "XM-DEMO-003", {"--seq", "43"});
    REQUIRE(killed_by_sigkill(awared.process().wait()));
    CHECK(count(awared, "activations", "device_id='XM-DEMO-003' AND seq=43") == "1");
    awared.restart();
    const auto line = sim->read_line();
    REQUIRE(line);
    CHECK(nlohmann::json::parse(*line)["event"] == "ack");
    CHECK(count(awared, "activations", "device_id='XM-DEMO-003' AND seq=43") == "1");
    CHECK(count(awared, "incidents", "device_id='XM-DEMO-003' AND seq=43") == "1");
  }
}

TEST_CASE("a duplicate sequence number does not create a second incident", "[system]") {
  TempDir dir;
  Awared awared{dir};
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", {"--seq", "7"}).exit_code == 0);
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", {"--seq", "7"}).exit_code == 0);
  CHECK(count(awared, "activations", "device_id='XM-DEMO-001'") == "1");
  CHECK(count(awared, "incidents", "device_id='XM-DEMO-001'") == "1");

  // A device whose numbering restarted (new boot epoch) is served: a new activation, which
  // joins the still open incident (merge_window) instead of opening a second one.
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", {"--seq", "7", "--boot-epoch", "2"})
              .exit_code == 0);
  CHECK(count(awared, "activations", "device_id='XM-DEMO-001'") == "2");
  CHECK(count(awared, "incidents", "device_id='XM-DEMO-001' AND activation_count=2") == "1");

  Console console{dir, awared.meldkamer_port()};
  const auto snapshot = console.wait_synced();
  REQUIRE(snapshot.size() == 1);
  CHECK(snapshot[0]["activationCount"] == 2);
}

TEST_CASE("an alarm that arrives while no console is connected is delivered when one connects",
          "[system]") {
  TempDir dir;
  Awared awared{dir};
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-004").exit_code == 0);
  CHECK(count(awared, "incidents", "state=1") == "1");  // stored, not yet on a screen
  Console console{dir, awared.meldkamer_port()};
  const auto snapshot = console.wait_synced();
  REQUIRE(snapshot.size() == 1);
  CHECK(snapshot[0]["deviceId"] == "XM-DEMO-004");
  // The demo AOP of XM-DEMO-004's client has ended: still SPOED, flagged.
  CHECK(snapshot[0]["priority"] == "PRIORITY_SPOED");
  const auto& flags = snapshot[0]["flags"];
  CHECK(std::find(flags.begin(), flags.end(), "INCIDENT_FLAG_CONTRACT_EXPIRED") != flags.end());
}

TEST_CASE("awared killed with SIGKILL right after acking: the incident reaches a later console",
          "[system]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.env = {{"AWARED_CRASH_AT", "after_ack"}}}};
  const auto sim = activate(dir, awared.device_port(), "XM-DEMO-002");
  REQUIRE(sim.exit_code == 0);
  REQUIRE(killed_by_sigkill(awared.process().wait()));
  awared.restart();
  Console console{dir, awared.meldkamer_port()};
  const auto snapshot = console.wait_synced();
  REQUIRE(snapshot.size() == 1);
  CHECK(snapshot[0]["deviceId"] == "XM-DEMO-002");
  CHECK(query_one(awared.db(), "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a centralist accepts an incident and every console sees who", "[system]") {
  TempDir dir;
  Awared awared{dir};
  Console watcher{dir, awared.meldkamer_port()};
  watcher.wait_synced();
  Console acceptor{dir, awared.meldkamer_port(), {"--accept", "--name", "centralist-7"}};
  acceptor.wait_synced();
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001").exit_code == 0);
  const auto accepted = watcher.wait_incident("XM-DEMO-001", [](const auto& i) {
    return i["state"] == "INCIDENT_STATE_ACCEPTED";
  });
  REQUIRE(accepted);
  CHECK((*accepted)["acceptedBy"] == "centralist-7");
  CHECK(count(awared, "incident_events", "state=3 AND who='centralist-7'") == "1");
}
