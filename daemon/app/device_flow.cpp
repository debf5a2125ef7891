// device_flow.cpp — the Daemon members on the device side of the pipeline: an activation is
// matched (network thread), stored with its effect on the device's incidents (store thread:
// open, merge within merge_window, reopen, cancel), shown on the consoles as soon as that
// effect is decided — by the decider as it arrives (store/decider.hpp; the store checks it and
// a difference is corrected), else by its group commit before the COMMIT's fsync (a failed
// COMMIT resyncs every console from the store) — and acked by the session once the COMMIT is
// durable;
// position updates join the open incident's track; START/STOP_TRACKING and CLEAR_AUDIO go to
// the device's connection. A proefmelding (TEST) is stored and acked but never reaches a
// police console: it goes to the PAC operator's queue as an alert (AWR-4005). Every stored
// activation's case-worker notice goes to the notice feed.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include "app/daemon.hpp"
#include "app/store_call.hpp"
#include "core/clock.hpp"
#include "core/crash_point.hpp"
#include "core/incident.hpp"
#include "core/log.hpp"
#include "store/commit_queue.hpp"
#include "store/decider.hpp"
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
  store::ActivationToRecord job{std::move(activation), std::move(draft), window_ms};
  // The decider may tell what the store will record: then the consoles are shown it now, not
  // after the COMMIT in progress; the store compares (RecordOutcome::held) and a difference is
  // corrected (corrected(): the store's version, or a fresh snapshot for every console).
  decider_->decide(job, show_before_commit_.load(std::memory_order_relaxed));
  std::optional<ShownEarly> early;
  if (job.decision) {
    early = ShownEarly{job.decision->incident->id, job.decision->effect};
    if (hub_.publish(*job.decision->incident) &&
        job.decision->incident->state == core::IncidentState::created) {
      decider_->delivered(job);               // stored DELIVERED with the activation
      hub_.publish(*job.decision->incident);  // and shown so, as the DELIVERED mark would
    }
  }
  auto recorded = co_await commit(std::move(job));
  if (early && !(recorded && recorded->held)) {
    corrected(*early, out.key, recorded);
  }
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
  out.shown = recorded->shown || recorded->held;
  if (early && recorded->held) {
    metrics_.decided_held.add();
  }
  out.incident = std::move(recorded->incident);
  out.alert = std::move(recorded->alert);
  out.notice = std::move(recorded->notice);
  apply_health(out.key.device_id, recorded->health);
  co_return out;
}

void Daemon::still_shown(const std::vector<const store::RecordOutcome*>& last) {
  // A decision reached the hub ahead of the store's order, so something published in that
  // order and read before the activation was recorded (a resync's snapshot, a DELIVERED mark,
  // a timer) may have replaced it since. Checked as the batch is handed back — after all such,
  // before anything the store did later — and only where nothing newer of the incident is
  // shown: the batch's last activation of it, and the device's latest decision (a later one
  // overtook it).
  for (const auto* recorded : last) {
    if (!recorded->held ||
        !decider_->is_latest(recorded->incident.key.device_id, recorded->decision_serial)) {
      continue;
    }
    if (const auto* shown = hub_.find(recorded->incident.id);
        shown == nullptr || !(*shown == recorded->incident)) {
      publish(recorded->incident);  // the stored version, in the store's order
    }
  }
}

void Daemon::corrected(const ShownEarly& early, const core::MessageKey& key,
                       const store::Result<store::RecordOutcome>& recorded) {
  metrics_.decided_corrected.add();
  const char* shown_as = early.effect == store::RecordEffect::opened ? "opened" : "repeated";
  const bool same_incident = recorded && !recorded->duplicate &&
                             recorded->effect != store::RecordEffect::cancel_alone &&
                             recorded->incident.id == early.id &&
                             recorded->incident.priority != core::Priority::test;
  if (same_incident) {
    // The store's version replaces it: shown by the group commit's hook, else by acked().
    core::log("dispatch")->info(
        "AWR-4032 the consoles were shown {} as {} by the activation of device {} (seq {}); the "
        "store recorded it otherwise (something changed the incident in between): they get the "
        "store's version",
        core::incident_label(early.id), shown_as, key.device_id, key.seq);
    return;
  }
  core::log("dispatch")->warn(
      "AWR-4032 the consoles were shown {} as {} by the activation of device {} (seq {}), but "
      "the store {}: every meldkamer console gets a fresh snapshot",
      core::incident_label(early.id), shown_as, key.device_id, key.seq,
      recorded ? "recorded the activation otherwise" : "did not store it");
  withdraw({{early.id, early.effect == store::RecordEffect::opened}});
}

