// test_login_throttle.cpp — core::LoginThrottle: five wrong passwords in a row for a name from
// one address are free, each further one locks that name from that address for twice as long
// (up to the cap), while the same name from another address is not locked; an address failing
// over many names is locked too (an IPv6 client by its /64); a check counts as failed when it
// begins, so parallel guesses are stopped as soon as the count is past; a success or an admin's
// new password clears a name; a check that tested no password takes its presumed failure back;
// a day without failures starts afresh; the global pace allows a burst, then refuses; with the
// table full, entries not locked now make room and locked ones stay.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "core/login_throttle.hpp"

using aware::core::LoginLimits;
using aware::core::LoginThrottle;
using aware::core::TimeMs;

namespace {

constexpr TimeMs kT0 = 1'000'000;

// `n` checks of `name` from `address` at `now` that all fail; the last begin()'s result.
TimeMs fail_n(LoginThrottle& t, const std::string& name, const std::string& address, int n,
              TimeMs now) {
  TimeMs last = 0;
  for (int i = 0; i < n; ++i) {
    last = t.begin(name, address, now).refused_ms;
  }
  return last;
}

}  // namespace

TEST_CASE("a name is locked from one address after five wrong passwords, twice as long each time",
          "[security][throttle]") {
  LoginThrottle t;
  CHECK(fail_n(t, "anna", "10.0.0.9", 5, kT0) == 0);
  CHECK(t.locks("anna", "10.0.0.9", kT0).longest() == 0);
  const auto sixth = t.begin("anna", "10.0.0.9", kT0 + 10);  // may run, and locks
  CHECK(sixth.refused_ms == 0);
  CHECK(sixth.name_lock_ms == 1'000);  // said once, by the check that set it
  CHECK(sixth.name_failures == 6);
  CHECK(sixth.address_lock_ms == 0);
  CHECK(t.locks("anna", "10.0.0.9", kT0 + 10).name_ms == 1'000);
  CHECK(t.begin("anna", "10.0.0.9", kT0 + 510).refused_ms == 500);  // refused, not counted
  CHECK(t.failures("anna", "10.0.0.9") == 6);
  // From her own desk she is not locked; another name from the guesser's address is not either.
  CHECK(t.locks("anna", "10.0.0.1", kT0 + 510).longest() == 0);
  CHECK(t.locks("bert", "10.0.0.9", kT0 + 510).longest() == 0);
  // The lock runs out; the next wrong password locks for 2 s, the next for 4 s …
  CHECK(t.begin("anna", "10.0.0.9", kT0 + 1'010).refused_ms == 0);
  CHECK(t.locks("anna", "10.0.0.9", kT0 + 1'010).name_ms == 2'000);
  CHECK(t.begin("anna", "10.0.0.9", kT0 + 3'010).refused_ms == 0);
  CHECK(t.locks("anna", "10.0.0.9", kT0 + 3'010).name_ms == 4'000);
  // A right password: afresh, five free ones again.
  const auto right = t.begin("anna", "10.0.0.9", kT0 + 7'010);
  CHECK(right.refused_ms == 0);
  t.succeeded("anna", "10.0.0.9", right);
  CHECK(t.failures("anna", "10.0.0.9") == 0);
  CHECK(fail_n(t, "anna", "10.0.0.9", 5, kT0 + 7'020) == 0);
  CHECK(t.locks("anna", "10.0.0.9", kT0 + 7'020).longest() == 0);
  // The doubling stops at the cap.
  LoginThrottle c;
  TimeMs now = kT0;
  for (int i = 0; i < 30; ++i) {
    now += LoginLimits{}.max_lock_ms + 1;  // each after the previous lock ran out
    CHECK(c.begin("bert", "10.0.0.7", now).refused_ms == 0);
  }
  CHECK(c.locks("bert", "10.0.0.7", now).name_ms == LoginLimits{}.max_lock_ms);
}

TEST_CASE("parallel guesses stop as soon as one too many has begun", "[security][throttle]") {
  LoginThrottle t;
  // Thirty guesses arrive together, none has been answered yet: five pass, the sixth begins and
  // locks, the other 24 are refused without a check.
  int checked = 0;
  LoginThrottle::Begun third;
  for (int i = 0; i < 30; ++i) {
    const auto begun = t.begin("anna", "10.0.0.9", kT0);
    checked += begun.refused_ms == 0 ? 1 : 0;
    third = i == 2 ? begun : third;
  }
  CHECK(checked == 6);
  // The right password among the first six clears the name.
  t.succeeded("anna", "10.0.0.9", third);
  CHECK(t.locks("anna", "10.0.0.9", kT0).longest() == 0);
}

TEST_CASE("an address failing over many names is locked for all of them", "[security][throttle]") {
  LoginThrottle t;
  const int free = LoginThrottle::kAddressFactor * LoginLimits{}.free_failures;
  for (int i = 0; i < free; ++i) {
    CHECK(t.begin("name-" + std::to_string(i), "10.0.0.9", kT0).refused_ms == 0);
  }
  CHECK(t.locks("x", "10.0.0.9", kT0).address_ms == 0);
  CHECK(t.begin("one-more", "10.0.0.9", kT0).refused_ms == 0);
  CHECK(t.locks("anyone", "10.0.0.9", kT0).address_ms == 1'000);
  CHECK(t.begin("anyone", "10.0.0.9", kT0 + 1).refused_ms == 999);
  CHECK(t.locks("anyone", "10.0.0.1", kT0 + 1).longest() == 0);  // other addresses are not
  // A right password from that address undoes only its own presumed failure, and the lock that
  // failure alone set.
  LoginThrottle u;
  for (int i = 0; i < free; ++i) {
    (void)u.begin("name-" + std::to_string(i), "10.0.0.9", kT0);
  }
  const auto carla = u.begin("carla", "10.0.0.9", kT0);  // presumed the 21st: locks the address …
  CHECK(carla.address_lock_ms == 1'000);
  u.succeeded("carla", "10.0.0.9", carla);  // … but it was her right password
  CHECK(u.address_failures("10.0.0.9") == free);
  CHECK(u.locks("carla", "10.0.0.9", kT0).longest() == 0);
}

TEST_CASE("a check that tested no password takes back its presumed failure and its lock",
          "[security][throttle]") {
  LoginThrottle t;
  CHECK(fail_n(t, "anna", "10.0.0.9", 5, kT0) == 0);
  const auto sixth = t.begin("anna", "10.0.0.9", kT0);  // presumed the sixth: locks …
  CHECK(sixth.name_lock_ms == 1'000);
  t.abandoned("anna", "10.0.0.9", sixth);  // … but the store could not be read: nothing tested
  CHECK(t.failures("anna", "10.0.0.9") == 5);
  CHECK(t.address_failures("10.0.0.9") == 5);
  CHECK(t.locks("anna", "10.0.0.9", kT0).longest() == 0);
  // Past the free ones, after a lock ran out: the lock an abandoned check set goes, and the
  // one before it (run out) is what is left.
  CHECK(t.begin("anna", "10.0.0.9", kT0).name_lock_ms == 1'000);  // a real sixth
  const auto seventh = t.begin("anna", "10.0.0.9", kT0 + 1'000);  // would lock for 2 s
  CHECK(seventh.name_lock_ms == 2'000);
  t.abandoned("anna", "10.0.0.9", seventh);
  CHECK(t.locks("anna", "10.0.0.9", kT0 + 1'000).longest() == 0);
  CHECK(t.failures("anna", "10.0.0.9") == 6);
  // The next real wrong password locks for 2 s, as if the abandoned one had never been.
  CHECK(t.begin("anna", "10.0.0.9", kT0 + 1'000).name_lock_ms == 2'000);
  // A count a concurrent check changed meanwhile loses only the one failure; the lock the other
  // check set stays while the count is past the free ones.
  LoginThrottle c;
  CHECK(fail_n(c, "bert", "10.0.0.7", 5, kT0) == 0);
  const auto first = c.begin("bert", "10.0.0.7", kT0);  // the sixth: locks for 1 s
  CHECK(first.name_lock_ms == 1'000);
  CHECK(c.begin("bert", "10.0.0.7", kT0 + 1'000).name_lock_ms == 2'000);  // the seventh
  c.abandoned("bert", "10.0.0.7", first);
  CHECK(c.failures("bert", "10.0.0.7") == 6);
  CHECK(c.locks("bert", "10.0.0.7", kT0 + 1'000).name_ms == 2'000);
  // An entry the abandoned check made goes again; another name's count is not touched.
  LoginThrottle n;
  const auto only = n.begin("carla", "10.0.0.8", kT0);
  (void)n.begin("dirk", "10.0.0.6", kT0);
  n.abandoned("carla", "10.0.0.8", only);
  CHECK(n.failures("carla", "10.0.0.8") == 0);
  CHECK(n.address_failures("10.0.0.8") == 0);
  CHECK(n.failures("dirk", "10.0.0.6") == 1);
}

TEST_CASE("an IPv6 client's address count is kept by its /64, a name's by the full address",
          "[security][throttle]") {
  CHECK(LoginThrottle::address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
  CHECK(LoginThrottle::address_key("2001:db8:1:2::7") == "2001:db8:1:2::/64");
  CHECK(LoginThrottle::address_key("2001:db8:1:3::7") == "2001:db8:1:3::/64");
  CHECK(LoginThrottle::address_key("fe80::1:2:3:4%eth0") == "fe80::/64");  // the zone dropped
  CHECK(LoginThrottle::address_key("::ffff:10.0.0.9") == "10.0.0.9");
  CHECK(LoginThrottle::address_key("10.0.0.9") == "10.0.0.9");
  CHECK(LoginThrottle::address_key("not:an address") == "not:an address");  // as given
  CHECK(LoginThrottle::address_key("") == "");
  // A guesser moving through the addresses of its /64 fills one address count …
  LoginThrottle t;
  const int free = LoginThrottle::kAddressFactor * LoginLimits{}.free_failures;
  for (int i = 0; i < free; ++i) {
    const auto begun = t.begin("name-" + std::to_string(i), "2001:db8:1:2::" + std::to_string(i),
                               kT0);
    CHECK(begun.refused_ms == 0);
  }
  CHECK(t.begin("one-more", "2001:db8:1:2:ffff::1", kT0).address_lock_ms == 1'000);
  CHECK(t.locks("anyone", "2001:db8:1:2::abcd", kT0).address_ms == 1'000);
  CHECK(t.locks("anyone", "2001:db8:1:3::1", kT0).longest() == 0);  // the next /64 is not
  // … while a name's count stays per full address: a neighbour on the same /64 cannot lock a
  // centralist out at her own desk.
  LoginThrottle u;
  CHECK(fail_n(u, "anna", "2001:db8:1:2::66", 6, kT0) == 0);
  CHECK(u.locks("anna", "2001:db8:1:2::66", kT0).name_ms == 1'000);
  CHECK(u.locks("anna", "2001:db8:1:2::5", kT0).longest() == 0);
}

TEST_CASE("an address's failures drain away, one every five minutes", "[security][throttle]") {
  LoginThrottle t;
  const int free = LoginThrottle::kAddressFactor * LoginLimits{}.free_failures;
  for (int i = 0; i < free; ++i) {
    (void)t.begin("typo-" + std::to_string(i), "10.0.0.9", kT0);
  }
  CHECK(t.address_failures("10.0.0.9") == free);
  // Half an hour later six are forgiven: the next wrong password is not one too many.
  const auto later = t.begin("typo", "10.0.0.9", kT0 + 6 * LoginThrottle::kAddressDrainMs);
  CHECK(later.address_lock_ms == 0);
  CHECK(t.address_failures("10.0.0.9") == free - 6 + 1);
}

TEST_CASE("an admin's new password clears a name from every address, a quiet day forgets it",
          "[security][throttle]") {
  LoginThrottle t{LoginLimits{.free_failures = 2, .first_lock_ms = 60'000, .max_lock_ms = 600'000}};
  (void)fail_n(t, "anna", "10.0.0.8", 3, kT0);
  (void)fail_n(t, "anna", "10.0.0.9", 3, kT0);
  CHECK(t.locks("anna", "10.0.0.8", kT0).name_ms == 60'000);  // the configured first lock
  t.clear_name("anna");
  CHECK(t.locks("anna", "10.0.0.8", kT0).longest() == 0);
  CHECK(t.locks("anna", "10.0.0.9", kT0).longest() == 0);
  CHECK(t.failures("anna", "10.0.0.9") == 0);
  (void)fail_n(t, "bert", "10.0.0.7", 2, kT0);
  CHECK(t.failures("bert", "10.0.0.7") == 2);
  (void)t.begin("bert", "10.0.0.7", kT0 + LoginThrottle::kForgetAfterMs + 1);
  CHECK(t.failures("bert", "10.0.0.7") == 1);  // afresh after a day
}

TEST_CASE("the password checks of everyone are paced: a burst, then one per tenth of a second",
          "[security][throttle]") {
  LoginThrottle t;
  const auto t0 = aware::core::Pace::Clock::time_point{} + std::chrono::hours(1);
  for (std::uint32_t i = 0; i < LoginThrottle::kCheckBurst; ++i) {
    CHECK(t.take_check(t0));
  }
  CHECK_FALSE(t.take_check(t0));
  const auto next = t0 + std::chrono::milliseconds(1000 / LoginThrottle::kChecksPerSecond);
  CHECK(t.take_check(next));
  CHECK_FALSE(t.take_check(next));
}

TEST_CASE("a full table forgets what is not locked now, never a locked entry",
          "[security][throttle]") {
  LoginThrottle t{LoginLimits{.free_failures = 1, .first_lock_ms = 1'000, .max_lock_ms = 1'000}};
  // Every place taken by a name locked (from its own address, so no address lock) from kT0.
  for (std::size_t i = 0; i < LoginThrottle::kMaxEntries; ++i) {
    (void)fail_n(t, "guess-" + std::to_string(i), "10.1." + std::to_string(i), 2, kT0);
  }
  REQUIRE(t.locks("guess-0", "10.1.0", kT0).name_ms == 1'000);
  // A new name finds no room while they are locked (not counted; the locked ones stay) …
  (void)t.begin("new", "10.2.0", kT0 + 10);
  CHECK(t.failures("new", "10.2.0") == 0);
  CHECK(t.locks("guess-0", "10.1.0", kT0 + 10).name_ms == 990);
  // … and once their locks ran out, they make room.
  (void)t.begin("new", "10.2.0", kT0 + 1'000);
  CHECK(t.failures("new", "10.2.0") == 1);
  CHECK(t.failures("guess-0", "10.1.0") == 0);
}
