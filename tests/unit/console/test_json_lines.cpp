// test_json_lines.cpp — unit tests for the meldkamer client's JSON lines and wire JSON:
// json_quote escaping, the exact line formats of --json mode (snapshot/update/synced/error/
// disconnected), incidents printed on one line with every primitive field, parse_feed on good,
// unknown-field and malformed frames, and the Accept request in protobuf's JSON mapping.
#include <catch2/catch.hpp>

#include <string>

#include <google/protobuf/util/json_util.h>

#include "json_lines.hpp"

namespace v1 = aware::v1;
using namespace aware::console;

TEST_CASE("json_quote escapes quotes, backslashes and control characters", "[console][json]") {
  CHECK(json_quote("") == "\"\"");
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_quote("l1\nl2\r\t") == "\"l1\\nl2\\r\\t\"");
  CHECK(json_quote(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
  CHECK(json_quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");  // UTF-8 passes through
}

TEST_CASE("incident_json is one line with every primitive field in lowerCamelCase",
          "[console][json]") {
  v1::Incident inc;
  inc.set_id("M-000042");
  const auto json = incident_json(inc);
  CHECK(json.find('\n') == std::string::npos);
  CHECK(json.find("\"id\":\"M-000042\"") != std::string::npos);
  CHECK(json.find("\"receivedMs\":\"0\"") != std::string::npos);   // default still printed
  CHECK(json.find("\"acceptedBy\":\"\"") != std::string::npos);
  CHECK(json.find("\"priority\":\"PRIORITY_UNSPECIFIED\"") != std::string::npos);
  CHECK(json.find("accepted_by") == std::string::npos);
}

TEST_CASE("incident_line wraps the incident with its event kind", "[console][json]") {
  v1::Incident inc;
  inc.set_id("M-000001");
  inc.set_priority(v1::PRIORITY_SPOED);
  const auto line = incident_line("update", inc);
  CHECK(line == "{\"event\":\"update\",\"incident\":" + incident_json(inc) + "}");
  CHECK(incident_line("snapshot", inc).rfind("{\"event\":\"snapshot\",\"incident\":{", 0) == 0);
  // The whole line is valid JSON: parse the incident part back.
  const auto start = line.find("\"incident\":") + 11;
  v1::Incident back;
  REQUIRE(google::protobuf::util::JsonStringToMessage(line.substr(start, line.size() - start - 1),
                                                      &back)
              .ok());
  CHECK(back.id() == "M-000001");
  CHECK(back.priority() == v1::PRIORITY_SPOED);
}

TEST_CASE("synced, error and disconnected lines have the documented form", "[console][json]") {
  CHECK(synced_line(0) == R"({"event":"synced","count":0})");
  CHECK(synced_line(12) == R"({"event":"synced","count":12})");
  v1::ConsoleError err;
  err.set_request("accept");
  err.set_text("M-000001 is \"gone\"");
  CHECK(error_line(err) ==
        R"({"event":"error","request":"accept","text":"M-000001 is \"gone\""})");
  CHECK(disconnected_line("connection refused") ==
        R"({"event":"disconnected","reason":"connection refused"})");
}

TEST_CASE("parse_feed reads a snapshot and ignores unknown fields", "[console][json]") {
  std::string error;
  const auto feed = parse_feed(
      R"({"snapshot":{"incidents":[{"id":"M-000001","priority":"PRIORITY_SPOED","futureField":1}],"serverTimeMs":"123"}})",
      error);
  REQUIRE(feed.has_value());
  REQUIRE(feed->has_snapshot());
  CHECK(feed->snapshot().incidents_size() == 1);
  CHECK(feed->snapshot().incidents(0).priority() == v1::PRIORITY_SPOED);
  CHECK(feed->snapshot().server_time_ms() == 123);
}

TEST_CASE("parse_feed refuses malformed JSON with a message", "[console][json]") {
  for (const char* bad : {"not json", "{", "[1,2]", R"({"update":5})"}) {
    INFO(bad);
    std::string error;
    CHECK_FALSE(parse_feed(bad, error).has_value());
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("make_accept and request_json give the console protocol's Accept", "[console][json]") {
  const auto req = make_accept("M-000042", "jan@pc1");
  REQUIRE(req.has_accept());
  CHECK(req.accept().incident_id() == "M-000042");
  CHECK(req.accept().centralist() == "jan@pc1");
  CHECK(request_json(req) == R"({"accept":{"incidentId":"M-000042","centralist":"jan@pc1"}})");
}
