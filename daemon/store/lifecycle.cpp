// lifecycle.cpp — the Repository members that turn device messages into incident changes:
// record_activation() (open, merge within merge_window, reopen, cancel) and append_position()
// (live tracking). An opened or reopened incident also gets its escalation deadlines
// (incident_timers), the case workers' notice and (proefmelding) the PAC alert in the same
// transaction. Each is one BEGIN IMMEDIATE … COMMIT (record_activations(): one for a whole
// batch, each activation in its own savepoint), so the device is acked only after the whole
// effect is durable. See repository.hpp for the contracts.
#include <sqlite3.h>

#include <algorithm>

#include "core/crash_point.hpp"
#include "core/incident.hpp"
#include "store/decider.hpp"
#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

// The device's open SPOED incident, if any.
std::optional<core::Incident> open_incident_of(Db& db, std::string_view device_id) {
  auto latest = rows::latest_incident(db, device_id);
  if (!latest || latest->state == core::IncidentState::closed) {
    return std::nullopt;
  }
  return rows::load_incident(db, latest->id);
}

// The incident an alarm joins under the merge window, if any.
std::optional<core::Incident> joinable_incident(Db& db, const core::Activation& a,
                                                core::TimeMs merge_window_ms) {
  auto latest = rows::latest_incident(db, a.key.device_id);
  if (!latest) {
    return std::nullopt;
  }
  if (!core::joins_incident(latest->state, latest->updated_ms, a.received_ms, merge_window_ms)) {
    return std::nullopt;
  }
  return rows::load_incident(db, latest->id);
}

}  // namespace

Result<RecordOutcome> Repository::record_activation(const core::Activation& activation,
                                                    const core::Incident& draft,
                                                    core::TimeMs merge_window_ms) {
  ActivationToRecord one{activation, draft, merge_window_ms};
  return std::move(record_activations({&one, 1}).front());
}

std::vector<Result<RecordOutcome>> Repository::record_activations(
    std::span<const ActivationToRecord> batch, const BatchHooks& hooks) {
  std::vector<Result<RecordOutcome>> out;
  out.reserve(batch.size());
  bool shown = false;  // `hooks.decided` saw the batch
  // Unless the batch commits, the decider hears of every activation not yet recorded (no longer
  // in flight) and that what it learnt of the batch's devices is void — also when something
  // other than SQLite throws out of here.
  struct UnlessCommitted {
    Decider* decider;
    std::span<const ActivationToRecord> batch;
    std::size_t told = 0;  // activations the decider was told of (Decider::recorded), in order
    bool committed = false;
    ~UnlessCommitted() {
      if (decider == nullptr || committed) {
        return;
      }
      try {
        for (std::size_t i = told; i < batch.size(); ++i) {
          decider->recorded(batch[i], nullptr);
        }
        decider->rolled_back(batch);
      } catch (...) {  // out of memory: those devices stay unknown to it (the store decides)
      }
    }
  } unless{decider_, batch};
  auto committed = rows::guarded([&] {
    Transaction tx{*db_};
    const Quiet quiet{quiet_};  // the decider is told of each below
    for (const auto& job : batch) {
      // A failed one leaves no trace (rows::in_savepoint); when SQLite rolled the whole
      // transaction back, the batch fails as a whole below.
      auto one = rows::in_savepoint(*db_, [&] { return record_one(job); });
      if (decider_ != nullptr) {
        const bool held = decider_->recorded(job, one ? &*one : nullptr);
        ++unless.told;
        if (one && job.decision) {
          one->decided = true;
          one->held = held;
          one->decision_serial = job.decision->serial;
        }
      }
      out.push_back(std::move(one));
    }
    if (hooks.decided) {
      try {
        shown = hooks.decided(out);
      } catch (...) {
        shown = true;  // some consoles may have been told
        return false;  // but not all: roll back, the devices retransmit
      }
    }
    core::crash_point("before_commit");
    tx.commit();
    core::crash_point("after_commit");
    return true;
  });
  if (committed && *committed) {
    unless.committed = true;
    for (auto& one : out) {
      if (one) {
        one->shown = shown;
      }
    }
    return out;
  }
  if (shown) {
    // The new incidents the batch showed are rolled back; SQLite would hand their ids out
    // again. (Their ids are above every stored one, so the floor is too.)
    for (const auto& one : out) {
      if (one && one->effect == RecordEffect::opened && !one->duplicate) {
        incident_id_floor_ = std::max(incident_id_floor_, one->incident.id + 1);
      }
    }
    if (hooks.withdrawn) {
      try {
        hooks.withdrawn(out);
      } catch (...) {  // nothing more to do here: the batch fails below all the same
      }
    }
  }
  const StoreError error =
      committed ? StoreError{0, "the consoles could not be told of the batch; rolled back"}
                : committed.error();
  out.assign(batch.size(), tl::make_unexpected(error));
  return out;
}

