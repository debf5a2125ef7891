// login_throttle.hpp — guessing passwords made slow (issue 6's logins, hardened). Two limits on
// the password checks of POST /api/v1/login and POST /api/v1/password:
//   - per user name: the first kFreeFailures failed checks in a row cost nothing extra; each
//     further one locks the name for a delay that doubles (1 s, 2 s, 4 s … at most 15 min).
//     While locked, an attempt is refused at once — even with the right password — without a
//     check. A success clears the name. Unknown names are counted like known ones (the answer
//     must not tell them apart).
//   - for everyone together: at most kChecksPerSecond checks a second on average (bursts of
//     kCheckBurst), so a flood of guesses over many names keeps argon2id — one check is tens of
//     milliseconds of a core — from taking the CPU that the alarms need.
// The counts live in memory (a restart clears them) and at most kMaxNames names are tracked; when
// that many are, the ones whose lock has run out are forgotten first, and a name that finds no
// room is not counted (the global pace still bounds it).
// Pure: the caller passes the time. THREAD SAFETY: none (the network thread owns it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/pace.hpp"
#include "core/types.hpp"

namespace aware::core {

class LoginThrottle {
 public:
  static constexpr int kFreeFailures = 5;
  static constexpr TimeMs kFirstLockMs = 1'000;
  static constexpr TimeMs kMaxLockMs = 15 * 60 * 1'000;
  static constexpr std::uint32_t kChecksPerSecond = 10;
  static constexpr std::uint32_t kCheckBurst = 30;
  static constexpr std::size_t kMaxNames = 10'000;

  LoginThrottle();

  // How long `name` must wait at `now` before its password may be checked (0: now).
  [[nodiscard]] TimeMs locked_for(std::string_view name, TimeMs now) const;
  // Takes a turn of the global pace at `now` (steady clock): true when a check may run now.
  [[nodiscard]] bool take_check(Pace::Clock::time_point now);
  // A failed check of `name` at `now`; returns the lock it now has (0: none yet).
  TimeMs failed(std::string_view name, TimeMs now);
  // A successful check: the name starts afresh.
  void succeeded(std::string_view name);
  // Failures counted for `name` (tests, logs).
  [[nodiscard]] int failures(std::string_view name) const;

 private:
  struct Entry {
    int failures = 0;
    TimeMs locked_until = 0;
  };
  void make_room(TimeMs now);

  std::unordered_map<std::string, Entry> names_;
  Pace pace_;
};

}  // namespace aware::core
