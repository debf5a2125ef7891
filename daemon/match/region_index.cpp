// region_index.cpp — builds and queries RegionIndex (see region_index.hpp).
//
// It tests edges with core::on_edge() and core::crosses_ray(), the predicates core::contains()
// uses, so the index answers exactly what core::contains answers. A point outside a
// polygon's bounding box widened by the tolerance is outside for core::contains too (a closed
// ring crosses any horizontal line an even number of times), which makes the prefilters exact.
#include "match/region_index.hpp"

#include "core/geo.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace aware::match {

namespace {

constexpr std::uint32_t kMaxGrid = 128;

// floor((v - origin) / step) clamped to [0, count - 1]; monotone in v.
std::uint32_t slot_of(double v, double origin, double step, std::uint32_t count) {
  const double f = std::floor((v - origin) / step);
  if (!(f > 0)) {
    return 0;
  }
  return f >= static_cast<double>(count - 1) ? count - 1 : static_cast<std::uint32_t>(f);
}

}  // namespace

void RegionIndex::add_polygon(const core::Polygon& poly) {
  BandedPolygon banded;
  banded.box = {1e300, -1e300, 1e300, -1e300};
  std::vector<Edge> edges;
  auto collect = [&](const core::Ring& ring) {
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const core::GeoPoint a = ring[i];
      const core::GeoPoint b = ring[i + 1 == ring.size() ? 0 : i + 1];
      edges.push_back({a, b});
      banded.box.min_lat = std::min(banded.box.min_lat, a.lat - core::kEdgeToleranceDeg);
      banded.box.max_lat = std::max(banded.box.max_lat, a.lat + core::kEdgeToleranceDeg);
      banded.box.min_lon = std::min(banded.box.min_lon, a.lon - core::kEdgeToleranceDeg);
      banded.box.max_lon = std::max(banded.box.max_lon, a.lon + core::kEdgeToleranceDeg);
    }
  };
  collect(poly.outer);
  for (const auto& hole : poly.holes) {
    collect(hole);
  }
  banded.band_count = static_cast<std::uint32_t>(std::clamp<std::size_t>(edges.size() / 2, 1, 65536));
  banded.band_height = edges.empty()
                           ? 1.0
                           : std::max((banded.box.max_lat - banded.box.min_lat) / banded.band_count,
                                      1e-12);
  banded.first_offset = static_cast<std::uint32_t>(band_offsets_.size());
  // Counting sort of the edges into every band their widened latitude range touches.
  std::vector<std::uint32_t> counts(banded.band_count + 1, 0);
  auto band_range = [&](const Edge& e) {
    const double lo = std::min(e.a.lat, e.b.lat) - core::kEdgeToleranceDeg;
    const double hi = std::max(e.a.lat, e.b.lat) + core::kEdgeToleranceDeg;
    return std::pair{slot_of(lo, banded.box.min_lat, banded.band_height, banded.band_count),
                     slot_of(hi, banded.box.min_lat, banded.band_height, banded.band_count)};
  };
  for (const auto& e : edges) {
    const auto [first, last] = band_range(e);
    for (std::uint32_t b = first; b <= last; ++b) {
      ++counts[b + 1];
    }
  }
  std::partial_sum(counts.begin(), counts.end(), counts.begin());
  const auto base = static_cast<std::uint32_t>(edges_.size());
  for (const auto c : counts) {
    band_offsets_.push_back(base + c);
  }
  edges_.resize(base + counts.back());
  std::vector<std::uint32_t> fill(counts.begin(), counts.end() - 1);
  for (const auto& e : edges) {
    const auto [first, last] = band_range(e);
    for (std::uint32_t b = first; b <= last; ++b) {
      edges_[base + fill[b]++] = e;
    }
  }
  polygons_.push_back(banded);
}

