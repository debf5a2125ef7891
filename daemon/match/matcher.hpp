// matcher.hpp — finds what the meldkamer must know about an activation: the client and AOP
// behind the device, the AOLs the position is in or near, and the responsible region.
//
// Pure code: an immutable MatchIndex is built from a Registry snapshot, and match() reads it
// without locks. A registry change builds a new index and swaps it in (MatchIndexHolder), so
// matching never waits for a change. match() never fails: an unknown device or an expired
// contract still yields a result, flagged, because an activation is never dropped.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/config.hpp"
#include "core/registry.hpp"
#include "core/types.hpp"

namespace aware::match {

class MatchIndex {
 public:
  explicit MatchIndex(core::Registry registry);
  MatchIndex(const MatchIndex&) = delete;             // the maps point into registry_
  MatchIndex& operator=(const MatchIndex&) = delete;

  [[nodiscard]] const core::DeviceRecord* device(std::string_view id) const;
  [[nodiscard]] const core::ClientRecord* client(std::string_view id) const;
  // The client's AOP that covers `today` (ISO date); failing that the one that ended last, or
  // failing that the one that starts first. nullptr when the client has none.
  [[nodiscard]] const core::AopRecord* aop_of_client(std::string_view client_id,
                                                     std::string_view today) const;
  [[nodiscard]] const std::vector<core::AolRecord>& aols() const { return registry_.aols; }

 private:
  core::Registry registry_;                                               // owned records
  std::unordered_map<std::string_view, const core::DeviceRecord*> devices_;  // by device id
  std::unordered_map<std::string_view, const core::ClientRecord*> clients_;  // by client id
  std::unordered_multimap<std::string_view, const core::AopRecord*> aops_;   // by client id
};

struct MatchQuery {
  std::string_view device_id;
  std::optional<core::GeoFix> fix;
  core::TimeMs now_ms = 0;          // decides whether the AOP period is current
};

core::MatchResult match(const MatchIndex& index, const MatchQuery& query,
                        const core::MatchConfig& config);

// Great-circle distance in metres between two WGS84 points.
double distance_m(double lat1, double lon1, double lat2, double lon2);

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
