// test_network_faults.cpp — network faults on loopback (issue 8, part 3; docs/reliability.md,
// "Network faults"): a console that stops reading, a device that drips a frame byte by byte,
// a device that stops reading its replies, 5,000 idle device connections, the connection limit,
// and a reconnect storm of 500 devices. Each test checks that one slow or broken connection
// holds up nobody else, that memory stays bounded, and that no acked alarm is lost. Half-open
// sockets and packet loss, which need a network namespace and nftables, are in
// test_lossy_network.cpp.
#include <utility>  // before Asio (GCC 12 + Boost 1.74)

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>

#include "console_watch.hpp"
#include "device_frames.hpp"
#include "fixtures.hpp"
#include "fleet.hpp"
#include "store_view.hpp"

using namespace aware::systest;
using namespace aware::reliability;

namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

// A field of /proc/PID/status in kB (VmRSS, VmHWM), 0 when missing.
long proc_status_kb(pid_t pid, const std::string& field) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::stol(line.substr(field.size() + 1));
    }
  }
  return 0;
}

// The soft "Max open files" of a process, from /proc/PID/limits.
std::string open_files_limit(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/limits"};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Max open files", 0) == 0) {
      std::istringstream fields{line.substr(14)};
      std::string soft;
      std::string hard;
      fields >> soft >> hard;
      return soft + "/" + hard;
    }
  }
  return "?";
}

// A console that opens /ws/meldkamer with a tiny receive buffer and then reads nothing.
class StalledConsole {
 public:
  StalledConsole(std::uint16_t port, const std::string& token) : ws_{io_} {
    auto& socket = ws_.next_layer();
    socket.open(asio::ip::tcp::v4());
    socket.set_option(asio::socket_base::receive_buffer_size(2048));  // before connect: the window
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
      req.set(boost::beast::http::field::authorization, "Bearer " + token);
    }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws/meldkamer");
  }
  // Reads (raw bytes) until awared closes the connection; the bytes read, or nullopt when the
  // connection is still open at the deadline.
  std::optional<std::size_t> read_until_closed(std::chrono::milliseconds within) {
    const int fd = ws_.next_layer().native_handle();
    const auto deadline = std::chrono::steady_clock::now() + within;
    std::size_t total = 0;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        std::cout << "stalled console: still open after " << total << " bytes" << std::endl;
        return std::nullopt;
      }
      char buf[65536];
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        return total;  // EOF or reset: awared closed it
      }
      total += static_cast<std::size_t>(n);
    }
  }

 private:
  asio::io_context io_;
  websocket::stream<asio::ip::tcp::socket> ws_;
};

}  // namespace

TEST_CASE("network faults: a console that stops reading is disconnected and holds up nobody",
          "[reliability]") {
  TempDir dir{"awared-stalled-console"};
  Awared awared{dir, AwaredOptions{.meldkamer_toml = "max_queued_messages = 256",
                                   .seed_demo = false}};
  const auto tokens = centralist_tokens(awared.meldkamer_port(), 3);
  StalledConsole stalled{awared.meldkamer_port(), tokens[2]};
  ConsoleWatch healthy{awared.meldkamer_port(), {tokens[0], tokens[1]}};
  healthy.up();
  Fleet fleet{awared.device_port(), {.devices = 20, .rate_per_s = 400, .window = 32}};
  fleet.up();

  // The load runs until the healthy consoles were shown 1,500 activations: far more pushes than
  // the stalled console's socket buffers and its queue of 256 hold.
  REQUIRE(consoles_shown(healthy, 1500, std::chrono::seconds(60)));
  std::size_t incidents = 0;
  const auto devices = drain_and_check(fleet, healthy, awared.db(), incidents);
  // The healthy consoles kept their first session: every update was pushed to them, none had
  // to be recovered from a snapshot after a reconnect.
  CHECK(healthy.stats().connections == 2);
  CHECK(healthy.stats().errors.empty());

  // awared gave up on the stalled console: reading now yields what was in flight, then EOF.
  const auto in_flight = stalled.read_until_closed(kWait);
  REQUIRE(in_flight.has_value());
  CHECK(log_has(awared.log_file(), "AWR-4002"));
  std::cout << "stalled console: disconnected after " << *in_flight
            << " bytes in flight; healthy consoles got " << healthy.stats().updates
            << " updates; " << devices.acks << " activations acked" << std::endl;
}

