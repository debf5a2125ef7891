// test_property.cpp — the property test of daemon/match: on seeded random registries (a few
// thousand AOLs clustered in "cities", circles and star-shaped polygons with and without holes,
// some with huge radius, AOLs sharing one point, random devices / clients / AOPs, star-shaped and
// lattice regions with shared borders) and thousands of random queries (no fix, stale fix, zero
// and huge accuracy, points exactly on AOL centres, polygon vertices and region borders), the
// index's match() equals the linear scan's match_linear() exactly, every time.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "core/geo.hpp"
#include "match/matcher.hpp"
#include "match/reference.hpp"
#include "random_geometry.hpp"

namespace core = aware::core;
using aware::match::MatchIndex;
using aware::match::MatchQuery;
using namespace aware::match::testing;

namespace {

std::string date(Rng& rng) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 2023 + static_cast<int>(below(rng, 4)),
                1 + static_cast<int>(below(rng, 12)), 1 + static_cast<int>(below(rng, 28)));
  return buf;
}

struct World {
  core::Registry registry;
  std::vector<core::GeoPoint> cities;
  std::vector<core::GeoPoint> special;  // points exactly on centres, vertices and borders
};

World make_world(Rng& rng, core::GeoPoint origin, std::size_t aol_count) {
  World w;
  for (int i = 0; i < 6; ++i) {
    w.cities.push_back(offset(origin, uniform(rng, -60e3, 60e3), uniform(rng, -60e3, 60e3)));
  }
  auto& r = w.registry;
  const std::size_t clients = 300;
  for (std::size_t i = 0; i < clients; ++i) {
    r.clients.push_back({"C-" + std::to_string(i), "name " + std::to_string(i),
                         chance(rng, 0.8) ? "home-" + std::to_string(below(rng, 5)) : "",
                         chance(rng, 0.95)});
  }
  for (std::size_t i = 0; i < 400; ++i) {
    const std::string client =
        chance(rng, 0.05) ? "C-missing" : "C-" + std::to_string(below(rng, clients));
    r.devices.push_back({"XM-" + std::to_string(i), client, chance(rng, 0.95)});
  }
  for (std::size_t i = 0; i < 450; ++i) {
    r.aops.push_back({"AOP-" + std::to_string(below(rng, 400)), "C-" + std::to_string(below(rng, clients)),
                      "s", "p", "h", chance(rng, 0.1) ? "" : date(rng),
                      chance(rng, 0.1) ? "" : date(rng), {}, chance(rng, 0.95)});
  }
  for (std::size_t i = 0; i < aol_count; ++i) {
    core::AolRecord a;
    a.id = "AOL-" + std::to_string(chance(rng, 0.02) ? below(rng, 50) : i);  // some duplicate ids
    a.client_id = chance(rng, 0.15) ? "" : "C-" + std::to_string(below(rng, clients));
    a.label = "label";
    a.address = "address " + std::to_string(i);
    a.instructions = "instructions";
    const auto city = w.cities[below(rng, w.cities.size())];
    core::GeoPoint c = offset(city, uniform(rng, -1, 1) * log_uniform(rng, 10, 20e3),
                              uniform(rng, -1, 1) * log_uniform(rng, 10, 20e3));
    if (i > 0 && chance(rng, 0.05)) {  // at the very point of an earlier AOL
      const auto& other = r.aols[below(rng, i)];
      c = {other.lat, other.lon};
    }
    a.lat = c.lat;
    a.lon = c.lon;
    a.radius_m = chance(rng, 0.01) ? log_uniform(rng, 5e3, 50e3) : log_uniform(rng, 10, 1500);
    if (chance(rng, 0.002)) {
      a.radius_m = std::round(a.radius_m);
    }
    if (chance(rng, 0.1)) {
      const double size = log_uniform(rng, 20, 800);
      core::Polygon zone{star(rng, c, size, 3 + static_cast<int>(below(rng, 10))), {}};
      if (chance(rng, 0.3)) {
        zone.holes.push_back(star(rng, c, size * 0.3, 3 + static_cast<int>(below(rng, 5))));
      }
      if (chance(rng, 0.1)) {  // a duplicate vertex
        zone.outer.insert(zone.outer.begin() + 1, zone.outer[1]);
      }
      w.special.push_back(zone.outer[0]);
      a.zone = std::move(zone);
    }
    a.active = chance(rng, 0.97);
    w.special.push_back(c);
    r.aols.push_back(std::move(a));
  }
  // Star regions around the cities (some overlapping, some with a hole) and a lattice of
  // squares sharing borders.
  for (std::size_t i = 0; i < w.cities.size(); ++i) {
    core::Polygon poly{star(rng, w.cities[i], uniform(rng, 5e3, 40e3),
                            50 + static_cast<int>(below(rng, 500))),
                       {}};
    if (chance(rng, 0.5)) {
      poly.holes.push_back(star(rng, w.cities[i], 1500, 20));
    }
    for (int k = 0; k < 3; ++k) {
      w.special.push_back(poly.outer[below(rng, poly.outer.size())]);
    }
    r.regions.push_back({"star-" + std::to_string(i), "Star", {std::move(poly)}});
  }
  const double step = 0.1;
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 4; ++x) {
      const double lat0 = std::floor(origin.lat) + y * step;
      const double lon0 = std::floor(origin.lon) + x * step;
      r.regions.push_back({"grid-" + std::to_string(below(rng, 100)),
                           "Grid",
                           {core::Polygon{{{lat0, lon0}, {lat0, lon0 + step},
                                           {lat0 + step, lon0 + step}, {lat0 + step, lon0}},
                                          {}}}});
      w.special.push_back({lat0, lon0 + step / 2});
      w.special.push_back({lat0 + step / 2, lon0});
      w.special.push_back({lat0, lon0});
    }
  }
  return w;
}

