// dc09_support.hpp — helpers shared by the dc09 unit tests: frame bodies from messages, a
// deterministic random source, UTC times from calendar values, and test keys.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/time_text.hpp"
#include "dc09/crypto.hpp"
#include "dc09/frame.hpp"

namespace dc09_test {

// The body (between LF and CR) of a correctly framed `message` under `quirks`.
inline std::string body_of(std::string_view message, const aware::dc09::Quirks& quirks = {}) {
  const std::string framed = aware::dc09::encode_frame(message, quirks);
  return framed.substr(1, framed.size() - 2);
}

// Fills with 0, 1, 2, ... (mod 256), continuing across calls: deterministic "random" pad.
struct CountingRandom {
  std::uint8_t next = 0;
  void operator()(std::span<std::uint8_t> out) {
    for (auto& b : out) {
      b = next++;
    }
  }
};

// Milliseconds since the epoch of a UTC calendar time.
inline aware::core::TimeMs utc_ms(std::string_view iso_date, int h, int m, int s) {
  const auto days = aware::core::iso_date_days(iso_date);
  return ((days.value_or(0) * 24 + h) * 60 + m) * 60'000LL + s * 1000LL;
}

inline aware::dc09::Key key_of(std::string_view hex) {
  return aware::dc09::make_key(hex, aware::dc09::KeyFormat::hex).value();
}

inline constexpr std::string_view kKey128 = "ABCDABCDABCDABCDABCDABCDABCDABCD";

}  // namespace dc09_test
