// signal_fd.cpp — see signal_fd.hpp.
#include "net/signal_fd.hpp"

#include <signal.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <system_error>

namespace aware::netio {
namespace {

sigset_t daemon_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_daemon_signals() {
  const auto set = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalFd::SignalFd(net::io_context& io) : fd_{io} {
  const auto set = daemon_signals();
  const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "signalfd");
  }
  fd_.assign(fd);
}

void SignalFd::async_wait(std::function<void(const boost::system::error_code&, int)> handler) {
  // A read, not a wait for readiness: Asio's reactor is edge-triggered, and a read is tried at
  // once, so a signal already pending (one that came with the last, say) is never missed.
  fd_.async_read_some(
      net::buffer(read_),
      [this, handler = std::move(handler)](const boost::system::error_code& ec, std::size_t n) {
        if (ec) {
          handler(ec, 0);
          return;
        }
        int strongest = 0;
        for (std::size_t i = 0; i < n / sizeof(signalfd_siginfo); ++i) {
          const auto signo = static_cast<int>(read_[i].ssi_signo);
          if (strongest == 0 || strongest == SIGHUP) {
            strongest = signo;
          }
        }
        if (strongest == 0) {
          async_wait(handler);  // nothing whole was read: wait again
          return;
        }
        handler({}, strongest);
      });
}

void SignalFd::cancel() {
  boost::system::error_code ec;
  fd_.cancel(ec);
}

}  // namespace aware::netio
