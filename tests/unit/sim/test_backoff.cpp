// test_backoff.cpp — unit tests for sim::backoff, the simulator's reconnect delay: it starts at
// the initial delay, doubles per call up to the cap, adds at most 20 % jitter, and reset() goes
// back to the start. The random engine is seeded, but every check is a bound that holds for any
// jitter value, so the tests do not depend on the engine's sequence.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "backoff.hpp"

using aware::sim::backoff;
using ms = std::chrono::milliseconds;

namespace {

// Checks base <= delay <= base + max(1, base / 5).
void check_within(ms delay, long base) {
  INFO("base " << base << " ms, got " << delay.count() << " ms");
  CHECK(delay.count() >= base);
  CHECK(delay.count() <= base + std::max<long>(1, base / 5));
}

}  // namespace

TEST_CASE("backoff doubles from 100 ms and caps at 2 s, with at most 20 % jitter", "[sim][backoff]") {
  for (std::uint64_t seed : {1ULL, 2ULL, 42ULL, 12345ULL}) {
    std::mt19937_64 rng(seed);
    backoff delays(rng);
    for (long base : {100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L}) {
      check_within(delays.next(), base);
    }
  }
}

TEST_CASE("backoff jitter actually varies across calls at the cap", "[sim][backoff]") {
  std::mt19937_64 rng(7);
  backoff delays(rng);
  for (int i = 0; i < 6; ++i) {
    (void)delays.next();
  }
  std::vector<long> seen;
  for (int i = 0; i < 50; ++i) {
    seen.push_back(delays.next().count());
  }
  CHECK(*std::min_element(seen.begin(), seen.end()) <
        *std::max_element(seen.begin(), seen.end()));
}

TEST_CASE("backoff reset returns to the initial delay", "[sim][backoff]") {
  std::mt19937_64 rng(3);
  backoff delays(rng);
  for (int i = 0; i < 10; ++i) {
    (void)delays.next();
  }
  delays.reset();
  check_within(delays.next(), 100);
  check_within(delays.next(), 200);
}

TEST_CASE("backoff honours a custom initial delay and cap", "[sim][backoff]") {
  std::mt19937_64 rng(9);
  backoff delays(rng, ms(50), ms(300));
  for (long base : {50L, 100L, 200L, 300L, 300L}) {
    check_within(delays.next(), base);
  }
}
