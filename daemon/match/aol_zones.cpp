// aol_zones.cpp — see aol_zones.hpp. Any change to core::distance_to_polygon_m or core::contains
// (core/geo.cpp) must be made here too; the unit test compares the two on random polygons.
#include "match/aol_zones.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aware::match {

std::uint32_t AolZones::add(const core::Polygon& poly) {
  auto add_ring = [&](const core::Ring& ring) {
    points_.insert(points_.end(), ring.begin(), ring.end());
    ring_points_.push_back(static_cast<std::uint32_t>(points_.size()));
  };
  const std::size_t first_point = points_.size();
  add_ring(poly.outer);
  for (const auto& hole : poly.holes) {
    add_ring(hole);
  }
  Box box{INFINITY, -INFINITY, INFINITY, -INFINITY};
  for (std::size_t i = first_point; i < points_.size(); ++i) {
    box.lat0 = std::min(box.lat0, points_[i].lat);
    box.lat1 = std::max(box.lat1, points_[i].lat);
    box.lon0 = std::min(box.lon0, points_[i].lon);
    box.lon1 = std::max(box.lon1, points_[i].lon);
  }
  boxes_.push_back({box.lat0 - kBoxMargin, box.lat1 + kBoxMargin, box.lon0 - kBoxMargin,
                    box.lon1 + kBoxMargin});
  zone_rings_.push_back(static_cast<std::uint32_t>(ring_points_.size() - 1));
  return static_cast<std::uint32_t>(zone_rings_.size() - 2);
}

template <typename Fn>
bool AolZones::any_edge(std::uint32_t zone, Fn&& fn) const {
  for (std::uint32_t r = zone_rings_[zone]; r < zone_rings_[zone + 1]; ++r) {
    const core::GeoPoint* v = points_.data() + ring_points_[r];
    const std::size_t n = ring_points_[r + 1] - ring_points_[r];
    for (std::size_t i = 0; i < n; ++i) {
      if (fn(v[i], v[i + 1 == n ? 0 : i + 1])) {
        return true;
      }
    }
  }
  return false;
}

namespace {

// True when the box is certainly farther than `limit` metres from p in the local plane of
// core::segment_distance_sq_m2 (scale `s`). Only where no longitude difference involved can be
// folded across ±180 (then every edge point's plane coordinates lie within the box's); elsewhere,
// and for NaN, false. The bound is shrunk by a relative 1e-9 and `limit` widened by 1 µm, far
// above the rounding of the edge arithmetic, so a zone at exactly `limit` is never dropped.
template <typename Box>
bool box_beyond(const Box& box, core::GeoPoint p, const core::PlaneScale& s, double limit) {
  const bool unfolded = box.lon1 - box.lon0 < 180.0 && p.lon - box.lon0 <= 180.0 &&
                        box.lon1 - p.lon <= 180.0;
  if (!unfolded || !std::isfinite(p.lat) || !std::isfinite(p.lon)) {
    return false;
  }
  const double gap_lat = std::max({0.0, box.lat0 - p.lat, p.lat - box.lat1}) * s.m_per_deg_lat;
  const double gap_lon = std::max({0.0, box.lon0 - p.lon, p.lon - box.lon1}) * s.m_per_deg_lon;
  const double bound_sq = (gap_lat * gap_lat + gap_lon * gap_lon) * (1.0 - 1e-9);
  const double widened = limit + 1e-6;
  return limit >= 0.0 && bound_sq > widened * widened;
}

}  // namespace

double AolZones::distance_m(std::uint32_t zone, core::GeoPoint p, const core::PlaneScale& s,
                            double limit) const {
  const Box& box = boxes_[zone];
  if (box_beyond(box, p, s, limit)) {
    return INFINITY;
  }
  // core::contains: even-odd over all rings, a point on an edge is inside. (Comparisons
  // written so that a NaN coordinate takes the full path, as in core.)
  const bool maybe_inside = !(p.lat < box.lat0 || p.lat > box.lat1 || p.lon < box.lon0 ||
                              p.lon > box.lon1);
  bool odd = false;
  const bool on_edge = maybe_inside && any_edge(zone, [&](core::GeoPoint a, core::GeoPoint b) {
    if (core::on_edge(a, b, p)) {
      return true;
    }
    odd ^= core::crosses_ray(a, b, p);
    return false;
  });
  if (on_edge || odd) {
    return 0.0;
  }
  double best_sq = std::numeric_limits<double>::infinity();
  any_edge(zone, [&](core::GeoPoint a, core::GeoPoint b) {
    best_sq = std::min(best_sq, core::segment_distance_sq_m2(s, p, a, b));
    return false;
  });
  return std::sqrt(best_sq);
}

void AolZones::reserve(std::size_t zones, std::size_t rings, std::size_t points) {
  boxes_.reserve(zones);
  zone_rings_.reserve(zones + 1);
  ring_points_.reserve(rings + 1);
  points_.reserve(points);
}

std::size_t AolZones::bytes() const {
  return boxes_.capacity() * sizeof(Box) +
         (zone_rings_.capacity() + ring_points_.capacity()) * sizeof(std::uint32_t) +
         points_.capacity() * sizeof(core::GeoPoint);
}

}  // namespace aware::match
