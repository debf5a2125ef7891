// test_audit_rows.cpp — the audit log in the store (store/audit_rows.cpp, migration 007): rows
// chain and list in id order; the triggers refuse UPDATE and DELETE; with the triggers dropped,
// raw SQL that modifies, deletes, inserts or swaps rows is caught by verify_audit(), while a
// truncated tail is not (the rest still verifies); audited changes write their row in their own
// transaction (a refused write leaves none).
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/incident.hpp"
#include "lifecycle_support.hpp"
#include "store/repository.hpp"
#include "store/rows.hpp"

namespace core = aware::core;
using aware::store::AuditBy;
using aware::store::Repository;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kT0 = 1'800'000'000'000;

// A second, writable connection to the database: the tamperer.
class RawDb {
 public:
  explicit RawDb(const TempDir& dir) { REQUIRE(sqlite3_open(dir.db().c_str(), &db_) == SQLITE_OK); }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // The result code of running `sql`; the error message in last_error().
  int exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    last_error_ = message != nullptr ? message : "";
    sqlite3_free(message);
    return rc;
  }
  [[nodiscard]] const std::string& last_error() const { return last_error_; }
  [[nodiscard]] sqlite3* handle() const { return db_; }
  void drop_triggers() {
    REQUIRE(exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;") == SQLITE_OK);
  }

 private:
  sqlite3* db_ = nullptr;
  std::string last_error_;
};

// A store with `n` audit rows (ids 1..n).
void append_rows(Repository& repo, int n) {
  for (int i = 1; i <= n; ++i) {
    REQUIRE(repo.append_audit("centralist-" + std::to_string(i), "dossier.read",
                              "client:C-00" + std::to_string(i), "", kT0 + i)
                .has_value());
  }
}

core::AuditVerdict verdict(Repository& repo) {
  auto v = repo.verify_audit();
  REQUIRE(v);
  return *v;
}

// Five audit rows, the triggers dropped, `sql` run by the tamperer: what verify says.
core::AuditVerdict tampered(const std::string& sql) {
  TempDir dir;
  Repository repo{dir.db()};
  append_rows(repo, 5);
  RawDb raw{dir};
  raw.drop_triggers();
  REQUIRE(raw.exec(sql) == SQLITE_OK);
  return verdict(repo);
}

}  // namespace

TEST_CASE("audit rows chain onto each other and list after an id", "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  CHECK(repo.schema_version() == 12);
  append_rows(repo, 5);
  auto all = repo.audit_rows({.after = 0, .limit = 100});
  REQUIRE(all);
  REQUIRE(all->size() == 5);
  CHECK(all->front().prev_hash == core::kAuditGenesis);
  CHECK((*all)[1].prev_hash == (*all)[0].hash);
  CHECK((*all)[4].entry.actor == "centralist-5");
  auto page = repo.audit_rows({.after = 2, .limit = 2});
  REQUIRE(page);
  REQUIRE(page->size() == 2);
  CHECK(page->front().entry.id == 3);
  CHECK(page->back().entry.id == 4);
  const auto v = verdict(repo);
  CHECK(v.ok);
  CHECK(v.rows == 5);
  CHECK(v.head == all->back().hash);
}

