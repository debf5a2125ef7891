// test_meldkamer_codec.cpp — unit tests for wire/meldkamer_codec, the console protocol in
// protobuf's JSON mapping. Encoded updates, snapshots and errors are parsed back with protobuf's
// own JsonStringToMessage into aware.v1.ConsoleFeed and compared field by field; console
// requests are decoded from hand-written JSON, valid and invalid (bad id, missing name,
// oversize note, unknown field, garbage, empty object).
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include <google/protobuf/util/json_util.h>

#include "meldkamer.pb.h"
#include "wire/meldkamer_codec.hpp"

using namespace aware;

namespace {

v1::ConsoleFeed parse_feed(const std::string& json) {
  v1::ConsoleFeed feed;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &feed);
  INFO(json);
  REQUIRE(status.ok());
  return feed;
}

core::Incident full_incident() {
  core::Incident inc;
  inc.id = 42;
  inc.priority = core::Priority::spoed;
  inc.state = core::IncidentState::accepted;
  inc.received_ms = 1700000000123;
  inc.key = {"XM-DEMO-001", 4, 17};
  inc.match.client_id = "C-001";
  inc.match.region = "Midden-Nederland";
  inc.match.aop = core::AopInfo{"AOP-001", "Anna",       "sig",       "pleger",
                                "J. Bakker", "2024-01-01", "2024-06-30",
                                {"foto://AOP-001/1", "https://foto.example/2.jpg"}};
  inc.match.aols = {{"AOL-001", "woning", "Oudegracht 1", "achterom", 12.5, true},
                    {"AOL-002", "school", "Schoolstraat 5", "", 420.0, false}};
  inc.match.aol_zones = {{"AOL-001", 52.0907, 5.1214, 150.0, std::nullopt},
                         {"AOL-002", 52.098, 5.11, 0.0,
                          core::Polygon{{{52.097, 5.109}, {52.097, 5.111}, {52.099, 5.111}},
                                        {{{52.0975, 5.1095}, {52.0975, 5.11}, {52.098, 5.11}}}}}};
  inc.position = core::GeoFix{52.0907, 5.1214, 8.0F, 1700000000000, core::FixSource::gps,
                              1700000000100};
  inc.audio = core::AudioChannel{core::AudioKind::phone, "+31612345678", "AMR-WB"};
  inc.battery_pct = 64;
  inc.flags = {core::Flag::contract_expired, core::Flag::device_restarted};
  inc.activation_count = 2;
  inc.accepted_by = "centralist-a";
  return inc;
}

}  // namespace

TEST_CASE("encode_update parses back into a ConsoleFeed update with every field",
          "[wire][meldkamer_codec]") {
  const auto feed = parse_feed(wire::encode_update(full_incident()));
  REQUIRE(feed.has_update());
  const auto& inc = feed.update().incident();
  CHECK(inc.id() == "M-000042");
  CHECK(inc.priority() == v1::PRIORITY_SPOED);
  CHECK(inc.state() == v1::INCIDENT_STATE_ACCEPTED);
  CHECK(inc.received_ms() == 1700000000123);
  CHECK(inc.device_id() == "XM-DEMO-001");
  CHECK(inc.boot_epoch() == 4);
  CHECK(inc.seq() == 17);
  CHECK(inc.client_id() == "C-001");
  CHECK(inc.region() == "Midden-Nederland");
  REQUIRE(inc.flags_size() == 2);
  CHECK(inc.flags(0) == v1::INCIDENT_FLAG_CONTRACT_EXPIRED);
  CHECK(inc.flags(1) == v1::INCIDENT_FLAG_DEVICE_RESTARTED);
  REQUIRE(inc.has_position());
  CHECK(inc.position().lat() == Approx(52.0907));
  CHECK(inc.position().lon() == Approx(5.1214));
  CHECK(inc.position().accuracy_m() == Approx(8.0));
  CHECK(inc.position().source() == "gps");
  CHECK(inc.position().fix_time_ms() == 1700000000000);
  CHECK(inc.position().received_ms() == 1700000000100);
  REQUIRE(inc.has_aop());
  CHECK(inc.aop().aop_id() == "AOP-001");
  CHECK(inc.aop().client_name() == "Anna");
  CHECK(inc.aop().case_worker() == "J. Bakker");
  CHECK(inc.aop().valid_until() == "2024-06-30");
  REQUIRE(inc.aols_size() == 2);
  CHECK(inc.aols(0).aol_id() == "AOL-001");
  CHECK(inc.aols(0).inside());
  CHECK(inc.aols(0).distance_m() == Approx(12.5));
  CHECK(inc.aols(1).aol_id() == "AOL-002");
  CHECK_FALSE(inc.aols(1).inside());
  REQUIRE(inc.has_audio());
  CHECK(inc.audio().kind() == "phone");
  CHECK(inc.audio().address() == "+31612345678");
  CHECK(inc.audio().codec() == "AMR-WB");
  CHECK(inc.battery_pct() == 64);
  CHECK(inc.activation_count() == 2);
  CHECK(inc.accepted_by() == "centralist-a");
}

