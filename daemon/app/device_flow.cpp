// device_flow.cpp — the Daemon members on the device side of the pipeline: an activation is
// matched (network thread), stored with its effect on the device's incidents (store thread:
// open, merge within merge_window, reopen, cancel), shown on the consoles as soon as its group
// commit has decided that effect (before the COMMIT's fsync; a failed COMMIT resyncs every
// console from the store), and acked by the session once the COMMIT is durable;
// position updates join the open incident's track; START/STOP_TRACKING and CLEAR_AUDIO go to
// the device's connection. A proefmelding (TEST) is stored and acked but never reaches a
// police console: it goes to the PAC operator's queue as an alert (AWR-4005). Every stored
// activation's case-worker notice goes to the notice feed.
#include <chrono>
#include <span>
#include <vector>

#include "app/daemon.hpp"
#include "app/store_call.hpp"
#include "core/clock.hpp"
#include "core/crash_point.hpp"
#include "core/incident.hpp"
#include "core/log.hpp"
#include "store/commit_queue.hpp"
#include "device.pb.h"
#include "wire/device_codec.hpp"

namespace aware::app {

netio::awaitable<netio::StoredActivation> Daemon::store(core::Activation activation) {
  // match (network thread, lock-free read of the current index) ...
  const auto index = index_.current();
  const auto match_start = std::chrono::steady_clock::now();
  auto result = match::match(
      *index, {activation.key.device_id, activation.fix, activation.received_ms}, config_.match);
  metrics_.match.observe(std::chrono::steady_clock::now() - match_start);
  index->describe(result);
  auto draft = core::make_incident(activation, result, config_.device.clock_window.count() * 1000);
  netio::StoredActivation out;
  out.key = activation.key;
  // ... then store (store thread), in a group commit with whatever else waits (commit_queue.hpp).
  const core::TimeMs window_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(config_.dispatch.merge_window).count();
  auto pending = commits_->add({std::move(activation), std::move(draft), window_ms});
  auto job = [queue = commits_.get(), pending](store::Repository& r) {
    return queue->take(r, *pending);
  };
  auto recorded = co_await on_store(std::move(job));
  if (!recorded) {
    core::log("store")->error("AWR-3001 activation not stored: {}", recorded.error().message);
    out.error = "not stored: " + recorded.error().message;
    storage_failed(recorded.error(), "storing an activation");
    co_return out;
  }
  if (storage_full_) {
    net::co_spawn(io_, storage_recovered(), net::detached);
  }
  out.stored = true;
  out.duplicate = recorded->duplicate;
  out.restarted = recorded->restarted;
  if (recorded->regressed) {
    core::log("ingest")->warn("AWR-2009 device {} sent seq {} of boot epoch {}, behind what it sent "
                              "before: a replay or a broken device; dispatched and flagged",
                              out.key.device_id, out.key.seq, out.key.boot_epoch);
  }
  out.effect = recorded->effect;
  out.incident = std::move(recorded->incident);
  out.alert = std::move(recorded->alert);
  out.notice = std::move(recorded->notice);
  apply_health(out.key.device_id, recorded->health);
  co_return out;
}

store::BatchHooks Daemon::commit_hooks() {
  store::BatchHooks hooks;
  hooks.decided = [this](std::span<const store::Result<store::RecordOutcome>> results) {
    std::vector<core::Incident> shown;
    for (const auto& r : results) {
      if (r && !r->duplicate && r->effect != store::RecordEffect::cancel_alone) {
        shown.push_back(r->incident);
      }
    }
    if (!shown.empty()) {
      net::post(io_, [this, incidents = std::move(shown)]() mutable {
        show_decided(std::move(incidents));
      });
    }
  };
  hooks.withdrawn = [this] {
    net::post(io_, [this] {
      if (resyncing_) {
        resync_again_ = true;
        return;
      }
      resyncing_ = true;
      net::co_spawn(io_, resync_consoles(), net::detached);
    });
  };
  return hooks;
}

void Daemon::show_decided(std::vector<core::Incident> incidents) {
  for (const auto& inc : incidents) {
    publish(inc);  // a proefmelding only to test-channel consoles (Hub::publish)
  }
}

netio::awaitable<void> Daemon::resync_consoles() {
  do {
    resync_again_ = false;
    core::log("dispatch")->warn("AWR-4031 a commit failed after its incidents were shown: every "
                                "meldkamer console gets a fresh snapshot from the store");
    auto job = [](store::Repository& r) { return r.open_incidents(); };
    auto open = co_await on_store(std::move(job));
    if (!open) {
      // Rare on top of a failed commit; the consoles keep what they were shown until the next
      // withdrawal or reconnect.
      core::log("store")->error("AWR-3019 cannot read the open incidents to resync the "
                                "consoles: {}", open.error().message);
      continue;
    }
    for (auto id : hub_.resync(*open, core::now_ms())) {
      mark_delivered(id);
    }
  } while (resync_again_);
  resyncing_ = false;
}

bool Daemon::registered(std::string_view device_id) {
  // The current match index (lock-free snapshot): active devices of active clients only.
  return index_.current()->device(device_id) != nullptr;
}

void Daemon::acked(const netio::StoredActivation& stored) {
  using Effect = core::ActivationEffect;
  const auto& inc = stored.incident;
  const auto& device = stored.key.device_id;
  const auto label = core::incident_label(inc.id);
  if (stored.restarted) {
    core::log("ingest")->info("AWR-2007 device {} restarted its numbering (boot epoch {})", device,
                              stored.key.boot_epoch);
  }
  if (stored.duplicate) {
    metrics_.duplicates.add();
    core::log("ingest")->info("AWR-2008 duplicate of {} from device {} acked again",
                              inc.id == 0 ? std::string("a cancel") : label, device);
    return;
  }
  metrics_.activation(core::activation_class(stored.effect, inc.priority));
  auto log = core::log("dispatch");
  publish_effects(stored.alert ? std::vector<core::Alert>{*stored.alert}
                               : std::vector<core::Alert>{},
                  stored.notice);
  switch (stored.effect) {
    case Effect::opened:
      if (inc.priority == core::Priority::test) {
        log->info("AWR-4005 proefmelding {} from device {} stored (to the PAC operator, not to "
                  "the police consoles)", label, device);
        send_command(device, v1::COMMAND_KIND_TEST_CONFIRMED, inc);
        return;  // shown before the commit (show_decided) only on test-channel consoles
      }
      log->info("AWR-4004 {} opened for device {}", label, device);
      break;
    case Effect::repeated:
      log->info("AWR-4006 {} repeated activation from device {} (count {})", label, device,
                inc.activation_count);
      break;
    case Effect::reopened:
      log->info("AWR-4007 {} reopened by a repeated activation from device {} (count {})", label,
                device, inc.activation_count);
      break;
    case Effect::cancel_flagged:
      log->info("AWR-4008 {} cancel requested by device {} (stays open)", label, device);
      break;
    case Effect::cancel_alone:
      log->info("AWR-4009 cancel from device {} with no open incident stored", device);
      return;
  }
  core::crash_point("during_dispatch");
  if (stored.effect == Effect::opened || stored.effect == Effect::reopened) {
    net::co_spawn(io_, load_timers(inc.id), net::detached);
  }
  // The consoles have it already (show_decided, before the commit).
  if (stored.effect != Effect::cancel_flagged) {
    send_command(device, v1::COMMAND_KIND_START_TRACKING, inc);
  }
}

netio::awaitable<netio::StoredPosition> Daemon::store_position(core::MessageKey key,
                                                               core::GeoFix fix) {
  const std::string key_device = key.device_id;
  auto job = [k = std::move(key), fix](store::Repository& r) { return r.append_position(k, fix); };
  auto appended = co_await on_store(std::move(job));
  netio::StoredPosition out;
  if (!appended) {
    core::log("store")->error("AWR-3003 position not stored: {}", appended.error().message);
    out.error = "not stored: " + appended.error().message;
    storage_failed(appended.error(), "storing a position");
    co_return out;
  }
  out.ok = true;
  out.incident = std::move(appended->incident);
  apply_health(key_device, appended->health);
  co_return out;
}

void Daemon::position_acked(const netio::StoredPosition& stored) {
  if (stored.incident) {
    hub_.publish(*stored.incident);
  }
}

void Daemon::stop_device(const core::Incident& closed) {
  send_command(closed.key.device_id, v1::COMMAND_KIND_STOP_TRACKING, closed);
  send_command(closed.key.device_id, v1::COMMAND_KIND_CLEAR_AUDIO, closed);
}

void Daemon::send_command(const std::string& device_id, int kind, const core::Incident& inc) {
  const auto interval = kind == v1::COMMAND_KIND_START_TRACKING
                            ? static_cast<std::uint32_t>(config_.dispatch.tracking_interval.count())
                            : 0U;
  const bool sent = devices_.send_to_device(device_id, wire::encode_command(kind, interval));
  core::log("dispatch")->info("AWR-4010 {} for {} {} device {}", v1::CommandKind_Name(
                                  static_cast<v1::CommandKind>(kind)),
                              core::incident_label(inc.id), sent ? "queued for" : "not sent: no connection of",
                              device_id);
}

}  // namespace aware::app
