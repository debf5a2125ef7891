// geo.cpp — WGS84 local-plane distances, point-in-polygon with holes and polygon validity.
// See geo.hpp for the contracts. Called by the registry stage (validation), match (the index and
// its linear reference) and the tests.
//
// Point-in-polygon is the even-odd rule over all rings (outer and holes) in plain lon/lat
// coordinates, plus a boundary test: a point within kBoundaryEps degrees (~0.1 mm) of any edge
// counts as inside, so a point computed "on" an edge is not lost to rounding. For a valid polygon
// (holes inside the outer ring, not overlapping) even-odd equals "inside the outer ring and
// outside every hole". match/region_index.cpp evaluates the same per-edge predicates over
// latitude bands and must stay identical to on_edge() and crosses_ray() below.
#include "core/geo.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace aware::core {

namespace {

constexpr double kSemiMajorM = 6378137.0;               // WGS84 a
constexpr double kFlattening = 1.0 / 298.257223563;     // WGS84 f
constexpr double kEccSq = kFlattening * (2.0 - kFlattening);
constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kBoundaryEps = kEdgeToleranceDeg;      // degrees; see the file comment

// cos(x) for |x| <= pi/2 by its Taylor series to x^18 (error < 4e-15): several times faster
// than std::cos, and deterministic, which both the index and the reference rely on.
double cos_half_pi(double x) {
  const double x2 = x * x;
  double r = 1.0 / 6402373705728000.0;  // 1/18!
  r = r * -x2 + 1.0 / 20922789888000.0;
  r = r * -x2 + 1.0 / 87178291200.0;
  r = r * -x2 + 1.0 / 479001600.0;
  r = r * -x2 + 1.0 / 3628800.0;
  r = r * -x2 + 1.0 / 40320.0;
  r = r * -x2 + 1.0 / 720.0;
  r = r * -x2 + 1.0 / 24.0;
  r = r * -x2 + 0.5;
  return r * -x2 + 1.0;
}

PlaneScale scale_at(double lat) {
  const double phi = std::clamp(lat, -90.0, 90.0) * kDegToRad;
  const double c = std::max(0.0, cos_half_pi(phi));
  const double w = 1.0 - kEccSq * (1.0 - c * c);        // 1 - e² sin²φ
  const double inv_sqrt_w = 1.0 / std::sqrt(w);
  const double n = kSemiMajorM * inv_sqrt_w;             // prime-vertical radius
  const double m = kSemiMajorM * (1.0 - kEccSq) * inv_sqrt_w * inv_sqrt_w * inv_sqrt_w;
  const double sin_phi = phi >= 0 ? std::sqrt(std::max(0.0, 1.0 - c * c))
                                  : -std::sqrt(std::max(0.0, 1.0 - c * c));
  return PlaneScale{m * kDegToRad, n * c * kDegToRad, -m * sin_phi * kDegToRad * kDegToRad};
}


double orient(GeoPoint a, GeoPoint b, GeoPoint c) {
  return (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon);
}

int sign(double v) { return (v > 0) - (v < 0); }

// c lies within the bounding box of a-b (used when a, b, c are collinear).
bool within_box(GeoPoint a, GeoPoint b, GeoPoint c) {
  return c.lon >= std::min(a.lon, b.lon) && c.lon <= std::max(a.lon, b.lon) &&
         c.lat >= std::min(a.lat, b.lat) && c.lat <= std::max(a.lat, b.lat);
}

// Closed segments p1-p2 and q1-q2 share at least one point.
bool segments_touch(GeoPoint p1, GeoPoint p2, GeoPoint q1, GeoPoint q2) {
  const int o1 = sign(orient(p1, p2, q1));
  const int o2 = sign(orient(p1, p2, q2));
  const int o3 = sign(orient(q1, q2, p1));
  const int o4 = sign(orient(q1, q2, p2));
  if (o1 != o2 && o3 != o4) {
    return true;
  }
  return (o1 == 0 && within_box(p1, p2, q1)) || (o2 == 0 && within_box(p1, p2, q2)) ||
         (o3 == 0 && within_box(q1, q2, p1)) || (o4 == 0 && within_box(q1, q2, p2));
}

// The ring without consecutive duplicate points (nor a repeated first point at the end).
Ring without_repeats(const Ring& ring) {
  Ring out;
  for (const auto& p : ring) {
    if (out.empty() || !(out.back() == p)) {
      out.push_back(p);
    }
  }
  while (out.size() > 1 && out.front() == out.back()) {
    out.pop_back();
  }
  return out;
}

// True when two edges of `ring` (already without repeats, >= 3 points) share a point other than
// the vertex between neighbours, or neighbouring edges fold back over each other. Edges are swept
// in order of their smallest longitude, so only edges whose longitude ranges overlap are paired.
bool self_intersects(const Ring& ring) {
  const std::size_t n = ring.size();
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    order[i] = i;
  }
  auto edge_min_lon = [&](std::size_t i) { return std::min(ring[i].lon, ring[(i + 1) % n].lon); };
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return edge_min_lon(a) < edge_min_lon(b); });
  for (std::size_t oi = 0; oi < n; ++oi) {
    const std::size_t i = order[oi];
    const GeoPoint a = ring[i];
    const GeoPoint b = ring[(i + 1) % n];
    const double max_lon = std::max(a.lon, b.lon);
    for (std::size_t oj = oi + 1; oj < n && edge_min_lon(order[oj]) <= max_lon; ++oj) {
      const std::size_t j = order[oj];
      const GeoPoint c = ring[j];
      const GeoPoint d = ring[(j + 1) % n];
      if ((i + 1) % n == j || (j + 1) % n == i) {
        // Neighbours share one vertex; they fail only by folding back along the same line.
        const GeoPoint shared = (i + 1) % n == j ? b : a;
        const GeoPoint u = (i + 1) % n == j ? a : b;
        const GeoPoint w = (i + 1) % n == j ? d : c;
        const bool collinear = orient(u, shared, w) == 0.0;
        const double dot = (u.lon - shared.lon) * (w.lon - shared.lon) +
                           (u.lat - shared.lat) * (w.lat - shared.lat);
        if (collinear && dot > 0) {
          return true;
        }
        continue;
      }
      if (segments_touch(a, b, c, d)) {
        return true;
      }
    }
  }
  return false;
}