TEST_CASE("encode_update carries each AOL hit's zone and the AOP's photo references",
          "[wire][meldkamer_codec]") {
  const auto feed = parse_feed(wire::encode_update(full_incident()));
  const auto& inc = feed.update().incident();
  REQUIRE(inc.aop().photo_refs_size() == 2);
  CHECK(inc.aop().photo_refs(0) == "foto://AOP-001/1");
  CHECK(inc.aop().photo_refs(1) == "https://foto.example/2.jpg");
  REQUIRE(inc.aols_size() == 2);
  REQUIRE(inc.aols(0).has_zone());
  const auto& circle = inc.aols(0).zone();
  CHECK(circle.lat() == Approx(52.0907));
  CHECK(circle.lon() == Approx(5.1214));
  CHECK(circle.radius_m() == Approx(150.0));
  CHECK_FALSE(circle.has_outer());
  REQUIRE(inc.aols(1).has_zone());
  const auto& polygon = inc.aols(1).zone();
  CHECK(polygon.radius_m() == 0.0);
  REQUIRE(polygon.outer().points_size() == 3);
  CHECK(polygon.outer().points(2).lat() == Approx(52.099));
  CHECK(polygon.outer().points(2).lon() == Approx(5.111));
  REQUIRE(polygon.holes_size() == 1);
  CHECK(polygon.holes(0).points_size() == 3);
  const auto json = wire::encode_update(full_incident());
  CHECK(json.find("\"radiusM\":150") != std::string::npos);
  CHECK(json.find("\"photoRefs\":[\"foto://AOP-001/1\"") != std::string::npos);
}

TEST_CASE("encode_update leaves out a zone that does not belong to its hit",
          "[wire][meldkamer_codec]") {
  auto incident = full_incident();
  incident.match.aol_zones.resize(1);               // only the first hit's zone
  incident.match.aol_zones[0].aol_id = "AOL-OTHER";  // ... and for another AOL
  const auto feed = parse_feed(wire::encode_update(incident));
  const auto& inc = feed.update().incident();
  REQUIRE(inc.aols_size() == 2);
  CHECK_FALSE(inc.aols(0).has_zone());
  CHECK_FALSE(inc.aols(1).has_zone());
}

TEST_CASE("encode_update uses lowerCamelCase names, enum names and string int64s",
          "[wire][meldkamer_codec]") {
  const auto json = wire::encode_update(full_incident());
  CHECK(json.find("\"receivedMs\":\"1700000000123\"") != std::string::npos);
  CHECK(json.find("\"PRIORITY_SPOED\"") != std::string::npos);
  CHECK(json.find("\"INCIDENT_FLAG_CONTRACT_EXPIRED\"") != std::string::npos);
  CHECK(json.find("received_ms") == std::string::npos);
}

TEST_CASE("encode_update leaves position, aop and audio absent when the incident has none",
          "[wire][meldkamer_codec]") {
  core::Incident inc;
  inc.id = 7;
  inc.priority = core::Priority::test;
  inc.match.region = "landelijk";
  inc.flags = {core::Flag::unknown_device, core::Flag::no_position};
  const auto feed = parse_feed(wire::encode_update(inc));
  REQUIRE(feed.has_update());
  const auto& out = feed.update().incident();
  CHECK(out.id() == "M-000007");
  CHECK(out.priority() == v1::PRIORITY_TEST);
  CHECK(out.state() == v1::INCIDENT_STATE_NEW);
  CHECK_FALSE(out.has_position());
  CHECK_FALSE(out.has_aop());
  CHECK_FALSE(out.has_audio());
  CHECK(out.aols_size() == 0);
  CHECK(out.client_id().empty());
  REQUIRE(out.flags_size() == 2);
  CHECK(out.flags(0) == v1::INCIDENT_FLAG_UNKNOWN_DEVICE);
}

TEST_CASE("encode_snapshot with no incidents carries only the server time",
          "[wire][meldkamer_codec]") {
  const auto feed = parse_feed(wire::encode_snapshot({}, 1700000000999));
  REQUIRE(feed.has_snapshot());
  CHECK(feed.snapshot().incidents_size() == 0);
  CHECK(feed.snapshot().server_time_ms() == 1700000000999);
}

TEST_CASE("encode_snapshot with two incidents keeps their order", "[wire][meldkamer_codec]") {
  auto a = full_incident();
  auto b = full_incident();
  b.id = 43;
  b.state = core::IncidentState::delivered;
  b.accepted_by.clear();
  const auto feed = parse_feed(wire::encode_snapshot({&a, &b}, 5));
  REQUIRE(feed.has_snapshot());
  REQUIRE(feed.snapshot().incidents_size() == 2);
  CHECK(feed.snapshot().incidents(0).id() == "M-000042");
  CHECK(feed.snapshot().incidents(1).id() == "M-000043");
  CHECK(feed.snapshot().incidents(1).state() == v1::INCIDENT_STATE_DELIVERED);
  CHECK(feed.snapshot().server_time_ms() == 5);
}

