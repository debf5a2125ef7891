// repository.hpp — awared's durable state in SQLite: registrations, activations, incidents and
// their tracks. Implemented in repository.cpp (start-up, incident transitions), lifecycle.cpp
// (activations and positions), registry_rows.cpp (registrations); shared SQL in rows.hpp; the
// records it takes and returns in row_types.hpp.
//
// Durability contract: the database runs in WAL mode with synchronous=FULL, so when
// record_activation() returns successfully (or record_activations() returns a batch, each
// activation with its own result, after the one commit) the activation and its incident survive
// a crash or power cut; only then may the device be acknowledged. The constructor refuses to continue
// unless both settings are in force.
//
// Error policy: the constructor throws (a start-up failure). Every other member never throws: a
// SQLite failure (disk full, I/O error) comes back as StoreError, and the transaction it was in
// is rolled back.
// THREAD SAFETY: none. A Repository lives on the store thread; net/ posts work to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/alert.hpp"
#include "core/audit.hpp"
#include "core/policy.hpp"
#include "core/registry.hpp"
#include "core/supervision.hpp"
#include "core/timers.hpp"
#include "core/types.hpp"
#include "store/row_types.hpp"

namespace aware::store {

class Db;
class Decider;

// insert: every record is new (an existing id fails the whole write with SQLITE_CONSTRAINT);
// upsert: a record with an existing id replaces it.
enum class WriteMode { insert, upsert };

class Repository {
 public:
  // Opens or creates the database (and its folder), sets WAL + synchronous=FULL, verifies them,
  // and applies pending migrations. Throws std::runtime_error with a clear message on failure.
  explicit Repository(const std::filesystem::path& path);
  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // --- Activations and tracking (lifecycle.cpp) ---
  // Durably stores an activation and its effect on the device's incidents, in one transaction:
  // - an alarm whose device has an open SPOED incident, or one closed less than
  //   `merge_window_ms` before activation.received_ms, updates it (core::merge_activation;
  //   a closed one reopens as NEW);
  // - any other alarm, and every proefmelding (TEST), opens `draft` (id 0) as a new incident;
  // - a cancel flags the device's open SPOED incident (core::apply_cancel) without closing it,
  //   or, with none open, is stored without an incident.
  // The activation row points to the incident it went to. An exact duplicate stores nothing
  // and returns the incident the first copy went to.
  Result<RecordOutcome> record_activation(const core::Activation& activation,
                                          const core::Incident& draft,
                                          core::TimeMs merge_window_ms);
  // Group commit: records each activation of `batch` as record_activation() would, in order,
  // all in one transaction (one WAL fsync for the lot). Each runs in its own savepoint, so one
  // that fails leaves the others; if the commit itself fails, every result is that error —
  // nothing of the batch is durable and nothing may be acked. One result per activation.
  // `hooks` (see BatchHooks) are told what the batch decided before the COMMIT and whether
  // that was withdrawn; an id shown that way is not reused after a failed COMMIT while this
  // Repository lives (the next new incident gets a higher one), so a console request for it
  // can never reach another incident.
  std::vector<Result<RecordOutcome>> record_activations(std::span<const ActivationToRecord> batch,
                                                        const BatchHooks& hooks = {});
  // From now on `decider` (which must outlive this Repository) decides activations ahead of the
  // store: it is started from the database, told of every write that changes what it knows,
  // and each recorded activation is compared with its decision (RecordOutcome::held). A new
  // incident gets the id the decider reserved. Throws SqliteError when the start-up reads fail.
  void attach_decider(Decider& decider, core::TimeMs now);

  // Appends a validated fix (position update `key`) to the track of the device's open SPOED
  // incident, durably. With no open incident nothing is stored (privacy); a duplicate key is
  // not stored twice.
  Result<PositionOutcome> append_position(const core::MessageKey& key, const core::GeoFix& fix);

  // Every incident not yet closed, oldest first.
  Result<std::vector<core::Incident>> open_incidents();

  // One incident by id (with its track); StoreError with code SQLITE_NOTFOUND when there is none.
  Result<core::Incident> incident(std::int64_t id);

