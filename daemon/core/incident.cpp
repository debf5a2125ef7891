// incident.cpp — activation + match result → incident.
#include "core/incident.hpp"

#include <algorithm>

namespace aware::core {

bool has_flag(const std::vector<Flag>& flags, Flag flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

Incident make_incident(const Activation& activation, const MatchResult& match) {
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
  inc.activation_count = 1;
  return inc;
}

}  // namespace aware::core
