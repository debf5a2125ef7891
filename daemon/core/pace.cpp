// pace.cpp — see pace.hpp.
#include "core/pace.hpp"

#include <algorithm>

namespace aware::core {

Pace::Pace(std::uint32_t per_second, std::uint32_t burst)
    : interval_{std::chrono::duration_cast<Clock::duration>(std::chrono::seconds{1}) /
                std::max<std::uint32_t>(per_second, 1U)},
      tolerance_{interval_ * (std::max<std::uint32_t>(burst, 1U) - 1U)} {}

Pace::Clock::duration Pace::take(Clock::time_point now) {
  if (!started_ || due_ < now) {
    due_ = now;  // turns not taken in a quiet spell are not saved up beyond the burst
    started_ = true;
  }
  const auto ahead = due_ - now;
  if (ahead > tolerance_) {
    return ahead - tolerance_;
  }
  due_ += interval_;
  return Clock::duration::zero();
}

}  // namespace aware::core