  // The result of a requested state change: the incident as it now is, and whether the change
  // was made. A change that the incident's current state does not allow is not an error: it
  // comes back with applied == false (e.g. another centralist accepted it first).
  struct Transition {
    core::Incident incident;
    bool applied = false;
    std::vector<core::Alert> alerts;     // PAC alerts raised or resolved by this change
    std::optional<core::Notice> notice;  // the case workers' notice written with it (close)
  };

  // An operator's change to an alert.
  struct AlertChange {
    core::Alert alert;       // the alert as it now is
    bool applied = false;    // false: its state did not allow the change (e.g. resolved)
  };

  // created -> delivered (it is on a console's screen). Not applied in any other state.
  Result<Transition> mark_delivered(std::int64_t id, core::TimeMs now);
  // mark_delivered() for several incidents in one transaction (one fsync for all of them; the
  // one-id form above is a batch of one). Each has its own result; a failed commit fails all.
  std::vector<Result<Transition>> mark_delivered(std::span<const std::int64_t> ids,
                                                 core::TimeMs now);
  // created/delivered -> accepted by `who`; accepting again by the same person is applied.
  Result<Transition> accept(std::int64_t id, const std::string& who, core::TimeMs now);
  // Accepting or closing also resolves the incident's escalation alerts (Transition::alerts);
  // closing writes the case workers' notice (Transition::notice), in the same transaction.
  // accepted (by `who`) -> closed with an outcome and a note.
  Result<Transition> close(std::int64_t id, const std::string& who, const std::string& outcome,
                           const std::string& note, core::TimeMs now);

  // Meeluisteren: records in incident_events that `who` listens in on incident `id` (state
  // unchanged, detail "meeluisteren") and writes the audit row (incident.listen_in), in one
  // transaction. Not applied (nothing written) when the incident is closed; StoreError
  // SQLITE_NOTFOUND when there is no such incident.
  // The incident then carries `who` and `now` as listen_in_by / listen_in_ms.
  Result<Transition> record_listen_in(std::int64_t id, const std::string& who, core::TimeMs now);

  // A centralist's note: stores `text` (already checked by core::note_text()) by `author` at
  // `now` in incident_notes, with an incident_events row (state unchanged, detail "notitie"),
  // in one transaction. Not applied (nothing written) when the incident is closed or holds
  // core::kMaxNotesPerIncident notes already; StoreError SQLITE_NOTFOUND when there is no such
  // incident. The Transition's incident carries every note, oldest first.
  Result<Transition> add_note(std::int64_t id, const std::string& author, const std::string& text,
                              core::TimeMs now);

  // --- Escalation deadlines (timer_rows.cpp) ---
  // From now on record_activation() also stores core::arm_timers(activation.received_ms, …)
  // for every SPOED/TECHNISCH incident it opens or reopens, in the same transaction. Until this
  // is called (timeouts 0) no deadlines are stored. Call on the store thread before use.
  void set_timer_policy(core::TimeMs deliver_timeout_ms, core::TimeMs accept_timeout_ms);
  // The stored deadlines of incident `id`; nullopt when none were ever stored.
  Result<std::optional<core::IncidentTimers>> timers(std::int64_t id);
  // The stored deadlines of every open incident that still has one pending, by incident id.
  Result<std::vector<std::pair<std::int64_t, core::IncidentTimers>>> pending_timers();
  // A timer fired: in one transaction, stores `next` as the incident's deadlines, adds the
  // ESCALATED flag when `escalate`, appends an incident_events row (state unchanged,
  // `detail`, at `now`) and raises a PAC alert of `alert_kind` (core::alert_kind; none when
  // one of that kind is unresolved already). Not applied (nothing written) when the incident
  // is closed; StoreError SQLITE_NOTFOUND when there is no such incident.
  Result<Transition> record_timer(std::int64_t id, const core::IncidentTimers& next,
                                  std::string_view detail, bool escalate, core::TimeMs now,
                                  std::string_view alert_kind);

