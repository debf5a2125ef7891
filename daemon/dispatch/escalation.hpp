// escalation.hpp — the routing timers of issue 4 as pure logic: which incident deadline is due
// and what happens then. No clock, no Asio, no store: the caller passes the time in.
//
// Per incident (core::IncidentTimers, stored by the store):
//   deliver_due  — still NEW (on no console of its region) then: escalate. The incident gets
//                  the ESCALATED flag and also goes to the fallback region's consoles.
//   accept_due   — not accepted then: re-alert (pushed again, ESCALATED); the deadline moves
//                  on by accept_timeout, and at that second deadline the re-alert also goes to
//                  the fallback region. After that no accept deadline is left.
// A deadline whose reason is gone (delivered, accepted, closed) is dropped without action.
//
// app/ owns one Escalation and one Asio timer that sleeps until next_due(); when it wakes it
// calls step() for each due() incident, persists the result, and publishes the incident.
// THREAD SAFETY: none; used on the network thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "core/timers.hpp"
#include "core/types.hpp"

namespace aware::dispatch {

struct EscalationPolicy {
  core::TimeMs deliver_timeout_ms = 3000;   // [dispatch] deliver_timeout_s
  core::TimeMs accept_timeout_ms = 30000;   // [dispatch] accept_timeout_s
};

enum class TimerAction {
  none,              // nothing to tell anyone (a deadline was dropped, or nothing was due)
  escalate,          // deliver_timeout passed while NEW: flag, fallback region, PAC alert
  realert,           // accept_timeout passed: push again with the ESCALATED flag
  realert_fallback,  // 2 x accept_timeout passed: push again, also to the fallback region
};

// The outcome of one step: what to do now, and the incident's deadlines after it.
struct TimerStep {
  TimerAction action = TimerAction::none;
  core::IncidentTimers next;
};

// Evaluates `timers` of an incident in `state` at `now`: at most one action per call (call
// again while due() still lists the incident). Deadlines that no longer apply to `state` are
// cleared in `next` even when they are not yet due.
[[nodiscard]] TimerStep step(const core::IncidentTimers& timers, core::IncidentState state,
                             core::TimeMs now, const EscalationPolicy& policy);

// The incident_events detail of an action ("escalated: not delivered", …); empty for none.
[[nodiscard]] std::string_view event_detail(TimerAction action);

// The pending deadlines of all open incidents, by incident id.
class Escalation {
 public:
  // Sets (or, when nothing is pending, removes) the deadlines of incident `id`.
  void set(std::int64_t id, const core::IncidentTimers& timers);
  void forget(std::int64_t id) { pending_.erase(id); }
  [[nodiscard]] const core::IncidentTimers* find(std::int64_t id) const;

  // The earliest pending deadline of any incident; nullopt when none is pending.
  [[nodiscard]] std::optional<core::TimeMs> next_due() const;
  // The incidents with a deadline at or before `now`, by id.
  [[nodiscard]] std::vector<std::int64_t> due(core::TimeMs now) const;
  [[nodiscard]] std::size_t size() const { return pending_.size(); }

 private:
  std::map<std::int64_t, core::IncidentTimers> pending_;   // only entries with pending()
};

}  // namespace aware::dispatch
