// test_alert.cpp — unit tests for the pure alert and notice rules (core/alert.hpp): which kinds
// an operator may resolve, the alerts an escalation step and a proefmelding give the PAC
// operator, and the minimal notice each activation effect and a close give the case workers
// (none for an unknown device; "none" as state for a cancel without an incident).
#include <catch2/catch.hpp>

#include <string>

#include "core/alert.hpp"

namespace core = aware::core;

namespace {

// An incident of a known client with an AOP, in `state`.
core::Incident client_incident(std::int64_t id, core::IncidentState state,
                               core::Priority priority = core::Priority::spoed) {
  core::Incident inc;
  inc.id = id;
  inc.priority = priority;
  inc.state = state;
  inc.key = {"XM-7", 1, 3};
  inc.match.client_id = "C-12";
  inc.match.region = "midden-nederland";
  core::AopInfo aop;
  aop.aop_id = "AOP-1";
  aop.case_worker = "J. de Vries";
  aop.pleger = "must never reach a notice";
  inc.match.aop = aop;
  return inc;
}

}  // namespace

TEST_CASE("escalation and proefmelding alerts may be resolved by an operator, others not",
          "[alert]") {
  CHECK(core::operator_resolvable(core::alert_kind::not_delivered));
  CHECK(core::operator_resolvable(core::alert_kind::not_accepted));
  CHECK(core::operator_resolvable(core::alert_kind::test_alarm));
  CHECK_FALSE(core::operator_resolvable("batterij_laag"));
  CHECK_FALSE(core::operator_resolvable(""));
  CHECK_FALSE(core::operator_resolvable("Niet_Afgeleverd"));
}

TEST_CASE("the opslag_storing alert is urgent, about awared itself, and operator-resolvable",
          "[alert]") {
  const auto a = core::storage_fault_alert("opslag vol", 7000);
  CHECK(a.kind == "opslag_storing");
  CHECK(a.subject == "awared:opslag");
  CHECK(a.device_id.empty());
  CHECK_FALSE(a.incident_id.has_value());
  CHECK(a.severity == core::AlertSeverity::urgent);
  CHECK(a.state == core::AlertState::open);
  CHECK(a.detail == "opslag vol");
  CHECK(a.opened_ms == 7000);
  CHECK(core::operator_resolvable(core::alert_kind::storage_fault));
}

TEST_CASE("an escalation alert is urgent, open and about its incident", "[alert]") {
  const auto inc = client_incident(42, core::IncidentState::created);
  const auto a = core::escalation_alert(inc, core::alert_kind::not_delivered,
                                        "no console received it", 5000);
  CHECK(a.id == 0);
  CHECK(a.kind == "niet_afgeleverd");
  CHECK(a.subject == "incident:42");
  CHECK(a.device_id == "XM-7");
  CHECK(a.client_id == "C-12");
  CHECK(a.incident_id == std::optional<std::int64_t>{42});
  CHECK(a.severity == core::AlertSeverity::urgent);
  CHECK(a.state == core::AlertState::open);
  CHECK(a.opened_ms == 5000);
  CHECK(a.acked_ms == 0);
  CHECK(a.resolved_ms == 0);
  CHECK(a.detail == "M-000042 (midden-nederland): no console received it");
}

TEST_CASE("a proefmelding alert is info and says whether a position came with it", "[alert]") {
  auto inc = client_incident(7, core::IncidentState::created, core::Priority::test);
  const auto without = core::test_alarm_alert(inc, 900);
  CHECK(without.kind == "proefmelding");
  CHECK(without.subject == "incident:7");
  CHECK(without.severity == core::AlertSeverity::info);
  CHECK(without.state == core::AlertState::open);
  CHECK(without.opened_ms == 900);
  CHECK_THAT(without.detail, Catch::Contains("XM-7") && Catch::Contains("midden-nederland") &&
                                 Catch::Contains("zonder positie"));

  inc.position = core::GeoFix{52.0, 5.0, 8.0F, 900, core::FixSource::gps, 900};
  const auto with = core::test_alarm_alert(inc, 900);
  CHECK_THAT(with.detail, Catch::Contains("met positie"));
  CHECK_THAT(with.detail, !Catch::Contains("zonder positie"));
}

TEST_CASE("each activation effect gives its notice event and the incident's state",
          "[alert]") {
  const auto opened = client_incident(5, core::IncidentState::created);
  auto n = core::activation_notice(opened, core::ActivationEffect::opened, 1234);
  REQUIRE(n);
  CHECK(n->id == 0);
  CHECK(n->client_id == "C-12");
  CHECK(n->case_worker == "J. de Vries");
  CHECK(n->event == "activatie");
  CHECK(n->state == "new");
  CHECK(n->at_ms == 1234);
  CHECK(n->incident_id == std::optional<std::int64_t>{5});

  const auto test = client_incident(6, core::IncidentState::created, core::Priority::test);
  CHECK(core::activation_notice(test, core::ActivationEffect::opened, 1)->event ==
        "proefmelding");

  const auto accepted = client_incident(5, core::IncidentState::accepted);
  const auto repeated = core::activation_notice(accepted, core::ActivationEffect::repeated, 2);
  REQUIRE(repeated);
  CHECK(repeated->event == "herhaalde_activatie");
  CHECK(repeated->state == "accepted");
  CHECK(core::activation_notice(opened, core::ActivationEffect::reopened, 3)->event ==
        "herhaalde_activatie");

  const auto flagged = core::activation_notice(accepted, core::ActivationEffect::cancel_flagged, 4);
  REQUIRE(flagged);
  CHECK(flagged->event == "geannuleerd");
  CHECK(flagged->state == "accepted");
  CHECK(flagged->incident_id == std::optional<std::int64_t>{5});
}

TEST_CASE("a cancel without an incident gives a notice with state none and no incident",
          "[alert]") {
  auto draft = client_incident(0, core::IncidentState::created);
  const auto n = core::activation_notice(draft, core::ActivationEffect::cancel_alone, 77);
  REQUIRE(n);
  CHECK(n->event == "geannuleerd");
  CHECK(n->state == "none");
  CHECK_FALSE(n->incident_id.has_value());
  CHECK(n->client_id == "C-12");
}

TEST_CASE("an unknown device gives no notice for any effect or a close", "[alert]") {
  auto inc = client_incident(9, core::IncidentState::closed);
  inc.match.client_id.clear();
  for (auto effect : {core::ActivationEffect::opened, core::ActivationEffect::repeated,
                      core::ActivationEffect::reopened, core::ActivationEffect::cancel_flagged,
                      core::ActivationEffect::cancel_alone}) {
    CHECK_FALSE(core::activation_notice(inc, effect, 1).has_value());
  }
  CHECK_FALSE(core::close_notice(inc, 1).has_value());
}

TEST_CASE("a close gives an afgesloten notice, without a case worker when there is no AOP",
          "[alert]") {
  auto inc = client_incident(11, core::IncidentState::closed);
  const auto n = core::close_notice(inc, 8000);
  REQUIRE(n);
  CHECK(n->event == "afgesloten");
  CHECK(n->state == "closed");
  CHECK(n->at_ms == 8000);
  CHECK(n->incident_id == std::optional<std::int64_t>{11});
  CHECK(n->case_worker == "J. de Vries");

  inc.match.aop.reset();
  const auto no_aop = core::close_notice(inc, 8000);
  REQUIRE(no_aop);
  CHECK(no_aop->case_worker.empty());
  CHECK(no_aop->client_id == "C-12");
}