std::int64_t Repository::insert_new_incident(const ActivationToRecord& job,
                                             const core::Incident& draft) {
  const auto& a = job.activation;
  if (decider_ == nullptr) {
    // Above every id a withdrawn batch showed (once set, the floor stays ahead of the ids).
    const auto id = rows::insert_incident(*db_, draft, a.received_ms, incident_id_floor_);
    if (incident_id_floor_ > 0) {
      incident_id_floor_ = id + 1;
    }
    return id;
  }
  // The decision's id only for the incident it showed (not, say, a proefmelding because a
  // window opened in between: that id stays withdrawn).
  const bool reserved = job.decision && job.decision->effect == RecordEffect::opened &&
                        draft.priority == job.decision->incident->priority;
  const auto id = reserved ? job.decision->incident->id : decider_->reserve_id();
  rows::insert_incident(*db_, draft, a.received_ms, id);
  return id;
}

RecordOutcome Repository::record_one(const ActivationToRecord& job) {
  const core::Activation& activation = job.activation;
  const core::Incident& given_draft = job.draft;
  const core::TimeMs merge_window_ms = job.merge_window_ms;
  RecordOutcome out;
  if (auto existing = rows::find_activation(*db_, activation.key)) {
    out.duplicate = true;
    if (*existing) {
      out.incident = rows::load_incident(*db_, **existing);
    } else {
      out.effect = RecordEffect::cancel_alone;
    }
    return out;  // nothing written
  }
  // A proefmelding window decides what a press is: inside one, an alarm is a test; outside,
  // a test press is handled as a real alarm (flagged), for a panic is never refused.
  core::Activation a = activation;
  core::Incident draft = given_draft;
  out.test_window = rows::open_test_window(*db_, a.key.device_id, a.received_ms);
  if (out.test_window && a.trigger == core::Trigger::alarm) {
    a.trigger = core::Trigger::test;
    draft.priority = core::Priority::test;
  } else if (!out.test_window && a.trigger == core::Trigger::test && require_test_window_) {
    a.trigger = core::Trigger::alarm;
    draft.priority = core::Priority::spoed;
    draft.flags.push_back(core::Flag::test_outside_window);
  }
  const auto numbering = rows::note_device_numbering(*db_, a);
  out.restarted = numbering.restarted && !numbering.regressed;
  out.regressed = numbering.regressed;
  if (numbering.regressed) {
    draft.flags.push_back(core::Flag::sequence_regressed);  // dispatched all the same
    rows::append_audit(*db_, "awared", "device.sequence_regressed",
                       "device:" + a.key.device_id,
                       "epoch " + std::to_string(a.key.boot_epoch) + " seq " +
                           std::to_string(a.key.seq) + " is behind the numbering stored",
                       a.received_ms);
  }
  out.health = rows::note_heard(*db_, a.key.device_id, a.received_ms,
                                a.battery_pct > 0 ? std::optional<std::uint32_t>{a.battery_pct}
                                                  : std::nullopt,
                                std::nullopt, supervision_rules_);
  std::optional<core::Incident> target;
  if (a.trigger == core::Trigger::cancel) {
    target = open_incident_of(*db_, a.key.device_id);
    if (target) {
      out.effect = RecordEffect::cancel_flagged;
      out.incident = core::apply_cancel(*target);
    } else {
      out.effect = RecordEffect::cancel_alone;
    }
  } else if (a.trigger == core::Trigger::alarm) {
    target = joinable_incident(*db_, a, merge_window_ms);
    if (target) {
      out.effect = target->state == core::IncidentState::closed ? RecordEffect::reopened
                                                                 : RecordEffect::repeated;
      out.incident = core::merge_activation(*target, draft);
    }
  }
  if (target) {
    rows::update_incident(*db_, out.incident, a.received_ms);
    if (out.effect == RecordEffect::reopened && deliver_timeout_ms_ > 0) {
      rows::write_timers(
          *db_, out.incident.id,
          core::arm_timers(a.received_ms, deliver_timeout_ms_, accept_timeout_ms_));
      out.incident.to_fallback = false;
    }
    const char* detail = out.effect == RecordEffect::cancel_flagged ? "cancel requested"
                         : out.effect == RecordEffect::reopened    ? "reopened: repeated activation"
                                                                   : "repeated activation";
    rows::insert_event(*db_, out.incident.id, out.incident.state, "", detail, a.received_ms);
    rows::insert_activation(*db_, a, out.incident.id);
  } else if (out.effect == RecordEffect::cancel_alone) {
    rows::insert_activation(*db_, a, std::nullopt);
  } else {
    out.effect = RecordEffect::opened;
    out.incident = draft;
    out.incident.id = insert_new_incident(job, draft);
    out.incident.state = core::IncidentState::created;
    rows::insert_activation(*db_, a, out.incident.id);
    rows::insert_event(*db_, out.incident.id, core::IncidentState::created, "", "activation",
                       a.received_ms);
    if (draft.priority != core::Priority::test && deliver_timeout_ms_ > 0) {
      rows::write_timers(
          *db_, out.incident.id,
          core::arm_timers(a.received_ms, deliver_timeout_ms_, accept_timeout_ms_));
    }
  }
  const auto& told = out.effect == RecordEffect::cancel_alone ? draft : out.incident;
  if (auto notice = core::activation_notice(told, out.effect, a.received_ms)) {
    out.notice = rows::insert_notice(*db_, std::move(*notice));
  }
  if (out.effect == RecordEffect::opened && draft.priority == core::Priority::test) {
    out.alert = rows::raise_alert(*db_, core::test_alarm_alert(out.incident, a.received_ms));
    rows::count_test(*db_, out.test_window->id);
  } else {
    out.test_window.reset();
  }
  // After the notice, which tells the case workers of a NEW alarm, as without the decider.
  if (job.mark_delivered && job.decision && job.decision->incident->id == out.incident.id &&
      out.effect == job.decision->effect && out.incident.priority != core::Priority::test &&
      out.incident.state == core::IncidentState::created) {
    mark_delivered_within(out.incident.id, a.received_ms);  // a console has it (Decider)
    out.incident.state = core::IncidentState::delivered;
  }
  return out;
}