  // --- PAC alerts and case-worker notices (alert_rows.cpp) ---
  // Every alert not yet resolved, oldest first.
  Result<std::vector<core::Alert>> unresolved_alerts();
  // open -> acknowledged by `who`. nullopt when there is no such alert; not applied when it is
  // not open.
  Result<std::optional<AlertChange>> acknowledge_alert(std::int64_t id, const std::string& who,
                                                       core::TimeMs now);
  // open/acknowledged -> resolved by `who` (the caller checks core::operator_resolvable).
  // nullopt when there is no such alert; not applied when it is resolved already.
  Result<std::optional<AlertChange>> resolve_alert(std::int64_t id, const std::string& who,
                                                   core::TimeMs now);
  // Raises the opslag_storing alert (core::storage_fault_alert) unless one is unresolved
  // already (then nullopt: the operator has not handled the earlier one yet).
  Result<std::optional<core::Alert>> raise_storage_alert(std::string detail, core::TimeMs now);
  // Up to `limit` notices with id > after_id that `wanted` selects, the newest ones, in id order.
  Result<std::vector<core::Notice>> notices_after(
      std::int64_t after_id, std::size_t limit,
      const std::function<bool(const core::Notice&)>& wanted);
  // The oldest `limit` notices the webhook has not taken yet, in id order.
  Result<std::vector<core::Notice>> webhook_pending(std::size_t limit);
  // The webhook took notice `id`.
  Result<void> mark_webhook_sent(std::int64_t id, core::TimeMs now);

  // --- Supervision (supervision_rows.cpp, contract_rows.cpp) ---
  // From now on every device message is supervised with `rules` (record_activation,
  // append_position and record_heartbeat note the device as heard, in their transaction).
  void set_supervision_rules(const core::SupervisionRules& rules);
  // With `required`, a device's TEST press outside a proefmelding window is handled as a real
  // alarm (SPOED, flag test_outside_window); without (the default), it is a proefmelding.
  void set_test_window_required(bool required) { require_test_window_ = required; }
  // A heartbeat: notes the device as heard with its health, applies the battery rules.
  Result<HealthOutcome> record_heartbeat(std::string_view device_id,
                                         const core::HealthReport& report, core::TimeMs now);
  // The device's lost deadline may have passed at `now`: opens verbinding_verloren (dated at
  // the deadline) when nothing was heard since; else returns the current deadline. For a device
  // that is no longer active, resolves its device alerts instead.
  Result<HealthOutcome> record_silence(std::string_view device_id, core::TimeMs now);
  // Starts watching every active device not yet watched (heard "now") and returns the lost
  // deadline of every active device that has no open verbinding_verloren alert.
  Result<std::vector<std::pair<std::string, core::TimeMs>>> supervision_deadlines(core::TimeMs now);
  // Every registered device with its supervision state, by id.
  Result<std::vector<DeviceStatus>> device_statuses();

  // Opens a proefmelding window for `device_id` until `until_ms` (closing one still open).
  // Start and stop write an audit row (test_window.start/stop, subject device:ID, by `by`).
  // nullopt when there is no such active device.
  Result<std::optional<TestWindow>> start_test_window(std::string_view device_id,
                                                      core::TimeMs until_ms,
                                                      const std::string& reason,
                                                      const std::string& by, core::TimeMs now);
  // Closes the device's open window early; nullopt when none is open.
  Result<std::optional<TestWindow>> stop_test_window(std::string_view device_id,
                                                     const std::string& by, core::TimeMs now);
  // The windows open at `now` (all devices), by device.
  Result<std::vector<TestWindow>> open_test_windows(core::TimeMs now);

  // Contracts of active AOPs ending on or before `until_date` (ISO), soonest first.
  Result<std::vector<ContractRow>> contracts_ending(const std::string& until_date);
  // The reminder sweep: for every active AOP whose contract ends within [today, until_date] and
  // was not reminded for that end date, raises a contract_einde alert and writes a notice to
  // its case worker (besluit verlenging of beëindiging); records the reminder. One transaction.
  Result<HealthOutcome> remind_contracts(const std::string& today, const std::string& until_date,
                                         core::TimeMs now);
  // Extends or ends a contract: sets valid_until, bumps the registry version, records the new
  // end date as decided (no reminder for it), resolves the AOP's contract alert (resolved by
  // `by`) and writes the audit row (contract.set_end), in one transaction. nullopt when there is
  // no such AOP, or valid_until is before its valid_from.
  struct ContractChange {
    std::int64_t version = 0;          // the new registry version (rebuild the index for it)
    std::vector<core::Alert> alerts;   // the contract alert it resolved, if one was open
  };
  Result<std::optional<ContractChange>> set_contract_end(std::string_view aop_id,
                                                         const std::string& valid_until,
                                                         const std::string& by,
                                                         core::TimeMs now);

