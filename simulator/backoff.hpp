// backoff.hpp — exponential reconnect/retransmit backoff with jitter, as a device does it:
// start at 100 ms, double per failure, cap at 2 s, plus up to 20 % random jitter so that a
// fleet does not reconnect in lock-step. Pure (the random engine is injected).
#pragma once

#include <chrono>
#include <random>

namespace aware::sim {

class backoff {
 public:
  using duration = std::chrono::milliseconds;

  backoff(std::mt19937_64& rng, duration initial = duration(100), duration cap = duration(2000));

  // The delay before the next attempt; each call doubles the base delay up to the cap.
  duration next();

  // Back to the initial delay (after a success).
  void reset();

 private:
  std::mt19937_64& rng_;   // shared random engine, single-threaded use only
  duration initial_;       // first delay
  duration cap_;           // largest base delay
  duration current_;       // base delay of the next call
};

}  // namespace aware::sim
