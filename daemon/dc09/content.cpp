// content.cpp — see content.hpp.
#include "dc09/content.hpp"

#include <cstdio>
#include <ctime>

#include "core/digits.hpp"
#include "core/time_text.hpp"

namespace aware::dc09 {
std::optional<core::TimeMs> parse_timestamp(std::string_view t) {
  // HH:MM:SS,MM-DD-YYYY
  if (t.size() != 19 || t[2] != ':' || t[5] != ':' || t[8] != ',' || t[11] != '-' ||
      t[14] != '-') {
    return std::nullopt;
  }
  const int hh = core::decimal_digits(t.substr(0, 2));
  const int mi = core::decimal_digits(t.substr(3, 2));
  const int ss = core::decimal_digits(t.substr(6, 2));
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) {
    return std::nullopt;
  }
  // Reuse the core's ISO date check: "YYYY-MM-DD".
  std::string iso;
  iso.append(t.substr(15, 4)).append("-").append(t.substr(9, 2)).append("-").append(
      t.substr(12, 2));
  const auto days = core::iso_date_days(iso);
  if (!days) {
    return std::nullopt;
  }
  return ((*days * 24 + hh) * 60 + mi) * 60'000LL + ss * 1000LL;
}

std::string format_timestamp(core::TimeMs ms) {
  const auto secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char text[32];
  const auto n = std::strftime(text, sizeof text, "%H:%M:%S,%m-%d-%Y", &tm);
  return std::string(text, n);
}

tl::expected<Content, Error> parse_content(std::string_view text) {
  Content out;
  const auto close = text.find(']');
  if (close == std::string_view::npos) {
    return tl::unexpected(Error::bad_data);
  }
  out.data = std::string(text.substr(0, close));
  std::size_t pos = close + 1;
  while (pos < text.size() && text[pos] == '[') {
    const auto end = text.find(']', pos + 1);
    if (end == std::string_view::npos || end == pos + 1 ||
        out.extended.size() >= kMaxExtendedFields) {
      return tl::unexpected(Error::bad_extended_data);
    }
    out.extended.push_back(
        ExtendedField{text[pos + 1], std::string(text.substr(pos + 2, end - pos - 2))});
    pos = end + 1;
  }
  if (pos < text.size() && text[pos] == '_') {
    const std::string_view stamp = text.substr(pos + 1, 19);
    out.timestamp = parse_timestamp(stamp);
    if (!out.timestamp) {
      return tl::unexpected(Error::bad_timestamp);
    }
    out.timestamp_text = std::string(stamp);
    pos += 20;
  }
  if (pos != text.size()) {
    return tl::unexpected(Error::trailing_bytes);
  }
  return out;
}

const ExtendedField* find_extended(const Content& content, char tag) {
  for (const auto& field : content.extended) {
    if (field.tag == tag) {
      return &field;
    }
  }
  return nullptr;
}

}  // namespace aware::dc09