std::optional<std::string> ring_problem(const Ring& ring, const std::string& name) {
  for (std::size_t i = 0; i < ring.size(); ++i) {
    if (!valid_coordinates(ring[i])) {
      return name + ": point " + std::to_string(i) + " has coordinates out of range";
    }
  }
  const Ring clean = without_repeats(ring);
  Ring distinct = clean;
  std::sort(distinct.begin(), distinct.end(), [](GeoPoint a, GeoPoint b) {
    return a.lat != b.lat ? a.lat < b.lat : a.lon < b.lon;
  });
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < 3) {
    return name + ": fewer than 3 distinct points";
  }
  if (self_intersects(clean)) {
    return name + ": the ring intersects itself";
  }
  return std::nullopt;
}

}  // namespace

bool on_edge(GeoPoint a, GeoPoint b, GeoPoint p) {
  if (p.lon < std::min(a.lon, b.lon) - kBoundaryEps ||
      p.lon > std::max(a.lon, b.lon) + kBoundaryEps ||
      p.lat < std::min(a.lat, b.lat) - kBoundaryEps ||
      p.lat > std::max(a.lat, b.lat) + kBoundaryEps) {
    return false;
  }
  const double dx = b.lon - a.lon;
  const double dy = b.lat - a.lat;
  const double cross = dx * (p.lat - a.lat) - dy * (p.lon - a.lon);
  return std::abs(cross) <= kBoundaryEps * (std::abs(dx) + std::abs(dy));
}

bool crosses_ray(GeoPoint a, GeoPoint b, GeoPoint p) {
  if ((a.lat > p.lat) == (b.lat > p.lat)) {
    return false;
  }
  return p.lon < a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
}

PlaneScale plane_scale(double lat) { return scale_at(lat); }

double distance_m(GeoPoint a, GeoPoint b) { return distance_m(scale_at(a.lat), a, b); }

bool contains(const Polygon& poly, GeoPoint p) {
  bool odd = false;
  auto scan = [&](const Ring& ring) {
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
      const GeoPoint a = ring[i];
      const GeoPoint b = ring[i + 1 == n ? 0 : i + 1];
      if (on_edge(a, b, p)) {
        return true;
      }
      odd ^= crosses_ray(a, b, p);
    }
    return false;
  };
  if (scan(poly.outer)) {
    return true;
  }
  for (const auto& hole : poly.holes) {
    if (scan(hole)) {
      return true;
    }
  }
  return odd;
}

double distance_to_polygon_m(const Polygon& poly, GeoPoint p) {
  if (contains(poly, p)) {
    return 0.0;
  }
  const PlaneScale s = scale_at(p.lat);
  double best_sq = std::numeric_limits<double>::infinity();
  auto scan = [&](const Ring& ring) {
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
      best_sq = std::min(best_sq, segment_distance_sq_m2(s, p, ring[i], ring[i + 1 == n ? 0 : i + 1]));
    }
  };
  scan(poly.outer);
  for (const auto& hole : poly.holes) {
    scan(hole);
  }
  return std::sqrt(best_sq);
}

std::optional<std::string> polygon_problem(const Polygon& poly) {
  if (auto problem = ring_problem(poly.outer, "outer ring")) {
    return problem;
  }
  const Polygon outer_only{poly.outer, {}};
  for (std::size_t h = 0; h < poly.holes.size(); ++h) {
    const std::string name = "hole " + std::to_string(h + 1);
    if (auto problem = ring_problem(poly.holes[h], name)) {
      return problem;
    }
    for (const auto& v : poly.holes[h]) {
      if (!contains(outer_only, v)) {
        return name + ": not inside the outer ring";
      }
    }
  }
  return std::nullopt;
}

bool valid_coordinates(GeoPoint p) {
  return std::isfinite(p.lat) && std::isfinite(p.lon) && p.lat >= -90.0 && p.lat <= 90.0 &&
         p.lon >= -180.0 && p.lon <= 180.0;
}

}  // namespace aware::core