TEST_CASE("network faults: a device that drips a frame is closed at the frame deadline",
          "[reliability]") {
  TempDir dir{"awared-drip"};
  Awared awared{dir, AwaredOptions{.device_toml = "frame_timeout_s = 1", .seed_demo = false}};
  ConsoleWatch console{awared.meldkamer_port(), centralist_tokens(awared.meldkamer_port(), 1)};
  console.up();

  RawConnection drip{awared.device_port()};
  drip.send(hello_frame("XM-DRIP-001") + activation_frame(1));
  REQUIRE(is_ack_of(drip.read_frame(), 1));
  // Then the next activation, one byte every 100 ms (a 1 s frame deadline allows ~10).
  const std::string slow = activation_frame(2);
  std::size_t sent = 0;
  bool closed = false;
  while (sent < slow.size() && !closed) {
    drip.send(slow.substr(sent++, 1));
    if (sent == 3) {
      // Meanwhile another device is acked and its alarm reaches the console.
      RawConnection normal{awared.device_port()};
      normal.send(hello_frame("XM-NORMAL-001") + activation_frame(1));
      CHECK(is_ack_of(normal.read_frame(), 1));
      CHECK(console.wait_views(
          [](const ConsoleWatch::View& view) {
            return std::any_of(view.begin(), view.end(), [](const auto& i) {
              return i.second.device_id == "XM-NORMAL-001";
            });
          },
          kWait));
    }
    closed = drip.closed_by_peer(std::chrono::milliseconds(100));  // the drip interval
  }
  INFO("bytes of a " << slow.size() << "-byte frame dripped before awared closed it: " << sent);
  CHECK(closed);
  CHECK(sent < slow.size());
  // One more activation after that: its Ack comes after awared logged why it closed the drip.
  RawConnection after{awared.device_port()};
  after.send(hello_frame("XM-NORMAL-002") + activation_frame(1));
  CHECK(is_ack_of(after.read_frame(), 1));
  CHECK(log_has(awared.log_file(), "AWR-2020"));
}

