// signal_fd.cpp — see signal_fd.hpp.
#include "net/signal_fd.hpp"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
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
  fd_.async_wait(net::posix::stream_descriptor::wait_read,
                 [this, handler = std::move(handler)](const boost::system::error_code& ec) {
                   if (ec) {
                     handler(ec, 0);
                     return;
                   }
                   signalfd_siginfo info{};
                   const auto n = ::read(fd_.native_handle(), &info, sizeof info);
                   if (n != static_cast<ssize_t>(sizeof info)) {
                     async_wait(handler);  // nothing to read after all (EAGAIN): wait again
                     return;
                   }
                   handler({}, static_cast<int>(info.ssi_signo));
                 });
}

void SignalFd::cancel() {
  boost::system::error_code ec;
  fd_.cancel(ec);
}

}  // namespace aware::netio
