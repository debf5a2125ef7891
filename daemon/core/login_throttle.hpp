// login_throttle.hpp — guessing passwords made slow (issue 6's logins, hardened). Limits on the
// password checks of POST /api/v1/login and POST /api/v1/password:
//   - per user name and client address: the first `free_failures` wrong passwords in a row cost
//     nothing extra; each further one locks that name, from that address, for a delay that
//     doubles (first_lock, 2 × first_lock … at most max_lock). While locked, an attempt is
//     refused at once — even with the right password — without a check. Keyed by the address
//     too, so a guesser elsewhere cannot lock a centralist out at her own desk.
//   - per client address (an IPv6 client by its /64: address_key()), over all names: more
//     than 4 × free_failures wrong passwords, one of them forgiven every kAddressDrainMs, lock
//     the address the same way (one guesser trying many names); a desk's occasional typos
//     drain away instead of adding up over days.
//   - for everyone together: at most kChecksPerSecond checks a second on average (bursts of
//     kCheckBurst), so a flood of guesses from many addresses keeps argon2id — one check is tens
//     of milliseconds of a core — from taking the CPU that the alarms need.
// A check is counted as failed when it begins (begin()) and cleared if it succeeds (taken back
// if it tested no password after all), so parallel guesses cannot all pass before the first one
// fails; begin() says which lock that count set, so the caller logs it once, from the check
// that caused it. Unknown names are counted like known ones (the answers must not tell them
// apart). A count starts afresh a day after its last failure;
// an admin's new password for a user clears her name (clear_name()). The counts live in memory
// (a restart clears them); at most kMaxEntries of each kind are kept, and when that many are,
// the ones not locked now are forgotten first.
// Pure: the caller passes a monotonic time in ms. THREAD SAFETY: none (the network thread owns
// it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/pace.hpp"
#include "core/types.hpp"

namespace aware::core {

// [security] login_free_failures, login_lock_s, login_lock_max_s.
struct LoginLimits {
  int free_failures = 5;
  TimeMs first_lock_ms = 1'000;
  TimeMs max_lock_ms = 15 * 60 * 1'000;
  bool operator==(const LoginLimits&) const = default;
};

class LoginThrottle {
 public:
  static constexpr std::uint32_t kChecksPerSecond = 10;
  static constexpr std::uint32_t kCheckBurst = 30;
  static constexpr std::size_t kMaxEntries = 10'000;
  static constexpr TimeMs kForgetAfterMs = 24 * 3600 * 1'000;
  static constexpr int kAddressFactor = 4;  // an address may fail this many times a name's count
  static constexpr TimeMs kAddressDrainMs = 5 * 60 * 1'000;  // an address's failure forgiven

  explicit LoginThrottle(LoginLimits limits = {});

  // What an address's own count (over all names) is kept under: an IPv4 address as it is; an
  // IPv6 address by its /64 ("2001:db8:1:2::/64"), as one host commonly has a whole /64 to pick
  // addresses from and could otherwise start afresh with each (so all desks on one IPv6 /64
  // share that count, as desks behind one NAT do). A zone ("%eth0") is dropped and an
  // IPv4-mapped address counts as its IPv4 address. A name's count is kept per full address.
  [[nodiscard]] static std::string address_key(std::string_view address);

  // The locks in force at `now` (0: none).
  struct Locks {
    TimeMs name_ms = 0;     // the name, from this address
    TimeMs address_ms = 0;  // the address, for any name
    [[nodiscard]] TimeMs longest() const { return name_ms > address_ms ? name_ms : address_ms; }
  };
  [[nodiscard]] Locks locks(std::string_view name, std::string_view address, TimeMs now) const;

  // A count: wrong passwords in a row, the last one's time, and the lock it set.
  struct Count {
    int failures = 0;
    TimeMs last_ms = 0;
    TimeMs locked_until = 0;
    bool operator==(const Count&) const = default;
  };
  // What begin() did.
  struct Begun {
    TimeMs refused_ms = 0;       // > 0: locked for this long; nothing counted, no check
    TimeMs name_lock_ms = 0;     // the lock this check's presumed failure set on the name …
    TimeMs address_lock_ms = 0;  // … and on the address (0: none)
    int name_failures = 0;       // the counts after it
    int address_failures = 0;
    // Each count as it was before the presumed failure and right after it (nullopt: there was
    // none, or no room for it), so that it can be taken back exactly.
    std::optional<Count> name_before, name_after, address_before, address_after;
  };
  // Before a password check: when `name` from `address` or `address` is locked, refuses
  // (refused_ms) and counts nothing; else counts the check as a failure (locking when it is one
  // too many): check now, and call succeeded() if the password is right.
  Begun begin(std::string_view name, std::string_view address, TimeMs now);
  // The check succeeded: the name starts afresh from that address, and the address's count
  // loses the failure `begun` presumed.
  void succeeded(std::string_view name, std::string_view address, const Begun& begun);
  // The check tested no password after all (the store could not be read, or the user went away
  // meanwhile): the failure `begun` presumed is taken back from the name and the address, with
  // the lock it set. A count no other check has touched since is put back as it was; one that
  // changed meanwhile loses one failure, and its lock when no longer past the free ones.
  void abandoned(std::string_view name, std::string_view address, const Begun& begun);
  // An admin set a new password for `name`: its counts and locks, from every address, go.
  void clear_name(std::string_view name);
  // Takes a turn of the global pace at `now` (steady clock): true when a check may run now.
  [[nodiscard]] bool take_check(Pace::Clock::time_point now);
  // Wrong passwords counted in a row for `name` from `address`, and for `address` (for tests).
  [[nodiscard]] int failures(std::string_view name, std::string_view address) const;
  [[nodiscard]] int address_failures(std::string_view address) const;

 private:
  using Entry = Count;
  // Counts one failure on `e` at `now` — after forgetting them all if the last was a day ago,
  // else one per `drain_ms` since it (0: none) — locking it when more than `free`; returns the
  // lock set (0: none).
  TimeMs fail(Entry& e, int free, TimeMs drain_ms, TimeMs now) const;
  // Takes back the presumed failure that turned `before` into `after` from the entry `key`.
  template <class Map>
  static void take_back(Map& map, const typename Map::key_type& key,
                        const std::optional<Count>& before, const std::optional<Count>& after,
                        int free);
  template <class Map>
  static Entry* room_for(Map& map, const typename Map::key_type& key, TimeMs now);

  LoginLimits limits_;
  std::map<std::pair<std::string, std::string>, Entry> names_;  // (name, address)
  std::unordered_map<std::string, Entry> addresses_;
  Pace pace_;
};

}  // namespace aware::core
