// test_pace.cpp — core::Pace, the token bucket that paces the accepts of the TLS listeners
// ([tls] handshakes_per_s): a burst, then one turn per interval, never more, and no credit saved
// up beyond the burst. The time is passed in, so nothing here waits.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/pace.hpp"

using aware::core::Pace;
using namespace std::chrono_literals;

namespace {

const Pace::Clock::time_point t0 = Pace::Clock::time_point{} + 1000h;

// Turns taken at `now` until one is refused.
int turns_at(Pace& pace, Pace::Clock::time_point now) {
  int n = 0;
  while (pace.take(now) == Pace::Clock::duration::zero()) {
    ++n;
    REQUIRE(n <= 1000);
  }
  return n;
}

}  // namespace

TEST_CASE("a pace gives its burst at once, then one turn per interval") {
  Pace pace{10, 10};
  CHECK(turns_at(pace, t0) == 10);
  CHECK(pace.take(t0) == 100ms);  // the next turn is one interval away
  CHECK(pace.take(t0 + 40ms) == 60ms);
  CHECK(pace.take(t0 + 100ms) == Pace::Clock::duration::zero());
  CHECK(pace.take(t0 + 100ms) == 100ms);
  CHECK(turns_at(pace, t0 + 350ms) == 2);  // the turns due at 200 and 300 ms
}

TEST_CASE("a pace never gives more than burst plus rate times the elapsed time") {
  Pace pace{50, 5};
  int taken = 0;
  for (int ms = 0; ms <= 2000; ms += 3) {
    taken += turns_at(pace, t0 + std::chrono::milliseconds(ms));
    CHECK(taken <= 5 + 1 + ms * 50 / 1000);
  }
  CHECK(taken >= 5 + 2000 * 50 / 1000 - 1);  // and it does give them
}

TEST_CASE("a quiet spell saves up no more than the burst") {
  Pace pace{1, 3};
  CHECK(turns_at(pace, t0) == 3);
  CHECK(turns_at(pace, t0 + 1h) == 3);
  CHECK(pace.take(t0 + 1h) == 1s);
}

TEST_CASE("a pace of one a second with no burst spaces every turn") {
  Pace pace{0, 0};  // raised to 1 and 1
  CHECK(turns_at(pace, t0) == 1);
  CHECK(pace.take(t0 + 999ms) == 1ms);
  CHECK(turns_at(pace, t0 + 1s) == 1);
}
