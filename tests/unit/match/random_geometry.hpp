// random_geometry.hpp — seeded random numbers and shapes shared by the match tests that build
// random registries (test_property.cpp, test_aol_store.cpp).
#pragma once

#include <cmath>
#include <numbers>
#include <random>

#include "core/geo.hpp"

namespace aware::match::testing {

namespace core = aware::core;

using Rng = std::mt19937_64;

inline double uniform(Rng& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>{lo, hi}(rng);
}
inline bool chance(Rng& rng, double p) { return uniform(rng, 0, 1) < p; }
inline std::size_t below(Rng& rng, std::size_t n) {
  return std::uniform_int_distribution<std::size_t>{0, n - 1}(rng);
}
inline double log_uniform(Rng& rng, double lo, double hi) {
  return std::exp(uniform(rng, std::log(lo), std::log(hi)));
}

inline core::GeoPoint offset(core::GeoPoint p, double north_m, double east_m) {
  const auto s = core::plane_scale(p.lat);
  double lon = p.lon + east_m / s.m_per_deg_lon;
  lon = lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
  return {p.lat + north_m / s.m_per_deg_lat, lon};
}

// A star-shaped (hence simple) ring of k points at radius r·[0.6, 1] around c.
inline core::Ring star(Rng& rng, core::GeoPoint c, double r, int k) {
  core::Ring ring;
  for (int j = 0; j < k; ++j) {
    const double angle = 2 * std::numbers::pi * (j + 0.4 * uniform(rng, -0.5, 0.5)) / k;
    const double rj = r * uniform(rng, 0.6, 1.0);
    ring.push_back(offset(c, rj * std::cos(angle), rj * std::sin(angle)));
  }
  return ring;
}

}  // namespace aware::match::testing
