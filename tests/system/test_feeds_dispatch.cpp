// test_feeds_dispatch.cpp — system tests of the feeds beside the police consoles (issue 4,
// items 2, 3, 7 and 8) with the real awared, raw devices and raw WebSocket consoles: the PAC
// operator's alert queue (/ws/pac: proefmelding, escalation; acknowledge and resolve), the case
// workers' notices (/ws/hulpverlener, least data, only their clients, ?since= backlog), the
// webhook (every notice, in order, retried after a failure), the configured close outcomes,
// and a console that sees a gap in its sequence numbers resyncing (the real meldkamer client,
// with awared told to skip one seq). Label: dispatch.
//
// Every wait ends on the message it waits for, with the harness deadline; no sleeps.
#include <utility>

#include <csignal>

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

// A PAC feed update about an alert of `kind` in `state` (ALERT_STATE_…).
std::function<bool(const json&)> alert_update(const std::string& kind, const std::string& state) {
  return [kind, state](const json& f) {
    return f.contains("update") && f["update"]["alert"]["kind"] == kind &&
           f["update"]["alert"]["state"] == state;
  };
}

json pac_request(const std::string& verb, const std::string& id, const std::string& who) {
  return json{{verb, {{"alertId", id}, {"operatorName", who}}}};
}

// C-001's case worker (demo registrations), percent-encoded for the URL.
const std::string kBakker = "/ws/hulpverlener?case_worker=J.%20Bakker%2C%20Veilig%20Thuis%20Utrecht";

}  // namespace

TEST_CASE("a proefmelding goes to the PAC operator's queue and never to a police console",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  REQUIRE(police.next());
  const auto snapshot = pac.next();
  REQUIRE(snapshot);
  CHECK((*snapshot)["snapshot"]["alerts"].empty());
  REQUIRE(open_test_window(awared, "XM-DEMO-001"));
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1, 52.0908, 5.1215, aware::v1::TRIGGER_TEST);
  REQUIRE(device.next().has_ack());
  // The device is told the test arrived, so it can signal "test ok".
  const auto confirmed = device.next();
  REQUIRE(confirmed.has_command());
  CHECK(confirmed.command().kind() == aware::v1::COMMAND_KIND_TEST_CONFIRMED);

  const auto raised = pac.wait_for(alert_update("proefmelding", "ALERT_STATE_OPEN"));
  REQUIRE(raised);
  const auto alert = (*raised)["update"]["alert"];
  CHECK(alert["severity"] == "ALERT_SEVERITY_INFO");
  CHECK(alert["deviceId"] == "XM-DEMO-001");
  CHECK(alert["clientId"] == "C-001");
  CHECK(alert["incidentId"].get<std::string>().rfind("M-", 0) == 0);
  const std::string id = alert["id"];

  pac.send(pac_request("acknowledge", id, "pac-1"));
  const auto acked = pac.wait_for(alert_update("proefmelding", "ALERT_STATE_ACKNOWLEDGED"));
  REQUIRE(acked);
  CHECK((*acked)["update"]["alert"]["acknowledgedBy"] == "pac-1");
  pac.send(pac_request("acknowledge", id, "pac-2"));  // twice: refused
  const auto twice = pac.wait_for([](const json& f) { return f.contains("error"); });
  REQUIRE(twice);
  CHECK((*twice)["error"]["text"].get<std::string>().find("already acknowledged by pac-1") !=
        std::string::npos);
  pac.send(pac_request("resolve", id, "pac-1"));
  const auto resolved = pac.wait_for(alert_update("proefmelding", "ALERT_STATE_RESOLVED"));
  REQUIRE(resolved);
  CHECK((*resolved)["update"]["alert"]["resolvedBy"] == "pac-1");
  CHECK(count(awared, "alerts", "state=3 AND acked_by='pac-1' AND resolved_by='pac-1'") == "1");

  // The police console's first message after its snapshot is a real alarm (of a device with
  // no window open), not the test.
  Device other{awared.device_port(), "XM-DEMO-003"};
  other.press(1);
  REQUIRE(other.next().has_ack());
  const auto first = police.next();
  REQUIRE(first);
  REQUIRE(first->contains("update"));
  CHECK((*first)["update"]["incident"]["priority"] == "PRIORITY_SPOED");
  CHECK((*first)["update"]["incident"]["deviceId"] == "XM-DEMO-003");

  // A new PAC console's snapshot leaves the resolved alert out.
  Centralist later{awared.meldkamer_port(), "pac-2", "/ws/pac"};
  const auto again = later.next();
  REQUIRE(again);
  CHECK((*again)["snapshot"]["alerts"].empty());
}

