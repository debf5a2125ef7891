// test_aol_probe.cpp — unit tests for the grid's probes (aol_grid.hpp): an AOL's centre and
// radius rounded to float, from which a query decides most circles without their exact entry.
// The decisions must never differ from the exact doubles' (core::distance_m): "inside the zone"
// only when it is, "out of reach" only when it is; and find_aols, which leaves out the near
// candidates the probes show cannot rank, must still equal the linear scan — also where many
// zones lie within a few metres of a decision.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/geo.hpp"
#include "match/aol_grid.hpp"
#include "match/matcher.hpp"
#include "match/reference.hpp"
#include "random_geometry.hpp"

namespace core = aware::core;
using aware::match::AolGrid;
using namespace aware::match::testing;

namespace {

AolGrid::Probe probe_of(core::GeoPoint c, double radius_m) {
  return {static_cast<float>(c.lat), static_cast<float>(c.lon), static_cast<float>(radius_m), 0};
}

// A query point anywhere (also near the poles' limit and across ±180) and a centre up to
// `spread_m` from it.
std::pair<core::GeoPoint, core::GeoPoint> random_pair(Rng& rng, double spread_m) {
  const core::GeoPoint p{uniform(rng, -84, 84), uniform(rng, -180, 180)};
  core::GeoPoint c = offset(p, uniform(rng, -spread_m, spread_m), uniform(rng, -spread_m, spread_m));
  if (c.lon > 180) {
    c.lon -= 360;
  } else if (c.lon < -180) {
    c.lon += 360;
  }
  return {p, c};
}

}  // namespace

TEST_CASE("a probe's distance is within half the slack of core::distance_m on the exact centre",
          "[match][probe]") {
  Rng rng{5};
  double worst = 0;
  for (int i = 0; i < 200'000; ++i) {
    const auto [p, c] = random_pair(rng, i % 2 == 0 ? 3'000.0 : 60'000.0);
    const core::PlaneScale scale = core::plane_scale(p.lat);
    const double exact = core::distance_m(scale, p, c);
    const double by_probe = std::sqrt(AolGrid::probe_distance_sq_m2(probe_of(c, 100), p, scale));
    worst = std::max(worst, std::abs(exact - by_probe));
  }
  INFO("largest difference " << worst << " m");
  CHECK(worst <= AolGrid::kProbeSlackM / 2);
  CHECK(worst > 0);  // the rounding is real, so the slack is needed
}

TEST_CASE("a probe decides a circle only when the exact doubles agree", "[match][probe]") {
  Rng rng{6};
  int inside = 0, out = 0, unsure = 0;
  for (int i = 0; i < 200'000; ++i) {
    const auto [p, c] = random_pair(rng, 2'000.0);
    // Radii around the distance, often within a few metres of it (the hard cases).
    const core::PlaneScale scale = core::plane_scale(p.lat);
    const double d = core::distance_m(scale, p, c);
    const double reach = log_uniform(rng, 1, 1'000);
    const double radius = i % 3 == 0   ? std::max(0.5, d + uniform(rng, -12, 12))
                          : i % 3 == 1 ? std::max(0.5, d - reach + uniform(rng, -12, 12))
                                       : log_uniform(rng, 1, 3'000);
    switch (AolGrid::classify(probe_of(c, radius), p, scale, reach)) {
      case AolGrid::Verdict::inside_zone:
        ++inside;
        REQUIRE(d <= radius);
        REQUIRE(std::max(0.0, d - radius) == 0.0);
        break;
      case AolGrid::Verdict::out_of_reach:
        ++out;
        REQUIRE(d > radius + reach);
        break;
      case AolGrid::Verdict::unsure:
        ++unsure;
        break;
    }
  }
  CHECK(inside > 1000);
  CHECK(out > 1000);
  CHECK(unsure > 1000);
  const core::GeoPoint nowhere{NAN, 5.0};
  CHECK(AolGrid::classify(probe_of({52, 5}, 100), nowhere, core::plane_scale(52), 50) ==
        AolGrid::Verdict::unsure);
}

TEST_CASE("near AOLs left out by their probes do not change the answer", "[match][probe]") {
  // Hundreds of circles around the fix: inside, just outside, near at distances a few metres
  // apart (so the probes' bounds overlap), own and others'; few near ones are listed.
  Rng rng{17};
  core::Registry registry;
  const core::GeoPoint fix{52.37, 4.89};
  for (int i = 0; i < 900; ++i) {
    const double bearing = uniform(rng, 0, 2 * 3.141592653589793);
    const double from_fix = uniform(rng, 0, 900);
    core::AolRecord a;
    a.id = "AOL-" + std::to_string(below(rng, 600));
    const core::GeoPoint c =
        offset(fix, from_fix * std::cos(bearing), from_fix * std::sin(bearing));
    a.lat = c.lat;
    a.lon = c.lon;
    // Some radii put the fix within metres of the edge.
    a.radius_m = i % 4 == 0 ? std::max(1.0, from_fix + uniform(rng, -6, 6))
                            : log_uniform(rng, 20, 400);
    a.client_id = i % 30 == 0 ? "C-1" : (i % 31 == 0 ? "C-2" : "");
    registry.aols.push_back(std::move(a));
  }
  const aware::match::MatchIndex index{registry};
  for (const std::size_t near_max : {0, 1, 3, 10, 50}) {
    core::MatchConfig config;
    config.near_max = near_max;
    for (const double accuracy : {0.0, 4.0, 30.0, 250.0}) {
      for (const char* client : {"", "C-1", "C-9"}) {
        std::vector<core::AolHit> by_index;
        std::vector<core::AolHit> by_scan;
        index.find_aols(fix, accuracy, client, config, by_index);
        aware::match::find_aols_linear(registry, fix, accuracy, client, config, by_scan);
        INFO("near_max " << near_max << ", accuracy " << accuracy << ", client '" << client << "'");
        REQUIRE(!by_index.empty());
        REQUIRE(by_index == by_scan);
      }
    }
  }
}
