// test_login_throttle.cpp — core::LoginThrottle: five wrong passwords in a row are free, each
// further one locks the user name for twice as long (1 s, 2 s … at most 15 min), a success
// clears it, other names are not affected; the global pace allows a burst, then refuses; with
// the table full, names whose lock ran out make room and locked ones stay.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "core/login_throttle.hpp"

using aware::core::LoginThrottle;
using aware::core::TimeMs;

TEST_CASE("a user name is locked after five wrong passwords, twice as long each time",
          "[security][throttle]") {
  LoginThrottle t;
  constexpr TimeMs kT0 = 1'000'000;
  for (int i = 0; i < LoginThrottle::kFreeFailures; ++i) {
    CHECK(t.failed("anna", kT0 + i) == 0);
    CHECK(t.locked_for("anna", kT0 + i) == 0);
  }
  CHECK(t.failed("anna", kT0 + 10) == 1'000);
  CHECK(t.locked_for("anna", kT0 + 10) == 1'000);
  CHECK(t.locked_for("anna", kT0 + 510) == 500);
  CHECK(t.locked_for("anna", kT0 + 1'010) == 0);  // the lock ran out
  CHECK(t.locked_for("bert", kT0 + 10) == 0);     // others are not affected
  CHECK(t.failed("anna", kT0 + 2'000) == 2'000);
  CHECK(t.failed("anna", kT0 + 5'000) == 4'000);
  for (int i = 0; i < 20; ++i) {
    t.failed("anna", kT0 + 10'000);
  }
  CHECK(t.failed("anna", kT0 + 20'000) == LoginThrottle::kMaxLockMs);  // capped at 15 min
  CHECK(t.failures("anna") == LoginThrottle::kFreeFailures + 24);
  t.succeeded("anna");
  CHECK(t.failures("anna") == 0);
  CHECK(t.locked_for("anna", kT0 + 20'001) == 0);
  CHECK(t.failed("anna", kT0 + 20'002) == 0);  // five free ones again
}

TEST_CASE("the password checks of everyone are paced: a burst, then one per tenth of a second",
          "[security][throttle]") {
  LoginThrottle t;
  const auto t0 = aware::core::Pace::Clock::time_point{} + std::chrono::hours(1);
  for (std::uint32_t i = 0; i < LoginThrottle::kCheckBurst; ++i) {
    CHECK(t.take_check(t0));
  }
  CHECK_FALSE(t.take_check(t0));
  CHECK(t.take_check(t0 + std::chrono::milliseconds(1000 / LoginThrottle::kChecksPerSecond)));
  CHECK_FALSE(t.take_check(t0 + std::chrono::milliseconds(1000 / LoginThrottle::kChecksPerSecond)));
}

TEST_CASE("a full name table forgets names whose lock ran out, never a locked one",
          "[security][throttle]") {
  LoginThrottle t;
  constexpr TimeMs kT0 = 1'000'000;
  // Every place taken by a locked name (locked for 1 s from kT0).
  for (std::size_t i = 0; i < LoginThrottle::kMaxNames; ++i) {
    const auto name = "guess-" + std::to_string(i);
    for (int k = 0; k <= LoginThrottle::kFreeFailures; ++k) {
      t.failed(name, kT0);
    }
  }
  REQUIRE(t.locked_for("guess-0", kT0) == 1'000);
  // A new name finds no room while they are locked (not counted; the locked ones stay) …
  CHECK(t.failed("new", kT0 + 10) == 0);
  CHECK(t.failures("new") == 0);
  CHECK(t.locked_for("guess-0", kT0 + 10) == 990);
  // … and once their locks ran out, they make room.
  CHECK(t.failed("new", kT0 + 1'000) == 0);
  CHECK(t.failures("new") == 1);
  CHECK(t.failures("guess-0") == 0);
}
