// test_geo.cpp — unit tests for core/geo: local-plane distances against GeographicLib's geodesic
// (the oracle) in the Netherlands and from the equator to 70°, point-in-polygon on edges,
// vertices and in holes, duplicate vertices, distance to a polygon, and polygon_problem.
#include <catch2/catch.hpp>

#include <GeographicLib/Geodesic.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "core/geo.hpp"

namespace core = aware::core;

namespace {

double geodesic_m(core::GeoPoint a, core::GeoPoint b) {
  double s12 = 0;
  GeographicLib::Geodesic::WGS84().Inverse(a.lat, a.lon, b.lat, b.lon, s12);
  return s12;
}

// A point at `metres` from `from` in direction `azimuth` (degrees), by the true geodesic.
core::GeoPoint geodesic_step(core::GeoPoint from, double azimuth, double metres) {
  core::GeoPoint to;
  GeographicLib::Geodesic::WGS84().Direct(from.lat, from.lon, azimuth, metres, to.lat, to.lon);
  return to;
}

// Checks distance_m against the geodesic for random pairs up to 5 km around random points.
void check_random_pairs(double lat0, double lat1, double lon0, double lon1, unsigned seed) {
  std::mt19937_64 rng{seed};
  std::uniform_real_distribution<double> lat(lat0, lat1), lon(lon0, lon1), az(-180, 180),
      len(1.0, 5000.0);
  double worst = 0;
  for (int i = 0; i < 20000; ++i) {
    const core::GeoPoint a{lat(rng), lon(rng)};
    const core::GeoPoint b = geodesic_step(a, az(rng), len(rng));
    const double truth = geodesic_m(a, b);
    worst = std::max(worst, std::abs(core::distance_m(a, b) - truth) / truth);
  }
  INFO("worst relative error " << worst);
  CHECK(worst <= 0.0005);
}

core::Polygon square(double lat0, double lon0, double lat1, double lon1) {
  return core::Polygon{{{lat0, lon0}, {lat0, lon1}, {lat1, lon1}, {lat1, lon0}}, {}};
}

}  // namespace

TEST_CASE("distance_m is within 0.05 % of the geodesic up to 5 km in the Netherlands",
          "[geo]") {
  check_random_pairs(50.7, 53.6, 3.3, 7.3, 1);
}

TEST_CASE("distance_m is within 0.05 % of the geodesic up to 5 km from 0 to 70 degrees",
          "[geo]") {
  check_random_pairs(0.0, 70.0, -180.0, 180.0, 2);
  check_random_pairs(-70.0, 0.0, -180.0, 180.0, 3);
}

TEST_CASE("distance_m: nearly symmetric, zero for one point, across the antimeridian", "[geo]") {
  const core::GeoPoint ams{52.3676, 4.9041};
  const core::GeoPoint utr{52.0907, 5.1214};
  // Measured from the first point (the query), so only symmetric to the method's accuracy.
  CHECK(core::distance_m(ams, utr) == Approx(core::distance_m(utr, ams)).epsilon(1e-4));
  CHECK(core::distance_m(ams, {52.3700, 4.9100}) ==
        Approx(core::distance_m({52.3700, 4.9100}, ams)).epsilon(1e-6));
  CHECK(core::distance_m(ams, ams) == 0.0);
  // 34 km: beyond the 5 km design range, still within 0.1 %.
  CHECK(core::distance_m(ams, utr) == Approx(geodesic_m(ams, utr)).epsilon(0.001));
  const core::GeoPoint west{10.0, 179.999};
  const core::GeoPoint east{10.0, -179.999};
  CHECK(core::distance_m(west, east) == Approx(geodesic_m(west, east)).epsilon(0.0005));
  CHECK(core::distance_m(west, east) < 300.0);
}

TEST_CASE("plane_scale follows the WGS84 radii of curvature", "[geo]") {
  const auto eq = core::plane_scale(0.0);
  CHECK(eq.m_per_deg_lat == Approx(110574.3).margin(0.1));
  CHECK(eq.m_per_deg_lon == Approx(111319.5).margin(0.1));
  const auto nl = core::plane_scale(52.0);
  CHECK(nl.m_per_deg_lat == Approx(geodesic_m({51.9995, 5}, {52.0005, 5}) / 0.001).epsilon(1e-6));
  CHECK(nl.m_per_deg_lon == Approx(geodesic_m({52, 4.9995}, {52, 5.0005}) / 0.001).epsilon(1e-6));
  CHECK(core::plane_scale(90.0).m_per_deg_lon == Approx(0.0).margin(1e-6));
}

