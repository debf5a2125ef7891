// crash_loop.cpp — the kill -9 loop (issue 8, part 1; docs/reliability.md). A real awared on
// loopback takes a steady load from a simulated fleet (fleet.hpp: 50 devices, 250 activations/s
// together) while 5 consoles (console_watch.hpp) follow /ws/meldkamer. Each cycle ends awared
// the hard way: a SIGKILL at a random moment, or a crash point (AWARED_CRASH_AT: received,
// before_commit, after_commit, during_dispatch, after_ack; AWARED_CRASH_SKIP passes it a random
// 0..150 times first) that kills it from inside. While it is
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
#include "store_view.hpp"

using namespace aware::systest;
using aware::reliability::ConsoleWatch;
using aware::reliability::Fleet;
using aware::reliability::check_acked_stored_once;
using aware::reliability::consoles_saw;
using aware::reliability::read_store;

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

bool killed_by_sigkill(const std::optional<int>& status) {
  return status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL;
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
      std::uniform_int_distribution<int> moment_ms{0, 500};
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
      // Passed 0..150 times first: at 250 activations/s, a crash at a random moment under load
      // (and sometimes while the fleet reconnects and retransmits). before_commit and
      // after_commit are passed once per group commit, and a commit holds many activations
      // (after a restart, every device's retransmissions): 0..15 of them.
      const bool per_commit = armed == "before_commit" || armed == "after_commit";
      const int most = per_commit ? 15 : 150;
      env = {{"AWARED_CRASH_AT", armed},
             {"AWARED_CRASH_SKIP", std::to_string(std::uniform_int_distribution<int>{0, most}(rng))}};
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
  for (const auto& [device, seqs] : devices.acked) {
    acked += seqs.size();
  }
  // Every acked activation stored once, one incident per device, counts that add up; and every
  // console has been shown every incident with all its activations.
  const auto expected = check_acked_stored_once(devices, store);
  CHECK(consoles_saw(consoles, expected, std::chrono::seconds(60)));
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
