// aol_grid.hpp — the spatial index of the active AOLs, for MatchIndex::find_aols.
//
// A hierarchy of "loose" uniform grids over lat/lon. Level L has cells of about 250 m · 2^L; an
// AOL lives in exactly one cell — the one holding its centre (circle) or bounding-box centre
// (polygon) — on the lowest level whose cell size is at least its radius or half-extent, so a
// 50 km zone costs one entry, not thousands. Circles and polygons of a size share a level. A
// query reads each level's cells within the query reach plus that level's largest zone. Entries
// are stored contiguously per cell, rows of cells one after another, so a query reads one
// contiguous run per row. Each entry (32 bytes) carries what the prefilter and the exact test
// of a circle need (centre and radius; for a polygon its box centre and a radius covering the
// box), its owner group and the AOL's rank (aol_ids.hpp). The polygons themselves are kept in
// the grid too (AolZones), so a query reads nothing from the registry records. All levels share
// one entry array: an AOL's place in it is its "slot".
//
// for_candidates() is conservative: it may report AOLs farther away, never miss one within
// reach (the bounds below use 110 000 m per degree of latitude, less than WGS84's minimum of
// 110 574, and a longitude scale taken at the highest latitude a candidate can have, less 0.1 %).
//
// THREAD SAFETY: immutable after construction; queries may run on any number of threads.
#pragma once

#include <cmath>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/geo.hpp"
#include "core/registry.hpp"
#include "match/aol_zones.hpp"
#include "match/huge_pages.hpp"

namespace aware::match {

class AolGrid {
 public:
  static constexpr std::uint32_t kNoOwner = 0xFFFFFFFFu;

  // 32 bytes: two per cache line.
  struct Entry {
    static constexpr std::uint32_t kPolygon = 0x80000000u;  // in rank_kind

    double lat, lon;          // circle centre, or the centre of a polygon's bounding box
    double radius_m;          // circle: its radius (exact); polygon: a radius around the box
                              // centre that covers the box in both axes (metres, see place())
    std::uint32_t rank_kind;  // the AOL's rank (AolIds), | kPolygon for a polygon
    std::uint32_t owner;      // the AOL's owner group (see MatchIndex), kNoOwner for none
    [[nodiscard]] bool is_circle() const { return (rank_kind & kPolygon) == 0; }
    [[nodiscard]] std::uint32_t rank() const { return rank_kind & ~kPolygon; }
  };
  static_assert(sizeof(Entry) == 32);

  AolGrid() = default;
  // Indexes the active AOLs of `aols`; owners[i] is AOL i's owner group and ranks[i] its rank.
  // slot_of_position[i] becomes AOL i's slot (kNoOwner when inactive).
  AolGrid(const std::vector<core::AolRecord>& aols, const std::vector<std::uint32_t>& owners,
          const std::vector<std::uint32_t>& ranks, std::vector<std::uint32_t>& slot_of_position);

  [[nodiscard]] const Entry& entry(std::uint32_t slot) const { return entries_[slot]; }
  // The slot of an entry that for_candidates() or entry() gave.
  [[nodiscard]] std::uint32_t slot_of(const Entry& e) const {
    return static_cast<std::uint32_t>(&e - entries_.data());
  }

  // Distance from p to the zone of a polygon entry (!e.is_circle()): equal to
  // core::distance_to_polygon_m of its registry record when that is <= limit, else some value
  // above limit (AolZones::distance_m). `scale` = core::plane_scale(p.lat).
  [[nodiscard]] double polygon_distance_m(const Entry& e, core::GeoPoint p,
                                          const core::PlaneScale& scale, double limit) const {
    return zones_.distance_m(zone_of_slot_[slot_of(e)], p, scale, limit);
  }

