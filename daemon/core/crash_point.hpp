// crash_point.hpp — test-only crash points for the crash-safety tests.
//
// When the environment variable AWARED_CRASH_AT names a point (received, before_commit,
// after_commit, after_ack, during_dispatch), reaching that point kills the process with SIGKILL,
// exactly as `kill -9` would. Unset (always, in production) it costs one branch.
#pragma once

#include <string_view>

namespace aware::core {

// Kills the process if AWARED_CRASH_AT equals `point`. The variable is read once.
void crash_point(std::string_view point);

}  // namespace aware::core
