// test_alert_rows.cpp — unit tests for the PAC alerts and case-worker notices of
// store::Repository (alert_rows.cpp, migration 005) on a real SQLite file: the notice each
// activation effect writes in its own transaction (none for an unknown device or a duplicate),
// the proefmelding alert, one unresolved alert per subject and kind (and a new one after a
// resolve), acknowledge / resolve and when they are not applied, accept and close resolving
// the incident's alerts and close writing its afgesloten notice, notices_after() (filter,
// newest `limit` in id order, after_id) and the webhook's pending list.
#include <catch2/catch.hpp>

#include "lifecycle_support.hpp"

#include <string>
#include <vector>

#include "core/alert.hpp"
#include "core/incident.hpp"
#include "store/repository.hpp"

namespace core = aware::core;
using aware::store::RecordEffect;
using aware::store::RecordOutcome;
using aware::store::Repository;
using aware::testing::count;
using aware::testing::press;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kWindow = 600'000;

// The match of a known client with an AOP (client_id empty: an unknown device).
core::MatchResult client(const std::string& client_id, const std::string& case_worker = "Els") {
  core::MatchResult m;
  m.client_id = client_id;
  m.region = "midden-nederland";
  if (!client_id.empty()) {
    m.aop_state = core::AopState::active;
    core::AopInfo aop;
    aop.aop_id = "AOP-" + client_id;
    aop.case_worker = case_worker;
    m.aop = aop;
  }
  return m;
}

RecordOutcome record(Repository& repo, const core::Activation& a,
                     const core::MatchResult& m = client("C-1")) {
  auto out = repo.record_activation(a, core::make_incident(a, m), kWindow);
  REQUIRE(out);
  return *out;
}

std::vector<core::Notice> all_notices(Repository& repo) {
  auto n = repo.notices_after(0, 1000, [](const core::Notice&) { return true; });
  REQUIRE(n);
  return *n;
}

std::vector<std::string> events_of(const std::vector<core::Notice>& notices) {
  std::vector<std::string> out;
  for (const auto& n : notices) {
    out.push_back(n.event);
  }
  return out;
}

std::vector<std::int64_t> ids_of(const std::vector<core::Notice>& notices) {
  std::vector<std::int64_t> out;
  for (const auto& n : notices) {
    out.push_back(n.id);
  }
  return out;
}

// A timer step of incident `id` that raises an alert of `kind`; returns the Transition.
Repository::Transition fire(Repository& repo, std::int64_t id, std::string_view kind,
                            core::TimeMs now) {
  core::IncidentTimers next;
  next.accept_due = now + 30'000;
  auto t = repo.record_timer(id, next, "escalated: not delivered", true, now, kind);
  REQUIRE(t);
  return *t;
}

// An escalation alert raised for a fresh alarm of device `device`; returns that alert.
core::Alert raised(Repository& repo, const std::string& device, core::TimeMs at) {
  const auto opened = record(repo, press(device, 1, at));
  auto t = fire(repo, opened.incident.id, core::alert_kind::not_delivered, at + 3000);
  REQUIRE(t.alerts.size() == 1);
  return t.alerts[0];
}

}  // namespace

TEST_CASE("an alarm of a known client writes its activatie notice", "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto out = record(repo, press("XM-1", 1, 1000));
  REQUIRE(out.notice);
  CHECK(out.notice->id > 0);
  CHECK(out.notice->client_id == "C-1");
  CHECK(out.notice->case_worker == "Els");
  CHECK(out.notice->event == "activatie");
  CHECK(out.notice->state == "new");
  CHECK(out.notice->at_ms == 1000);
  CHECK(out.notice->incident_id == std::optional<std::int64_t>{out.incident.id});
  CHECK_FALSE(out.alert.has_value());   // a SPOED alarm raises no PAC alert by itself
  const auto stored = all_notices(repo);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0] == *out.notice);
}

