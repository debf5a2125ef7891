// dossier_rows.cpp — the SQL behind Repository::dossier(): all activations of one client's
// devices with their incident's state and outcome, for `GET /api/v1/clients/{id}/dossier`
// and `awarectl dossier`. Read-only; one read transaction.
#include <sqlite3.h>

#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {

Result<std::optional<std::vector<DossierEntry>>> Repository::dossier(
    const std::string& client_id) {
  return rows::guarded([&]() -> std::optional<std::vector<DossierEntry>> {
    Transaction tx{*db_, true};  // one consistent read; rolled back (nothing written)
    {
      Stmt known{*db_, "SELECT 1 FROM clients WHERE id=?1"};
      known.bind(1, client_id);
      if (!known.step()) {
        return std::nullopt;
      }
    }
    // A device may have been registered to the client after some activations were matched
    // to nobody, or moved to another client later: both ways in belong to the dossier.
    Stmt s{*db_,
           "SELECT a.received_ms, a.device_id, a.trigger, a.incident_id, i.state, i.outcome, "
           "i.activation_count FROM activations a LEFT JOIN incidents i ON i.id = a.incident_id "
           "WHERE a.device_id IN (SELECT id FROM devices WHERE client_id=?1) OR i.client_id=?1 "
           "ORDER BY a.received_ms, a.id"};
    s.bind(1, client_id);
    std::vector<DossierEntry> out;
    while (s.step()) {
      DossierEntry e;
      e.received_ms = s.int64(0);
      e.device_id = s.text(1);
      e.trigger = s.text(2);
      if (!s.is_null(3)) {
        e.incident = s.int64(3);
        e.state = static_cast<core::IncidentState>(s.int64(4));
        e.outcome = s.text(5);
        e.activation_count = static_cast<std::uint32_t>(s.int64(6));
      }
      out.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace aware::store
