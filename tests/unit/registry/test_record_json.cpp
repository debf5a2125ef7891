// test_record_json.cpp — parsing and validating single records and import documents: every
// bad-input case of issue 3 (coordinates out of range, radius <= 0 or > 50 km, bad dates, ids,
// unknown fields, oversized strings, malformed JSON, duplicates) gives an error naming the field,
// and good records come back as the same values when printed and parsed again.
#include <catch2/catch.hpp>

#include <string>

#include "registry/registry_json.hpp"

using namespace aware::registry;

namespace {

// The error text of a record that must be refused.
std::string refused(Kind kind, const std::string& body) {
  auto doc = parse_record(kind, body);
  REQUIRE_FALSE(doc);
  return doc.error().text();
}

std::string refused_document(const std::string& body) {
  auto doc = parse_document(body);
  REQUIRE_FALSE(doc);
  return doc.error().text();
}

const std::string kAol = R"({"id":"A-1","client_id":"C-1","lat":52.09,"lon":5.12,"radius_m":150)";

}  // namespace

TEST_CASE("a valid AOL, client, device and AOP parse to their values", "[registry]") {
  auto aol = parse_record(Kind::aol, kAol + R"(,"label":"woning","instructions":"achterom"})");
  REQUIRE(aol);
  const auto& a = aol->records.aols.at(0);
  CHECK(a.id == "A-1");
  CHECK(a.lat == 52.09);
  CHECK(a.radius_m == 150);
  CHECK(a.active);
  CHECK_FALSE(a.zone);

  auto client = parse_record(Kind::client, R"({"id":"C-1","name":"N","home_region":"mn"})");
  REQUIRE(client);
  CHECK(client->records.clients.at(0).home_region == "mn");

  auto device = parse_record(Kind::device, R"({"id":"XM:01.a_b-c","client_id":"C-1","active":false})");
  REQUIRE(device);
  CHECK_FALSE(device->records.devices.at(0).active);

  auto aop = parse_record(Kind::aop, R"({"id":"P-1","client_id":"C-1","valid_from":"2024-02-29",
      "valid_until":"2024-08-31","photo_refs":["dossier://1/a.jpg"]})");
  REQUIRE(aop);
  CHECK(aop->records.aops.at(0).photo_refs == std::vector<std::string>{"dossier://1/a.jpg"});
}

TEST_CASE("coordinates out of range or not numbers are refused, naming the field", "[registry]") {
  CHECK(refused(Kind::aol, R"({"id":"A","lat":90.5,"lon":5,"radius_m":10})") ==
        "lat: must be a finite number in [-90, 90]");
  CHECK(refused(Kind::aol, R"({"id":"A","lat":52,"lon":-180.01,"radius_m":10})") ==
        "lon: must be a finite number in [-180, 180]");
  // A number JSON cannot hold (overflow) is not valid JSON at all.
  CHECK(refused(Kind::aol, R"({"id":"A","lat":1e999,"lon":5,"radius_m":10})") ==
        "body: is not valid JSON");
  CHECK(refused(Kind::aol, R"({"id":"A","lat":"52","lon":5,"radius_m":10})") ==
        "lat: must be a number (got a string)");
  CHECK(refused(Kind::aol, R"({"id":"A","lon":5,"radius_m":10})") == "lat: is required");
}

TEST_CASE("a radius <= 0 or > 50 km is refused", "[registry]") {
  for (const char* r : {"0", "-1", "50000.5", "1e9"}) {
    CHECK(refused(Kind::aol, std::string(R"({"id":"A","lat":52,"lon":5,"radius_m":)") + r + "}") ==
          "radius_m: must be > 0 and <= 50000");
  }
  CHECK(parse_record(Kind::aol, R"({"id":"A","lat":52,"lon":5,"radius_m":50000})"));
}

TEST_CASE("ids, dates, strings and unknown fields are checked", "[registry]") {
  CHECK(refused(Kind::client, R"({"id":"C 1","name":"N"})") ==
        "id: must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  CHECK(refused(Kind::client, R"({"id":")" + std::string(65, 'x') + R"(","name":"N"})")
            .rfind("id: must be 1 to 64", 0) == 0);
  CHECK(refused(Kind::client, R"({"id":"C1","name":""})") == "name: must not be empty");
  CHECK(refused(Kind::client, R"({"id":"C1","name":")" + std::string(201, 'n') + R"("})") ==
        "name: must be at most 200 characters");
  CHECK(refused(Kind::client, R"({"id":"C1","name":"N","nmae":"typo"})") == "nmae: unknown field");
  CHECK(refused(Kind::device, R"({"id":"D1"})") == "client_id: is required");
  CHECK(refused(Kind::aop, R"({"id":"P","client_id":"C","valid_from":"2023-02-29","valid_until":"2024-01-01"})") ==
        "valid_from: must be a date YYYY-MM-DD");
  CHECK(refused(Kind::aop, R"({"id":"P","client_id":"C","valid_from":"2024-03-01","valid_until":"2024-02-01"})") ==
        "valid_until: must not be before valid_from");
  CHECK(refused(Kind::aop, R"({"id":"P","client_id":"C","valid_from":"2024-03-01","valid_until":"2024-04-01","photo_refs":[""]})") ==
        "photo_refs[0]: must be a non-empty string of at most 500 characters");
  CHECK(refused(Kind::device, R"({"id":"D1","client_id":"C","active":"yes"})") ==
        "active: must be true or false (got a string)");
}

