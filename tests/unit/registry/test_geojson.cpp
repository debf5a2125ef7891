// test_geojson.cpp — the region import from a GeoJSON FeatureCollection and GeoJSON polygons in
// AOL zones: good Polygon/MultiPolygon features, and the malformed cases (not GeoJSON, wrong
// types, open or short rings, self-intersecting rings, positions out of range, missing id/name,
// duplicate ids), each refused with the path of the problem.
#include <catch2/catch.hpp>

#include <string>

#include "registry/registry_json.hpp"

using namespace aware::registry;

namespace {

std::string feature(const std::string& id, const std::string& geometry) {
  return R"({"type":"Feature","properties":{"id":")" + id + R"(","name":"Regio )" + id +
         R"(","extra":1},"geometry":)" + geometry + "}";
}

std::string collection(const std::string& features) {
  return R"({"type":"FeatureCollection","features":[)" + features + "]}";
}

const std::string kSquare =
    R"({"type":"Polygon","coordinates":[[[5,52],[5.5,52],[5.5,52.5],[5,52.5],[5,52]]]})";
const std::string kBowTie =
    R"({"type":"Polygon","coordinates":[[[5,52],[5.5,52.5],[5.5,52],[5,52.5],[5,52]]]})";

std::string refused(const std::string& body) {
  auto doc = parse_regions_geojson(body);
  REQUIRE_FALSE(doc);
  return doc.error().text();
}

}  // namespace

TEST_CASE("a FeatureCollection of Polygon and MultiPolygon features becomes regions",
          "[registry]") {
  const std::string multi =
      R"({"type":"MultiPolygon","coordinates":[[[[4,51],[4.2,51],[4.2,51.2],[4,51]]],
          [[[4.5,51],[4.7,51],[4.7,51.2],[4.5,51]]]]})";
  auto doc = parse_regions_geojson(collection(feature("r1", kSquare) + "," + feature("r2", multi)));
  REQUIRE(doc);
  REQUIRE(doc->records.regions.size() == 2);
  const auto& r1 = doc->records.regions[0];
  CHECK(r1.id == "r1");
  CHECK(r1.name == "Regio r1");
  REQUIRE(r1.area.size() == 1);
  CHECK(r1.area[0].outer.size() == 4);
  CHECK(r1.area[0].outer[1] == aware::core::GeoPoint{52, 5.5});  // [lon, lat] order
  CHECK(doc->records.regions[1].area.size() == 2);
  CHECK(doc->inactive_regions.empty());
}

TEST_CASE("malformed GeoJSON is refused with the path of the problem", "[registry]") {
  CHECK(refused("{\"type\":\"FeatureCollection\",") == "body: is not valid JSON");
  CHECK(refused(R"({"type":"Feature"})") == "type: must be \"FeatureCollection\"");
  CHECK(refused(R"({"type":"FeatureCollection","features":[]})") ==
        "features: must be a non-empty array of Features");
  CHECK(refused(collection(feature("r1", R"({"type":"Point","coordinates":[5,52]})"))) ==
        "features[0].geometry.type: must be Polygon or MultiPolygon (got \"Point\")");
  CHECK(refused(collection(
            R"({"type":"Feature","properties":{"name":"x"},"geometry":)" + kSquare + "}")) ==
        "features[0].properties.id: is required (a string)");
  CHECK(refused(collection(
            R"({"type":"Feature","properties":{"id":"r1"},"geometry":)" + kSquare + "}")) ==
        "features[0].properties.name: is required (a string of 1 to 200 characters)");
  CHECK(refused(collection(feature("r1", R"({"type":"Polygon"})"))) ==
        "features[0].geometry.coordinates: is required");
}

TEST_CASE("rings must be closed, long enough and inside the coordinate range", "[registry]") {
  CHECK(refused(collection(feature(
            "r1", R"({"type":"Polygon","coordinates":[[[5,52],[5.5,52],[5.5,52.5],[5,52.5]]]})"))) ==
        "features[0].geometry.coordinates[0]: a ring must be closed: the last position must "
        "equal the first");
  CHECK(refused(collection(
            feature("r1", R"({"type":"Polygon","coordinates":[[[5,52],[5.5,52],[5,52]]]})"))) ==
        "features[0].geometry.coordinates[0]: a ring must be an array of at least 4 positions");
  CHECK(refused(collection(feature(
            "r1", R"({"type":"Polygon","coordinates":[[[5,52],[5.5,52],[5.5,95],[5,52]]]})"))) ==
        "features[0].geometry.coordinates[0][2]: latitude must be a finite number in [-90, 90]");
  CHECK(refused(collection(
            feature("r1", R"({"type":"Polygon","coordinates":[[[5,52],[5.5],[5.5,52.5],[5,52]]]})"))) ==
        "features[0].geometry.coordinates[0][1]: must be a position [lon, lat]");
}

TEST_CASE("a self-intersecting polygon is refused, in regions and AOL zones", "[registry]") {
  const auto region = refused(collection(feature("r1", kSquare) + "," + feature("r2", kBowTie)));
  CHECK(region.rfind("features[1].geometry.coordinates: ", 0) == 0);
  CHECK(region.find("intersect") != std::string::npos);

  auto aol = parse_record(Kind::aol, R"({"id":"A","lat":52.2,"lon":5.2,"zone":)" + kBowTie + "}");
  REQUIRE_FALSE(aol);
  CHECK(aol.error().field == "zone.coordinates");
}

TEST_CASE("duplicate region ids in one file are a conflict", "[registry]") {
  auto doc = parse_regions_geojson(collection(feature("r1", kSquare) + "," + feature("r1", kSquare)));
  REQUIRE_FALSE(doc);
  CHECK(doc.error().kind == ErrorKind::conflict);
  CHECK(doc.error().text() == "features[1].properties.id: duplicate id 'r1' in this file");
}

TEST_CASE("an AOL zone is a GeoJSON Polygon; its radius may then be 0", "[registry]") {
  auto aol = parse_record(Kind::aol, R"({"id":"A","lat":52.2,"lon":5.2,"zone":)" + kSquare + "}");
  REQUIRE(aol);
  REQUIRE(aol->records.aols.at(0).zone);
  CHECK(aol->records.aols.at(0).radius_m == 0);
  auto multi = parse_record(
      Kind::aol, R"({"id":"A","lat":52.2,"lon":5.2,"zone":{"type":"MultiPolygon","coordinates":[]}})");
  REQUIRE_FALSE(multi);
  CHECK(multi.error().text() == "zone.type: must be Polygon (got \"MultiPolygon\")");
}
