// scenario.hpp — the fleet simulator's scenario engine: a scenario file (TOML, see
// docs/simulator.md) parsed into a typed Scenario, and expanded into the time-ordered list of
// Events that the simulated devices produce. Pure: no I/O, no clock reads, no Asio; the same
// scenario and seed always give the same events, on every standard library (the engine uses its
// own PRNG, prng.hpp). Used by `xmark-sim scenario` (scenario_play.cpp) and by the supervision
// oracle (supervision_oracle.hpp) that system tests compare awared against.
//
// Error policy: parse_scenario never throws on bad input; it returns a ScenarioError naming the
// key. expand() cannot fail on a Scenario that parse_scenario produced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace aware::sim {

// When a behaviour happens to the devices of a group. Either at random (`probability` > 0: each
// device has the behaviour with that chance, then round(per_day × days), at least once, at
// uniformly random moments) or at explicit moments (`at_ms`: every device of the group), or both.
struct Occurrence {
  double probability = 0.0;          // chance that one device has the behaviour at all, 0..1
  double per_day = 1.0;              // occurrences per simulated day for a device that has it
  std::vector<std::int64_t> at_ms;   // explicit offsets from the scenario start, every device

  bool enabled() const { return probability > 0.0 || !at_ms.empty(); }
};

// Nightly charging: the device is on the charger from from_hour to to_hour (UTC hours of the
// day; to_hour < from_hour wraps past midnight) on each night with chance `probability`.
struct ChargingPlan {
  bool enabled = false;              // the group has a charging schedule at all
  int from_hour = 22;                // 0..23, UTC
  int to_hour = 7;                   // 0..23, UTC; equal to from_hour is rejected
  double probability = 1.0;          // chance the device is charged on a given night
  double rate_pct_per_hour = 25.0;   // charge gained per hour on the charger
};

// A period behaviour (GPS lost indoors, flapping connectivity): how often and how long.
struct PeriodBehaviour {
  Occurrence when;                   // when periods start
  std::int64_t min_ms = 600000;      // shortest period
  std::int64_t max_ms = 3600000;     // longest period; length is uniform in [min, max]
};

// An accidental press: ALARM, then CANCEL cancel_after_ms later.
struct AccidentalPress {
  Occurrence when;                   // when the ALARM is pressed
  std::int64_t cancel_after_ms = 5000;  // delay until the CANCEL
};

// A real alarm: ALARM at a spot near home, then track_points PositionUpdates, one every
// track_interval_ms, moving at speed_m_s in a random, fixed direction.
struct RealAlarm {
  Occurrence when;                   // when the ALARM is pressed
  int track_points = 10;             // PositionUpdates after the ALARM
  std::int64_t track_interval_ms = 30000;  // time between PositionUpdates
  double speed_m_s = 1.4;            // walking pace by default
};

// Device clock skew: offset added to device_time_ms and fix_time_ms.
struct ClockSkew {
  double probability = 0.0;          // chance a device is skewed; offset uniform in ±max_ms
  std::int64_t max_ms = 0;           // largest random offset
  std::optional<std::int64_t> offset_ms;  // when set: every device has exactly this offset
};

// Where the devices of a group live (homes are uniformly spread over this disc).
struct Area {
  double lat = 52.0907;              // centre latitude, degrees
  double lon = 5.1214;               // centre longitude, degrees
  double radius_m = 15000.0;         // radius in metres
};

// A set of like devices. Device ids are id_prefix + a number from `first` on, at least three
// digits (XM-SIM-007, XM-SIM-1000), as `xmark-sim fleet` names its devices.
struct DeviceGroup {
  std::string name;                            // for messages only
  unsigned count = 1;                          // number of devices
  std::string id_prefix = "XM-SIM-";           // device id prefix
  unsigned first = 1;                          // number of the first device
  std::int64_t heartbeat_interval_ms = 900000; // time between heartbeats (default 15 min)
  double battery_start_min_pct = 100.0;        // start charge is uniform in [min, max]
  double battery_start_max_pct = 100.0;
  double drain_pct_per_hour = 1.0;             // charge lost per hour off the charger
  std::int32_t signal_min_dbm = -110;          // heartbeat signal is uniform in [min, max]
  std::int32_t signal_max_dbm = -60;
  bool returned = false;                       // device handed back: raises no alerts
  Area area;                                   // where homes and alarms are
  ChargingPlan charging;                       // nightly charging
  double dead_battery_probability = 0.0;       // chance a device is never charged
  PeriodBehaviour gps_lost;                    // indoors without GPS
  PeriodBehaviour flapping;                    // connection drops
  AccidentalPress accidental_press;            // ALARM then CANCEL
  RealAlarm alarm;                             // ALARM then a moving track
  Occurrence test_press;                       // a proefmelding: one TEST activation
  ClockSkew clock_skew;                        // device clock offset
};

