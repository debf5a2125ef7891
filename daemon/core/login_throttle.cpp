// login_throttle.cpp — see login_throttle.hpp.
#include "core/login_throttle.hpp"

#include <algorithm>
#include <iterator>

namespace aware::core {

LoginThrottle::LoginThrottle() : pace_{kChecksPerSecond, kCheckBurst} {}

TimeMs LoginThrottle::locked_for(std::string_view name, TimeMs now) const {
  const auto it = names_.find(std::string(name));
  if (it == names_.end() || it->second.locked_until <= now) {
    return 0;
  }
  return it->second.locked_until - now;
}

bool LoginThrottle::take_check(Pace::Clock::time_point now) {
  return pace_.take(now) == Pace::Clock::duration::zero();
}

TimeMs LoginThrottle::failed(std::string_view name, TimeMs now) {
  auto it = names_.find(std::string(name));
  if (it == names_.end()) {
    if (names_.size() >= kMaxNames) {
      make_room(now);
      if (names_.size() >= kMaxNames) {
        return 0;  // no room: not counted (the global pace still bounds the checks)
      }
    }
    it = names_.emplace(std::string(name), Entry{}).first;
  }
  auto& e = it->second;
  ++e.failures;
  if (e.failures <= kFreeFailures) {
    return 0;
  }
  // The sixth failure locks for 1 s, each further one for twice as long, up to the cap.
  TimeMs lock = kFirstLockMs;
  for (int i = kFreeFailures + 1; i < e.failures && lock < kMaxLockMs; ++i) {
    lock *= 2;
  }
  lock = std::min(lock, kMaxLockMs);
  e.locked_until = now + lock;
  return lock;
}

void LoginThrottle::succeeded(std::string_view name) { names_.erase(std::string(name)); }

int LoginThrottle::failures(std::string_view name) const {
  const auto it = names_.find(std::string(name));
  return it == names_.end() ? 0 : it->second.failures;
}

void LoginThrottle::make_room(TimeMs now) {
  // Names whose lock has run out (or that were never locked) go; locked ones stay, so a guesser
  // cannot clear a lock by trying many other names.
  for (auto it = names_.begin(); it != names_.end();) {
    it = it->second.locked_until <= now ? names_.erase(it) : std::next(it);
  }
}

}  // namespace aware::core
