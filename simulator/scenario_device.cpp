// scenario_device.cpp — one device of scenario playback (see scenario_device.hpp).
#include "scenario_device.hpp"

#include <chrono>
#include <iostream>

#include "report.hpp"

namespace aware::sim {

namespace {

constexpr auto io_timeout = std::chrono::seconds(2);
constexpr auto ack_timeout = std::chrono::seconds(5);
constexpr unsigned max_attempts = 3;

}  // namespace

scenario_device::scenario_device(net::any_io_executor executor, std::string id,
                                 play_context& context)
    : id_(std::move(id)),
      context_(context),
      link_(link::create(executor, context.tls != nullptr ? context.tls->context_for(id_)
                                                          : nullptr)),
      backoff_(context.rng), timer_(executor) {}

net::awaitable<void> scenario_device::run() {
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

net::awaitable<void> scenario_device::sleep_until(std::int64_t scenario_ms) {
  const std::chrono::duration<double, std::milli> offset(
      static_cast<double>(scenario_ms - context_.clock.scenario_start_ms) /
      context_.clock.speed);
  timer_.expires_at(context_.origin +
                    std::chrono::duration_cast<steady_clock::duration>(offset));
  error_code ignored;
  co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ignored));
}

net::awaitable<bool> scenario_device::open() {
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

void scenario_device::close() {
  link_->close();
  linked_ = false;
}

net::awaitable<void> scenario_device::deliver(const Event& event) {
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

net::awaitable<scenario_device::delivery> scenario_device::await_ack(
    const Event& event, std::uint64_t seq, unsigned attempt) {
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

void scenario_device::report_problem(const std::string& what) {
  if (!reported_) {
    std::cerr << "xmark-sim: " << id_ << ": " << what << '\n';
    reported_ = true;
  }
}

}  // namespace aware::sim
