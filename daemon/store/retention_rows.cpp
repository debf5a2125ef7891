// retention_rows.cpp — the periodic purge (issue 6, item 5: minimisation and retention). Every
// period counts from when the data stopped being needed: a closed incident from its close, a
// notice from when it was written, an alert from its resolution, a session from its end. Open
// incidents are never touched. See repository.hpp.
#include <sqlite3.h>

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

}  // namespace

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
