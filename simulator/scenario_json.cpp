// scenario_json.cpp — JSON lines for events and expected alerts (see scenario_json.hpp).
#include "scenario_json.hpp"

#include <nlohmann/json.hpp>

namespace aware::sim {

namespace {

using json = nlohmann::ordered_json;

json fix_json(const Fix& fix) {
  return json{{"lat", fix.lat},
              {"lon", fix.lon},
              {"accuracy_m", fix.accuracy_m},
              {"fix_time_ms", fix.fix_time_ms},
              {"source", fix.gps ? "gps" : "network"}};
}

}  // namespace

std::string event_json(const Event& event) {
  json out{{"t_ms", event.t_ms},
           {"device", event.device_id},
           {"kind", event_kind_name(event.kind)},
           {"clock_offset_ms", event.device_clock_offset_ms}};
  if (event.kind == EventKind::heartbeat) {
    out["battery_pct"] = event.heartbeat.battery_pct;
    out["charging"] = event.heartbeat.charging;
    out["gps_available"] = event.heartbeat.gps_available;
    out["signal_dbm"] = event.heartbeat.signal_dbm;
  } else if (event.kind == EventKind::activation) {
    out["trigger"] = trigger_name(event.activation.trigger);
    out["battery_pct"] = event.activation.battery_pct;
    out["device_time_ms"] = event.activation.device_time_ms;
    out["fix"] = event.activation.fix ? fix_json(*event.activation.fix) : json(nullptr);
  } else if (event.kind == EventKind::position) {
    out["fix"] = fix_json(event.position);
  }
  return out.dump();
}

std::string alert_json(const ExpectedAlert& alert) {
  json out{{"device", alert.device_id},
           {"kind", alert.kind},
           {"opened_ms", alert.opened_ms},
           {"resolved_ms", alert.resolved_ms ? json(*alert.resolved_ms) : json(nullptr)}};
  return out.dump();
}

}  // namespace aware::sim
