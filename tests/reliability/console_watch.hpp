// console_watch.hpp — the meldkamer consoles of the crash loop: each one a thread with a Beast
// WebSocket on /ws/meldkamer, signed in as its own centralist. Like a real console it
// reconnects when its session ends and whenever awared is back (the test calls up()), and takes
// the snapshot it gets as a resync; between snapshots it applies the pushed updates. It
// remembers, per incident, the highest activation count any snapshot or update showed it.
//
// THREAD SAFETY: the public members may be called from any thread; the views are kept under a
// mutex that the console threads take per received message.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace aware::reliability {

// What one console saw of one incident.
struct SeenIncident {
  std::string device_id;
  std::uint32_t max_count = 0;   // highest activationCount shown
};

struct ConsoleStats {
  std::uint64_t connections = 0;     // WebSocket sessions opened (one per awared it saw)
  std::uint64_t snapshots = 0;
  std::uint64_t updates = 0;
  std::vector<std::string> errors;   // e.g. a frame that is not JSON
};

class ConsoleWatch {
 public:
  // `tokens`: one bearer token per console (its size is the number of consoles).
  ConsoleWatch(std::uint16_t port, std::vector<std::string> tokens);
  ~ConsoleWatch();  // stop() and join
  ConsoleWatch(const ConsoleWatch&) = delete;
  ConsoleWatch& operator=(const ConsoleWatch&) = delete;

  // awared is up (again): every console without a session connects.
  void up();
  // Ends the consoles' sessions and threads.
  void stop();
  // Waits until `pred` holds for every console's view; false at the deadline. `pred` runs
  // under the lock, after each message any console received.
  using View = std::map<std::int64_t, SeenIncident>;
  bool wait_views(const std::function<bool(const View&)>& pred, std::chrono::milliseconds within);
  // Copies of what the consoles saw.
  std::vector<View> views();
  ConsoleStats stats();

 private:
  void run(std::size_t index);
  bool session(std::size_t index);  // one WebSocket session; false when the connect failed

  std::uint16_t port_;
  std::vector<std::string> tokens_;
  std::mutex mutex_;                 // guards everything below
  std::condition_variable changed_;  // a message arrived, up() or stop()
  std::vector<View> views_;
  std::vector<int> fds_;             // each console's socket while a session is open, else -1
  ConsoleStats stats_;
  std::uint64_t ups_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace aware::reliability
