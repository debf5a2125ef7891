// signal_fd.hpp — the shutdown and reload signals (SIGINT, SIGTERM, SIGHUP) read from a Linux
// signalfd on the network thread, instead of through a signal handler.
//
// block_daemon_signals() blocks them in the calling thread; called first thing in main, before
// any other thread exists, so every thread awared starts inherits the mask and the kernel keeps
// these signals pending for the process until SignalFd reads them. No handler runs at an
// arbitrary moment on an arbitrary thread. (With Asio's signal_set, ThreadSanitizer sometimes
// held a SIGTERM that reached the network thread, and the SIGTERM drain never began.)
//
// THREAD SAFETY: a SignalFd belongs to its io_context's thread.
#pragma once

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
  // cancel().
  void async_wait(std::function<void(const boost::system::error_code&, int)> handler);
  void cancel();

 private:
  net::posix::stream_descriptor fd_;
};

}  // namespace aware::netio