TEST_CASE("an escalated incident raises a PAC alert that resolves itself when it is accepted",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.dispatch_toml = "deliver_timeout_s = 1\n"}};
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  Centralist landelijk{awared.meldkamer_port(), "centralist-l", "/ws/meldkamer?regions=landelijk"};
  REQUIRE(pac.next());
  REQUIRE(landelijk.next());
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1);
  REQUIRE(device.next().has_ack());

  const auto raised = pac.wait_for(alert_update("niet_afgeleverd", "ALERT_STATE_OPEN"));
  REQUIRE(raised);
  const auto& alert = (*raised)["update"]["alert"];
  CHECK(alert["severity"] == "ALERT_SEVERITY_URGENT");
  CHECK(alert["detail"].get<std::string>().find("midden-nederland") != std::string::npos);
  const std::string incident = alert["incidentId"];

  const auto escalated = landelijk.wait_for([](const json& f) { return f.contains("update"); });
  REQUIRE(escalated);
  landelijk.send(json{{"accept", {{"incidentId", incident}, {"centralist", "centralist-l"}}}});
  const auto resolved = pac.wait_for(alert_update("niet_afgeleverd", "ALERT_STATE_RESOLVED"));
  REQUIRE(resolved);
  CHECK((*resolved)["update"]["alert"]["resolvedBy"] == "awared");
  CHECK(count(awared, "alerts", "kind='niet_afgeleverd' AND state=3") == "1");

  pac.send(pac_request("resolve", (*resolved)["update"]["alert"]["id"], "pac-1"));
  const auto refused = pac.wait_for([](const json& f) { return f.contains("error"); });
  REQUIRE(refused);
  CHECK((*refused)["error"]["request"] == "resolve");
  CHECK((*refused)["error"]["text"].get<std::string>().find("not open") != std::string::npos);
}

TEST_CASE("case workers get a minimal notice of each activation and close, for their clients "
          "only",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  Centralist bakker{awared.meldkamer_port(), "hv-1", kBakker};
  Centralist other{awared.meldkamer_port(), "hv-2", "/ws/hulpverlener?client=C-002"};
  REQUIRE(police.next());
  const auto empty = bakker.next();
  REQUIRE(empty);
  CHECK((*empty)["backlog"]["notices"].empty());
  REQUIRE(other.next());

  Device anna{awared.device_port(), "XM-DEMO-001"};  // client C-001
  anna.press(1);
  REQUIRE(anna.next().has_ack());
  const auto first = bakker.next();
  REQUIRE(first);
  const auto notice = (*first)["notice"];
  CHECK(notice["clientId"] == "C-001");
  CHECK(notice["event"] == "activatie");
  CHECK(notice["state"] == "new");
  // Least data: exactly these fields, no position, no pleger, no AOL.
  std::vector<std::string> keys;
  for (const auto& [key, value] : notice.items()) {
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"atMs", "clientId", "event", "id", "incidentId", "state"});
  const std::string incident = notice["incidentId"];
  const std::string first_id = notice["id"];

  // The other case worker follows C-002 only: their first notice is about Fatima's press.
  Device fatima{awared.device_port(), "XM-DEMO-003"};  // client C-002
  fatima.press(1);
  REQUIRE(fatima.next().has_ack());
  const auto theirs = other.next();
  REQUIRE(theirs);
  CHECK((*theirs)["notice"]["clientId"] == "C-002");

  REQUIRE(police.accept_and_close(incident, "per ongeluk / vals alarm"));
  const auto closed = bakker.next();
  REQUIRE(closed);
  CHECK((*closed)["notice"]["event"] == "afgesloten");
  CHECK((*closed)["notice"]["state"] == "closed");
  CHECK((*closed)["notice"]["incidentId"] == incident);

  // Reconnecting with ?since= replays what came after that notice, nothing else.
  Centralist replay_all{awared.meldkamer_port(), "hv-1", kBakker + "&since=0"};
  const auto all = replay_all.next();
  REQUIRE(all);
  const auto& notices = (*all)["backlog"]["notices"];
  REQUIRE(notices.size() == 2);
  CHECK(notices[0]["event"] == "activatie");
  CHECK(notices[1]["event"] == "afgesloten");
  Centralist replay_rest{awared.meldkamer_port(), "hv-1", kBakker + "&since=" + first_id};
  const auto rest = replay_rest.next();
  REQUIRE(rest);
  REQUIRE((*rest)["backlog"]["notices"].size() == 1);
  CHECK((*rest)["backlog"]["notices"][0]["event"] == "afgesloten");

  // A case-worker feed must name whom it follows.
  CHECK_THROWS(Centralist{awared.meldkamer_port(), "hv-3", "/ws/hulpverlener"});
  CHECK_THROWS(Centralist{awared.meldkamer_port(), "hv-3", "/ws/nergens"});
}

