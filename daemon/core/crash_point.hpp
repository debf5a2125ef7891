// crash_point.hpp — test-only fault points: crash points for the crash-safety tests, and a
// skipped console sequence number for the resync test.
//
// When the environment variable AWARED_CRASH_AT names a point (received, before_commit,
// after_commit, during_dispatch, after_ack), reaching that point kills the process with SIGKILL,
// exactly as `kill -9` would; with AWARED_CRASH_SKIP=N it passes the point N times first and
// kills at the next (the crash loop's crash under load). Unset (always, in production) it costs
// one branch.
#pragma once

#include <cstdint>
#include <string_view>

namespace aware::core {

// Kills the process if AWARED_CRASH_AT equals `point` (after AWARED_CRASH_SKIP passes). The
// variables are read once.
void crash_point(std::string_view point);

// Test-only: when AWARED_TEST_SKIP_SEQ=N is set, returns true exactly once in the process, for
// the first console frame numbered N — the console session then leaves N out, so the console
// sees a gap and must resync. Unset, always false.
bool skip_console_seq(std::uint64_t seq);

}  // namespace aware::core
