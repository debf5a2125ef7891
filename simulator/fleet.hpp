// fleet.hpp — `xmark-sim fleet`: many simulated devices on one thread, with random button
// presses across the fleet. Called by main.cpp; returns the process exit code.
#pragma once

#include "cli.hpp"

namespace aware::sim {

// Runs the fleet until SIGINT/SIGTERM (exit_acked) or, with options.count > 0, until that many
// presses were answered (exit_acked when all were acked, exit_nacked when any was refused).
// Blocks the calling thread.
int run_fleet(const fleet_options& options);

}  // namespace aware::sim