  // --- Users and sessions (user_rows.cpp) ---
  // (Users are written only by change_user(), deactivate_user() and change_own_password()
  // below: audited, and the user's sessions end.)
  // A user with their password hash; nullopt when there is no such user.
  Result<std::optional<std::pair<UserRecord, std::string>>> user(std::string_view name);
  // Every user (without hashes), by name.
  Result<std::vector<UserRecord>> users();
  // What change_user() and deactivate_user() did, or why they wrote nothing.
  enum class UserChange {
    created, replaced, deactivated,
    unknown_user,    // deactivate: no such user
    needs_password,  // a new user without a password
    last_admin,      // the change takes away the last active admin
    unknown_region,  // a centralist's region is neither an active region nor one of `desks`
    unknown_client,  // a hulpverlener's client is not registered
    bad_name,        // a new user whose name core::new_user_name_ok() refuses
  };
  struct UserChangeResult {
    UserChange change = UserChange::created;
    std::string name;  // the unknown region or client
  };
  struct UserChangeRequest {
    UserRecord user;                           // its `active` counts only with active_given
    bool active_given = true;                  // false: an existing user keeps its active flag
    std::optional<std::string> password_hash;  // nullopt: an existing user keeps its password
    std::optional<core::NameSet> desks;        // nullopt: regions and clients are not checked
    std::string note;                          // the audit row's text after the change itself
  };
  // In one transaction: adds the user, or replaces the role and scope of the user of that name
  // (and its active flag and password when given); checks the centralist's regions (active
  // regions, or one of `desks`: the default and fallback desks) and the hulpverlener's
  // clients; ends every live session of the user (a changed user signs in again, with the new
  // scope); writes the audit row (users.create / users.update, subject "user:NAME", by `by`,
  // its text the new role, scope, active flag and whether the password changed, then `note`).
  // Writes nothing for any refusal above.
  Result<UserChangeResult> change_user(const UserChangeRequest& request, const std::string& by,
                                       core::TimeMs now);
  // Deactivates a user (kept for the audit log; change_user() makes it active again) and ends
  // their live sessions, audited (users.deactivate, its text `note`), in one transaction.
  Result<UserChangeResult> deactivate_user(std::string_view name, const std::string& by,
                                           const std::string& note, core::TimeMs now);
  // A user's change of her own password, in one transaction: only while she is active and
  // still has `checked_hash` (the hash her current password was checked against), so a reset
  // or deactivation by an admin in the meantime wins; ends every live session of hers and
  // writes the audit row (users.password, by and about her). False, writing nothing, otherwise.
  Result<bool> change_own_password(std::string_view name, const std::string& checked_hash,
                                   const std::string& new_hash, core::TimeMs now);
  // Stores a session: the token's digest, valid until `expires_ms`. With `password_hash`, only
  // while the user is active and still has that hash (false otherwise): a login whose password
  // was checked just before a password reset or a deactivation gets no session. A stored
  // session is audited in the same transaction (kLoginAction, actor and subject the user).
  Result<bool> create_session(std::string_view user_name, const std::string& token_digest,
                              core::TimeMs now, core::TimeMs expires_ms,
                              const std::string& password_hash = {});
  // The active user of a session that is neither expired nor revoked at `now`, with the end of
  // that session; nullopt else.
  Result<std::optional<SessionUser>> session_user(const std::string& token_digest,
                                                  core::TimeMs now);
  // Ends a session, audited in the same transaction (kLogoutAction); false, and nothing
  // written, when there was no such live session.
  Result<bool> revoke_session(const std::string& token_digest, core::TimeMs now);

