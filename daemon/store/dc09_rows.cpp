// dc09_rows.cpp — the SQL behind Repository's DC-09 functions (see repository.hpp): the
// account -> device links of migration 011 and the "heard" note for NULL messages (with the
// communicatie_storing alert of a comm-fail report). Accounts come
// in normalised by the caller (dc09::normalize_account: upper-case hex).
#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
Result<std::optional<std::string>> Repository::dc09_device(std::string_view account) {
  return rows::guarded([&]() -> std::optional<std::string> {
    Stmt s{*db_, "SELECT device_id FROM dc09_accounts WHERE account=?1"};
    s.bind(1, std::string(account));
    if (!s.step()) {
      return std::nullopt;
    }
    return s.text(0);
  });
}

Result<std::vector<Dc09Link>> Repository::dc09_links() {
  return rows::guarded([&] {
    std::vector<Dc09Link> out;
    Stmt s{*db_,
           "SELECT account, device_id, linked_ms, linked_by FROM dc09_accounts ORDER BY account"};
    while (s.step()) {
      out.push_back({s.text(0), s.text(1), s.int64(2), s.text(3)});
    }
    return out;
  });
}

Result<std::optional<Dc09Link>> Repository::link_dc09_account(std::string_view account,
                                                              std::string_view device_id,
                                                              const std::string& by,
                                                              core::TimeMs now) {
  return rows::guarded([&]() -> std::optional<Dc09Link> {
    Transaction tx{*db_};
    Stmt dev{*db_, "SELECT 1 FROM devices WHERE id=?1"};
    dev.bind(1, device_id);
    if (!dev.step()) {
      return std::nullopt;
    }
    Dc09Link link{std::string(account), std::string(device_id), now, by};
    Stmt up{*db_,
            "INSERT INTO dc09_accounts(account, device_id, linked_ms, linked_by) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(account) DO UPDATE SET device_id=?2, "
            "linked_ms=?3, linked_by=?4"};
    up.bind(1, link.account).bind(2, link.device_id).bind(3, now).bind(4, by).run();
    rows::append_audit(*db_, by, "dc09.link", "dc09:" + link.account,
                       "device:" + link.device_id, now);
    tx.commit();
    return link;
  });
}

Result<bool> Repository::unlink_dc09_account(std::string_view account, const std::string& by,
                                             core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    const auto key = std::string(account);
    Stmt del{*db_, "DELETE FROM dc09_accounts WHERE account=?1"};
    del.bind(1, key).run();
    if (db_->changes() == 0) {
      return false;
    }
    rows::append_audit(*db_, by, "dc09.unlink", "dc09:" + key, "", now);
    tx.commit();
    return true;
  });
}

Result<HealthOutcome> Repository::record_heard(std::string_view device_id,
                                               std::optional<std::uint32_t> battery_pct,
                                               core::TimeMs now, std::optional<bool> comm_fail) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    auto out = rows::note_heard(*db_, device_id, now, battery_pct, std::nullopt,
                                supervision_rules_);
    const std::string subject = "device:" + std::string(device_id);
    if (comm_fail && *comm_fail) {
      core::Alert a;
      a.kind = std::string(core::alert_kind::comm_failure);
      a.subject = subject;
      a.device_id = std::string(device_id);
      Stmt c{*db_, "SELECT client_id FROM devices WHERE id=?1"};
      c.bind(1, device_id);
      if (c.step()) {
        a.client_id = c.text(0);
      }
      a.severity = core::AlertSeverity::urgent;
      a.detail = "zender meldt communicatiestoring (DC-09)";
      a.opened_ms = now;
      if (auto raised = rows::raise_alert(*db_, std::move(a))) {
        out.alerts.push_back(std::move(*raised));
      }
    } else if (comm_fail) {
      auto resolved = rows::resolve_alerts_of(*db_, subject, now, core::alert_kind::comm_failure);
      out.alerts.insert(out.alerts.end(), resolved.begin(), resolved.end());
    }
    tx.commit();
    return out;
  });
}

}  // namespace aware::store