TEST_CASE("audit rows filter by actor, action and subject, oldest or newest first",
          "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  // ids 1..12: actors a/b/c in turn, actions read/update alternating, subjects C-0..C-3.
  for (int i = 1; i <= 12; ++i) {
    REQUIRE(repo.append_audit(std::string(1, static_cast<char>('a' + (i - 1) % 3)),
                              i % 2 == 0 ? "registry.update" : "registry.read",
                              "client:C-" + std::to_string(i % 4), "", kT0 + i)
                .has_value());
  }
  const auto ids = [&](const core::AuditQuery& q) {
    std::vector<std::int64_t> out;
    const auto rows = repo.audit_rows(q).value();
    for (const auto& row : rows) {
      out.push_back(row.entry.id);
    }
    return out;
  };
  using V = std::vector<std::int64_t>;
  CHECK(ids({.actor = "a"}) == V{1, 4, 7, 10});
  CHECK(ids({.actor = "a", .newest_first = true}) == V{10, 7, 4, 1});
  CHECK(ids({.actor = "a", .newest_first = true, .limit = 2}) == V{10, 7});
  CHECK(ids({.before = 7, .actor = "a", .newest_first = true, .limit = 2}) == V{4, 1});
  CHECK(ids({.after = 4, .before = 10, .actor = "a"}) == V{7});
  CHECK(ids({.action = "registry.update", .subject = "client:C-2"}) == V{2, 6, 10});
  CHECK(ids({.actor = "b", .action = "registry.update", .subject = "client:C-2"}) == V{2});
  CHECK(ids({.subject = "client:C-1", .newest_first = true}) == V{9, 5, 1});
  CHECK(ids({.newest_first = true, .limit = 3}) == V{12, 11, 10});
  CHECK(ids({.actor = "nobody"}).empty());
  CHECK(ids({.subject = "client:C-%"}).empty());  // exact, not LIKE
  CHECK(core::describe({.before = 7, .actor = "a", .newest_first = true}) ==
        R"(newest first, before 7, actor="a")");
  CHECK(core::describe({.after = 3, .subject = "client:C-1"}) == R"(after 3, subject="client:C-1")");
  // A value cannot pose as another filter: quotes and backslashes are escaped.
  CHECK(core::describe({.subject = R"(x", actor="y\)"}) == R"(after 0, subject="x\", actor=\"y\\")");
}

