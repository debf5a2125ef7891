// aol_grid.cpp — builds the AolGrid (see aol_grid.hpp): entries are bucketed into their level,
// then counting-sorted into cells. Build is O(n) plus one pass per level.
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

// Smallest float >= v (v finite and >= 0).
float float_up(double v) {
  auto f = static_cast<float>(v);
  if (static_cast<double>(f) < v) {
    f = std::nextafter(f, std::numeric_limits<float>::infinity());
  }
  return f;
}

}  // namespace

AolGrid::AolGrid(const std::vector<core::AolRecord>& aols, const std::vector<std::uint32_t>& owners,
                 const std::vector<std::uint32_t>& ranks,
                 std::vector<std::uint32_t>& slot_of_position) {
  // Circles and polygons get separate levels, so polygon extents do not widen circle searches.
  // Entries are collected with their registry position, to report their slots at the end.
  struct Placed {
    Entry entry;
    std::uint32_t pos;
  };
  std::array<std::vector<Placed>, 2 * kLevelCount> by_level;
  std::vector<Placed> anywhere;
  std::size_t active = 0;
  for (std::size_t i = 0; i < aols.size(); ++i) {
    const auto& a = aols[i];
    if (!a.active) {
      continue;
    }
    ++active;
    Entry e{a.lat, a.lon, 0.0, 0.0F, 0.0F, ranks[i], owners[i]};
    double size_m = a.radius_m;
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
      const double half_lat = 0.5 * (lat1 - lat0) + kMargin;
      const double half_lon = 0.5 * (lon1 - lon0) + kMargin;
      if (std::isfinite(half_lat) && std::isfinite(half_lon) && half_lon < 180.0) {
        e.half_lat = float_up(half_lat);
        e.half_lon = float_up(half_lon);
      } else {
        e.half_lat = e.half_lon = INFINITY;  // unbounded: listed in anywhere_
      }
      size_m = std::max(half_lat * kMetresPerDegLatMax,
                        half_lon * core::plane_scale(std::clamp(e.lat, -89.0, 89.0)).m_per_deg_lon);
    } else {
      e.radius_m = a.radius_m;
    }
    const bool bounded = std::isfinite(e.lat) && std::isfinite(e.lon) && std::isfinite(size_m) &&
                         (a.zone ? std::isfinite(e.half_lat)
                                  : std::isfinite(a.radius_m) && a.radius_m >= 0);
    if (a.zone) {
      if (zone_of_rank_.empty()) {
        zone_of_rank_.assign(aols.size(), 0);
      }
      zone_of_rank_[e.rank] = zones_.add(*a.zone);
    }
    const auto pos = static_cast<std::uint32_t>(i);
    if (!bounded) {
      anywhere.push_back({e, pos});
      continue;
    }
    std::size_t level = 0;
    while (level + 1 < kLevelCount && size_m > kBaseCellM * static_cast<double>(1ULL << level)) {
      ++level;
    }
    by_level[2 * level + (a.zone ? 1 : 0)].push_back({e, pos});
  }

  slot_of_position.assign(aols.size(), kNoOwner);
  entries_.resize(active);
  auto place = [&](const Placed& p, std::uint32_t slot) {
    entries_[slot] = p.entry;
    slot_of_position[p.pos] = slot;
  };
  for (const auto& p : anywhere) {
    place(p, anywhere_++);
  }
  std::uint32_t next_slot = anywhere_;
  std::size_t most = 0;  // entries in the densest level so far

  for (std::size_t slot = 0; slot < by_level.size(); ++slot) {
    auto& entries = by_level[slot];
    const std::size_t l = slot / 2;
    if (entries.empty()) {
      continue;
    }
    Level level;
    double lat0 = INFINITY, lat1 = -INFINITY, lon0 = INFINITY, lon1 = -INFINITY, lat_sum = 0;
    for (const auto& p : entries) {
      const Entry& e = p.entry;
      lat0 = std::min(lat0, e.lat);
      lat1 = std::max(lat1, e.lat);
      lon0 = std::min(lon0, e.lon);
      lon1 = std::max(lon1, e.lon);
      lat_sum += e.lat;
      level.max_reach_m = std::max(level.max_reach_m, e.radius_m);
      level.max_half_lat = std::max(level.max_half_lat, static_cast<double>(e.half_lat));
      level.max_half_lon = std::max(level.max_half_lon, static_cast<double>(e.half_lon));
    }
    const double cell_m = kBaseCellM * static_cast<double>(1ULL << l);
    const double mean_lat = std::clamp(lat_sum / static_cast<double>(entries.size()), -80.0, 80.0);
    level.cell_lat = cell_m / core::plane_scale(mean_lat).m_per_deg_lat;
    level.cell_lon = cell_m / core::plane_scale(mean_lat).m_per_deg_lon;
    // Keep the cell count within max(4096, kCellsPerEntry per entry): widespread data gets
    // coarser cells.
    const double max_cells =
        std::max(4096.0, kCellsPerEntry * static_cast<double>(entries.size()));
    auto cells_needed = [&] {
      return (std::floor((lat1 - lat0) / level.cell_lat) + 1) *
             (std::floor((lon1 - lon0) / level.cell_lon) + 1);
    };
    while (cells_needed() > max_cells) {
      level.cell_lat *= 2;
      level.cell_lon *= 2;
    }
    level.min_lat = lat0;
    level.min_lon = lon0;
    level.ny = static_cast<std::uint32_t>(std::floor((lat1 - lat0) / level.cell_lat)) + 1;
    level.nx = static_cast<std::uint32_t>(std::floor((lon1 - lon0) / level.cell_lon)) + 1;
    auto cell_of = [&](const Entry& e) {
      const auto y = std::min(level.ny - 1,
                              static_cast<std::uint32_t>(std::floor((e.lat - lat0) / level.cell_lat)));
      const auto x = std::min(level.nx - 1,
                              static_cast<std::uint32_t>(std::floor((e.lon - lon0) / level.cell_lon)));
      return std::size_t{y} * level.nx + x;
    };
    const std::size_t cells = std::size_t{level.nx} * level.ny;
    level.offsets.assign(cells + 1, 0);
    level.offsets[0] = next_slot;
    for (const auto& p : entries) {
      ++level.offsets[cell_of(p.entry) + 1];
    }
    for (std::size_t c = 0; c < cells; ++c) {
      level.offsets[c + 1] += level.offsets[c];
    }
    std::vector<std::uint32_t> fill(level.offsets.begin(), level.offsets.end() - 1);
    for (const auto& p : entries) {
      place(p, fill[cell_of(p.entry)]++);
    }
    next_slot = level.offsets[cells];
    entries = {};
    max_reach_m_ = std::max(max_reach_m_, level.max_reach_m);
    max_half_lat_ = std::max(max_half_lat_, level.max_half_lat);
    if (levels_.empty() || entries.size() > most) {
      most = entries.size();
      densest_ = levels_.size();
      const core::PlaneScale scale = core::plane_scale(mean_lat);
      const double cell_km2 =
          level.cell_lat * scale.m_per_deg_lat * level.cell_lon * scale.m_per_deg_lon * 1e-6;
      densest_scale_ = 1.0 / cell_km2;
    }
    levels_.push_back(std::move(level));
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
                      zone_of_rank_.capacity() * sizeof(std::uint32_t);
  for (const auto& level : levels_) {
    total += level.offsets.capacity() * sizeof(std::uint32_t);
  }
  return total;
}

}  // namespace aware::match
