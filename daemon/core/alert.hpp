// alert.hpp — what the PAC operator and the case workers are told, apart from the police.
//
// An Alert sits in the PAC operator's queue (/ws/pac): an escalated incident, a proefmelding to
// confirm, a technical condition of a device. One alert per subject and kind is unresolved at a
// time (the store enforces it), so a persisting condition never floods the queue. A Notice goes
// to the case workers of a client (/ws/hulpverlener and the optional webhook) and carries the
// least data that tells them something happened: no position, nothing about the pleger.
//
// Pure: plain values and the rules that derive them from incidents. The store writes them in
// the same transaction as the change they report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace aware::core {

enum class AlertSeverity { urgent = 1, warning = 2, info = 3 };
enum class AlertState { open = 1, acknowledged = 2, resolved = 3 };

// Alert kinds (their names are stored and sent as they are).
namespace alert_kind {
inline constexpr std::string_view not_delivered = "niet_afgeleverd";   // escalated: no console had it
inline constexpr std::string_view not_accepted = "niet_aangenomen";    // re-alerted: nobody accepted
inline constexpr std::string_view test_alarm = "proefmelding";         // a TEST activation to confirm
inline constexpr std::string_view contract_ending = "contract_einde";  // decide: extend or end
inline constexpr std::string_view storage_fault = "opslag_storing";    // awared's store failed
}  // namespace alert_kind

// The subject of awared's own technical alerts (opslag_storing): about the server, no device.
inline constexpr std::string_view storage_subject = "awared:opslag";

struct Alert {
  std::int64_t id = 0;                  // store row id (0 before it is stored)
  std::string kind;                     // one of alert_kind
  std::string subject;                  // "incident:<id>" or "device:<id>"
  std::string device_id;
  std::string client_id;                // empty for an unknown device
  std::optional<std::int64_t> incident_id;
  AlertSeverity severity = AlertSeverity::warning;
  AlertState state = AlertState::open;
  std::string detail;                   // one line for the operator
  TimeMs opened_ms = 0;
  TimeMs acked_ms = 0;                  // 0 until acknowledged
  std::string acked_by;
  TimeMs resolved_ms = 0;               // 0 until resolved
  std::string resolved_by;              // an operator, or "awared" when the condition cleared
  bool operator==(const Alert&) const = default;
};

// Whether an operator may resolve an alert of `kind` by hand. Escalation alerts resolve
// themselves when their incident is accepted or closed, but an operator may also close them;
// every kind added later for a device condition resolves only when the condition is gone.
[[nodiscard]] bool operator_resolvable(std::string_view kind);

// The alert for an incident's escalation step (`kind` not_delivered or not_accepted).
Alert escalation_alert(const Incident& incident, std::string_view kind, std::string detail,
                       TimeMs now);
// The alert that asks the operator to confirm a proefmelding.
Alert test_alarm_alert(const Incident& incident, TimeMs now);
// The alert that tells the operator awared's store failed (disk full, I/O error): urgent, about
// storage_subject, with `detail` (Dutch, one line) for the operator.
Alert storage_fault_alert(std::string detail, TimeMs now);

// Notice events.
namespace notice_event {
inline constexpr std::string_view activation = "activatie";
inline constexpr std::string_view repeated = "herhaalde_activatie";
inline constexpr std::string_view cancelled = "geannuleerd";
inline constexpr std::string_view closed = "afgesloten";
inline constexpr std::string_view test_alarm = "proefmelding";
}  // namespace notice_event

struct Notice {
  std::int64_t id = 0;                  // store row id; a feed resumes after the last one it saw
  std::string client_id;
  std::string case_worker;              // the AOP's case worker when it was written
  std::string event;                    // one of notice_event
  std::string state;                    // the incident's state after the event (to_string)
  TimeMs at_ms = 0;
  std::optional<std::int64_t> incident_id;
  bool operator==(const Notice&) const = default;
};

// The notice an activation's effect gives the client's case workers, or nullopt when the
// device belongs to no client (an unknown device: nobody to tell). `incident` is the incident
// as it now is; for a cancel with no incident, the draft that carries the match.
std::optional<Notice> activation_notice(const Incident& incident, ActivationEffect effect,
                                        TimeMs at);
// The notice a centralist's close gives (nullopt for an unknown device).
std::optional<Notice> close_notice(const Incident& incident, TimeMs at);

}  // namespace aware::core