  // --- Retention (retention_rows.cpp) ---
  // How long data is kept after it stopped being needed; 0 = keep.
  struct RetentionPolicy {
    core::TimeMs tracks_ms = 0;      // positions of an incident closed this long ago
    core::TimeMs incidents_ms = 0;   // a closed incident with everything about it (events,
                                     // timers, positions, activations, its alerts and notices)
    core::TimeMs notices_ms = 0;     // case-worker notices written this long ago
    core::TimeMs alerts_ms = 0;      // resolved alerts
    core::TimeMs sessions_ms = 0;    // expired or revoked login sessions
    core::TimeMs registrations_ms = 0;  // a client all of whose AOPs ended this long ago (or
                                        // deactivated this long ago), with their devices, AOPs,
                                        // AOLs, notices and alerts — erased, not deactivated
    core::TimeMs audit_ms = 0;       // audit rows written this long ago (behind a checkpoint)
  };
  struct PurgeCounts {
    std::int64_t positions = 0;
    std::int64_t incidents = 0;
    std::int64_t activations = 0;
    std::int64_t notices = 0;
    std::int64_t alerts = 0;
    std::int64_t sessions = 0;
    std::int64_t clients = 0;          // registrations erased (one audit row each)
    std::int64_t audit = 0;            // audit rows purged
    std::int64_t registry_version = 0; // the registry version after an erasure (0: none erased)
    bool operator==(const PurgeCounts&) const = default;
  };
  // Deletes what `policy` says is past its time at `now`, in one transaction. Open incidents
  // and everything of them are never touched; a client with an open incident is not erased.
  // Incidents keep their client id until their own retention ends (the police's record).
  // Purging audit rows moves the checkpoint (migrations/009_retention.sql) and appends an
  // audit.purge row first, so the rows kept still verify.
  Result<PurgeCounts> purge(const RetentionPolicy& policy, core::TimeMs now);

  // --- Dossier (dossier_rows.cpp) ---
  // Every activation of client `client_id` — of a device now registered to it, or matched to
  // it when it was stored — oldest first, with its incident's state and outcome. nullopt when
  // there is no such client (active or not).
  Result<std::optional<std::vector<DossierEntry>>> dossier(const std::string& client_id);

  // All registrations, for building a match index: clients, devices, AOPs and AOLs with their
  // `active` flags (the index leaves inactive ones out); only active regions.
  Result<core::Registry> load_registry();

  // --- Registry maintenance (registry_rows.cpp) ---
  // The whole registry and its version, read in one read transaction (a consistent snapshot).
  // With include_inactive_regions, inactive regions are in registry.regions and listed in
  // inactive_regions; without, they are left out (what matching uses).
  Result<RegistrySnapshot> registry_snapshot(bool include_inactive_regions);
  // The records of one kind, inactive ones included (all, or only the one with `id`: an empty
  // vector when there is none), in id order.
  Result<RegistrySnapshot> read_records(RecordKind kind, const std::optional<std::string>& id);
  // True when a record of `kind` with `id` exists (active or not).
  Result<bool> exists(RecordKind kind, std::string_view id);
  // Writes all records of `records` in ONE transaction, in reference order (regions, clients,
  // devices, AOPs, AOLs) and bumps the registry version; returns the new version. Regions
  // listed in records.inactive_regions are written inactive. Any failure writes nothing. The
  // caller has validated the records (ids, references); the schema's constraints are the
  // last line of defence.
  Result<std::int64_t> write_records(const RegistrySnapshot& records, WriteMode mode,
                                     core::TimeMs now,
                                     const std::optional<AuditBy>& audit = std::nullopt);
  // Sets active=0 on one record; returns the new registry version, or nullopt (nothing
  // written) when there is no such record.
  Result<std::optional<std::int64_t>> deactivate(RecordKind kind, std::string_view id,
                                                 core::TimeMs now,
                                                 const std::optional<AuditBy>& audit = std::nullopt);

  // --- Audit log (audit_rows.cpp; the chain is core/audit.hpp) ---
  // Appends one audit row in its own transaction and returns it as stored. Changes made inside
  // the store (listen-in, contract end, proefmelding windows, registry writes given an
  // AuditBy) write their row in their own transaction instead (rows::append_audit).
  Result<core::AuditRow> append_audit(const std::string& actor, const std::string& action,
                                      const std::string& subject,
                                      const std::string& justification, core::TimeMs now);
  // Appends `entries` (their ids are ignored: the chain numbers them) in ONE transaction; used
  // for the batched refusals (core/refusals.hpp). Returns how many were written.
  Result<std::size_t> append_audit_batch(const std::vector<core::AuditEntry>& entries);
  // The rows `query` asks for (core::AuditQuery), in id order or newest first. Each filter
  // has an index (migration 012), so a filtered page reads about as many rows as it returns.
  Result<std::vector<core::AuditRow>> audit_rows(const core::AuditQuery& query);
  // Reads the whole chain (from the checkpoint, after a purge) in one read transaction and
  // verifies it (core::verify_audit), against `anchor` when given.
  Result<core::AuditVerdict> verify_audit(const std::optional<core::AuditAnchor>& anchor = {});

