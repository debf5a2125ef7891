// test_console_session.cpp — unit tests for the meldkamer client's sans-I/O core: JSON-mode
// output for snapshot, update and error frames, accept requests once per incident with
// --accept (again after a resync snapshot), --exit-after counting, malformed frames reported
// as client errors, and one disconnected line per outage.
#include <catch2/catch.hpp>

#include <string>

#include "console_session.hpp"

namespace v1 = aware::v1;
using namespace aware::console;

namespace {

client_options json_options(bool accept = false) {
  client_options o;
  o.host = "localhost";
  o.port = "8080";
  o.json = true;
  o.accept = accept;
  o.name = "jan";
  return o;
}

const char* const kSnapshot2 =
    R"({"snapshot":{"incidents":[{"id":"M-000001","state":"INCIDENT_STATE_NEW"},)"
    R"({"id":"M-000002","state":"INCIDENT_STATE_ACCEPTED","acceptedBy":"piet"}],"serverTimeMs":"5"}})";

}  // namespace

TEST_CASE("a snapshot prints one line per incident, then synced", "[console][session]") {
  const auto options = json_options();
  console_session session{options};
  session.on_connected();
  const auto out = session.on_frame(kSnapshot2, 1);
  REQUIRE(out.lines.size() == 3);
  CHECK(out.lines[0].rfind(R"({"event":"snapshot","incident":{"id":"M-000001")", 0) == 0);
  CHECK(out.lines[1].rfind(R"({"event":"snapshot","incident":{"id":"M-000002")", 0) == 0);
  CHECK(out.lines[2] == R"({"event":"synced","count":2})");
  CHECK(out.requests.empty());  // --accept not given
  CHECK(out.errors.empty());
  CHECK_FALSE(out.redraw);
  CHECK(session.incident_events() == 2);
}

TEST_CASE("with --accept each NEW/DELIVERED incident is accepted once", "[console][session]") {
  const auto options = json_options(true);
  console_session session{options};
  session.on_connected();
  auto out = session.on_frame(kSnapshot2, 1);
  REQUIRE(out.requests.size() == 1);
  CHECK(out.requests[0].accept().incident_id() == "M-000001");
  CHECK(out.requests[0].accept().centralist() == "jan");

  out = session.on_frame(
      R"({"update":{"incident":{"id":"M-000001","state":"INCIDENT_STATE_DELIVERED"}}})", 2);
  CHECK(out.requests.empty());  // already asked
  out = session.on_frame(
      R"({"update":{"incident":{"id":"M-000003","state":"INCIDENT_STATE_NEW"}}})", 3);
  REQUIRE(out.requests.size() == 1);
  CHECK(out.requests[0].accept().incident_id() == "M-000003");

  // A reconnect brings a fresh snapshot: still-open incidents are asked again.
  session.on_disconnected("reset");
  session.on_connected();
  out = session.on_frame(kSnapshot2, 4);
  REQUIRE(out.requests.size() == 1);
  CHECK(out.requests[0].accept().incident_id() == "M-000001");
}

TEST_CASE("an error frame prints an error line", "[console][session]") {
  const auto options = json_options();
  console_session session{options};
  const auto out =
      session.on_frame(R"({"error":{"request":"accept","text":"M-000009 is not open"}})", 1);
  REQUIRE(out.lines.size() == 1);
  CHECK(out.lines[0] == R"({"event":"error","request":"accept","text":"M-000009 is not open"})");
  CHECK(session.incident_events() == 0);
}

TEST_CASE("a malformed frame is a client error and prints no line", "[console][session]") {
  const auto options = json_options();
  console_session session{options};
  const auto out = session.on_frame("{{{", 1);
  CHECK(out.lines.empty());
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0].rfind("unparsable frame from server: ", 0) == 0);
  CHECK(out.errors[0].find('\n') == std::string::npos);
}

TEST_CASE("exit-after finishes once enough incident events were processed",
          "[console][session]") {
  auto options = json_options();
  options.exit_after = 3;
  console_session session{options};
  CHECK_FALSE(session.on_frame(kSnapshot2, 1).finished);
  CHECK(session.on_frame(R"({"update":{"incident":{"id":"M-000004"}}})", 2).finished);
}

TEST_CASE("one disconnected line per outage", "[console][session]") {
  const auto options = json_options();
  console_session session{options};
  auto first_failure = session.on_disconnected("refused");
  REQUIRE(first_failure.lines.size() == 1);
  CHECK(first_failure.lines[0] == R"({"event":"disconnected","reason":"refused"})");
  CHECK(session.on_disconnected("refused again").lines.empty());
  session.on_connected();
  CHECK(session.connected());
  CHECK(session.on_disconnected("eof").lines.size() == 1);
  CHECK_FALSE(session.connected());
  CHECK(session.on_disconnected("refused").lines.empty());
}

TEST_CASE("table mode asks for a redraw instead of printing lines", "[console][session]") {
  auto options = json_options();
  options.json = false;
  console_session session{options};
  CHECK(session.on_connected().redraw);
  const auto out = session.on_frame(kSnapshot2, 1);
  CHECK(out.lines.empty());
  CHECK(out.redraw);
  CHECK(session.render(1).find("M-000001") != std::string::npos);
}

TEST_CASE("consecutive seq numbers are accepted", "[console][session][seq]") {
  const auto options = json_options();
  console_session session{options};
  session.on_connected();
  auto out = session.on_frame(R"({"seq":"1","snapshot":{"incidents":[]}})", 1);
  CHECK_FALSE(out.resync);
  out = session.on_frame(R"({"seq":"2","update":{"incident":{"id":"M-000001"}}})", 2);
  CHECK_FALSE(out.resync);
  REQUIRE(out.lines.size() == 1);
  CHECK(out.lines[0].rfind(R"({"event":"update")", 0) == 0);
}

TEST_CASE("a seq gap asks for a resync and the reconnect starts at 1 again",
          "[console][session][seq]") {
  const auto options = json_options();
  console_session session{options};
  session.on_connected();
  session.on_frame(R"({"seq":"1","snapshot":{"incidents":[]}})", 1);
  session.on_frame(R"({"seq":"2","update":{"incident":{"id":"M-000001"}}})", 2);
  auto out = session.on_frame(R"({"seq":"4","update":{"incident":{"id":"M-000002"}}})", 3);
  CHECK(out.resync);
  REQUIRE(out.lines.size() == 1);
  CHECK(out.lines[0] == R"({"event":"resync","reason":"gap: expected seq 3, got 4"})");
  CHECK(session.incident_events() == 1);  // the frame after the gap was not applied
  CHECK_FALSE(session.connected());

  // Frames still in flight are ignored; the outage prints no extra disconnected line.
  CHECK(session.on_frame(R"({"seq":"5","update":{"incident":{"id":"M-000003"}}})", 4)
            .lines.empty());
  CHECK(session.on_disconnected("Operation canceled").lines.empty());

  session.on_connected();
  out = session.on_frame(R"({"seq":"1","snapshot":{"incidents":[{"id":"M-000002"}]}})", 5);
  CHECK_FALSE(out.resync);
  CHECK(out.lines.size() == 2);  // snapshot line + synced
}

TEST_CASE("a first frame that is not seq 1 is a gap too", "[console][session][seq]") {
  const auto options = json_options();
  console_session session{options};
  session.on_connected();
  const auto out = session.on_frame(R"({"seq":"2","snapshot":{"incidents":[]}})", 1);
  CHECK(out.resync);
}