MatchQuery make_query(Rng& rng, const World& w, std::string& device) {
  MatchQuery q;
  device = chance(rng, 0.05) ? "XM-unknown" : "XM-" + std::to_string(below(rng, 420));
  q.device_id = device;
  q.now_ms = 1'672'531'200'000 + static_cast<core::TimeMs>(below(rng, 4 * 365)) * 86'400'000 +
             static_cast<core::TimeMs>(below(rng, 86'400'000));
  if (chance(rng, 0.1)) {
    return q;
  }
  core::GeoPoint p;
  if (chance(rng, 0.25)) {
    p = w.special[below(rng, w.special.size())];
  } else {
    const auto city = w.cities[below(rng, w.cities.size())];
    p = offset(city, uniform(rng, -1, 1) * log_uniform(rng, 1, 30e3),
               uniform(rng, -1, 1) * log_uniform(rng, 1, 30e3));
  }
  double accuracy = chance(rng, 0.2) ? 0.0 : log_uniform(rng, 3, 300);
  if (chance(rng, 0.03)) {
    accuracy = log_uniform(rng, 1e3, 50e3);
  }
  core::GeoFix fix{p.lat, p.lon, static_cast<float>(accuracy), q.now_ms, core::FixSource::gps,
                   q.now_ms};
  if (chance(rng, 0.1)) {
    fix.fix_time_ms -= static_cast<core::TimeMs>(log_uniform(rng, 1e3, 4e6));  // maybe stale
  }
  q.fix = fix;
  return q;
}

core::MatchConfig make_config(Rng& rng) {
  core::MatchConfig c;
  const double near[] = {0.0, 100.0, 500.0, 500.0, 2000.0};
  const std::size_t near_max[] = {0, 1, 3, 10, 10, 1000};
  c.near_m = near[below(rng, 5)];
  c.near_max = near_max[below(rng, 6)];
  c.max_fix_age = std::chrono::seconds{300};
  return c;
}

void check_world(std::uint64_t seed, core::GeoPoint origin, int queries) {
  Rng rng{seed};
  const World w = make_world(rng, origin, 3000);
  const MatchIndex index{w.registry};
  int with_aols = 0;
  int with_fix_region = 0;
  for (int i = 0; i < queries; ++i) {
    std::string device;
    const auto q = make_query(rng, w, device);
    const auto cfg = make_config(rng);
    const auto fast = aware::match::match(index, q, cfg);
    const auto slow = aware::match::match_linear(w.registry, q, cfg);
    if (!(fast == slow)) {
      FAIL_CHECK("seed " << seed << " query " << i << " device " << device << " differs: "
                         << fast.aols.size() << " vs " << slow.aols.size() << " AOLs, region "
                         << fast.region << " vs " << slow.region);
    }
    with_aols += !slow.aols.empty();
    with_fix_region += slow.region_source == core::RegionSource::fix;
    // find_aols for any client id, also one the index does not know as a client.
    if (q.fix && i % 4 == 0) {
      const std::string client = "C-" + std::to_string(below(rng, 310));
      std::vector<core::AolHit> a, b;
      index.find_aols({q.fix->lat, q.fix->lon}, q.fix->accuracy_m, client, cfg, a);
      aware::match::find_aols_linear(w.registry, {q.fix->lat, q.fix->lon}, q.fix->accuracy_m,
                                     client, cfg, b);
      CHECK(a == b);
    }
  }
  // The data must exercise the rules, not pass vacuously.
  CHECK(with_aols > queries / 4);
  CHECK(with_fix_region > queries / 10);
}

}  // namespace

TEST_CASE("property: the index matches exactly like the linear scan (Netherlands)",
          "[match][property]") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    check_world(seed, {52.1, 5.1}, 2500);
  }
}

TEST_CASE("property: the index matches exactly like the linear scan (elsewhere, 0-70°)",
          "[match][property]") {
  Rng rng{99};
  for (std::uint64_t seed = 10; seed < 14; ++seed) {
    check_world(seed, {uniform(rng, 0, 70), uniform(rng, -179, 179)}, 1500);
  }
  check_world(20, {65.0, 179.8}, 1500);  // across the antimeridian
  check_world(21, {0.3, -179.9}, 1500);  // at the equator and the antimeridian
}
