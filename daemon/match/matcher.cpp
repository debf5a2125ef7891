// matcher.cpp — builds MatchIndex from a Registry snapshot and implements the device / client /
// AOP / region lookups and match() itself. See matcher.hpp for the rules; find_aols lives in
// aol_search.cpp, the structures in index_impl.hpp.
#include "match/matcher.hpp"
#include "match/rules.hpp"

#include <chrono>

#include "match/index_impl.hpp"

namespace aware::match {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;  // = MatchIndex::Impl::kNone

// Groups `count` items by key(i) (a position or kNone) into CSR form.
template <typename Key, typename Vector>
void group_by(std::size_t groups, std::size_t count, Key key, Vector& offsets, Vector& items) {
  offsets.assign(groups + 1, 0);
  for (std::size_t i = 0; i < count; ++i) {
    if (const auto g = key(i); g != kNone) {
      ++offsets[g + 1];
    }
  }
  for (std::size_t g = 0; g < groups; ++g) {
    offsets[g + 1] += offsets[g];
  }
  items.assign(offsets.back(), 0);
  std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
  for (std::size_t i = 0; i < count; ++i) {
    if (const auto g = key(i); g != kNone) {
      items[fill[g]++] = static_cast<std::uint32_t>(i);
    }
  }
}


// For order_by_text / find_by_text: the id of records[i], nullptr when it is inactive.
template <typename Record>
auto active_id_of(const std::vector<Record>& records) {
  return [&records](std::size_t i) { return records[i].active ? &records[i].id : nullptr; };
}

// Writes "YYYY-MM-DD" (UTC) of t into out (civil-from-days, proleptic Gregorian).
void format_iso_date(core::TimeMs t, char (&out)[10]) {
  std::int64_t days = t / 86'400'000;
  if (t % 86'400'000 < 0) {
    --days;
  }
  days += 719'468;
  const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const std::int64_t doe = days - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  auto put = [&](int at, std::int64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
      out[at + i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  put(0, year < 0 ? 0 : year % 10000, 4);
  out[4] = '-';
  put(5, month, 2);
  out[7] = '-';
  put(8, day, 2);
}

}  // namespace

MatchIndex::Impl::Impl(core::Registry r) : registry{std::move(r)} {
  const auto& reg = registry;
  devices.build(reg.devices, [](const core::DeviceRecord& d) { return d.active; });
  clients.build(reg.clients, [](const core::ClientRecord& c) { return c.active; });
  aops_by_id = order_by_text(reg.aops.size(), active_id_of(reg.aops));
  aols_by_id = order_by_text(reg.aols.size(), active_id_of(reg.aols));
  device_client.assign(reg.devices.size(), kNone);
  clients.find_each(
      reg.devices.size(),
      [&](std::size_t i) { return reg.devices[i].active ? &reg.devices[i].client_id : nullptr; },
      [&](std::size_t i, std::uint32_t client) { device_client[i] = client; });
  std::vector<std::uint32_t> aop_client(reg.aops.size(), kNone);
  clients.find_each(
      reg.aops.size(),
      [&](std::size_t i) { return reg.aops[i].active ? &reg.aops[i].client_id : nullptr; },
      [&](std::size_t i, std::uint32_t client) { aop_client[i] = client; });
  group_by(reg.clients.size(), reg.aops.size(), [&](std::size_t i) { return aop_client[i]; },
           client_aop_offsets, client_aops);

  // Owner groups: one per distinct non-empty client_id among the active AOLs, from the AOLs
  // ordered by client_id (then position): each run of equal client_ids is a group.
  std::vector<std::uint32_t> aol_owner(reg.aols.size(), kNone);
  owned_aols = order_by_text(reg.aols.size(), [&](std::size_t i) {
    const auto& a = reg.aols[i];
    return a.active && !a.client_id.empty() ? &a.client_id : nullptr;
  });
  for (std::size_t k = 0; k < owned_aols.size(); ++k) {
    const auto& client_id = reg.aols[owned_aols[k]].client_id;
    if (k == 0 || client_id != owner_groups.back().id) {
      const auto at = static_cast<std::uint32_t>(k);
      owner_groups.push_back({client_id, at, at});
    }
    ++owner_groups.back().end;
    aol_owner[owned_aols[k]] = static_cast<std::uint32_t>(owner_groups.size() - 1);
  }
  owners.build(owner_groups, [](const OwnerGroup&) { return true; });
  client_owner.assign(reg.clients.size(), kNone);
  owners.find_each(
      reg.clients.size(),
      [&](std::size_t i) { return reg.clients[i].active ? &reg.clients[i].id : nullptr; },
      [&](std::size_t i, std::uint32_t group) { client_owner[i] = group; });
  std::vector<std::uint32_t> aol_slot;
  grid = AolGrid{reg.aols, aol_owner, AolIds::rank(aols_by_id, reg.aols.size()), aol_slot};
  aol_ids = AolIds{reg.aols, aol_slot};
  for (auto& owned : owned_aols) {
    owned = aol_slot[owned];
  }
  regions = RegionIndex{reg.regions};
}

const core::AopRecord* MatchIndex::Impl::aop_of(std::uint32_t client_pos,
                                                std::string_view today) const {
  const core::AopRecord* current = nullptr;
  const core::AopRecord* ended = nullptr;
  const core::AopRecord* upcoming = nullptr;
  for (auto i = client_aop_offsets[client_pos]; i < client_aop_offsets[client_pos + 1]; ++i) {
    __builtin_prefetch(&registry.aops[client_aops[i]]);  // the records' misses overlap
  }
  for (auto i = client_aop_offsets[client_pos]; i < client_aop_offsets[client_pos + 1]; ++i) {
    const auto& a = registry.aops[client_aops[i]];
    if (covers(a, today)) {  // the latest start, then the smallest id
      if (current == nullptr || a.valid_from > current->valid_from ||
          (a.valid_from == current->valid_from && a.id < current->id)) {
        current = &a;
      }
    } else if (!a.valid_until.empty() && std::string_view{a.valid_until} < today) {
      if (ended == nullptr || a.valid_until > ended->valid_until ||  // the latest end
          (a.valid_until == ended->valid_until && a.id < ended->id)) {
        ended = &a;
      }
    } else if (upcoming == nullptr || a.valid_from < upcoming->valid_from ||  // the earliest start
               (a.valid_from == upcoming->valid_from && a.id < upcoming->id)) {
      upcoming = &a;
    }
  }
  return current != nullptr ? current : ended != nullptr ? ended : upcoming;
}

MatchIndex::MatchIndex(core::Registry registry)
    : impl_{std::make_unique<Impl>(std::move(registry))} {}

MatchIndex::~MatchIndex() = default;

const core::DeviceRecord* MatchIndex::device(std::string_view id) const {
  const auto pos = impl_->devices.find(id);
  return pos == Impl::kNone ? nullptr : &impl_->registry.devices[pos];
}

const core::ClientRecord* MatchIndex::client(std::string_view id) const {
  const auto pos = impl_->clients.find(id);
  return pos == Impl::kNone ? nullptr : &impl_->registry.clients[pos];
}

const core::AopRecord* MatchIndex::aop_of_client(std::string_view client_id,
                                                 std::string_view today) const {
  const auto pos = impl_->clients.find(client_id);
  return pos == Impl::kNone ? nullptr : impl_->aop_of(pos, today);
}

const core::RegionRecord* MatchIndex::region_at(core::GeoPoint p) const {
  const auto pos = impl_->regions.find(p);
  return pos == RegionIndex::kNone ? nullptr : &impl_->registry.regions[pos];
}

const core::Registry& MatchIndex::registry() const { return impl_->registry; }

std::size_t MatchIndex::index_bytes() const {
  const Impl& i = *impl_;
  return i.devices.bytes() + i.clients.bytes() + i.owners.bytes() + i.grid.bytes() +
         i.aol_ids.bytes() + i.regions.bytes() +
         (i.device_client.capacity() + i.client_aop_offsets.capacity() + i.client_aops.capacity() +
          i.owned_aols.capacity() + i.aops_by_id.capacity() + i.aols_by_id.capacity() +
          i.client_owner.capacity()) *
             sizeof(std::uint32_t) +
         i.owner_groups.capacity() * sizeof(OwnerGroup);
}

std::string iso_date(core::TimeMs t) {
  char buf[10];
  format_iso_date(t, buf);
  return std::string(buf, sizeof buf);
}

core::MatchResult match(const MatchIndex& index, const MatchQuery& query,
                        const core::MatchConfig& config) {
  using Impl = MatchIndex::Impl;
  const Impl& impl = *index.impl_;
  core::MatchResult result;
  const auto device_pos = impl.devices.find(
      query.device_id, [&](std::uint32_t pos) { __builtin_prefetch(&impl.device_client[pos]); });
  const auto client_pos = device_pos == Impl::kNone ? Impl::kNone : impl.device_client[device_pos];
  if (client_pos != Impl::kNone) {
    // What the client, AOP and own-AOL steps read, requested at once: their cache misses then
    // overlap with each other and with the region lookup below instead of following one another.
    __builtin_prefetch(&impl.registry.clients[client_pos]);
    __builtin_prefetch(&impl.client_aop_offsets[client_pos]);
    __builtin_prefetch(&impl.client_owner[client_pos]);
  }
  std::uint32_t fix_region = RegionIndex::kNone;
  if (query.fix && fix_decides_region(*query.fix, config)) {
    fix_region = impl.regions.find({query.fix->lat, query.fix->lon});
  }
  const core::ClientRecord* client =
      client_pos == Impl::kNone ? nullptr : &impl.registry.clients[client_pos];
  if (client == nullptr) {
    result.aop_state = core::AopState::unknown_device;
    result.flags.push_back(core::Flag::unknown_device);
  } else {
    result.client_id = client->id;
    char buf[10];
    format_iso_date(query.now_ms, buf);
    const std::string_view today{buf, sizeof buf};
    apply_aop(impl.aop_of(client_pos, today), today, result);
  }
  if (query.fix) {
    const core::GeoPoint p{query.fix->lat, query.fix->lon};
    const auto owner = client_pos == Impl::kNone ? Impl::kNone : impl.client_owner[client_pos];
    MatchIndex::find_aols_of(impl, p, query.fix->accuracy_m, owner, config, result.aols);
    if (fix_region != RegionIndex::kNone) {
      result.region = impl.registry.regions[fix_region].id;
      result.region_source = core::RegionSource::fix;
      return result;
    }
  }
  apply_fallback_region(client, config, result);
  return result;
}

void MatchIndex::describe(core::MatchResult& result) const {
  const Impl& impl = *impl_;
  if (result.aop) {
    if (const auto c = impl.clients.find(result.client_id); c != Impl::kNone) {
      result.aop->client_name = impl.registry.clients[c].name;
    }
    if (const auto a = find_by_text(impl.aops_by_id, active_id_of(impl.registry.aops),
                                    result.aop->aop_id, Impl::kNone);
        a != Impl::kNone) {
      const auto& aop = impl.registry.aops[a];
      result.aop->signalement = aop.signalement;
      result.aop->pleger = aop.pleger;
      result.aop->case_worker = aop.case_worker;
      result.aop->photo_refs = aop.photo_refs;
    }
  }
  result.aol_zones.clear();
  result.aol_zones.reserve(result.aols.size());
  for (auto& hit : result.aols) {
    auto& zone = result.aol_zones.emplace_back();
    zone.aol_id = hit.aol_id;
    if (const auto a = find_by_text(impl.aols_by_id, active_id_of(impl.registry.aols),
                                    hit.aol_id, Impl::kNone);
        a != Impl::kNone) {
      const auto& aol = impl.registry.aols[a];
      hit.label = aol.label;
      hit.address = aol.address;
      hit.instructions = aol.instructions;
      zone.lat = aol.lat;
      zone.lon = aol.lon;
      zone.polygon = aol.zone;
      zone.radius_m = aol.zone ? 0 : aol.radius_m;
    }
  }
}

}  // namespace aware::match
