// incident.cpp — activation + match result → incident; merge and cancel rules.
#include "core/incident.hpp"

#include <cstdlib>

#include <algorithm>

namespace aware::core {
namespace {

void add_flag(std::vector<Flag>& flags, Flag flag) {
  if (!has_flag(flags, flag)) {
    flags.push_back(flag);
  }
}

}  // namespace

bool has_flag(const std::vector<Flag>& flags, Flag flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

Incident make_incident(const Activation& activation, const MatchResult& match,
                       TimeMs clock_window_ms) {
  Incident inc;
  inc.priority = activation.trigger == Trigger::test ? Priority::test : Priority::spoed;
  inc.state = IncidentState::created;
  inc.received_ms = activation.received_ms;
  inc.key = activation.key;
  inc.match = match;
  inc.position = activation.fix;
  inc.audio = activation.audio;
  inc.battery_pct = activation.battery_pct;
  inc.flags = match.flags;
  if (activation.fix_invalid) {
    inc.flags.push_back(Flag::invalid_position);
  } else if (!activation.fix) {
    inc.flags.push_back(Flag::no_position);
  }
  if (activation.trigger == Trigger::cancel) {
    inc.flags.push_back(Flag::cancel_requested);
  }
  if (clock_window_ms > 0 && activation.device_time_ms > 0 &&
      std::abs(activation.device_time_ms - activation.received_ms) > clock_window_ms) {
    inc.flags.push_back(Flag::clock_skew);
  }
  inc.activation_count = 1;
  return inc;
}



bool joins_incident(IncidentState latest_state, TimeMs closed_ms, TimeMs now,
                    TimeMs merge_window_ms) {
  if (latest_state != IncidentState::closed) {
    return true;
  }
  return now - closed_ms < merge_window_ms;
}

Incident merge_activation(const Incident& existing, const Incident& draft) {
  Incident out = existing;
  out.match = draft.match;
  out.battery_pct = draft.battery_pct;
  if (draft.position) {
    out.position = draft.position;
  }
  if (draft.audio) {
    out.audio = draft.audio;
  }
  out.flags.clear();
  for (auto f : draft.flags) {
    if (f == Flag::cancel_requested || (f == Flag::no_position && out.position)) {
      continue;
    }
    add_flag(out.flags, f);
  }
  for (auto sticky : {Flag::device_restarted, Flag::sequence_regressed}) {
    if (has_flag(existing.flags, sticky)) {
      add_flag(out.flags, sticky);
    }
  }
  if (has_flag(existing.flags, Flag::escalated) && existing.state != IncidentState::closed) {
    add_flag(out.flags, Flag::escalated);  // still escalated; a reopened one starts afresh
  }
  add_flag(out.flags, Flag::repeated_activation);
  out.activation_count = existing.activation_count + 1;
  if (existing.state == IncidentState::closed) {
    out.state = IncidentState::created;
    out.accepted_by.clear();
    out.outcome.clear();
    out.listen_in_by.clear();  // a new handling: nobody listens in yet (the notes stay)
    out.listen_in_ms = 0;
  }
  return out;
}

Incident apply_cancel(const Incident& existing) {
  Incident out = existing;
  add_flag(out.flags, Flag::cancel_requested);
  return out;
}

}  // namespace aware::core
