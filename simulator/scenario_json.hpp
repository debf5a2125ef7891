// scenario_json.hpp — one-line JSON forms of scenario events and expected alerts, as printed by
// `xmark-sim scenario FILE --print` and `--expect` for system tests. Pure formatting; field
// names are documented in docs/simulator.md and are a stable interface.
#pragma once

#include <string>

#include "scenario.hpp"
#include "supervision_oracle.hpp"

namespace aware::sim {

// {"t_ms":…,"device":…,"kind":…,"clock_offset_ms":…, plus the kind's fields}, no newline.
std::string event_json(const Event& event);

// {"device":…,"kind":…,"opened_ms":…,"resolved_ms":…|null}, no newline.
std::string alert_json(const ExpectedAlert& alert);

}  // namespace aware::sim
