// decider.cpp — see decider.hpp.
#include "store/decider.hpp"

#include "core/incident.hpp"

namespace aware::store {
namespace {

// Numbered after everything stored of the device: the store keeps the highest numbering seen
// (rows::note_device_numbering), and every stored activation is at or below it.
bool after(const core::MessageKey& key, std::uint32_t boot_epoch, std::uint64_t seq) {
  return key.boot_epoch > boot_epoch || (key.boot_epoch == boot_epoch && key.seq > seq);
}

// An outcome that tells all the decider keeps of a device: its latest SPOED incident (open) and
// its numbering (this activation's).
bool tells_all(const RecordOutcome& out) {
  if (out.duplicate || out.regressed) {
    return false;
  }
  switch (out.effect) {
    case RecordEffect::repeated:
    case RecordEffect::reopened:
    case RecordEffect::cancel_flagged:
      return true;
    case RecordEffect::opened:
      return out.incident.priority != core::Priority::test;  // a TEST one is not "latest"
    case RecordEffect::cancel_alone:
      return false;
  }
  return false;
}

// `incident` as a console that got it NEW sees it now: DELIVERED.
std::shared_ptr<const core::Incident> as_delivered(const core::Incident& incident) {
  auto out = std::make_shared<core::Incident>(incident);
  out->state = core::IncidentState::delivered;
  return out;
}

}  // namespace

void Decider::start(std::int64_t next_id, const std::vector<std::string>& devices_heard,
                    const std::vector<std::string>& devices_with_windows) {
  std::lock_guard lock{mutex_};
  next_id_ = next_id;
  for (const auto& d : devices_heard) {
    views_.try_emplace(d);  // unknown until the store records one of its activations
  }
  windows_.insert(devices_with_windows.begin(), devices_with_windows.end());
  started_ = true;
  unheard_are_empty_ = true;
}

Decider::View& Decider::view_of(const std::string& device_id) {
  auto [it, inserted] = views_.try_emplace(device_id);
  if (inserted && started_ && unheard_are_empty_) {
    it->second.valid_in = generation_;  // never heard: no incident, no numbering
  }
  return it->second;
}

void Decider::learn(View& view, const std::string& device_id,
                    std::shared_ptr<const core::Incident> latest, const core::MessageKey& key) {
  if (view.latest && view.latest->id != latest->id) {
    owners_.erase(view.latest->id);
  }
  owners_[latest->id] = device_id;
  view.latest = std::move(latest);
  view.numbered = true;
  view.boot_epoch = key.boot_epoch;
  view.seq = key.seq;
  view.valid_in = generation_;
}

void Decider::decide(ActivationToRecord& job, bool allowed) {
  const auto& a = job.activation;
  std::lock_guard lock{mutex_};
  auto& view = view_of(a.key.device_id);
  ++view.in_flight;
  job.counted = true;
  const bool known = allowed && started_ && view.valid_in == generation_;
  if (!known || a.trigger != core::Trigger::alarm || job.draft.priority != core::Priority::spoed ||
      windows_.contains(a.key.device_id) ||
      (view.numbered && !after(a.key, view.boot_epoch, view.seq))) {
    view.valid_in = 0;  // the store decides this one; the device's later ones wait for it
    return;
  }
  Decision out;
  if (view.latest) {
    out.effect = RecordEffect::repeated;  // a known latest incident is open
    out.incident = std::make_shared<const core::Incident>(
        core::merge_activation(*view.latest, job.draft));
  } else {
    out.effect = RecordEffect::opened;
    auto opened = std::make_shared<core::Incident>(job.draft);
    opened->id = next_id_++;
    opened->state = core::IncidentState::created;
    out.incident = std::move(opened);
  }
  out.serial = ++view.serial;
  learn(view, a.key.device_id, out.incident, a.key);
  job.decision = std::move(out);
}

void Decider::delivered(ActivationToRecord& job) {
  if (!job.decision || job.decision->incident->state != core::IncidentState::created) {
    return;
  }
  auto shown = as_delivered(*job.decision->incident);
  job.mark_delivered = true;
  std::lock_guard lock{mutex_};
  auto& view = view_of(job.activation.key.device_id);
  if (view.latest && view.latest->id == shown->id &&
      view.latest->state == core::IncidentState::created) {
    view.latest = view.latest == job.decision->incident ? shown : as_delivered(*view.latest);
  }
  job.decision->incident = std::move(shown);
}

bool Decider::is_latest(const std::string& device_id, std::uint64_t serial) {
  std::lock_guard lock{mutex_};
  const auto it = views_.find(device_id);
  return it != views_.end() && it->second.serial == serial;
}

bool Decider::recorded(const ActivationToRecord& job, const RecordOutcome* outcome) {
  std::lock_guard lock{mutex_};
  auto& view = view_of(job.activation.key.device_id);
  if (job.counted && view.in_flight > 0) {
    --view.in_flight;
  }
  const auto& decision = job.decision;
  const bool held = decision && outcome != nullptr && !outcome->duplicate &&
                    decision->serial >= view.trusted_from &&
                    outcome->effect == decision->effect && outcome->incident == *decision->incident;
  if (!held) {
    view.valid_in = 0;  // what was decided after it may be off; each is compared in turn
    if (decision) {
      view.trusted_from = view.serial + 1;  // and none of those is trusted
    }
  }
  if (outcome == nullptr || !started_ || view.in_flight > 0 || !tells_all(*outcome)) {
    return held;
  }
  if (!held || view.valid_in != generation_) {
    learn(view, job.activation.key.device_id,
          std::make_shared<const core::Incident>(outcome->incident), job.activation.key);
  }
  return held;
}

void Decider::rolled_back(std::span<const ActivationToRecord> jobs) {
  std::lock_guard lock{mutex_};
  for (const auto& job : jobs) {
    view_of(job.activation.key.device_id).valid_in = 0;
  }
}

std::int64_t Decider::reserve_id() {
  std::lock_guard lock{mutex_};
  return next_id_++;
}

void Decider::incident_changed(std::int64_t id) {
  std::lock_guard lock{mutex_};
  if (auto it = owners_.find(id); it != owners_.end()) {
    views_[it->second].valid_in = 0;
  }
}

void Decider::incident_delivered(std::int64_t id) {
  std::lock_guard lock{mutex_};
  auto it = owners_.find(id);
  if (it == owners_.end()) {
    return;
  }
  auto& view = views_[it->second];
  if (view.in_flight > 0 || !view.latest || view.latest->id != id) {
    view.valid_in = 0;  // a decision in flight was made on the state before
  } else if (view.latest->state == core::IncidentState::created) {
    view.latest = as_delivered(*view.latest);
  }
}

void Decider::incident_tracked(const core::Incident& incident) {
  std::lock_guard lock{mutex_};
  auto it = owners_.find(incident.id);
  if (it == owners_.end()) {
    return;
  }
  auto& view = views_[it->second];
  if (view.in_flight > 0 || !view.latest || view.latest->id != incident.id) {
    view.valid_in = 0;
  } else {
    view.latest = std::make_shared<const core::Incident>(incident);
  }
}

void Decider::everything_changed(bool new_devices) {
  std::lock_guard lock{mutex_};
  ++generation_;
  if (new_devices) {
    unheard_are_empty_ = false;
  }
}

void Decider::window_opened(std::string_view device_id) {
  std::lock_guard lock{mutex_};
  windows_.emplace(device_id);
}

}  // namespace aware::store
