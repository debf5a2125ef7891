// login_throttle.cpp — see login_throttle.hpp.
#include "core/login_throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <iterator>

namespace aware::core {
namespace {

TimeMs remaining(TimeMs locked_until, TimeMs now) {
  return locked_until > now ? locked_until - now : 0;
}

}  // namespace

std::string LoginThrottle::address_key(std::string_view address) {
  std::string text(address.substr(0, address.find('%')));  // without a zone
  std::array<unsigned char, 16> bytes{};
  const bool v6 = text.find(':') != std::string::npos &&
                  ::inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1;
  if (!v6) {
    return std::string(address);
  }
  constexpr std::array<unsigned char, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  std::array<char, INET6_ADDRSTRLEN> out{};
  if (std::equal(kMapped.begin(), kMapped.end(), bytes.begin())) {  // ::ffff:a.b.c.d
    return ::inet_ntop(AF_INET, bytes.data() + 12, out.data(), out.size()) != nullptr
               ? std::string(out.data())
               : std::string(address);
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);  // the interface half: the host's own choice
  if (::inet_ntop(AF_INET6, bytes.data(), out.data(), out.size()) == nullptr) {
    return std::string(address);
  }
  return std::string(out.data()) + "/64";
}

LoginThrottle::LoginThrottle(LoginLimits limits)
    : limits_{limits}, pace_{kChecksPerSecond, kCheckBurst} {}

LoginThrottle::Locks LoginThrottle::locks(std::string_view name, std::string_view address,
                                          TimeMs now) const {
  Locks l;
  if (const auto n = names_.find({std::string(name), std::string(address)}); n != names_.end()) {
    l.name_ms = remaining(n->second.locked_until, now);
  }
  if (const auto a = addresses_.find(address_key(address)); a != addresses_.end()) {
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
  const std::pair<std::string, std::string> name_key{name, address};
  const bool name_known = names_.contains(name_key);
  if (auto* e = room_for(names_, name_key, now)) {
    b.name_before = name_known ? std::optional<Count>{*e} : std::nullopt;
    b.name_lock_ms = fail(*e, limits_.free_failures, 0, now);
    b.name_failures = e->failures;
    b.name_after = *e;
  }
  const auto address_key_text = address_key(address);
  const bool address_known = addresses_.contains(address_key_text);
  if (auto* e = room_for(addresses_, address_key_text, now)) {
    b.address_before = address_known ? std::optional<Count>{*e} : std::nullopt;
    b.address_lock_ms = fail(*e, kAddressFactor * limits_.free_failures, kAddressDrainMs, now);
    b.address_failures = e->failures;
    b.address_after = *e;
  }
  return b;
}

void LoginThrottle::succeeded(std::string_view name, std::string_view address,
                              const Begun& begun) {
  names_.erase({std::string(name), std::string(address)});
  take_back(addresses_, address_key(address), begun.address_before, begun.address_after,
            kAddressFactor * limits_.free_failures);
}

void LoginThrottle::abandoned(std::string_view name, std::string_view address,
                              const Begun& begun) {
  take_back(names_, {std::string(name), std::string(address)}, begun.name_before,
            begun.name_after, limits_.free_failures);
  take_back(addresses_, address_key(address), begun.address_before, begun.address_after,
            kAddressFactor * limits_.free_failures);
}

template <class Map>
void LoginThrottle::take_back(Map& map, const typename Map::key_type& key,
                              const std::optional<Count>& before,
                              const std::optional<Count>& after, int free) {
  const auto it = map.find(key);
  if (!after || it == map.end()) {
    return;  // never counted (no room), or forgotten since
  }
  auto& e = it->second;
  if (e == *after) {  // untouched since: as it was
    if (before) {
      e = *before;
    } else {
      map.erase(it);
    }
    return;
  }
  e.failures = std::max(0, e.failures - 1);  // others counted since: only the one failure
  if (e.failures <= free) {
    e.locked_until = 0;
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
  const auto it = addresses_.find(address_key(address));
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
