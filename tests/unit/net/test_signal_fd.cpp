// test_signal_fd.cpp — netio::SignalFd (daemon/net/signal_fd.hpp): the signals awared stops and
// reloads on, read from a signalfd on the io_context's thread. Real signals, raised at this
// thread while they are blocked, as main() blocks them for awared.
#include <signal.h>

#include <vector>

#include <catch2/catch.hpp>

#include "net/signal_fd.hpp"

namespace {

// Blocks the daemon's signals for one test case and restores the mask after it.
class Blocked {
 public:
  Blocked() {
    pthread_sigmask(SIG_SETMASK, nullptr, &before_);
    aware::netio::block_daemon_signals();
  }
  ~Blocked() { pthread_sigmask(SIG_SETMASK, &before_, nullptr); }
  Blocked(const Blocked&) = delete;
  Blocked& operator=(const Blocked&) = delete;

 private:
  sigset_t before_{};
};

bool pending(int signo) {
  sigset_t set;
  sigpending(&set);
  return sigismember(&set, signo) == 1;
}

}  // namespace

TEST_CASE("SignalFd reads a reload, and a stop that came together with a reload wins",
          "[foundation]") {
  const Blocked blocked;
  net::io_context io;
  aware::netio::SignalFd signals{io};
  std::vector<int> got;
  const auto next_signal = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
      CHECK_FALSE(ec);
      got.push_back(signo);
    });
    io.restart();
    io.run();
  };
  ::raise(SIGHUP);
  next_signal();
  CHECK(got == std::vector<int>{SIGHUP});
  // Both pending before the wait (a reload and a stop in one loop turn): one read takes both,
  // and the stop is what the daemon is told, not left unread behind the reload.
  ::raise(SIGHUP);
  ::raise(SIGTERM);
  next_signal();
  CHECK(got == std::vector<int>{SIGHUP, SIGTERM});
  CHECK_FALSE(pending(SIGHUP));
  CHECK_FALSE(pending(SIGTERM));
  ::raise(SIGINT);
  next_signal();
  CHECK(got.back() == SIGINT);
}

TEST_CASE("SignalFd's wait ends with operation_aborted when cancelled", "[foundation]") {
  const Blocked blocked;
  net::io_context io;
  aware::netio::SignalFd signals{io};
  boost::system::error_code got;
  bool called = false;
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    called = true;
    got = ec;
  });
  signals.cancel();
  io.run();
  CHECK(called);
  CHECK(got == net::error::operation_aborted);
}
