// signal_fd.hpp — the shutdown and reload signals (SIGINT, SIGTERM, SIGHUP) read from a Linux
// signalfd on the network thread, instead of through a signal handler.
//
// block_daemon_signals() blocks them in the calling thread; main calls it before it constructs
// the Daemon, while no other thread exists, so every thread awared starts inherits the mask and
// the kernel keeps these signals pending for the process until SignalFd reads them. No handler
// runs at an arbitrary moment on an arbitrary thread. (With Asio's signal_set,
// ThreadSanitizer sometimes held a SIGTERM that reached the network thread, and the SIGTERM
// drain never began.)
//
// THREAD SAFETY: a SignalFd belongs to its io_context's thread.
#pragma once

#include <sys/signalfd.h>

#include <array>
#include <functional>

#include "net/asio.hpp"

namespace aware::netio {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (and the threads it starts later).
void block_daemon_signals();

class SignalFd {
 public:
  // Opens a signalfd for SIGINT, SIGTERM and SIGHUP (block_daemon_signals() must have run);
  // throws std::system_error when the kernel refuses.
  explicit SignalFd(net::io_context& io);
  // Calls `handler(ec, signo)` once with the next signal, or with operation_aborted after
  // cancel(). Signals that came together are read together and the handler gets the strongest:
  // a stop (SIGTERM, SIGINT) before a reload (SIGHUP), so a stop is never left unread behind a
  // reload.
  void async_wait(std::function<void(const boost::system::error_code&, int)> handler);
  void cancel();

 private:
  net::posix::stream_descriptor fd_;
  std::array<signalfd_siginfo, 8> read_{};  // what one read takes (the kernel gives whole ones)
};

}  // namespace aware::netio
