// aol_grid.cpp — builds the AolGrid (see aol_grid.hpp): the entries are counting-sorted into
// levels and cells in three passes over the records. Build is O(n) plus the cells.
#include "match/aol_grid.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace aware::match {

namespace {

constexpr double kBaseCellM = 250.0;             // level-0 cell size
constexpr std::size_t kLevelCount = 24;          // 250 m · 2^23 covers the globe
constexpr double kMetresPerDegLatMax = 111'700;  // above WGS84's maximum (poles: 111 694)
constexpr double kMargin = 2e-9;                 // degrees added to half-extents (rounding)
// Cells allowed per entry of a level: 4 bytes of offsets each. Fewer makes the cells of sparse
// levels coarser than their zones, and a query scans many entries it does not need.
constexpr double kCellsPerEntry = 16.0;

}  // namespace

namespace {

// What the grid keeps of one active AOL (registry order), the level it belongs in and whether
// it has finite bounds (else: always a candidate).
struct Placement {
  AolGrid::Entry entry;
  double half_lat = 0;  // polygon: half its box's height in degrees (with kMargin); circle: 0
  std::size_t level_slot = 0;
  bool bounded = false;
};

Placement place(const core::AolRecord& a, std::uint32_t rank, std::uint32_t owner) {
  Placement out;
  AolGrid::Entry& e = out.entry;
  e = AolGrid::Entry{a.lat, a.lon, a.radius_m, rank, owner};
  double size_m = a.radius_m;
  double half_lat = 0;
  if (a.zone) {
    double lat0 = INFINITY, lat1 = -INFINITY, lon0 = INFINITY, lon1 = -INFINITY;
    auto extend = [&](const core::Ring& ring) {
      for (const auto& v : ring) {
        lat0 = std::min(lat0, v.lat);
        lat1 = std::max(lat1, v.lat);
        lon0 = std::min(lon0, v.lon);
        lon1 = std::max(lon1, v.lon);
      }
    };
    extend(a.zone->outer);
    for (const auto& hole : a.zone->holes) {
      extend(hole);
    }
    e.lat = 0.5 * (lat0 + lat1);
    e.lon = 0.5 * (lon0 + lon1);
    e.rank_kind |= AolGrid::Entry::kPolygon;
    half_lat = 0.5 * (lat1 - lat0) + kMargin;
    const double half_lon = 0.5 * (lon1 - lon0) + kMargin;
    // The radius covers the box: half_lat at the most metres a degree of latitude has, and
    // half_lon at the fewest metres a degree of longitude has anywhere in the box (its highest
    // latitude). A query's prefilter divides by less (kLatScaleLow) and by the longitude scale
    // at the highest latitude a candidate can have, so it never cuts the box short.
    const double high_lat = std::min(89.0, std::max(std::abs(lat0), std::abs(lat1)));
    size_m = std::max(half_lat * kMetresPerDegLatMax,
                      half_lon * core::plane_scale(high_lat).m_per_deg_lon);
    e.radius_m = size_m;
    if (!(half_lon < 180.0)) {
      size_m = INFINITY;  // across the antimeridian or unbounded: always a candidate
    }
  }
  out.half_lat = half_lat;
  out.bounded = std::isfinite(e.lat) && std::isfinite(e.lon) && std::isfinite(size_m) &&
                size_m >= 0;
  std::size_t level = 0;
  while (level + 1 < kLevelCount && size_m > kBaseCellM * static_cast<double>(1ULL << level)) {
    ++level;
  }
  out.level_slot = level;
  return out;
}

// A level's extent and largest zone, gathered before its cells are laid out.
struct LevelStats {
  std::size_t count = 0;
  double lat0 = INFINITY, lat1 = -INFINITY, lon0 = INFINITY, lon1 = -INFINITY, lat_sum = 0;
  double max_reach_m = 0, max_half_lat = 0;
};

}  // namespace

