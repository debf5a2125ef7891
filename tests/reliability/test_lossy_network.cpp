// test_lossy_network.cpp — network faults made with nftables in a private network namespace
// (issue 8, part 3; docs/reliability.md, "Network faults"): a half-open device connection whose
// peer vanished without FIN or RST, and 20 % packet loss on every connection while a fleet
// activates. The process moves itself into a fresh network namespace first (netns.hpp), so the
// rules touch nothing outside the test. Without root, `ip` or `nft` the packet-loss test skips
// with a message, and the half-open test runs its part that needs no firewall (a silent peer).
#include <cstdio>
#include <iostream>
#include <regex>

#include <catch2/catch.hpp>

#include "console_watch.hpp"
#include "device_frames.hpp"
#include "fixtures.hpp"
#include "fleet.hpp"
#include "netns.hpp"
#include "store_view.hpp"

using namespace aware::systest;
using namespace aware::reliability;

namespace {

// The packets the ruleset's counters saw dropped (the sum of every "counter packets N ... drop").
long dropped_packets() {
  FILE* pipe = ::popen("nft list ruleset", "r");
  std::string text;
  char buf[4096];
  while (pipe != nullptr && std::fgets(buf, sizeof buf, pipe) != nullptr) {
    text += buf;
  }
  if (pipe != nullptr) {
    ::pclose(pipe);
  }
  long total = 0;
  const std::regex counter{R"(counter packets (\d+) bytes \d+ drop)"};
  for (std::sregex_iterator it{text.begin(), text.end(), counter}, end; it != end; ++it) {
    total += std::stol((*it)[1].str());
  }
  return total;
}

}  // namespace

TEST_CASE("network faults: a half-open device connection is closed by its deadline",
          "[reliability]") {
  const auto no_netns = enter_private_netns();
  if (no_netns) {
    WARN("half-open test without the firewall part: " << *no_netns
                                                      << "; the peer only falls silent");
    std::cout << "half-open: nftables part SKIPPED (" << *no_netns << ")" << std::endl;
  }
  TempDir dir{"awared-half-open"};
  Awared awared{dir, AwaredOptions{.device_toml = "idle_timeout_s = 2", .seed_demo = false}};
  RawConnection vanished{awared.device_port()};
  vanished.send(hello_frame("XM-HALF-001") + activation_frame(1));
  REQUIRE(is_ack_of(vanished.read_frame(), 1));
  if (!no_netns) {
    // From now on nothing the device sends on this connection arrives: no data, no FIN, no RST
    // (as when its mobile link drops).
    nft("table inet halfopen {\n chain input {\n  type filter hook input priority 0; policy accept;\n"
        "  tcp sport " + std::to_string(vanished.local_port()) + " tcp dport " +
        std::to_string(awared.device_port()) + " counter drop\n }\n}\n");
    vanished.send(activation_frame(2));  // lost; the device keeps it for its next connection
  }
  // The device reconnects while awared still holds the half-open connection, and retransmits.
  RawConnection again{awared.device_port()};
  again.send(hello_frame("XM-HALF-001") + activation_frame(2));
  CHECK(is_ack_of(again.read_frame(), 2));
  // awared closes the vanished connection at its idle deadline (2 s) and logs why. The vanished
  // peer itself may never learn of it (its ACKs are dropped too), so the test watches the
  // reconnected one: silent from now on, it passes its idle deadline after the vanished one.
  CHECK(again.closed_by_peer());
  // One more activation after that: its Ack comes after awared logged why it closed both.
  RawConnection later{awared.device_port()};
  later.send(hello_frame("XM-HALF-001") + activation_frame(3));
  CHECK(is_ack_of(later.read_frame(), 3));
  CHECK(log_has(awared.log_file(), "AWR-2001 closing 127.0.0.1:" +
                                       std::to_string(vanished.local_port()) + " "));
  CHECK(query_one(awared.db(), "SELECT count(*) FROM activations WHERE device_id='XM-HALF-001'") ==
        "3");
  if (!no_netns) {
    CHECK(dropped_packets() > 0);
  }
}

TEST_CASE("network faults: 20 percent packet loss loses no acked activation", "[reliability]") {
  const auto no_netns = enter_private_netns();
  if (no_netns) {
    WARN("packet-loss test SKIPPED: " << *no_netns);
    std::cout << "packet loss: SKIPPED (" << *no_netns << ")" << std::endl;
    return;
  }
  TempDir dir{"awared-lossy"};
  Awared awared{dir, AwaredOptions{.seed_demo = false}};
  const auto tokens = centralist_tokens(awared.meldkamer_port(), 2);
  // One packet in five is dropped, each way, on the device and the console port.
  const auto ports = "{ " + std::to_string(awared.device_port()) + ", " +
                     std::to_string(awared.meldkamer_port()) + " }";
  nft("table inet lossy {\n chain input {\n  type filter hook input priority 0; policy accept;\n"
      "  tcp dport " + ports + " numgen random mod 100 < 20 counter drop\n"
      "  tcp sport " + ports + " numgen random mod 100 < 20 counter drop\n }\n}\n");

  ConsoleWatch consoles{awared.meldkamer_port(), tokens};
  Fleet fleet{awared.device_port(), {.devices = 20, .rate_per_s = 100, .window = 32}};
  consoles.up();
  fleet.up();
  // The fleet's Acks, not the consoles' views, say when enough has happened under loss: twenty
  // device connections make steady progress together, while one console connection can sit
  // for a minute in TCP's exponential retransmission backoff (a retransmission and its ACK both
  // get through only 64 % of the time, so seven failures running, 25 s of backoff, turn up in
  // a run now and then). That made a 90 s wait for the consoles' views fail in CI.
  REQUIRE(fleet.wait_acks(600, std::chrono::seconds(90)));
  // The loss ends before the drain: what the test asks is that nothing acked under loss is lost
  // or doubled, and that every console shows it once the network heals. A connection deep in
  // backoff resumes at its next retransmission.
  const auto dropped = dropped_packets();
  nft("delete table inet lossy\n");
  std::size_t incidents = 0;
  const auto devices = drain_and_check(fleet, consoles, awared.db(), incidents);
  CHECK(dropped > 0);
  std::cout << "packet loss: " << devices.acks << " Acks (" << devices.retransmitted
            << " retransmitted by devices), " << incidents << " incidents, " << dropped
            << " packets dropped; consoles: " << consoles.stats().connections << " sessions, "
            << consoles.stats().updates << " updates" << std::endl;
}
