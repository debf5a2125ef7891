// test_decider.cpp — the Decider (store/decider.hpp): an activation's effect decided before the
// store thread records it, so the consoles need not wait for a COMMIT in progress. On a real
// SQLite file: what it decides is what Repository::record_activations() records (held), for a
// first press, presses in flight together, after a DELIVERED mark, a position, a restart of
// awared; what it leaves to the store (a proefmelding, a cancel, a retransmission, a window, a
// device it does not know); and a write in between (a close, an accept) that makes the store
// record something else: not held, and no later decision of that device trusted either.
#include <catch2/catch.hpp>

#include "lifecycle_support.hpp"

#include <string>
#include <vector>

#include "core/incident.hpp"
#include "store/decider.hpp"
#include "store/repository.hpp"

namespace core = aware::core;
using aware::store::ActivationToRecord;
using aware::store::Decider;
using aware::store::RecordEffect;
using aware::store::Repository;
using aware::testing::count;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kWindow = 600'000;
constexpr core::TimeMs kAt = 1'760'000'000'000;

ActivationToRecord job(const std::string& device, std::uint64_t seq,
                       core::Trigger trigger = core::Trigger::alarm) {
  return aware::testing::press_to_record(device, seq, kAt, kWindow, trigger);
}

// Records `jobs` in one batch; every one must be stored.
std::vector<aware::store::RecordOutcome> record(Repository& repo,
                                                const std::vector<ActivationToRecord>& jobs) {
  auto results = repo.record_activations(jobs);
  std::vector<aware::store::RecordOutcome> out;
  for (auto& r : results) {
    REQUIRE(r);
    out.push_back(std::move(*r));
  }
  return out;
}

// Has `decider` decide `j` (it must), records it alone and returns whether the decision held.
bool decided_and_held(Decider& decider, Repository& repo, ActivationToRecord j) {
  decider.decide(j);
  REQUIRE(j.decision);
  return record(repo, {j})[0].held;
}

// A Repository with a started Decider (in that order of destruction: the decider outlives it).
struct Fixture {
  TempDir dir;
  Decider decider;
  Repository repo{dir.db()};
  Fixture() { repo.attach_decider(decider, kAt); }
};

}  // namespace

TEST_CASE("decider: a first press, and presses in flight together, are decided as stored",
          "[store][decider]") {
  Fixture f;
  auto first = job("XM-A", 1);
  f.decider.decide(first);
  REQUIRE(first.decision);
  CHECK(first.decision->effect == RecordEffect::opened);
  CHECK(first.decision->incident->id == 1);  // reserved: the store inserts this id
  auto opened = record(f.repo, {first});
  CHECK(opened[0].decided);
  CHECK(opened[0].held);
  CHECK(opened[0].incident.id == 1);
  CHECK(count(f.dir, "SELECT id FROM incidents WHERE device_id='XM-A'") == 1);

  // Three more before the store records any of them (one batch), and another device's.
  std::vector<ActivationToRecord> jobs{job("XM-A", 2), job("XM-A", 3), job("XM-B", 1),
                                       job("XM-A", 4)};
  for (auto& j : jobs) {
    f.decider.decide(j);
    REQUIRE(j.decision);
  }
  CHECK(jobs[0].decision->effect == RecordEffect::repeated);
  CHECK(jobs[1].decision->incident->activation_count == 3);
  CHECK(jobs[2].decision->incident->id == 2);
  CHECK(jobs[3].decision->incident->activation_count == 4);
  for (const auto& r : record(f.repo, jobs)) {
    CHECK(r.held);
  }
  CHECK(count(f.dir, "SELECT activation_count FROM incidents WHERE id=1") == 4);
}

TEST_CASE("decider: a decision a console got is stored DELIVERED with the activation",
          "[store][decider]") {
  Fixture f;
  auto first = job("XM-A", 1);
  f.decider.decide(first);
  f.decider.delivered(first);
  CHECK(first.mark_delivered);
  CHECK(first.decision->incident->state == core::IncidentState::delivered);
  CHECK(record(f.repo, {first})[0].held);
  CHECK(count(f.dir, "SELECT state FROM incidents WHERE id=1") == 2);
  CHECK(count(f.dir, "SELECT count(*) FROM incident_events WHERE incident_id=1 AND state=2") == 1);

  auto again = job("XM-A", 2);  // the next press builds on the DELIVERED incident
  f.decider.decide(again);
  REQUIRE(again.decision);
  CHECK(again.decision->incident->state == core::IncidentState::delivered);
  CHECK(record(f.repo, {again})[0].held);
}

TEST_CASE("decider: after a DELIVERED mark or a position its next decision still holds",
          "[store][decider]") {
  Fixture f;
  auto first = job("XM-A", 1);
  f.decider.decide(first);
  const auto id = record(f.repo, {first})[0].incident.id;
  REQUIRE(f.repo.mark_delivered(id, kAt + 10));
  CHECK(decided_and_held(f.decider, f.repo, job("XM-A", 2)));

  const core::GeoFix fix{52.1, 5.13, 8.0F, kAt + 20, core::FixSource::gps, kAt + 20};
  REQUIRE(f.repo.append_position({"XM-A", 1, 3}, fix));
  auto third = job("XM-A", 4);
  f.decider.decide(third);
  REQUIRE(third.decision);
  CHECK(third.decision->incident->track.size() == 1);
  CHECK(record(f.repo, {third})[0].held);
}