TEST_CASE("repeat, cancel, close, reopen and a lone cancel each write their notice",
          "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto first = record(repo, press("XM-1", 1, 1000));
  const auto again = record(repo, press("XM-1", 2, 2000));
  REQUIRE(again.effect == RecordEffect::repeated);
  const auto cancel = record(repo, press("XM-1", 3, 3000, core::Trigger::cancel));
  REQUIRE(cancel.effect == RecordEffect::cancel_flagged);
  REQUIRE(repo.accept(first.incident.id, "c-1", 4000)->applied);
  REQUIRE(repo.close(first.incident.id, "c-1", "overig", "", 5000)->applied);
  const auto reopened = record(repo, press("XM-1", 4, 6000));
  REQUIRE(reopened.effect == RecordEffect::reopened);
  REQUIRE(repo.accept(first.incident.id, "c-1", 7000)->applied);
  REQUIRE(repo.close(first.incident.id, "c-1", "overig", "", 8000)->applied);
  const auto alone = record(repo, press("XM-1", 5, 8000 + kWindow, core::Trigger::cancel));
  REQUIRE(alone.effect == RecordEffect::cancel_alone);

  const auto notices = all_notices(repo);
  CHECK(events_of(notices) ==
        std::vector<std::string>{"activatie", "herhaalde_activatie", "geannuleerd", "afgesloten",
                                 "herhaalde_activatie", "afgesloten", "geannuleerd"});
  REQUIRE(notices.size() == 7);
  CHECK(notices[1].state == "new");
  CHECK(notices[2].incident_id == std::optional<std::int64_t>{first.incident.id});
  CHECK(notices[3].state == "closed");
  CHECK(notices[3].at_ms == 5000);
  CHECK(notices[4].state == "new");
  CHECK(notices[6].state == "none");
  CHECK_FALSE(notices[6].incident_id.has_value());
  CHECK(notices[6].client_id == "C-1");
  REQUIRE(alone.notice);
  CHECK(*alone.notice == notices[6]);
}

TEST_CASE("an unknown device and a duplicate activation write no notice",
          "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto unknown = record(repo, press("XX-9", 1, 1000), client(""));
  CHECK(unknown.effect == RecordEffect::opened);
  CHECK_FALSE(unknown.notice.has_value());
  CHECK_FALSE(record(repo, press("XX-9", 2, 1500, core::Trigger::cancel), client("")).notice);
  CHECK(count(dir, "SELECT count(*) FROM notices") == 0);

  const auto known = record(repo, press("XM-1", 1, 2000));
  REQUIRE(known.notice);
  const auto dup = record(repo, press("XM-1", 1, 2000));
  CHECK(dup.duplicate);
  CHECK_FALSE(dup.notice.has_value());
  CHECK(count(dir, "SELECT count(*) FROM notices") == 1);
}

TEST_CASE("a proefmelding writes its notice and raises a PAC alert, even for an unknown device",
          "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto test = record(repo, press("XM-1", 1, 1000, core::Trigger::test));
  REQUIRE(test.notice);
  CHECK(test.notice->event == "proefmelding");
  REQUIRE(test.alert);
  CHECK(test.alert->id > 0);
  CHECK(test.alert->kind == "proefmelding");
  CHECK(test.alert->subject == "incident:" + std::to_string(test.incident.id));
  CHECK(test.alert->state == core::AlertState::open);
  CHECK(test.alert->severity == core::AlertSeverity::info);
  CHECK(test.alert->client_id == "C-1");

  const auto unknown = record(repo, press("XX-9", 1, 2000, core::Trigger::test), client(""));
  CHECK_FALSE(unknown.notice.has_value());
  REQUIRE(unknown.alert);
  CHECK(unknown.alert->client_id.empty());
  CHECK(unknown.alert->device_id == "XX-9");

  const auto stored = repo.unresolved_alerts();
  REQUIRE(stored);
  REQUIRE(stored->size() == 2);
  CHECK((*stored)[0] == *test.alert);
  CHECK((*stored)[1] == *unknown.alert);
}

