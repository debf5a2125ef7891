// log.hpp — one named spdlog logger per stage, all writing to stderr (journald picks it up).
// Operator-facing messages start with a stable id ("AWR-1001") listed in docs/log-messages.md.
// No personal data (names, positions, AOP text) is ever logged; device ids and incident ids are.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace aware::core {

// Creates the stage loggers (app, config, ingest, match, store, dispatch, net) once, sharing one
// stderr sink. Safe to call more than once; later calls only change the level.
// Returns false when `level` is not a known spdlog level name (the level is then left as is).
bool init_logging(std::string_view level);

// The logger of a stage, e.g. log("store"). Unknown names get the "app" logger. The loggers
// are never destroyed; no lock is taken.
const std::shared_ptr<spdlog::logger>& log(std::string_view stage);

// Log lines dropped since start because stderr (journald) did not take them at once: the sink
// never waits for its reader, so a stalled journald cannot stop the thread that logs.
std::uint64_t log_lines_dropped();

}  // namespace aware::core
