// crash_loop.cpp — the kill -9 loop (issue 8, part 1; docs/reliability.md). A real awared on
// loopback takes a steady load from a simulated fleet (fleet.hpp: 50 devices, 250 activations/s
// together) while 5 consoles (console_watch.hpp) follow /ws/meldkamer. Each cycle ends awared
// the hard way: a SIGKILL at a random moment, or a crash point (AWARED_CRASH_AT: received,
// before_commit, after_commit, after_ack, during_dispatch; AWARED_CRASH_SKIP passes it a random
// 0..300 times first) that kills it from inside. While it is
// down the database must pass PRAGMA integrity_check (opened read-only); then awared starts again
// on the same database and ports, the devices reconnect and retransmit what was not acked, the
// consoles reconnect and resync.
//
// After the last cycle (a clean start) the devices stop pressing and wait for every Ack. Then:
// every activation a device got an Ack for is in the store exactly once; every device has
// exactly one incident (all its presses merge into its open incident — a second one would be a
// duplicate made by a retransmission); each incident counts exactly the activations stored for
// it; and every console has been shown each incident with that count (pushed, or in the
// snapshot after a reconnect).
//
// AWARE_CRASH_CYCLES (default 100; ./dev soak: 1000) and AWARE_CRASH_SEED (default random,
// printed) steer the run.
#include <sys/wait.h>

#include <sqlite3.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "console_watch.hpp"
#include "fixtures.hpp"
#include "fleet.hpp"

using namespace aware::systest;
using aware::reliability::ConsoleWatch;
using aware::reliability::Fleet;

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

bool killed_by_sigkill(const std::optional<int>& status) {
  return status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL;
}

// What the store holds, read through the SQLite API on a read-only connection.
struct StoreView {
  std::map<std::pair<std::string, std::uint64_t>, int> rows_per_activation;  // (device, seq)
  std::map<std::pair<std::string, std::uint64_t>, std::int64_t> incident_of;
  std::map<std::int64_t, int> activations_per_incident;  // counted from the activation rows
  std::map<std::int64_t, int> count_column;              // incidents.activation_count
  std::map<std::string, std::set<std::int64_t>> incidents_of_device;
};

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

// The ways a cycle ends awared: "" is a SIGKILL from outside at a random moment, the others
// are AWARED_CRASH_AT points (each passed a random number of times first).
const std::vector<std::string> kEndings{"",           "",          "received",
                                        "before_commit", "after_commit", "after_ack",
                                        "during_dispatch"};

}  // namespace

