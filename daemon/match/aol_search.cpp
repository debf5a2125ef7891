// aol_search.cpp — MatchIndex::find_aols: the AOLs a fix is inside or near, by the rules and in
// the order of matcher.hpp, equal to find_aols_linear() (reference.cpp) for every input.
//
// How: the client's own AOLs come straight from its owner group (a client has few). The other
// AOLs come from the grid. Every inside AOL must be listed, so the grid is always searched to the
// fix's accuracy; but only the nearest few near AOLs are needed, so the near radius starts at a
// quarter of near_m and grows (×4) only while fewer than the missing number were found: an AOL
// not yet seen is farther than every one found, so it cannot rank before them. Distances are
// computed with the same core:: calls as the reference, so the doubles are identical.
//
// THREAD SAFETY: the scratch buffers are thread_local; the index itself is only read.
#include <algorithm>
#include <cstdint>

#include "core/geo.hpp"
#include "match/index_impl.hpp"

namespace aware::match {

namespace {

struct Candidate {
  double distance;       // from the fix to the zone, 0 inside it
  std::uint32_t pos;     // registry position of the AOL
  bool own;
};

struct Scratch {
  std::vector<Candidate> inside;
  std::vector<Candidate> near;
};

}  // namespace

void MatchIndex::find_aols(core::GeoPoint p, double accuracy_m, std::string_view client_id,
                           const core::MatchConfig& config, std::vector<core::AolHit>& out) const {
  const Impl& impl = *impl_;
  const auto& aols = impl.registry.aols;
  thread_local Scratch scratch;
  auto& inside = scratch.inside;
  auto& near = scratch.near;
  inside.clear();
  near.clear();

  // Files the AOL at `pos` as inside or near (within `radius`). A circle from the grid is
  // evaluated from its entry alone, without touching the registry record (a cache miss).
  auto file = [&](std::uint32_t pos, double distance, bool is_inside, bool own, double radius) {
    if (is_inside) {
      inside.push_back({distance, pos, own});
    } else if (distance <= radius) {
      near.push_back({distance, pos, own});
    }
  };
  const core::PlaneScale scale = core::plane_scale(p.lat);  // once per query, not per AOL
  auto consider_circle = [&](double lat, double lon, double radius_m, std::uint32_t pos, bool own,
                             double radius) {
    const double d = core::distance_m(scale, p, {lat, lon});
    file(pos, std::max(0.0, d - radius_m), d <= radius_m + accuracy_m, own, radius);
  };
  auto consider_record = [&](std::uint32_t pos, bool own, double radius) {
    const auto& aol = aols[pos];
    if (aol.zone) {
      const double distance = core::distance_to_polygon_m(*aol.zone, p);
      file(pos, distance, distance <= accuracy_m, own, radius);
    } else {
      consider_circle(aol.lat, aol.lon, aol.radius_m, pos, own, radius);
    }
  };

  std::uint32_t owner = AolGrid::kNoOwner;
  if (!client_id.empty()) {
    if (const auto g = impl.owners.find(client_id); g != Impl::kNone) {
      owner = g;
      const OwnerGroup& group = impl.owner_groups[g];
      for (auto i = group.begin; i < group.end; ++i) {
        consider_record(impl.owned_aols[i], true, config.near_m);
      }
    }
  }
  const std::size_t own_near = near.size();
  const std::size_t missing = config.near_max > own_near ? config.near_max - own_near : 0;

  // `a > b ? a : b` keeps b when the accuracy is NaN (nothing is inside then, as in the reference).
  double radius = 0.0;
  if (missing > 0) {
    radius = accuracy_m > config.near_m / 4 ? accuracy_m : config.near_m / 4;
    radius = radius < config.near_m ? radius : config.near_m;
  }
  for (;;) {
    const std::size_t inside_mark = inside.size();
    const std::size_t near_mark = near.size();
    const double reach = accuracy_m > radius ? accuracy_m : radius;
    impl.grid.for_candidates(p, reach, [&](const AolGrid::Entry& e) {
      if (owner == AolGrid::kNoOwner || e.owner != owner) {
        if (e.is_circle()) {
          consider_circle(e.lat, e.lon, e.radius_m, e.aol, false, radius);
        } else {
          consider_record(e.aol, false, radius);
        }
      }
    });
    if (!(radius < config.near_m) || near.size() - near_mark >= missing) {
      break;
    }
    inside.resize(inside_mark);
    near.resize(near_mark);
    radius = std::min(config.near_m, radius * 4);
  }

  auto before = [&](const Candidate& a, const Candidate& b) {
    if (a.own != b.own) {
      return a.own;
    }
    if (a.distance != b.distance) {
      return a.distance < b.distance;
    }
    const auto& ia = aols[a.pos].id;
    const auto& ib = aols[b.pos].id;
    return ia != ib ? ia < ib : a.pos < b.pos;
  };
  std::sort(inside.begin(), inside.end(), before);
  const std::size_t keep = std::min(config.near_max, near.size());
  std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(keep), near.end(),
                    before);
  out.reserve(out.size() + inside.size() + keep);
  auto emit = [&](const Candidate& c, bool is_inside) {
    core::AolHit hit;
    hit.aol_id = aols[c.pos].id;  // ids are short: no allocation for the usual "AOL-…" ids
    hit.distance_m = c.distance;
    hit.inside = is_inside;
    out.push_back(std::move(hit));
  };
  for (const auto& c : inside) {
    emit(c, true);
  }
  for (std::size_t i = 0; i < keep; ++i) {
    emit(near[i], false);
  }
}

}  // namespace aware::match
