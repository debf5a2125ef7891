// location.cpp — see location.hpp.
#include "dc09/location.hpp"

#include <cmath>
#include <cstdint>

namespace aware::dc09 {
namespace {

constexpr std::size_t kMaxCoordinateChars = 32;

// An unsigned decimal number "123" or "123.456": its value and how many integer digits it had.
struct Decimal {
  double value = 0;
  std::size_t int_digits = 0;
  bool has_point = false;
};

std::optional<Decimal> read_decimal(std::string_view s) {
  Decimal d;
  double scale = 0.1;
  bool any = false;
  for (const char c : s) {
    if (c == '.' && !d.has_point) {
      d.has_point = true;
    } else if (c >= '0' && c <= '9') {
      any = true;
      if (d.has_point) {
        d.value += (c - '0') * scale;
        scale /= 10;
      } else {
        d.value = d.value * 10 + (c - '0');
        ++d.int_digits;
      }
    } else {
      return std::nullopt;
    }
  }
  if (!any) {
    return std::nullopt;
  }
  return d;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\'')) {
    s.remove_suffix(1);
  }
  return s;
}

// Takes a hemisphere letter off the front or back; returns +1/-1, 0 if none, or 2 if the letter
// belongs to the other axis.
int take_hemisphere(std::string_view& s, Axis axis) {
  const char pos_letter = axis == Axis::latitude ? 'N' : 'E';
  const char neg_letter = axis == Axis::latitude ? 'S' : 'W';
  auto sign_of = [&](char c) {
    if (c == pos_letter || c == pos_letter + 32) {
      return 1;
    }
    if (c == neg_letter || c == neg_letter + 32) {
      return -1;
    }
    const bool other = c == 'N' || c == 'S' || c == 'E' || c == 'W' || c == 'n' || c == 's' ||
                       c == 'e' || c == 'w';
    return other ? 2 : 0;
  };
  if (!s.empty()) {
    if (const int sign = sign_of(s.front()); sign != 0) {
      s.remove_prefix(1);
      return sign;
    }
    if (const int sign = sign_of(s.back()); sign != 0) {
      s.remove_suffix(1);
      return sign;
    }
  }
  return 0;
}

// The separator between degrees and minutes: a space, or the degree sign in Windows-1252 (0xB0)
// or UTF-8 (0xC2 0xB0). Returns where it starts and its length, or npos.
std::pair<std::size_t, std::size_t> find_separator(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    if (b == ' ' || b == 0xB0) {
      return {i, 1};
    }
    if (b == 0xC2 && i + 1 < s.size() && static_cast<std::uint8_t>(s[i + 1]) == 0xB0) {
      return {i, 2};
    }
  }
  return {std::string_view::npos, 0};
}

}  // namespace

std::optional<double> parse_coordinate(std::string_view text, Axis axis) {
  if (text.size() > kMaxCoordinateChars) {
    return std::nullopt;
  }
  std::string_view s = trim(text);
  int sign = take_hemisphere(s, axis);
  if (sign == 2) {
    return std::nullopt;
  }
  const bool hemisphere = sign != 0;
  s = trim(s);
  if (!hemisphere && !s.empty() && (s.front() == '-' || s.front() == '+')) {
    sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  if (sign == 0) {
    sign = 1;
  }
  const double limit = axis == Axis::latitude ? 90.0 : 180.0;
  double degrees = 0;
  if (const auto [at, len] = find_separator(s); at != std::string_view::npos) {
    const auto whole = read_decimal(s.substr(0, at));
    const auto minutes = read_decimal(trim(s.substr(at + len)));
    if (!whole || whole->has_point || !minutes || minutes->value >= 60.0) {
      return std::nullopt;
    }
    degrees = whole->value + minutes->value / 60.0;
  } else {
    const auto d = read_decimal(s);
    if (!d) {
      return std::nullopt;
    }
    const std::size_t packed_digits = axis == Axis::latitude ? 4 : 5;
    if (hemisphere && d->int_digits >= packed_digits) {
      const double whole = std::floor(d->value / 100.0);
      const double minutes = d->value - whole * 100.0;
      if (minutes >= 60.0) {
        return std::nullopt;
      }
      degrees = whole + minutes / 60.0;
    } else if (!d->has_point && d->value > limit) {
      degrees = d->value / 1e6;  // integer micro-degrees
    } else {
      degrees = d->value;
    }
  }
  if (!std::isfinite(degrees) || degrees > limit) {
    return std::nullopt;
  }
  return sign * degrees;
}

Location read_location(std::string_view raw_x, std::string_view raw_y) {
  Location out;
  out.raw_x = std::string(raw_x);
  out.raw_y = std::string(raw_y);
  if (!raw_x.empty()) {
    out.lon = parse_coordinate(raw_x, Axis::longitude);
  }
  if (!raw_y.empty()) {
    out.lat = parse_coordinate(raw_y, Axis::latitude);
  }
  return out;
}

}  // namespace aware::dc09
