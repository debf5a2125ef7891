// supervision.cpp — see supervision.hpp.
#include "core/supervision.hpp"

#include <cmath>

namespace aware::core {
namespace {

std::string minutes(TimeMs ms) { return std::to_string((ms + 30'000) / 60'000) + " min"; }

// Opens or resolves one battery alert; `open` is the device's flag for that kind.
void battery_rule(std::vector<HealthChange>& out, bool& open, std::string_view kind,
                  std::uint32_t threshold, std::uint32_t pct, TimeMs now,
                  const SupervisionRules& rules) {
  if (!open && pct < threshold) {
    open = true;
    out.push_back({kind, true, now,
                   "batterij " + std::to_string(pct) + " % (onder " + std::to_string(threshold) +
                       " %): laat de cliënt het apparaat opladen"});
  } else if (open && pct >= threshold + rules.battery_hysteresis) {
    open = false;
    out.push_back({kind, false, now, "batterij weer " + std::to_string(pct) + " %"});
  }
}

}  // namespace

void SilenceWatch::set(const std::string& device_id, TimeMs due) {
  forget(device_id);
  due_.emplace(device_id, due);
  order_.emplace(due, device_id);
}

void SilenceWatch::forget(const std::string& device_id) {
  if (auto it = due_.find(device_id); it != due_.end()) {
    order_.erase({it->second, device_id});
    due_.erase(it);
  }
}

std::optional<TimeMs> SilenceWatch::next_due() const {
  if (order_.empty()) {
    return std::nullopt;
  }
  return order_.begin()->first;
}

std::vector<std::string> SilenceWatch::take_due(TimeMs now) {
  std::vector<std::string> out;
  while (!order_.empty() && order_.begin()->first < now) {
    out.push_back(order_.begin()->second);
    due_.erase(order_.begin()->second);
    order_.erase(order_.begin());
  }
  return out;
}

TimeMs lost_deadline(const DeviceHealth& h, const SupervisionRules& rules) {
  const TimeMs interval = h.interval_ms > 0 ? h.interval_ms : rules.default_interval_ms;
  const auto grace = static_cast<TimeMs>(std::llround(static_cast<double>(interval) * rules.grace_factor));
  return h.last_heard_ms + interval + grace + rules.grace_fixed_ms;
}

std::vector<HealthChange> on_message(DeviceHealth& h, TimeMs now,
                                     std::optional<std::uint32_t> battery_pct,
                                     const SupervisionRules& rules) {
  std::vector<HealthChange> out;
  if (h.lost_open) {
    h.lost_open = false;
    out.push_back({alert_kind::connection_lost, false, now,
                   "hersteld: weer verbinding na " + minutes(now - h.last_heard_ms)});
  }
  h.last_heard_ms = std::max(h.last_heard_ms, now);
  if (battery_pct) {
    battery_rule(out, h.low_open, alert_kind::battery_low, rules.battery_low, *battery_pct, now,
                 rules);
    battery_rule(out, h.critical_open, alert_kind::battery_critical, rules.battery_critical,
                 *battery_pct, now, rules);
  }
  return out;
}

std::optional<HealthChange> on_silence(DeviceHealth& h, TimeMs now,
                                       const SupervisionRules& rules) {
  const TimeMs deadline = lost_deadline(h, rules);
  if (h.lost_open || now <= deadline) {
    return std::nullopt;
  }
  h.lost_open = true;
  return HealthChange{alert_kind::connection_lost, true, deadline,
                      "verbinding verloren: niets gehoord sinds " +
                          minutes(now - h.last_heard_ms) + " (interval " +
                          minutes(h.interval_ms > 0 ? h.interval_ms : rules.default_interval_ms) +
                          ")"};
}

}  // namespace aware::core
