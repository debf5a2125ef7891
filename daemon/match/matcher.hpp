// matcher.hpp — finds what the meldkamer must know about an activation: the client and AOP
// behind the device, the AOLs the position is in or near, and the responsible region.
//
// Pure code: an immutable MatchIndex is built from a (validated) Registry snapshot, and match()
// reads it without locks. A registry change builds a new index and swaps it in
// (MatchIndexHolder), so matching never waits for a change. match() never fails: an unknown
// device or an expired contract still yields a result, flagged, because an activation is never
// dropped.
//
// The rules (also implemented, slowly and obviously, by match_linear() in reference.hpp, the
// oracle of the property tests and the baseline of bench/match_bench):
// - device → client → AOP: the AOP covering the activation's date (iso_date(now_ms); an empty
//   valid_from / valid_until is an open start / end), else the one that ended last, else the next
//   one to start; ties go to the latest start / latest end / earliest start, then the smallest
//   id. State active / expired / not_yet_valid / no_aop / unknown_device, with the flags
//   contract_expired, contract_not_yet, no_aop, unknown_device. Inactive devices, clients, AOPs
//   and AOLs are not in the index; a device whose client is missing or inactive is unknown.
//   With duplicate ids the first active record wins.
// - AOLs: `inside` when the zone widened by the fix's accuracy contains the fix (circle:
//   d <= radius + accuracy with d = core::distance_m(fix, centre); polygon:
//   core::distance_to_polygon_m(zone, fix) <= accuracy). distance_m is the distance from the fix
//   to the zone: max(0, d - radius) for a circle, distance_to_polygon_m for a polygon (0 inside
//   the zone itself). Every inside AOL is listed; then the other AOLs with distance_m <= near_m,
//   at most near_max of them, chosen in the order below. Order: inside before near; within each,
//   the client's own AOLs (aol.client_id == client id, non-empty) first, then by distance_m,
//   then by id, then by registry position.
// - Region: the region whose area contains the fix (core::contains; borders count as inside;
//   the first by id, then registry position, when several do), when the fix is fresh:
//   fix.received_ms - fix.fix_time_ms <= max_fix_age; else the client's home region when not
//   empty; else the configured default desk. region_source says which. A stale fix still
//   decides the AOLs.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/registry.hpp"
#include "core/types.hpp"

namespace aware::match {

struct MatchQuery {
  std::string_view device_id;
  std::optional<core::GeoFix> fix;  // carries fix_time_ms and received_ms
  core::TimeMs now_ms = 0;          // receive time: decides the AOP period
};

class MatchIndex {
 public:
  // Builds the index. The registry is assumed valid (the registry stage checks it); inactive
  // records are left out.
  explicit MatchIndex(core::Registry registry);
  ~MatchIndex();
  MatchIndex(const MatchIndex&) = delete;
  MatchIndex& operator=(const MatchIndex&) = delete;

  [[nodiscard]] const core::DeviceRecord* device(std::string_view id) const;
  [[nodiscard]] const core::ClientRecord* client(std::string_view id) const;
  // See the AOP rule above; `today` is an ISO date. nullptr when the client has no AOP.
  [[nodiscard]] const core::AopRecord* aop_of_client(std::string_view client_id,
                                                     std::string_view today) const;
  // The region containing `p`, or nullptr.
  [[nodiscard]] const core::RegionRecord* region_at(core::GeoPoint p) const;
  // The AOL hits for a fix at `p` with `accuracy_m`, ordered and limited as above; appends to
  // `out` (which the caller may reuse to avoid allocation).
  void find_aols(core::GeoPoint p, double accuracy_m, std::string_view client_id,
                 const core::MatchConfig& config, std::vector<core::AolHit>& out) const;

  // Adds the text a person reads to a result of match() on this index: the client's name and
  // the AOP's signalement, pleger, case worker and photo references; each AOL hit's label,
  // address and instructions, and its zone (result.aol_zones, one per hit, same order; a hit
  // whose AOL left the index keeps an empty zone: radius 0, no polygon). Kept out of match()
  // so the timed path copies no long strings or geometry.
  void describe(core::MatchResult& result) const;

  [[nodiscard]] const core::Registry& registry() const;
  // Approximate heap bytes held by the index structures (not the registry records).
  [[nodiscard]] std::size_t index_bytes() const;

 private:
  friend core::MatchResult match(const MatchIndex& index, const MatchQuery& query,
                                 const core::MatchConfig& config);
  struct Impl;                      // match/index_impl.hpp
  // find_aols() with the AOLs of owner group `owner` (Impl::kNone: none) as the client's own;
  // match() passes the group of the device's client, found by position rather than by id.
  static void find_aols_of(const Impl& impl, core::GeoPoint p, double accuracy_m,
                           std::uint32_t owner, const core::MatchConfig& config,
                           std::vector<core::AolHit>& out);
  std::unique_ptr<Impl> impl_;
};

core::MatchResult match(const MatchIndex& index, const MatchQuery& query,
                        const core::MatchConfig& config);

// "YYYY-MM-DD" (UTC) of a time.
std::string iso_date(core::TimeMs t);

// Holds the current index. THREAD SAFETY: current() and replace() may be called from any thread;
// readers get a shared_ptr they can keep using while a newer index is swapped in.
class MatchIndexHolder {
 public:
  MatchIndexHolder() : index_{std::make_shared<const MatchIndex>(core::Registry{})} {}
  [[nodiscard]] std::shared_ptr<const MatchIndex> current() const { return index_.load(); }
  void replace(std::shared_ptr<const MatchIndex> index) { index_.store(std::move(index)); }

 private:
  std::atomic<std::shared_ptr<const MatchIndex>> index_;
};

}  // namespace aware::match
