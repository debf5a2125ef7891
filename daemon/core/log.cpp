// log.cpp — stage loggers sharing one stderr sink that never blocks.
#include "core/log.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <mutex>
#include <string>

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

namespace aware::core {
namespace {

constexpr std::array<std::string_view, 11> kStages{"app",      "config",  "ingest",
                                                   "match",    "store",   "dispatch",
                                                   "net",      "registry", "notify",
                                                   "supervision", "dc09"};
std::once_flag g_once;
std::atomic<std::uint64_t> g_dropped{0};

// Writes each line to stderr without ever waiting for its reader: under systemd that is
// journald, which can fall behind (a busy disk), and a full socket or pipe would otherwise stop
// whichever thread logs — the network thread among them (non-negotiable 1). A line that does
// not fit now is dropped and counted; the first line written after drops is preceded by a note
// saying how many (AWR-1014). A line left half-written stays pending and goes out first, so
// the reader never sees lines cut into each other. How it avoids waiting depends on what fd 2
// is: a socket gets send(MSG_DONTWAIT); a pipe or terminal a description of its own with
// O_NONBLOCK (the inherited one may be shared), or, when that cannot be opened, a poll() for
// room before each write of at most PIPE_BUF bytes; a regular file is written as it is (a write
// to a file does not wait for a reader). A closed fd 2 is never written to.
class NonBlockingStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  NonBlockingStderrSink() {
    struct stat st{};
    if (::fstat(STDERR_FILENO, &st) != 0) {
      fd_ = -1;  // closed: a later socket may get fd 2, and must never receive log lines
      return;
    }
    if (S_ISSOCK(st.st_mode)) {
      mode_ = Mode::socket;
    } else if (!S_ISREG(st.st_mode)) {
      const int own = ::open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (own >= 0) {
        fd_ = own;
        mode_ = Mode::own_nonblocking;
      } else {
        mode_ = Mode::poll_first;  // no /proc, no permission, or no reader yet
      }
    }
  }
  ~NonBlockingStderrSink() override {
    drain();  // what is left, if it fits now
    if (mode_ == Mode::own_nonblocking) {
      ::close(fd_);
    }
  }
  NonBlockingStderrSink(const NonBlockingStderrSink&) = delete;
  NonBlockingStderrSink& operator=(const NonBlockingStderrSink&) = delete;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (!drain()) {
      dropped();
      return;
    }
    if (dropped_ > 0) {
      const auto text = "AWR-1014 " + std::to_string(dropped_) +
                        " log lines were dropped: stderr (journald) did not take them at once";
      const spdlog::details::log_msg note{msg.time, spdlog::source_loc{}, "app",
                                          spdlog::level::warn, text};
      dropped_ = 0;
      formatter_->format(note, pending_);
    }
    formatter_->format(msg, pending_);
    drain();  // what does not fit now goes first next time
  }
  void flush_() override { drain(); }

 private:
  enum class Mode {
    plain,            // a regular file: write() does not wait for a reader
    socket,           // send(MSG_DONTWAIT): non-blocking per call, the socket left as it is
    own_nonblocking,  // our own O_NONBLOCK description of the pipe or terminal
    poll_first,       // the inherited blocking description: write only when poll() says room
  };

  void dropped() {
    ++dropped_;
    g_dropped.fetch_add(1, std::memory_order_relaxed);
  }

  // One attempt to write [data, data + size); bytes written, or -1 with errno (EAGAIN: no room).
  ssize_t write_some(const char* data, std::size_t size) const {
    switch (mode_) {
      case Mode::socket:
        return ::send(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      case Mode::poll_first: {
        pollfd room{fd_, POLLOUT, 0};
        if (::poll(&room, 1, 0) != 1 || (room.revents & POLLOUT) == 0) {
          errno = EAGAIN;
          return -1;
        }
        // A pipe that polls writable has a page free: PIPE_BUF bytes go in without waiting.
        return ::write(fd_, data, std::min<std::size_t>(size, PIPE_BUF));
      }
      case Mode::plain:
      case Mode::own_nonblocking:
        break;
    }
    return ::write(fd_, data, size);
  }

  // Writes as much of pending_ as stderr takes now; true when nothing is left.
  bool drain() {
    std::size_t done = 0;
    while (done < pending_.size()) {
      if (fd_ < 0) {
        pending_.clear();  // stderr was closed at start: the line is lost
        dropped();
        return true;
      }
      const ssize_t n = write_some(pending_.data() + done, pending_.size() - done);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      } else {
        pending_.clear();  // stderr is broken (EPIPE, ENOSPC, EIO): the line is lost
        dropped();
        return true;
      }
    }
    if (done == pending_.size()) {
      pending_.clear();
      return true;
    }
    spdlog::memory_buf_t rest;
    rest.append(pending_.data() + done, pending_.data() + pending_.size());
    pending_.clear();
    pending_.append(rest.data(), rest.data() + rest.size());
    return false;
  }

  int fd_ = STDERR_FILENO;
  Mode mode_ = Mode::plain;
  spdlog::memory_buf_t pending_;  // formatted bytes not yet written
  std::uint64_t dropped_ = 0;     // lines dropped since the last one written
};

// The stage loggers, in kStages order: log() hands them out without spdlog's registry (a
// mutex and a string lookup on every call, and the activation path logs every press). Never
// destroyed, so log() also works from static destructors and after exit() has begun.
using StageLoggers = std::array<std::shared_ptr<spdlog::logger>, kStages.size()>;
StageLoggers& stage_loggers() {
  static auto* all = new StageLoggers;  // made on first use, whatever the static-init order
  return *all;
}

void create_loggers() {
  auto sink = std::make_shared<NonBlockingStderrSink>();
  for (std::size_t i = 0; i < kStages.size(); ++i) {
    auto logger = std::make_shared<spdlog::logger>(std::string(kStages[i]), sink);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
    logger->flush_on(spdlog::level::info);
    spdlog::register_logger(logger);
    stage_loggers()[i] = std::move(logger);
  }
}

}  // namespace

bool init_logging(std::string_view level) {
  std::call_once(g_once, create_loggers);
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off"; only accept "off" when it was asked for.
  if (parsed == spdlog::level::off && level != "off") {
    return false;
  }
  for (const auto& logger : stage_loggers()) {
    logger->set_level(parsed);
  }
  return true;
}

const std::shared_ptr<spdlog::logger>& log(std::string_view stage) {
  std::call_once(g_once, create_loggers);
  for (std::size_t i = 0; i < kStages.size(); ++i) {
    if (kStages[i] == stage) {
      return stage_loggers()[i];
    }
  }
  return stage_loggers()[0];  // "app"
}

std::uint64_t log_lines_dropped() { return g_dropped.load(std::memory_order_relaxed); }

}  // namespace aware::core
