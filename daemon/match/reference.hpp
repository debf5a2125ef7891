// reference.hpp — the matching rules of matcher.hpp implemented by plain linear scans over a
// Registry: obviously right and slow. The property tests compare MatchIndex against it on random
// data, and bench/match_bench uses it as the linear-scan baseline.
#pragma once

#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/registry.hpp"
#include "core/types.hpp"
#include "match/matcher.hpp"

namespace aware::match {

core::MatchResult match_linear(const core::Registry& registry, const MatchQuery& query,
                               const core::MatchConfig& config);

void find_aols_linear(const core::Registry& registry, core::GeoPoint p, double accuracy_m,
                      std::string_view client_id, const core::MatchConfig& config,
                      std::vector<core::AolHit>& out);

}  // namespace aware::match
