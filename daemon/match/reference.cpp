// reference.cpp — the matching rules of matcher.hpp by plain linear scans over a Registry, written
// to be obviously right rather than fast. The truth for the property tests
// (tests/unit/match/test_property.cpp) and the linear baseline of bench/match_bench.
#include "match/reference.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>

#include "core/geo.hpp"
#include "match/rules.hpp"

namespace aware::match {

namespace {

const core::DeviceRecord* find_device(const core::Registry& r, std::string_view id) {
  for (const auto& d : r.devices) {
    if (d.active && d.id == id) {
      return &d;
    }
  }
  return nullptr;
}

const core::ClientRecord* find_client(const core::Registry& r, std::string_view id) {
  for (const auto& c : r.clients) {
    if (c.active && c.id == id) {
      return &c;
    }
  }
  return nullptr;
}


// The AOP rule of matcher.hpp, spelled out in three passes.
const core::AopRecord* find_aop(const core::Registry& r, const std::string& client_id,
                                const std::string& today) {
  const core::AopRecord* best = nullptr;
  for (const auto& a : r.aops) {  // covering today: the latest start, then the smallest id
    if (a.active && a.client_id == client_id && covers(a, today) &&
        (best == nullptr || a.valid_from > best->valid_from ||
         (a.valid_from == best->valid_from && a.id < best->id))) {
      best = &a;
    }
  }
  if (best != nullptr) {
    return best;
  }
  for (const auto& a : r.aops) {  // ended: the latest end, then the smallest id
    if (a.active && a.client_id == client_id && !a.valid_until.empty() && a.valid_until < today &&
        (best == nullptr || a.valid_until > best->valid_until ||
         (a.valid_until == best->valid_until && a.id < best->id))) {
      best = &a;
    }
  }
  if (best != nullptr) {
    return best;
  }
  for (const auto& a : r.aops) {  // not started: the earliest start, then the smallest id
    if (a.active && a.client_id == client_id &&
        (best == nullptr || a.valid_from < best->valid_from ||
         (a.valid_from == best->valid_from && a.id < best->id))) {
      best = &a;
    }
  }
  return best;
}

struct Candidate {
  std::size_t pos;     // index in registry.aols
  double distance;
  bool inside;
  bool own;
};

}  // namespace

void find_aols_linear(const core::Registry& registry, core::GeoPoint p, double accuracy_m,
                      std::string_view client_id, const core::MatchConfig& config,
                      std::vector<core::AolHit>& out) {
  std::vector<Candidate> found;
  for (std::size_t i = 0; i < registry.aols.size(); ++i) {
    const auto& aol = registry.aols[i];
    if (!aol.active) {
      continue;
    }
    double distance = 0;
    bool inside = false;
    if (aol.zone) {
      distance = core::distance_to_polygon_m(*aol.zone, p);
      inside = distance <= accuracy_m;
    } else {
      const double d = core::distance_m(p, {aol.lat, aol.lon});
      distance = std::max(0.0, d - aol.radius_m);
      inside = d <= aol.radius_m + accuracy_m;
    }
    if (inside || distance <= config.near_m) {
      found.push_back({i, distance, inside, !client_id.empty() && aol.client_id == client_id});
    }
  }
  std::sort(found.begin(), found.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.inside != b.inside) {
      return a.inside;
    }
    if (a.own != b.own) {
      return a.own;
    }
    if (a.distance != b.distance) {
      return a.distance < b.distance;
    }
    const auto& ia = registry.aols[a.pos].id;
    const auto& ib = registry.aols[b.pos].id;
    return ia != ib ? ia < ib : a.pos < b.pos;
  });
  std::size_t near_count = 0;
  for (const auto& c : found) {
    if (!c.inside && near_count++ >= config.near_max) {
      break;
    }
    const auto& aol = registry.aols[c.pos];
    out.push_back(core::AolHit{.aol_id = aol.id, .distance_m = c.distance, .inside = c.inside});
  }
}

core::MatchResult match_linear(const core::Registry& registry, const MatchQuery& query,
                               const core::MatchConfig& config) {
  core::MatchResult result;
  const auto* device = find_device(registry, query.device_id);
  const auto* client = device != nullptr ? find_client(registry, device->client_id) : nullptr;
  if (client == nullptr) {
    result.aop_state = core::AopState::unknown_device;
    result.flags.push_back(core::Flag::unknown_device);
  } else {
    result.client_id = client->id;
    const std::string today = iso_date(query.now_ms);
    const auto* aop = find_aop(registry, client->id, today);
    apply_aop(aop, today, result);
  }
  if (query.fix) {
    const core::GeoPoint p{query.fix->lat, query.fix->lon};
    find_aols_linear(registry, p, query.fix->accuracy_m, result.client_id, config, result.aols);
    if (fix_decides_region(*query.fix, config)) {
      const core::RegionRecord* best = nullptr;
      for (const auto& region : registry.regions) {
        const bool in = std::any_of(region.area.begin(), region.area.end(),
                                    [&](const core::Polygon& poly) { return core::contains(poly, p); });
        if (in && (best == nullptr || region.id < best->id)) {
          best = &region;
        }
      }
      if (best != nullptr) {
        result.region = best->id;
        result.region_source = core::RegionSource::fix;
        return result;
      }
    }
  }
  apply_fallback_region(client, config, result);
  return result;
}

}  // namespace aware::match
