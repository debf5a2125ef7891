// test_repository.cpp — unit tests for store::Repository against a real SQLite file in a fresh
// temporary directory per test. Covers the durability settings (WAL, synchronous=FULL, schema
// version) and reopening, recording activations (rows checked directly with a read-only sqlite3
// connection), duplicates and boot-epoch restarts, open incidents with their JSON context
// round-tripped, the guarded state transitions (deliver, accept, close) and their events, the
// demo seed and registry load, and refusing a file that is not a database.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "core/incident.hpp"
#include "store/repository.hpp"

namespace core = aware::core;
namespace fs = std::filesystem;
using aware::store::Repository;

namespace {

using aware::testing::TempDir;

// A read-only connection for inspecting rows the repository wrote.
class Inspector {
 public:
  explicit Inspector(const fs::path& file) {
    REQUIRE(sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  }
  ~Inspector() { sqlite3_close_v2(db_); }
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  // The first column of the first row of `sql` as text ("" for NULL or no row).
  std::string text(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }
  std::int64_t integer(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    const auto v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

core::Activation activation(std::string device, std::uint32_t epoch, std::uint64_t seq,
                            core::TimeMs received) {
  core::Activation a;
  a.key = {std::move(device), epoch, seq};
  a.device_time_ms = received - 50;
  a.received_ms = received;
  a.trigger = core::Trigger::alarm;
  a.fix = core::GeoFix{52.0907, 5.1214, 12.5F, received - 1000, core::FixSource::gps, received};
  a.audio = core::AudioChannel{core::AudioKind::phone, "+31612345678", "AMR-WB"};
  a.battery_pct = 73;
  return a;
}

core::MatchResult rich_match() {
  core::MatchResult m;
  m.client_id = "C-001";
  m.region = "Midden-Nederland";
  m.aop = core::AopInfo{"AOP-001", "Anna", "sig", "pleger", "J. Bakker", "2024-01-01",
                        "2024-12-31", {"foto://AOP-001/1", "https://foto.example/2.jpg"}};
  m.aols = {{"AOL-001", "woning", "Oudegracht 1", "achterom", 12.25, true},
            {"AOL-002", "school", "Schoolstraat 5", "", 420.5, false}};
  m.aol_zones = {{"AOL-001", 52.0907, 5.1214, 150.0, std::nullopt},
                 {"AOL-002", 52.098, 5.11, 0.0,
                  core::Polygon{{{52.097, 5.109}, {52.097, 5.111}, {52.099, 5.111}},
                                {{{52.0975, 5.1095}, {52.0975, 5.1100}, {52.0980, 5.1100}}}}}};
  m.flags = {core::Flag::contract_expired};
  return m;
}

constexpr core::TimeMs kMergeWindowMs = 600'000;

// Records `a` with the incident make_incident() drafts; requires success.
aware::store::RecordOutcome record(Repository& repo, const core::Activation& a,
                                   const core::MatchResult& m = rich_match()) {
  auto out = repo.record_activation(a, core::make_incident(a, m), kMergeWindowMs);
  REQUIRE(out);
  return *out;
}

}  // namespace

TEST_CASE("a new database runs WAL with synchronous=FULL at schema version 1", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  CHECK(repo.journal_mode() == "wal");
  CHECK(repo.synchronous() == 2);
  CHECK(repo.schema_version() == 12);
  CHECK(fs::exists(dir.db()));
}

TEST_CASE("the constructor creates a missing parent folder", "[store]") {
  TempDir dir;
  const auto nested = dir.path() / "a" / "b" / "awared.db";
  Repository repo{nested};
  CHECK(fs::exists(nested));
}

TEST_CASE("reopening an existing database keeps its data and does not re-run migrations",
          "[store]") {
  TempDir dir;
  std::int64_t id = 0;
  {
    Repository repo{dir.db()};
    id = record(repo, activation("XM-1", 1, 1, 1000)).incident.id;
  }
  Repository again{dir.db()};  // a re-run CREATE TABLE would throw here
  CHECK(again.schema_version() == 12);
  CHECK(again.journal_mode() == "wal");
  CHECK(again.synchronous() == 2);
  auto open = again.open_incidents();
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK(open->front().id == id);
}

TEST_CASE("record_activation stores the incident, the activation row and an event", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto a = activation("XM-DEMO-001", 3, 17, 1700000000000);
  const auto out = record(repo, a);
  CHECK_FALSE(out.duplicate);
  CHECK_FALSE(out.restarted);
  CHECK(out.incident.id > 0);
  CHECK(out.incident.state == core::IncidentState::created);
  CHECK(out.incident.key == a.key);

  Inspector db{dir.db()};
  const auto id = std::to_string(out.incident.id);
  CHECK(db.integer("SELECT count(*) FROM activations") == 1);
  CHECK(db.text("SELECT device_id FROM activations") == "XM-DEMO-001");
  CHECK(db.integer("SELECT boot_epoch FROM activations") == 3);
  CHECK(db.integer("SELECT seq FROM activations") == 17);
  CHECK(db.integer("SELECT received_ms FROM activations") == 1700000000000);
  CHECK(db.integer("SELECT device_time_ms FROM activations") == 1700000000000 - 50);
  CHECK(db.text("SELECT trigger FROM activations") == "alarm");
  CHECK(db.text("SELECT fix_source FROM activations") == "gps");
  CHECK(db.integer("SELECT fix_invalid FROM activations") == 0);
  CHECK(db.text("SELECT audio_kind FROM activations") == "phone");
  CHECK(db.text("SELECT audio_address FROM activations") == "+31612345678");
  CHECK(db.integer("SELECT battery_pct FROM activations") == 73);
  CHECK(db.text("SELECT incident_id FROM activations") == id);

  CHECK(db.integer("SELECT count(*) FROM incidents") == 1);
  CHECK(db.integer("SELECT state FROM incidents") == 1);
  CHECK(db.integer("SELECT priority FROM incidents") == 1);
  CHECK(db.text("SELECT region FROM incidents") == "Midden-Nederland");
  CHECK(db.text("SELECT client_id FROM incidents") == "C-001");

  CHECK(db.integer("SELECT count(*) FROM incident_events") == 1);
  CHECK(db.text("SELECT incident_id FROM incident_events") == id);
  CHECK(db.integer("SELECT state FROM incident_events") == 1);
  CHECK(db.integer("SELECT at_ms FROM incident_events") == 1700000000000);
  CHECK(db.text("SELECT detail FROM incident_events") == "activation");
}

TEST_CASE("an activation without fix or audio stores NULLs and the fix_invalid flag",
          "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  auto a = activation("XM-1", 1, 1, 1000);
  a.fix.reset();
  a.fix_invalid = true;
  a.audio.reset();
  a.trigger = core::Trigger::test;
  const auto out = record(repo, a);
  CHECK(out.incident.priority == core::Priority::test);
  Inspector db{dir.db()};
  CHECK(db.integer("SELECT lat IS NULL FROM activations") == 1);
  CHECK(db.integer("SELECT audio_kind IS NULL FROM activations") == 1);
  CHECK(db.integer("SELECT fix_invalid FROM activations") == 1);
  CHECK(db.text("SELECT trigger FROM activations") == "test");
  CHECK(db.integer("SELECT priority FROM incidents") == 3);
}

TEST_CASE("an exact duplicate returns the first incident and adds no rows", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto a = activation("XM-1", 2, 5, 1000);
  const auto first = record(repo, a);
  auto later = a;
  later.received_ms = 9999;  // a retransmission arrives later; its key is what counts
  const auto dup = record(repo, later);
  CHECK(dup.duplicate);
  CHECK_FALSE(dup.restarted);
  CHECK(dup.incident.id == first.incident.id);
  CHECK(dup.incident.received_ms == 1000);
  Inspector db{dir.db()};
  CHECK(db.integer("SELECT count(*) FROM activations") == 1);
  CHECK(db.integer("SELECT count(*) FROM incidents") == 1);
  CHECK(db.integer("SELECT count(*) FROM incident_events") == 1);
}

TEST_CASE("the same seq under a new boot epoch is a new activation, reported restarted",
          "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto first = record(repo, activation("XM-1", 1, 5, 1000));
  const auto second = record(repo, activation("XM-1", 2, 5, 2000));
  CHECK_FALSE(second.duplicate);
  CHECK(second.restarted);
  // Stored as a new activation; the incident is still open, so it joins it (merge_window).
  CHECK(second.effect == aware::store::RecordEffect::repeated);
  CHECK(second.incident.id == first.incident.id);
  const auto third = record(repo, activation("XM-1", 2, 6, 3000));
  CHECK_FALSE(third.restarted);  // same epoch as the one before
  const auto other_device = record(repo, activation("XM-2", 7, 1, 4000));
  CHECK_FALSE(other_device.restarted);  // first sight of a device is no restart
  Inspector db{dir.db()};
  CHECK(db.integer("SELECT count(*) FROM activations") == 4);
  CHECK(db.integer("SELECT count(*) FROM incidents") == 2);
}

TEST_CASE("open_incidents lists incidents oldest first with their context round-tripped",
          "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto a1 = activation("XM-1", 1, 1, 1000);
  const auto r1 = record(repo, a1);
  auto a2 = activation("XM-2", 1, 1, 2000);
  a2.fix.reset();
  a2.audio.reset();
  core::MatchResult unknown;
  unknown.region = "landelijk";
  unknown.flags = {core::Flag::unknown_device};
  const auto r2 = record(repo, a2, unknown);

  auto open = repo.open_incidents();
  REQUIRE(open);
  REQUIRE(open->size() == 2);
  const auto& i1 = (*open)[0];
  const auto& i2 = (*open)[1];
  CHECK(i1.id == r1.incident.id);
  CHECK(i2.id == r2.incident.id);

  const auto draft = core::make_incident(a1, rich_match());
  CHECK(i1.state == core::IncidentState::created);
  CHECK(i1.priority == core::Priority::spoed);
  CHECK(i1.received_ms == 1000);
  CHECK(i1.key == a1.key);
  CHECK(i1.match == draft.match);
  REQUIRE(i1.position.has_value());
  CHECK(*i1.position == *a1.fix);
  REQUIRE(i1.audio.has_value());
  CHECK(*i1.audio == *a1.audio);
  CHECK(i1.battery_pct == 73);
  CHECK(i1.flags == draft.flags);
  CHECK(i1.activation_count == 1);
  CHECK(i1.track.empty());

  CHECK(i2.match.client_id.empty());
  CHECK(i2.match.region == "landelijk");
  CHECK_FALSE(i2.match.aop.has_value());
  CHECK(i2.match.aols.empty());
  CHECK_FALSE(i2.position.has_value());
  CHECK_FALSE(i2.audio.has_value());
  CHECK(i2.flags == std::vector<core::Flag>{core::Flag::unknown_device, core::Flag::no_position});
}

TEST_CASE("incident() finds one incident and reports SQLITE_NOTFOUND for a missing one",
          "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto r = record(repo, activation("XM-1", 1, 1, 1000));
  auto found = repo.incident(r.incident.id);
  REQUIRE(found);
  CHECK(found->key.device_id == "XM-1");
  auto missing = repo.incident(r.incident.id + 100);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == SQLITE_NOTFOUND);
}

TEST_CASE("mark_delivered applies once, then not again", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto id = record(repo, activation("XM-1", 1, 1, 1000)).incident.id;
  auto first = repo.mark_delivered(id, 2000);
  REQUIRE(first);
  CHECK(first->applied);
  CHECK(first->incident.state == core::IncidentState::delivered);
  auto second = repo.mark_delivered(id, 3000);
  REQUIRE(second);
  CHECK_FALSE(second->applied);
  CHECK(second->incident.state == core::IncidentState::delivered);
  Inspector db{dir.db()};
  CHECK(db.integer("SELECT count(*) FROM incident_events WHERE state=2") == 1);
  CHECK(db.integer("SELECT updated_ms FROM incidents") == 2000);
}

TEST_CASE("accept: A applies, B is refused and A stays, A again applies", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto id = record(repo, activation("XM-1", 1, 1, 1000)).incident.id;
  REQUIRE(repo.mark_delivered(id, 1500));
  auto by_a = repo.accept(id, "centralist-a", 2000);
  REQUIRE(by_a);
  CHECK(by_a->applied);
  CHECK(by_a->incident.state == core::IncidentState::accepted);
  CHECK(by_a->incident.accepted_by == "centralist-a");

  auto by_b = repo.accept(id, "centralist-b", 2100);
  REQUIRE(by_b);
  CHECK_FALSE(by_b->applied);
  CHECK(by_b->incident.accepted_by == "centralist-a");

  auto again = repo.accept(id, "centralist-a", 2200);
  REQUIRE(again);
  CHECK(again->applied);
  CHECK(again->incident.accepted_by == "centralist-a");

  Inspector db{dir.db()};
  CHECK(db.integer("SELECT count(*) FROM incident_events WHERE state=3") == 2);
  CHECK(db.integer("SELECT count(*) FROM incident_events WHERE who='centralist-b'") == 0);
}

TEST_CASE("accept applies straight from created (never shown on a screen)", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto id = record(repo, activation("XM-1", 1, 1, 1000)).incident.id;
  auto r = repo.accept(id, "a", 2000);
  REQUIRE(r);
  CHECK(r->applied);
  CHECK(r->incident.state == core::IncidentState::accepted);
}

TEST_CASE("close only applies after accept by the one who accepted and then leaves the open list",
          "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto id = record(repo, activation("XM-1", 1, 1, 1000)).incident.id;

  auto too_early = repo.close(id, "centralist-a", "vals alarm", "", 1500);
  REQUIRE(too_early);
  CHECK_FALSE(too_early->applied);
  CHECK(too_early->incident.state == core::IncidentState::created);

  REQUIRE(repo.accept(id, "centralist-a", 2000));
  auto by_b = repo.close(id, "centralist-b", "pleger aangehouden", "", 2500);
  REQUIRE(by_b);
  CHECK_FALSE(by_b->applied);
  CHECK(by_b->incident.state == core::IncidentState::accepted);

  auto by_a = repo.close(id, "centralist-a", "pleger aangehouden", "eenheid ter plaatse", 3000);
  REQUIRE(by_a);
  CHECK(by_a->applied);
  CHECK(by_a->incident.state == core::IncidentState::closed);
  CHECK(by_a->incident.outcome == "pleger aangehouden");

  auto open = repo.open_incidents();
  REQUIRE(open);
  CHECK(open->empty());

  auto closed_again = repo.close(id, "centralist-a", "x", "", 4000);
  REQUIRE(closed_again);
  CHECK_FALSE(closed_again->applied);

  Inspector db{dir.db()};
  CHECK(db.text("SELECT note FROM incidents") == "eenheid ter plaatse");
  CHECK(db.integer("SELECT count(*) FROM incident_events WHERE state=4") == 1);
  CHECK(db.text("SELECT detail FROM incident_events WHERE state=4") == "pleger aangehouden");
  CHECK(db.text("SELECT who FROM incident_events WHERE state=4") == "centralist-a");
}

TEST_CASE("a transition on an unknown incident is an error, not an applied change", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  auto r = repo.mark_delivered(12345, 1000);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == SQLITE_NOTFOUND);
}

TEST_CASE("seed_demo_if_empty adds the demo registrations once", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  auto first = repo.seed_demo_if_empty(0);
  REQUIRE(first);
  CHECK(*first);
  auto second = repo.seed_demo_if_empty(0);
  REQUIRE(second);
  CHECK_FALSE(*second);
  Inspector db{dir.db()};
  CHECK(db.integer("SELECT count(*) FROM clients") == 3);
  CHECK(db.integer("SELECT count(*) FROM devices") == 4);
}

TEST_CASE("load_registry returns the demo rows", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  auto empty = repo.load_registry();
  REQUIRE(empty);
  CHECK(empty->clients.empty());
  REQUIRE(repo.seed_demo_if_empty(0));
  auto reg = repo.load_registry();
  REQUIRE(reg);
  CHECK(reg->clients.size() == 3);
  CHECK(reg->devices.size() == 4);
  CHECK(reg->aops.size() == 3);
  CHECK(reg->aols.size() == 4);
  const auto dev = std::find_if(reg->devices.begin(), reg->devices.end(),
                                [](const auto& d) { return d.id == "XM-DEMO-003"; });
  REQUIRE(dev != reg->devices.end());
  CHECK(dev->client_id == "C-002");
  CHECK(dev->active);
  CHECK(std::none_of(reg->devices.begin(), reg->devices.end(),
                     [](const auto& d) { return d.id == "XM-DEMO-005"; }));
  const auto aol = std::find_if(reg->aols.begin(), reg->aols.end(),
                                [](const auto& a) { return a.id == "AOL-001"; });
  REQUIRE(aol != reg->aols.end());
  CHECK(aol->lat == Approx(52.0907));
  CHECK(aol->lon == Approx(5.1214));
  CHECK(aol->radius_m == Approx(150.0));
  const auto aop = std::find_if(reg->aops.begin(), reg->aops.end(),
                                [](const auto& a) { return a.id == "AOP-003"; });
  REQUIRE(aop != reg->aops.end());
  CHECK(aop->client_id == "C-003");
  CHECK(aop->valid_until.size() == 10);  // ISO date
  CHECK(aop->valid_from < aop->valid_until);
}

TEST_CASE("a file that is not a database makes the constructor throw", "[store]") {
  TempDir dir;
  {
    std::ofstream out(dir.db(), std::ios::binary);
    out << std::string(8192, 'x');
  }
  CHECK_THROWS_AS(Repository{dir.db()}, std::runtime_error);
}