TEST_CASE("a timer step raises its escalation alert once while it is unresolved",
          "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto opened = record(repo, press("XM-1", 1, 1000));
  const auto first = fire(repo, opened.incident.id, core::alert_kind::not_delivered, 4000);
  CHECK(first.applied);
  REQUIRE(first.alerts.size() == 1);
  const auto& a = first.alerts[0];
  CHECK(a.kind == "niet_afgeleverd");
  CHECK(a.subject == "incident:" + std::to_string(opened.incident.id));
  CHECK(a.severity == core::AlertSeverity::urgent);
  CHECK(a.opened_ms == 4000);
  CHECK_THAT(a.detail, Catch::Contains("escalated: not delivered"));

  const auto second = fire(repo, opened.incident.id, core::alert_kind::not_delivered, 5000);
  CHECK(second.applied);
  CHECK(second.alerts.empty());
  const auto other_kind = fire(repo, opened.incident.id, core::alert_kind::not_accepted, 6000);
  REQUIRE(other_kind.alerts.size() == 1);
  CHECK(other_kind.alerts[0].kind == "niet_aangenomen");
  CHECK(count(dir, "SELECT count(*) FROM alerts") == 2);

  // Resolved, the same condition may raise a new one.
  REQUIRE(repo.resolve_alert(a.id, "pac-1", 7000).value()->applied);
  const auto after = fire(repo, opened.incident.id, core::alert_kind::not_delivered, 8000);
  REQUIRE(after.alerts.size() == 1);
  CHECK(after.alerts[0].id != a.id);
  CHECK(count(dir, "SELECT count(*) FROM alerts WHERE kind='niet_afgeleverd'") == 2);
}

TEST_CASE("a timer step of a closed incident raises no alert", "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto opened = record(repo, press("XM-1", 1, 1000));
  REQUIRE(repo.accept(opened.incident.id, "c-1", 2000)->applied);
  REQUIRE(repo.close(opened.incident.id, "c-1", "overig", "", 3000)->applied);
  const auto t = fire(repo, opened.incident.id, core::alert_kind::not_accepted, 4000);
  CHECK_FALSE(t.applied);
  CHECK(t.alerts.empty());
  CHECK(count(dir, "SELECT count(*) FROM alerts") == 0);
}

TEST_CASE("an open alert is acknowledged once, then resolved once", "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto a = raised(repo, "XM-1", 1000);

  const auto ack = repo.acknowledge_alert(a.id, "pac-1", 5000);
  REQUIRE(ack);
  REQUIRE(*ack);
  CHECK((*ack)->applied);
  CHECK((*ack)->alert.state == core::AlertState::acknowledged);
  CHECK((*ack)->alert.acked_ms == 5000);
  CHECK((*ack)->alert.acked_by == "pac-1");
  CHECK((*ack)->alert.resolved_ms == 0);

  const auto ack_again = repo.acknowledge_alert(a.id, "pac-2", 6000);
  REQUIRE(ack_again.value());
  CHECK_FALSE((*ack_again)->applied);
  CHECK((*ack_again)->alert.acked_by == "pac-1");
  CHECK((*ack_again)->alert.acked_ms == 5000);

  const auto res = repo.resolve_alert(a.id, "pac-2", 7000);
  REQUIRE(res.value());
  CHECK((*res)->applied);
  CHECK((*res)->alert.state == core::AlertState::resolved);
  CHECK((*res)->alert.resolved_ms == 7000);
  CHECK((*res)->alert.resolved_by == "pac-2");
  CHECK((*res)->alert.acked_by == "pac-1");

  const auto res_again = repo.resolve_alert(a.id, "pac-3", 8000);
  REQUIRE(res_again.value());
  CHECK_FALSE((*res_again)->applied);
  CHECK((*res_again)->alert.resolved_by == "pac-2");
  const auto ack_resolved = repo.acknowledge_alert(a.id, "pac-3", 8000);
  REQUIRE(ack_resolved.value());
  CHECK_FALSE((*ack_resolved)->applied);
  CHECK((*ack_resolved)->alert.state == core::AlertState::resolved);
  CHECK(repo.unresolved_alerts()->empty());
}

