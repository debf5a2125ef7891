// row_types.hpp — the plain records the Repository (repository.hpp) takes and returns: store
// errors and outcomes, test windows, device status, users and sessions, contracts, registry
// and dossier rows, audit authors, DC-09 links. Split from repository.hpp to keep the
// interface readable.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <span>
#include <memory>
#include <optional>
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

namespace aware::store {

struct StoreError {
  int code = 0;          // SQLite extended result code
  std::string message;   // SQLite's message with the operation that failed
  // A UNIQUE / FOREIGN KEY / CHECK constraint refused the write (SQLITE_CONSTRAINT = 19).
  [[nodiscard]] bool constraint_violation() const { return (code & 0xff) == 19; }
  // The disk is full (SQLITE_FULL = 13): the transaction was rolled back, the store stays
  // usable, and the same write may succeed once there is room.
  [[nodiscard]] bool disk_full() const { return (code & 0xff) == 13; }
  // An I/O error (SQLITE_IOERR_* = 10, e.g. a failed fsync): the connection writes nothing
  // more (Db::io_failed); only a restart, with SQLite's WAL recovery, may write again.
  [[nodiscard]] bool io_error() const { return (code & 0xff) == 10; }
};

using RecordEffect = core::ActivationEffect;

// What a device's message (or its silence) did to its supervision: alerts raised or resolved,
// case-worker notices written, and the device's next lost deadline (none when it is not
// supervised — unknown or returned — or a lost alert is open already).
struct HealthOutcome {
  std::vector<core::Alert> alerts;
  std::vector<core::Notice> notices;
  std::optional<core::TimeMs> lost_due_ms;
};

// A DC-09 transmitter account linked to a registered device (dc09_rows.cpp).
struct Dc09Link {
  std::string account;       // upper-case hex, as stored
  std::string device_id;
  core::TimeMs linked_ms = 0;
  std::string linked_by;
  bool operator==(const Dc09Link&) const = default;
};

// A proefmelding window of a device.
struct TestWindow {
  std::int64_t id = 0;
  std::string device_id;
  core::TimeMs opened_ms = 0;
  core::TimeMs until_ms = 0;       // ends on its own here
  std::string reason;
  std::string opened_by;
  core::TimeMs closed_ms = 0;      // 0 unless an operator closed it early
  std::string closed_by;
  std::int64_t tests = 0;          // activations recorded as tests in it
};

// One device as supervision sees it (awarectl devices, GET /api/v1/device-status).
struct DeviceStatus {
  std::string device_id;
  std::string client_id;
  bool active = true;
  std::optional<core::TimeMs> last_heard_ms;     // none: never watched yet
  std::optional<std::uint32_t> battery_pct;      // none: never reported
  bool charging = false;
  bool gps_available = false;
  std::int32_t signal_dbm = 0;
  core::TimeMs interval_ms = 0;                  // its heartbeat interval (the default filled in)
  std::optional<core::TimeMs> lost_due_ms;       // when it counts as lost (active devices)
  std::vector<std::string> open_alerts;          // kinds of its unresolved alerts
};

// A user of awared (no password: only its hash is stored, and read separately).
struct UserRecord {
  std::string name;
  core::Role role = core::Role::centralist;
  std::set<std::string, std::less<>> regions;   // centralist
  std::string organisation;                     // hulpverlener
  std::set<std::string, std::less<>> clients;   // hulpverlener
  bool active = true;
  // As the access policy sees this user.
  [[nodiscard]] core::Principal principal() const {
    return core::Principal{name, role, regions, organisation, clients};
  }
};

// A live session's user and when the session ends.
struct SessionUser {
  UserRecord user;
  core::TimeMs expires_ms = 0;
  // As the access policy sees this user, for the rest of this session.
  [[nodiscard]] core::Principal principal() const {
    auto p = user.principal();
    p.expires_ms = expires_ms;
    return p;
  }
};

// An AOP's contract as the operator plans it (awarectl contracts).
struct ContractRow {
  std::string aop_id;
  std::string client_id;
  std::string case_worker;
  std::string valid_from;          // ISO date
  std::string valid_until;         // ISO date
  bool reminded = false;           // the 14-day reminder for this end date was sent
};

struct RecordOutcome {
  core::Incident incident;   // the incident as it now is (id 0 for cancel_alone); for a
                             // duplicate, the incident its first copy went to, as it now is
  RecordEffect effect = RecordEffect::opened;  // for a duplicate: what the first copy did,
                                               // as far as it can be told (opened/cancel_alone)
  bool duplicate = false;    // the same (device, boot_epoch, seq) was stored before
  bool restarted = false;    // the device's boot epoch differs from the last one seen
  bool regressed = false;    // its numbering went back without a new boot epoch (flagged)
  std::optional<core::Alert> alert;    // a proefmelding's alert for the PAC operator, if one
                                       // was raised
  std::optional<core::Notice> notice;  // the case workers' notice written with it, if any
  HealthOutcome health;                // supervision: the device was heard
  std::optional<TestWindow> test_window;  // the proefmelding window it was recorded in
  bool shown = false;  // BatchHooks::decided told the consoles before the COMMIT
  bool decided = false;  // the Decider decided it before the store did (decider.hpp)
  bool held = false;     // and the store came to the same: same effect, same incident
  std::uint64_t decision_serial = 0;  // the decision's Decision::serial
};

// What the Decider (decider.hpp) decided an activation does, before the store thread did.
struct Decision {
  RecordEffect effect = RecordEffect::opened;  // opened or repeated
  // The incident as it will be if the store agrees. Never changed once made (a change makes a
  // new one), so the Decider's view of the device shares it instead of keeping a copy.
  std::shared_ptr<const core::Incident> incident;
  std::uint64_t serial = 0;  // the device's decisions, counted (Decider)
};

// One activation for Repository::record_activations(): what record_activation() takes.
struct ActivationToRecord {
  core::Activation activation;
  core::Incident draft;
  core::TimeMs merge_window_ms = 0;
  bool counted = false;              // Decider::decide() counted it as in flight
  std::optional<Decision> decision;  // what the Decider decided, if it could
  bool mark_delivered = false;  // a console got the decision while NEW: the store records its
                                // incident DELIVERED in the same transaction (Decider::delivered)
};

// What Repository::record_activations() tells its caller between a batch's writes and its
// COMMIT, so the consoles can be shown an alarm without waiting for the fsync (the device is
// still acked only after it). Both run on the store thread. A `decided` that throws fails the
// batch (rolled back, as if its COMMIT had failed).
struct BatchHooks {
  using Shown = std::span<const tl::expected<RecordOutcome, StoreError>>;
  // After the writes, before the COMMIT: each activation's result as it stands if the commit
  // succeeds (an error for one whose savepoint failed). Returns whether it told the consoles
  // (then each result says `shown`); false leaves that to the caller, after the COMMIT.
  std::function<bool(Shown)> decided;
  // The COMMIT of a batch that `decided` was shown failed: none of it is stored. Gets what
  // `decided` got. Its new incident ids are not handed out again by this Repository
  // (record_activations()); after a restart SQLite may reuse them.
  std::function<void(Shown)> withdrawn;
};

// What a position update did.
struct PositionOutcome {
  std::optional<core::Incident> incident;  // the incident whose track it joined, with the track;
                                           // nullopt when nothing was stored
  bool duplicate = false;                  // this (device, boot_epoch, seq) was stored before
  HealthOutcome health;                    // supervision: the device was heard
};

template <typename T>
using Result = tl::expected<T, StoreError>;

// The kinds of registry record; each has its own table.
enum class RecordKind { client, device, aop, aol, region };

// Registry records with what core::Registry does not carry.
struct RegistrySnapshot {
  core::Registry registry;
  std::vector<std::string> inactive_regions;  // regions kept but not used for matching
  std::int64_t version = 0;                   // registry version when read (bumped per write)
};

// One activation in a client's dossier (evidence: how often and when the client pressed).
struct DossierEntry {
  core::TimeMs received_ms = 0;          // when awared received the activation
  std::string device_id;                 // the device that was pressed
  std::string trigger;                   // alarm, test or cancel
  std::optional<std::int64_t> incident;  // the incident it opened or joined; none for a lone cancel
  core::IncidentState state = core::IncidentState::created;  // that incident's state now
  std::string outcome;                   // that incident's outcome, once closed
  std::uint32_t activation_count = 0;    // activations that incident holds now
};

// The audit actions of a session's start and its end by a logout (Repository::create_session,
// revoke_session); a refused login is audited as a refusal (core/refusals.hpp).
inline constexpr std::string_view kLoginAction = "auth.login";
inline constexpr std::string_view kLogoutAction = "auth.logout";

// Who changes registry records, and why: write_records() and deactivate() given one write an
// audit row per record (subject "<kind>:<id>", e.g. client:C-001) in the same transaction.
struct AuditBy {
  std::string actor;           // the signed-in user of the request (or "awared")
  std::string action;          // registry.create, registry.update, registry.import, …
  std::string justification;   // may be empty
};

}  // namespace aware::store
