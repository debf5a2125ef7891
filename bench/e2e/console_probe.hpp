// console_probe.hpp — a meldkamer console for bench/e2e: one thread with a Beast WebSocket on
// /ws/meldkamer that notes, for every pushed incident update of a bench device, how long after
// the device sent that activation the push arrived (device send → console receive). An update
// with activationCount c of device d is the push of d's activation seq c: all of a device's
// presses join its one open incident, in order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "load.hpp"

namespace aware::bench::e2e {

struct ProbeResult {
  std::uint64_t updates = 0;          // incident updates received
  std::vector<std::int64_t> push_ns;  // per activation of a bench device: the first update
                                      // showing it (receive - send)
  std::vector<std::string> errors;
};

class ConsoleProbe {
 public:
  // Connects and waits for the first snapshot before returning; throws when it cannot.
  ConsoleProbe(std::uint16_t port, const std::string& token, const DeviceLoad& load);
  ~ConsoleProbe();
  ConsoleProbe(const ConsoleProbe&) = delete;
  ConsoleProbe& operator=(const ConsoleProbe&) = delete;

  // Waits until `activations` activations were pushed or `within` passed; returns what arrived.
  ProbeResult wait(std::uint64_t activations, std::chrono::milliseconds within);

 private:
  void run();

  const DeviceLoad& load_;
  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable changed_;
  ProbeResult result_;
  std::vector<std::uint64_t> shown_;  // per device: the highest activation count pushed
  bool done_ = false;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace aware::bench::e2e
