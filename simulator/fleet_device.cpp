// fleet_device.cpp — one long-lived simulated device (see fleet_device.hpp).
// Connection loop: connect -> Hello -> (re)send unacked presses -> read with a deadline that is
// the earliest of: next heartbeat, 2 s after an unacked press was sent, and an idle limit of
// three heartbeat intervals without any server message. Missing acks or idleness drop the
// connection; the presses then go out again on the next one.
#include "fleet_device.hpp"

#include <algorithm>
#include <iostream>

#include "report.hpp"

namespace aware::sim {

namespace {

constexpr auto ack_timeout = std::chrono::seconds(2);
constexpr auto io_timeout = std::chrono::seconds(2);

}  // namespace

fleet_device::fleet_device(net::any_io_executor executor, std::string device_id,
                           fleet_context& context)
    : device_id_(std::move(device_id)),
      context_(context),
      link_(link::create(executor, context.tls != nullptr
                                           ? context.tls->context_for(device_id_)
                                           : nullptr)),
      backoff_(*context.rng),
      pause_(executor) {
  std::uniform_int_distribution<std::uint32_t> digits(0, 99999999);
  std::uniform_int_distribution<std::uint32_t> charge(60, 100);
  phone_ = "+316" + std::to_string(10000000 + digits(*context_.rng) % 90000000);
  battery_pct_ = charge(*context_.rng);
}

void fleet_device::press(const fix_params& fix) {
  activation_params params;
  params.seq = ++seq_;
  params.device_time_ms = unix_time_ms();
  params.trigger = aware::v1::TRIGGER_ALARM;
  params.fix = fix;
  params.audio.kind = aware::v1::AUDIO_KIND_PHONE;
  params.audio.address = phone_;
  params.battery_pct = battery_pct_;
  pending_.push_back({params.seq, encode_frame(make_activation(params)), 0, false});
  link_->wake();
}

net::awaitable<void> fleet_device::run() {
  for (;;) {
    const auto ec = co_await link_->connect(context_.server.host, context_.server.port,
                                            steady_clock::now() + io_timeout);
    std::string reason;
    if (ec) {
      reason = "cannot connect: " + ec.message();
    } else {
      reported_down_ = false;
      reason = co_await serve();
    }
    link_->close();
    if (!reported_down_) {
      std::cerr << "xmark-sim: " << device_id_ << ": " << reason << "; reconnecting\n";
      reported_down_ = true;
    }
    pause_.expires_after(backoff_.next());
    error_code ignored;
    co_await pause_.async_wait(net::redirect_error(net::use_awaitable, ignored));
  }
}

// Contract: returns only when the connection must be replaced, with the reason.
net::awaitable<std::string> fleet_device::serve() {
  for (auto& entry : pending_) {
    entry.sent = false;
  }
  auto ec = co_await link_->send(encode_frame(make_hello(device_id_, context_.boot_epoch)),
                                 steady_clock::now() + io_timeout);
  if (ec) {
    co_return "sending Hello: " + ec.message();
  }
  auto now = steady_clock::now();
  auto next_heartbeat = now + context_.heartbeat;
  if (first_connect_) {
    std::uniform_real_distribution<double> phase(0.0, 1.0);
    next_heartbeat = now + std::chrono::duration_cast<steady_clock::duration>(
                               context_.heartbeat * phase(*context_.rng));
    first_connect_ = false;
  }
  const auto idle_limit = std::max<steady_clock::duration>(context_.heartbeat * 3,
                                                           std::chrono::seconds(10));
  auto last_heard = now;
  auto ack_deadline = steady_clock::time_point::max();
  for (;;) {
    for (auto& entry : pending_) {
      if (!entry.sent) {
        ec = co_await link_->send(entry.frame, steady_clock::now() + io_timeout);
        if (ec) {
          co_return "sending Activation: " + ec.message();
        }
        entry.sent = true;
        ++entry.attempts;
        if (ack_deadline == steady_clock::time_point::max()) {
          ack_deadline = steady_clock::now() + ack_timeout;
        }
      }
    }
    if (steady_clock::now() >= next_heartbeat) {
      ec = co_await link_->send(encode_frame(make_heartbeat(make_next_heartbeat())),
                                steady_clock::now() + io_timeout);
      if (ec) {
        co_return "sending Heartbeat: " + ec.message();
      }
      next_heartbeat = std::max(next_heartbeat + context_.heartbeat, steady_clock::now());
    }
    const auto deadline = std::min({next_heartbeat, ack_deadline, last_heard + idle_limit});
    auto result = co_await link_->read(deadline);
    now = steady_clock::now();
    switch (result.what) {
      case read_result::status::message: {
        last_heard = now;
        backoff_.reset();
        const auto unacked_before = pending_.size();
        if (auto reason = handle(result.message); !reason.empty()) {
          co_return reason;
        }
        if (!any_sent_pending()) {
          ack_deadline = steady_clock::time_point::max();
        } else if (pending_.size() < unacked_before) {
          ack_deadline = now + ack_timeout;  // progress: the rest get a fresh window
        }
        break;
      }
      case read_result::status::woken:
        break;
      case read_result::status::timed_out:
        if (now >= ack_deadline) {
          co_return "no ack within 2 s";
        }
        if (now >= last_heard + idle_limit) {
          co_return "nothing heard from the server";
        }
        break;
      case read_result::status::failed:
        co_return result.error;
    }
  }
}

std::string fleet_device::handle(const aware::v1::ServerMessage& message) {
  if (message.has_command()) {
    if (context_.json) {
      print_line(format_command(device_id_, message.command()));
    }
    return {};
  }
  const auto seq = message.has_ack() ? message.ack().seq() : message.nack().seq();
  const auto it = std::find_if(pending_.begin(), pending_.end(),
                               [seq](const pending_activation& p) { return p.seq == seq; });
  if (message.has_ack()) {
    if (it != pending_.end()) {
      print_line(format_ack({device_id_, context_.boot_epoch, seq, it->attempts,
                             message.ack().server_time_ms()},
                            context_.json));
      pending_.erase(it);
      context_.on_resolved(true);
    }
    return {};
  }
  if (!message.has_nack()) {
    return {};
  }
  if (message.nack().reason() == aware::v1::NACK_REASON_BUSY) {
    return "server busy";
  }
  print_line(format_nack(device_id_, seq, message.nack(), context_.json));
  if (it != pending_.end()) {
    pending_.erase(it);
    context_.on_resolved(false);
  }
  return seq == 0 ? "Hello refused" : std::string();
}

heartbeat_params fleet_device::make_next_heartbeat() {
  auto& rng = *context_.rng;
  std::bernoulli_distribution drain(0.3);
  std::bernoulli_distribution gps(0.8);
  std::uniform_int_distribution<std::int32_t> signal(-110, -60);
  if (charging_) {
    battery_pct_ = std::min<std::uint32_t>(100, battery_pct_ + 5);
    charging_ = battery_pct_ < 100;
  } else if (drain(rng) && battery_pct_ > 0) {
    --battery_pct_;
    charging_ = battery_pct_ < 10;
  }
  return {++seq_, battery_pct_, charging_, gps(rng), signal(rng)};
}

bool fleet_device::any_sent_pending() const {
  return std::any_of(pending_.begin(), pending_.end(),
                     [](const pending_activation& p) { return p.sent; });
}

}  // namespace aware::sim
