// feed_access.hpp — binds what a console's WebSocket URL asks for (a FeedTarget) to what its
// signed-in user may see (issue 6), at the upgrade, before the console gets anything:
// - /ws/meldkamer: incident_view for every region asked; no ?regions= means all of the
//   centralist's regions (never "every region").
// - /ws/pac: alerts_view.
// - /ws/hulpverlener: notices_view for every ?client= asked; the feed is then narrowed to the
//   user's own clients, so ?case_worker= (free text on the AOP) can only select among those.
//   ?own=1 follows every one of the user's own clients (taken from the session, not the URL,
//   so there is no limit of 64 names).
// The checks are core::decide() calls (core/policy.hpp), so the roles live in one place.
//
// Pure: no I/O. Called by app/ (console_access.cpp) on the network thread.
#pragma once

#include <string>

#include <tl/expected.hpp>

#include "core/policy.hpp"
#include "dispatch/feeds.hpp"

namespace aware::dispatch {

// The target as the console will be served, or why the user may not open it (for the 403 and
// the audit row). Never throws.
tl::expected<FeedTarget, std::string> bind_feed(const core::Principal& who, FeedTarget asked);

// The operation a feed is for, for naming it in refusals ("/ws/meldkamer").
std::string feed_path(FeedKind kind);

}  // namespace aware::dispatch
