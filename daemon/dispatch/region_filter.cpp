// region_filter.cpp — see region_filter.hpp.
#include "dispatch/region_filter.hpp"

namespace aware::dispatch {

bool RegionFilter::serves(std::string_view region) const {
  return regions_.empty() || regions_.find(region) != regions_.end();
}

namespace {

// Calls `f` for each piece of `text` between separators `sep` (empty pieces included).
template <typename F>
void split(std::string_view text, char sep, F&& f) {
  for (;;) {
    const auto at = text.find(sep);
    f(text.substr(0, at));
    if (at == std::string_view::npos) {
      return;
    }
    text.remove_prefix(at + 1);
  }
}

}  // namespace

std::optional<RegionFilter> parse_console_target(std::string_view target) {
  const auto q = target.find('?');
  if (target.substr(0, q) != "/ws/meldkamer") {
    return std::nullopt;
  }
  if (q == std::string_view::npos) {
    return RegionFilter{};
  }
  RegionFilter::Set regions;
  bool ok = true;
  split(target.substr(q + 1), '&', [&](std::string_view param) {
    if (!param.starts_with("regions=")) {
      return;
    }
    split(param.substr(8), ',', [&](std::string_view id) {
      if (id.empty()) {
        return;
      }
      if (id.size() > max_region_id_bytes || regions.size() >= max_console_regions) {
        ok = false;
        return;
      }
      regions.emplace(id);
    });
  });
  if (!ok) {
    return std::nullopt;
  }
  return RegionFilter{std::move(regions)};
}

}  // namespace aware::dispatch
