// test_registry_rows.cpp — unit tests for the registry functions of store::Repository
// (registry_rows.cpp) on a real SQLite file: the 002 migration (also over a version-1 database),
// the demo regions, writing and reading every record kind with zones, photo references and
// active flags, all-or-nothing writes, upserts, deactivation, and the registry version.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "store/migrations.hpp"
#include "store/repository.hpp"

namespace core = aware::core;
namespace fs = std::filesystem;
using aware::store::RecordKind;
using aware::store::RegistrySnapshot;
using aware::store::Repository;
using aware::store::WriteMode;

namespace {

using aware::testing::TempDir;

core::Polygon square(double lat, double lon, double size) {
  return {{{lat, lon}, {lat, lon + size}, {lat + size, lon + size}, {lat + size, lon}}, {}};
}

// One record of every kind, referring to each other.
RegistrySnapshot sample() {
  RegistrySnapshot s;
  auto zone = square(52.0, 5.0, 0.01);
  zone.holes.push_back({{52.002, 5.002}, {52.002, 5.004}, {52.004, 5.003}});
  s.registry.regions = {{"r1", "Regio 1", {square(51.9, 4.9, 0.3)}},
                        {"r2", "Regio 2", {square(50, 4, 0.1), square(50.5, 4, 0.1)}}};
  s.inactive_regions = {"r2"};
  s.registry.clients = {{"C-1", "Naam", "r1", true}};
  s.registry.devices = {{"XM-1", "C-1", true}, {"XM-2", "C-1", false}};
  s.registry.aops = {{"P-1", "C-1", "sig", "pleger", "worker", "2024-01-01", "2024-06-30",
                      {"dossier://p/1.jpg", "dossier://p/2.jpg"}, true}};
  s.registry.aols = {{"A-1", "C-1", "woning", "adres", "instr", 52.005, 5.005, 0, zone, true},
                     {"A-2", "", "school", "", "", 52.1, 5.1, 250, std::nullopt, false}};
  return s;
}

}  // namespace

TEST_CASE("the demo seed has regions and clients refer to them by id", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  REQUIRE(repo.seed_demo_if_empty(0));
  auto reg = repo.load_registry();
  REQUIRE(reg);
  REQUIRE(reg->regions.size() == 3);
  CHECK(reg->regions[0].id == "amsterdam");
  CHECK(reg->regions[1].id == "midden-nederland");
  CHECK(reg->regions[1].name == "Midden-Nederland");
  CHECK(reg->regions[1].area.at(0).outer.size() == 5);  // closing position dropped
  for (const auto& c : reg->clients) {
    CHECK(repo.exists(RecordKind::region, c.home_region).value());
  }
}

TEST_CASE("every record kind round-trips through the store", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto in = sample();
  auto version = repo.write_records(in, WriteMode::insert, 1000);
  REQUIRE(version);
  auto all = repo.registry_snapshot(true);
  REQUIRE(all);
  CHECK(all->version == *version);
  CHECK(all->registry.regions == in.registry.regions);
  CHECK(all->inactive_regions == in.inactive_regions);
  CHECK(all->registry.clients == in.registry.clients);
  CHECK(all->registry.devices == in.registry.devices);  // inactive ones too, flagged
  CHECK(all->registry.aops == in.registry.aops);
  CHECK(all->registry.aols == in.registry.aols);

  // Matching gets only the active regions.
  auto matching = repo.load_registry();
  REQUIRE(matching);
  REQUIRE(matching->regions.size() == 1);
  CHECK(matching->regions[0].id == "r1");
  CHECK(matching->devices.size() == 2);
}

TEST_CASE("a write that fails part-way writes nothing", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  REQUIRE(repo.write_records(sample(), WriteMode::insert, 1000));
  const auto before = repo.registry_snapshot(true).value();
  RegistrySnapshot again;
  again.registry.clients = {{"C-2", "Nieuw", "", true}};        // new: would succeed
  again.registry.devices = {{"XM-1", "C-2", true}};             // existing id: fails
  auto failed = repo.write_records(again, WriteMode::insert, 2000);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().constraint_violation());
  CHECK_FALSE(repo.exists(RecordKind::client, "C-2").value());
  const auto after = repo.registry_snapshot(true).value();
  CHECK(after.version == before.version);
  CHECK(after.registry.devices == before.registry.devices);
}

TEST_CASE("upsert replaces records and bumps the version", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto v1 = repo.write_records(sample(), WriteMode::insert, 1000).value();
  RegistrySnapshot change;
  change.registry.aols = {{"A-2", "C-1", "school", "", "", 52.2, 5.2, 300}};
  change.registry.regions = {{"r2", "Regio 2 nieuw", {square(50, 4, 0.2)}}};
  const auto v2 = repo.write_records(change, WriteMode::upsert, 2000).value();
  CHECK(v2 > v1);
  auto aol = repo.read_records(RecordKind::aol, std::string("A-2")).value();
  REQUIRE(aol.registry.aols.size() == 1);
  CHECK(aol.registry.aols[0].client_id == "C-1");
  CHECK(aol.registry.aols[0].radius_m == 300);
  CHECK(aol.registry.aols[0].active);
  auto region = repo.read_records(RecordKind::region, std::string("r2")).value();
  CHECK(region.registry.regions.at(0).name == "Regio 2 nieuw");
  CHECK(region.inactive_regions.empty());  // re-imported: active again
}

TEST_CASE("deactivate keeps the record, flags it, and reports unknown ids", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto v1 = repo.write_records(sample(), WriteMode::insert, 1000).value();
  auto done = repo.deactivate(RecordKind::client, "C-1", 2000);
  REQUIRE(done);
  REQUIRE(*done);
  CHECK(**done > v1);
  CHECK_FALSE(repo.read_records(RecordKind::client, std::string("C-1")).value()
                  .registry.clients.at(0).active);
  auto region = repo.deactivate(RecordKind::region, "r1", 2000);
  REQUIRE(region);
  CHECK(repo.load_registry().value().regions.empty());
  auto missing = repo.deactivate(RecordKind::device, "XM-404", 2000);
  REQUIRE(missing);
  CHECK_FALSE(*missing);
  CHECK(repo.registry_snapshot(true).value().version == **region);
}

TEST_CASE("read_records lists one kind in id order, or one record", "[store]") {
  TempDir dir;
  Repository repo{dir.db()};
  REQUIRE(repo.write_records(sample(), WriteMode::insert, 1000));
  auto devices = repo.read_records(RecordKind::device, std::nullopt).value();
  REQUIRE(devices.registry.devices.size() == 2);
  CHECK(devices.registry.devices[0].id == "XM-1");
  CHECK(devices.registry.clients.empty());
  CHECK(repo.read_records(RecordKind::aop, std::string("nope")).value().registry.aops.empty());
}

TEST_CASE("a version-1 database is migrated and keeps its rows", "[store]") {
  TempDir dir;
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
    const std::string v1{aware::store::migrations().at(0).sql};
    REQUIRE(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "INSERT INTO clients (id, name, home_region) VALUES ('C-1','N','x');"
                         "INSERT INTO aols (id, client_id, lat, lon, radius_m) VALUES "
                         "('A-1','C-1',52,5,100); PRAGMA user_version=1;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  Repository repo{dir.db()};
  CHECK(repo.schema_version() == 12);
  auto reg = repo.load_registry().value();
  REQUIRE(reg.clients.size() == 1);
  CHECK(reg.clients[0].active);
  REQUIRE(reg.aols.size() == 1);
  CHECK(reg.aols[0].active);
  CHECK_FALSE(reg.aols[0].zone);
  CHECK(reg.regions.empty());
}