AolGrid::AolGrid(const std::vector<core::AolRecord>& aols, const std::vector<std::uint32_t>& owners,
                 const std::vector<std::uint32_t>& ranks,
                 std::vector<std::uint32_t>& slot_of_position) {
  // Three passes over the records, with no copy of the entries besides the final array:
  // (1) count and measure each level; (2) count the entries per cell; (3) put each entry in
  // place. Within a cell, entries keep registry order. Then the polygons are stored by slot.
  auto placement = [&](std::size_t i) {
    return place(aols[i], ranks[i], owners[i]);
  };
  std::array<LevelStats, kLevelCount> stats;
  std::size_t active = 0;
  for (std::size_t i = 0; i < aols.size(); ++i) {
    if (!aols[i].active) {
      continue;
    }
    ++active;
    const Placement p = placement(i);
    if (!p.bounded) {
      ++anywhere_;
      continue;
    }
    LevelStats& st = stats[p.level_slot];
    const Entry& e = p.entry;
    ++st.count;
    st.lat0 = std::min(st.lat0, e.lat);
    st.lat1 = std::max(st.lat1, e.lat);
    st.lon0 = std::min(st.lon0, e.lon);
    st.lon1 = std::max(st.lon1, e.lon);
    st.lat_sum += e.lat;
    st.max_reach_m = std::max(st.max_reach_m, e.radius_m);
    st.max_half_lat = std::max(st.max_half_lat, p.half_lat);
  }

  std::array<std::size_t, kLevelCount> level_of_slot{};  // index in levels_ + 1, 0: none
  std::vector<std::uint32_t> level_start;                     // first slot of each level
  std::uint32_t next_slot = anywhere_;
  std::size_t densest_count = 0;
  for (std::size_t slot = 0; slot < stats.size(); ++slot) {
    const LevelStats& st = stats[slot];
    if (st.count == 0) {
      continue;
    }
    Level level;
    level.max_reach_m = st.max_reach_m;
    const double cell_m = kBaseCellM * static_cast<double>(1ULL << slot);
    const double mean_lat = std::clamp(st.lat_sum / static_cast<double>(st.count), -80.0, 80.0);
    const core::PlaneScale scale = core::plane_scale(mean_lat);
    level.cell_lat = cell_m / scale.m_per_deg_lat;
    level.cell_lon = cell_m / scale.m_per_deg_lon;
    // Keep the cell count within max(4096, kCellsPerEntry per entry): widespread data gets
    // coarser cells.
    const double max_cells = std::max(4096.0, kCellsPerEntry * static_cast<double>(st.count));
    auto cells_needed = [&] {
      return (std::floor((st.lat1 - st.lat0) / level.cell_lat) + 1) *
             (std::floor((st.lon1 - st.lon0) / level.cell_lon) + 1);
    };
    while (cells_needed() > max_cells) {
      level.cell_lat *= 2;
      level.cell_lon *= 2;
    }
    level.min_lat = st.lat0;
    level.min_lon = st.lon0;
    level.ny = static_cast<std::uint32_t>(std::floor((st.lat1 - st.lat0) / level.cell_lat)) + 1;
    level.nx = static_cast<std::uint32_t>(std::floor((st.lon1 - st.lon0) / level.cell_lon)) + 1;
    level.offsets.assign(std::size_t{level.nx} * level.ny + 1, 0);
    level.offsets[0] = next_slot;
    level_start.push_back(next_slot);
    next_slot += static_cast<std::uint32_t>(st.count);
    max_reach_m_ = std::max(max_reach_m_, level.max_reach_m);
    max_half_lat_ = std::max(max_half_lat_, st.max_half_lat);
    if (levels_.empty() || st.count > densest_count) {
      densest_ = levels_.size();
      densest_count = st.count;
      densest_scale_ =
          1e6 / (level.cell_lat * scale.m_per_deg_lat * level.cell_lon * scale.m_per_deg_lon);
    }
    levels_.push_back(std::move(level));
    level_of_slot[slot] = levels_.size();
  }

  auto cell_of = [](const Level& level, const Entry& e) {
    const auto y = static_cast<std::uint32_t>(std::floor((e.lat - level.min_lat) / level.cell_lat));
    const auto x = static_cast<std::uint32_t>(std::floor((e.lon - level.min_lon) / level.cell_lon));
    return std::size_t{std::min(level.ny - 1, y)} * level.nx + std::min(level.nx - 1, x);
  };
  auto each_bounded = [&](auto&& fn) {
    for (std::size_t i = 0; i < aols.size(); ++i) {
      if (aols[i].active) {
        const Placement p = placement(i);
        fn(i, p, p.bounded ? &levels_[level_of_slot[p.level_slot] - 1] : nullptr);
      }
    }
  };
  each_bounded([&](std::size_t, const Placement& p, Level* level) {
    if (level != nullptr) {
      ++level->offsets[cell_of(*level, p.entry) + 1];
    }
  });
  for (Level& level : levels_) {
    for (std::size_t c = 1; c < level.offsets.size(); ++c) {
      level.offsets[c] += level.offsets[c - 1];
    }
  }
  // Each cell's start serves as its fill cursor, and ends as the next cell's start.
  slot_of_position.assign(aols.size(), kNoOwner);
  entries_.resize(active);
  std::uint32_t next_anywhere = 0;
  each_bounded([&](std::size_t i, const Placement& p, Level* level) {
    const std::uint32_t slot =
        level != nullptr ? level->offsets[cell_of(*level, p.entry)]++ : next_anywhere++;
    entries_[slot] = p.entry;
    slot_of_position[i] = slot;
  });
  std::vector<std::uint32_t> position_of_slot(active);
  for (std::size_t i = 0; i < aols.size(); ++i) {
    if (slot_of_position[i] != kNoOwner) {
      position_of_slot[slot_of_position[i]] = static_cast<std::uint32_t>(i);
    }
  }
  std::size_t zones = 0, rings = 0, points = 0;
  for (const auto& a : aols) {
    if (a.active && a.zone) {
      ++zones;
      rings += 1 + a.zone->holes.size();
      points += a.zone->outer.size();
      for (const auto& hole : a.zone->holes) {
        points += hole.size();
      }
    }
  }
  zones_.reserve(zones, rings, points);
  for (std::size_t slot = 0; slot < active; ++slot) {
    if (const auto& zone = aols[position_of_slot[slot]].zone) {
      if (zone_of_slot_.empty()) {
        zone_of_slot_.assign(active, 0);
      }
      zone_of_slot_[slot] = zones_.add(*zone);
    }
  }
  for (std::size_t l = 0; l < levels_.size(); ++l) {
    auto& offsets = levels_[l].offsets;
    for (std::size_t c = offsets.size() - 1; c > 0; --c) {
      offsets[c] = offsets[c - 1];
    }
    offsets[0] = level_start[l];
  }
}

double AolGrid::density_per_km2(core::GeoPoint p) const {
  if (levels_.empty()) {
    return 0.0;
  }
  const Level& level = levels_[densest_];
  const double fy = std::floor((p.lat - level.min_lat) / level.cell_lat);
  const double fx = std::floor((p.lon - level.min_lon) / level.cell_lon);
  if (!(fy >= 0 && fy < level.ny && fx >= 0 && fx < level.nx)) {
    return 0.0;
  }
  const std::size_t cell = static_cast<std::size_t>(fy) * level.nx + static_cast<std::size_t>(fx);
  const double in_cell = level.offsets[cell + 1] - level.offsets[cell];
  const double all_levels = static_cast<double>(entries_.size() - anywhere_) /
                            static_cast<double>(level.offsets.back() - level.offsets.front());
  return in_cell * densest_scale_ * all_levels;
}

std::size_t AolGrid::bytes() const {
  std::size_t total = entries_.capacity() * sizeof(Entry) + zones_.bytes() +
                      zone_of_slot_.capacity() * sizeof(std::uint32_t);
  for (const auto& level : levels_) {
    total += level.offsets.capacity() * sizeof(std::uint32_t);
  }
  return total;
}

}  // namespace aware::match