TEST_CASE("encode_console_error parses back with request and text", "[wire][meldkamer_codec]") {
  const auto feed = parse_feed(wire::encode_console_error("accept", "M-000001 is not open"));
  REQUIRE(feed.has_error());
  CHECK(feed.error().request() == "accept");
  CHECK(feed.error().text() == "M-000001 is not open");
}

TEST_CASE("decode_console_request decodes a valid accept", "[wire][meldkamer_codec]") {
  auto r = wire::decode_console_request(
      R"({"accept":{"incidentId":"M-000042","centralist":"Jan"}})");
  REQUIRE(r);
  REQUIRE(std::holds_alternative<wire::AcceptRequest>(*r));
  const auto& a = std::get<wire::AcceptRequest>(*r);
  CHECK(a.incident_id == 42);
  CHECK(a.centralist == "Jan");
}

TEST_CASE("decode_console_request decodes a valid close", "[wire][meldkamer_codec]") {
  auto r = wire::decode_console_request(
      R"({"close":{"incidentId":"M-000007","centralist":"Jan","outcome":"vals alarm","note":"per ongeluk"}})");
  REQUIRE(r);
  REQUIRE(std::holds_alternative<wire::CloseRequest>(*r));
  const auto& c = std::get<wire::CloseRequest>(*r);
  CHECK(c.incident_id == 7);
  CHECK(c.centralist == "Jan");
  CHECK(c.outcome == "vals alarm");
  CHECK(c.note == "per ongeluk");
}

TEST_CASE("decode_console_request refuses a bad incident id", "[wire][meldkamer_codec]") {
  for (const char* json : {R"({"accept":{"incidentId":"42","centralist":"Jan"}})",
                           R"({"accept":{"incidentId":"M-000000","centralist":"Jan"}})",
                           R"({"accept":{"centralist":"Jan"}})"}) {
    INFO(json);
    auto r = wire::decode_console_request(json);
    REQUIRE_FALSE(r);
    CHECK(r.error().find("incidentId") != std::string::npos);
  }
}

TEST_CASE("decode_console_request refuses a missing or oversize centralist",
          "[wire][meldkamer_codec]") {
  auto missing = wire::decode_console_request(R"({"accept":{"incidentId":"M-000042"}})");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("centralist") != std::string::npos);
  const std::string long_name(129, 'n');
  auto too_long = wire::decode_console_request(
      R"({"accept":{"incidentId":"M-000042","centralist":")" + long_name + "\"}}");
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error().find("centralist") != std::string::npos);
}

TEST_CASE("decode_console_request refuses a close without outcome", "[wire][meldkamer_codec]") {
  auto r = wire::decode_console_request(
      R"({"close":{"incidentId":"M-000007","centralist":"Jan"}})");
  REQUIRE_FALSE(r);
  CHECK(r.error().find("outcome") != std::string::npos);
}

TEST_CASE("decode_console_request limits the note to 4096 bytes", "[wire][meldkamer_codec]") {
  const auto close_with_note = [](std::size_t n) {
    return R"({"close":{"incidentId":"M-000007","centralist":"Jan","outcome":"ok","note":")" +
           std::string(n, 'x') + "\"}}";
  };
  CHECK(wire::decode_console_request(close_with_note(4096)));
  auto r = wire::decode_console_request(close_with_note(4097));
  REQUIRE_FALSE(r);
  CHECK(r.error().find("note") != std::string::npos);
}

TEST_CASE("decode_console_request refuses unknown fields", "[wire][meldkamer_codec]") {
  auto r = wire::decode_console_request(
      R"({"accept":{"incidentId":"M-000042","centralist":"Jan","priority":"high"}})");
  REQUIRE_FALSE(r);
  CHECK(r.error().rfind("not a ConsoleRequest", 0) == 0);
  CHECK_FALSE(wire::decode_console_request(R"({"reject":{}})"));
}

TEST_CASE("decode_console_request refuses garbage and never throws", "[wire][meldkamer_codec]") {
  for (const char* text : {"", "garbage", "{", "[]", "null", "\"accept\"", "{\"accept\":5}"}) {
    INFO(text);
    CHECK_FALSE(wire::decode_console_request(text));
  }
}

TEST_CASE("decode_console_request refuses an empty object as no request",
          "[wire][meldkamer_codec]") {
  auto r = wire::decode_console_request("{}");
  REQUIRE_FALSE(r);
  CHECK(r.error().find("no request") != std::string::npos);
}
