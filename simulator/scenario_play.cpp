// scenario_play.cpp — the scenario command (see scenario_play.hpp).
//
// Playback runs every device as a coroutine on one io_context thread. A device walks its own
// events in order: it sleeps until the event's wall time, then connects (connect: TCP + Hello
// with the run's boot epoch), closes (disconnect), or sends one message with the next seq and
// reads until that seq's Ack. A missing Ack (5 s), a BUSY Nack or a broken connection make it
// reconnect and send the same bytes again, three attempts in all; a device thus never falls
// silent where the scenario does not say so. Events that fall due while an earlier one is still
// waiting for its Ack go out late, in order.
// THREAD SAFETY: single-threaded; every coroutine runs on the one io_context.
#include "scenario_play.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <sstream>

#include "asio.hpp"
#include "backoff.hpp"
#include "link.hpp"
#include "report.hpp"
#include "scenario_json.hpp"
#include "scenario_messages.hpp"

namespace aware::sim {

namespace {

constexpr auto io_timeout = std::chrono::seconds(2);
constexpr auto ack_timeout = std::chrono::seconds(5);
constexpr unsigned max_attempts = 3;

// Totals over the whole run.
struct play_totals {
  std::uint64_t messages = 0;   // messages the scenario asked for
  std::uint64_t acked = 0;      // acked by awared
  std::uint64_t nacked = 0;     // refused (not BUSY)
  std::uint64_t unacked = 0;    // no Ack after max_attempts
};

// What all devices of one playback share.
struct play_context {
  const scenario_options* options = nullptr;      // command line
  play_clock clock;                               // scenario time to wall time
  steady_clock::time_point origin;                // steady time of the scenario start
  std::uint32_t boot_epoch = 1;                   // same for every device of this run
  std::mt19937_64 rng;                            // backoff jitter
  play_totals totals;                             // counters
};

enum class delivery { acked, nacked, retry };

class scenario_device {
 public:
  scenario_device(net::any_io_executor executor, std::string id, play_context& context)
      : id_(std::move(id)), context_(context), link_(link::create(executor)),
        backoff_(context.rng), timer_(executor) {}

  void add(const Event* event) { events_.push_back(event); }

  // Plays this device's events in order; returns after the last one.
  net::awaitable<void> run() {
    for (const Event* event : events_) {
      co_await sleep_until(event->t_ms);
      if (event->kind == EventKind::connect) {
        co_await open();
      } else if (event->kind == EventKind::disconnect) {
        close();
      } else {
        co_await deliver(*event);
      }
    }
    close();
  }

 private:
  net::awaitable<void> sleep_until(std::int64_t scenario_ms) {
    const std::chrono::duration<double, std::milli> offset(
        static_cast<double>(scenario_ms - context_.clock.scenario_start_ms) /
        context_.clock.speed);
    timer_.expires_at(context_.origin +
                      std::chrono::duration_cast<steady_clock::duration>(offset));
    error_code ignored;
    co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ignored));
  }

  // Connects and says Hello; false (reported once) when the server cannot be reached.
  net::awaitable<bool> open() {
    close();
    const auto& server = context_.options->server;
    auto ec = co_await link_->connect(server.host, server.port, steady_clock::now() + io_timeout);
    if (!ec) {
      ec = co_await link_->send(encode_frame(make_hello(id_, context_.boot_epoch)),
                                steady_clock::now() + io_timeout);
    }
    if (ec) {
      report_problem("cannot connect: " + ec.message());
      link_->close();
      co_return false;
    }
    linked_ = true;
    reported_ = false;
    co_return true;
  }

  void close() {
    link_->close();
    linked_ = false;
  }

  net::awaitable<void> deliver(const Event& event) {
    const auto seq = ++seq_;
    const auto frame = encode_frame(scenario_message(event, seq, context_.clock));
    ++context_.totals.messages;
    for (unsigned attempt = 1; attempt <= max_attempts; ++attempt) {
      if (linked_ || co_await open()) {
        const auto ec = co_await link_->send(frame, steady_clock::now() + io_timeout);
        const auto outcome = ec ? delivery::retry : co_await await_ack(event, seq, attempt);
        if (outcome == delivery::acked) {
          backoff_.reset();
          co_return;
        }
        if (outcome == delivery::nacked) {
          co_return;
        }
        close();
      }
      timer_.expires_after(backoff_.next());
      error_code ignored;
      co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ignored));
    }
    ++context_.totals.unacked;
    report_problem("no ack for seq " + std::to_string(seq) + " after " +
                   std::to_string(max_attempts) + " attempts");
  }

  // Reads until the Ack or Nack of `seq`; retry on timeout, BUSY or a broken connection.
  net::awaitable<delivery> await_ack(const Event& event, std::uint64_t seq, unsigned attempt) {
    const auto deadline = steady_clock::now() + ack_timeout;
    const bool json = context_.options->json;
    for (;;) {
      auto result = co_await link_->read(deadline);
      if (result.what == read_result::status::woken) {
        continue;
      }
      if (result.what != read_result::status::message) {
        co_return delivery::retry;
      }
      const auto& message = result.message;
      if (message.has_command() && json) {
        print_line(format_command(id_, message.command()));
      }
      if (message.has_ack() && message.ack().seq() == seq) {
        ++context_.totals.acked;
        if (event.kind == EventKind::activation) {
          print_line(format_ack({id_, context_.boot_epoch, seq, attempt,
                                 message.ack().server_time_ms()}, json));
        }
        co_return delivery::acked;
      }
      if (message.has_nack() && (message.nack().seq() == seq || message.nack().seq() == 0)) {
        if (message.nack().reason() == aware::v1::NACK_REASON_BUSY) {
          co_return delivery::retry;
        }
        ++context_.totals.nacked;
        print_line(format_nack(id_, seq, message.nack(), json));
        co_return delivery::nacked;
      }
    }
  }

  void report_problem(const std::string& what) {
    if (!reported_) {
      std::cerr << "xmark-sim: " << id_ << ": " << what << '\n';
      reported_ = true;
    }
  }

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
  net::io_context io;
  play_context context;
  context.options = &options;
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
