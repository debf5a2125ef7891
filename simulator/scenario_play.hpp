// scenario_play.hpp — `xmark-sim scenario FILE`: reads and expands a scenario file, then prints
// its events (--print), the alerts awared must raise (--expect), or plays the events against a
// real awared (--server). Called by main.cpp; returns the process exit code.
#pragma once

#include "cli.hpp"

namespace aware::sim {

// --print / --expect: one JSON object per line on stdout, exit_acked. Playing: one connection
// per device, events at wall time = start + scenario time / speed; exit_acked when every
// message was acked, exit_nacked when any was refused, exit_timed_out when any went unacked.
// An unreadable file is exit_local_error, an invalid scenario exit_usage (message on stderr).
// Blocks the calling thread; SIGINT/SIGTERM end playback early.
int run_scenario(const scenario_options& options);

}  // namespace aware::sim