namespace {

// Where an activation waits for its group commit, on the network thread: woken (`ready` set,
// `wake` cancelled) by the post that hands its batch back.
struct CommitWaiter {
  explicit CommitWaiter(net::io_context& io) : wake{io, net::steady_timer::time_point::max()} {}
  net::steady_timer wake;
  bool ready = false;
};

}  // namespace

netio::awaitable<store::Result<store::RecordOutcome>> Daemon::commit(
    store::ActivationToRecord job) {
  const StoreJobCount counted{metrics_.store_jobs};  // awared_store_jobs while it waits or runs
  auto waiter = std::make_shared<CommitWaiter>(io_);
  auto added = commits_->add(std::move(job), [waiter] {
    waiter->ready = true;
    waiter->wake.cancel();
  });
  if (added.start_drain) {
    try {
      net::post(store_pool_, [this] { drain_commits(); });
    } catch (...) {
      commits_->drain_not_started();  // the next activation posts it
      throw;
    }
  }
  while (!waiter->ready) {  // the result may be written on the store thread until then
    boost::system::error_code ec;
    co_await waiter->wake.async_wait(net::redirect_error(netio::use_awaitable, ec));
  }
  co_return std::move(*added.entry->result);
}

void Daemon::drain_commits() { drain_batch(store::CommitQueue::kMaxBatch); }

std::uint64_t Daemon::activations_queued() { return commits_ ? commits_->queued() : 0; }

void Daemon::record_waiting_first(std::uint64_t ticket) {
  // Batch by batch, oldest first, up to the activation queued last before the job: none queued
  // after it (a press after a console's close is recorded after the close, and reopens).
  for (auto taken = commits_->taken(); taken < ticket; taken = commits_->taken()) {
    if (drain_batch(static_cast<std::size_t>(ticket - taken)) == 0) {
      return;
    }
  }
}

std::size_t Daemon::drain_batch(std::size_t at_most) {
  // A handler of the store pool must not throw (it would end awared): record_waiting() turns a
  // failed batch into an error per activation (Nack BUSY, the devices retransmit).
  try {
    auto batch = commits_->record_waiting(*repo_, at_most);
    if (batch.more) {
      net::post(store_pool_, [this] { drain_commits(); });
    }
    const auto taken = batch.done.size();
    if (taken == 0) {
      return 0;
    }
    // After the hooks' posts of this batch (BatchHooks), so its incidents reach the hub first.
    net::post(io_, [this, done = std::move(batch.done)] {
      try {
        // The last result of each incident in the batch: nothing newer of it came from the
        // store.
        std::vector<const store::RecordOutcome*> last;
        std::set<std::int64_t> seen;
        for (auto it = done.rbegin(); it != done.rend(); ++it) {
          const auto& result = (*it)->result;
          if (result && *result && seen.insert((**result).incident.id).second) {
            last.push_back(&**result);
          }
        }
        still_shown(last);
      } catch (const std::exception& e) {  // the devices are answered all the same
        core::log("dispatch")->error("AWR-4033 cannot check what the consoles show of a batch: {}",
                                     e.what());
      }
      for (const auto& entry : done) {
        entry->wake();
      }
    });
    return taken;
  } catch (const std::exception& e) {
    core::log("store")->critical("AWR-3020 the group commit could not hand a batch back: {}",
                                 e.what());
  }
  return 0;
}

namespace {

// What a console is shown of a stored activation: none for a duplicate or a lone cancel.
bool for_consoles(const store::RecordOutcome& r) {
  return !r.duplicate && r.effect != store::RecordEffect::cancel_alone;
}

std::vector<core::Incident> incidents_for_consoles(store::BatchHooks::Shown results) {
  std::vector<core::Incident> out;
  for (const auto& r : results) {
    if (r && !r->held && for_consoles(*r)) {  // a held decision is on the consoles already
      out.push_back(r->incident);
    }
  }
  return out;
}

}  // namespace

// The hooks run on the store thread. Each posts to the network thread, and so does the drain
// job that hands a batch back (drain_commits) and each other store job's completion (on_store),
// in the store thread's order: a batch's incidents reach the hub before its devices' results,
// and a withdrawal before anything stored after it. (What the decider decided reaches the hub
// ahead of that order; Daemon::store() puts the stored version back where something published
// in store order replaced it.)
store::BatchHooks Daemon::commit_hooks() {
  store::BatchHooks hooks;
  hooks.decided = [this](store::BatchHooks::Shown results) {
    if (!show_before_commit_.load(std::memory_order_relaxed)) {
      return false;  // acked() publishes them after the COMMIT
    }
    if (auto shown = incidents_for_consoles(results); !shown.empty()) {
      net::post(io_, [this, incidents = std::move(shown)]() mutable {
        show_decided(std::move(incidents));
      });
    }
    return true;
  };
  hooks.withdrawn = [this](store::BatchHooks::Shown results) {
    std::vector<Withdrawn> shown;
    for (const auto& r : results) {
      if (r && for_consoles(*r)) {  // a decided one also by Daemon::corrected(): withdraw()
        shown.push_back({r->incident.id, r->effect == store::RecordEffect::opened ||
                                             r->effect == store::RecordEffect::reopened});
      }
    }
    net::post(io_, [this, ws = std::move(shown)]() mutable { withdraw(std::move(ws)); });
  };
  return hooks;
}