TEST_CASE("contains: inside, outside, and every edge and vertex counts as inside", "[geo]") {
  const auto sq = square(52.0, 5.0, 52.5, 5.5);
  CHECK(core::contains(sq, {52.25, 5.25}));
  CHECK_FALSE(core::contains(sq, {52.25, 5.6}));
  CHECK_FALSE(core::contains(sq, {51.9, 5.25}));
  for (const auto& v : sq.outer) {
    CHECK(core::contains(sq, v));
  }
  CHECK(core::contains(sq, {52.0, 5.25}));   // bottom edge
  CHECK(core::contains(sq, {52.5, 5.25}));   // top edge
  CHECK(core::contains(sq, {52.25, 5.0}));   // left edge
  CHECK(core::contains(sq, {52.25, 5.5}));   // right edge
  CHECK_FALSE(core::contains(sq, {52.5 + 1e-7, 5.25}));
  // A slanted edge: its midpoint is on it up to rounding, which the tolerance absorbs.
  const core::Polygon tri{{{52.0, 5.0}, {52.3, 5.7}, {52.1, 5.9}}, {}};
  CHECK(core::contains(tri, {(52.0 + 52.3) / 2, (5.0 + 5.7) / 2}));
  CHECK(core::contains(tri, {52.3, 5.7}));
  CHECK_FALSE(core::contains(tri, {52.15 + 1e-6, 5.35 - 1e-6}));  // just across it
}

TEST_CASE("contains: a point in a hole is outside, on the hole's edge inside", "[geo]") {
  auto poly = square(52.0, 5.0, 53.0, 6.0);
  poly.holes.push_back(square(52.25, 5.25, 52.75, 5.75).outer);
  CHECK(core::contains(poly, {52.1, 5.1}));
  CHECK_FALSE(core::contains(poly, {52.5, 5.5}));
  CHECK(core::contains(poly, {52.25, 5.5}));
  CHECK(core::contains(poly, {52.75, 5.75}));
  CHECK(core::distance_to_polygon_m(poly, {52.5, 5.5}) ==
        Approx(0.25 * core::plane_scale(52.5).m_per_deg_lon).epsilon(1e-9));  // nearest: the side
}

TEST_CASE("contains and distances ignore duplicate vertices", "[geo]") {
  const auto sq = square(52.0, 5.0, 52.5, 5.5);
  core::Polygon dup{{{52.0, 5.0}, {52.0, 5.0}, {52.0, 5.5}, {52.5, 5.5}, {52.5, 5.5},
                     {52.5, 5.0}, {52.0, 5.0}},
                    {}};
  for (const core::GeoPoint p : {core::GeoPoint{52.25, 5.25}, core::GeoPoint{52.0, 5.0},
                                 core::GeoPoint{52.6, 5.25}, core::GeoPoint{52.25, 4.9}}) {
    CHECK(core::contains(dup, p) == core::contains(sq, p));
    CHECK(core::distance_to_polygon_m(dup, p) == core::distance_to_polygon_m(sq, p));
  }
  CHECK_FALSE(core::polygon_problem(dup).has_value());
}

TEST_CASE("distance_to_polygon_m: 0 inside, to the nearest edge outside", "[geo]") {
  const auto sq = square(52.0, 5.0, 52.01, 5.01);
  CHECK(core::distance_to_polygon_m(sq, {52.005, 5.005}) == 0.0);
  // 0.001° north of the top edge, and 0.001° east of the right edge at the corner's latitude.
  CHECK(core::distance_to_polygon_m(sq, {52.011, 5.005}) ==
        Approx(geodesic_m({52.011, 5.005}, {52.01, 5.005})).epsilon(0.0005));
  CHECK(core::distance_to_polygon_m(sq, {52.005, 5.011}) ==
        Approx(geodesic_m({52.005, 5.011}, {52.005, 5.01})).epsilon(0.0005));
  // Beyond a corner the nearest point is the vertex.
  CHECK(core::distance_to_polygon_m(sq, {52.011, 5.011}) ==
        Approx(geodesic_m({52.011, 5.011}, {52.01, 5.01})).epsilon(0.0005));
}

