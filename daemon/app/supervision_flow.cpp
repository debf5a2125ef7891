// supervision_flow.cpp — the Daemon members of device supervision (issue 5): heartbeats are
// stored (store thread: last heard, health, battery rules, alerts and notices in one
// transaction) and acked; every message re-arms the device's lost deadline in a
// core::SilenceWatch, and one Asio timer wakes at the earliest deadline to run the silence
// check (Repository::record_silence), which opens verbinding_verloren. The contract reminders
// run at start-up and hourly. The rules themselves are core/supervision (pure, unit-tested).
//
// THREAD SAFETY: everything here runs on the network thread; the store is reached through
// on_store().
#include "app/daemon.hpp"
#include "app/store_call.hpp"

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/time_text.hpp"

namespace aware::app {
namespace {

constexpr std::chrono::hours kContractSweep{1};
constexpr core::TimeMs kDayMs = 86'400'000;

}  // namespace

netio::awaitable<netio::StoredHeartbeat> Daemon::store_heartbeat(core::MessageKey key,
                                                                 core::HealthReport report) {
  const std::string device = key.device_id;
  auto job = [device, report](store::Repository& r) {
    return r.record_heartbeat(device, report, core::now_ms());
  };
  auto recorded = co_await on_store(std::move(job));
  netio::StoredHeartbeat out;
  if (!recorded) {
    core::log("store")->error("AWR-3007 heartbeat not stored: {}", recorded.error().message);
    out.error = "not stored: " + recorded.error().message;
    storage_failed(recorded.error(), "storing a heartbeat");
    co_return out;
  }
  out.ok = true;
  apply_health(device, *recorded);
  co_return out;
}

void Daemon::publish_alerts(const std::vector<core::Alert>& alerts) {
  publish_effects(alerts, std::nullopt);
}

void Daemon::apply_health(const std::string& device_id, const store::HealthOutcome& health) {
  publish_effects(health.alerts, std::nullopt);
  for (const auto& n : health.notices) {
    publish_effects({}, n);
  }
  // No deadline (unknown, returned, or lost already): nothing to wait for until it is heard
  // again. A due device has left the watch in take_due(), so there is nothing to forget.
  if (health.lost_due_ms) {
    const auto before = silence_.next_due();
    silence_.set(device_id, *health.lost_due_ms);
    if (!before || *health.lost_due_ms < *before) {
      supervision_timer_.cancel();  // an earlier deadline: re-plan
    }
  }
}

netio::awaitable<void> Daemon::watch_devices() {
  auto job = [](store::Repository& r) { return r.supervision_deadlines(core::now_ms()); };
  auto deadlines = co_await on_store(std::move(job));
  if (!deadlines) {
    core::log("store")->error("AWR-3008 cannot read the supervised devices: {}",
                              deadlines.error().message);
    co_return;
  }
  for (const auto& [device, due] : *deadlines) {
    silence_.set(device, due);
  }
  supervision_timer_.cancel();
}

netio::awaitable<void> Daemon::supervision_loop() {
  co_await watch_devices();
  auto log = core::log("supervision");
  while (!stopping_) {
    const auto next = silence_.next_due();
    const auto wait_ms = next ? std::max<core::TimeMs>(0, *next + 1 - core::now_ms())
                              : core::TimeMs{3'600'000};
    supervision_timer_.expires_after(std::chrono::milliseconds(wait_ms));
    boost::system::error_code ec;
    co_await supervision_timer_.async_wait(net::redirect_error(netio::use_awaitable, ec));
    if (stopping_) {
      break;
    }
    const auto now = core::now_ms();
    for (const auto& device : silence_.take_due(now)) {
      auto check = [device, now](store::Repository& r) { return r.record_silence(device, now); };
      auto done = co_await on_store(std::move(check));
      if (!done) {
        log->error("AWR-3009 cannot record the silence of device {}: {}", device,
                   done.error().message);
        continue;  // checked again when it is next heard or at the next registry change
      }
      for (const auto& a : done->alerts) {
        if (a.kind == core::alert_kind::connection_lost && a.state == core::AlertState::open) {
          log->warn("AWR-7001 device {} verbinding verloren (alert {})", device, a.id);
        }
      }
      apply_health(device, *done);
    }
  }
}

netio::awaitable<void> Daemon::contract_sweep() {
  auto log = core::log("supervision");
  const auto days = static_cast<core::TimeMs>(config_.supervision.contract_reminder_days);
  const auto now = core::now_ms();
  auto sweep = [now, days](store::Repository& r) {
    return r.remind_contracts(core::iso_date_utc(now), core::iso_date_utc(now + days * kDayMs),
                              now);
  };
  auto done = co_await on_store(std::move(sweep));
  if (!done) {
    log->error("AWR-3010 contract reminders not recorded: {}", done.error().message);
    co_return;
  }
  for (const auto& a : done->alerts) {
    log->info("AWR-7002 contract reminder: {}", a.subject);
  }
  publish_effects(done->alerts, std::nullopt);
  for (const auto& n : done->notices) {
    publish_effects({}, n);
  }
}

netio::awaitable<void> Daemon::purge_expired() {
  constexpr core::TimeMs kDay = kDayMs;
  const auto& r = config_.retention;
  const store::Repository::RetentionPolicy policy{
      r.tracks_days * kDay,    r.incidents_days * kDay,     r.notices_days * kDay,
      r.alerts_days * kDay,    r.sessions_days * kDay,      r.registrations_days * kDay,
      r.audit_days * kDay};
  const auto now = core::now_ms();
  auto job = [policy, now](store::Repository& repo) { return repo.purge(policy, now); };
  auto done = co_await on_store(std::move(job));
  if (!done) {
    core::log("store")->error("AWR-3011 retention purge failed: {}", done.error().message);
    co_return;
  }
  const auto& c = *done;
  if (c.positions + c.incidents + c.activations + c.notices + c.alerts + c.sessions + c.clients +
          c.audit > 0) {
    core::log("store")->info("AWR-3012 retention purge: {} positions, {} incidents, {} "
                             "activations, {} notices, {} alerts, {} sessions, {} audit rows "
                             "deleted; {} registrations erased",
                             c.positions, c.incidents, c.activations, c.notices, c.alerts,
                             c.sessions, c.audit, c.clients);
  }
  if (c.registry_version > 0) {
    // Erased devices are unknown to matching from now on.
    if (auto problem = co_await index_at_least(c.registry_version)) {
      core::log("store")->error("AWR-3013 index rebuild after erasure failed: {}", *problem);
    }
  }
}

netio::awaitable<void> Daemon::contract_loop() {
  while (!stopping_) {
    co_await contract_sweep();
    co_await purge_expired();
    if (stopping_) {
      break;  // shutdown() cancelled the timer while the sweep ran
    }
    contract_timer_.expires_after(kContractSweep);
    boost::system::error_code ec;
    co_await contract_timer_.async_wait(net::redirect_error(netio::use_awaitable, ec));
  }
}

}  // namespace aware::app
