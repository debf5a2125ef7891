// rules.hpp — the non-spatial matching rules shared by MatchIndex (matcher.cpp) and the
// linear-scan reference (reference.cpp): what the chosen AOP means for the result, when a fix
// may decide the region, and the region fallbacks. The property tests compare the two
// implementations on everything spatial; these few lines are the same rules for both by design.
#pragma once

#include <string_view>

#include "core/config.hpp"
#include "core/registry.hpp"
#include "core/types.hpp"

namespace aware::match {

// True when `today` (ISO date) lies in the AOP's period; an empty bound is open.
bool covers(const core::AopRecord& aop, std::string_view today);

// Records the AOP chosen for the device's client (nullptr: the client has none): its id and
// period, aop_state, and the contract flags.
void apply_aop(const core::AopRecord* aop, std::string_view today, core::MatchResult& result);

// True when the fix is recent enough (received - fix time <= max_fix_age) to decide the region.
bool fix_decides_region(const core::GeoFix& fix, const core::MatchConfig& config);

// The region when no fix decides it: the client's home region, else the default desk.
void apply_fallback_region(const core::ClientRecord* client, const core::MatchConfig& config,
                           core::MatchResult& result);

}  // namespace aware::match
