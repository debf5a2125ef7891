// clock.hpp — wall-clock time for the edges (net/, app/). Pure cores never read a clock: they
// take the time as an argument.
#pragma once

#include <chrono>

#include "core/types.hpp"

namespace aware::core {

// Milliseconds since the Unix epoch, from the system clock.
inline TimeMs now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace aware::core