TEST_CASE("a filtered audit page is read through the filter's index", "[audit][store]") {
  TempDir dir;
  { Repository repo{dir.db()}; }
  RawDb raw{dir};
  // The statement audit_rows() runs, planned by SQLite as it is (parameters unbound).
  const auto plan_of = [&](const core::AuditQuery& query) {
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "EXPLAIN QUERY PLAN " + aware::store::rows::audit_rows_sql(query);
    REQUIRE(sqlite3_prepare_v2(raw.handle(), sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::string plan;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
      plan += '\n';
    }
    sqlite3_finalize(stmt);
    return plan;
  };
  for (const bool newest : {false, true}) {
    for (const auto& [column, query] : std::vector<std::pair<std::string, core::AuditQuery>>{
             {"actor", {.before = 9, .actor = "x", .newest_first = newest}},
             {"action", {.action = "x", .newest_first = newest}},
             {"subject", {.subject = "x", .newest_first = newest}}}) {
      const auto plan = plan_of(query);
      INFO(plan);
      const bool walks_index =
          plan.find("INDEX audit_by_" + column + " (" + column + "=? AND rowid>?") !=
          std::string::npos;
      CHECK(walks_index);
      CHECK(plan.find("TEMP B-TREE") == std::string::npos);  // no sort: the index gives id order
    }
  }
  // Two filters: one index, the other checked on its rows, still without a sort.
  const auto both = plan_of({.actor = "x", .subject = "y", .newest_first = true});
  INFO(both);
  CHECK(both.find("INDEX audit_by_") != std::string::npos);
  CHECK(both.find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("audit triggers refuse UPDATE and DELETE", "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  append_rows(repo, 2);
  RawDb raw{dir};
  CHECK(raw.exec("UPDATE audit SET actor='x' WHERE id=1") == SQLITE_CONSTRAINT);
  CHECK(raw.last_error().find("append-only") != std::string::npos);
  CHECK(raw.exec("DELETE FROM audit WHERE id=2") == SQLITE_CONSTRAINT);
  CHECK(raw.exec("DELETE FROM audit") == SQLITE_CONSTRAINT);
  CHECK(verdict(repo).rows == 2);
  CHECK(verdict(repo).ok);
}

TEST_CASE("audit verify catches a field modified by raw SQL", "[audit][store]") {
  const auto v = tampered("UPDATE audit SET actor='someone-else' WHERE id=2");
  CHECK_FALSE(v.ok);
  CHECK(v.first_bad_id == 2);
  CHECK(v.problem == core::AuditProblem::modified);
}

TEST_CASE("audit verify catches a row deleted by raw SQL", "[audit][store]") {
  const auto v = tampered("DELETE FROM audit WHERE id=3");
  CHECK_FALSE(v.ok);
  CHECK(v.first_bad_id == 3);
  CHECK(v.problem == core::AuditProblem::deleted);
}

TEST_CASE("audit verify catches a row inserted by raw SQL", "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  append_rows(repo, 5);
  const auto before = repo.audit_rows({.after = 0, .limit = 100}).value();
  RawDb raw{dir};
  raw.drop_triggers();
  // Shift rows 3.. up by one, then put a well-hashed forged row 3 onto row 2.
  REQUIRE(raw.exec("UPDATE audit SET id=id+100 WHERE id>=3; "
                   "UPDATE audit SET id=id-99 WHERE id>=100;") == SQLITE_OK);
  const auto forged = core::audit_chain(before[1].hash, {3, kT0 + 2, "nobody", "dossier.read",
                                                         "client:C-009", ""});
  REQUIRE(raw.exec("INSERT INTO audit VALUES (3, " + std::to_string(kT0 + 2) +
                   ", 'nobody', 'dossier.read', 'client:C-009', '', '" + forged.prev_hash +
                   "', '" + forged.hash + "')") == SQLITE_OK);
  const auto v = verdict(repo);
  CHECK_FALSE(v.ok);
  CHECK(v.rows == 6);
  CHECK(v.first_bad_id == 3);
  CHECK(v.problem == core::AuditProblem::inserted);
}

TEST_CASE("audit verify catches two rows swapped by raw SQL", "[audit][store]") {
  const auto v = tampered("UPDATE audit SET id=-1 WHERE id=2; UPDATE audit SET id=2 WHERE id=4; "
                          "UPDATE audit SET id=4 WHERE id=-1;");
  CHECK_FALSE(v.ok);
  CHECK(v.first_bad_id == 2);
  CHECK(v.problem == core::AuditProblem::reordered);
}

TEST_CASE("audit verify cannot see a truncated tail but the rest still verifies",
          "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  append_rows(repo, 5);
  const auto head = verdict(repo).head;
  RawDb raw{dir};
  raw.drop_triggers();
  REQUIRE(raw.exec("DELETE FROM audit WHERE id>=4") == SQLITE_OK);
  const auto v = verdict(repo);
  CHECK(v.ok);
  CHECK(v.rows == 3);
  CHECK(v.head != head);  // only a head hash kept elsewhere shows it
  // New rows chain onto what is left.
  append_rows(repo, 1);
  CHECK(verdict(repo).ok);
}

TEST_CASE("audited registry writes add a row per record in their transaction",
          "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  aware::store::RegistrySnapshot records;
  records.registry.regions.push_back({"r1", "Regio", {}});
  records.registry.clients.push_back({"C-1", "Naam", "r1", true});
  REQUIRE(repo.write_records(records, aware::store::WriteMode::insert, kT0,
                             AuditBy{"api", "registry.import", ""}));
  auto rows = repo.audit_rows({.after = 0, .limit = 10}).value();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].entry.subject == "region:r1");
  CHECK(rows[1].entry.subject == "client:C-1");
  CHECK(rows[1].entry.action == "registry.import");

  // The same ids again: the write is refused, and so is its audit row.
  CHECK_FALSE(repo.write_records(records, aware::store::WriteMode::insert, kT0 + 1,
                                 AuditBy{"api", "registry.import", ""}));
  CHECK(repo.audit_rows({.after = 0, .limit = 10}).value().size() == 2);

  auto gone = repo.deactivate(aware::store::RecordKind::client, "C-1", kT0 + 2,
                              AuditBy{"api", "registry.deactivate", ""});
  REQUIRE(gone);
  REQUIRE(*gone);
  CHECK(repo.deactivate(aware::store::RecordKind::client, "C-404", kT0 + 3,
                        AuditBy{"api", "registry.deactivate", ""})
            .value() == std::nullopt);
  rows = repo.audit_rows({.after = 0, .limit = 10}).value();
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].entry.action == "registry.deactivate");
  CHECK(rows[2].entry.subject == "client:C-1");
  CHECK(verdict(repo).ok);
}

