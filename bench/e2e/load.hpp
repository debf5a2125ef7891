// load.hpp — the simulated X-Mark devices of bench/e2e: many native-protocol connections
// (varint-delimited protobuf over loopback TCP) driven by one epoll thread.
//
// Open loop (run_open): activation k of the run (k = 0, 1, …) is due at t0 + k / rate and goes
// to device k mod N with that device's next seq; the generator never waits for a reply before
// sending the next one. What a socket cannot take at once is queued in user space and written
// when the socket is writable, so a slow awared shows up as latency, not as a slower generator.
// Each send time (steady clock, just before write()) is kept per (device, seq); an Ack's latency
// is its arrival minus that time. The console probe reads the same send times (sent_ns()).
//
// Closed loop (run_saturate): every device keeps `window` activations in flight and sends the
// next one when one is acked — the most awared can make durable.
//
// Idle (connect only): connections that say Hello and nothing else, for the memory figure.
// Connections are spread over source addresses 127.0.0.2, 127.0.0.3, … (20,000 each; one
// source address gives a server port at most ~28k).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aware::bench::e2e {

struct LoadOptions {
  std::uint16_t port = 0;          // awared's device port on 127.0.0.1
  int devices = 1000;              // connections, one device each
  std::string id_prefix = "XM-E2E-";  // device ids: prefix + 5-digit index
  std::size_t per_device = 0;      // open loop: activations per device (sizes the send log)
};

struct LoadResult {
  std::uint64_t sent = 0;
  std::uint64_t acked = 0;
  std::uint64_t nacked = 0;
  std::vector<std::int64_t> ack_ns;   // per acked activation: Ack arrival - send
  std::int64_t max_send_lag_ns = 0;   // how far behind its schedule a send ever was
  double first_send_s = 0;            // steady seconds of the first send and the last Ack
  double last_ack_s = 0;
  std::uint64_t acked_in_window = 0;  // closed loop: Acks while the load ran, over window_s
  double window_s = 0;
  std::vector<std::string> errors;    // connect failures, unexpected replies
};

class DeviceLoad {
 public:
  explicit DeviceLoad(LoadOptions options);
  ~DeviceLoad();
  DeviceLoad(const DeviceLoad&) = delete;
  DeviceLoad& operator=(const DeviceLoad&) = delete;

  // Opens every connection (in batches, so the listen backlog does not overflow) and sends
  // each device's Hello. Throws when a connection cannot be made.
  void connect_all();
  // Open loop at `rate_per_s` for `duration`, then waits (at most `drain`) for the last Acks.
  LoadResult run_open(double rate_per_s, std::chrono::milliseconds duration,
                      std::chrono::milliseconds drain);
  // Closed loop with `window` activations in flight per device for `duration`.
  LoadResult run_saturate(std::size_t window, std::chrono::milliseconds duration);

  // Steady-clock ns at which (device index, seq) was written, 0 while not yet sent. Safe to call
  // from another thread (open loop only).
  [[nodiscard]] std::int64_t sent_ns(int device, std::uint64_t seq) const;
  [[nodiscard]] int devices() const { return options_.devices; }
  // The device index of a device id made by this load, or -1.
  [[nodiscard]] int device_index(std::string_view device_id) const;

 private:
  struct Device;
  void send(Device& d, std::uint64_t seq, LoadResult& r);
  void flush(Device& d);
  void read_replies(Device& d, LoadResult& r, std::size_t window);
  void poll_once(std::chrono::nanoseconds timeout, LoadResult& r, std::size_t window);

  LoadOptions options_;
  std::vector<Device> devices_;
  std::unique_ptr<std::atomic<std::int64_t>[]> sent_;  // devices × per_device send times
  int epoll_ = -1;
  bool saturating_ = false;
};

// Steady clock now, in ns.
std::int64_t now_ns();

}  // namespace aware::bench::e2e
