// test_lifecycle.cpp — unit tests for the lifecycle half of store::Repository (lifecycle.cpp)
// on a real SQLite file: a repeated alarm joins the open incident or one closed within the
// merge window (and reopens it), a proefmelding never joins, a cancel flags without closing
// (or is stored alone), and positions join only an open incident's track, once.
#include <catch2/catch.hpp>

#include "lifecycle_support.hpp"

#include <string>

#include "core/incident.hpp"
#include "store/repository.hpp"

namespace core = aware::core;
using aware::store::RecordEffect;
using aware::store::Repository;
using aware::testing::count;
using aware::testing::press;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kWindow = 600'000;

aware::store::RecordOutcome record(Repository& repo, const core::Activation& a) {
  core::MatchResult m;
  m.region = "midden-nederland";
  auto out = repo.record_activation(a, core::make_incident(a, m), kWindow);
  REQUIRE(out);
  return *out;
}

void close_incident(Repository& repo, std::int64_t id, core::TimeMs at) {
  REQUIRE(repo.accept(id, "c-1", at)->applied);
  REQUIRE(repo.close(id, "c-1", "per ongeluk / vals alarm", "", at)->applied);
}

}  // namespace

TEST_CASE("a second alarm while the incident is open joins it", "[store][dispatch]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto first = record(repo, press("XM-1", 1, 1000));
  CHECK(first.effect == RecordEffect::opened);
  const auto second = record(repo, press("XM-1", 2, 2000));
  CHECK(second.effect == RecordEffect::repeated);
  CHECK(second.incident.id == first.incident.id);
  CHECK(second.incident.activation_count == 2);
  CHECK(core::has_flag(second.incident.flags, core::Flag::repeated_activation));
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 1);
  CHECK(count(dir, "SELECT count(*) FROM activations WHERE incident_id=" +
                       std::to_string(first.incident.id)) == 2);
  CHECK(repo.incident(first.incident.id)->activation_count == 2);
}

TEST_CASE("an alarm within merge_window after the close reopens; later, a new incident",
          "[store][dispatch]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto first = record(repo, press("XM-1", 1, 1000));
  close_incident(repo, first.incident.id, 5000);
  const auto again = record(repo, press("XM-1", 2, 5000 + kWindow - 1));
  CHECK(again.effect == RecordEffect::reopened);
  CHECK(again.incident.id == first.incident.id);
  CHECK(again.incident.state == core::IncidentState::created);
  CHECK(again.incident.accepted_by.empty());
  CHECK(again.incident.outcome.empty());
  CHECK(again.incident.activation_count == 2);
  REQUIRE(repo.open_incidents()->size() == 1);

  close_incident(repo, first.incident.id, 10'000);
  const auto late = record(repo, press("XM-1", 3, 10'000 + kWindow));
  CHECK(late.effect == RecordEffect::opened);
  CHECK(late.incident.id != first.incident.id);
}

TEST_CASE("a proefmelding opens its own TEST incident and never joins or is joined",
          "[store][dispatch]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto test1 = record(repo, press("XM-1", 1, 1000, core::Trigger::test));
  CHECK(test1.effect == RecordEffect::opened);
  CHECK(test1.incident.priority == core::Priority::test);
  const auto alarm = record(repo, press("XM-1", 2, 2000));
  CHECK(alarm.effect == RecordEffect::opened);
  CHECK(alarm.incident.id != test1.incident.id);
  const auto test2 = record(repo, press("XM-1", 3, 3000, core::Trigger::test));
  CHECK(test2.effect == RecordEffect::opened);
  CHECK(repo.incident(alarm.incident.id)->activation_count == 1);
}

TEST_CASE("a cancel flags the open incident without closing it, or is stored alone",
          "[store][dispatch]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto alone = record(repo, press("XM-1", 1, 1000, core::Trigger::cancel));
  CHECK(alone.effect == RecordEffect::cancel_alone);
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 0);
  CHECK(count(dir, "SELECT count(*) FROM activations WHERE incident_id IS NULL") == 1);
  const auto dup = record(repo, press("XM-1", 1, 1500, core::Trigger::cancel));
  CHECK(dup.duplicate);
  CHECK(dup.effect == RecordEffect::cancel_alone);

  const auto alarm = record(repo, press("XM-1", 2, 2000));
  const auto cancel = record(repo, press("XM-1", 3, 3000, core::Trigger::cancel));
  CHECK(cancel.effect == RecordEffect::cancel_flagged);
  CHECK(cancel.incident.id == alarm.incident.id);
  CHECK(cancel.incident.state == core::IncidentState::created);
  CHECK(core::has_flag(cancel.incident.flags, core::Flag::cancel_requested));
  CHECK(repo.open_incidents()->size() == 1);
}

TEST_CASE("positions join only an open incident's track, once each", "[store][dispatch]") {
  TempDir dir;
  Repository repo{dir.db()};
  const core::GeoFix fix{52.1, 5.2, 8.0F, 1500, core::FixSource::gps, 1600};
  const auto before = repo.append_position({"XM-1", 1, 1}, fix);
  REQUIRE(before);
  CHECK_FALSE(before->incident);
  CHECK(count(dir, "SELECT count(*) FROM positions") == 0);  // privacy: nothing stored

  const auto alarm = record(repo, press("XM-1", 2, 2000));
  const auto joined = repo.append_position({"XM-1", 1, 3}, fix);
  REQUIRE(joined);
  REQUIRE(joined->incident);
  CHECK(joined->incident->id == alarm.incident.id);
  REQUIRE(joined->incident->track.size() == 1);
  CHECK(joined->incident->track[0] == fix);
  const auto again = repo.append_position({"XM-1", 1, 3}, fix);
  REQUIRE(again);
  CHECK(again->duplicate);
  CHECK_FALSE(again->incident);
  CHECK(count(dir, "SELECT count(*) FROM positions") == 1);
  REQUIRE(repo.open_incidents()->at(0).track.size() == 1);  // the track survives a restart

  close_incident(repo, alarm.incident.id, 3000);
  const auto after = repo.append_position({"XM-1", 1, 4}, fix);
  REQUIRE(after);
  CHECK_FALSE(after->incident);
  CHECK(count(dir, "SELECT count(*) FROM positions") == 1);
}
