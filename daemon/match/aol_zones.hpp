// aol_zones.hpp — the polygon zones of the indexed AOLs, kept inside the index in three flat
// arrays, so that find_aols (aol_search.cpp) never follows a registry record to a polygon.
//
// distance_m() repeats core::distance_to_polygon_m step by step — the same edge predicates
// (core::on_edge, core::crosses_ray) over the rings in the same order, then the same local-plane
// arithmetic per edge — so it returns the same double, bit for bit; the index relies on that to
// agree exactly with the linear reference, and tests/unit/match/test_aol_zones.cpp checks it.
//
// THREAD SAFETY: immutable after construction; distance_m() may run on any number of threads.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/geo.hpp"
#include "core/registry.hpp"
#include "match/huge_pages.hpp"

namespace aware::match {

class AolZones {
 public:
  // Stores a copy of `poly` (outer ring, then its holes); returns its number (0, 1, 2, ...).
  std::uint32_t add(const core::Polygon& poly);

  // core::distance_to_polygon_m(polygon `zone`, p), to the bit. `scale` must be
  // core::plane_scale(p.lat) (the caller computes it once per query). Outside the zone's
  // bounding box widened by more than core::kEdgeToleranceDeg (plain lat/lon) core::contains
  // is false (no edge within the tolerance, and a horizontal ray crosses each closed ring an
  // even number of times), so there only the edge distances are computed.
  //
  // With `limit`: the same double when it is <= limit; otherwise possibly just some value
  // above limit (INFINITY), found from the zone's bounding box alone when the box is farther
  // than limit (in the same local plane, so no edge can be nearer). A query passes the
  // farthest distance it would keep and skips the edges of the zones it would drop.
  [[nodiscard]] double distance_m(std::uint32_t zone, core::GeoPoint p,
                                  const core::PlaneScale& scale, double limit = INFINITY) const;

  // Makes room for `zones` polygons with `rings` rings and `points` points in all, so that
  // add() allocates nothing more (no spare capacity, no freed copies left in the heap).
  void reserve(std::size_t zones, std::size_t rings, std::size_t points);

  [[nodiscard]] std::size_t size() const { return zone_rings_.size() - 1; }
  [[nodiscard]] std::size_t bytes() const;

 private:
  // Calls fn(a, b) for each edge of the zone's rings, outer ring first, until it returns true;
  // returns whether it did.
  template <typename Fn>
  bool any_edge(std::uint32_t zone, Fn&& fn) const;

  struct Box {
    double lat0, lat1, lon0, lon1;             // the points' extremes, widened by kBoxMargin
  };
  static constexpr double kBoxMargin = 2e-9;   // degrees; more than core::kEdgeToleranceDeg
  static_assert(kBoxMargin > core::kEdgeToleranceDeg);

  HugeVector<Box> boxes_;                      // per zone
  HugeVector<std::uint32_t> zone_rings_{0};    // per zone: first ring; one extra at the end
  HugeVector<std::uint32_t> ring_points_{0};   // per ring: first point; one extra at the end
  HugeVector<core::GeoPoint> points_;          // all rings' points, ring after ring
};

}  // namespace aware::match
