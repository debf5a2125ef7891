// scenario_expand.cpp — expand() (see scenario.hpp): turns a Scenario into the fleet's events.
//
// Each device is simulated on its own, with its own PRNG stream seeded from the scenario seed
// and the device id (so adding a group does not change the devices of another). First its plan
// is drawn: start charge, home, clock offset, charging nights, offline periods (flapping and
// reconnect storms, merged), GPS-lost periods and the planned presses. Then one walk through
// time produces its events: the battery drains or charges linearly between the moments where
// something happens; at 0 % the device dies (disconnect, then silence) until it is put on the
// charger. On every reconnect it sends a heartbeat at once and then one per interval; presses
// made while offline are sent right after the reconnect, track positions made offline are lost.
// Finally the per-device lists are merged by (time, device id).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "prng.hpp"
#include "scenario.hpp"

namespace aware::sim {

namespace {

constexpr std::int64_t hour_ms = 3600000;
constexpr std::int64_t day_ms = 24 * hour_ms;
constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
constexpr double metres_per_degree = 111320.0;
constexpr double pi = 3.14159265358979323846;

struct interval {
  std::int64_t from = 0;   // inclusive
  std::int64_t to = 0;     // exclusive
};

// A press or track point planned for a true time; sent when the device can.
struct planned_message {
  std::int64_t t_ms = 0;                                 // true time of the press / fix
  EventKind kind = EventKind::activation;                // activation or position
  ActivationTrigger trigger = ActivationTrigger::alarm;  // for activations
  double lat = 0.0;                                      // where the device is
  double lon = 0.0;
};

// Sorts and merges overlapping or touching intervals.
std::vector<interval> merged(std::vector<interval> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const interval& a, const interval& b) { return a.from < b.from; });
  std::vector<interval> out;
  for (const auto& span : spans) {
    if (!out.empty() && span.from <= out.back().to) {
      out.back().to = std::max(out.back().to, span.to);
    } else if (span.to > span.from) {
      out.push_back(span);
    }
  }
  return out;
}

bool inside(const std::vector<interval>& spans, std::int64_t t) {
  return std::any_of(spans.begin(), spans.end(),
                     [t](const interval& s) { return s.from <= t && t < s.to; });
}

// The true times at which `when` happens to one device, sorted.
std::vector<std::int64_t> occurrence_times(const Occurrence& when, const Scenario& scenario,
                                           prng& rng) {
  std::vector<std::int64_t> times;
  for (const auto at : when.at_ms) {
    times.push_back(scenario.start_ms + at);
  }
  if (when.probability > 0.0 && rng.chance(when.probability)) {
    const double days = static_cast<double>(scenario.duration_ms) / static_cast<double>(day_ms);
    const auto count = std::max<long long>(1, std::llround(when.per_day * days));
    for (long long i = 0; i < count; ++i) {
      times.push_back(scenario.start_ms + rng.between(std::int64_t{0}, scenario.duration_ms - 1));
    }
  }
  std::sort(times.begin(), times.end());
  return times;
}

std::vector<interval> periods(const PeriodBehaviour& behaviour, const Scenario& scenario,
                              prng& rng) {
  std::vector<interval> spans;
  for (const auto from : occurrence_times(behaviour.when, scenario, rng)) {
    spans.push_back({from, from + rng.between(behaviour.min_ms, behaviour.max_ms)});
  }
  return spans;
}

// Moves (lat, lon) by `metres` along `bearing` (radians from north), on a local plane.
void move(double& lat, double& lon, double metres, double bearing) {
  lat += metres * std::cos(bearing) / metres_per_degree;
  lon += metres * std::sin(bearing) / (metres_per_degree * std::cos(lat * pi / 180.0));
}

class device_walk {
 public:
  device_walk(const Scenario& scenario, const DeviceGroup& group, std::string id)
      : scenario_(scenario), group_(group), id_(std::move(id)),
        rng_(scenario.seed ^ fnv1a(id_)) {
    plan();
  }