TEST_CASE("an open alert may be resolved without an acknowledge, an unknown one is none",
          "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto a = raised(repo, "XM-1", 1000);
  const auto res = repo.resolve_alert(a.id, "pac-1", 2000);
  REQUIRE(res.value());
  CHECK((*res)->applied);
  CHECK((*res)->alert.acked_ms == 0);
  CHECK((*res)->alert.acked_by.empty());
  CHECK(repo.acknowledge_alert(a.id + 100, "pac-1", 1).value() == std::nullopt);
  CHECK(repo.resolve_alert(a.id + 100, "pac-1", 1).value() == std::nullopt);
}

TEST_CASE("accepting an incident resolves its escalation alerts and writes no notice",
          "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto a = raised(repo, "XM-1", 1000);
  const auto other = raised(repo, "XM-2", 1000);
  const auto notices_before = count(dir, "SELECT count(*) FROM notices");
  const auto t = repo.accept(*a.incident_id, "c-1", 9000);
  REQUIRE(t);
  CHECK(t->applied);
  REQUIRE(t->alerts.size() == 1);
  CHECK(t->alerts[0].id == a.id);
  CHECK(t->alerts[0].state == core::AlertState::resolved);
  CHECK(t->alerts[0].resolved_by == "awared");
  CHECK(t->alerts[0].resolved_ms == 9000);
  CHECK_FALSE(t->notice.has_value());
  CHECK(count(dir, "SELECT count(*) FROM notices") == notices_before);
  const auto left = repo.unresolved_alerts();
  REQUIRE(left);
  REQUIRE(left->size() == 1);
  CHECK((*left)[0].id == other.id);

  // Not applied (someone else accepted it first): nothing resolved.
  REQUIRE(repo.accept(*other.incident_id, "c-1", 9100)->applied);
  const auto by_other = repo.accept(*other.incident_id, "c-2", 9200);
  REQUIRE(by_other);
  CHECK_FALSE(by_other->applied);
  CHECK(by_other->alerts.empty());
}

TEST_CASE("closing resolves the incident's alerts and writes an afgesloten notice",
          "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto opened = record(repo, press("XM-1", 1, 1000));
  REQUIRE(repo.accept(opened.incident.id, "c-1", 2000)->applied);
  const auto late = fire(repo, opened.incident.id, core::alert_kind::not_accepted, 2500);
  REQUIRE(late.alerts.size() == 1);

  const auto wrong = repo.close(opened.incident.id, "c-2", "overig", "", 2800);
  REQUIRE(wrong);
  CHECK_FALSE(wrong->applied);
  CHECK_FALSE(wrong->notice.has_value());
  CHECK(wrong->alerts.empty());

  const auto t = repo.close(opened.incident.id, "c-1", "overig", "note", 3000);
  REQUIRE(t);
  CHECK(t->applied);
  REQUIRE(t->alerts.size() == 1);
  CHECK(t->alerts[0].id == late.alerts[0].id);
  CHECK(t->alerts[0].state == core::AlertState::resolved);
  REQUIRE(t->notice);
  CHECK(t->notice->event == "afgesloten");
  CHECK(t->notice->state == "closed");
  CHECK(t->notice->at_ms == 3000);
  CHECK(t->notice->client_id == "C-1");
  CHECK(t->notice->case_worker == "Els");
  CHECK(t->notice->incident_id == std::optional<std::int64_t>{opened.incident.id});
  CHECK(all_notices(repo).back() == *t->notice);
  CHECK(repo.unresolved_alerts()->empty());

  const auto again = repo.close(opened.incident.id, "c-1", "overig", "", 4000);
  REQUIRE(again);
  CHECK_FALSE(again->applied);
  CHECK_FALSE(again->notice.has_value());
  CHECK(count(dir, "SELECT count(*) FROM notices WHERE event='afgesloten'") == 1);
}

TEST_CASE("closing an unknown device's incident writes no notice", "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto opened = record(repo, press("XX-9", 1, 1000), client(""));
  REQUIRE(repo.accept(opened.incident.id, "c-1", 2000)->applied);
  const auto t = repo.close(opened.incident.id, "c-1", "overig", "", 3000);
  REQUIRE(t);
  CHECK(t->applied);
  CHECK_FALSE(t->notice.has_value());
  CHECK(count(dir, "SELECT count(*) FROM notices") == 0);
}

