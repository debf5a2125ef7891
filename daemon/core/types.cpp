// types.cpp — text forms of the domain enums and incident labels.
#include "core/types.hpp"

#include <charconv>
#include <cstdio>

namespace aware::core {

std::string_view to_string(FixSource v) {
  switch (v) {
    case FixSource::gps: return "gps";
    case FixSource::network: return "network";
    case FixSource::none: break;
  }
  return "none";
}

std::string_view to_string(AudioKind v) {
  switch (v) {
    case AudioKind::phone: return "phone";
    case AudioKind::sip: return "sip";
    case AudioKind::stream: return "stream";
    case AudioKind::none: break;
  }
  return "none";
}

std::string_view to_string(Trigger v) {
  switch (v) {
    case Trigger::test: return "test";
    case Trigger::cancel: return "cancel";
    case Trigger::alarm: break;
  }
  return "alarm";
}

std::string_view to_string(IncidentState v) {
  switch (v) {
    case IncidentState::delivered: return "delivered";
    case IncidentState::accepted: return "accepted";
    case IncidentState::closed: return "closed";
    case IncidentState::created: break;
  }
  return "new";
}

std::optional<FixSource> fix_source_from(std::string_view s) {
  for (auto v : {FixSource::none, FixSource::gps, FixSource::network}) {
    if (to_string(v) == s) {
      return v;
    }
  }
  return std::nullopt;
}

std::optional<AudioKind> audio_kind_from(std::string_view s) {
  for (auto v : {AudioKind::none, AudioKind::phone, AudioKind::sip, AudioKind::stream}) {
    if (to_string(v) == s) {
      return v;
    }
  }
  return std::nullopt;
}

std::string incident_label(std::int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "M-%06lld", static_cast<long long>(id));
  return buf;
}

std::optional<std::int64_t> incident_id_from(std::string_view label) {
  if (label.size() < 3 || label.substr(0, 2) != "M-") {
    return std::nullopt;
  }
  std::int64_t id = 0;
  const auto digits = label.substr(2);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc{} || end != digits.data() + digits.size() || id <= 0) {
    return std::nullopt;
  }
  return id;
}

}  // namespace aware::core
