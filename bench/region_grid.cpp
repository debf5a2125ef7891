// region_grid.cpp — the benchmark's meldkamer regions: a rows x cols grid over the Netherlands
// bounding box whose inner borders are wiggly polylines. Every border is generated once and used
// by both neighbours (one forwards, one backwards), so the regions tile the box with no gap and
// no overlap, and point-in-polygon has to do real work (hundreds of vertices per region).
//
// A horizontal border is a function of longitude and a vertical one of latitude, the wiggle is
// much smaller than half a cell and tapers to zero at the corners: no ring self-intersects.
#include <cmath>
#include <cstdio>
#include <numbers>

#include "dataset.hpp"

namespace aware::bench {
namespace {

// segments+1 offsets along one border, 0 at both ends, |offset| <= amplitude.
std::vector<double> wiggle(int segments, double amplitude, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> phase(0.0, 2 * std::numbers::pi);
  std::uniform_real_distribution<double> jitter(-1.0, 1.0);
  const double p1 = phase(rng);
  const double p2 = phase(rng);
  std::vector<double> out(static_cast<std::size_t>(segments) + 1);
  for (int i = 0; i <= segments; ++i) {
    const double t = static_cast<double>(i) / segments;
    const double taper = std::sin(std::numbers::pi * t);
    const double shape = 0.6 * std::sin(2 * std::numbers::pi * 3 * t + p1) +
                         0.3 * std::sin(2 * std::numbers::pi * 11 * t + p2) + 0.1 * jitter(rng);
    out[static_cast<std::size_t>(i)] = (i == 0 || i == segments) ? 0.0 : amplitude * taper * shape;
  }
  return out;
}

using Line = std::vector<core::GeoPoint>;

}  // namespace

std::vector<core::RegionRecord> make_region_grid(int rows, int cols, int segments_per_side,
                                                 std::mt19937_64& rng) {
  const double cell_lat = (max_lat - min_lat) / rows;
  const double cell_lon = (max_lon - min_lon) / cols;
  const double amp_lat = 0.12 * cell_lat;  // wiggle of horizontal borders
  const double amp_lon = 0.12 * cell_lon;  // wiggle of vertical borders
  auto lat_at = [&](int r) { return min_lat + cell_lat * r; };
  auto lon_at = [&](int c) { return min_lon + cell_lon * c; };

  // horizontal[r][c]: the border at row line r between column lines c and c+1, west to east.
  std::vector<std::vector<Line>> horizontal(static_cast<std::size_t>(rows) + 1);
  for (int r = 0; r <= rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const bool outer = r == 0 || r == rows;
      const auto w = wiggle(segments_per_side, outer ? 0.0 : amp_lat, rng);
      Line line;
      for (int i = 0; i <= segments_per_side; ++i) {
        const double t = static_cast<double>(i) / segments_per_side;
        line.push_back({lat_at(r) + w[static_cast<std::size_t>(i)], lon_at(c) + t * cell_lon});
      }
      horizontal[static_cast<std::size_t>(r)].push_back(std::move(line));
    }
  }
  // vertical[c][r]: the border at column line c between row lines r and r+1, south to north.
  std::vector<std::vector<Line>> vertical(static_cast<std::size_t>(cols) + 1);
  for (int c = 0; c <= cols; ++c) {
    for (int r = 0; r < rows; ++r) {
      const bool outer = c == 0 || c == cols;
      const auto w = wiggle(segments_per_side, outer ? 0.0 : amp_lon, rng);
      Line line;
      for (int i = 0; i <= segments_per_side; ++i) {
        const double t = static_cast<double>(i) / segments_per_side;
        line.push_back({lat_at(r) + t * cell_lat, lon_at(c) + w[static_cast<std::size_t>(i)]});
      }
      vertical[static_cast<std::size_t>(c)].push_back(std::move(line));
    }
  }

  // Each ring runs counter-clockwise: south border eastwards, east border northwards, north
  // border westwards, west border southwards; the last point of each border is the first of
  // the next, so it is left out.
  std::vector<core::RegionRecord> regions;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const auto ur = static_cast<std::size_t>(r);
      const auto uc = static_cast<std::size_t>(c);
      const Line& south = horizontal[ur][uc];
      const Line& east = vertical[uc + 1][ur];
      const Line& north = horizontal[ur + 1][uc];
      const Line& west = vertical[uc][ur];
      core::Ring ring;
      ring.insert(ring.end(), south.begin(), south.end() - 1);
      ring.insert(ring.end(), east.begin(), east.end() - 1);
      ring.insert(ring.end(), north.rbegin(), north.rend() - 1);
      ring.insert(ring.end(), west.rbegin(), west.rend() - 1);
      char id[32];
      std::snprintf(id, sizeof id, "regio-%02d", r * cols + c);
      char name[32];
      std::snprintf(name, sizeof name, "Regio %d/%d", r + 1, c + 1);
      regions.push_back({id, name, {core::Polygon{std::move(ring), {}}}});
    }
  }
  return regions;
}

}  // namespace aware::bench
