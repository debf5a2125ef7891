// test_note_rows.cpp — a centralist's notes and meeluisteren in the store (issue 7): add_note()
// stores the author and time, returns the incident with every note (oldest first, also after
// reopening the database), writes an incident_events row, refuses a closed incident, a full
// one (core::kMaxNotesPerIncident) and an unknown one without writing; record_listen_in()
// puts who and when on the incident. Label: dispatch.
#include <catch2/catch.hpp>

#include "lifecycle_support.hpp"

#include <sqlite3.h>

#include <memory>

#include "core/incident.hpp"
#include "core/incident_note.hpp"
#include "store/repository.hpp"

using namespace aware;
using aware::store::Repository;
using aware::testing::count;
using aware::testing::press;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kT0 = 1'800'000'000'000;

std::int64_t open_incident(Repository& repo, const std::string& device) {
  const auto a = press(device, 1, kT0);
  core::MatchResult m;
  m.region = "midden-nederland";
  const auto out = repo.record_activation(a, core::make_incident(a, m), 0);
  REQUIRE(out);
  return out->incident.id;
}

}  // namespace

TEST_CASE("add_note stores author, time and text, and the incident carries every note",
          "[store][note]") {
  TempDir dir;
  auto repo = std::make_unique<Repository>(dir.db());
  const auto id = open_incident(*repo, "XM-1");

  auto first = repo->add_note(id, "anna", "eenheid onderweg", kT0 + 10);
  REQUIRE(first);
  CHECK(first->applied);
  auto second = repo->add_note(id, "bert", "pleger gezien bij de school", kT0 + 20);
  REQUIRE(second);
  REQUIRE(second->incident.notes.size() == 2);
  CHECK(second->incident.notes[0].author == "anna");
  CHECK(second->incident.notes[0].at_ms == kT0 + 10);
  CHECK(second->incident.notes[1].text == "pleger gezien bij de school");
  CHECK(second->incident.state == core::IncidentState::created);  // the state does not change
  CHECK(count(dir, "SELECT count(*) FROM incident_events WHERE detail='notitie'") == 2);

  repo.reset();  // durable: a new connection reads them back
  Repository again{dir.db()};
  auto open = again.open_incidents();
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK(open->front().notes.size() == 2);
  CHECK(open->front().notes[1].author == "bert");
}

TEST_CASE("add_note writes nothing on a closed, a full or an unknown incident", "[store][note]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto closed = open_incident(repo, "XM-1");
  REQUIRE(repo.accept(closed, "anna", kT0 + 1)->applied);
  REQUIRE(repo.close(closed, "anna", "overig", "", kT0 + 2)->applied);
  auto late = repo.add_note(closed, "anna", "te laat", kT0 + 3);
  REQUIRE(late);
  CHECK_FALSE(late->applied);
  CHECK(late->incident.notes.empty());

  const auto full = open_incident(repo, "XM-2");
  for (std::size_t i = 0; i < core::kMaxNotesPerIncident; ++i) {
    REQUIRE(repo.add_note(full, "anna", "n" + std::to_string(i), kT0 + 10)->applied);
  }
  auto one_more = repo.add_note(full, "anna", "te veel", kT0 + 20);
  REQUIRE(one_more);
  CHECK_FALSE(one_more->applied);
  CHECK(one_more->incident.notes.size() == core::kMaxNotesPerIncident);

  auto unknown = repo.add_note(9999, "anna", "x", kT0);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == SQLITE_NOTFOUND);
  CHECK(count(dir, "SELECT count(*) FROM incident_notes") ==
        static_cast<std::int64_t>(core::kMaxNotesPerIncident));
}

TEST_CASE("record_listen_in puts who and when on the incident", "[store][note]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto id = open_incident(repo, "XM-1");
  REQUIRE(repo.incident(id)->listen_in_by.empty());
  auto listened = repo.record_listen_in(id, "bert", kT0 + 5);
  REQUIRE(listened);
  CHECK(listened->applied);
  CHECK(listened->incident.listen_in_by == "bert");
  CHECK(listened->incident.listen_in_ms == kT0 + 5);
  CHECK(repo.open_incidents()->front().listen_in_by == "bert");
}
