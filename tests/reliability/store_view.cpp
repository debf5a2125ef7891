// store_view.cpp — see store_view.hpp.
#include "store_view.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "harness.hpp"

namespace aware::reliability {

StoreView read_store(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    throw std::runtime_error("cannot open " + db.string());
  }
  auto each = [h](const char* sql, const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, sql, -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("bad query: ") + sqlite3_errmsg(h));
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      row(st);
    }
    sqlite3_finalize(st);
  };
  auto text = [](sqlite3_stmt* st, int col) {
    const auto* t = sqlite3_column_text(st, col);
    return t != nullptr ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  StoreView v;
  each("SELECT device_id, seq, count(*), max(incident_id) FROM activations WHERE boot_epoch=1 "
       "GROUP BY device_id, seq",
       [&](sqlite3_stmt* st) {
         const auto key = std::make_pair(text(st, 0),
                                         static_cast<std::uint64_t>(sqlite3_column_int64(st, 1)));
         v.rows_per_activation[key] = sqlite3_column_int(st, 2);
         v.incident_of[key] = sqlite3_column_int64(st, 3);
       });
  each("SELECT incident_id, count(*) FROM activations GROUP BY incident_id", [&](sqlite3_stmt* st) {
    v.activations_per_incident[sqlite3_column_int64(st, 0)] = sqlite3_column_int(st, 1);
  });
  each("SELECT id, device_id, activation_count FROM incidents", [&](sqlite3_stmt* st) {
    v.count_column[sqlite3_column_int64(st, 0)] = sqlite3_column_int(st, 2);
    v.incidents_of_device[text(st, 1)].insert(sqlite3_column_int64(st, 0));
  });
  sqlite3_close(h);
  return v;
}

std::map<std::int64_t, int> check_acked_stored_once(const FleetResult& devices,
                                                    const StoreView& store) {
  std::map<std::int64_t, int> expected;
  for (const auto& [device, seqs] : devices.acked) {
    for (const auto seq : seqs) {
      const auto key = std::make_pair(device, seq);
      const auto rows = store.rows_per_activation.find(key);
      INFO(device << " seq " << seq << " was acked");
      REQUIRE(rows != store.rows_per_activation.end());
      REQUIRE(rows->second == 1);
      const auto incident = store.incident_of.at(key);
      expected[incident] = store.activations_per_incident.at(incident);
    }
    if (!seqs.empty()) {
      INFO(device << " has these incidents: " << store.incidents_of_device.at(device).size());
      CHECK(store.incidents_of_device.at(device).size() == 1);
    }
  }
  for (const auto& [incident, count] : store.count_column) {
    INFO("incident " << incident);
    CHECK(count == store.activations_per_incident.at(incident));
  }
  return expected;
}

bool consoles_saw(ConsoleWatch& consoles, const std::map<std::int64_t, int>& expected,
                  std::chrono::milliseconds within) {
  return consoles.wait_views(
      [&](const ConsoleWatch::View& view) {
        return std::all_of(expected.begin(), expected.end(), [&](const auto& e) {
          const auto it = view.find(e.first);
          return it != view.end() && it->second.max_count >= static_cast<std::uint32_t>(e.second);
        });
      },
      within);
}

FleetResult drain_and_check(Fleet& fleet, ConsoleWatch& consoles, const std::filesystem::path& db,
                            std::size_t& incidents) {
  fleet.drain();
  REQUIRE(fleet.wait_all_acked(std::chrono::seconds(90)));
  auto devices = fleet.result();
  INFO("first device error: " << (devices.errors.empty() ? "" : devices.errors.front()));
  CHECK(devices.errors.empty());
  const auto expected = check_acked_stored_once(devices, read_store(db));
  CHECK(consoles_saw(consoles, expected, std::chrono::seconds(90)));
  incidents = expected.size();
  return devices;
}

bool consoles_shown(ConsoleWatch& consoles, unsigned activations,
                    std::chrono::milliseconds within) {
  return consoles.wait_views(
      [activations](const ConsoleWatch::View& view) {
        unsigned sum = 0;
        for (const auto& [id, seen] : view) {
          sum += seen.max_count;
        }
        return sum >= activations;
      },
      within);
}

std::vector<std::string> centralist_tokens(std::uint16_t meldkamer_port, int n) {
  std::vector<std::string> tokens;
  for (int i = 1; i <= n; ++i) {
    tokens.push_back(systest::token_for(
        meldkamer_port,
        systest::user_for_target("centralist-" + std::to_string(i), "/ws/meldkamer")));
  }
  return tokens;
}

bool log_has(const std::filesystem::path& log, const std::string& code) {
  std::ifstream in{log};
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(code) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace aware::reliability
