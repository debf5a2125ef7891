// test_aol_store.cpp — unit tests for what the index keeps of the AOLs besides the grid:
// AolZones (polygons stored in the index) must give core::distance_to_polygon_m's double to the
// bit, and AolIds must rank ids exactly like std::string's operator< (then registry position).
// Plus one crowded case for find_aols: hundreds of zones containing the fix, enough to take the
// radix-sort path, still in the linear scan's order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/geo.hpp"
#include "match/aol_ids.hpp"
#include "match/aol_zones.hpp"
#include "match/matcher.hpp"
#include "match/reference.hpp"
#include "random_geometry.hpp"

namespace core = aware::core;
using aware::match::AolIds;
using aware::match::AolZones;
using namespace aware::match::testing;

namespace {

// p lies within the bounding box of the polygon's points, widened by `margin` degrees.
bool in_box(const core::Polygon& poly, core::GeoPoint p, double margin) {
  double lat0 = 1e9, lat1 = -1e9, lon0 = 1e9, lon1 = -1e9;
  for (const auto& v : poly.outer) {
    lat0 = std::min(lat0, v.lat);
    lat1 = std::max(lat1, v.lat);
    lon0 = std::min(lon0, v.lon);
    lon1 = std::max(lon1, v.lon);
  }
  return p.lat >= lat0 - margin && p.lat <= lat1 + margin && p.lon >= lon0 - margin &&
         p.lon <= lon1 + margin;
}

core::AolRecord aol_at(std::string id, core::GeoPoint p, double radius_m) {
  core::AolRecord a;
  a.id = std::move(id);
  a.lat = p.lat;
  a.lon = p.lon;
  a.radius_m = radius_m;
  return a;
}

}  // namespace

TEST_CASE("AolZones gives core::distance_to_polygon_m's distance to the bit", "[match][zones]") {
  Rng rng{7};
  AolZones zones;
  std::vector<core::Polygon> polygons;
  for (int i = 0; i < 200; ++i) {
    const core::GeoPoint c{uniform(rng, -70, 70), uniform(rng, -179, 179)};
    const double r = uniform(rng, 50, 5000);  // metres
    core::Polygon poly{star(rng, c, r, 3 + i % 12), {}};
    if (i % 3 == 0) {
      poly.holes.push_back(star(rng, c, r * 0.3, 3 + i % 5));
    }
    polygons.push_back(poly);
    REQUIRE(zones.add(poly) == static_cast<std::uint32_t>(i));
  }
  REQUIRE(zones.size() == polygons.size());
  int near_box = 0;
  int far_from_box = 0;  // where AolZones skips the containment pass
  int pruned = 0;        // limited distances answered from the box alone
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    const auto& ring = polygons[i].outer;
    const double r = 2000;
    for (int q = 0; q < 50; ++q) {
      core::GeoPoint p{};
      if (q < static_cast<int>(ring.size())) {
        p = ring[static_cast<std::size_t>(q)];  // on a vertex
      } else {
        p = offset(ring[0], uniform(rng, -2 * r, 2 * r), uniform(rng, -2 * r, 2 * r));
      }
      const double expected = core::distance_to_polygon_m(polygons[i], p);
      const auto zone = static_cast<std::uint32_t>(i);
      const auto scale = core::plane_scale(p.lat);
      const double got = zones.distance_m(zone, p, scale);
      REQUIRE(std::memcmp(&expected, &got, sizeof got) == 0);
      // With a limit: the same double up to the limit (also exactly at it), above it beyond.
      for (const double limit : {0.0, 0.5 * expected, expected, 2 * expected + 10}) {
        const double limited = zones.distance_m(zone, p, scale, limit);
        if (expected <= limit) {
          REQUIRE(std::memcmp(&expected, &limited, sizeof limited) == 0);
        } else {
          REQUIRE(limited > limit);
          pruned += std::isinf(limited) ? 1 : 0;
        }
      }
      (in_box(polygons[i], p, 1e-8) ? near_box : far_from_box) += 1;
    }
  }
  CHECK(near_box > 1000);
  CHECK(far_from_box > 1000);
  CHECK(pruned > 1000);
}

TEST_CASE("AolIds ranks like std::string's operator<, then position, and skips inactive AOLs",
          "[match][ids]") {
  std::vector<core::AolRecord> aols;
  const char* ids[] = {"b", "a", "AOL-0000000000000000002", "AOL-0000000000000000001", "", "a",
                       "a", "z-inactive", "ab", "AOL-00000000000000000011"};
  for (const char* id : ids) {
    aols.push_back(aol_at(id, {52, 5}, 100));
  }
  aols[6].id = std::string("a\0", 2);  // a trailing NUL sorts after "a" and before "ab"
  aols[7].active = false;
  auto id_of = [&](std::size_t i) { return aols[i].active ? &aols[i].id : nullptr; };
  const auto rank = AolIds::rank(aware::match::order_by_text(aols.size(), id_of), aols.size());
  REQUIRE(rank[7] == AolIds::kNone);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < aols.size(); ++i) {
    if (aols[i].active) {
      order.push_back(i);
    }
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return aols[a].id != aols[b].id ? aols[a].id < aols[b].id : a < b;
  });
  for (std::size_t r = 0; r < order.size(); ++r) {
    CHECK(rank[order[r]] == r);
  }
  // Stored by slot: here slot = rank.
  const AolIds stored{aols, rank};
  REQUIRE(stored.size() == order.size());
  for (std::size_t r = 0; r < order.size(); ++r) {
    CHECK(stored.id(static_cast<std::uint32_t>(r)) == aols[order[r]].id);
  }
}

TEST_CASE("hundreds of zones containing the fix come out in the linear scan's order",
          "[match][property]") {
  Rng rng{11};
  core::Registry registry;
  const core::GeoPoint fix{52.1, 5.1};
  for (int i = 0; i < 700; ++i) {
    // Shuffled ids, some equal, centres within 200 m, radii 300-900 m: most contain the fix.
    const auto n = static_cast<int>(uniform(rng, 0, 500));
    auto a = aol_at("AOL-" + std::to_string(n), {fix.lat + uniform(rng, -0.0018, 0.0018),
                                                fix.lon + uniform(rng, -0.003, 0.003)},
                    uniform(rng, 300, 900));
    a.client_id = i % 50 == 0 ? "C-1" : "";
    if (i % 7 == 0) {
      a.zone = core::Polygon{star(rng, {a.lat, a.lon}, 1000, 8), {}};
    }
    registry.aols.push_back(std::move(a));
  }
  const aware::match::MatchIndex index{registry};
  const core::MatchConfig config;
  for (const double accuracy : {0.0, 20.0, 400.0}) {
    for (const char* client : {"", "C-1"}) {
      std::vector<core::AolHit> by_index;
      std::vector<core::AolHit> by_scan;
      index.find_aols(fix, accuracy, client, config, by_index);
      aware::match::find_aols_linear(registry, fix, accuracy, client, config, by_scan);
      REQUIRE(by_index.size() > 300);
      REQUIRE(by_index == by_scan);
    }
  }
}
