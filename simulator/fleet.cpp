// fleet.cpp — the fleet command (see fleet.hpp): creates the devices, runs the press
// scheduler (exponential inter-arrival times, uniformly random device and position), and
// stops on a signal or when --count presses have been answered.
// THREAD SAFETY: single-threaded; every coroutine runs on the one io_context.
#include "fleet.hpp"

#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include <pthread.h>

#include "asio.hpp"
#include "fleet_device.hpp"

namespace aware::sim {

namespace {

constexpr double metres_per_degree = 111320.0;
constexpr double pi = 3.14159265358979323846;

// A uniformly distributed spot within the --area disc, with a plausible accuracy.
fix_params random_fix(const fleet_options& options, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_real_distribution<double> accuracy(5.0, 50.0);
  std::bernoulli_distribution network(0.1);
  const double radius = options.area_radius_m * std::sqrt(unit(rng));
  const double angle = 2.0 * pi * unit(rng);
  fix_params fix;
  fix.lat = options.area_lat + radius * std::cos(angle) / metres_per_degree;
  fix.lon = options.area_lon + radius * std::sin(angle) /
                                   (metres_per_degree * std::cos(options.area_lat * pi / 180.0));
  fix.accuracy_m = static_cast<float>(accuracy(rng));
  fix.source = network(rng) ? aware::v1::FIX_SOURCE_NETWORK : aware::v1::FIX_SOURCE_GPS;
  return fix;
}

// Presses random buttons at exponential intervals; stops after `count` presses (0: never).
net::awaitable<void> press_buttons(const fleet_options& options, std::mt19937_64& rng,
                                   std::vector<std::unique_ptr<fleet_device>>& devices) {
  net::steady_timer timer(co_await net::this_coro::executor);
  std::exponential_distribution<double> gap(1.0 / options.interval_s);
  std::uniform_int_distribution<std::size_t> pick(0, devices.size() - 1);
  for (std::uint64_t presses = 0; options.count == 0 || presses < options.count; ++presses) {
    timer.expires_after(std::chrono::duration_cast<steady_clock::duration>(
        std::chrono::duration<double>(gap(rng))));
    co_await timer.async_wait(net::use_awaitable);
    devices[pick(rng)]->press(random_fix(options, rng));
  }
}

std::string device_name(const std::string& prefix, unsigned number) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%03u", number);
  return prefix + digits;
}

}  // namespace

int run_fleet(const fleet_options& options) {
  const auto tls = tls_client::load(options.tls);
  if (!tls) {
    std::cerr << "xmark-sim: " << tls.error() << '\n';
    return exit_local_error;
  }
  std::mt19937_64 rng(options.seed ? *options.seed : std::random_device{}());
  net::io_context io;

  std::uint64_t answered = 0;
  bool any_nacked = false;
  fleet_context context;
  context.server = options.server;
  context.boot_epoch = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  context.heartbeat = std::chrono::duration_cast<steady_clock::duration>(
      std::chrono::duration<double>(options.heartbeat_s));
  context.json = options.json;
  context.rng = &rng;
  context.tls = &*tls;
  context.on_resolved = [&](bool acked) {
    any_nacked = any_nacked || !acked;
    if (options.count != 0 && ++answered >= options.count) {
      io.stop();
    }
  };

  std::vector<std::unique_ptr<fleet_device>> devices;
  for (unsigned i = 0; i < options.devices; ++i) {
    devices.push_back(std::make_unique<fleet_device>(
        io.get_executor(), device_name(options.prefix, options.first + i), context));
  }
  const auto rethrow = [](std::exception_ptr failure) {
    if (failure) {
      std::rethrow_exception(failure);
    }
  };
  for (auto& device : devices) {
    net::co_spawn(io, device->run(), rethrow);
  }
  net::co_spawn(io, press_buttons(options, rng, devices), rethrow);

  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](error_code ec, int) {
    if (!ec) {
      io.stop();
    }
  });
  io.run();
  // `timeout` and terminals may deliver the same signal twice (to the process and its group);
  // once the signal_set is gone a second one would kill us with the default action. Block them
  // for the short rest of the process: a pending blocked signal is simply never delivered.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return any_nacked ? exit_nacked : exit_acked;
}

}  // namespace aware::sim
