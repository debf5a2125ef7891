// alert.cpp — see alert.hpp.
#include "core/alert.hpp"

namespace aware::core {
namespace {

Alert incident_alert(const Incident& incident, std::string_view kind, TimeMs now) {
  Alert a;
  a.kind = std::string(kind);
  a.subject = "incident:" + std::to_string(incident.id);
  a.device_id = incident.key.device_id;
  a.client_id = incident.match.client_id;
  a.incident_id = incident.id;
  a.opened_ms = now;
  return a;
}

std::optional<Notice> notice(const Incident& incident, std::string_view event,
                             std::optional<std::int64_t> incident_id, TimeMs at) {
  if (incident.match.client_id.empty()) {
    return std::nullopt;
  }
  Notice n;
  n.client_id = incident.match.client_id;
  n.case_worker = incident.match.aop ? incident.match.aop->case_worker : std::string{};
  n.event = std::string(event);
  n.state = incident_id ? std::string(to_string(incident.state)) : std::string("none");
  n.at_ms = at;
  n.incident_id = incident_id;
  return n;
}

}  // namespace

bool operator_resolvable(std::string_view kind) {
  return kind == alert_kind::not_delivered || kind == alert_kind::not_accepted ||
         kind == alert_kind::test_alarm || kind == alert_kind::contract_ending ||
         kind == alert_kind::storage_fault;
}

Alert storage_fault_alert(std::string detail, TimeMs now) {
  Alert a;
  a.kind = std::string(alert_kind::storage_fault);
  a.subject = std::string(storage_subject);
  a.severity = AlertSeverity::urgent;
  a.detail = std::move(detail);
  a.opened_ms = now;
  return a;
}

Alert escalation_alert(const Incident& incident, std::string_view kind, std::string detail,
                       TimeMs now) {
  Alert a = incident_alert(incident, kind, now);
  a.severity = AlertSeverity::urgent;
  a.detail = incident_label(incident.id) + " (" + incident.match.region + "): " + std::move(detail);
  return a;
}

Alert test_alarm_alert(const Incident& incident, TimeMs now) {
  Alert a = incident_alert(incident, alert_kind::test_alarm, now);
  a.severity = AlertSeverity::info;
  a.detail = "proefmelding van " + incident.key.device_id + " ontvangen (regio " +
             incident.match.region + (incident.position ? ", met positie" : ", zonder positie") +
             "); bevestig na controle met de meldkamer";
  return a;
}

std::optional<Notice> activation_notice(const Incident& incident, ActivationEffect effect,
                                        TimeMs at) {
  switch (effect) {
    case ActivationEffect::opened:
      return notice(incident,
                    incident.priority == Priority::test ? notice_event::test_alarm
                                                        : notice_event::activation,
                    incident.id, at);
    case ActivationEffect::repeated:
    case ActivationEffect::reopened:
      return notice(incident, notice_event::repeated, incident.id, at);
    case ActivationEffect::cancel_flagged:
      return notice(incident, notice_event::cancelled, incident.id, at);
    case ActivationEffect::cancel_alone:
      return notice(incident, notice_event::cancelled, std::nullopt, at);
  }
  return std::nullopt;
}

std::optional<Notice> close_notice(const Incident& incident, TimeMs at) {
  return notice(incident, notice_event::closed, incident.id, at);
}

}  // namespace aware::core