void Daemon::show_decided(std::vector<core::Incident> incidents) {
  for (const auto& inc : incidents) {
    publish(inc);  // a proefmelding only to test-channel consoles (Hub::publish)
  }
}

void Daemon::withdraw(std::vector<Withdrawn> shown) {
  if (shown.empty()) {
    return;
  }
  for (const auto& w : shown) {
    withdrawn_ids_.insert(w.id);
    // Once while it waits for the resync (the group commit's hook and corrected() may both
    // withdraw a decided incident).
    auto same = std::ranges::find_if(withdrawn_, [&](const Withdrawn& o) { return o.id == w.id; });
    if (same == withdrawn_.end()) {
      withdrawn_.push_back(w);
    } else {
      same->not_open = same->not_open || w.not_open;
    }
  }
  if (!resyncing_) {
    resyncing_ = true;
    net::co_spawn(io_, resync_consoles(), net::detached);
  }
}

netio::awaitable<void> Daemon::resync_consoles() {
  struct Done {  // however this ends, a later withdrawal starts a new resync
    Daemon& d;
    ~Done() {
      d.resyncing_ = false;
      d.withdrawn_ids_.clear();
    }
  } done{*this};
  while (!withdrawn_.empty()) {
    const auto shown = std::exchange(withdrawn_, {});
    std::string ids;
    for (const auto& w : shown) {
      ids += (ids.empty() ? "" : ", ") + core::incident_label(w.id);
    }
    core::log("dispatch")->warn("AWR-4031 {} shown on the consoles but not stored as shown (a "
                                "failed COMMIT, or a decision the store corrected: AWR-4032): "
                                "every meldkamer console gets a fresh snapshot", ids);
    std::optional<std::vector<core::Incident>> open;
    try {
      auto job = [](store::Repository& r) { return r.open_incidents(); };
      auto read = co_await on_store(std::move(job));
      if (read) {
        open = std::move(*read);
      } else {
        core::log("store")->error("AWR-3019 cannot read the open incidents for the resync: {}",
                                  read.error().message);
      }
    } catch (const std::exception& e) {
      core::log("store")->error("AWR-3019 cannot read the open incidents for the resync: {}",
                                e.what());
    }
    if (!open) {
      // From the hub's own set: the withdrawn new and reopened incidents leave it; a withdrawn
      // change to an open stored incident stays shown until that incident's next update.
      open = hub_.open_incidents();
      for (const auto& w : shown) {
        if (w.not_open) {
          std::erase_if(*open, [&](const core::Incident& o) { return o.id == w.id; });
        }
      }
    }
    for (auto id : hub_.resync(*open, core::now_ms())) {
      mark_delivered(id);
    }
  }
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
        if (!stored.shown) {
          publish(inc);  // only to test-channel consoles, when [dispatch] test_channel is on
        }
        return;
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
  if (!stored.shown) {
    publish(inc);  // else the consoles have it already (show_decided, before the commit)
  }
  if (stored.effect != Effect::cancel_flagged) {
    // Repeated with every press (the device may have lost it); for a repeat, AWR-4006 says so.
    send_command(device, v1::COMMAND_KIND_START_TRACKING, inc, stored.effect == Effect::repeated);
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

void Daemon::send_command(const std::string& device_id, int kind, const core::Incident& inc,
                          bool routine) {
  const auto interval = kind == v1::COMMAND_KIND_START_TRACKING
                            ? static_cast<std::uint32_t>(config_.dispatch.tracking_interval.count())
                            : 0U;
  const bool sent = devices_.send_to_device(device_id, wire::encode_command(kind, interval));
  core::log("dispatch")->log(sent && routine ? spdlog::level::debug : spdlog::level::info,
                             "AWR-4010 {} for {} {} device {}",
                             v1::CommandKind_Name(static_cast<v1::CommandKind>(kind)),
                             core::incident_label(inc.id),
                             sent ? "queued for" : "not sent: no connection of", device_id);
}

}  // namespace aware::app