  // Appends the device's events, in time order, to `out`.
  void run(std::vector<Event>& out);

 private:
  void plan();
  void plan_presses();
  Event event(EventKind kind) const;
  void emit_heartbeat(std::vector<Event>& out);
  void emit_message(const planned_message& message, std::vector<Event>& out);
  void connect(std::vector<Event>& out);
  void advance_battery(std::int64_t to);

  const Scenario& scenario_;
  const DeviceGroup& group_;
  std::string id_;
  prng rng_;
  std::int64_t offset_ms_ = 0;                  // device clock skew
  double home_lat_ = 0.0;                       // where the device usually is
  double home_lon_ = 0.0;
  std::vector<interval> offline_;               // merged flapping and storm periods
  std::vector<interval> charging_;              // merged charger periods
  std::vector<interval> gps_lost_;              // merged indoor periods
  std::vector<planned_message> planned_;        // presses and track points, by time
  std::vector<planned_message> held_;           // presses made while offline
  std::int64_t t_ = 0;                          // walk position
  double battery_ = 100.0;                      // charge in %
  bool alive_ = true;                           // battery not empty
  bool offline_now_ = false;                    // in an offline period
  bool charging_now_ = false;                   // on the charger
  std::int64_t next_heartbeat_ = never;         // when the next heartbeat is due
};

void device_walk::plan() {
  battery_ = rng_.between(group_.battery_start_min_pct, group_.battery_start_max_pct);
  alive_ = battery_ > 0.0;
  const double radius = group_.area.radius_m * std::sqrt(rng_.unit());
  const double angle = 2.0 * pi * rng_.unit();
  home_lat_ = group_.area.lat;
  home_lon_ = group_.area.lon;
  move(home_lat_, home_lon_, radius, angle);

  const auto& skew = group_.clock_skew;
  if (skew.offset_ms) {
    offset_ms_ = *skew.offset_ms;
  } else if (skew.probability > 0.0 && rng_.chance(skew.probability)) {
    offset_ms_ = rng_.between(-skew.max_ms, skew.max_ms);
  }

  const bool never_charged =
      group_.dead_battery_probability > 0.0 && rng_.chance(group_.dead_battery_probability);
  if (group_.charging.enabled && !never_charged) {
    const auto& plan = group_.charging;
    std::vector<interval> nights;
    for (std::int64_t day = scenario_.start_ms / day_ms - 1; day * day_ms < scenario_.end_ms();
         ++day) {
      const std::int64_t from = day * day_ms + plan.from_hour * hour_ms;
      std::int64_t to = day * day_ms + plan.to_hour * hour_ms;
      if (to < from) {
        to += day_ms;
      }
      if (to > scenario_.start_ms && from < scenario_.end_ms() && rng_.chance(plan.probability)) {
        nights.push_back({from, to});
      }
    }
    charging_ = merged(std::move(nights));
  }
  gps_lost_ = merged(periods(group_.gps_lost, scenario_, rng_));
  auto offline = periods(group_.flapping, scenario_, rng_);
  for (const auto& storm : scenario_.storms) {
    const auto from = scenario_.start_ms + storm.at_ms;
    const auto extra = storm.spread_ms > 0 ? rng_.between(std::int64_t{0}, storm.spread_ms) : 0;
    offline.push_back({from, from + std::max<std::int64_t>(1, storm.down_ms + extra)});
  }
  offline_ = merged(std::move(offline));
  plan_presses();
}