TEST_CASE("malformed JSON and wrong shapes are refused", "[registry]") {
  CHECK(refused(Kind::client, R"({"id":"C1",)") == "body: is not valid JSON");
  CHECK(refused(Kind::client, "") == "body: is not valid JSON");
  CHECK(refused(Kind::client, "[1,2]") == "body: must be a JSON object (got an array)");
  CHECK(refused_document(R"({"clients":{}})") == "clients: must be an array");
  CHECK(refused_document(R"({"clients":[],"people":[]})") == "people: unknown field");
  CHECK(refused_document("{\"clients\":[") == "body: is not valid JSON");
}

TEST_CASE("an import document names the record and field of its first problem", "[registry]") {
  const std::string doc = R"({"clients":[{"id":"C-1","name":"N"}],"aols":[
      {"id":"A-0","lat":52,"lon":5,"radius_m":10},{"id":"A-1","lat":52,"lon":5,"radius_m":10},
      {"id":"A-2","lat":52,"lon":5,"radius_m":10},{"id":"A-3","lat":52,"lon":5,"radius_m":0}]})";
  CHECK(refused_document(doc) == "aols[3].radius_m: must be > 0 and <= 50000");
}

TEST_CASE("duplicate ids within an import are a conflict", "[registry]") {
  auto doc = parse_document(R"({"clients":[{"id":"C-1","name":"N"}],
      "devices":[{"id":"XM-1","client_id":"C-1"},{"id":"XM-2","client_id":"C-1"},
                 {"id":"XM-1","client_id":"C-1"}]})");
  REQUIRE_FALSE(doc);
  CHECK(doc.error().kind == ErrorKind::conflict);
  CHECK(doc.error().text() == "devices[2].id: duplicate id 'XM-1' in this document");
}

TEST_CASE("PUT takes the id from the URL and refuses a different one", "[registry]") {
  auto doc = parse_record(Kind::device, R"({"client_id":"C-1"})", "XM-9");
  REQUIRE(doc);
  CHECK(doc->records.devices.at(0).id == "XM-9");
  auto other = parse_record(Kind::device, R"({"id":"XM-8","client_id":"C-1"})", "XM-9");
  REQUIRE_FALSE(other);
  CHECK(other.error().text() == "id: must be the id in the URL ('XM-9')");
}

TEST_CASE("an exported document parses back to the same records", "[registry]") {
  auto doc = parse_document(R"({
    "regions":[{"id":"r1","name":"R","area":{"type":"Polygon",
      "coordinates":[[[5,52],[5.2,52],[5.2,52.2],[5,52.2],[5,52]]]},"active":false}],
    "clients":[{"id":"C-1","name":"N","home_region":"r1","active":false}],
    "devices":[{"id":"XM-1","client_id":"C-1"}],
    "aops":[{"id":"P-1","client_id":"C-1","signalement":"s","pleger":"p","case_worker":"w",
             "valid_from":"2024-01-01","valid_until":"2024-06-30","photo_refs":["a","b"]}],
    "aols":[{"id":"A-1","client_id":"C-1","lat":52.1,"lon":5.1,"zone":{"type":"Polygon",
      "coordinates":[[[5,52],[5.2,52],[5.2,52.2],[5,52.2],[5,52]],
                     [[5.05,52.05],[5.1,52.05],[5.1,52.1],[5.05,52.05]]]}}]})");
  REQUIRE(doc);
  CHECK(doc->inactive_regions == std::vector<std::string>{"r1"});
  auto again = parse_document(document_json(*doc));
  REQUIRE(again);
  CHECK(again->records.clients == doc->records.clients);
  CHECK(again->records.devices == doc->records.devices);
  CHECK(again->records.aops == doc->records.aops);
  CHECK(again->records.aols == doc->records.aols);
  CHECK(again->records.regions == doc->records.regions);
  CHECK(again->inactive_regions == doc->inactive_regions);
  REQUIRE(doc->records.aols.at(0).zone);
  CHECK(doc->records.aols.at(0).zone->holes.size() == 1);
  CHECK(doc->records.aols.at(0).zone->outer.size() == 4);  // closing position dropped
}
