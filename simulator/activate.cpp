// activate.cpp — the one-press command (see activate.hpp). Each attempt is: connect, send
// Hello + Activation in one write, read until our Ack / a Nack / 2 s; on any failure close,
// back off, and send the very same bytes on a new connection.
#include "activate.hpp"

#include <algorithm>
#include <iostream>
#include <random>

#include "asio.hpp"
#include "backoff.hpp"
#include "link.hpp"
#include "report.hpp"
#include "state_file.hpp"
#include "tls_client.hpp"

namespace aware::sim {

namespace {

constexpr auto attempt_timeout = std::chrono::seconds(2);

// How a press ended.
struct press_outcome {
  enum class status { timed_out, acked, nacked } what = status::timed_out;
  unsigned attempts = 0;                 // connections tried
  std::int64_t server_time_ms = 0;       // from the Ack
  aware::v1::Nack nack;                  // the refusal, when nacked
  std::string last_error;                // why the last attempt failed
};

// Sends `frames` (Hello + Activation) until the Ack of `seq` arrives. Contract: completes
// by `deadline` (plus at most one backoff tick), filling `out`.
net::awaitable<void> press(const activate_options& options, std::shared_ptr<ssl::context> tls,
                           std::string frames, std::uint64_t seq,
                           steady_clock::time_point deadline, press_outcome& out) {
  auto executor = co_await net::this_coro::executor;
  auto connection = link::create(executor, std::move(tls));
  std::mt19937_64 rng(std::random_device{}());
  backoff delays(rng);
  net::steady_timer pause(executor);
  while (steady_clock::now() < deadline) {
    ++out.attempts;
    const auto attempt_deadline = std::min(steady_clock::now() + attempt_timeout, deadline);
    auto ec = co_await connection->connect(options.server.host, options.server.port,
                                           attempt_deadline);
    if (!ec) {
      ec = co_await connection->send(frames, attempt_deadline);
    }
    out.last_error = ec ? ec.message() : std::string("no ack within 2 s");
    while (!ec) {
      auto result = co_await connection->read(attempt_deadline);
      if (result.what != read_result::status::message) {
        if (result.what == read_result::status::failed) {
          out.last_error = result.error;
        }
        break;
      }
      const auto& message = result.message;
      if (message.has_ack() && message.ack().seq() == seq) {
        out.what = press_outcome::status::acked;
        out.server_time_ms = message.ack().server_time_ms();
        connection->close();
        co_return;
      }
      if (message.has_nack() && (message.nack().seq() == seq || message.nack().seq() == 0)) {
        if (message.nack().reason() == aware::v1::NACK_REASON_BUSY) {
          out.last_error = "server busy";
          break;
        }
        out.what = press_outcome::status::nacked;
        out.nack = message.nack();
        connection->close();
        co_return;
      }
      if (message.has_command() && options.json) {
        print_line(format_command(options.device_id, message.command()));
      }
    }
    connection->close();
    const auto remaining = deadline - steady_clock::now();
    if (remaining <= steady_clock::duration::zero()) {
      break;
    }
    pause.expires_after(std::min<steady_clock::duration>(delays.next(), remaining));
    error_code ignored;
    co_await pause.async_wait(net::redirect_error(net::use_awaitable, ignored));
  }
}

}  // namespace

int run_activate(const activate_options& options) {
  const auto tls = tls_client::load(options.tls);
  if (!tls) {
    std::cerr << "xmark-sim: " << tls.error() << '\n';
    return exit_local_error;
  }
  const auto path = state_path(options.state_dir, options.device_id);
  device_state stored;
  std::string error;
  if (!load_state(path, stored, error)) {
    std::cerr << "xmark-sim: " << error << '\n';
    return exit_local_error;
  }
  device_state current;
  current.boot_epoch = options.boot_epoch.value_or(stored.boot_epoch);
  current.seq = options.seq ? *options.seq
                : current.boot_epoch != stored.boot_epoch ? 1 : stored.seq + 1;

  activation_params params;
  params.seq = current.seq;
  params.device_time_ms = unix_time_ms();
  params.trigger = options.trigger;
  params.fix = options.fix;
  params.audio = options.audio;
  params.battery_pct = options.battery_pct;
  const auto frames = encode_frame(make_hello(options.device_id, current.boot_epoch)) +
                      encode_frame(make_activation(params));

  const auto deadline = steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(
                                                  std::chrono::duration<double>(options.timeout_s));
  press_outcome outcome;
  net::io_context io;
  net::co_spawn(io, press(options, tls->context_for(options.device_id), frames, current.seq,
                          deadline, outcome),
                [](std::exception_ptr failure) {
                  if (failure) {
                    std::rethrow_exception(failure);
                  }
                });
  io.run();

  switch (outcome.what) {
    case press_outcome::status::acked: {
      print_line(format_ack({options.device_id, current.boot_epoch, current.seq, outcome.attempts,
                             outcome.server_time_ms},
                            options.json));
      if (!save_state(path, current, error)) {
        std::cerr << "xmark-sim: acked, but " << error << '\n';
        return exit_local_error;
      }
      return exit_acked;
    }
    case press_outcome::status::nacked:
      print_line(format_nack(options.device_id, current.seq, outcome.nack, options.json));
      return exit_nacked;
    case press_outcome::status::timed_out:
      break;
  }
  std::cerr << "xmark-sim: no ack for device=" << options.device_id
            << " boot_epoch=" << current.boot_epoch << " seq=" << current.seq << " after "
            << outcome.attempts << " attempts in " << options.timeout_s
            << " s (last error: " << outcome.last_error << ")\n";
  return exit_timed_out;
}

}  // namespace aware::sim