void device_walk::plan_presses() {
  for (const auto t : occurrence_times(group_.accidental_press.when, scenario_, rng_)) {
    planned_.push_back({t, EventKind::activation, ActivationTrigger::alarm, home_lat_, home_lon_});
    planned_.push_back({t + group_.accidental_press.cancel_after_ms, EventKind::activation,
                        ActivationTrigger::cancel, home_lat_, home_lon_});
  }
  for (const auto t : occurrence_times(group_.test_press, scenario_, rng_)) {
    planned_.push_back({t, EventKind::activation, ActivationTrigger::test, home_lat_, home_lon_});
  }
  const auto& alarm = group_.alarm;
  for (const auto t : occurrence_times(alarm.when, scenario_, rng_)) {
    const double bearing = 2.0 * pi * rng_.unit();
    double lat = home_lat_;
    double lon = home_lon_;
    planned_.push_back({t, EventKind::activation, ActivationTrigger::alarm, lat, lon});
    const double step_m = alarm.speed_m_s * static_cast<double>(alarm.track_interval_ms) / 1000.0;
    for (int i = 1; i <= alarm.track_points; ++i) {
      move(lat, lon, step_m, bearing);
      planned_.push_back(
          {t + i * alarm.track_interval_ms, EventKind::position, ActivationTrigger::alarm, lat, lon});
    }
  }
  std::stable_sort(planned_.begin(), planned_.end(),
                   [](const planned_message& a, const planned_message& b) { return a.t_ms < b.t_ms; });
}

Event device_walk::event(EventKind kind) const {
  Event e;
  e.t_ms = t_;
  e.device_id = id_;
  e.kind = kind;
  e.device_clock_offset_ms = offset_ms_;
  return e;
}

std::uint32_t reported(double battery) {
  return static_cast<std::uint32_t>(std::clamp(std::floor(battery), 0.0, 100.0));
}

void device_walk::emit_heartbeat(std::vector<Event>& out) {
  auto e = event(EventKind::heartbeat);
  e.heartbeat.battery_pct = reported(battery_);
  e.heartbeat.charging = charging_now_;
  e.heartbeat.gps_available = !inside(gps_lost_, t_);
  e.heartbeat.signal_dbm = static_cast<std::int32_t>(
      rng_.between(std::int64_t{group_.signal_min_dbm}, std::int64_t{group_.signal_max_dbm}));
  out.push_back(std::move(e));
  next_heartbeat_ = t_ + group_.heartbeat_interval_ms;
}

void device_walk::emit_message(const planned_message& message, std::vector<Event>& out) {
  const bool has_gps = !inside(gps_lost_, t_);
  const Fix fix{message.lat, message.lon, 8.0F, message.t_ms + offset_ms_, true};
  if (message.kind == EventKind::position) {
    if (has_gps) {
      auto e = event(EventKind::position);
      e.position = fix;
      out.push_back(std::move(e));
    }
    return;
  }
  auto e = event(EventKind::activation);
  e.activation.trigger = message.trigger;
  e.activation.battery_pct = reported(battery_);
  e.activation.device_time_ms = message.t_ms + offset_ms_;
  if (has_gps) {
    e.activation.fix = fix;
  }
  out.push_back(std::move(e));
}

// (Re)connects: connect, a heartbeat at once, then whatever was pressed while offline.
void device_walk::connect(std::vector<Event>& out) {
  out.push_back(event(EventKind::connect));
  emit_heartbeat(out);
  for (const auto& message : held_) {
    emit_message(message, out);
  }
  held_.clear();
}

void device_walk::advance_battery(std::int64_t to) {
  const double hours = static_cast<double>(to - t_) / static_cast<double>(hour_ms);
  if (charging_now_) {
    battery_ = std::min(100.0, battery_ + group_.charging.rate_pct_per_hour * hours);
  } else {
    battery_ = std::max(0.0, battery_ - group_.drain_pct_per_hour * hours);
  }
  t_ = to;
}

