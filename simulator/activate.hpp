// activate.hpp — `xmark-sim activate`: one button press, retransmitted until acked.
// Called by main.cpp with parsed options; returns the process exit code.
#pragma once

#include "cli.hpp"

namespace aware::sim {

// Runs one press to completion: resolves (boot_epoch, seq) from the options and the state
// file, sends Hello + Activation until the Ack for that seq arrives, a non-BUSY Nack arrives,
// or options.timeout_s passes. Prints the result line on stdout, errors on stderr, and saves
// the state file after an ack. Returns exit_acked, exit_timed_out, exit_nacked or
// exit_local_error. Blocks the calling thread (runs its own io_context).
int run_activate(const activate_options& options);

}  // namespace aware::sim
