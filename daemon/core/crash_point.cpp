// crash_point.cpp — see crash_point.hpp.
#include "core/crash_point.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>

namespace aware::core {

void crash_point(std::string_view point) {
  static const std::string armed = [] {
    const char* v = std::getenv("AWARED_CRASH_AT");
    return std::string(v != nullptr ? v : "");
  }();
  // AWARED_CRASH_SKIP=N: pass the point N times, die at the next (a crash under load).
  static std::atomic<long long> passes_left = [] {
    const char* v = std::getenv("AWARED_CRASH_SKIP");
    return v != nullptr ? std::strtoll(v, nullptr, 10) : 0LL;
  }();
  if (!armed.empty() && armed == point && passes_left.fetch_sub(1) <= 0) {
    std::raise(SIGKILL);
  }
}

bool skip_console_seq(std::uint64_t seq) {
  static std::atomic<std::uint64_t> armed = [] {
    const char* v = std::getenv("AWARED_TEST_SKIP_SEQ");
    return v != nullptr ? std::strtoull(v, nullptr, 10) : 0ULL;
  }();
  if (seq == 0) {
    return false;
  }
  std::uint64_t expected = seq;
  return armed.compare_exchange_strong(expected, 0);  // only once
}

}  // namespace aware::core
