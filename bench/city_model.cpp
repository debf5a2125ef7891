// city_model.cpp — where the benchmark's AOLs and activations lie: 41 Dutch municipalities with
// their centres and (rounded) populations, a Gaussian spread per city that grows with the square
// root of its population (peak density about the same everywhere, like real towns), and a
// uniform rural share over the bounding box.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "dataset.hpp"

namespace aware::bench {
namespace {

struct City {
  double lat;
  double lon;
  double population;  // inhabitants, rounded
};

// Source: municipality centres and CBS population figures, rounded; accuracy is not the point.
constexpr std::array<City, 41> cities{{
    {52.3676, 4.9041, 920'000}, {51.9244, 4.4777, 660'000}, {52.0705, 4.3007, 560'000},
    {52.0907, 5.1214, 370'000}, {51.4416, 5.4697, 240'000}, {53.2194, 6.5665, 235'000},
    {51.5555, 5.0913, 225'000}, {52.3508, 5.2647, 220'000}, {51.5719, 4.7683, 185'000},
    {51.8126, 5.8372, 180'000}, {52.2112, 5.9699, 165'000}, {51.9851, 5.8987, 165'000},
    {52.3874, 4.6462, 165'000}, {52.3025, 4.6889, 160'000}, {52.1561, 5.3878, 160'000},
    {52.4391, 4.8275, 160'000}, {52.2215, 6.8937, 160'000}, {51.6978, 5.3037, 160'000},
    {52.5168, 6.0830, 130'000}, {52.0575, 4.4931, 125'000}, {52.1601, 4.4970, 125'000},
    {53.2012, 5.7999, 124'000}, {50.8514, 5.6910, 120'000}, {51.8133, 4.6901, 120'000},
    {52.0402, 5.6649, 120'000}, {52.1291, 4.6570, 112'000}, {51.9928, 4.2094, 110'000},
    {52.6324, 4.7534, 110'000}, {52.7858, 6.8976, 107'000}, {52.0116, 4.3571, 104'000},
    {51.3704, 6.1724, 102'000}, {52.2661, 6.1552, 101'000}, {50.9983, 5.8689, 92'000},
    {51.4793, 5.6570, 92'000},  {51.7650, 5.5180, 92'000},  {52.3114, 4.8701, 90'000},
    {52.2292, 5.1669, 90'000},  {50.8882, 5.9795, 87'000},  {52.5185, 5.4714, 80'000},
    {52.9925, 6.5649, 68'000},  {51.4988, 3.6136, 48'000},
}};

constexpr double clustered_share = 0.8;

bool in_box(core::GeoPoint p) {
  return p.lat >= min_lat && p.lat <= max_lat && p.lon >= min_lon && p.lon <= max_lon;
}

}  // namespace

core::GeoPoint offset_m(core::GeoPoint p, double north_m, double east_m) {
  constexpr double m_per_deg_lat = 111'250.0;
  const double m_per_deg_lon = 111'320.0 * std::cos(p.lat * std::numbers::pi / 180.0);
  return {p.lat + north_m / m_per_deg_lat, p.lon + east_m / m_per_deg_lon};
}

CityModel::CityModel() {
  double sum = 0;
  for (const City& c : cities) {
    sum += c.population;
    cumulative_.push_back(sum);
  }
}

core::GeoPoint CityModel::clustered(std::mt19937_64& rng) const {
  std::uniform_real_distribution<double> pick(0.0, cumulative_.back());
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), pick(rng));
  const auto index = static_cast<std::size_t>(std::min<std::ptrdiff_t>(
      it - cumulative_.begin(), static_cast<std::ptrdiff_t>(cities.size()) - 1));
  const City& city = cities[index];
  // Amsterdam spreads over about 7 km; a town of 90 000 over about 2.2 km.
  const double sigma_m = std::max(1'500.0, 7'000.0 * std::sqrt(city.population / 920'000.0));
  std::normal_distribution<double> spread(0.0, sigma_m);
  for (;;) {
    const core::GeoPoint p = offset_m({city.lat, city.lon}, spread(rng), spread(rng));
    if (in_box(p)) {
      return p;
    }
  }
}

core::GeoPoint CityModel::uniform(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> lat(min_lat, max_lat);
  std::uniform_real_distribution<double> lon(min_lon, max_lon);
  const double la = lat(rng);
  return {la, lon(rng)};
}

core::GeoPoint CityModel::anywhere(std::mt19937_64& rng) const {
  std::bernoulli_distribution in_city(clustered_share);
  return in_city(rng) ? clustered(rng) : uniform(rng);
}

}  // namespace aware::bench