// All devices drop their connection at at_ms and reconnect down_ms later, plus a per-device
// delay uniform in [0, spread_ms].
struct ReconnectStorm {
  std::int64_t at_ms = 0;            // offset from the scenario start
  std::int64_t down_ms = 5000;       // time without connection
  std::int64_t spread_ms = 0;        // extra random delay per device
};

struct Scenario {
  std::uint64_t seed = 1;                      // PRNG seed: same seed, same events
  std::int64_t start_ms = 1767225600000;       // ms since the Unix epoch (2026-01-01T00:00Z)
  std::int64_t duration_ms = 86400000;         // events fall in [start, start + duration)
  std::vector<DeviceGroup> groups;             // at least one
  std::vector<ReconnectStorm> storms;          // may be empty

  std::int64_t end_ms() const { return start_ms + duration_ms; }
};

// Why a scenario was refused. `key` is the dotted path of the offending key, e.g.
// "group[2].battery_start_pct" ("" for TOML syntax errors, whose message has the line).
struct ScenarioError {
  std::string key;       // offending key, dotted path with [index] for arrays of tables
  std::string message;   // full human-readable text, starting with the key

  friend bool operator==(const ScenarioError&, const ScenarioError&) = default;
};

// Parses and validates a scenario file's text. Unknown keys, wrong types, out-of-range values
// and duplicate device ids are errors. Never throws (except std::bad_alloc).
tl::expected<Scenario, ScenarioError> parse_scenario(std::string_view toml_text);

enum class EventKind { connect, disconnect, heartbeat, activation, position };
enum class ActivationTrigger { alarm, test, cancel };

// A position fix as the device reports it.
struct Fix {
  double lat = 0.0;                  // degrees
  double lon = 0.0;                  // degrees
  float accuracy_m = 10.0F;          // 68 % radius
  std::int64_t fix_time_ms = 0;      // device clock (skew included)
  bool gps = true;                   // source: GPS (else network)

  friend bool operator==(const Fix&, const Fix&) = default;
};

struct HeartbeatFields {
  std::uint32_t battery_pct = 0;     // 0..100
  bool charging = false;             // on the charger
  bool gps_available = true;         // false while indoors
  std::int32_t signal_dbm = -80;     // negative dBm

  friend bool operator==(const HeartbeatFields&, const HeartbeatFields&) = default;
};

struct ActivationFields {
  ActivationTrigger trigger = ActivationTrigger::alarm;  // why it was pressed
  std::optional<Fix> fix;            // absent indoors (GPS lost)
  std::uint32_t battery_pct = 0;     // 0..100
  std::int64_t device_time_ms = 0;   // device clock at the press (skew included)

  friend bool operator==(const ActivationFields&, const ActivationFields&) = default;
};

// One thing a device does at scenario time t_ms. Only the fields of `kind` are meaningful
// (heartbeat for heartbeat, activation for activation, position for position).
struct Event {
  std::int64_t t_ms = 0;                   // true time, ms since the Unix epoch
  std::string device_id;                   // which device
  EventKind kind = EventKind::heartbeat;   // what it does
  HeartbeatFields heartbeat;               // kind == heartbeat
  ActivationFields activation;             // kind == activation
  Fix position;                            // kind == position
  std::int64_t device_clock_offset_ms = 0; // device clock minus true time

  friend bool operator==(const Event&, const Event&) = default;
};

// Every device id of the scenario, group by group, in number order.
std::vector<std::string> device_ids(const DeviceGroup& group);

// The events of the whole fleet, sorted by t_ms then device_id (a device's own events keep
// their order). Deterministic for a given scenario. A device that is offline or whose battery
// is empty emits nothing until it is back; a device starts connected at the scenario start.
std::vector<Event> expand(const Scenario& scenario);

const char* event_kind_name(EventKind kind);              // "connect", "heartbeat", ...
const char* trigger_name(ActivationTrigger trigger);      // "alarm", "test", "cancel"

}  // namespace aware::sim
