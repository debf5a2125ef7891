// log.cpp — stage loggers sharing one stderr sink that never blocks.
#include "core/log.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
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
// the reader never sees lines cut into each other.
class NonBlockingStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  NonBlockingStderrSink() {
    struct stat st{};
    if (::fstat(STDERR_FILENO, &st) != 0) {
      return;
    }
    if (S_ISSOCK(st.st_mode)) {
      socket_ = true;  // send(MSG_DONTWAIT): non-blocking per call, the socket left as it is
    } else if (S_ISFIFO(st.st_mode)) {
      // A description of our own with O_NONBLOCK (the inherited one may be shared).
      const int own = ::open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (own >= 0) {
        fd_ = own;
      }
    }
  }
  ~NonBlockingStderrSink() override {
    if (fd_ != STDERR_FILENO) {
      ::close(fd_);
    }
  }
  NonBlockingStderrSink(const NonBlockingStderrSink&) = delete;
  NonBlockingStderrSink& operator=(const NonBlockingStderrSink&) = delete;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (!drain()) {
      ++dropped_;
      g_dropped.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (dropped_ > 0) {
      const auto text = "AWR-1014 " + std::to_string(dropped_) +
                        " log lines were dropped: stderr (journald) did not take them in time";
      const spdlog::details::log_msg note{msg.time, spdlog::source_loc{}, "app",
                                          spdlog::level::warn, text};
      dropped_ = 0;
      formatter_->format(note, pending_);
    }
    formatter_->format(msg, pending_);
    drain();  // what does not fit now goes first next time
  }
  void flush_() override {}

 private:
  // Writes as much of pending_ as stderr takes now; true when nothing is left.
  bool drain() {
    std::size_t done = 0;
    while (done < pending_.size()) {
      const char* data = pending_.data() + done;
      const std::size_t size = pending_.size() - done;
      const ssize_t n = socket_ ? ::send(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL)
                                : ::write(fd_, data, size);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      } else {
        done = pending_.size();  // stderr is gone or broken: nothing to wait for
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
  bool socket_ = false;
  spdlog::memory_buf_t pending_;  // formatted bytes not yet written
  std::uint64_t dropped_ = 0;     // lines dropped since the last one written
};

void create_loggers() {
  auto sink = std::make_shared<NonBlockingStderrSink>();
  for (auto stage : kStages) {
    auto logger = std::make_shared<spdlog::logger>(std::string(stage), sink);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
    logger->flush_on(spdlog::level::info);
    spdlog::register_logger(logger);
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
  for (auto stage : kStages) {
    spdlog::get(std::string(stage))->set_level(parsed);
  }
  return true;
}

std::shared_ptr<spdlog::logger> log(std::string_view stage) {
  std::call_once(g_once, create_loggers);
  if (auto logger = spdlog::get(std::string(stage))) {
    return logger;
  }
  return spdlog::get("app");
}

std::uint64_t log_lines_dropped() { return g_dropped.load(std::memory_order_relaxed); }

}  // namespace aware::core
