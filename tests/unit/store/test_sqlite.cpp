// test_sqlite.cpp — the SQLite wrapper's statement cache (store/sqlite.hpp): a Stmt with the
// text of one that has ended reuses its prepared statement, with its bindings cleared and its
// read snapshot released; two of the same text may run at once; a failed prepare throws. On a
// real SQLite file, with a second connection writing in between.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "store/sqlite.hpp"
#include "temp_dir.hpp"

using aware::store::Db;
using aware::store::SqliteError;
using aware::store::Stmt;
using aware::testing::TempDir;

namespace {

std::int64_t count_rows(Db& db) {
  Stmt s{db, "SELECT count(*) FROM t"};
  REQUIRE(s.step());
  return s.int64(0);
}

}  // namespace

TEST_CASE("sqlite: a reused statement holds no snapshot once it has ended", "[store][sqlite]") {
  TempDir dir;
  Db a{dir.db()};
  a.exec("PRAGMA journal_mode=WAL; CREATE TABLE t (v INTEGER)");
  a.exec("INSERT INTO t VALUES (1), (2)");
  {
    Stmt s{a, "SELECT v FROM t"};
    REQUIRE(s.step());  // one row read, the statement left mid-way
  }
  Db b{dir.db()};
  b.exec("INSERT INTO t VALUES (3)");
  // Had the first statement kept its read transaction, `a` would still see two rows.
  CHECK(count_rows(a) == 3);
  Stmt again{a, "SELECT v FROM t"};
  int rows = 0;
  while (again.step()) {
    ++rows;
  }
  CHECK(rows == 3);  // starts from the first row, not where the last one stopped
}

TEST_CASE("sqlite: a reused statement starts with no bindings", "[store][sqlite]") {
  TempDir dir;
  Db db{dir.db()};
  db.exec("CREATE TABLE t (v INTEGER)");
  Stmt{db, "INSERT INTO t VALUES (?1)"}.bind(1, std::int64_t{7}).run();
  Stmt{db, "INSERT INTO t VALUES (?1)"}.run();  // nothing bound: NULL, not the 7 of before
  Stmt nulls{db, "SELECT count(*) FROM t WHERE v IS NULL"};
  REQUIRE(nulls.step());
  CHECK(nulls.int64(0) == 1);
}

TEST_CASE("sqlite: two statements of the same text can run at once", "[store][sqlite]") {
  TempDir dir;
  Db db{dir.db()};
  db.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)");
  for (int round = 0; round < 3; ++round) {  // the second and third find one cached
    Stmt outer{db, "SELECT v FROM t ORDER BY v"};
    std::int64_t sum = 0;  // every (outer, inner) pair once: 10 * 6 * 3 + 6 * 3
    while (outer.step()) {
      Stmt inner{db, "SELECT v FROM t ORDER BY v"};
      while (inner.step()) {
        sum += outer.int64(0) * 10 + inner.int64(0);
      }
    }
    CHECK(sum == 198);
  }
}

TEST_CASE("sqlite: bad SQL throws and leaves the cache usable", "[store][sqlite]") {
  TempDir dir;
  Db db{dir.db()};
  db.exec("CREATE TABLE t (v INTEGER)");
  CHECK_THROWS_AS((Stmt{db, "SELEC v FROM t"}), SqliteError);
  CHECK_THROWS_AS((Stmt{db, "SELEC v FROM t"}), SqliteError);
  CHECK(count_rows(db) == 0);
  // The cache sees the schema change: a cached statement on a dropped table fails cleanly.
  db.exec("DROP TABLE t");
  CHECK_THROWS_AS((Stmt{db, "SELECT count(*) FROM t"}.step()), SqliteError);
  db.exec("CREATE TABLE t (v INTEGER, w TEXT); INSERT INTO t VALUES (1, 'x')");
  CHECK(count_rows(db) == 1);
}
