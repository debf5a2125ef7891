// test_stalled_log.cpp — a log reader that stops reading (journald fallen behind a busy disk;
// here a FIFO the test holds open and does not read) must not stop awared (non-negotiable 1):
// its stderr sink never waits for the reader. Lines that do not fit are dropped and counted
// (awared_log_lines_dropped_total), the first line written afterwards says how many (AWR-1014),
// and every activation is acked meanwhile. Before the sink, awared's network thread blocked in
// write() as soon as the pipe's 64 KiB were full.
#include <utility>  // before Asio (GCC 12 + Boost 1.74)

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;

namespace {

// The Ack of `seq` from `device`, skipping the commands that follow Acks; false if none came.
bool acked(Device& device, std::uint64_t seq) {
  for (auto reply = device.next(); reply.has_ack() || reply.has_command(); reply = device.next()) {
    if (reply.has_ack() && reply.ack().seq() == seq) {
      return true;
    }
  }
  return false;
}

// The read end of the FIFO, held open (and closed however the test ends).
struct Reader {
  int fd;
  ~Reader() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

// Everything the FIFO holds now (non-blocking reads until it is empty).
std::string drain(int fd) {
  std::string out;
  char buf[65536];
  for (ssize_t n = ::read(fd, buf, sizeof buf); n > 0; n = ::read(fd, buf, sizeof buf)) {
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// Reads the FIFO until `text` has come, awared closed it, or kWait passed.
bool wait_for(int fd, std::string& seen, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (seen.find(text) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0 ||
        (p.revents & POLLIN) == 0) {
      return false;  // the deadline, or a hang-up with nothing more to read
    }
    seen += drain(fd);
  }
  return true;
}

}  // namespace

TEST_CASE("a log reader that stops reading holds up no alarm", "[reliability]") {
  TempDir dir{"awared-stalled-log"};
  const auto fifo = dir.path() / "awared.log";  // where the Awared fixture sends stderr
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const Reader reader{::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  REQUIRE(reader.fd >= 0);
  Awared awared{dir};
  Device device{awared.device_port(), "XM-DEMO-001"};

  // Each activation logs a line or two (~100 bytes): 1,500 of them is more than twice what
  // the pipe holds, and nobody reads it.
  constexpr std::uint64_t kPresses = 1500;
  std::uint64_t acks = 0;
  for (std::uint64_t seq = 1; seq <= kPresses; ++seq) {
    device.press(seq);
    if (!acked(device, seq)) {
      break;
    }
    ++acks;
  }
  CHECK(acks == kPresses);
  const auto metrics = http_raw(awared.meldkamer_port(), "GET", "/metrics", "");
  const auto dropped = metric_value(metrics, "awared_log_lines_dropped_total");
  REQUIRE(dropped);
  CHECK(*dropped > 0);

  // The reader catches up: the next line awared writes is preceded by the count of the lost.
  std::string seen = drain(reader.fd);
  device.press(kPresses + 1);
  REQUIRE(acked(device, kPresses + 1));
  CHECK(wait_for(reader.fd, seen,
                 "log lines were dropped: stderr (journald) did not take them at once"));
}
