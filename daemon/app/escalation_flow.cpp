// escalation_flow.cpp — the Daemon members that run the routing timers of issue 4: one Asio
// timer sleeps until the earliest deadline in dispatch::Escalation; when it wakes, each due
// step is persisted on the store thread (Repository::record_timer: next deadlines, ESCALATED
// flag, incident_events row, one transaction), logged with a stable id, and the incident is
// published again — to its region's consoles, and to the fallback region's once escalated.
// The decisions themselves are dispatch::step() (pure, unit-tested).
//
// THREAD SAFETY: everything here runs on the network thread; the store is reached through
// on_store().
#include "app/daemon.hpp"
#include "app/store_call.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace aware::app {

netio::awaitable<void> Daemon::load_timers(std::int64_t id) {
  auto job = [id](store::Repository& r) { return r.timers(id); };
  auto stored = co_await on_store(std::move(job));
  if (!stored) {
    core::log("store")->error("AWR-3004 cannot read the deadlines of {}: {}",
                              core::incident_label(id), stored.error().message);
    co_return;
  }
  if (*stored) {
    escalation_.set(id, **stored);
    escalation_timer_.cancel();  // re-plan: this deadline may be the earliest
  }
}

netio::awaitable<void> Daemon::timer_loop() {
  while (!stopping_) {
    if (const auto due = escalation_.next_due()) {
      const auto wait = std::max<core::TimeMs>(0, *due - core::now_ms());
      escalation_timer_.expires_after(std::chrono::milliseconds{wait});
    } else {
      escalation_timer_.expires_at(net::steady_timer::time_point::max());
    }
    boost::system::error_code ec;
    co_await escalation_timer_.async_wait(net::redirect_error(netio::use_awaitable, ec));
    if (stopping_) {
      break;
    }
    co_await fire_due_timers(core::now_ms());
  }
}

netio::awaitable<void> Daemon::fire_due_timers(core::TimeMs now) {
  auto log = core::log("dispatch");
  const auto due = escalation_.due(now);
  for (const auto id : due) {
    // At most one action per step; an incident long overdue (after a restart) may take all.
    for (int steps = 0; steps < 4; ++steps) {
      const auto* timers = escalation_.find(id);
      if (timers == nullptr) {
        break;
      }
      const auto* open = hub_.find(id);
      const auto state = open != nullptr ? open->state : core::IncidentState::closed;
      const auto next = dispatch::step(*timers, state, now, escalation_policy_);
      if (next.action == dispatch::TimerAction::none) {
        escalation_.set(id, next.next);
        break;
      }
      std::string detail{dispatch::event_detail(next.action)};
      const std::string_view alert_kind = next.action == dispatch::TimerAction::escalate
                                              ? core::alert_kind::not_delivered
                                              : core::alert_kind::not_accepted;
      auto job = [id, n = next.next, detail, now, alert_kind](store::Repository& r) {
        return r.record_timer(id, n, detail, true, now, alert_kind);
      };
      auto done = co_await on_store(std::move(job));
      if (!done) {
        // Not recorded: drop it for this run rather than retry in a tight loop; the stored
        // deadline fires again after a restart.
        log->error("AWR-3005 cannot record a timer of {}: {}", core::incident_label(id),
                   done.error().message);
        escalation_.forget(id);
        break;
      }
      escalation_.set(id, next.next);
      if (!done->applied) {
        break;
      }
      publish_effects(done->alerts, std::nullopt);
      metrics_.escalation(next.action == dispatch::TimerAction::escalate
                              ? core::EscalationAction::not_delivered
                          : next.action == dispatch::TimerAction::realert
                              ? core::EscalationAction::not_accepted
                              : core::EscalationAction::not_accepted_fallback);
      const auto label = core::incident_label(id);
      const auto& region = done->incident.match.region;
      const auto& fallback = config_.dispatch.fallback_region;
      switch (next.action) {
        case dispatch::TimerAction::escalate:
          log->warn("AWR-4012 {} not delivered to region {} within {} s: escalated to {}", label,
                    region, config_.dispatch.deliver_timeout.count(), fallback);
          break;
        case dispatch::TimerAction::realert:
          log->warn("AWR-4013 {} not accepted within {} s: re-alerted to region {}", label,
                    config_.dispatch.accept_timeout.count(), region);
          break;
        case dispatch::TimerAction::realert_fallback:
          log->warn("AWR-4014 {} not accepted within {} s: re-alerted to {} and {}", label,
                    2 * config_.dispatch.accept_timeout.count(), region, fallback);
          break;
        case dispatch::TimerAction::none:
          break;
      }
      publish(done->incident);
    }
  }
}

}  // namespace aware::app
