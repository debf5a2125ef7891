// test_console_dispatch.cpp — system tests of the console side of issue 4 with the real awared:
// per-connection sequence numbers on the feed (1 for the snapshot, then consecutive), and
// meeluisteren — a console's listenIn is recorded in incident_events, relayed to the device
// as OPEN_LISTEN_IN and pushed to every console (listenInBy); for an incident that is not open
// the console gets an error — and notes during handling (issue 7): one centralist's addNote
// reaches a second centralist's console with the signed-in author. Label: dispatch.
#include <utility>

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

}  // namespace

TEST_CASE("each console connection numbers its feed from 1", "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Centralist first{awared.meldkamer_port(), "centralist-1"};
  const auto snapshot = first.next();
  REQUIRE(snapshot);
  CHECK((*snapshot)["seq"] == "1");
  CHECK(snapshot->contains("snapshot"));

  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001").exit_code == 0);
  std::uint64_t last = 1;
  const auto delivered = first.wait_for([&last](const json& feed) {
    const auto seq = std::stoull(feed.value("seq", "0"));
    CHECK(seq == last + 1);
    last = seq;
    return feed.contains("update") &&
           feed["update"]["incident"]["state"] == "INCIDENT_STATE_DELIVERED";
  });
  REQUIRE(delivered);

  // A second connection starts at 1 again, with the incident in its snapshot.
  Centralist second{awared.meldkamer_port(), "centralist-2"};
  const auto again = second.next();
  REQUIRE(again);
  CHECK((*again)["seq"] == "1");
  CHECK((*again)["snapshot"]["incidents"].size() == 1);
}

TEST_CASE("meeluisteren is recorded and relayed to the device as OPEN_LISTEN_IN",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1);
  REQUIRE(device.next().has_ack());
  REQUIRE(device.next().command().kind() == aware::v1::COMMAND_KIND_START_TRACKING);

  Centralist centralist{awared.meldkamer_port(), "centralist-5"};
  const auto snapshot = centralist.next();
  REQUIRE(snapshot);
  REQUIRE((*snapshot)["snapshot"]["incidents"].size() == 1);
  const auto id = (*snapshot)["snapshot"]["incidents"][0]["id"].get<std::string>();

  Centralist other{awared.meldkamer_port(), "centralist-6"};
  REQUIRE(other.next());  // its snapshot
  centralist.send(json{{"listenIn", {{"incidentId", id}, {"centralist", "someone-else"}}}});
  // Both consoles get the incident with who listens in: the signed-in user, not the name sent.
  for (auto* console : {&centralist, &other}) {
    const auto shown = console->wait_for([](const json& feed) {
      return feed.contains("update") &&
             !feed["update"]["incident"].value("listenInBy", std::string{}).empty();
    });
    REQUIRE(shown);
    CHECK((*shown)["update"]["incident"]["listenInBy"] == "centralist-5");
    CHECK((*shown)["update"]["incident"]["listenInMs"] != "0");
  }
  const auto command = device.next();
  REQUIRE(command.has_command());
  CHECK(command.command().kind() == aware::v1::COMMAND_KIND_OPEN_LISTEN_IN);
  CHECK(count(awared, "incident_events",
              "detail='meeluisteren' AND who='centralist-5' AND state<4") == "1");
  CHECK(count(awared, "incidents", "state<4") == "1");  // the state did not change

  // An incident that is not open: an error for this console, nothing recorded.
  centralist.send(
      json{{"listenIn", {{"incidentId", "M-000099"}, {"centralist", "centralist-5"}}}});
  const auto error = centralist.wait_for([](const json& feed) { return feed.contains("error"); });
  REQUIRE(error);
  CHECK((*error)["error"]["request"] == "listenIn");
  CHECK((*error)["error"]["text"].get<std::string>().find("not open") != std::string::npos);
  CHECK(count(awared, "incident_events", "detail='meeluisteren'") == "1");

  // A malformed listenIn is refused by the decoder.
  centralist.send(json{{"listenIn", {{"incidentId", id}}}});
  const auto parse = centralist.wait_for([](const json& feed) { return feed.contains("error"); });
  REQUIRE(parse);
  CHECK((*parse)["error"]["request"] == "parse");
}

TEST_CASE("a centralist's note reaches a second centralist's console with the author",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001").exit_code == 0);
  Centralist anna{awared.meldkamer_port(), "anna"};
  Centralist bert{awared.meldkamer_port(), "bert"};
  const auto snapshot = anna.next();
  REQUIRE(snapshot);
  REQUIRE((*snapshot)["snapshot"]["incidents"].size() == 1);
  const auto id = (*snapshot)["snapshot"]["incidents"][0]["id"].get<std::string>();
  REQUIRE(bert.next());

  // A blank note is refused by the decoder with the reason, and nothing is stored.
  anna.send(json{{"addNote", {{"incidentId", id}, {"text", " \n "}}}});
  const auto blank = anna.wait_for([](const json& feed) { return feed.contains("error"); });
  REQUIRE(blank);
  CHECK((*blank)["error"]["request"] == "parse");
  CHECK((*blank)["error"]["text"] == "text: required (not only spaces)");

  anna.send(json{{"addNote", {{"incidentId", id}, {"text", "  eenheid onderweg naar de woning "}}}});
  for (auto* console : {&anna, &bert}) {
    const auto noted = console->wait_for([](const json& feed) {
      return feed.contains("update") &&
             !feed["update"]["incident"].value("notes", json::array()).empty();
    });
    REQUIRE(noted);
    const auto& notes = (*noted)["update"]["incident"]["notes"];
    REQUIRE(notes.size() == 1);
    CHECK(notes[0]["author"] == "anna");
    CHECK(notes[0]["text"] == "eenheid onderweg naar de woning");
    CHECK(notes[0]["atMs"] != "0");
  }
  CHECK(count(awared, "incident_notes", "author='anna'") == "1");
  CHECK(count(awared, "incident_events", "detail='notitie' AND who='anna'") == "1");

  // A new console's snapshot carries the note; an incident that is not open is refused.
  Centralist late{awared.meldkamer_port(), "carla"};
  const auto fresh = late.next();
  REQUIRE(fresh);
  CHECK((*fresh)["snapshot"]["incidents"][0]["notes"][0]["author"] == "anna");
  late.send(json{{"addNote", {{"incidentId", "M-000099"}, {"text", "x"}}}});
  const auto closed = late.wait_for([](const json& feed) { return feed.contains("error"); });
  REQUIRE(closed);
  CHECK((*closed)["error"]["request"] == "addNote");
  CHECK((*closed)["error"]["text"] == "M-000099 is not open");
  CHECK(count(awared, "incident_notes", "1") == "1");
}
