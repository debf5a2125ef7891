// test_retention.cpp — the retention purge (issue 6, item 5) on a real SQLite database with an
// explicit clock: a closed incident loses its track after tracks_ms and everything after
// incidents_ms (its notes included); an open incident is never touched however old; notices,
// resolved alerts and ended sessions go after their own periods; 0 keeps; an ended
// registration is erased (never one with an open incident); the audit log is purged behind a checkpoint that still verifies,
// and an anchor catches a cut-off tail. Label: security.
#include <catch2/catch.hpp>

#include "lifecycle_support.hpp"

#include <memory>

#include "core/audit.hpp"
#include "core/incident.hpp"
#include "store/repository.hpp"

using namespace aware;
using aware::store::Repository;
using aware::testing::count;
using aware::testing::press;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kDay = 86'400'000;
constexpr core::TimeMs kT0 = 1'800'000'000'000;

core::MatchResult client_c1() {
  core::MatchResult m;
  m.client_id = "C-1";
  m.region = "midden-nederland";
  m.aop = core::AopInfo{};
  return m;
}

// An incident of `device` opened at `at` with a track of two positions; closed at `closed`
// unless that is 0. Returns its id.
std::int64_t incident_with_track(Repository& repo, const std::string& device, core::TimeMs at,
                                 core::TimeMs closed) {
  const auto a = press(device, 1, at);
  const auto out = repo.record_activation(a, core::make_incident(a, client_c1()), 0);
  REQUIRE(out);
  REQUIRE(repo.add_note(out->incident.id, "anna", "eenheid onderweg", at + 1)->applied);
  for (std::uint64_t seq = 2; seq <= 3; ++seq) {
    core::GeoFix fix{52.1, 5.1, 5.0F, at, core::FixSource::gps, at + static_cast<core::TimeMs>(seq)};
    REQUIRE(repo.append_position({device, 1, seq}, fix));
  }
  if (closed != 0) {
    REQUIRE(repo.accept(out->incident.id, "anna", closed - 1)->applied);
    REQUIRE(repo.close(out->incident.id, "anna", "overig", "", closed)->applied);
  }
  return out->incident.id;
}

}  // namespace

TEST_CASE("the purge drops a closed incident's track, then the incident, never an open one",
          "[store][security]") {
  TempDir dir;
  auto repo = std::make_unique<Repository>(dir.db());
  const auto closed = incident_with_track(*repo, "XM-1", kT0, kT0 + 1000);
  const auto open = incident_with_track(*repo, "XM-2", kT0, 0);
  Repository::RetentionPolicy policy{30 * kDay, 365 * kDay, 0, 0, 0};

  CHECK(repo->purge(policy, kT0 + 1000 + 30 * kDay)->positions == 0);  // not yet past
  const auto tracks = repo->purge(policy, kT0 + 1001 + 30 * kDay);
  REQUIRE(tracks);
  CHECK(tracks->positions == 2);
  CHECK(tracks->incidents == 0);
  CHECK(count(dir, "SELECT count(*) FROM positions WHERE incident_id=" + std::to_string(open)) == 2);
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 2);

  const auto all = repo->purge(policy, kT0 + 1001 + 365 * kDay);
  REQUIRE(all);
  CHECK(all->incidents == 1);
  CHECK(all->activations == 1);
  CHECK(all->notices == 2);  // its activatie and afgesloten notices
  CHECK(count(dir, "SELECT count(*) FROM incidents WHERE id=" + std::to_string(closed)) == 0);
  CHECK(count(dir, "SELECT count(*) FROM incident_events WHERE incident_id=" + std::to_string(closed)) == 0);
  CHECK(count(dir, "SELECT count(*) FROM incident_notes WHERE incident_id=" + std::to_string(closed)) == 0);
  CHECK(count(dir, "SELECT count(*) FROM incident_notes WHERE incident_id=" + std::to_string(open)) == 1);
  // The open incident, years old, keeps everything.
  CHECK(count(dir, "SELECT count(*) FROM incidents WHERE id=" + std::to_string(open)) == 1);
  CHECK(count(dir, "SELECT count(*) FROM positions WHERE incident_id=" + std::to_string(open)) == 2);
  CHECK(count(dir, "SELECT count(*) FROM activations WHERE device_id='XM-2'") == 1);
}

