// fleet_device.hpp — one simulated device of `xmark-sim fleet`: a long-lived connection with
// Hello on every connect, periodic Heartbeats, and button presses queued by the fleet that are
// retransmitted on every reconnect until acked. Created and driven by fleet.cpp.
//
// THREAD SAFETY: none needed — the whole fleet runs on one io_context thread; press() is called
// from the fleet's scheduler coroutine on that same thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "asio.hpp"
#include "backoff.hpp"
#include "cli.hpp"
#include "link.hpp"
#include "messages.hpp"
#include "tls_client.hpp"

namespace aware::sim {

// What all devices of one fleet share.
struct fleet_context {
  server_address server;                        // where awared listens
  std::uint32_t boot_epoch = 1;                 // same for every device of this run
  steady_clock::duration heartbeat{};           // time between heartbeats
  bool json = false;                            // output format
  std::mt19937_64* rng = nullptr;               // shared random engine
  std::function<void(bool acked)> on_resolved;  // a press was acked (true) or nacked (false)
  const tls_client* tls = nullptr;              // device certificates; nullptr = plain TCP
};

class fleet_device {
 public:
  fleet_device(net::any_io_executor executor, std::string device_id, fleet_context& context);

  // Connects, serves, and reconnects with backoff for as long as the io_context runs.
  net::awaitable<void> run();

  // Queues one button press with the given position (fix time = press time) and wakes the
  // connection so that it is sent at once if connected.
  void press(const fix_params& fix);

  const std::string& device_id() const { return device_id_; }

 private:
  // An activation not yet acked; its bytes never change between retransmissions.
  struct pending_activation {
    std::uint64_t seq = 0;       // its sequence number
    std::string frame;           // encoded DeviceMessage
    unsigned attempts = 0;       // transmissions so far
    bool sent = false;           // sent on the current connection
  };

  // Serves one established connection until it fails or must be dropped; returns why.
  net::awaitable<std::string> serve();

  // Handles one server message. Returns a reason to drop the connection, or empty.
  std::string handle(const aware::v1::ServerMessage& message);

  // The next heartbeat's values (drains or charges the battery, varies the signal).
  heartbeat_params make_next_heartbeat();

  bool any_sent_pending() const;

  std::string device_id_;                         // e.g. XM-DEMO-001
  std::string phone_;                             // the device's audio number
  fleet_context& context_;                        // shared fleet settings
  std::shared_ptr<link> link_;                    // the connection
  backoff backoff_;                               // reconnect delays
  net::steady_timer pause_;                       // waits out the backoff
  std::deque<pending_activation> pending_;        // unacked presses, oldest first
  std::uint64_t seq_ = 0;                         // last sequence number used
  std::uint32_t battery_pct_ = 100;               // simulated charge
  bool charging_ = false;                         // on the charger
  bool first_connect_ = true;                     // spread the first heartbeats randomly
  bool reported_down_ = false;                    // "cannot connect" was already printed
};

}  // namespace aware::sim
