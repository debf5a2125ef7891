// test_aol_near.cpp — find_aols against the linear scan where the near list is hard: hundreds
// of circles around the fix, a quarter with the fix within metres of their edge, near distances
// a few metres apart, own and others' AOLs, near_max from 0 to 50.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/geo.hpp"
#include "match/matcher.hpp"
#include "match/reference.hpp"
#include "random_geometry.hpp"

namespace core = aware::core;
using namespace aware::match::testing;

TEST_CASE("crowded near AOLs with fixes at zone edges and any near_max equal the linear scan",
          "[match][property]") {
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
