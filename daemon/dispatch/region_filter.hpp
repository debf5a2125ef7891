// region_filter.hpp — which meldkamer regions a console serves, from its WebSocket URL.
//
// A console names its regions when it connects: /ws/meldkamer?regions=midden-nederland,amsterdam.
// Without the parameter (or with an empty list) it serves every region, as before regions
// existed. Region ids are taken as given: an id no incident carries is accepted and simply
// matches nothing. Ids are not percent-decoded (region ids are plain lowercase words with '-').
//
// Pure: no I/O. net/console_server parses the target with parse_console_target(); the hub asks
// serves() before it sends an incident to a console.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace aware::dispatch {

class RegionFilter {
 public:
  // A filter that serves every region.
  RegionFilter() = default;
  // A filter for exactly `regions`; an empty set means every region.
  using Set = std::set<std::string, std::less<>>;
  explicit RegionFilter(Set regions) : regions_{std::move(regions)} {}

  // Whether an incident of `region` goes to this console.
  [[nodiscard]] bool serves(std::string_view region) const;
  [[nodiscard]] bool all() const { return regions_.empty(); }
  [[nodiscard]] const Set& regions() const { return regions_; }

 private:
  Set regions_;      // served regions; empty = all
};

// Most regions one console may name, and the longest id; more is refused (input cap).
inline constexpr std::size_t max_console_regions = 64;
inline constexpr std::size_t max_region_id_bytes = 64;

// Parses a console's request target. Returns the filter when the path is exactly
// "/ws/meldkamer" (other query parameters are ignored); nullopt for any other path, for more
// than max_console_regions ids or an id longer than max_region_id_bytes. Never throws.
[[nodiscard]] std::optional<RegionFilter> parse_console_target(std::string_view target);

}  // namespace aware::dispatch