RegionIndex::RegionIndex(const std::vector<core::RegionRecord>& regions) {
  std::vector<std::uint32_t> order(regions.size());
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return regions[a].id != regions[b].id ? regions[a].id < regions[b].id : a < b;
  });
  for (const auto pos : order) {
    Region region;
    region.position = pos;
    region.first_polygon = static_cast<std::uint32_t>(polygons_.size());
    region.box = {1e300, -1e300, 1e300, -1e300};
    for (const auto& poly : regions[pos].area) {
      if (poly.outer.empty() && poly.holes.empty()) {
        continue;  // no edges: contains nothing
      }
      add_polygon(poly);
      if (polygons_.back().box.min_lat > polygons_.back().box.max_lat) {
        polygons_.pop_back();  // only empty rings: contains nothing (its offsets stay unused)
        continue;
      }
      const Box& b = polygons_.back().box;
      region.box = {std::min(region.box.min_lat, b.min_lat), std::max(region.box.max_lat, b.max_lat),
                    std::min(region.box.min_lon, b.min_lon), std::max(region.box.max_lon, b.max_lon)};
    }
    region.polygon_count = static_cast<std::uint32_t>(polygons_.size()) - region.first_polygon;
    if (region.polygon_count > 0) {
      regions_.push_back(region);
    }
  }
  if (regions_.empty()) {
    return;
  }
  grid_box_ = regions_.front().box;
  for (const auto& r : regions_) {
    grid_box_ = {std::min(grid_box_.min_lat, r.box.min_lat), std::max(grid_box_.max_lat, r.box.max_lat),
                 std::min(grid_box_.min_lon, r.box.min_lon), std::max(grid_box_.max_lon, r.box.max_lon)};
  }
  grid_n_ = std::min<std::uint32_t>(kMaxGrid, 8 * static_cast<std::uint32_t>(regions_.size()));
  cell_lat_ = std::max((grid_box_.max_lat - grid_box_.min_lat) / grid_n_, 1e-12);
  cell_lon_ = std::max((grid_box_.max_lon - grid_box_.min_lon) / grid_n_, 1e-12);
  std::vector<std::vector<std::uint32_t>> cells(std::size_t{grid_n_} * grid_n_);
  for (std::uint32_t r = 0; r < regions_.size(); ++r) {
    const Box& b = regions_[r].box;
    const auto y0 = slot_of(b.min_lat, grid_box_.min_lat, cell_lat_, grid_n_);
    const auto y1 = slot_of(b.max_lat, grid_box_.min_lat, cell_lat_, grid_n_);
    const auto x0 = slot_of(b.min_lon, grid_box_.min_lon, cell_lon_, grid_n_);
    const auto x1 = slot_of(b.max_lon, grid_box_.min_lon, cell_lon_, grid_n_);
    for (auto y = y0; y <= y1; ++y) {
      for (auto x = x0; x <= x1; ++x) {
        cells[std::size_t{y} * grid_n_ + x].push_back(r);
      }
    }
  }
  cell_offsets_.push_back(0);
  for (const auto& c : cells) {
    cell_regions_.insert(cell_regions_.end(), c.begin(), c.end());
    cell_offsets_.push_back(static_cast<std::uint32_t>(cell_regions_.size()));
  }
}

bool RegionIndex::polygon_contains(const BandedPolygon& poly, core::GeoPoint p) const {
  if (!poly.box.holds(p)) {
    return false;
  }
  const auto band = slot_of(p.lat, poly.box.min_lat, poly.band_height, poly.band_count);
  const std::uint32_t begin = band_offsets_[poly.first_offset + band];
  const std::uint32_t end = band_offsets_[poly.first_offset + band + 1];
  bool odd = false;
  for (std::uint32_t i = begin; i < end; ++i) {
    const Edge& e = edges_[i];
    if (core::on_edge(e.a, e.b, p)) {
      return true;
    }
    odd ^= core::crosses_ray(e.a, e.b, p);
  }
  return odd;
}

std::uint32_t RegionIndex::find(core::GeoPoint p) const {
  if (!grid_box_.holds(p)) {
    return kNone;
  }
  const auto y = slot_of(p.lat, grid_box_.min_lat, cell_lat_, grid_n_);
  const auto x = slot_of(p.lon, grid_box_.min_lon, cell_lon_, grid_n_);
  const std::size_t cell = std::size_t{y} * grid_n_ + x;
  for (std::uint32_t i = cell_offsets_[cell]; i < cell_offsets_[cell + 1]; ++i) {
    const Region& region = regions_[cell_regions_[i]];
    if (!region.box.holds(p)) {
      continue;
    }
    for (std::uint32_t k = 0; k < region.polygon_count; ++k) {
      if (polygon_contains(polygons_[region.first_polygon + k], p)) {
        return region.position;
      }
    }
  }
  return kNone;
}

std::size_t RegionIndex::bytes() const {
  return regions_.capacity() * sizeof(Region) + polygons_.capacity() * sizeof(BandedPolygon) +
         band_offsets_.capacity() * 4 + edges_.capacity() * sizeof(Edge) +
         cell_offsets_.capacity() * 4 + cell_regions_.capacity() * 4;
}

}  // namespace aware::match
