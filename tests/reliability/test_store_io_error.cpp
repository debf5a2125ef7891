// test_store_io_error.cpp — the store's half of the fsync rule (docs/reliability.md, "Storage
// faults"): after an I/O error a Repository never writes again, even once the fault is gone —
// a retried fsync that succeeds would prove nothing — while a new connection (what the restart
// opens) writes normally. The fault is the test-only VFS shim (AWARED_TEST_FSYNC_FAULT), set in
// this process before the first database is opened.
#include <cstdlib>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "store/repository.hpp"
#include "temp_dir.hpp"

using aware::store::Repository;

TEST_CASE("after an fsync error the repository refuses every write, also when the fault is gone",
          "[reliability]") {
  aware::testing::TempDir dir{"awared-store-io-error"};
  const auto fault = dir.path() / "fsync-fault";
  ::setenv("AWARED_TEST_FSYNC_FAULT", fault.c_str(), 1);  // read once, at the first Db
  Repository repo{dir.db()};

  std::ofstream{fault} << "EIO\n";
  auto failed = repo.raise_storage_alert("eerste", 1000);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().io_error());
  CHECK_FALSE(failed.error().disk_full());
  CHECK(failed.error().message.find("disk I/O error") != std::string::npos);

  std::filesystem::remove(fault);
  auto again = repo.raise_storage_alert("tweede", 2000);  // the disk is fine again: still no
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().io_error());
  CHECK(again.error().message.find("no write until awared restarts") != std::string::npos);

  Repository fresh{dir.db()};  // the restarted process
  auto raised = fresh.raise_storage_alert("derde", 3000);
  REQUIRE(raised.has_value());
  REQUIRE(raised->has_value());
  CHECK((*raised)->detail == "derde");
  auto open = fresh.unresolved_alerts();
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);  // neither failed write left a row
  CHECK(open->front().kind == "opslag_storing");
}

TEST_CASE("a full disk and an I/O error are told apart by the SQLite result code",
          "[reliability]") {
  const aware::store::StoreError full{13, "database or disk is full"};       // SQLITE_FULL
  const aware::store::StoreError fsync{10 | (4 << 8), "disk I/O error"};      // SQLITE_IOERR_FSYNC
  CHECK(full.disk_full());
  CHECK_FALSE(full.io_error());
  CHECK(fsync.io_error());
  CHECK_FALSE(fsync.disk_full());
}
