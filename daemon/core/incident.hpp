// incident.hpp — how activations shape incidents (pure): an activation and its match result
// open an incident; a repeated alarm joins the device's latest one (merge_window); a cancel
// flags it. No clock, no store: the caller passes the times and persists the result.
#pragma once

#include "core/types.hpp"

namespace aware::core {

// The incident an activation opens: priority from the trigger (a proefmelding is TEST, every
// other activation SPOED, whatever matching found), position and audio from the activation,
// flags from matching plus the activation's own (no / invalid position, cancel). id is 0 until
// the store assigns one; state is `created`.
// With `clock_window_ms` > 0, a device clock (device_time_ms, when set) further than that from
// the receive time flags the incident CLOCK_SKEW.
Incident make_incident(const Activation& activation, const MatchResult& match,
                       TimeMs clock_window_ms = 0);

// True when `flags` holds `flag`.
bool has_flag(const std::vector<Flag>& flags, Flag flag);

// Whether an alarm received at `now` joins the device's latest SPOED incident, which is in
// `latest_state`: it is still open, or it was closed (at `closed_ms`) less than
// `merge_window_ms` ago. A TEST incident never takes part (the caller does not pass one).
bool joins_incident(IncidentState latest_state, TimeMs closed_ms, TimeMs now,
                    TimeMs merge_window_ms);

// The incident `existing` becomes when the alarm behind `draft` (make_incident() of the new
// activation) joins it. Kept from `existing`: id, priority, received_ms, the opening key and the
// track. From `draft`: the match result, battery, and the position and audio when it has them
// (else the old ones stay, and NO_POSITION is not raised while the incident has a position).
// Flags: the draft's, plus DEVICE_RESTARTED when the incident had it, ESCALATED when an open one
// had it, plus REPEATED_ACTIVATION; CANCEL_REQUESTED is lifted (the client asks for help
// again). activation_count + 1. A closed incident reopens: state `created` (NEW; it is
// delivered again like a new one), accepted_by, outcome and listen-in cleared (notes kept).
// An open one keeps its state and who accepted it.
Incident merge_activation(const Incident& existing, const Incident& draft);

// `existing` with CANCEL_REQUESTED (geannuleerd door gebruiker) added once. The state is not
// changed: only a centralist closes.
Incident apply_cancel(const Incident& existing);

}  // namespace aware::core