TEST_CASE("accepting a proefmelding leaves its alert for the PAC operator to confirm",
          "[store][dispatch][alerts]") {
  // repository.hpp: "Accepting or closing also resolves the incident's escalation alerts";
  // a proefmelding alert is not an escalation alert: the operator confirms it by hand.
  TempDir dir;
  Repository repo{dir.db()};
  const auto test = record(repo, press("XM-1", 1, 1000, core::Trigger::test));
  REQUIRE(test.alert);
  const auto t = repo.accept(test.incident.id, "c-1", 2000);
  REQUIRE(t);
  REQUIRE(t->applied);
  CHECK(t->alerts.empty());
  const auto left = repo.unresolved_alerts();
  REQUIRE(left);
  REQUIRE(left->size() == 1);
  CHECK((*left)[0].kind == "proefmelding");
}

TEST_CASE("notices_after filters, keeps the newest limit in id order and starts after an id",
          "[store][dispatch][alerts]") {
  TempDir dir;
  Repository repo{dir.db()};
  // Six notices, alternating between two clients (each device its own incident).
  for (std::uint64_t i = 1; i <= 6; ++i) {
    const std::string c = i % 2 == 1 ? "C-1" : "C-2";
    REQUIRE(record(repo, press("XM-" + std::to_string(i), 1, 1000 * static_cast<core::TimeMs>(i)),
                   client(c))
                .notice);
  }
  const auto every = all_notices(repo);
  REQUIRE(every.size() == 6);
  const auto id = ids_of(every);
  const auto all = [](const core::Notice&) { return true; };
  const auto c1 = [](const core::Notice& n) { return n.client_id == "C-1"; };

  CHECK(ids_of(repo.notices_after(0, 2, all).value()) == std::vector<std::int64_t>{id[4], id[5]});
  CHECK(ids_of(repo.notices_after(0, 2, c1).value()) == std::vector<std::int64_t>{id[2], id[4]});
  CHECK(ids_of(repo.notices_after(0, 10, c1).value()) ==
        std::vector<std::int64_t>{id[0], id[2], id[4]});
  CHECK(ids_of(repo.notices_after(id[2], 10, all).value()) ==
        std::vector<std::int64_t>{id[3], id[4], id[5]});
  CHECK(ids_of(repo.notices_after(id[2], 1, c1).value()) == std::vector<std::int64_t>{id[4]});
  CHECK(repo.notices_after(id[5], 10, all).value().empty());
  CHECK(repo.notices_after(0, 0, all).value().empty());
  CHECK(repo.notices_after(0, 10, [](const core::Notice&) { return false; }).value().empty());
}

TEST_CASE("the webhook takes notices oldest first and each once marked is no longer pending",
          "[store][dispatch][alerts]") {
  TempDir dir;
  std::vector<std::int64_t> id;
  {
    Repository repo{dir.db()};
    for (std::uint64_t i = 1; i <= 3; ++i) {
      id.push_back(record(repo, press("XM-" + std::to_string(i), 1, 1000)).notice->id);
    }
    CHECK(ids_of(repo.webhook_pending(10).value()) == id);
    CHECK(ids_of(repo.webhook_pending(2).value()) == std::vector<std::int64_t>{id[0], id[1]});
    CHECK(repo.webhook_pending(0).value().empty());
    REQUIRE(repo.mark_webhook_sent(id[0], 5000));
    REQUIRE(repo.mark_webhook_sent(id[2], 5000));
    CHECK(repo.mark_webhook_sent(id[2] + 100, 5000).has_value());
  }
  Repository again{dir.db()};
  const auto pending = again.webhook_pending(10);
  REQUIRE(pending);
  REQUIRE(pending->size() == 1);
  CHECK((*pending)[0].id == id[1]);
  CHECK((*pending)[0].case_worker == "Els");
  CHECK(count(dir, "SELECT webhook_ms FROM notices WHERE id=" + std::to_string(id[0])) == 5000);
}