TEST_CASE("notices, resolved alerts and ended sessions go after their own periods, 0 keeps",
          "[store][security]") {
  TempDir dir;
  auto repo = std::make_unique<Repository>(dir.db());
  incident_with_track(*repo, "XM-1", kT0, 0);  // one activatie notice at kT0
  store::UserRecord u{"anna", core::Role::admin, {}, "", {}, true};
  store::Repository::UserChangeRequest add{u, true, "$argon2id$x", std::nullopt, ""};
  REQUIRE(repo->change_user(add, "test", kT0));
  REQUIRE(repo->create_session("anna", "d1", kT0, kT0 + kDay));
  CHECK(repo->purge({}, kT0 + 1000 * kDay)->notices == 0);  // all 0: nothing goes

  Repository::RetentionPolicy policy{0, 0, 90 * kDay, 365 * kDay, 7 * kDay};
  const auto early = repo->purge(policy, kT0 + 7 * kDay);
  REQUIRE(early);
  CHECK(early->notices == 0);
  CHECK(early->sessions == 0);
  const auto later = repo->purge(policy, kT0 + 91 * kDay);
  REQUIRE(later);
  CHECK(later->notices == 1);
  CHECK(later->sessions == 1);
  CHECK(count(dir, "SELECT count(*) FROM notices") == 0);
  CHECK(count(dir, "SELECT count(*) FROM sessions") == 0);
  CHECK(count(dir, "SELECT count(*) FROM users") == 1);  // users are not purged
}

namespace {

// Runs `sql` on a second, writable connection to the database of `dir`.
void exec(const TempDir& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  const std::string error = message != nullptr ? message : "";
  sqlite3_free(message);
  sqlite3_close_v2(db);
  INFO(error);
  REQUIRE(rc == SQLITE_OK);
}

// Client `id` (changed at kT0) with device XM-<id>, one AOL and one AOP ending on `until`.
void register_client(const TempDir& dir, const std::string& id, const std::string& until) {
  exec(dir, "INSERT INTO clients(id, name, home_region, active, updated_ms) VALUES ('" + id +
                "', 'Naam " + id + "', 'midden-nederland', 1, " + std::to_string(kT0) + ");"
                "INSERT INTO devices(id, client_id, active, updated_ms) VALUES ('XM-" + id +
                "', '" + id + "', 1, " + std::to_string(kT0) + ");"
                "INSERT INTO aops(id, client_id, valid_from, valid_until, updated_ms) VALUES ('AOP-" +
                id + "', '" + id + "', '2026-01-01', '" + until + "', " + std::to_string(kT0) + ");"
                "INSERT INTO aols(id, client_id, lat, lon, radius_m, updated_ms) VALUES ('AOL-" + id +
                "', '" + id + "', 52.1, 5.1, 100, " + std::to_string(kT0) + ");"
                "INSERT INTO notices(at_ms, client_id, case_worker, event, state) VALUES (" +
                std::to_string(kT0) + ", '" + id + "', 'cw', 'activatie', 'open');");
}

std::int64_t rows_of(const TempDir& dir, const std::string& client) {
  return count(dir, "SELECT (SELECT count(*) FROM clients WHERE id='" + client + "') + "
                    "(SELECT count(*) FROM devices WHERE client_id='" + client + "') + "
                    "(SELECT count(*) FROM aops WHERE client_id='" + client + "') + "
                    "(SELECT count(*) FROM aols WHERE client_id='" + client + "') + "
                    "(SELECT count(*) FROM notices WHERE client_id='" + client + "')");
}

}  // namespace