TEST_CASE("network faults: a device that stops reading its replies is closed at the write "
          "deadline", "[reliability]") {
  TempDir dir{"awared-deaf"};
  Awared awared{dir, AwaredOptions{.device_toml = "frame_timeout_s = 1", .seed_demo = false}};
  ConsoleWatch console{awared.meldkamer_port(), centralist_tokens(awared.meldkamer_port(), 1)};
  console.up();
  auto shown = [&console](const std::string& device, std::uint32_t count,
                          std::chrono::milliseconds within) {
    return console.wait_views(
        [&](const ConsoleWatch::View& view) {
          return std::any_of(view.begin(), view.end(), [&](const auto& i) {
            return i.second.device_id == device && i.second.max_count >= count;
          });
        },
        within);
  };

  // Devices that send activations but never read: awared's Acks and START_TRACKING commands
  // fill the device's receive window, then awared's send buffer (32 KiB), until a write of
  // awared's stalls. Each sends one activation at a time, the next once the console was shown
  // the last, so a new frame is often on its way while a write is stalled: it must not lift
  // the stalled write's deadline (frame_timeout_s). Since 2026-11-28 an activation's
  // START_TRACKING goes out in its Ack's write, so the stall falls on that write; windows of
  // slightly different sizes make it fall at different points of a frame. (Not much smaller
  // than 64 KiB: with a few KiB the device's own kernel drops awared's segments, ACKs included,
  // and the device's frames crawl under TCP back-off instead.)
  struct Deaf {
    std::string id;
    std::unique_ptr<RawConnection> connection;
    std::uint32_t seq = 0;
    bool closed = false;
  };
  std::vector<Deaf> deaf;
  for (int i = 0; i < 3; ++i) {
    deaf.push_back({"XM-DEAF-00" + std::to_string(i),
                    std::make_unique<RawConnection>(awared.device_port(), 65536 + 768 * i)});
    deaf.back().connection->send(hello_frame(deaf.back().id));
  }
  std::size_t open = deaf.size();
  while (open > 0) {
    for (auto& d : deaf) {
      if (d.closed) {
        continue;
      }
      const auto sent = d.connection->send_within(activation_frame(++d.seq));
      if (sent != RawConnection::Sent::all) {
        INFO(d.id << ": activation " << d.seq << " could not be sent");
        CHECK(sent == RawConnection::Sent::closed);  // reset by awared, not a full buffer
        d.closed = true;
        --open;
      }
    }
    for (auto& d : deaf) {
      // Until the console shows this activation, or awared closed the connection (the device
      // reads nothing). Neither within kWait: awared holds a stalled connection open.
      const auto deadline = std::chrono::steady_clock::now() + kWait;
      while (!d.closed && !shown(d.id, d.seq, std::chrono::milliseconds(50))) {
        INFO(d.id << ": activation " << d.seq << " neither shown nor the connection closed");
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        if (d.connection->hung_up_unread(std::chrono::milliseconds(0))) {
          d.closed = true;
          --open;
        }
      }
    }
  }
  for (const auto& d : deaf) {
    std::cout << d.id << ": closed by awared after " << d.seq << " activations sent" << std::endl;
    CHECK(log_has(awared.log_file(), "device " + d.id + ": the device did not take a reply or "
                                     "command within frame_timeout_s"));
  }

  // Another device is served as before, and its alarm reaches the console.
  RawConnection normal{awared.device_port()};
  normal.send(hello_frame("XM-NORMAL-001") + activation_frame(1));
  CHECK(is_ack_of(normal.read_frame(), 1));
  CHECK(shown("XM-NORMAL-001", 1, kWait));
}

TEST_CASE("network faults: 5000 idle device connections keep memory bounded", "[reliability]") {
  constexpr int kIdle = 5000;
  constexpr long kRssBoundKb = 256 * 1024;
  // awared starts with a low soft open-file limit (inherited from here) and must raise it.
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
  if (limit.rlim_max < 2 * kIdle + 200) {
    WARN("skipped: the hard open-file limit (" << limit.rlim_max << ") is below "
                                               << 2 * kIdle + 200);
    return;
  }
  rlimit low = limit;
  low.rlim_cur = 1024;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  TempDir dir{"awared-idle"};
  Awared awared{dir, AwaredOptions{.device_toml = "hello_timeout_s = 600", .seed_demo = false}};
  limit.rlim_cur = limit.rlim_max;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &limit) == 0);
  const auto fd_limit = open_files_limit(awared.process().pid());
  INFO("awared's open-file limit (soft/hard): " << fd_limit);
  CHECK(fd_limit == std::to_string(limit.rlim_max) + "/" + std::to_string(limit.rlim_max));

  const long rss_before = proc_status_kb(awared.process().pid(), "VmRSS");
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < kIdle; ++i) {
    idle.push_back(std::make_unique<RawConnection>(awared.device_port()));
    if (i % 2 == 0) {  // half say Hello, then nothing; the rest say nothing at all
      char id[32];
      std::snprintf(id, sizeof id, "XM-IDLE-%04d", i);
      idle.back()->send(hello_frame(id));
    }
  }
  // A device connecting after all of them is accepted after them (the backlog is FIFO).
  RawConnection normal{awared.device_port()};
  normal.send(hello_frame("XM-NORMAL-001") + activation_frame(1));
  CHECK(is_ack_of(normal.read_frame(), 1));
  const long rss = proc_status_kb(awared.process().pid(), "VmRSS");
  std::cout << "5000 idle connections: awared VmRSS " << rss_before / 1024 << " MB before, "
            << rss / 1024 << " MB with them (" << (rss - rss_before) * 1024 / kIdle
            << " bytes each); open-file limit " << fd_limit << std::endl;
