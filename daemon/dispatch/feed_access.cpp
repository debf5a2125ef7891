// feed_access.cpp — see feed_access.hpp.
#include "dispatch/feed_access.hpp"

namespace aware::dispatch {
namespace {

using core::Operation;

// The first refusal of `op` over `names` (each as the resource `field`), or nullopt. No names
// at all (a user without regions or clients) is asked once with an empty resource, so the
// refusal names the role.
template <typename Field>
std::optional<std::string> first_refusal(const core::Principal& who, Operation op,
                                         const core::NameSet& names, Field field) {
  if (names.empty()) {  // never "everything": an empty scope is always refused
    auto d = core::decide(who, op, {});
    return d.allowed ? std::string("no regions or clients to serve") : d.reason;
  }
  for (const auto& name : names) {
    core::Resource what;
    what.*field = name;
    if (auto d = core::decide(who, op, what); !d.allowed) {
      return d.reason;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string feed_path(FeedKind kind) {
  switch (kind) {
    case FeedKind::meldkamer: return "/ws/meldkamer";
    case FeedKind::pac: return "/ws/pac";
    case FeedKind::hulpverlener: return "/ws/hulpverlener";
  }
  return "/ws/?";
}

tl::expected<FeedTarget, std::string> bind_feed(const core::Principal& who, FeedTarget asked) {
  switch (asked.kind) {
    case FeedKind::meldkamer: {
      const core::NameSet wanted =
          asked.regions.all() ? who.regions : core::NameSet{asked.regions.regions()};
      if (auto refusal = first_refusal(who, Operation::incident_view, wanted,
                                       &core::Resource::region)) {
        return tl::make_unexpected(*refusal);
      }
      asked.regions = RegionFilter{RegionFilter::Set{wanted.begin(), wanted.end()}};
      return asked;
    }
    case FeedKind::pac: {
      if (auto d = core::decide(who, Operation::alerts_view, {}); !d.allowed) {
        return tl::make_unexpected(d.reason);
      }
      return asked;
    }
    case FeedKind::hulpverlener: {
      const core::NameSet named{asked.clients.begin(), asked.clients.end()};
      if (auto refusal = first_refusal(who, Operation::notices_view,
                                       named.empty() ? who.clients : named,
                                       &core::Resource::client_id)) {
        return tl::make_unexpected(*refusal);
      }
      asked.scope = who.clients;
      if (asked.own_clients) {  // ?own=1: every client of the user, however many
        asked.clients.insert(who.clients.begin(), who.clients.end());
      }
      return asked;
    }
  }
  return tl::make_unexpected(std::string("unknown feed"));
}

}  // namespace aware::dispatch
