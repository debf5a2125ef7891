// dataset.hpp — the one seeded dataset of match_bench: clients, devices, AOPs and meldkamer
// regions shared by every size, AOLs spread over the Netherlands with city clustering, and the
// activation queries every implementation answers. Same seed, same bytes: runs are comparable.
//
// Called by match_bench.cpp only. The generator is plain code with no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "core/types.hpp"

namespace aware::bench {

// The Netherlands bounding box every coordinate of the dataset lies in.
inline constexpr double min_lat = 50.75;
inline constexpr double max_lat = 53.55;
inline constexpr double min_lon = 3.35;
inline constexpr double max_lon = 7.23;

struct DatasetParams {
  std::size_t max_aols = 1'000'000;  // AOLs generated; each size uses a prefix of them
  std::size_t min_aols = 100'000;    // smallest size run: "near own AOL" queries aim inside it
  std::size_t people = 1'000'000;    // clients, devices and AOPs (about one each)
  std::size_t queries = 100'000;     // activations
  std::uint64_t seed = 42;
};

// One activation as the benchmark replays it.
struct BenchQuery {
  std::string device_id;            // known or unknown device
  std::string client_id;            // the device's client (empty when unknown): for find_aols
  std::optional<core::GeoFix> fix;  // absent for "no position"
};

struct Dataset {
  core::Registry base;                // clients, devices, AOPs, regions; `aols` left empty
  std::vector<core::AolRecord> aols;  // max_aols AOLs; size n uses the first n
  std::vector<BenchQuery> queries;
  core::TimeMs now_ms = 0;  // receive time of every query
};

Dataset make_dataset(const DatasetParams& params);

// A registry with the base records and the first `n` AOLs (a copy: MatchIndex takes ownership).
core::Registry registry_with_aols(const Dataset& dataset, std::size_t n);

// --- building blocks (city_model.cpp, region_grid.cpp) ---

// Draws points the way people live: about 80 % around ~40 Dutch city centres (Gaussian spread,
// weighted by population), the rest uniform over the bounding box.
class CityModel {
 public:
  CityModel();
  core::GeoPoint clustered(std::mt19937_64& rng) const;  // near a city, weighted by population
  static core::GeoPoint uniform(std::mt19937_64& rng);   // anywhere in the bounding box
  core::GeoPoint anywhere(std::mt19937_64& rng) const;   // 80 % clustered, 20 % uniform

 private:
  std::vector<double> cumulative_;  // cumulative population weights of the cities
};

// Moves `p` by (north_m, east_m) metres (a local approximation, good enough for generating data).
core::GeoPoint offset_m(core::GeoPoint p, double north_m, double east_m);

// rows x cols regions that tile the bounding box exactly; neighbours share wiggly borders of
// `segments_per_side` segments, so each region has 4 * segments_per_side vertices.
std::vector<core::RegionRecord> make_region_grid(int rows, int cols, int segments_per_side,
                                                 std::mt19937_64& rng);

}  // namespace aware::bench
