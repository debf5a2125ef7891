// retention_rows.cpp — the periodic purge (issue 6, item 5: minimisation and retention). Every
// period counts from when the data stopped being needed: a closed incident from its close, a
// notice from when it was written, an alert from its resolution, a session from its end. Open
// incidents are never touched. Ended registrations are erased (not deactivated) once their
// retention passed; the audit log is purged behind a checkpoint. See repository.hpp.
#include <sqlite3.h>

#include <array>
#include <string>
#include <vector>

#include "core/time_text.hpp"

#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

// Runs `sql` with ?1 = cut-off and returns how many rows it changed.
std::int64_t remove(Db& db, std::string_view sql, core::TimeMs cutoff) {
  Stmt s{db, sql};
  s.bind(1, cutoff).run();
  return db.changes();
}

// The closed incidents whose close lies before ?1.
constexpr std::string_view kOldClosed = "SELECT id FROM incidents WHERE state=4 AND updated_ms < ?1";

// Clients whose registration ended before the cut-off (?1 ms, ?2 the same as an ISO date): no
// AOP still running on ?2 (an active one ending on or after it) or changed since, at least one
// AOP or a deactivated client, neither client nor device changed since, no open incident.
constexpr std::string_view kEndedClients = R"(
  SELECT c.id FROM clients c
  WHERE c.updated_ms < ?1
    AND (c.active = 0 OR EXISTS (SELECT 1 FROM aops a WHERE a.client_id = c.id))
    AND NOT EXISTS (SELECT 1 FROM aops a WHERE a.client_id = c.id
                    AND ((a.active = 1 AND a.valid_until >= ?2) OR a.updated_ms >= ?1))
    AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.client_id = c.id AND d.updated_ms >= ?1)
    AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.client_id = c.id AND i.state <> 4)
  ORDER BY c.id)";

// Everything registered about one client, child rows first (foreign keys are on).
constexpr std::array<std::string_view, 10> kEraseClient = {
    "DELETE FROM contract_reminders WHERE aop_id IN (SELECT id FROM aops WHERE client_id = ?1)",
    "DELETE FROM device_status WHERE device_id IN (SELECT id FROM devices WHERE client_id = ?1)",
    "DELETE FROM test_windows WHERE device_id IN (SELECT id FROM devices WHERE client_id = ?1)",
    "DELETE FROM device_state WHERE device_id IN (SELECT id FROM devices WHERE client_id = ?1)",
    "DELETE FROM alerts WHERE client_id = ?1 OR device_id IN "
    "(SELECT id FROM devices WHERE client_id = ?1)",
    "DELETE FROM notices WHERE client_id = ?1",
    "DELETE FROM aols WHERE client_id = ?1",
    "DELETE FROM aops WHERE client_id = ?1",
    "DELETE FROM devices WHERE client_id = ?1",
    "DELETE FROM clients WHERE id = ?1",
};

}  // namespace

std::int64_t rows::erase_ended_registrations(Db& db, core::TimeMs cutoff, core::TimeMs now) {
  std::vector<std::string> ended;
  {
    Stmt s{db, kEndedClients};
    s.bind(1, cutoff).bind(2, core::iso_date_utc(cutoff));
    while (s.step()) {
      ended.push_back(s.text(0));
    }
  }
  const std::string why = "retention: registration ended before " + core::iso_date_utc(cutoff);
  for (const auto& id : ended) {
    for (const auto sql : kEraseClient) {
      Stmt s{db, sql};
      s.bind(1, id).run();
    }
    append_audit(db, "awared", "registry.erase", "client:" + id, why, now);
  }
  return static_cast<std::int64_t>(ended.size());
}

Result<Repository::PurgeCounts> Repository::purge(const RetentionPolicy& policy, core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    PurgeCounts out;
    if (policy.tracks_ms > 0) {
      out.positions = remove(*db_,
                             "DELETE FROM positions WHERE incident_id IN (" + std::string(kOldClosed) + ")",
                             now - policy.tracks_ms);
    }
    if (policy.incidents_ms > 0) {
      const auto cutoff = now - policy.incidents_ms;
      const std::string in_old = " WHERE incident_id IN (" + std::string(kOldClosed) + ")";
      out.positions += remove(*db_, "DELETE FROM positions" + in_old, cutoff);
      remove(*db_, "DELETE FROM incident_events" + in_old, cutoff);
      remove(*db_, "DELETE FROM incident_notes" + in_old, cutoff);
      remove(*db_, "DELETE FROM incident_timers" + in_old, cutoff);
      out.alerts += remove(*db_, "DELETE FROM alerts" + in_old, cutoff);
      out.notices += remove(*db_, "DELETE FROM notices" + in_old, cutoff);
      out.activations = remove(*db_, "DELETE FROM activations" + in_old, cutoff);
      out.incidents = remove(*db_, "DELETE FROM incidents WHERE state=4 AND updated_ms < ?1", cutoff);
    }
    if (policy.notices_ms > 0) {
      out.notices += remove(*db_, "DELETE FROM notices WHERE at_ms < ?1", now - policy.notices_ms);
    }
    if (policy.alerts_ms > 0) {
      out.alerts += remove(*db_, "DELETE FROM alerts WHERE state=3 AND resolved_ms < ?1",
                           now - policy.alerts_ms);
    }
    if (policy.registrations_ms > 0) {
      out.clients = rows::erase_ended_registrations(*db_, now - policy.registrations_ms, now);
      if (out.clients > 0) {
        out.registry_version = rows::bump_registry_version(*db_);
      }
    }
    if (policy.audit_ms > 0) {
      out.audit = rows::purge_audit(*db_, now - policy.audit_ms, now);
    }
    if (policy.sessions_ms > 0) {
      out.sessions = remove(*db_,
                            "DELETE FROM sessions WHERE coalesce(revoked_ms, expires_ms) < ?1",
                            now - policy.sessions_ms);
    }
    tx.commit();
    return out;
  });
}

}  // namespace aware::store