void device_walk::run(std::vector<Event>& out) {
  t_ = scenario_.start_ms;
  offline_now_ = inside(offline_, t_);
  charging_now_ = inside(charging_, t_);
  alive_ = alive_ || charging_now_;
  if (alive_ && !offline_now_) {
    out.push_back(event(EventKind::connect));
    next_heartbeat_ = t_ + rng_.between(std::int64_t{0}, group_.heartbeat_interval_ms - 1);
  }
  std::size_t next_planned = 0;
  // Boundaries of offline and charging periods, as (time, is_offline, starts).
  struct boundary {
    std::int64_t t;
    bool offline;
    bool starts;
  };
  std::vector<boundary> boundaries;
  for (const auto& s : offline_) {
    boundaries.push_back({s.from, true, true});
    boundaries.push_back({s.to, true, false});
  }
  for (const auto& s : charging_) {
    boundaries.push_back({s.from, false, true});
    boundaries.push_back({s.to, false, false});
  }
  std::stable_sort(boundaries.begin(), boundaries.end(),
                   [](const boundary& a, const boundary& b) { return a.t < b.t; });
  std::size_t next_boundary = 0;
  while (next_boundary < boundaries.size() && boundaries[next_boundary].t <= t_) {
    ++next_boundary;   // already applied by the initial state
  }

  for (;;) {
    const bool connected = alive_ && !offline_now_;
    const auto boundary_t = next_boundary < boundaries.size() ? boundaries[next_boundary].t : never;
    const auto planned_t = next_planned < planned_.size() ? planned_[next_planned].t_ms : never;
    const auto heartbeat_t = connected ? next_heartbeat_ : never;
    auto death_t = never;
    if (alive_ && !charging_now_ && group_.drain_pct_per_hour > 0.0) {
      // The 1e-6 ms slack absorbs the rounding of earlier drain steps, so that the moment
      // of death does not drift by a millisecond as the battery is recomputed.
      death_t = t_ + static_cast<std::int64_t>(std::ceil(
                         battery_ / group_.drain_pct_per_hour * static_cast<double>(hour_ms) -
                         1e-6));
    }
    const auto next = std::min({boundary_t, planned_t, heartbeat_t, death_t});
    if (next >= scenario_.end_ms()) {
      return;
    }
    advance_battery(next);
    if (next == boundary_t) {
      const auto& b = boundaries[next_boundary++];
      const bool was_connected = connected;
      if (b.offline) {
        offline_now_ = b.starts;
      } else {
        charging_now_ = b.starts;
        alive_ = alive_ || b.starts;   // a dead device starts up on the charger
      }
      const bool now_connected = alive_ && !offline_now_;
      if (was_connected && !now_connected) {
        out.push_back(event(EventKind::disconnect));
      } else if (!was_connected && now_connected) {
        connect(out);
      }
    } else if (next == death_t) {
      battery_ = 0.0;
      alive_ = false;
      held_.clear();
      if (connected) {
        out.push_back(event(EventKind::disconnect));
      }
    } else if (next == planned_t) {
      const auto& message = planned_[next_planned++];
      if (connected) {
        emit_message(message, out);
      } else if (alive_ && message.kind == EventKind::activation) {
        held_.push_back(message);
      }
    } else {
      emit_heartbeat(out);
    }
  }
}

}  // namespace

std::vector<std::string> device_ids(const DeviceGroup& group) {
  std::vector<std::string> ids;
  ids.reserve(group.count);
  for (unsigned i = 0; i < group.count; ++i) {
    char number[16];
    std::snprintf(number, sizeof number, "%03u", group.first + i);
    ids.push_back(group.id_prefix + number);
  }
  return ids;
}

std::vector<Event> expand(const Scenario& scenario) {
  std::vector<Event> events;
  for (const auto& group : scenario.groups) {
    for (auto& id : device_ids(group)) {
      device_walk(scenario, group, std::move(id)).run(events);
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.t_ms != b.t_ms ? a.t_ms < b.t_ms : a.device_id < b.device_id;
  });
  return events;
}

const char* event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::connect: return "connect";
    case EventKind::disconnect: return "disconnect";
    case EventKind::heartbeat: return "heartbeat";
    case EventKind::activation: return "activation";
    case EventKind::position: return "position";
  }
  return "unknown";
}

const char* trigger_name(ActivationTrigger trigger) {
  switch (trigger) {
    case ActivationTrigger::alarm: return "alarm";
    case ActivationTrigger::test: return "test";
    case ActivationTrigger::cancel: return "cancel";
  }
  return "unknown";
}

}  // namespace aware::sim