TEST_CASE("kill -9 loop: every acked activation is stored once and reaches every console",
          "[reliability]") {
  const auto cycles = env_number("AWARE_CRASH_CYCLES", 100);
  const auto seed = env_number("AWARE_CRASH_SEED", std::random_device{}());
  std::cout << "crash loop: " << cycles << " cycles, AWARE_CRASH_SEED=" << seed << std::endl;
  std::mt19937_64 rng{seed};

  TempDir dir{"awared-crash-loop"};
  Awared awared{dir, AwaredOptions{.seed_demo = false}};
  std::vector<std::string> tokens;
  for (int i = 1; i <= 5; ++i) {
    tokens.push_back(token_for(awared.meldkamer_port(),
                               user_for_target("centralist-" + std::to_string(i),
                                               "/ws/meldkamer")));
  }
  ConsoleWatch consoles{awared.meldkamer_port(), tokens};
  Fleet fleet{awared.device_port(), {.devices = 50, .rate_per_s = 250, .window = 32}};
  consoles.up();
  fleet.up();

  std::map<std::string, int> endings;  // how each cycle ended
  int unreached = 0;                   // crash points not reached in time (then SIGKILLed)
  Clock::duration up_time{};
  std::string armed;                   // the crash point of the running awared ("" = none)
  auto started = Clock::now();
  for (std::uint64_t cycle = 0; cycle < cycles; ++cycle) {
    std::optional<int> status;
    if (armed.empty()) {
      std::uniform_int_distribution<int> moment_ms{0, 1000};
      const std::chrono::milliseconds moment{moment_ms(rng)};
      status = awared.process().wait(moment);  // a random moment under load
      INFO("cycle " << cycle << ": awared exited on its own; see " << awared.log_file());
      REQUIRE_FALSE(status.has_value());
      awared.process().signal(SIGKILL);
      status = awared.process().wait();
      ++endings["SIGKILL"];
    } else {
      status = awared.process().wait();  // the crash point kills it under load
      if (!status) {
        ++unreached;
        awared.process().signal(SIGKILL);
        status = awared.process().wait();
      }
      ++endings[armed];
    }
    up_time += Clock::now() - started;
    INFO("cycle " << cycle << " (" << (armed.empty() ? "SIGKILL" : armed) << ")");
    REQUIRE(killed_by_sigkill(status));
    // awared is down: the database as it was left must be intact.
    REQUIRE(query_one(awared.db(), "PRAGMA integrity_check") == "ok");
    REQUIRE(query_one(awared.db(), "PRAGMA journal_mode") == "wal");

    armed.clear();
    if (cycle + 1 < cycles) {
      armed = kEndings[std::uniform_int_distribution<std::size_t>{0, kEndings.size() - 1}(rng)];
    }
    std::map<std::string, std::string> env;
    if (!armed.empty()) {
      // Passed 0..300 times first: at 250 activations/s, a crash at a random moment under load.
      env = {{"AWARED_CRASH_AT", armed},
             {"AWARED_CRASH_SKIP", std::to_string(std::uniform_int_distribution<int>{0, 300}(rng))}};
    }
    awared.restart(env);
    started = Clock::now();
    consoles.up();
    fleet.up();
  }

  // The last awared runs without a crash point: every outstanding activation gets its Ack.
  fleet.drain();
  REQUIRE(fleet.wait_all_acked(std::chrono::seconds(60)));
  up_time += Clock::now() - started;
  const auto devices = fleet.result();
  INFO("first device error: " << (devices.errors.empty() ? "" : devices.errors.front()));
  CHECK(devices.errors.empty());

  const auto store = read_store(awared.db());
  std::size_t acked = 0;
  std::map<std::int64_t, int> expected;  // incident -> activations it must show
  for (const auto& [device, seqs] : devices.acked) {
    for (const auto seq : seqs) {
      ++acked;
      const auto key = std::make_pair(device, seq);
      const auto rows = store.rows_per_activation.find(key);
      INFO(device << " seq " << seq << " was acked");
      REQUIRE(rows != store.rows_per_activation.end());
      REQUIRE(rows->second == 1);
      expected[store.incident_of.at(key)] = store.activations_per_incident.at(store.incident_of.at(key));
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

  // Every console has been shown every incident with all its activations.
  const bool shown = consoles.wait_views(
      [&](const ConsoleWatch::View& view) {
        return std::all_of(expected.begin(), expected.end(), [&](const auto& e) {
          const auto it = view.find(e.first);
          return it != view.end() && it->second.max_count >= static_cast<std::uint32_t>(e.second);
        });
      },
      std::chrono::seconds(60));
  CHECK(shown);
  for (const auto& view : consoles.views()) {
    std::map<std::string, int> per_device;
    for (const auto& [id, seen] : view) {
      ++per_device[seen.device_id];
    }
    for (const auto& [device, n] : per_device) {
      INFO("a console was shown " << n << " incidents of " << device);
      CHECK(n == 1);
    }
  }
  const auto console_stats = consoles.stats();
  INFO("first console error: " << (console_stats.errors.empty() ? "" : console_stats.errors.front()));
  CHECK(console_stats.errors.empty());
  consoles.stop();

  const double seconds = std::chrono::duration<double>(up_time).count();
  std::cout << "crash loop: " << acked << " activations acked (" << devices.sent << " sent, "
            << devices.retransmitted << " retransmitted, " << devices.busy << " BUSY) in "
            << seconds << " s of awared uptime = " << static_cast<double>(acked) / seconds
            << " acked/s; " << expected.size() << " incidents; consoles: "
            << console_stats.connections << " sessions, " << console_stats.snapshots
            << " snapshots, " << console_stats.updates << " updates; endings:";
  for (const auto& [how, n] : endings) {
    std::cout << " " << how << "=" << n;
  }
  std::cout << "; crash points not reached: " << unreached << std::endl;
  CHECK(acked > 0);
}
