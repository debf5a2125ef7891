// digits.hpp — the values of hex and decimal digits in text, for the hand-written parsers that
// read them (registry dates, feed query escapes, DC-09 frames and keys). Pure, header-only.
#pragma once

#include <string_view>

namespace aware::core {

// The value of one hex digit (either case), or -1 when `c` is not one.
constexpr int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// The value of `text` when it is all decimal digits (at most 9, so it fits an int), else -1.
constexpr int decimal_digits(std::string_view text) {
  if (text.empty() || text.size() > 9) {
    return -1;
  }
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace aware::core
