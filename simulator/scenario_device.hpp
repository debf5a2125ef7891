// scenario_device.hpp — one simulated device of `xmark-sim scenario` playback: plays its own
// scenario events in order on its own connection. Created and driven by scenario_play.cpp.
//
// A device sleeps until each event's wall time, then connects (TCP + Hello with the run's boot
// epoch), closes (disconnect), or sends one message with the next seq and reads until that
// seq's Ack. A missing Ack (5 s), a BUSY Nack or a broken connection make it reconnect and send
// the same bytes again, three attempts in all, so a device never falls silent where the
// scenario does not say so. Events that fall due while an earlier one still waits for its Ack
// go out late, in order.
//
// THREAD SAFETY: none needed — the whole playback runs on one io_context thread.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "asio.hpp"
#include "backoff.hpp"
#include "cli.hpp"
#include "link.hpp"
#include "tls_client.hpp"
#include "scenario.hpp"
#include "scenario_messages.hpp"

namespace aware::sim {

// Totals over the whole run.
struct play_totals {
  std::uint64_t messages = 0;   // messages the scenario asked for
  std::uint64_t acked = 0;      // acked by awared
  std::uint64_t nacked = 0;     // refused (not BUSY)
  std::uint64_t unacked = 0;    // no Ack after all attempts
};

// What all devices of one playback share.
struct play_context {
  const scenario_options* options = nullptr;      // command line
  play_clock clock;                               // scenario time to wall time
  steady_clock::time_point origin;                // steady time of the scenario start
  std::uint32_t boot_epoch = 1;                   // same for every device of this run
  std::mt19937_64 rng;                            // backoff jitter
  play_totals totals;                             // counters
  const tls_client* tls = nullptr;                // device certificates; nullptr = plain TCP
};

class scenario_device {
 public:
  scenario_device(net::any_io_executor executor, std::string id, play_context& context);

  // Appends one of this device's events; they must be added in order and outlive run().
  void add(const Event* event) { events_.push_back(event); }

  // Plays this device's events in order; returns after the last one.
  net::awaitable<void> run();

 private:
  enum class delivery { acked, nacked, retry };

  net::awaitable<void> sleep_until(std::int64_t scenario_ms);
  // Connects and says Hello; false (reported once) when the server cannot be reached.
  net::awaitable<bool> open();
  void close();
  // Sends one message until acked or nacked, or all attempts failed.
  net::awaitable<void> deliver(const Event& event);
  // Reads until the Ack or Nack of `seq`; retry on timeout, BUSY or a broken connection.
  net::awaitable<delivery> await_ack(const Event& event, std::uint64_t seq, unsigned attempt);
  void report_problem(const std::string& what);

  std::string id_;                        // device id
  play_context& context_;                 // shared run state
  std::shared_ptr<link> link_;            // the connection
  backoff backoff_;                       // delay between attempts
  net::steady_timer timer_;               // event times and backoff
  std::vector<const Event*> events_;      // this device's events, in order
  std::uint64_t seq_ = 0;                 // last sequence number used
  bool linked_ = false;                   // the link is connected and Hello was sent
  bool reported_ = false;                 // a problem was reported since the last connect
};

}  // namespace aware::sim
