// test_regions.cpp — unit tests for the region rule of match/matcher: the region containing a
// fresh fix, the client's home region for no fix / a stale fix / a fix outside every region, the
// default desk, overlapping regions (first by id), points exactly on a shared border and on a
// vertex, a region with a hole, and a region made of several polygons. Regions are axis-aligned
// squares in degrees so that border points are exact doubles.
#include <catch2/catch.hpp>

#include <chrono>

#include "match/matcher.hpp"
#include "match/reference.hpp"

namespace core = aware::core;
using aware::match::match;
using aware::match::match_linear;
using aware::match::MatchIndex;
using aware::match::MatchQuery;

namespace {

constexpr core::TimeMs kNow = 1717243200000;  // 2024-06-01T12:00:00Z

core::Polygon square(double lat0, double lon0, double lat1, double lon1) {
  return core::Polygon{{{lat0, lon0}, {lat0, lon1}, {lat1, lon1}, {lat1, lon0}}, {}};
}

// west [52,53]x[4,5], east [52,53]x[5,6] sharing the lon-5 border; "a-overlap" overlaps the
// east half of west; "ring" [50,51]x[4,6] has a hole [50.25,50.75]x[4.5,5.5]; "islands" is two
// squares.
core::Registry region_registry() {
  core::Registry r;
  r.clients = {{"C-1", "Anna", "home-region"}, {"C-2", "Bea", ""}};
  r.devices = {{"XM-1", "C-1", true}, {"XM-2", "C-2", true}};
  auto ring = square(50, 4, 51, 6);
  ring.holes.push_back(square(50.25, 4.5, 50.75, 5.5).outer);
  r.regions = {{"west", "West", {square(52, 4, 53, 5)}},
               {"east", "East", {square(52, 5, 53, 6)}},
               {"z-overlap", "Overlap", {square(52.5, 4.5, 52.75, 4.75)}},
               {"ring", "Ring", {ring}},
               {"islands", "Islands", {square(54, 4, 54.5, 4.5), square(55, 5, 55.5, 5.5)}}};
  return r;
}

core::MatchConfig config() {
  core::MatchConfig c;
  c.default_region = "landelijk";
  c.max_fix_age = std::chrono::seconds{300};
  return c;
}

core::GeoFix fix(double lat, double lon, core::TimeMs age_ms = 0) {
  return core::GeoFix{lat, lon, 10.0F, kNow - age_ms, core::FixSource::gps, kNow};
}

// Matches with the index, checks the linear scan agrees, and returns the result.
core::MatchResult both(const char* device, std::optional<core::GeoFix> f) {
  const auto reg = region_registry();
  const MatchIndex index{reg};
  const MatchQuery q{device, f, kNow};
  auto r = match(index, q, config());
  CHECK(r == match_linear(reg, q, config()));
  return r;
}

}  // namespace

TEST_CASE("a fresh fix inside a region decides the region", "[match][region]") {
  const auto r = both("XM-1", fix(52.5, 5.5));
  CHECK(r.region == "east");
  CHECK(r.region_source == core::RegionSource::fix);
}

TEST_CASE("no fix, a stale fix or a fix outside all regions fall back to the home region",
          "[match][region]") {
  for (const auto& f : {std::optional<core::GeoFix>{}, std::optional{fix(52.5, 5.5, 300'001)},
                        std::optional{fix(40.0, 5.5)}}) {
    const auto r = both("XM-1", f);
    CHECK(r.region == "home-region");
    CHECK(r.region_source == core::RegionSource::home_region);
  }
  // Exactly max_fix_age old still counts.
  CHECK(both("XM-1", fix(52.5, 5.5, 300'000)).region == "east");
}

TEST_CASE("a stale fix still matches AOLs, only the region ignores it", "[match][region]") {
  auto reg = region_registry();
  reg.aols = {{"AOL-1", "C-1", "home", "addr", "instr", 52.5, 5.5, 100.0}};
  const MatchIndex index{reg};
  const auto r = match(index, MatchQuery{"XM-1", fix(52.5, 5.5, 3'600'000), kNow}, config());
  CHECK(r.region == "home-region");
  REQUIRE(r.aols.size() == 1);
  CHECK(r.aols[0].inside);
}

TEST_CASE("without home region or unknown device the default desk is used", "[match][region]") {
  const auto no_home = both("XM-2", std::nullopt);
  CHECK(no_home.region == "landelijk");
  CHECK(no_home.region_source == core::RegionSource::default_desk);
  const auto unknown = both("XM-404", fix(40.0, 5.5));
  CHECK(unknown.region == "landelijk");
  CHECK(unknown.region_source == core::RegionSource::default_desk);
  // An unknown device with a fix in a region still gets that region.
  CHECK(both("XM-404", fix(52.5, 4.2)).region == "west");
}

TEST_CASE("a point on a shared border or vertex belongs to the first region by id",
          "[match][region]") {
  CHECK(both("XM-1", fix(52.5, 5.0)).region == "east");   // border west|east: "east" < "west"
  CHECK(both("XM-1", fix(53.0, 5.0)).region == "east");   // shared corner
  CHECK(both("XM-1", fix(52.0, 4.0)).region == "west");   // outer corner of west only
  CHECK(both("XM-1", fix(53.0, 4.5)).region == "west");   // outer edge of west only
  CHECK(both("XM-1", fix(53.0 + 1e-7, 4.5)).region == "home-region");  // ~1 cm outside
}

TEST_CASE("overlapping regions: the first by id wins", "[match][region]") {
  CHECK(both("XM-1", fix(52.6, 4.6)).region == "west");  // also inside "z-overlap"
}

TEST_CASE("a region with a hole: the hole is outside, its edge inside", "[match][region]") {
  CHECK(both("XM-1", fix(50.1, 5.0)).region == "ring");
  CHECK(both("XM-1", fix(50.5, 5.0)).region == "home-region");  // in the hole
  CHECK(both("XM-1", fix(50.25, 5.0)).region == "ring");        // on the hole's edge
  CHECK(both("XM-1", fix(50.75, 5.5)).region == "ring");        // on the hole's corner
}

TEST_CASE("a region of several polygons matches in each of them", "[match][region]") {
  CHECK(both("XM-1", fix(54.2, 4.2)).region == "islands");
  CHECK(both("XM-1", fix(55.2, 5.2)).region == "islands");
  CHECK(both("XM-1", fix(54.7, 4.7)).region == "home-region");
}

TEST_CASE("region_at returns the record, or nullptr outside every region", "[match][region]") {
  const MatchIndex index{region_registry()};
  const auto* r = index.region_at({52.5, 4.2});
  REQUIRE(r != nullptr);
  CHECK(r->name == "West");
  CHECK(index.region_at({0.0, 0.0}) == nullptr);
  CHECK(MatchIndex{core::Registry{}}.region_at({52.5, 4.2}) == nullptr);
}