#if defined(__SANITIZE_THREAD__)
  // TSan shadows every byte the connections use (54 KB a connection measured under TSan,
  // against ~9 KB in a normal build), so there only what they added is bounded, twice as high.
  CHECK(rss - rss_before < 2 * kRssBoundKb);
#elif defined(__SANITIZE_ADDRESS__)
  // A sanitizer build carries shadow memory (ASan: ~180 MB before the first connection), so
  // only what the connections added is bounded there.
  CHECK(rss - rss_before < kRssBoundKb);
#else
  CHECK(rss < kRssBoundKb);
#endif
  CHECK_FALSE(awared.process().wait(std::chrono::milliseconds(0)).has_value());
}

TEST_CASE("network faults: connections over max_connections are refused cleanly",
          "[reliability]") {
  TempDir dir{"awared-limit"};
  Awared awared{dir, AwaredOptions{.device_toml = "max_connections = 50\nhello_timeout_s = 600",
                                   .seed_demo = false}};
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 50; ++i) {
    held.push_back(std::make_unique<RawConnection>(awared.device_port()));
  }
  // The 51st is accepted and closed at once; awared keeps running.
  RawConnection over{awared.device_port()};
  over.send(hello_frame("XM-OVER-001") + activation_frame(1));
  CHECK(over.closed_by_peer());
  CHECK(log_has(awared.log_file(), "AWR-5002"));
  CHECK_FALSE(awared.process().wait(std::chrono::milliseconds(0)).has_value());
  // One leaves: a device gets the free place (tried again while awared is still seeing the
  // EOF; each attempt ends on an event, the refusal or the Ack).
  held.pop_back();
  bool acked = false;
  for (int attempt = 0; attempt < 100 && !acked; ++attempt) {
    RawConnection next{awared.device_port()};
    next.send(hello_frame("XM-OVER-001") + activation_frame(1));
    acked = is_ack_of(next.read_frame(), 1);
  }
  CHECK(acked);
}

TEST_CASE("network faults: a reconnect storm of 500 devices loses no acked activation",
          "[reliability]") {
  TempDir dir{"awared-storm"};
  Awared awared{dir, AwaredOptions{.seed_demo = false}};
  ConsoleWatch consoles{awared.meldkamer_port(), centralist_tokens(awared.meldkamer_port(), 2)};
  Fleet fleet{awared.device_port(), {.devices = 500, .rate_per_s = 500, .window = 32}};
  consoles.up();
  fleet.up();
  unsigned shown = 0;
  for (int storm = 1; storm <= 3; ++storm) {
    // Under load (the consoles were shown 400 more activations), awared goes down: SIGKILL, or
    // SIGTERM (a drain); then all 500 devices reconnect at once and retransmit what is unacked.
    shown += 400;
    INFO("storm " << storm);
    REQUIRE(consoles_shown(consoles, shown, std::chrono::seconds(60)));
    awared.process().signal(storm == 2 ? SIGTERM : SIGKILL);
    REQUIRE(awared.process().wait().has_value());
    awared.restart();
    consoles.up();
    fleet.up();
  }
  std::size_t incidents = 0;
  const auto devices = drain_and_check(fleet, consoles, awared.db(), incidents);
  std::cout << "reconnect storm: 500 devices, 3 storms, " << devices.acks << " Acks, "
            << devices.retransmitted << " retransmissions, " << devices.busy << " BUSY, "
            << incidents << " incidents" << std::endl;
}
