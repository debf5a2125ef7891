// timers.hpp — an incident's escalation deadlines, as the store keeps them (incident_timers)
// and dispatch/escalation evaluates them.
//
// Deadlines are wall-clock times (core::TimeMs) so that a restarted awared resumes them from
// the stored values instead of starting them again. Pure data; no clock is read here.
#pragma once

#include <optional>

#include "core/types.hpp"

namespace aware::core {

struct IncidentTimers {
  std::optional<TimeMs> deliver_due;  // escalate when still NEW at this time; nullopt = none
  std::optional<TimeMs> accept_due;   // re-alert when not accepted by this time; nullopt = none
  int accept_stage = 0;               // accept re-alerts done so far: 0, 1, or 2 (none left)
  bool to_fallback = false;           // the fallback region's consoles get this incident too
  bool operator==(const IncidentTimers&) const = default;

  [[nodiscard]] bool pending() const { return deliver_due.has_value() || accept_due.has_value(); }
};

// The deadlines of an incident opened (or reopened) at `at`.
inline IncidentTimers arm_timers(TimeMs at, TimeMs deliver_timeout_ms, TimeMs accept_timeout_ms) {
  IncidentTimers t;
  t.deliver_due = at + deliver_timeout_ms;
  t.accept_due = at + accept_timeout_ms;
  return t;
}

}  // namespace aware::core