TEST_CASE("the webhook gets every notice in order, and a refused POST is sent again",
          "[system][dispatch]") {
  TempDir dir;
  WebhookReceiver hook;
  Awared awared{dir, AwaredOptions{.notify_toml = "webhook_url = \"http://127.0.0.1:" +
                                                  std::to_string(hook.port()) + "/aware\"\n"}};
  Device anna{awared.device_port(), "XM-DEMO-001"};
  anna.press(1);
  REQUIRE(anna.next().has_ack());

  const auto refused = hook.next(503);
  REQUIRE(refused);
  CHECK(refused->target == "/aware");
  CHECK(refused->content_type == "application/json");
  const auto body = json::parse(refused->body);
  CHECK(body["clientId"] == "C-001");
  CHECK(body["event"] == "activatie");
  CHECK_FALSE(body.contains("position"));
  const auto retried = hook.next(200);
  REQUIRE(retried);
  CHECK(json::parse(retried->body)["id"] == body["id"]);

  Device fatima{awared.device_port(), "XM-DEMO-003"};
  fatima.press(1);
  REQUIRE(fatima.next().has_ack());
  const auto next = hook.next(204);
  REQUIRE(next);
  CHECK(json::parse(next->body)["clientId"] == "C-002");
  // Once awared has drained and stopped, both are marked as taken (none is sent again).
  awared.process().signal(SIGTERM);
  REQUIRE(awared.process().wait());
  CHECK(count(awared, "notices", "webhook_ms IS NOT NULL") == "2");
}

TEST_CASE("a close needs an outcome from the configured list, which every snapshot carries",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.dispatch_toml =
                                       "close_outcomes = [\"pleger aangehouden\", \"overig\"]\n"}};
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  const auto snapshot = police.next();
  REQUIRE(snapshot);
  CHECK((*snapshot)["snapshot"]["closeOutcomes"] ==
        json::array({"pleger aangehouden", "overig"}));
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1);
  REQUIRE(device.next().has_ack());
  const auto update = police.wait_for([](const json& f) { return f.contains("update"); });
  REQUIRE(update);
  const std::string id = (*update)["update"]["incident"]["id"];
  police.send(json{{"accept", {{"incidentId", id}, {"centralist", "centralist-1"}}}});
  REQUIRE(police.wait_for([](const json& f) {
    return f.contains("update") && f["update"]["incident"]["state"] == "INCIDENT_STATE_ACCEPTED";
  }));
  police.send(json{{"close",
                    {{"incidentId", id}, {"centralist", "centralist-1"}, {"outcome", "iets anders"}}}});
  const auto refused = police.wait_for([](const json& f) { return f.contains("error"); });
  REQUIRE(refused);
  CHECK((*refused)["error"]["request"] == "close");
  CHECK((*refused)["error"]["text"].get<std::string>().find("is not one of") != std::string::npos);
  CHECK(count(awared, "incidents", "state=4") == "0");
  police.send(json{{"close",
                    {{"incidentId", id}, {"centralist", "centralist-1"}, {"outcome", "overig"}}}});
  const auto closed = police.wait_for([](const json& f) {
    return f.contains("update") && f["update"]["incident"]["state"] == "INCIDENT_STATE_CLOSED";
  });
  REQUIRE(closed);
  CHECK((*closed)["update"]["incident"]["outcome"] == "overig");
}

TEST_CASE("a console that sees a gap in the sequence numbers resyncs and gets the incident",
          "[system][dispatch]") {
  TempDir dir;
  // awared leaves out the console frame numbered 2 (once): the first update arrives as seq 3.
  Awared awared{dir, AwaredOptions{.env = {{"AWARED_TEST_SKIP_SEQ", "2"}}}};
  Console console{dir, awared.meldkamer_port()};
  CHECK(console.wait_synced().empty());
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1);
  REQUIRE(device.next().has_ack());

  std::optional<json> line;
  do {
    line = console.next();
  } while (line && line->value("event", "") != "resync");
  REQUIRE(line);
  CHECK((*line)["reason"].get<std::string>().find("expected seq 2, got 3") != std::string::npos);
  // After the reconnect, the fresh snapshot has the incident.
  const auto synced = console.wait_synced();
  REQUIRE(synced.size() == 1);
  CHECK(synced[0]["deviceId"] == "XM-DEMO-001");
}