  // Calls visit(entry) for every active AOL that may lie within reach_m of p: at least every
  // circle with core::distance_m(p, centre) <= radius + reach_m and every polygon with
  // core::distance_to_polygon_m(zone, p) <= reach_m. Each AOL at most once; allocates nothing.
  template <typename Visit>
  void for_candidates(core::GeoPoint p, double reach_m, Visit&& visit) const;

  // Active AOLs per km² around p, estimated from the AOLs in p's cell of the level that holds
  // the most (scaled to all levels); 0 outside the grid. A hint, for how far a search for the
  // nearest few must look; never needed for a correct answer.
  [[nodiscard]] double density_per_km2(core::GeoPoint p) const;

  [[nodiscard]] std::size_t bytes() const;

 private:
  static constexpr double kLatScaleLow = 110'000.0;  // m per degree latitude, a lower bound

  struct Level {
    double min_lat = 0, min_lon = 0;     // grid origin
    double cell_lat = 1, cell_lon = 1;   // cell size in degrees
    std::uint32_t nx = 0, ny = 0;
    double max_reach_m = 0;              // the largest radius_m of its entries
    HugeVector<std::uint32_t> offsets;   // nx·ny + 1 slots in entries_, row-major
  };

  template <typename Visit>
  static void scan(const Entry* first, const Entry* last, core::GeoPoint p, double reach_m,
                   double inv_lon_scale, Visit& visit);

