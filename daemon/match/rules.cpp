// rules.cpp — see rules.hpp.
#include "match/rules.hpp"

#include <chrono>

namespace aware::match {

bool covers(const core::AopRecord& a, std::string_view today) {
  return (a.valid_from.empty() || std::string_view{a.valid_from} <= today) &&
         (a.valid_until.empty() || today <= std::string_view{a.valid_until});
}

void apply_aop(const core::AopRecord* aop, std::string_view today, core::MatchResult& result) {
  if (aop == nullptr) {
    result.aop_state = core::AopState::no_aop;
    result.flags.push_back(core::Flag::no_aop);
    return;
  }
  result.aop = core::AopInfo{
      .aop_id = aop->id, .valid_from = aop->valid_from, .valid_until = aop->valid_until};
  if (covers(*aop, today)) {
    result.aop_state = core::AopState::active;
  } else if (!aop->valid_until.empty() && std::string_view{aop->valid_until} < today) {
    result.aop_state = core::AopState::expired;
    result.flags.push_back(core::Flag::contract_expired);
  } else {
    result.aop_state = core::AopState::not_yet_valid;
    result.flags.push_back(core::Flag::contract_not_yet);
  }
}

bool fix_decides_region(const core::GeoFix& fix, const core::MatchConfig& config) {
  const auto max_age_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.max_fix_age).count();
  return fix.received_ms - fix.fix_time_ms <= max_age_ms;
}

void apply_fallback_region(const core::ClientRecord* client, const core::MatchConfig& config,
                           core::MatchResult& result) {
  if (client != nullptr && !client->home_region.empty()) {
    result.region = client->home_region;
    result.region_source = core::RegionSource::home_region;
  } else {
    result.region = config.default_region;
    result.region_source = core::RegionSource::default_desk;
  }
}

}  // namespace aware::match
