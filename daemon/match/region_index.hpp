// region_index.hpp — finds the meldkamer region containing a point, for MatchIndex.
//
// Layout: a coarse grid (up to 128 x 128 cells over the regions' joint bounding box) lists per
// cell the regions whose bounding box touches it, in rule order (id, then registry position).
// Each polygon keeps its edges bucketed into latitude bands; a point is tested only against the
// edges of its band, with exactly the per-edge predicates of core::contains (even-odd plus a
// boundary tolerance), so the answer equals the linear scan's bit for bit.
//
// THREAD SAFETY: immutable after construction; find() may run on any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/registry.hpp"

namespace aware::match {

class RegionIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  RegionIndex() = default;
  explicit RegionIndex(const std::vector<core::RegionRecord>& regions);

  // Position (in the vector given to the constructor) of the first region by id, then position,
  // whose area contains p; kNone when none does. Allocates nothing.
  [[nodiscard]] std::uint32_t find(core::GeoPoint p) const;

  [[nodiscard]] std::size_t bytes() const;

 private:
  struct Box {
    double min_lat, max_lat, min_lon, max_lon;  // widened by the boundary tolerance
    [[nodiscard]] bool holds(core::GeoPoint p) const {
      return p.lat >= min_lat && p.lat <= max_lat && p.lon >= min_lon && p.lon <= max_lon;
    }
  };
  struct Edge {
    core::GeoPoint a, b;  // as in the ring, in ring order
  };
  struct BandedPolygon {
    Box box;
    double band_height = 1;              // degrees of latitude per band
    std::uint32_t band_count = 1;
    std::uint32_t first_offset = 0;      // into band_offsets_: band_count + 1 entries
  };
  struct Region {
    Box box;
    std::uint32_t position = 0;          // in the registry's region vector
    std::uint32_t first_polygon = 0;     // into polygons_
    std::uint32_t polygon_count = 0;
  };

  [[nodiscard]] bool polygon_contains(const BandedPolygon& poly, core::GeoPoint p) const;
  void add_polygon(const core::Polygon& poly);

  std::vector<Region> regions_;                  // in rule order
  std::vector<BandedPolygon> polygons_;
  std::vector<std::uint32_t> band_offsets_;      // per polygon band: start in edges_
  std::vector<Edge> edges_;                      // grouped by polygon, then band
  Box grid_box_{0, -1, 0, -1};                   // empty until built
  std::uint32_t grid_n_ = 0;                     // cells per side
  double cell_lat_ = 1, cell_lon_ = 1;
  std::vector<std::uint32_t> cell_offsets_;      // grid_n_² + 1 entries into cell_regions_
  std::vector<std::uint32_t> cell_regions_;      // indices into regions_, ascending
};

}  // namespace aware::match