TEST_CASE("decider: what it leaves to the store", "[store][decider]") {
  Fixture f;
  auto first = job("XM-A", 5);
  f.decider.decide(first);
  record(f.repo, {first});

  SECTION("a proefmelding and a cancel") {
    auto test = job("XM-A", 6, core::Trigger::test);
    auto cancel = job("XM-B", 1, core::Trigger::cancel);
    f.decider.decide(test);
    f.decider.decide(cancel);
    CHECK_FALSE(test.decision);
    CHECK_FALSE(cancel.decision);
    record(f.repo, {test, cancel});
  }
  SECTION("a retransmission or a number behind the last") {
    auto again = job("XM-A", 5);
    auto behind = job("XM-A", 4);
    f.decider.decide(again);
    f.decider.decide(behind);
    CHECK_FALSE(again.decision);
    CHECK_FALSE(behind.decision);
    const auto r = record(f.repo, {again, behind});
    CHECK(r[0].duplicate);
    CHECK(r[1].regressed);
  }
  SECTION("a device with a proefmelding window") {
    f.decider.window_opened("XM-A");
    auto next = job("XM-A", 6);
    f.decider.decide(next);
    CHECK_FALSE(next.decision);
  }
  SECTION("not allowed (a disk-full episode)") {
    auto next = job("XM-A", 6);
    f.decider.decide(next, false);
    CHECK_FALSE(next.decision);
  }
  SECTION("after one it left to the store, the next decision waits for that one's record") {
    auto test = job("XM-A", 6, core::Trigger::test);
    f.decider.decide(test);
    auto next = job("XM-A", 7);
    f.decider.decide(next);
    CHECK_FALSE(next.decision);
    record(f.repo, {test, next});
    CHECK(decided_and_held(f.decider, f.repo, job("XM-A", 8)));
  }
}

TEST_CASE("decider: a device heard before awared started is left to the store once",
          "[store][decider]") {
  TempDir dir;
  {
    Repository repo{dir.db()};
    REQUIRE(repo.record_activation(job("XM-A", 1).activation, job("XM-A", 1).draft, kWindow));
  }
  Decider decider;
  Repository repo{dir.db()};
  repo.attach_decider(decider, kAt);
  auto second = job("XM-A", 2);
  decider.decide(second);
  CHECK_FALSE(second.decision);  // its incident is not known yet
  record(repo, {second});
  auto third = job("XM-A", 3);
  decider.decide(third);
  REQUIRE(third.decision);
  CHECK(third.decision->incident->activation_count == 3);
  CHECK(record(repo, {third})[0].held);

  auto other = job("XM-NEW", 1);  // never heard: decided, with the next free id
  decider.decide(other);
  REQUIRE(other.decision);
  CHECK(other.decision->incident->id == 2);
  CHECK(record(repo, {other})[0].held);
}

TEST_CASE("decider: a close in between is not held, nor anything decided on top of it",
          "[store][decider]") {
  Fixture f;
  auto first = job("XM-A", 1);
  f.decider.decide(first);
  const auto id = record(f.repo, {first})[0].incident.id;
  std::vector<ActivationToRecord> jobs{job("XM-A", 2), job("XM-A", 3)};
  for (auto& j : jobs) {
    f.decider.decide(j);
    REQUIRE(j.decision);  // decided on the open incident
  }
  REQUIRE(f.repo.accept(id, "centralist", kAt + 2));
  REQUIRE(f.repo.close(id, "centralist", "afgehandeld", "", kAt + 2));
  const auto r = record(f.repo, jobs);
  CHECK(r[0].effect == RecordEffect::reopened);
  CHECK_FALSE(r[0].held);
  CHECK(r[1].effect == RecordEffect::repeated);
  CHECK_FALSE(r[1].held);  // decided on the wrong state, whatever it matches

  // With nothing in flight, the store's record is the decider's state again.
  CHECK(decided_and_held(f.decider, f.repo, job("XM-A", 4)));
}

TEST_CASE("decider: an accept or a note makes it leave the device's next press to the store",
          "[store][decider]") {
  Fixture f;
  auto first = job("XM-A", 1);
  f.decider.decide(first);
  const auto id = record(f.repo, {first})[0].incident.id;
  SECTION("accept") { REQUIRE(f.repo.accept(id, "centralist", kAt + 2)); }
  SECTION("note") { REQUIRE(f.repo.add_note(id, "centralist", "belt terug", kAt + 2)); }
  auto second = job("XM-A", 2);
  f.decider.decide(second);
  CHECK_FALSE(second.decision);
  record(f.repo, {second});
  CHECK(decided_and_held(f.decider, f.repo, job("XM-A", 3)));
}

TEST_CASE("decider: a failed batch holds nothing and its ids are not handed out again",
          "[store][decider]") {
  Fixture f;
  auto first = job("XM-A", 1);
  f.decider.decide(first);
  // A trigger that makes the activation's insert fail: the savepoint of that one fails.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(f.dir.db().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TRIGGER refuse BEFORE INSERT ON activations "
                         "WHEN NEW.device_id = 'XM-A' BEGIN SELECT RAISE(ABORT, 'refused'); END;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close_v2(db);
  }
  auto results = f.repo.record_activations(std::vector<ActivationToRecord>{first});
  CHECK_FALSE(results[0]);
  CHECK(count(f.dir, "SELECT count(*) FROM incidents") == 0);
  auto other = job("XM-B", 1);
  f.decider.decide(other);
  REQUIRE(other.decision);
  CHECK(other.decision->incident->id == 2);  // 1 was shown for XM-A
  CHECK(record(f.repo, {other})[0].held);
  auto retry = job("XM-A", 1);
  f.decider.decide(retry);
  CHECK_FALSE(retry.decision);  // its state is not known after the failure
}
