// contract_rows.cpp — the AWARE trajectory's contracts (an AOP's valid_from … valid_until):
// which end soon, the fourteen-day reminder (a PAC alert and a case-worker notice, once per
// end date), and extending or ending one. See repository.hpp for the contracts.
#include <sqlite3.h>

#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

constexpr std::string_view kContractKind = core::alert_kind::contract_ending;

constexpr std::string_view kContractSelect =
    "SELECT a.id, a.client_id, a.case_worker, a.valid_from, a.valid_until, "
    "EXISTS (SELECT 1 FROM contract_reminders r WHERE r.aop_id=a.id AND "
    "r.valid_until=a.valid_until) FROM aops a WHERE a.active=1 AND a.valid_until <= ?1 ";

ContractRow contract_from_row(const Stmt& s) {
  return ContractRow{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.int64(5) != 0};
}

}  // namespace

Result<std::vector<ContractRow>> Repository::contracts_ending(const std::string& until_date) {
  return rows::guarded([&] {
    Stmt s{*db_, std::string(kContractSelect) + "ORDER BY a.valid_until, a.id"};
    s.bind(1, until_date);
    std::vector<ContractRow> out;
    while (s.step()) {
      out.push_back(contract_from_row(s));
    }
    return out;
  });
}

Result<HealthOutcome> Repository::remind_contracts(const std::string& today,
                                                   const std::string& until_date,
                                                   core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    std::vector<ContractRow> due;
    {
      Stmt s{*db_, std::string(kContractSelect) + "AND a.valid_until >= ?2 ORDER BY a.id"};
      s.bind(1, until_date).bind(2, today);
      while (s.step()) {
        auto c = contract_from_row(s);
        if (!c.reminded) {
          due.push_back(std::move(c));
        }
      }
    }
    HealthOutcome out;
    for (const auto& c : due) {
      core::Alert a;
      a.kind = std::string(kContractKind);
      a.subject = "aop:" + c.aop_id;
      a.client_id = c.client_id;
      a.severity = core::AlertSeverity::warning;
      a.detail = "contract " + c.aop_id + " van " + c.client_id + " eindigt op " + c.valid_until +
                 ": besluit verlenging of beëindiging";
      a.opened_ms = now;
      if (auto raised = rows::raise_alert(*db_, std::move(a))) {
        out.alerts.push_back(std::move(*raised));
      }
      core::Notice n;
      n.client_id = c.client_id;
      n.case_worker = c.case_worker;
      n.event = std::string(kContractKind);
      n.state = "ends " + c.valid_until;
      n.at_ms = now;
      out.notices.push_back(rows::insert_notice(*db_, std::move(n)));
      Stmt r{*db_, "INSERT INTO contract_reminders(aop_id, valid_until, sent_ms) VALUES (?1, ?2, ?3)"};
      r.bind(1, c.aop_id).bind(2, c.valid_until).bind(3, now).run();
    }
    tx.commit();
    return out;
  });
}

Result<std::optional<Repository::ContractChange>> Repository::set_contract_end(std::string_view aop_id,
                                                                  const std::string& valid_until,
                                                                  const std::string& by,
                                                                  core::TimeMs now) {
  return rows::guarded([&]() -> std::optional<ContractChange> {
    Transaction tx{*db_};
    Stmt s{*db_, "UPDATE aops SET valid_until=?2, updated_ms=?3 WHERE id=?1 AND valid_from <= ?2"};
    s.bind(1, aop_id).bind(2, valid_until).bind(3, now).run();
    if (db_->changes() == 0) {
      return std::nullopt;
    }
    ContractChange out;
    out.alerts = rows::resolve_alerts_of(*db_, "aop:" + std::string(aop_id), now, kContractKind);
    for (auto& a : out.alerts) {
      Stmt who{*db_, "UPDATE alerts SET resolved_by=?2 WHERE id=?1"};
      who.bind(1, a.id).bind(2, by).run();
      a.resolved_by = by;
    }
    // The operator has just decided about this end date: no reminder to decide it again.
    Stmt decided{*db_,
                 "INSERT OR IGNORE INTO contract_reminders(aop_id, valid_until, sent_ms) "
                 "VALUES (?1, ?2, ?3)"};
    decided.bind(1, aop_id).bind(2, valid_until).bind(3, now).run();
    rows::append_audit(*db_, by, "contract.set_end", "aop:" + std::string(aop_id),
                       "", now);
    out.version = rows::bump_registry_version(*db_);
    tx.commit();
    return out;
  });
}

}  // namespace aware::store
