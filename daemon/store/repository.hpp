// repository.hpp — awared's durable state in SQLite: registrations, activations, incidents.
//
// Durability contract: the database runs in WAL mode with synchronous=FULL, so when
// record_activation() returns successfully the activation and its incident survive a crash or
// power cut; only then may the device be acknowledged. The constructor refuses to continue
// unless both settings are in force.
//
// Error policy: the constructor throws (a start-up failure). Every other member never throws: a
// SQLite failure (disk full, I/O error) comes back as StoreError, and the transaction it was in
// is rolled back.
// THREAD SAFETY: none. A Repository lives on the store thread; net/ posts work to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/registry.hpp"
#include "core/types.hpp"

namespace aware::store {

class Db;

struct StoreError {
  int code = 0;          // SQLite extended result code
  std::string message;   // SQLite's message with the operation that failed
};

struct RecordOutcome {
  core::Incident incident;   // the new incident, or the existing one for a duplicate
  bool duplicate = false;    // the same (device, boot_epoch, seq) was stored before
  bool restarted = false;    // the device's boot epoch differs from the last one seen
};

template <typename T>
using Result = tl::expected<T, StoreError>;

class Repository {
 public:
  // Opens or creates the database (and its folder), sets WAL + synchronous=FULL, verifies them,
  // and applies pending migrations. Throws std::runtime_error with a clear message on failure.
  explicit Repository(const std::filesystem::path& path);
  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // Durably stores an activation and the incident it opens (`draft`, id 0), in one transaction.
  // An exact duplicate stores nothing and returns the incident the first copy opened.
  Result<RecordOutcome> record_activation(const core::Activation& activation,
                                          const core::Incident& draft);

  // Every incident not yet closed, oldest first.
  Result<std::vector<core::Incident>> open_incidents();

  // One incident by id; StoreError with code SQLITE_NOTFOUND when there is none.
  Result<core::Incident> incident(std::int64_t id);

  // The result of a requested state change: the incident as it now is, and whether the change
  // was made. A change that the incident's current state does not allow is not an error: it
  // comes back with applied == false (e.g. another centralist accepted it first).
  struct Transition {
    core::Incident incident;
    bool applied = false;
  };

  // created -> delivered (it is on a console's screen). Not applied in any other state.
  Result<Transition> mark_delivered(std::int64_t id, core::TimeMs now);
  // created/delivered -> accepted by `who`; accepting again by the same person is applied.
  Result<Transition> accept(std::int64_t id, const std::string& who, core::TimeMs now);
  // accepted (by `who`) -> closed with an outcome and a note.
  Result<Transition> close(std::int64_t id, const std::string& who, const std::string& outcome,
                           const std::string& note, core::TimeMs now);

  // All registrations, for building a match index.
  Result<core::Registry> load_registry();

  // Adds the demo registrations when there are no clients yet. Returns true if it added them.
  Result<bool> seed_demo_if_empty(core::TimeMs now);

  // The settings in force, for start-up checks and tests.
  [[nodiscard]] std::string journal_mode();
  [[nodiscard]] int synchronous();
  [[nodiscard]] int schema_version();

 private:
  struct TransitionArgs {
    std::int64_t id;
    core::IncidentState state;   // the state the update moves to (for incident_events)
    core::TimeMs now;
    std::string who;
    std::string outcome;
    std::string note;
  };
  // Runs a guarded UPDATE (?1 id, ?2 now, ?3 who, ?4 outcome, ?5 note) and records the event
  // when it changed a row.
  Result<Transition> transition(std::string_view update_sql, const TransitionArgs& args);

  std::unique_ptr<Db> db_;
};

}  // namespace aware::store
