// fleet.hpp — the simulated X-Mark fleet of the crash loop: N devices on the native device
// protocol (varint-delimited protobuf over loopback TCP), all driven by one thread with poll().
//
// Each device behaves like a real one: it says Hello on every new connection, presses at a
// fixed rate (the fleet's total rate spread evenly), keeps every activation until awared Acks
// it, and after a reconnect retransmits everything still unacked, oldest first, with the same
// (boot epoch, seq). Presses made while awared is down wait in the device (at most `window`
// unacked per device; past that a device holds its next press). A device connects when the
// test says awared is up (up()), and tries once at once when its connection ends; a refused
// connect waits for the next up().
//
// THREAD SAFETY: the public members may be called from any thread; the device thread owns the
// sockets and the per-device state, the results are read under a mutex.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace aware::reliability {

struct FleetOptions {
  int devices = 50;           // simulated devices, ids XM-REL-001 …
  double rate_per_s = 250;    // activations per second, all devices together
  std::size_t window = 32;    // unacked activations a device keeps at most
};

// What the fleet saw, for the checks at the end.
struct FleetResult {
  std::map<std::string, std::set<std::uint64_t>> acked;  // device id -> acked seqs (epoch 1)
  std::uint64_t sent = 0;             // activation frames written (first sends + retransmissions)
  std::uint64_t retransmitted = 0;    // of those, retransmissions after a reconnect or BUSY
  std::uint64_t acks = 0;             // Acks received (a retransmission may be acked twice)
  std::uint64_t busy = 0;             // Nacks with reason BUSY (retransmitted)
  std::vector<std::string> errors;    // anything a real device would report (other Nacks, …)
};

class Fleet {
 public:
  Fleet(std::uint16_t port, FleetOptions options);
  ~Fleet();  // stops the device thread
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  // awared is up (again) on the port: every device without a connection connects.
  void up();
  // No new presses from now on; retransmissions go on.
  void drain();
  // Waits until no device holds an unacked activation; false at the deadline.
  bool wait_all_acked(std::chrono::milliseconds within);
  // Waits until the devices together have received at least `acks` Acks; false at the deadline.
  bool wait_acks(std::uint64_t acks, std::chrono::milliseconds within);
  // A copy of the results so far.
  FleetResult result();

 private:
  struct Device;
  void run();
  void connect(Device& d);
  void disconnect(Device& d);
  void on_readable(Device& d);
  void send_activation(Device& d, std::uint64_t seq);
  void flush(Device& d);

  std::uint16_t port_;
  FleetOptions options_;
  std::vector<Device> devices_;
  int wake_[2] = {-1, -1};   // pipe: a byte per up() or stop
  std::mutex mutex_;         // guards result_, ups_, draining_, stop_, unacked_total_
  std::condition_variable changed_;
  FleetResult result_;
  std::uint64_t ups_ = 0;
  bool draining_ = false;
  bool stop_ = false;
  std::size_t unacked_total_ = 0;
  std::thread thread_;
};

}  // namespace aware::reliability