  std::vector<Level> levels_;            // non-empty levels only
  double max_reach_m_ = 0;               // the largest radius in any level
  double max_half_lat_ = 0;              // the largest polygon half-extent in any level
  HugeVector<Entry> entries_;            // all levels' cells, level after level
  std::uint32_t anywhere_ = 0;           // entries_[0, anywhere_): AOLs without finite bounds,
                                         // always candidates
  std::size_t densest_ = 0;              // the level with the most entries (density_per_km2)
  double densest_scale_ = 0;             // AOLs per km² for one entry in a cell of that level
  AolZones zones_;                       // the polygons, in slot order (neighbours in space
                                         // are neighbours in memory)
  HugeVector<std::uint32_t> zone_of_slot_;  // polygon number by slot (unused for circles)
};

template <typename Visit>
void AolGrid::scan(const Entry* first, const Entry* last, core::GeoPoint p, double reach_m,
                   double inv_lon_scale, Visit& visit) {
  // The prefilter runs without branches over up to kChunk entries, collecting the ones that
  // pass; then those are visited. Most entries of a cell fail, in no predictable pattern, and a
  // mispredicted branch per entry cost more than the test itself.
  constexpr std::ptrdiff_t kChunk = 64;
  const Entry* passed[kChunk];
  while (first != last) {
    const Entry* const stop = first + std::min(last - first, kChunk);
    std::size_t count = 0;
    for (const Entry* e = first; e != stop; ++e) {
      const double reach = e->radius_m + reach_m;
      const double dlat = std::abs(e->lat - p.lat);
      double dlon = std::abs(e->lon - p.lon);
      dlon = std::min(dlon, 360.0 - dlon);  // across ±180
      const bool near_lat = !(dlat > reach * (1.0 / kLatScaleLow));
      const bool near_lon = !(dlon > reach * inv_lon_scale);
      passed[count] = e;
      count += static_cast<std::size_t>(near_lat & near_lon);
    }
    for (std::size_t i = 0; i < count; ++i) {
      visit(*passed[i]);
    }
    first = stop;
  }
}

template <typename Visit>
void AolGrid::for_candidates(core::GeoPoint p, double reach_m, Visit&& visit) const {
  for (std::uint32_t slot = 0; slot < anywhere_; ++slot) {
    visit(entries_[slot]);
  }
  if (!std::isfinite(p.lat) || !std::isfinite(p.lon) || std::isnan(reach_m)) {
    return;
  }
  // One longitude scale for all levels, valid up to the highest latitude any candidate can have.
  const double lat_bound =
      std::abs(p.lat) + (max_reach_m_ + reach_m) / kLatScaleLow + max_half_lat_;
  const double lon_scale =
      lat_bound < 89.0 ? core::plane_scale(lat_bound).m_per_deg_lon * 0.999 : 0.0;
  const double inv_lon_scale = lon_scale > 0 ? 1.0 / lon_scale : INFINITY;

  // The rows to read are gathered first and their offsets and entries prefetched, so that the
  // cache misses of all rows overlap; then they are scanned. Batches of kBatch rows.
  constexpr int kBatch = 48;
  struct Row {
    const Level* level;
    std::size_t first, last;  // indices into level->offsets
  };
  Row rows[kBatch];
  int row_count = 0;
  auto flush = [&] {
    const Entry* firsts[kBatch];
    const Entry* lasts[kBatch];
    for (int i = 0; i < row_count; ++i) {
      firsts[i] = entries_.data() + rows[i].level->offsets[rows[i].first];
      lasts[i] = entries_.data() + rows[i].level->offsets[rows[i].last];
      for (const char* line = reinterpret_cast<const char*>(firsts[i]);
           line < reinterpret_cast<const char*>(lasts[i]); line += 64) {
        __builtin_prefetch(line);
      }
    }
    for (int i = 0; i < row_count; ++i) {
      scan(firsts[i], lasts[i], p, reach_m, inv_lon_scale, visit);
    }
    row_count = 0;
  };
  for (const Level& level : levels_) {
    const double w_lat = (level.max_reach_m + reach_m) / kLatScaleLow;
    const double w_lon = (level.max_reach_m + reach_m) * inv_lon_scale;
    const double fy0 = std::floor((p.lat - w_lat - level.min_lat) / level.cell_lat);
    const double fy1 = std::floor((p.lat + w_lat - level.min_lat) / level.cell_lat);
    if (!(fy1 >= 0) || !(fy0 <= level.ny - 1.0)) {
      continue;
    }
    const auto y0 = static_cast<std::uint32_t>(std::max(fy0, 0.0));
    const auto y1 = static_cast<std::uint32_t>(std::min(fy1, level.ny - 1.0));
    // One longitude window, or two when it wraps over ±180 (never overlapping).
    double windows[2][2];
    int window_count = 0;
    if (!(w_lon < 180.0)) {
      windows[window_count][0] = -1e300;
      windows[window_count++][1] = 1e300;
    } else {
      windows[window_count][0] = p.lon - w_lon;
      windows[window_count++][1] = p.lon + w_lon;
      if (p.lon - w_lon < -180.0) {
        windows[window_count][0] = p.lon - w_lon + 360.0;
        windows[window_count++][1] = p.lon + w_lon + 360.0;
      } else if (p.lon + w_lon > 180.0) {
        windows[window_count][0] = p.lon - w_lon - 360.0;
        windows[window_count++][1] = p.lon + w_lon - 360.0;
      }
    }
    for (int w = 0; w < window_count; ++w) {
      const double fx0 = std::floor((windows[w][0] - level.min_lon) / level.cell_lon);
      const double fx1 = std::floor((windows[w][1] - level.min_lon) / level.cell_lon);
      if (!(fx1 >= 0) || !(fx0 <= level.nx - 1.0)) {
        continue;
      }
      const auto x0 = static_cast<std::uint32_t>(std::max(fx0, 0.0));
      const auto x1 = static_cast<std::uint32_t>(std::min(fx1, level.nx - 1.0));
      for (std::uint32_t y = y0; y <= y1; ++y) {
        const std::size_t row = std::size_t{y} * level.nx;
        __builtin_prefetch(&level.offsets[row + x0]);
        __builtin_prefetch(&level.offsets[row + x1 + 1]);
        rows[row_count++] = Row{&level, row + x0, row + x1 + 1};
        if (row_count == kBatch) {
          flush();
        }
      }
    }
  }
  flush();
}

}  // namespace aware::match
