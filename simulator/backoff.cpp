// backoff.cpp — exponential backoff with jitter (see backoff.hpp).
#include "backoff.hpp"

#include <algorithm>

namespace aware::sim {

backoff::backoff(std::mt19937_64& rng, duration initial, duration cap)
    : rng_(rng), initial_(initial), cap_(cap), current_(initial) {}

backoff::duration backoff::next() {
  const auto base = current_;
  current_ = std::min(current_ * 2, cap_);
  std::uniform_int_distribution<long> jitter(0, std::max<long>(1, static_cast<long>(base.count() / 5)));
  return base + duration(jitter(rng_));
}

void backoff::reset() {
  current_ = initial_;
}

}  // namespace aware::sim
