// lifecycle_support.hpp — helpers shared by the store's lifecycle tests (test_lifecycle.cpp,
// test_alert_rows.cpp): a device press as ingest hands it on, and a one-value SQL query on the
// test's database through a second, read-only connection (to see what was committed).
#pragma once

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "core/incident.hpp"
#include "core/types.hpp"
#include "store/row_types.hpp"

namespace aware::testing {

// A press of `device` (boot epoch 1, `seq`) received at `at`, with a GPS fix and 80% battery.
inline core::Activation press(const std::string& device, std::uint64_t seq, core::TimeMs at,
                              core::Trigger trigger = core::Trigger::alarm) {
  core::Activation a;
  a.key = {device, 1, seq};
  a.device_time_ms = at;
  a.received_ms = at;
  a.trigger = trigger;
  a.fix = core::GeoFix{52.09, 5.12, 10.0F, at, core::FixSource::gps, at};
  a.battery_pct = 80;
  return a;
}

// A press of `device` as the group commit takes it: received at `at + seq`, matched to region
// midden-nederland, with merge window `window_ms`.
inline store::ActivationToRecord press_to_record(const std::string& device, std::uint64_t seq,
                                                 core::TimeMs at, core::TimeMs window_ms,
                                                 core::Trigger trigger = core::Trigger::alarm) {
  auto a = press(device, seq, at + static_cast<core::TimeMs>(seq), trigger);
  core::MatchResult m;
  m.region = "midden-nederland";
  return {a, core::make_incident(a, m), window_ms};
}

// The first column of the first row `sql` gives on the database of `dir`.
inline std::int64_t count(const TempDir& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(dir.db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  const auto v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close_v2(db);
  return v;
}

}  // namespace aware::testing
