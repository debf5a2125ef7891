// login_throttle.cpp — see login_throttle.hpp.
#include "core/login_throttle.hpp"

#include <algorithm>
#include <iterator>

namespace aware::core {
namespace {

TimeMs remaining(TimeMs locked_until, TimeMs now) {
  return locked_until > now ? locked_until - now : 0;
}

}  // namespace

LoginThrottle::LoginThrottle(LoginLimits limits)
    : limits_{limits}, pace_{kChecksPerSecond, kCheckBurst} {}

LoginThrottle::Locks LoginThrottle::locks(std::string_view name, std::string_view address,
                                          TimeMs now) const {
  Locks l;
  if (const auto n = names_.find({std::string(name), std::string(address)}); n != names_.end()) {
    l.name_ms = remaining(n->second.locked_until, now);
  }
  if (const auto a = addresses_.find(std::string(address)); a != addresses_.end()) {
    l.address_ms = remaining(a->second.locked_until, now);
  }
  return l;
}

LoginThrottle::Begun LoginThrottle::begin(std::string_view name, std::string_view address,
                                          TimeMs now) {
  Begun b;
  b.refused_ms = locks(name, address, now).longest();
  if (b.refused_ms > 0) {
    return b;
  }
  if (auto* e = room_for(names_, {std::string(name), std::string(address)}, now)) {
    b.name_lock_ms = fail(*e, limits_.free_failures, 0, now);
    b.name_failures = e->failures;
  }
  if (auto* e = room_for(addresses_, std::string(address), now)) {
    b.address_lock_ms = fail(*e, kAddressFactor * limits_.free_failures, kAddressDrainMs, now);
    b.address_failures = e->failures;
  }
  return b;
}

void LoginThrottle::succeeded(std::string_view name, std::string_view address) {
  names_.erase({std::string(name), std::string(address)});
  if (const auto a = addresses_.find(std::string(address)); a != addresses_.end()) {
    auto& e = a->second;
    e.failures = std::max(0, e.failures - 1);  // the presumed failure
    if (e.failures <= kAddressFactor * limits_.free_failures) {
      e.locked_until = 0;  // a lock only that presumed failure set
    }
  }
}

void LoginThrottle::clear_name(std::string_view name) {
  auto it = names_.lower_bound({std::string(name), std::string{}});
  while (it != names_.end() && it->first.first == name) {
    it = names_.erase(it);
  }
}

bool LoginThrottle::take_check(Pace::Clock::time_point now) {
  return pace_.take(now) == Pace::Clock::duration::zero();
}

int LoginThrottle::failures(std::string_view name, std::string_view address) const {
  const auto it = names_.find({std::string(name), std::string(address)});
  return it == names_.end() ? 0 : it->second.failures;
}

int LoginThrottle::address_failures(std::string_view address) const {
  const auto it = addresses_.find(std::string(address));
  return it == addresses_.end() ? 0 : it->second.failures;
}

TimeMs LoginThrottle::fail(Entry& e, int free, TimeMs drain_ms, TimeMs now) const {
  if (e.failures > 0 && now > e.last_ms) {
    const auto quiet = now - e.last_ms;
    if (quiet > kForgetAfterMs) {
      e.failures = 0;  // a quiet day: afresh
    } else if (drain_ms > 0) {
      // One failure forgiven per drain_ms since the last one.
      e.failures = static_cast<int>(std::max<TimeMs>(0, e.failures - quiet / drain_ms));
    }
  }
  ++e.failures;
  e.last_ms = now;
  if (e.failures <= free) {
    return 0;
  }
  // The first failure past the free ones locks for first_lock, each further one twice as long.
  TimeMs lock = limits_.first_lock_ms;
  for (int i = free + 1; i < e.failures && lock < limits_.max_lock_ms; ++i) {
    lock *= 2;
  }
  lock = std::min(lock, limits_.max_lock_ms);
  e.locked_until = now + lock;
  return lock;
}

template <class Map>
LoginThrottle::Entry* LoginThrottle::room_for(Map& map, const typename Map::key_type& key,
                                              TimeMs now) {
  if (const auto it = map.find(key); it != map.end()) {
    return &it->second;
  }
  if (map.size() >= kMaxEntries) {
    // Forget what is not locked now; a guesser cannot clear a lock by trying many names.
    for (auto it = map.begin(); it != map.end();) {
      it = it->second.locked_until <= now ? map.erase(it) : std::next(it);
    }
    if (map.size() >= kMaxEntries) {
      return nullptr;  // no room: not counted (the global pace still bounds the checks)
    }
  }
  return &map.emplace(key, Entry{}).first->second;
}

}  // namespace aware::core
