// time_text.cpp — see time_text.hpp.
#include "core/time_text.hpp"

#include "core/digits.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace aware::core {
namespace {

std::tm utc(TimeMs ms) {
  const auto secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

struct Ymd {
  int y = 0;
  int m = 0;
  int d = 0;
};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_days(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

std::optional<Ymd> parse_ymd(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return std::nullopt;
  }
  auto num = [&](std::size_t at, std::size_t len) { return decimal_digits(s.substr(at, len)); };
  Ymd out{num(0, 4), num(5, 2), num(8, 2)};
  if (out.y < 1 || out.m < 1 || out.m > 12 || out.d < 1 || out.d > month_days(out.y, out.m)) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> iso_date_days(std::string_view date) {
  const auto ymd = parse_ymd(date);
  if (!ymd) {
    return std::nullopt;
  }
  // Days from civil (proleptic Gregorian), as in Howard Hinnant's well-known derivation.
  const int y = ymd->y - (ymd->m <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = ymd->m + (ymd->m > 2 ? -3 : 9);
  const int doy = (153 * mp + 2) / 5 + ymd->d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

std::optional<std::string> add_months(std::string_view date, int months) {
  const auto ymd = parse_ymd(date);
  if (!ymd) {
    return std::nullopt;
  }
  const int total = ymd->y * 12 + (ymd->m - 1) + months;
  const int y = total / 12;
  const int m = total % 12 + 1;
  const int d = std::min(ymd->d, month_days(y, m));
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
  return std::string(text);
}

std::string iso_utc(TimeMs ms) {
  const auto tm = utc(ms);
  char text[40];
  const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms % 1000));
  return std::string(text, n) + frac;
}

std::string iso_date_utc(TimeMs ms) {
  const auto tm = utc(ms);
  char text[16];
  const auto n = std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return std::string(text, n);
}

}  // namespace aware::core
