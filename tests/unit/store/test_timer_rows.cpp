// test_timer_rows.cpp — unit tests for the escalation deadlines in store::Repository
// (timer_rows.cpp, migration 004) on a real SQLite file: with a timer policy an opened SPOED
// incident gets both deadlines from its receipt time (a proefmelding none), they are read back
// by a second connection (a restart), and record_timer() stores the next deadlines, the
// ESCALATED flag and one event row — and writes nothing for a closed incident.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"


#include <algorithm>
#include <string>

#include "core/incident.hpp"
#include "store/repository.hpp"

namespace core = aware::core;
using aware::store::Repository;
using aware::testing::TempDir;

namespace {

core::Activation press(std::uint64_t seq, core::TimeMs at,
                       core::Trigger trigger = core::Trigger::alarm) {
  core::Activation a;
  a.key = {"XM-1", 1, seq};
  a.device_time_ms = at;
  a.received_ms = at;
  a.trigger = trigger;
  return a;
}

std::int64_t open_one(Repository& repo, const core::Activation& a) {
  core::MatchResult m;
  m.region = "midden-nederland";
  auto out = repo.record_activation(a, core::make_incident(a, m), 0);
  REQUIRE(out);
  return out->incident.id;
}

}  // namespace

TEST_CASE("an opened incident gets its deadlines, which survive a reopen of the store",
          "[store][dispatch]") {
  TempDir dir;
  std::int64_t id = 0;
  {
    Repository repo{dir.db()};
    repo.set_timer_policy(3000, 30000);
    id = open_one(repo, press(1, 1000));
    const auto test = open_one(repo, press(2, 1000, core::Trigger::test));
    CHECK(repo.timers(test).value() == std::nullopt);
  }
  Repository again{dir.db()};
  const auto t = again.timers(id);
  REQUIRE(t);
  REQUIRE(*t);
  CHECK((*t)->deliver_due == 4000);
  CHECK((*t)->accept_due == 31000);
  const auto pending = again.pending_timers();
  REQUIRE(pending);
  REQUIRE(pending->size() == 1);
  CHECK((*pending)[0].first == id);
}

TEST_CASE("without a timer policy no deadlines are stored", "[store][dispatch]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto id = open_one(repo, press(1, 1000));
  CHECK(repo.timers(id).value() == std::nullopt);
  CHECK(repo.pending_timers().value().empty());
}

TEST_CASE("record_timer stores the next deadlines, the flag and one event", "[store][dispatch]") {
  TempDir dir;
  Repository repo{dir.db()};
  repo.set_timer_policy(3000, 30000);
  const auto id = open_one(repo, press(1, 1000));
  core::IncidentTimers next;
  next.accept_due = 31000;
  next.to_fallback = true;
  const auto done = repo.record_timer(id, next, "escalated: not delivered", true, 4000,
                                      core::alert_kind::not_delivered);
  REQUIRE(done);
  CHECK(done->applied);
  CHECK(done->incident.to_fallback);
  const auto& flags = done->incident.flags;
  CHECK(std::count(flags.begin(), flags.end(), core::Flag::escalated) == 1);
  CHECK(repo.timers(id).value() == next);
  const auto reread = repo.incident(id);
  REQUIRE(reread);
  CHECK(reread->to_fallback);
  CHECK(reread->state == core::IncidentState::created);

  // A second firing does not add the flag twice.
  const auto again = repo.record_timer(id, {}, "re-alert: not accepted", true, 31000,
                                       core::alert_kind::not_accepted);
  REQUIRE(again);
  CHECK(std::count(again->incident.flags.begin(), again->incident.flags.end(),
                   core::Flag::escalated) == 1);
  CHECK(repo.pending_timers().value().empty());

  // Closed: nothing written.
  REQUIRE(repo.accept(id, "c-1", 40000)->applied);
  REQUIRE(repo.close(id, "c-1", "geen strafbaar feit", "", 41000)->applied);
  const auto closed = repo.record_timer(id, next, "re-alert: not accepted", true, 50000,
                                        core::alert_kind::not_accepted);
  REQUIRE(closed);
  CHECK_FALSE(closed->applied);
  CHECK(repo.timers(id).value() == core::IncidentTimers{});
}