TEST_CASE("polygon_problem accepts good polygons and names what is wrong", "[geo]") {
  auto with_hole = square(52.0, 5.0, 53.0, 6.0);
  with_hole.holes.push_back(square(52.25, 5.25, 52.75, 5.75).outer);
  CHECK_FALSE(core::polygon_problem(square(52.0, 5.0, 53.0, 6.0)).has_value());
  CHECK_FALSE(core::polygon_problem(with_hole).has_value());
  // A closed ring (first point repeated) is fine too.
  CHECK_FALSE(core::polygon_problem({{{0, 0}, {0, 1}, {1, 1}, {0, 0}}, {}}).has_value());

  const core::Polygon bowtie{{{52.0, 5.0}, {53.0, 6.0}, {53.0, 5.0}, {52.0, 6.0}}, {}};
  const auto crossed = core::polygon_problem(bowtie);
  REQUIRE(crossed.has_value());
  CHECK_THAT(*crossed, Catch::Contains("intersects itself"));
  const core::Polygon touching{{{0, 0}, {0, 4}, {2, 4}, {0, 2}, {-2, 4}, {-2, 0}}, {}};
  CHECK(core::polygon_problem(touching).has_value());  // a vertex on another edge
  const core::Polygon spike{{{0, 0}, {0, 2}, {0, 1}, {1, 1}}, {}};
  CHECK(core::polygon_problem(spike).has_value());     // folds back along itself
  const core::Polygon line{{{0, 0}, {0, 1}, {0, 2}}, {}};
  CHECK(core::polygon_problem(line).has_value());

  const core::Polygon two_points{{{0, 0}, {0, 1}, {0, 0}, {0, 1}}, {}};
  const auto few = core::polygon_problem(two_points);
  REQUIRE(few.has_value());
  CHECK_THAT(*few, Catch::Contains("fewer than 3 distinct points"));
  CHECK(core::polygon_problem(core::Polygon{}).has_value());

  const core::Polygon far{{{0, 0}, {0, 181}, {1, 1}}, {}};
  CHECK_THAT(*core::polygon_problem(far), Catch::Contains("out of range"));
  const core::Polygon nan{{{0, 0}, {std::numeric_limits<double>::quiet_NaN(), 1}, {1, 1}}, {}};
  CHECK(core::polygon_problem(nan).has_value());

  auto hole_outside = square(52.0, 5.0, 53.0, 6.0);
  hole_outside.holes.push_back(square(53.5, 5.25, 53.75, 5.75).outer);
  CHECK_THAT(*core::polygon_problem(hole_outside), Catch::Contains("hole 1: not inside"));
  auto bad_hole = square(52.0, 5.0, 53.0, 6.0);
  bad_hole.holes.push_back({{52.2, 5.2}, {52.8, 5.8}, {52.8, 5.2}, {52.2, 5.8}});
  CHECK_THAT(*core::polygon_problem(bad_hole), Catch::Contains("hole 1"));
}

TEST_CASE("valid_coordinates checks ranges and finiteness", "[geo]") {
  CHECK(core::valid_coordinates({52.0, 5.0}));
  CHECK(core::valid_coordinates({-90.0, 180.0}));
  CHECK(core::valid_coordinates({90.0, -180.0}));
  CHECK_FALSE(core::valid_coordinates({90.0001, 0.0}));
  CHECK_FALSE(core::valid_coordinates({0.0, -180.0001}));
  CHECK_FALSE(core::valid_coordinates({std::numeric_limits<double>::quiet_NaN(), 0.0}));
  CHECK_FALSE(core::valid_coordinates({0.0, std::numeric_limits<double>::infinity()}));
}

TEST_CASE("distance_m with the query's scale equals distance_m to the bit", "[geo]") {
  const core::GeoPoint q{52.0907, 5.1214};
  const auto scale = core::plane_scale(q.lat);
  for (const core::GeoPoint other : {core::GeoPoint{52.1, 5.13}, core::GeoPoint{51.9, 4.8},
                                     core::GeoPoint{52.0907, 5.1214}, core::GeoPoint{53.5, 7.2}}) {
    CHECK(core::distance_m(scale, q, other) == core::distance_m(q, other));
  }
}
