// matcher.cpp — the matching rules. See matcher.hpp for the contract.
#include "match/matcher.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace aware::match {

MatchIndex::MatchIndex(core::Registry registry) : registry_{std::move(registry)} {
  for (const auto& d : registry_.devices) {
    devices_.emplace(d.id, &d);
  }
  for (const auto& c : registry_.clients) {
    clients_.emplace(c.id, &c);
  }
  for (const auto& a : registry_.aops) {
    aops_.emplace(a.client_id, &a);
  }
}

namespace {
template <typename Map>
auto find_in(const Map& map, std::string_view key) -> typename Map::mapped_type {
  auto it = map.find(key);
  return it == map.end() ? nullptr : it->second;
}
}  // namespace

const core::DeviceRecord* MatchIndex::device(std::string_view id) const {
  return find_in(devices_, id);
}
const core::ClientRecord* MatchIndex::client(std::string_view id) const {
  return find_in(clients_, id);
}
const core::AopRecord* MatchIndex::aop_of_client(std::string_view client_id,
                                                 std::string_view today) const {
  const core::AopRecord* best = nullptr;
  // Rank: current first; then the one that ended most recently; then the earliest future one.
  auto rank = [today](const core::AopRecord& a) {
    if (a.valid_from <= today && today <= a.valid_until) {
      return 0;
    }
    return a.valid_until < today ? 1 : 2;
  };
  auto [first, last] = aops_.equal_range(client_id);
  for (auto it = first; it != last; ++it) {
    const auto& a = *it->second;
    if (best == nullptr || rank(a) < rank(*best) ||
        (rank(a) == rank(*best) &&
         (rank(a) == 2 ? a.valid_from < best->valid_from : a.valid_until > best->valid_until))) {
      best = &a;
    }
  }
  return best;
}

double distance_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusM = 6371008.8;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

std::string iso_date(core::TimeMs t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

namespace {

// The AOLs the fix is inside (zone widened by the fix accuracy) or near, the client's own first,
// then by distance; near ones limited to near_max.
std::vector<core::AolHit> aol_hits(const MatchIndex& index, const core::GeoFix& fix,
                                   std::string_view client_id, const core::MatchConfig& config) {
  struct Candidate {
    const core::AolRecord* aol;
    double distance;
    bool inside;
    bool own;
  };
  std::vector<Candidate> found;
  for (const auto& aol : index.aols()) {
    const double d = distance_m(fix.lat, fix.lon, aol.lat, aol.lon);
    const bool inside = d <= aol.radius_m + fix.accuracy_m;
    if (inside || d <= config.near_m) {
      found.push_back({&aol, d, inside, !client_id.empty() && aol.client_id == client_id});
    }
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    if (a.inside != b.inside) {
      return a.inside;
    }
    if (a.own != b.own) {
      return a.own;
    }
    return a.distance < b.distance;
  });
  std::vector<core::AolHit> hits;
  std::size_t near_count = 0;
  for (const auto& c : found) {
    if (!c.inside && near_count++ >= config.near_max) {
      break;
    }
    hits.push_back({c.aol->id, c.aol->label, c.aol->address, c.aol->instructions, c.distance,
                    c.inside});
  }
  return hits;
}

}  // namespace

core::MatchResult match(const MatchIndex& index, const MatchQuery& query,
                        const core::MatchConfig& config) {
  core::MatchResult result;
  result.region = config.default_region;
  const auto* device = index.device(query.device_id);
  const auto* client = device != nullptr ? index.client(device->client_id) : nullptr;
  if (client == nullptr) {
    result.flags.push_back(core::Flag::unknown_device);
  } else {
    result.client_id = client->id;
    if (!client->home_region.empty()) {
      result.region = client->home_region;
    }
    const auto today = iso_date(query.now_ms);
    if (const auto* aop = index.aop_of_client(client->id, today)) {
      result.aop = core::AopInfo{aop->id,          client->name,      aop->signalement,
                                 aop->pleger,      aop->case_worker,  aop->valid_from,
                                 aop->valid_until};
      if (!aop->valid_until.empty() && today > aop->valid_until) {
        result.flags.push_back(core::Flag::contract_expired);
      } else if (!aop->valid_from.empty() && today < aop->valid_from) {
        result.flags.push_back(core::Flag::contract_not_yet);
      }
    } else {
      result.flags.push_back(core::Flag::no_aop);
    }
  }
  if (query.fix) {
    result.aols = aol_hits(index, *query.fix, result.client_id, config);
  }
  return result;
}

}  // namespace aware::match
