// rows.hpp — SQL helpers for incidents, activations and positions, shared by repository.cpp
// (start-up, transitions) and lifecycle.cpp (activations, merge, cancel, tracking).
// Store-internal: every function here runs inside the caller's transaction and throws
// SqliteError, which Repository turns into a StoreError value (see guarded()).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "core/alert.hpp"
#include "core/audit.hpp"
#include "core/timers.hpp"
#include "core/types.hpp"
#include "store/repository.hpp"
#include "store/sqlite.hpp"

namespace aware::store::rows {

// Runs `fn`, turning any SqliteError into a StoreError value.
template <typename Fn>
auto guarded(Fn&& fn) -> Result<decltype(fn())> {
  try {
    return fn();
  } catch (const SqliteError& e) {
    return tl::make_unexpected(StoreError{e.code(), e.what()});
  }
}

// Runs `fn` guarded inside a savepoint of the caller's transaction: on success the savepoint is
// released; on a SqliteError its writes are undone and the error comes back as a value, the rest
// of the transaction untouched. When SQLite has already rolled back the whole transaction (an
// I/O error, a full disk), the ROLLBACK TO throws, and the caller's whole transaction fails.
template <typename Fn>
auto in_savepoint(Db& db, Fn&& fn) -> Result<decltype(fn())> {
  db.run("SAVEPOINT one");
  auto out = guarded(std::forward<Fn>(fn));
  if (out) {
    db.run("RELEASE one");
  } else {
    db.exec("ROLLBACK TO one; RELEASE one");
  }
  return out;
}

// One incident with its track (the latest core::kMaxTrackPositions positions); throws
// SqliteError(SQLITE_NOTFOUND) when there is none.
core::Incident load_incident(Db& db, std::int64_t id);

// Every incident not yet closed, oldest first, with their tracks.
std::vector<core::Incident> load_open_incidents(Db& db);

// The stored activation with this key: nullopt when there is none; otherwise its incident id,
// itself nullopt for a cancel that found no open incident.
std::optional<std::optional<std::int64_t>> find_activation(Db& db, const core::MessageKey& key);

// The device's latest SPOED/TECHNISCH incident (never a TEST one) and when it last changed
// (for a closed one: when it was closed). nullopt when the device has none.
struct LatestIncident {
  std::int64_t id = 0;
  core::IncidentState state = core::IncidentState::created;
  core::TimeMs updated_ms = 0;
};
std::optional<LatestIncident> latest_incident(Db& db, std::string_view device_id);

// Writes a new incident (state created) and returns its id: `id` when it is > 0, else the
// next free one.
std::int64_t insert_incident(Db& db, const core::Incident& draft, core::TimeMs now,
                             std::int64_t id = 0);
// Rewrites the mutable columns and the context of an existing incident (the track is not part
// of the context: it lives in the positions table).
void update_incident(Db& db, const core::Incident& inc, core::TimeMs now);

// Appends to incident_events.
void insert_event(Db& db, std::int64_t incident, core::IncidentState state, std::string_view who,
                  std::string_view detail, core::TimeMs at);
// Records the numbering the device uses now; true when its boot epoch changed.
// `restarted`: the boot epoch differs from the last one seen; `regressed`: the numbering went
// back — an older boot epoch, or a lower seq in the same one (then the stored numbering keeps
// the highest seen).
struct Numbering {
  bool restarted = false;
  bool regressed = false;
};
Numbering note_device_numbering(Db& db, const core::Activation& a);
// Writes the activation row; `incident_id` nullopt stores NULL (a cancel with no incident).
void insert_activation(Db& db, const core::Activation& a, std::optional<std::int64_t> incident_id);

// Rewrites only the context column (flags, match, position…) of an existing incident; the
// state and updated_ms stay as they are.
void write_context(Db& db, const core::Incident& inc);
// Writes (insert or replace) the escalation deadlines of incident `id`.
void write_timers(Db& db, std::int64_t id, const core::IncidentTimers& t);

// True when a position with this key is stored already.
bool position_exists(Db& db, const core::MessageKey& key);
// Writes one position of `incident_id`'s track.
void insert_position(Db& db, std::int64_t incident_id, const core::MessageKey& key,
                     const core::GeoFix& fix);

// alert_rows.cpp: raises `alert` unless one of its subject and kind is unresolved; returns the
// stored alert (with its id), or nullopt when nothing was written.
std::optional<core::Alert> raise_alert(Db& db, core::Alert alert);
// Resolves every unresolved alert about `subject` (only those of `kind`, when given) by
// "awared"; returns them as they now are.
std::vector<core::Alert> resolve_alerts_of(Db& db, std::string_view subject, core::TimeMs now,
                                           std::string_view kind = {});
// Writes a notice; returns it with its id.
core::Notice insert_notice(Db& db, core::Notice notice);

// supervision_rows.cpp: the device sent a message at `now` (with a battery reading and/or a
// full health report): updates device_status and applies the supervision rules. Nothing for an
// unknown or returned device.
HealthOutcome note_heard(Db& db, std::string_view device_id, core::TimeMs now,
                         std::optional<std::uint32_t> battery_pct,
                         const std::optional<core::HealthReport>& report,
                         const core::SupervisionRules& rules);
// The proefmelding window of the device open at `now`, if any.
std::optional<TestWindow> open_test_window(Db& db, std::string_view device_id, core::TimeMs now);
// Bumps the registry version (matching rebuilds its index for it); returns the new version.
std::int64_t bump_registry_version(Db& db);
// Counts one activation recorded as a test in window `window_id`.
void count_test(Db& db, std::int64_t window_id);

// audit_rows.cpp: appends one audit row, chained onto the last one, in the caller's
// transaction (so the audited change and its row commit together); returns it as stored.
core::AuditRow append_audit(Db& db, std::string_view actor, std::string_view action,
                            std::string_view subject, std::string_view justification,
                            core::TimeMs now);
// The SELECT of Repository::audit_rows() for `query`: only the filters given, as ?3 (actor),
// ?4 (action), ?5 (subject), after ?1, before ?2, limit ?6 (a test plans it with EXPLAIN).
std::string audit_rows_sql(const core::AuditQuery& query);
// Where the kept chain starts (the checkpoint; id 1 and the genesis hash before any purge).
core::AuditStart audit_start(Db& db);
// Purges the audit rows written before `cutoff` (in the caller's transaction): appends the
// audit.purge row, moves the checkpoint, deletes; returns how many rows were deleted.
std::int64_t purge_audit(Db& db, core::TimeMs cutoff, core::TimeMs now);
// retention_rows.cpp: erases the registrations ended before `cutoff` (see RetentionPolicy);
// one audit row per client erased, in the caller's transaction. Returns the clients erased.
std::int64_t erase_ended_registrations(Db& db, core::TimeMs cutoff, core::TimeMs now);

}  // namespace aware::store::rows
