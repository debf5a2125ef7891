// scenario_play.cpp — the scenario command (see scenario_play.hpp).
//
// Playback runs every device (scenario_device) as a coroutine on one io_context thread and
// prints a summary when the last one has played its last event or on SIGINT/SIGTERM.
// THREAD SAFETY: single-threaded; every coroutine runs on the one io_context.
#include "scenario_play.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "asio.hpp"
#include "report.hpp"
#include "scenario_device.hpp"
#include "scenario_json.hpp"

namespace aware::sim {

namespace {

std::string summary_line(const play_totals& totals, std::size_t devices, bool json) {
  if (json) {
    return "{\"event\":\"summary\",\"devices\":" + std::to_string(devices) +
           ",\"messages\":" + std::to_string(totals.messages) +
           ",\"acked\":" + std::to_string(totals.acked) +
           ",\"nacked\":" + std::to_string(totals.nacked) +
           ",\"unacked\":" + std::to_string(totals.unacked) + "}";
  }
  return "done devices=" + std::to_string(devices) + " messages=" +
         std::to_string(totals.messages) + " acked=" + std::to_string(totals.acked) +
         " nacked=" + std::to_string(totals.nacked) + " unacked=" +
         std::to_string(totals.unacked);
}

int play(const scenario_options& options, const Scenario& scenario,
         const std::vector<Event>& events) {
  const auto tls = tls_client::load(options.tls);
  if (!tls) {
    std::cerr << "xmark-sim: " << tls.error() << '\n';
    return exit_local_error;
  }
  net::io_context io;
  play_context context;
  context.options = &options;
  context.tls = &*tls;
  context.rng.seed(scenario.seed);
  // Without --start-ms the scenario starts now; with it, at that wall time (waiting for it, or
  // playing what is already due at once), so that --expect with the same --start-ms and
  // --speed 1 gives the alert times awared should show.
  const auto now_ms = unix_time_ms();
  const auto wall_start_ms = options.start_ms.value_or(now_ms);
  context.origin = steady_clock::now() + std::chrono::milliseconds(wall_start_ms - now_ms);
  context.clock = {scenario.start_ms, wall_start_ms, options.speed};
  context.boot_epoch = static_cast<std::uint32_t>(context.clock.wall_start_ms / 1000);

  std::map<std::string, std::unique_ptr<scenario_device>> devices;
  for (const auto& event : events) {
    auto& device = devices[event.device_id];
    if (!device) {
      device = std::make_unique<scenario_device>(io.get_executor(), event.device_id, context);
    }
    device->add(&event);
  }
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](error_code ec, int) {
    if (!ec) {
      io.stop();
    }
  });
  std::size_t running = devices.size();
  const auto finished = [&running, &signals](std::exception_ptr failure) {
    if (failure) {
      std::rethrow_exception(failure);
    }
    if (--running == 0) {
      signals.cancel();
    }
  };
  for (auto& entry : devices) {
    net::co_spawn(io, entry.second->run(), finished);
  }
  if (devices.empty()) {
    signals.cancel();
  }
  io.run();
  print_line(summary_line(context.totals, devices.size(), options.json));
  if (context.totals.unacked > 0 || context.totals.acked + context.totals.nacked <
                                         context.totals.messages) {
    return exit_timed_out;
  }
  return context.totals.nacked > 0 ? exit_nacked : exit_acked;
}

}  // namespace

int run_scenario(const scenario_options& options) {
  std::ifstream file(options.file, std::ios::binary);
  std::ostringstream text;
  if (!file || !(text << file.rdbuf())) {
    std::cerr << "xmark-sim: cannot read " << options.file << '\n';
    return exit_local_error;
  }
  auto scenario = parse_scenario(text.str());
  if (!scenario) {
    std::cerr << "xmark-sim: " << options.file << ": " << scenario.error().message << '\n';
    return exit_usage;
  }
  if (options.start_ms) {
    scenario->start_ms = *options.start_ms;
  }
  const auto events = expand(*scenario);
  switch (options.what) {
    case scenario_options::mode::print:
      for (const auto& event : events) {
        std::cout << event_json(event) << '\n';
      }
      break;
    case scenario_options::mode::expect:
      for (const auto& alert : expected_alerts(*scenario, events, options.rules)) {
        std::cout << alert_json(alert) << '\n';
      }
      break;
    case scenario_options::mode::play:
      return play(options, *scenario, events);
  }
  std::cout.flush();
  return std::cout ? exit_acked : exit_local_error;
}

}  // namespace aware::sim
