// test_location.cpp — [X]/[Y] coordinates in every accepted form, normalised to WGS84 decimal
// degrees, and the refusals (out of range, wrong axis letter, junk).
#include <catch2/catch.hpp>

#include <string>

#include "dc09/location.hpp"

using namespace aware::dc09;

namespace {

double lat(const std::string& s) { return parse_coordinate(s, Axis::latitude).value(); }
double lon(const std::string& s) { return parse_coordinate(s, Axis::longitude).value(); }
bool lat_ok(const std::string& s) { return parse_coordinate(s, Axis::latitude).has_value(); }
bool lon_ok(const std::string& s) { return parse_coordinate(s, Axis::longitude).has_value(); }

constexpr double kLat = 52.370216;
constexpr double kLon = 4.895168;

}  // namespace

TEST_CASE("Decimal degrees, signed or with a hemisphere letter", "[dc09][location]") {
  CHECK(lat("52.370216") == Approx(kLat));
  CHECK(lon("4.895168") == Approx(kLon));
  CHECK(lon("-4.895168") == Approx(-kLon));
  CHECK(lon("+4.895168") == Approx(kLon));
  CHECK(lat("N52.370216") == Approx(kLat));
  CHECK(lat("S52.370216") == Approx(-kLat));
  CHECK(lon("4.895168E") == Approx(kLon));
  CHECK(lon("w4.895168") == Approx(-kLon));
  CHECK(lat("0") == Approx(0.0));
  CHECK(lat("90") == Approx(90.0));
  CHECK(lon("180.0") == Approx(180.0));
}

TEST_CASE("Degrees, hemisphere and decimal minutes", "[dc09][location]") {
  const double lat_dm = 52.0 + 22.213 / 60.0;
  const double lon_dm = 4.0 + 53.710 / 60.0;
  CHECK(lat("N52 22.213") == Approx(lat_dm));
  CHECK(lat("52 22.213 N") == Approx(lat_dm));
  CHECK(lat("S52 22.213") == Approx(-lat_dm));
  CHECK(lon("E4 53.710") == Approx(lon_dm));
  CHECK(lon("W004 53.710") == Approx(-lon_dm));
  CHECK(lon("E4\xB0" "53.710") == Approx(lon_dm));        // Windows-1252 degree sign
  CHECK(lon("E4\xC2\xB0" "53.710'") == Approx(lon_dm));   // UTF-8 degree sign and a minute mark
  CHECK(lat("N5222.213") == Approx(lat_dm));              // packed DDMM.mmm
  CHECK(lat("5222.213N") == Approx(lat_dm));
  CHECK(lon("E00453.710") == Approx(lon_dm));             // packed DDDMM.mmm
  CHECK(lat("N0030.000") == Approx(0.5));
}

TEST_CASE("Integer micro-degrees", "[dc09][location]") {
  CHECK(lat("52370216") == Approx(kLat));
  CHECK(lon("4895168") == Approx(kLon));
  CHECK(lon("-4895168") == Approx(-kLon));
  CHECK(lat("52") == Approx(52.0));  // small enough to be whole degrees
}

TEST_CASE("Coordinates that cannot be read are refused", "[dc09][location]") {
  CHECK_FALSE(lat_ok(""));
  CHECK_FALSE(lat_ok("N"));
  CHECK_FALSE(lat_ok("91.0"));
  CHECK_FALSE(lon_ok("180.5"));
  CHECK_FALSE(lat_ok("E52.3"));     // a longitude letter on a latitude
  CHECK_FALSE(lon_ok("N4.8"));
  CHECK_FALSE(lat_ok("N52 61.0"));  // minutes past 59.999
  CHECK_FALSE(lat_ok("N5299.0"));
  CHECK_FALSE(lat_ok("52.3.7"));
  CHECK_FALSE(lat_ok("1e3"));
  CHECK_FALSE(lat_ok("\xE9\xFF"));
  CHECK_FALSE(lat_ok("999999999"));  // 999.999999 degrees
  CHECK_FALSE(lat_ok(std::string(100, '1')));
}

TEST_CASE("read_location keeps the raw text and needs both axes", "[dc09][location]") {
  const auto both = read_location("4.895168", "52.370216");
  CHECK(both.valid());
  CHECK(both.raw_x == "4.895168");
  CHECK(both.raw_y == "52.370216");
  const auto half = read_location("4.895168", "");
  CHECK_FALSE(half.valid());
  CHECK(half.lon);
  const auto bad = read_location("4.895168", "north");
  CHECK_FALSE(bad.valid());
  CHECK(bad.raw_y == "north");
}