Result<PositionOutcome> Repository::append_position(const core::MessageKey& key,
                                                    const core::GeoFix& fix) {
  const Quiet quiet{quiet_};  // the decider is told below
  auto appended = rows::guarded([&] {
    Transaction tx{*db_};
    PositionOutcome out;
    if (rows::position_exists(*db_, key)) {
      out.duplicate = true;
      return out;
    }
    out.health = rows::note_heard(*db_, key.device_id, fix.received_ms, std::nullopt,
                                  std::nullopt, supervision_rules_);
    auto open = open_incident_of(*db_, key.device_id);
    if (!open) {
      tx.commit();  // the device was heard; the position itself is not stored (privacy)
      return out;
    }
    rows::insert_position(*db_, open->id, key, fix);
    Stmt touch{*db_, "UPDATE incidents SET updated_ms=?2 WHERE id=?1"};
    touch.bind(1, open->id).bind(2, fix.received_ms).run();
    tx.commit();
    out.incident = rows::load_incident(*db_, open->id);
    return out;
  });
  if (decider_ != nullptr) {
    if (appended && appended->incident) {
      decider_->incident_tracked(*appended->incident);
    } else if (!appended) {
      decider_->everything_changed(false);  // whatever the failure left, it is not known
    }
  }
  return appended;
}

}  // namespace aware::store
