// incident.hpp — how an activation and its match result become an incident (pure).
#pragma once

#include "core/types.hpp"

namespace aware::core {

// The incident an activation opens: priority from the trigger (a proefmelding is TEST, every
// other activation SPOED, whatever matching found), position and audio from the activation,
// flags from matching plus the activation's own (no / invalid position, cancel). id is 0 until
// the store assigns one; state is `created`.
Incident make_incident(const Activation& activation, const MatchResult& match);

// True when `flags` holds `flag`.
bool has_flag(const std::vector<Flag>& flags, Flag flag);

}  // namespace aware::core
