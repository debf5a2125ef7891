// supervision.hpp — the rules that watch every device: connection lost (late-to-test), battery
// low and critical. Pure: the store applies them inside the transaction that records a
// device's message (so the alert and the message are durable together), and the app's timer
// asks for the silence check at each device's deadline.
//
// - verbinding_verloren: no message of any kind (heartbeat, activation, position update) within
//   interval × (1 + grace_factor) + grace_fixed after the previous one — the late-to-test rule
//   of alarm-centre automation (default 15 min + 10 % + 2 min). The alert is dated at that
//   deadline; the next message resolves it (*hersteld*).
// - batterij_laag / batterij_kritiek: a report below battery_low (20 %) / battery_critical
//   (10 %) opens the alert; a report at or above the threshold + battery_hysteresis (5) resolves
//   it. Both can be open at once.
// - communicatie_storing: a DC-09 transmitter reports that its own path to the alarm centre
//   failed (SIA YC, Contact ID 350); its restore (YK, CID 350 restore) resolves it. Not a rule
//   of this file: the store raises it for the report as it comes (Repository::record_heard).
// At most one alert per device and kind is open at a time.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace aware::core {

namespace alert_kind {
inline constexpr std::string_view connection_lost = "verbinding_verloren";
inline constexpr std::string_view battery_low = "batterij_laag";
inline constexpr std::string_view battery_critical = "batterij_kritiek";
inline constexpr std::string_view comm_failure = "communicatie_storing";
}  // namespace alert_kind

struct SupervisionRules {
  TimeMs default_interval_ms = 900'000;   // a device's heartbeat interval unless it has its own
  double grace_factor = 0.10;             // late by more than this share of the interval …
  TimeMs grace_fixed_ms = 120'000;        // … plus this: lost
  std::uint32_t battery_low = 20;         // % below which batterij_laag opens
  std::uint32_t battery_critical = 10;    // % below which batterij_kritiek opens
  std::uint32_t battery_hysteresis = 5;   // resolved at threshold + this, not before
  bool operator==(const SupervisionRules&) const = default;
};

// The health a device reports in a Heartbeat.
struct HealthReport {
  std::uint32_t battery_pct = 0;
  bool charging = false;
  bool gps_available = false;
  std::int32_t signal_dbm = 0;
  bool operator==(const HealthReport&) const = default;
};

// What supervision knows of one device.
struct DeviceHealth {
  TimeMs last_heard_ms = 0;               // the last message (or when watching began)
  TimeMs interval_ms = 0;                 // its heartbeat interval; 0 = the default
  bool lost_open = false;                 // an unresolved verbinding_verloren alert exists
  bool low_open = false;                  // … batterij_laag
  bool critical_open = false;             // … batterij_kritiek
};

// One alert to open or resolve for a device.
struct HealthChange {
  std::string_view kind;                  // alert_kind::connection_lost / battery_low / …
  bool open = true;                       // false: resolve the open one
  TimeMs at_ms = 0;                       // when (an opened lost alert: its deadline)
  std::string detail;                     // one line for the operator (Dutch)
};

// The pending lost deadlines of all watched devices (the app's one timer sleeps until the
// earliest). Pure bookkeeping: set() replaces a device's deadline, take_due() removes and
// returns the devices whose deadline is before `now`.
class SilenceWatch {
 public:
  void set(const std::string& device_id, TimeMs due);
  void forget(const std::string& device_id);
  [[nodiscard]] std::optional<TimeMs> next_due() const;
  std::vector<std::string> take_due(TimeMs now);
  [[nodiscard]] std::size_t size() const { return due_.size(); }

 private:
  std::map<std::string, TimeMs, std::less<>> due_;      // device -> deadline
  std::set<std::pair<TimeMs, std::string>> order_;      // (deadline, device)
};

// When the device counts as lost if nothing arrives before then (inclusive: a message exactly
// at the deadline is in time).
[[nodiscard]] TimeMs lost_deadline(const DeviceHealth& h, const SupervisionRules& rules);

// A message from the device arrived at `now`, with a battery reading when it carried one (a
// heartbeat; an activation with a non-zero battery). Updates `h` and returns the changes.
std::vector<HealthChange> on_message(DeviceHealth& h, TimeMs now,
                                     std::optional<std::uint32_t> battery_pct,
                                     const SupervisionRules& rules);

// Time `now` has come with no message since h.last_heard_ms: opens verbinding_verloren (dated
// at the deadline) when the deadline has passed and none is open; otherwise nothing.
std::optional<HealthChange> on_silence(DeviceHealth& h, TimeMs now, const SupervisionRules& rules);

}  // namespace aware::core
