// escalation.cpp — see escalation.hpp.
#include "dispatch/escalation.hpp"

#include <algorithm>

namespace aware::dispatch {
namespace {

// The earlier of the two deadlines of `t`, if any.
std::optional<core::TimeMs> earliest(const core::IncidentTimers& t) {
  if (t.deliver_due && t.accept_due) {
    return std::min(*t.deliver_due, *t.accept_due);
  }
  return t.deliver_due ? t.deliver_due : t.accept_due;
}

}  // namespace

TimerStep step(const core::IncidentTimers& timers, core::IncidentState state, core::TimeMs now,
               const EscalationPolicy& policy) {
  TimerStep out{TimerAction::none, timers};
  auto& next = out.next;
  if (state != core::IncidentState::created) {
    next.deliver_due.reset();  // on a screen (or further): nothing left to deliver
  }
  if (state == core::IncidentState::accepted || state == core::IncidentState::closed) {
    next.accept_due.reset();
    return out;
  }
  if (next.deliver_due && now >= *next.deliver_due) {
    next.deliver_due.reset();
    next.to_fallback = true;
    out.action = TimerAction::escalate;
    return out;
  }
  if (next.accept_due && now >= *next.accept_due) {
    if (next.accept_stage == 0) {
      next.accept_stage = 1;
      next.accept_due = *next.accept_due + policy.accept_timeout_ms;
      out.action = TimerAction::realert;
    } else {
      next.accept_stage = 2;
      next.accept_due.reset();
      next.to_fallback = true;
      out.action = TimerAction::realert_fallback;
    }
  }
  return out;
}

std::string_view event_detail(TimerAction action) {
  switch (action) {
    case TimerAction::escalate:
      return "escalated: not delivered";
    case TimerAction::realert:
      return "re-alert: not accepted";
    case TimerAction::realert_fallback:
      return "re-alert: not accepted, fallback region";
    case TimerAction::none:
      break;
  }
  return {};
}

void Escalation::set(std::int64_t id, const core::IncidentTimers& timers) {
  if (timers.pending()) {
    pending_.insert_or_assign(id, timers);
  } else {
    pending_.erase(id);
  }
}

const core::IncidentTimers* Escalation::find(std::int64_t id) const {
  auto it = pending_.find(id);
  return it == pending_.end() ? nullptr : &it->second;
}

std::optional<core::TimeMs> Escalation::next_due() const {
  std::optional<core::TimeMs> best;
  for (const auto& [id, t] : pending_) {
    const auto e = earliest(t);
    if (e && (!best || *e < *best)) {
      best = e;
    }
  }
  return best;
}

std::vector<std::int64_t> Escalation::due(core::TimeMs now) const {
  std::vector<std::int64_t> out;
  for (const auto& [id, t] : pending_) {
    const auto e = earliest(t);
    if (e && *e <= now) {
      out.push_back(id);
    }
  }
  return out;
}

}  // namespace aware::dispatch
