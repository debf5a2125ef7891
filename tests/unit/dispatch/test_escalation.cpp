// test_escalation.cpp — unit tests for the pure routing timers (dispatch/escalation.hpp) with
// plain numbers for the time: deliver_timeout escalates a NEW incident once; accept_timeout
// re-alerts, and at twice the timeout also to the fallback region, then nothing is left;
// deadlines whose reason is gone are dropped without action; a long-overdue incident (after
// a restart) takes its steps one by one; Escalation keeps the earliest deadline and the due set.
#include <catch2/catch.hpp>

#include "dispatch/escalation.hpp"

namespace core = aware::core;
using aware::dispatch::Escalation;
using aware::dispatch::EscalationPolicy;
using aware::dispatch::step;
using aware::dispatch::TimerAction;
using State = core::IncidentState;

namespace {

constexpr EscalationPolicy kPolicy{3000, 30000};

}  // namespace

TEST_CASE("arm_timers sets both deadlines from the opening time", "[dispatch]") {
  const auto t = core::arm_timers(1000, 3000, 30000);
  CHECK(t.deliver_due == 4000);
  CHECK(t.accept_due == 31000);
  CHECK(t.accept_stage == 0);
  CHECK_FALSE(t.to_fallback);
  CHECK(t.pending());
}

TEST_CASE("nothing happens before a deadline", "[dispatch]") {
  const auto t = core::arm_timers(1000, 3000, 30000);
  const auto s = step(t, State::created, 3999, kPolicy);
  CHECK(s.action == TimerAction::none);
  CHECK(s.next == t);
}

TEST_CASE("a NEW incident past deliver_due is escalated once", "[dispatch]") {
  const auto t = core::arm_timers(1000, 3000, 30000);
  const auto s = step(t, State::created, 4000, kPolicy);
  CHECK(s.action == TimerAction::escalate);
  CHECK_FALSE(s.next.deliver_due);
  CHECK(s.next.accept_due == 31000);
  CHECK(s.next.to_fallback);
  CHECK(step(s.next, State::created, 4001, kPolicy).action == TimerAction::none);
}

TEST_CASE("a delivered incident drops its deliver deadline without action", "[dispatch]") {
  const auto t = core::arm_timers(1000, 3000, 30000);
  const auto s = step(t, State::delivered, 5000, kPolicy);
  CHECK(s.action == TimerAction::none);
  CHECK_FALSE(s.next.deliver_due);
  CHECK_FALSE(s.next.to_fallback);
  CHECK(s.next.accept_due == 31000);
}

TEST_CASE("not accepted: re-alert, then at 2x also the fallback region, then done",
          "[dispatch]") {
  auto t = core::arm_timers(1000, 3000, 30000);
  t.deliver_due.reset();
  auto s = step(t, State::delivered, 31000, kPolicy);
  CHECK(s.action == TimerAction::realert);
  CHECK(s.next.accept_stage == 1);
  CHECK(s.next.accept_due == 61000);
  CHECK_FALSE(s.next.to_fallback);
  CHECK(step(s.next, State::delivered, 60999, kPolicy).action == TimerAction::none);
  s = step(s.next, State::delivered, 61000, kPolicy);
  CHECK(s.action == TimerAction::realert_fallback);
  CHECK(s.next.accept_stage == 2);
  CHECK_FALSE(s.next.accept_due);
  CHECK(s.next.to_fallback);
  CHECK_FALSE(s.next.pending());
}

TEST_CASE("accepted or closed incidents drop every deadline", "[dispatch]") {
  const auto t = core::arm_timers(1000, 3000, 30000);
  for (auto state : {State::accepted, State::closed}) {
    const auto s = step(t, state, 100000, kPolicy);
    CHECK(s.action == TimerAction::none);
    CHECK_FALSE(s.next.pending());
  }
}

TEST_CASE("a long-overdue NEW incident takes its steps one at a time", "[dispatch]") {
  auto t = core::arm_timers(1000, 3000, 30000);
  std::vector<TimerAction> actions;
  for (int i = 0; i < 5; ++i) {
    const auto s = step(t, State::created, 1000000, kPolicy);
    actions.push_back(s.action);
    t = s.next;
  }
  CHECK(actions == std::vector<TimerAction>{TimerAction::escalate, TimerAction::realert,
                                            TimerAction::realert_fallback, TimerAction::none,
                                            TimerAction::none});
}

TEST_CASE("event details are stable", "[dispatch]") {
  CHECK(aware::dispatch::event_detail(TimerAction::escalate) == "escalated: not delivered");
  CHECK(aware::dispatch::event_detail(TimerAction::realert) == "re-alert: not accepted");
  CHECK(aware::dispatch::event_detail(TimerAction::realert_fallback) ==
        "re-alert: not accepted, fallback region");
  CHECK(aware::dispatch::event_detail(TimerAction::none).empty());
}

TEST_CASE("Escalation keeps pending deadlines and reports the earliest and the due ones",
          "[dispatch]") {
  Escalation e;
  CHECK_FALSE(e.next_due());
  e.set(1, core::arm_timers(5000, 3000, 30000));   // 8000
  e.set(2, core::arm_timers(1000, 3000, 30000));   // 4000
  core::IncidentTimers done;
  e.set(3, done);                                    // nothing pending: not kept
  CHECK(e.size() == 2);
  CHECK(e.next_due() == 4000);
  CHECK(e.due(3999).empty());
  CHECK(e.due(4000) == std::vector<std::int64_t>{2});
  CHECK(e.due(8000) == std::vector<std::int64_t>{1, 2});
  e.forget(2);
  CHECK(e.next_due() == 8000);
  REQUIRE(e.find(1) != nullptr);
  CHECK(e.find(1)->deliver_due == 8000);
  e.set(1, done);
  CHECK(e.size() == 0);
}
