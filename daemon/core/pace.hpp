// pace.hpp — spacing out costly work to a rate (a token bucket in its "theoretical arrival
// time" form, GCRA): at most `per_second` turns a second on average, and after a quiet spell at
// most `burst` at once. Used to pace the accepts of the TLS listeners (net/listener.hpp), so a
// flood of handshakes cannot take the network thread from the sessions already open.
// Pure: the caller passes the time. THREAD SAFETY: none (one owner).
#pragma once

#include <chrono>
#include <cstdint>

namespace aware::core {

class Pace {
 public:
  using Clock = std::chrono::steady_clock;

  // per_second >= 1; burst >= 1 (values below are raised to 1).
  Pace(std::uint32_t per_second, std::uint32_t burst);

  // Takes a turn at `now` when one is due and returns zero; otherwise takes nothing and returns
  // how long from `now` until the next turn is due (always > 0).
  [[nodiscard]] Clock::duration take(Clock::time_point now);

 private:
  Clock::duration interval_;   // 1 s / per_second
  Clock::duration tolerance_;  // (burst - 1) intervals: how far ahead turns may be taken
  Clock::time_point due_{};    // when the next turn is due at the steady rate
  bool started_ = false;
};

}  // namespace aware::core