TEST_CASE("a proefmelding window and a contract end are audited with who did it",
          "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  REQUIRE(repo.seed_demo_if_empty(kT0).value());
  REQUIRE(repo.start_test_window("XM-DEMO-001", kT0 + 60'000, "installatie", "pac-anna", kT0)
              .value());
  REQUIRE(repo.stop_test_window("XM-DEMO-001", "pac-anna", kT0 + 1000).value());
  REQUIRE(repo.set_contract_end("AOP-001", "2099-01-01", "pac-bert", kT0 + 2000).value());
  const auto rows = repo.audit_rows({.after = 0, .limit = 10}).value();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].entry.action == "test_window.start");
  CHECK(rows[0].entry.subject == "device:XM-DEMO-001");
  CHECK(rows[0].entry.justification == "installatie");
  CHECK(rows[0].entry.actor == "pac-anna");
  CHECK(rows[1].entry.action == "test_window.stop");
  CHECK(rows[2].entry.action == "contract.set_end");
  CHECK(rows[2].entry.subject == "aop:AOP-001");
  CHECK(rows[2].entry.actor == "pac-bert");
  CHECK(verdict(repo).ok);
}

TEST_CASE("listening in is audited with the incident and the centralist, an unknown one is not",
          "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  REQUIRE(repo.seed_demo_if_empty(kT0).value());
  const auto a = aware::testing::press("XM-DEMO-001", 1, kT0 + 1000);
  const auto recorded = repo.record_activation(a, core::make_incident(a, {}), 600'000);
  REQUIRE(recorded);
  const auto id = recorded->incident.id;
  auto listened = repo.record_listen_in(id, "centralist-jan", kT0 + 2000);
  REQUIRE(listened);
  CHECK(listened->applied);
  CHECK_FALSE(repo.record_listen_in(id + 100, "centralist-jan", kT0 + 3000).has_value());
  const auto rows = repo.audit_rows({.after = 0, .limit = 10}).value();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].entry.action == "incident.listen_in");
  CHECK(rows[0].entry.subject == "incident:" + core::incident_label(id));
  CHECK(rows[0].entry.actor == "centralist-jan");
}

TEST_CASE("a device numbering that goes back is audited by awared with the activation",
          "[audit][store]") {
  TempDir dir;
  Repository repo{dir.db()};
  REQUIRE(repo.seed_demo_if_empty(kT0).value());
  const auto first = aware::testing::press("XM-DEMO-001", 5, kT0);
  REQUIRE(repo.record_activation(first, core::make_incident(first, {}), 600'000));
  CHECK(repo.audit_rows({.after = 0, .limit = 10}).value().empty());
  const auto replay = aware::testing::press("XM-DEMO-001", 3, kT0 + 1000);
  const auto out = repo.record_activation(replay, core::make_incident(replay, {}), 600'000);
  REQUIRE(out);
  REQUIRE(out->regressed);
  const auto rows = repo.audit_rows({.after = 0, .limit = 10}).value();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].entry.actor == "awared");
  CHECK(rows[0].entry.action == "device.sequence_regressed");
  CHECK(rows[0].entry.subject == "device:XM-DEMO-001");
  CHECK(rows[0].entry.justification == "epoch 1 seq 3 is behind the numbering stored");
  CHECK(rows[0].entry.at_ms == kT0 + 1000);
}