  // --- DC-09 accounts (dc09_rows.cpp) ---
  // Accounts are passed as awared keeps them: upper-case hex (dc09::normalize_account).
  // The device `account` is linked to, or nullopt.
  Result<std::optional<std::string>> dc09_device(std::string_view account);
  // Every link, by account.
  Result<std::vector<Dc09Link>> dc09_links();
  // Links `account` to the registered device `device_id` (replacing a link it had), with an
  // audit row (dc09.link, subject dc09:ACCOUNT, by `by`), in one transaction. Returns the link,
  // or nullopt (nothing written) when there is no such device.
  Result<std::optional<Dc09Link>> link_dc09_account(std::string_view account,
                                                    std::string_view device_id,
                                                    const std::string& by, core::TimeMs now);
  // Removes the link of `account`, with an audit row (dc09.unlink). False when it had none.
  Result<bool> unlink_dc09_account(std::string_view account, const std::string& by,
                                   core::TimeMs now);
  // A DC-09 NULL (or other non-activation) message of `device_id`: notes it as heard, with a
  // battery level when the message reported one, and applies the battery rules. With
  // `comm_fail`, in the same transaction, opens (true) or resolves (false) the device's
  // communicatie_storing alert — for an unknown device too (an unlinked account's
  // "DC09-<account>", no client), which is otherwise not supervised.
  Result<HealthOutcome> record_heard(std::string_view device_id,
                                     std::optional<std::uint32_t> battery_pct, core::TimeMs now,
                                     std::optional<bool> comm_fail = std::nullopt);

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
  // transition() inside a transaction the caller holds.
  Transition apply_transition(std::string_view update_sql, const TransitionArgs& args);
  // Runs a guarded UPDATE (?1 id, ?2 now, ?3 who, ?4 outcome, ?5 note) and records the event
  // when it changed a row.
  Result<Transition> transition(std::string_view update_sql, const TransitionArgs& args);
  // The Transition for incident `id` after a write that was `applied` (or failed): the
  // incident as it now is, or the error.
  Result<Transition> with_incident(std::int64_t id, const Result<bool>& applied);
  // record_activation()'s work inside the caller's transaction; throws SqliteError.
  RecordOutcome record_one(const ActivationToRecord& job);
  // mark_delivered()'s write for incident `id` inside the caller's transaction; throws.
  void mark_delivered_within(std::int64_t id, core::TimeMs now);
  // The id a new incident gets: the decider's (reserved by its decision or now), else SQLite's.
  std::int64_t insert_new_incident(const ActivationToRecord& job, const core::Incident& draft);
  // sqlite3_update_hook: tells the decider of a row written outside the writes it follows.
  static void row_changed(void* self, int op, const char* db, const char* table,
                          std::int64_t rowid);

  std::unique_ptr<Db> db_;
  core::TimeMs deliver_timeout_ms_ = 0;   // set_timer_policy(); 0 = store no deadlines
  core::TimeMs accept_timeout_ms_ = 0;
  core::SupervisionRules supervision_rules_;
  bool require_test_window_ = false;
  std::int64_t incident_id_floor_ = 0;  // > 0 after a withdrawn batch: the next new incident's
                                        // id, above every id ever shown (record_activations())
  // While one lives, row_changed() ignores the writes (the caller tells the decider itself).
  class Quiet {
   public:
    explicit Quiet(bool& flag) : flag_{flag}, was_{flag} { flag_ = true; }
    ~Quiet() { flag_ = was_; }
    Quiet(const Quiet&) = delete;
    Quiet& operator=(const Quiet&) = delete;
   private:
    bool& flag_;
    bool was_;
  };
  Decider* decider_ = nullptr;  // attach_decider()
  bool quiet_ = false;          // writing what the decider is told of itself: row_changed() is not
};

}  // namespace aware::store
