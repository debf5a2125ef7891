// decider.hpp — an activation's effect, decided on the network thread before the store thread
// gets to it, so the consoles are shown the alarm without waiting for a COMMIT in progress
// (docs/architecture.md, "The decider").
//
// The store thread stays the authority: Repository::record_activations() decides every
// activation again from the database and compares. The decider only answers the common case and
// leaves the rest to the store:
// - an alarm (not a proefmelding or cancel) of a device with no proefmelding window,
// - numbered after everything the device sent before (so no duplicate, no regression),
// - of a device whose state the decider knows: never heard since this database began (no
//   incident, no numbering), or as the store thread last recorded it plus what the decider has
//   decided since. Its latest SPOED incident is then open (it is repeated: merge_activation) or
//   there is none (a new incident, with an id reserved here; the store inserts that id).
// A device's state becomes unknown when anything else writes it — a console's accept or close,
// a note, retention, an activation the decider left to the store — until the store thread next
// records an activation of that device with nothing else of it in flight.
//
// THREAD SAFETY: every member may be called from any thread (one mutex; each call is short).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/row_types.hpp"

namespace aware::store {

class Decider {
 public:
  // Store thread, before the first decide(): the first free incident id and the devices with a
  // history (numbering or incidents) or a proefmelding window not yet ended. Until then
  // decide() leaves everything to the store.
  void start(std::int64_t next_id, const std::vector<std::string>& devices_heard,
             const std::vector<std::string>& devices_with_windows);

  // Network thread: fills `job.decision` when the decider can answer (see above), and counts the
  // job as in flight for its device either way. With `allowed` false it only counts it.
  void decide(ActivationToRecord& job, bool allowed = true);

  // Network thread: a console got `job`'s decision, a NEW incident. The store is to record it
  // DELIVERED with the activation (job.mark_delivered), and the decision says so.
  void delivered(ActivationToRecord& job);

  // Whether the decision numbered `serial` is the latest made for `device_id`.
  bool is_latest(const std::string& device_id, std::uint64_t serial);

  // Store thread, after recording `job` (decided or not): `outcome` is its result inside the
  // batch (nullptr when it failed). Returns whether the decision held: the store recorded the
  // same effect on the same incident, and no decision of the device before it was wrong (one
  // made on a wrong state is not trusted even where it happens to match). Learns the device's
  // state from the outcome when that is complete.
  bool recorded(const ActivationToRecord& job, const RecordOutcome* outcome);
  // Store thread: the batch of `jobs` was rolled back; what the decider learnt of their devices
  // is void.
  void rolled_back(std::span<const ActivationToRecord> jobs);

  // Store thread: an id for a new incident the decider did not decide.
  std::int64_t reserve_id();

  // Store thread, after other writes:
  // - incident `id` changed in some other way (a console's accept, close, listen-in; retention);
  void incident_changed(std::int64_t id);
  // - incident `id` was marked DELIVERED;
  void incident_delivered(std::int64_t id);
  // - `incident` joined a position to its track, and this is it now;
  void incident_tracked(const core::Incident& incident);
  // - anything of any device may have changed; `new_devices`: also devices that had no history;
  void everything_changed(bool new_devices);
  // - a proefmelding window was opened for `device_id`.
  void window_opened(std::string_view device_id);

 private:
  struct View {
    std::uint64_t valid_in = 0;  // the state below is known while this equals generation_
    std::uint32_t in_flight = 0;  // jobs decide() counted that the store has not recorded
    std::uint64_t serial = 0;     // decisions made for the device
    std::uint64_t trusted_from = 0;  // decisions with a lower serial were made on a wrong state
    // The open SPOED incident, none when there is none; shared with the decision that made it.
    std::shared_ptr<const core::Incident> latest;
    bool numbered = false;                 // boot_epoch / seq: the highest numbering stored
    std::uint32_t boot_epoch = 0;
    std::uint64_t seq = 0;
  };
  View& view_of(const std::string& device_id);
  // The device's state as `latest` and `key` tell it; valid from now on.
  void learn(View& view, const std::string& device_id,
             std::shared_ptr<const core::Incident> latest, const core::MessageKey& key);

  std::mutex mutex_;
  bool started_ = false;
  bool unheard_are_empty_ = false;  // a device without a view has no history
  std::uint64_t generation_ = 1;    // bumped by everything_changed()
  std::int64_t next_id_ = 0;
  std::unordered_map<std::string, View> views_;
  std::unordered_map<std::int64_t, std::string> owners_;  // a view's latest incident → device
  std::unordered_set<std::string> windows_;  // devices with a proefmelding window (maybe ended)
};

}  // namespace aware::store