TEST_CASE("an ended registration is erased after its retention, with an audit row",
          "[store][security]") {
  TempDir dir;
  auto repo = std::make_unique<Repository>(dir.db());
  // kT0 is 2027-01-15; C-1's contract ended 2027-01-20, C-2's runs to 2028.
  register_client(dir, "C-1", "2027-01-20");
  register_client(dir, "C-2", "2028-12-31");
  Repository::RetentionPolicy policy;
  policy.registrations_ms = 365 * kDay;
  const auto version_before = count(dir, "SELECT version FROM registry_meta");

  // A year after kT0 the contract end (five days later) is not yet a year ago.
  auto early = repo->purge(policy, kT0 + 366 * kDay);
  REQUIRE(early);
  CHECK(early->clients == 0);
  CHECK(rows_of(dir, "C-1") == 5);

  auto later = repo->purge(policy, kT0 + 372 * kDay);
  REQUIRE(later);
  CHECK(later->clients == 1);
  CHECK(later->registry_version > version_before);
  CHECK(rows_of(dir, "C-1") == 0);
  CHECK(rows_of(dir, "C-2") == 5);
  CHECK(count(dir, "SELECT count(*) FROM audit WHERE action='registry.erase' AND "
                   "subject='client:C-1' AND actor='awared'") == 1);
  CHECK(repo->verify_audit()->ok);
  CHECK(count(dir, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

TEST_CASE("a registration with an open incident or a recent change is not erased",
          "[store][security]") {
  TempDir dir;
  auto repo = std::make_unique<Repository>(dir.db());
  register_client(dir, "C-1", "2026-06-01");
  register_client(dir, "C-3", "2026-06-01");
  incident_with_track(*repo, "XM-C-1", kT0, 0);  // open, of C-1 (client_c1 matches C-1)
  exec(dir, "UPDATE devices SET updated_ms=" + std::to_string(kT0 + 400 * kDay) +
                " WHERE id='XM-C-3'");
  Repository::RetentionPolicy policy;
  policy.registrations_ms = 365 * kDay;
  auto out = repo->purge(policy, kT0 + 500 * kDay);
  REQUIRE(out);
  CHECK(out->clients == 0);
  CHECK(rows_of(dir, "C-1") >= 5);
  CHECK(rows_of(dir, "C-3") == 5);
  CHECK(out->registry_version == 0);
}

TEST_CASE("purging the audit log keeps a checkpoint the rest verifies from", "[store][security]") {
  TempDir dir;
  auto repo = std::make_unique<Repository>(dir.db());
  for (int i = 1; i <= 6; ++i) {
    REQUIRE(repo->append_audit("anna", "dossier.read", "client:C-1", "", kT0 + i * kDay));
  }
  const auto anchor = core::AuditAnchor{6, repo->verify_audit()->head};
  Repository::RetentionPolicy policy;
  policy.audit_ms = 10 * kDay;

  auto first = repo->purge(policy, kT0 + 13 * kDay);  // rows 1 and 2 are older than 10 days
  REQUIRE(first);
  CHECK(first->audit == 2);
  CHECK(count(dir, "SELECT min(id) FROM audit") == 3);
  CHECK(count(dir, "SELECT count(*) FROM audit WHERE action='audit.purge'") == 1);
  auto v = repo->verify_audit(anchor);
  REQUIRE(v);
  CHECK(v->ok);
  CHECK(v->first_id == 3);
  CHECK(v->head_id == 7);  // the purge row

  SECTION("a second purge moves the checkpoint forward") {
    auto again = repo->purge(policy, kT0 + 100 * kDay);
    REQUIRE(again);
    CHECK(again->audit == 5);  // 3..7; the new purge row stays
    auto v2 = repo->verify_audit(anchor);
    REQUIRE(v2);
    CHECK(v2->ok);
    CHECK(v2->first_id == 8);
    CHECK_THAT(v2->detail, Catch::Contains("purged"));
  }
  SECTION("rows after the checkpoint stay append-only") {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "DELETE FROM audit WHERE id=3", nullptr, nullptr, nullptr) ==
          SQLITE_CONSTRAINT);
    CHECK(sqlite3_exec(db, "UPDATE audit_checkpoint SET first_id=1", nullptr, nullptr, nullptr) ==
          SQLITE_CONSTRAINT);
    sqlite3_close_v2(db);
  }
  SECTION("a checkpoint moved behind the chain's back is caught") {
    exec(dir, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id < 5; "
              "UPDATE audit_checkpoint SET first_id=5, prev_hash=(SELECT prev_hash FROM audit "
              "WHERE id=5)");
    auto bad = repo->verify_audit();
    REQUIRE(bad);
    CHECK_FALSE(bad->ok);
    CHECK(bad->problem == core::AuditProblem::deleted);
  }
  SECTION("an anchor catches a cut-off tail") {
    REQUIRE(repo->append_audit("anna", "dossier.read", "client:C-1", "", kT0 + 14 * kDay));
    const auto head = core::AuditAnchor{8, repo->verify_audit()->head};
    exec(dir, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 8");
    CHECK(repo->verify_audit()->ok);  // what the chain alone cannot see
    auto cut = repo->verify_audit(head);
    REQUIRE(cut);
    CHECK_FALSE(cut->ok);
    CHECK(cut->problem == core::AuditProblem::deleted);
  }
}
